"""Command line: run, list or validate scenarios; combine results; build the report.

::

    python run_scenarios.py                      # every scenario in scenarios/, into results/
    python run_scenarios.py baseline grid_*      # by name or glob, or by path
    python run_scenarios.py --list               # the runs it would do (sweeps expanded)
    python run_scenarios.py --validate           # check scenarios and inputs, solve nothing
    python run_scenarios.py -j 4                 # parallel processes on this machine
    python run_scenarios.py --scheduler tcp://host:8786   # on a Dask cluster
    python run_scenarios.py baseline --set finance.wacc=0.12   # run baseline__finance.wacc=0.12
    python run_scenarios.py --report-only        # rebuild all.nc, summaries, report from --out

The results folder is a store: runs accumulate, running a subset adds or updates those
runs, and ``all.nc``, ``summary.*``, ``iamc.csv`` and the report describe every run in
it. One batch at a time writes a folder (a second is refused, exit 2).

Exit codes: 0 every run optimal (or up to date); 1 a run failed or stopped short of
optimal, or a results file could not be written or read (or, with ``--validate``, a
problem was found); 2 bad usage, invalid scenario files or a results folder that cannot
be written (checked before any solve); 130 Ctrl-C, 143 SIGTERM (finished runs are kept).
Problems are printed as one-screen messages naming the file and the cause, never as a
traceback (``--log-level DEBUG`` logs the traceback too).
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import logging
import signal
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from energymodel.batch.finish import finish, rebuild
from energymodel.batch.progress import (
    EXIT_FAILED,
    EXIT_OK,
    EXIT_USAGE,
    LogProgress,
    RichProgress,
    echo,
    os_error_text,
    setup_logging,
    teardown_logging,
)
from energymodel.batch.select import (
    UsageError,
    check_file,
    parse_sets,
    select_runs,
    split_run_name,
)
from energymodel.fileio import ResultsWriteError
from energymodel.limits import capped_lines

if TYPE_CHECKING:
    from energymodel.batch.runner import BatchProgress, Runner, RunSummary
    from energymodel.scenario.schema import Scenario

logger = logging.getLogger(__name__)

EXIT_INTERRUPTED, EXIT_TERMINATED = 130, 143  # 128 + SIGINT, 128 + SIGTERM


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised in the main thread: the batch stops as on Ctrl-C."""


@contextlib.contextmanager
def _sigterm_stops_the_batch() -> Any:
    """Turn SIGTERM into :class:`Terminated` while the command runs (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: Any) -> None:
        raise Terminated

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of ``run_scenarios.py``."""
    parser = argparse.ArgumentParser(
        prog="run_scenarios.py",
        description="Solve energymodel scenarios into a results folder.",
        epilog="Exit codes: 0 all good; 1 a scenario failed or did not reach optimal, or a "
        "results file could not be written; 2 bad usage, invalid scenario files or an --out "
        "that cannot be written; 130 Ctrl-C, 143 SIGTERM (finished runs are kept).",
    )
    parser.add_argument(
        "patterns",
        nargs="*",
        metavar="SCENARIO",
        help="scenario names, globs (grid_*) or YAML paths (default: every scenario)",
    )
    what = parser.add_mutually_exclusive_group()
    what.add_argument("--list", action="store_true", help="print the runs, solve nothing")
    what.add_argument(
        "--validate",
        action="store_true",
        help="check the scenarios and their inputs, solve nothing (exit 1 on any problem)",
    )
    what.add_argument(
        "--report-only",
        action="store_true",
        help="solve nothing: rebuild all.nc, summary.*, iamc.csv and the report from every "
        "run in --out",
    )
    parser.add_argument(
        "--set",
        dest="sets",
        action="append",
        default=[],
        metavar="KEY.PATH=VALUE",
        help="override a value in every selected scenario (repeatable); the runs are named "
        "<scenario>__KEY.PATH=VALUE, or --set name=RUN_NAME for one scenario file",
    )
    parser.add_argument(
        "--out", type=Path, default=Path("results"), help="results folder (default results/)"
    )
    parser.add_argument(
        "--scenarios-dir",
        type=Path,
        default=None,
        help="folder of scenario files (default ./scenarios, else the project's scenarios/, "
        "as energymodel.load_scenario)",
    )
    parser.add_argument("-j", "--jobs", type=int, default=1, help="parallel processes (default 1)")
    parser.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="run on an existing Dask cluster (e.g. tcp://host:8786)",
    )
    parser.add_argument("--force", action="store_true", help="redo runs that are up to date")
    parser.add_argument(
        "--cold",
        action="store_true",
        help="solve every run from scratch (default: warm-start runs of the same LP "
        "structure from the last optimal basis of the worker)",
    )
    parser.add_argument(
        "--log-level",
        default="INFO",
        type=str.upper,
        choices=["DEBUG", "INFO", "WARNING", "ERROR"],
        help="logging level (default INFO)",
    )
    parser.add_argument("--no-report", action="store_true", help="do not build the report")
    # Test and benchmark hook (hidden): run another scenario -> Dataset function instead of
    # energymodel.api.run, e.g. ``--runner fake_runner:fake_run``. It must be importable
    # by the worker processes.
    parser.add_argument("--runner", metavar="MODULE:FUNCTION", help=argparse.SUPPRESS)
    return parser


