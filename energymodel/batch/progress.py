"""What a batch shows while it runs: log lines, or a rich progress bar on a terminal."""

from __future__ import annotations

import logging
import sys
import time
from typing import TYPE_CHECKING, TextIO

from energymodel.fileio import ResultsWriteError, os_error_cause

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import Progress, TaskID

    from energymodel.batch.runner import RunSummary

logger = logging.getLogger("energymodel.batch.cli")
_HANDLERS: list[logging.Handler] = []

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
"""Exit codes: every run optimal; a run failed (or a problem found); bad usage."""


def echo(text: str = "", *, err: bool = False) -> None:
    """Write user-facing CLI output (tables, problems) to stdout or stderr."""
    stream: TextIO = sys.stderr if err else sys.stdout
    stream.write(text + "\n")
    stream.flush()


def os_error_text(err: OSError) -> str:
    """``<path>: <cause>`` for an OSError (a :class:`ResultsWriteError` says it already)."""
    if isinstance(err, ResultsWriteError):
        return str(err)
    path = getattr(err, "filename2", None) or err.filename or ""
    return f"{path}: {os_error_cause(err)}" if path else os_error_cause(err)


def setup_logging(level: str, console: Console | None) -> None:
    """Log to stderr (or through rich above the progress bar); quiet Pyomo."""
    root = logging.getLogger()
    while _HANDLERS:  # main() may run more than once in a process (tests, notebooks)
        root.removeHandler(_HANDLERS.pop())
    handler: logging.Handler
    if console is not None:
        from rich.logging import RichHandler

        handler = RichHandler(console=console, show_path=False, rich_tracebacks=False)
        handler.setFormatter(logging.Formatter("%(message)s"))
    else:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)-7s %(message)s"))
    _HANDLERS.append(handler)
    root.addHandler(handler)
    root.setLevel(level)
    # HiGHS logs every iteration at INFO through Pyomo's appsi wrapper.
    logging.getLogger("pyomo").setLevel(max(logging.WARNING, root.level))
    for noisy in ("distributed", "matplotlib", "fontTools", "numexpr"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, root.level))


def teardown_logging(root_level: int) -> None:
    """Remove the handlers :func:`setup_logging` added; restore the root level."""
    root = logging.getLogger()
    while _HANDLERS:
        handler = _HANDLERS.pop()
        root.removeHandler(handler)
        handler.close()
    root.setLevel(root_level)


def _is_sample(name: str) -> bool:
    from energymodel.scenario.uncertain import is_sample

    return is_sample(name)


def _eta(done: int, total: int, elapsed_s: float) -> str:
    """Time left at the pace so far, ``h:mm:ss`` (``?`` before the first run ends)."""
    if done == 0 or done >= total:
        return "?" if done == 0 else "0:00:00"
    left = round(elapsed_s / done * (total - done))
    return f"{left // 3600}:{left % 3600 // 60:02d}:{left % 60:02d}"


class LogProgress:
    """Plain progress: one log line per run (for logs, CI and pipes).

    Sampled runs of an uncertain scenario log a line every 5% (and each failure), with
    the runs done, failed and the time left.
    """

    def __init__(self, total: int) -> None:
        self.total = total
        self.count = 0
        self.failed = 0
        self.start = time.perf_counter()

    def started(self, name: str) -> None:
        """Log nothing: a line per finished run is enough."""
        logger.debug("started %s", name)

    def finished(self, summary: RunSummary) -> None:
        """Log ``[k/n] name status (seconds)``, a failure's reason, failures and time left."""
        self.count += 1
        self.failed += 0 if summary.ok else 1
        reason = f": {summary.error}" if summary.error else ""
        log = logger.info if summary.ok else logger.error
        step = max(1, self.total // 20)
        if (
            summary.ok
            and _is_sample(summary.name)
            and self.count % step
            and self.count < self.total
        ):
            return
        log(
            "[%d/%d] %s %s (%.1f s)%s [%d failed, %s left]",
            self.count,
            self.total,
            summary.name,
            summary.status,
            summary.seconds,
            reason,
            self.failed,
            _eta(self.count, self.total, time.perf_counter() - self.start),
        )


class RichProgress:
    """A rich progress bar: runs done, failed, elapsed and left, names running.

    One line per result above the bar, except for sampled runs that succeed (a thousand
    lines would hide the failures).
    """

    def __init__(self, progress: Progress, total: int) -> None:
        self.progress = progress
        self.running: list[str] = []
        self.failed = 0
        self.task: TaskID = progress.add_task("starting", total=total)

    def _describe(self) -> None:
        shown = ", ".join(self.running[:3])
        more = f" +{len(self.running) - 3}" if len(self.running) > 3 else ""
        failed = f"[red]{self.failed} failed[/] " if self.failed else ""
        running = f"running {shown}{more}" if shown else ""
        self.progress.update(self.task, description=f"{failed}{running}")

    def started(self, name: str) -> None:
        """Show the run as running."""
        self.running.append(name)
        self._describe()

    def finished(self, summary: RunSummary) -> None:
        """Print the run's status above the bar and advance it."""
        if summary.name in self.running:
            self.running.remove(summary.name)
        self.failed += 0 if summary.ok else 1
        if not (summary.ok and _is_sample(summary.name)):
            mark = {"optimal": "[green]✓[/]", "skipped": "[dim]=[/]"}.get(
                summary.status, "[red]✗[/]"
            )
            reason = f" [red]{summary.error}[/]" if summary.error else ""
            self.progress.console.print(
                f"{mark} {summary.name} [bold]{summary.status}[/] ({summary.seconds:.1f} s)"
                f"{reason}",
                markup=True,
                highlight=False,
            )
        self.progress.advance(self.task)
        self._describe()
