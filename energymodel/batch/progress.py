"""What a batch shows while it runs: log lines, or a rich progress bar on a terminal."""

from __future__ import annotations

import logging
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import Progress, TaskID

    from energymodel.batch.runner import RunSummary

logger = logging.getLogger("energymodel.batch.cli")
_HANDLERS: list[logging.Handler] = []


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


class LogProgress:
    """Plain progress: one log line per run (for logs, CI and pipes)."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.count = 0

    def started(self, name: str) -> None:
        """Log nothing: a line per finished run is enough."""
        logger.debug("started %s", name)

    def finished(self, summary: RunSummary) -> None:
        """Log ``[k/n] name status (seconds)`` and the reason of a failure."""
        self.count += 1
        reason = f": {summary.error}" if summary.error else ""
        log = logger.info if summary.ok else logger.error
        log(
            "[%d/%d] %s %s (%.1f s)%s",
            self.count,
            self.total,
            summary.name,
            summary.status,
            summary.seconds,
            reason,
        )


class RichProgress:
    """A rich progress bar: runs done, elapsed time, names running, one line per result."""

    def __init__(self, progress: Progress, total: int) -> None:
        self.progress = progress
        self.running: list[str] = []
        self.task: TaskID = progress.add_task("starting", total=total)

    def _describe(self) -> None:
        shown = ", ".join(self.running[:3])
        more = f" +{len(self.running) - 3}" if len(self.running) > 3 else ""
        self.progress.update(self.task, description=f"running {shown}{more}" if shown else "")

    def started(self, name: str) -> None:
        """Show the run as running."""
        self.running.append(name)
        self._describe()

    def finished(self, summary: RunSummary) -> None:
        """Print the run's status above the bar and advance it."""
        if summary.name in self.running:
            self.running.remove(summary.name)
        mark = {"optimal": "[green]✓[/]", "skipped": "[dim]=[/]"}.get(summary.status, "[red]✗[/]")
        reason = f" [red]{summary.error}[/]" if summary.error else ""
        self.progress.console.print(
            f"{mark} {summary.name} [bold]{summary.status}[/] ({summary.seconds:.1f} s){reason}",
            markup=True,
            highlight=False,
        )
        self.progress.advance(self.task)
        self._describe()