def _load_runner(spec: str | None) -> Runner | None:
    """Import ``module:function`` (the hidden ``--runner`` option)."""
    if spec is None:
        return None
    module, _, name = spec.partition(":")
    if not module or not name:
        raise UsageError(f"--runner wants MODULE:FUNCTION, got {spec!r}")
    try:
        runner: Runner = getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError) as err:
        raise UsageError(f"cannot import runner {spec!r}: {err}") from None
    return runner


# --- output -----------------------------------------------------------------------------


def _format_sweep(values: dict[str, Any]) -> str:
    return ", ".join(f"{key}={value}" for key, value in values.items())


def _list_runs(runs: list[tuple[Path, Scenario]]) -> int:
    width = max((len(sc.name) for _, sc in runs), default=0)
    for path, sc in runs:
        sweep = _format_sweep({**sc.sweep_values, **sc.sample_values})
        echo(f"{sc.name:<{width}}  {path}" + (f"  [{sweep}]" if sweep else ""))
    echo(f"{len(runs)} run(s)")
    return EXIT_OK


# --- validate ---------------------------------------------------------------------------


def _validate(patterns: Sequence[str], scenarios_dir: Path, overrides: dict[str, Any]) -> int:
    """Check every selected scenario (and its inputs); print every problem."""
    from energymodel.scenario.load import find_scenarios

    overrides, run_name = split_run_name(overrides)
    paths = find_scenarios(list(patterns), scenarios_dir)
    if not paths:  # "0 problems" would read as "all good"
        what = "" if scenarios_dir.is_dir() else " (no such folder)"
        raise UsageError(f"no scenario files in {scenarios_dir}{what}")
    n_problems = 0
    for path in paths:
        found, _ = check_file(path, scenarios_dir, overrides, run_name)
        n_problems += len(found)
        if found:
            echo(f"✗ {path}", err=True)
            for text in capped_lines(found, "  "):
                echo(text, err=True)
        else:
            echo(f"✓ {path}")
    echo(f"{len(paths)} scenario file(s), {n_problems:,} problem(s)")
    return EXIT_FAILED if n_problems else EXIT_OK


# --- run --------------------------------------------------------------------------------


