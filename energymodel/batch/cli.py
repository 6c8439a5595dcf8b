"""Command line: run, list or validate scenarios; combine results; build the report.

::

    python run_scenarios.py                      # every scenario in scenarios/, into results/
    python run_scenarios.py baseline grid_*      # by name or glob, or by path
    python run_scenarios.py --list               # the runs it would do (sweeps expanded)
    python run_scenarios.py --validate           # check scenarios and inputs, solve nothing
    python run_scenarios.py -j 4                 # parallel processes on this machine
    python run_scenarios.py --scheduler tcp://host:8786   # on a Dask cluster
    python run_scenarios.py baseline --set finance.wacc=0.12   # one-off override

Exit codes: 0 every run optimal (or up to date); 1 a run failed or stopped short of
optimal (or, with ``--validate``, a problem was found); 2 bad usage or invalid scenario
files (printed as the scenario module renders them, never as a traceback).
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from energymodel.batch.progress import (
    LogProgress,
    RichProgress,
    setup_logging,
    teardown_logging,
)
from energymodel.batch.select import UsageError, check_file, parse_sets, select_runs

if TYPE_CHECKING:
    from energymodel.batch.runner import BatchProgress, Runner, RunSummary
    from energymodel.scenario.schema import Scenario

logger = logging.getLogger(__name__)

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of ``run_scenarios.py``."""
    parser = argparse.ArgumentParser(
        prog="run_scenarios.py",
        description="Solve energymodel scenarios into a results folder.",
        epilog="Exit codes: 0 all good; 1 a scenario failed or did not reach optimal; "
        "2 bad usage or invalid scenario files.",
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
        "--report-only", action="store_true", help="only rebuild the report from --out"
    )
    parser.add_argument(
        "--set",
        dest="sets",
        action="append",
        default=[],
        metavar="KEY.PATH=VALUE",
        help="override a value in every selected scenario (repeatable)",
    )
    parser.add_argument(
        "--out", type=Path, default=Path("results"), help="results folder (default results/)"
    )
    parser.add_argument(
        "--scenarios-dir",
        type=Path,
        default=Path("scenarios"),
        help="folder of scenario files (default scenarios/)",
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


def _echo(text: str = "", *, err: bool = False) -> None:
    """Write user-facing CLI output (tables, problems) to stdout or stderr."""
    stream: TextIO = sys.stderr if err else sys.stdout
    stream.write(text + "\n")
    stream.flush()


def _format_sweep(values: dict[str, Any]) -> str:
    return ", ".join(f"{key}={value}" for key, value in values.items())


def _list_runs(runs: list[tuple[Path, Scenario]]) -> int:
    width = max((len(sc.name) for _, sc in runs), default=0)
    for path, sc in runs:
        sweep = _format_sweep({**sc.sweep_values, **sc.sample_values})
        _echo(f"{sc.name:<{width}}  {path}" + (f"  [{sweep}]" if sweep else ""))
    _echo(f"{len(runs)} run(s)")
    return EXIT_OK


# --- validate ---------------------------------------------------------------------------


def _validate(patterns: Sequence[str], scenarios_dir: Path, overrides: dict[str, Any]) -> int:
    """Check every selected scenario (and its inputs); print every problem."""
    from energymodel.scenario.load import find_scenarios

    paths = find_scenarios(list(patterns), scenarios_dir)
    n_problems = 0
    for path in paths:
        found, _ = check_file(path, scenarios_dir, overrides)
        problems = [str(p) for p in found]
        n_problems += len(problems)
        if problems:
            _echo(f"✗ {path}", err=True)
            for text in problems:
                _echo(f"  {text}", err=True)
        else:
            _echo(f"✓ {path}")
    _echo(f"{len(paths)} scenario file(s), {n_problems} problem(s)")
    return EXIT_FAILED if n_problems else EXIT_OK


# --- run --------------------------------------------------------------------------------


def _report(out: Path) -> Path | None:
    """Build the HTML report if the report module is available."""
    try:
        from energymodel.report.page import write_report
    except ImportError as err:
        logger.warning("no report: %s", err)
        return None
    return write_report(out)


def _finish_uncertain(
    out: Path, summaries: list[RunSummary], runs: list[Scenario]
) -> tuple[list[Path], dict[str, Any]]:
    """Combine and analyse each uncertain scenario; print what drives its break-even."""
    import xarray as xr

    from energymodel.batch.uncertainty import top_drivers, uncertain_groups, write_uncertainty
    from energymodel.compare import markdown_table

    ok = {s.name for s in summaries if s.ok}
    written: list[Path] = []
    analysed: dict[str, Any] = {}
    for group in uncertain_groups(runs):
        finished = [name for name in group.runs if name in ok]
        if not finished:
            continue
        paths = write_uncertainty(out, group, finished)
        written += paths
        ds = xr.load_dataset(paths[0])
        analysed[group.name] = ds
        table = top_drivers(ds)
        _echo(
            f"\n## {group.name}: what drives world break-even revenue in {table.attrs['year']} "
            f"({ds.attrs['method']}, {ds.sizes['sample']} of {ds.attrs['planned_runs']} runs)\n"
        )
        _echo(markdown_table(table.reset_index()))
    return written, analysed


def _finish(
    out: Path, summaries: list[RunSummary], *, no_report: bool, runs: list[Scenario] | None = None
) -> int:
    """Combine, summarise and report; print the headline table and the paths written."""
    from energymodel.batch.combine import combine, write_summary
    from energymodel.batch.uncertainty import write_iamc
    from energymodel.compare import headline, markdown_table
    from energymodel.scenario.uncertain import is_sample

    failed = [s for s in summaries if not s.ok]
    ok_names = [s.name for s in summaries if s.ok and not is_sample(s.name)]
    samples = [s for s in summaries if s.ok and is_sample(s.name)]
    written: list[Path] = [
        s.path for s in summaries if s.ok and s.path is not None and not is_sample(s.name)
    ]
    code = EXIT_FAILED if failed else EXIT_OK
    ds = None
    if ok_names:
        ds = combine(out, ok_names)
        _, summary_paths = write_summary(ds, out)
        written += [out / "all.nc", *summary_paths]
        table = headline(ds)
        _echo(f"\n## Headline figures, {table.attrs['year']}\n")
        _echo(markdown_table(table))
    analysed: dict[str, Any] = {}
    try:
        if samples and runs is not None:
            paths, analysed = _finish_uncertain(out, summaries, runs)
            written += paths
        if ds is not None or analysed:
            iamc = write_iamc(out, ds, analysed)
            written += [iamc] if iamc is not None else []
    except Exception as err:  # the runs are kept: a re-run redoes this step
        logger.error("uncertainty analysis or IAMC table failed: %s", err)
        logger.debug("analysis failed", exc_info=True)
        code = EXIT_FAILED
    if failed:
        _echo(f"{len(failed)} run(s) did not finish:", err=True)
        for s in failed[:20]:
            _echo(f"  {s.name}: {s.status}: {s.error}", err=True)
        if len(failed) > 20:
            _echo(f"  ... and {len(failed) - 20} more (see the log)", err=True)
    if written or samples:
        _echo("Written:")
        for path in written:
            _echo(f"  {path}")
        if samples:
            _echo(f"  {samples[0].path.parent if samples[0].path else out}/ "
                  f"({len(samples)} sampled runs)")  # fmt: skip
    if (ok_names or analysed) and not no_report:
        try:
            report = _report(out)
        except Exception as err:
            logger.error("report failed: %s", err)
            logger.debug("report failed", exc_info=True)
            return EXIT_FAILED
        if report is not None:
            _echo(f"Report: {report}")
    return code


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
    return _finish(args.out, summaries, no_report=args.no_report, runs=scenarios)


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
        _echo("error: --jobs must be at least 1", err=True)
        return EXIT_USAGE
    root_level = logging.getLogger().level
    setup_logging(args.log_level, None)
    try:
        return _main(args)
    finally:  # leave logging as found when main() runs inside a process (tests, notebooks)
        teardown_logging(root_level)


def _main(args: argparse.Namespace) -> int:
    """Dispatch to report, validate, list or run; turn expected errors into exit codes."""
    from energymodel.scenario.load import ScenarioError

    start = time.perf_counter()
    try:
        if args.report_only:
            if not args.out.is_dir():
                raise UsageError(f"no results folder {args.out}")
            report = _report(args.out)
            if report is None:
                return EXIT_FAILED
            _echo(f"Report: {report}")
            return EXIT_OK
        overrides = parse_sets(args.sets)
        if args.validate:
            return _validate(args.patterns, args.scenarios_dir, overrides)
        runs = select_runs(args.patterns, args.scenarios_dir, overrides)
        if args.list:
            return _list_runs(runs)
        if not runs:
            raise UsageError(f"no scenarios selected in {args.scenarios_dir}")
        code = _run(args, runs)
    except ScenarioError as err:
        _echo(str(err), err=True)
        return EXIT_USAGE
    except (UsageError, FileNotFoundError, ConnectionError, ValueError) as err:
        logger.debug("stopped", exc_info=True)
        _echo(f"error: {err}", err=True)
        return EXIT_USAGE
    except KeyboardInterrupt:
        _echo("interrupted: finished runs are kept; a re-run does the rest", err=True)
        return 130
    logger.debug("done in %.1f s", time.perf_counter() - start)  # the report path stays last
    return code