def _run(args: argparse.Namespace, runs: list[tuple[Path, Scenario]]) -> int:
    from energymodel.batch.runner import run_batch

    scenarios = [sc for _, sc in runs]
    runner = _load_runner(args.runner)

    def batch(progress: BatchProgress) -> list[RunSummary]:
        return run_batch(
            scenarios,
            args.out,
            jobs=args.jobs,
            scheduler=args.scheduler,
            force=args.force,
            runner=runner,
            progress=progress,
            warm=not args.cold,
        )

    if sys.stdout.isatty():
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            SpinnerColumn,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        console = Console()
        setup_logging(args.log_level, console)
        with Progress(
            SpinnerColumn(),
            MofNCompleteColumn(),
            BarColumn(),
            TimeElapsedColumn(),
            TextColumn("left"),
            TimeRemainingColumn(),
            TextColumn("{task.description}"),
            console=console,
        ) as bar:
            summaries = batch(RichProgress(bar, len(scenarios)))
    else:
        summaries = batch(LogProgress(len(scenarios)))
    return finish(args.out, summaries, no_report=args.no_report, runs=scenarios)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the process exit code.

    Parameters
    ----------
    argv
        Arguments without the program name (default ``sys.argv[1:]``).

    Returns
    -------
    int
        0 all good; 1 a run failed or was not optimal (``--validate``: a problem found);
        2 bad usage or invalid scenario files.
    """
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:  # argparse prints its own message; 0 for --help
        return int(exit_.code or 0)
    if args.jobs < 1:
        echo("error: --jobs must be at least 1", err=True)
        return EXIT_USAGE
    root_level = logging.getLogger().level
    setup_logging(args.log_level, None)
    once, folder_log = _Once(), logging.getLogger("energymodel.compare.folder")
    folder_log.addFilter(once)  # a stray file is named once, not by every reader
    try:
        with _sigterm_stops_the_batch():
            return _main(args)
    finally:  # leave logging as found when main() runs inside a process (tests, notebooks)
        folder_log.removeFilter(once)
        teardown_logging(root_level)


class _Once(logging.Filter):
    """Let each distinct message through once (the store is read by combine and report)."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: set[str] = set()

    def filter(self, record: logging.LogRecord) -> bool:
        text = record.getMessage()
        if text in self.seen:
            return False
        self.seen.add(text)
        return True


@contextlib.contextmanager
def _locked(out: Path, lock: Any, busy: type[Exception]) -> Any:
    """Hold ``out``'s lock; another batch holding it is a usage error (nothing is run)."""
    try:
        with lock(out):
            yield
    except busy as err:
        raise UsageError(f"{err}; nothing was run") from None


def _main(args: argparse.Namespace) -> int:
    """Dispatch to report, validate, list or run; turn expected errors into exit codes."""
    from energymodel.batch.lock import FolderBusyError, lock_out_dir
    from energymodel.batch.store import prepare_out_dir
    from energymodel.scenario.load import ScenarioError
    from energymodel.scenario.resolve import default_scenarios_dir

    start = time.perf_counter()
    args.scenarios_dir = (args.scenarios_dir or default_scenarios_dir()).resolve()
    try:
        if args.report_only:
            if not args.out.is_dir():
                raise UsageError(f"no results folder {args.out}")
            with _locked(args.out, lock_out_dir, FolderBusyError):
                return rebuild(args.out, no_report=args.no_report)
        overrides = parse_sets(args.sets)
        if args.validate:
            return _validate(args.patterns, args.scenarios_dir, overrides)
        runs = select_runs(args.patterns, args.scenarios_dir, overrides)
        if args.list:
            return _list_runs(runs)
        if not runs:
            what = "" if args.scenarios_dir.is_dir() else " (no such folder)"
            raise UsageError(f"no scenarios selected in {args.scenarios_dir}{what}")
        try:
            prepare_out_dir(args.out)  # before any solve
        except ResultsWriteError as err:
            raise UsageError(f"{err}; nothing was run") from None
        with _locked(args.out, lock_out_dir, FolderBusyError):
            code = _run(args, runs)
    except ScenarioError as err:
        echo(str(err), err=True)
        return EXIT_USAGE
    except (UsageError, FileNotFoundError, ConnectionError, ValueError) as err:
        logger.debug("stopped", exc_info=True)
        echo(f"error: {err}", err=True)
        return EXIT_USAGE
    except OSError as err:  # reading or writing results: the path and the cause
        logger.debug("stopped", exc_info=True)
        echo(f"error: {os_error_text(err)}; earlier results are kept", err=True)
        return EXIT_FAILED
    except KeyboardInterrupt as stop:
        how = "terminated (SIGTERM)" if isinstance(stop, Terminated) else "interrupted"
        echo(f"{how}: finished runs are kept; a re-run does the rest", err=True)
        return EXIT_TERMINATED if isinstance(stop, Terminated) else EXIT_INTERRUPTED
    logger.debug("done in %.1f s", time.perf_counter() - start)  # the report path stays last
    return code
