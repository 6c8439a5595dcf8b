"""The end of a batch: combine, analyse sampled runs, the IAMC table, the report; print.

A results folder is a store: ``all.nc``, ``summary.*``, ``iamc.csv`` and the report
describe every run in the folder (this batch's and earlier batches'), as
:func:`energymodel.compare.read_results` finds them. ``--report-only`` rebuilds them all
(:func:`rebuild`) without solving.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from energymodel.batch.progress import EXIT_FAILED, EXIT_OK, echo, os_error_text
from energymodel.fileio import ResultsWriteError

if TYPE_CHECKING:
    from energymodel.batch.runner import RunSummary
    from energymodel.scenario.schema import Scenario

logger = logging.getLogger("energymodel.batch.cli")


def build_report(out: Path) -> Path | None:
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
        echo(
            f"\n## {group.name}: what drives world break-even revenue in {table.attrs['year']} "
            f"({ds.attrs['method']}, {ds.sizes['sample']} of {ds.attrs['planned_runs']} runs)\n"
        )
        echo(markdown_table(table.reset_index()))
    return written, analysed


def _stored_uncertain(out: Path, skip: set[str]) -> dict[str, Any]:
    """The uncertainty analyses of earlier batches (``uncertainty/<name>.nc``) for iamc.csv."""
    import xarray as xr

    from energymodel.batch.uncertainty import UNCERTAINTY_DIR

    folder = out / UNCERTAINTY_DIR
    found: dict[str, Any] = {}
    if folder.is_symlink() or not folder.is_dir():
        return found
    for path in sorted(folder.glob("*.nc")):
        if path.stem in skip or path.is_symlink():
            continue
        try:
            ds = xr.load_dataset(path)
        except (OSError, ValueError) as err:
            logger.warning("skipping unreadable uncertainty file %s: %s", path, err)
            continue
        if "sample" in ds.dims and "world_break_even_revenue_musd" in ds:
            found[path.stem] = ds
        else:
            logger.warning("skipping %s: not an energymodel uncertainty analysis", path)
    return found


def _combine_store(out: Path, batch: list[str] | None) -> Any:
    """``all.nc`` and ``summary.*`` from every run of the store; print the headline of the
    batch's runs (``batch``: their names; None: every run)."""
    from energymodel.batch.combine import combine, write_summary
    from energymodel.compare import headline, markdown_table
    from energymodel.compare.headline import HEADLINE_COLUMNS, mark_shed

    try:
        ds = combine(out)
    except FileNotFoundError:  # no run in the folder (an uncertainty batch only)
        return None, []
    _, summary_paths = write_summary(ds, out)
    stored = [str(s) for s in ds["scenario"].values]
    shown = stored if batch is None else [n for n in stored if n in batch]
    if earlier := len(stored) - len(shown):
        echo(f"\nall.nc, summary and report: {len(stored)} runs ({earlier} from earlier "
             f"batches in {out})")  # fmt: skip
    if not shown:
        return ds, [out / "all.nc", *summary_paths]
    table = headline(ds.sel(scenario=shown), columns=(*HEADLINE_COLUMNS, "shed"))
    echo(f"\n## Headline figures, {table.attrs['year']}\n")
    echo(markdown_table(mark_shed(table)))  # cost per token "with demand shed" where so
    return ds, [out / "all.nc", *summary_paths]


def rebuild(out: Path, *, no_report: bool = False) -> int:
    """Rebuild ``all.nc``, ``summary.*``, ``iamc.csv`` and the report from the whole store.

    Nothing is solved (``--report-only``). Returns the exit code.
    """
    from energymodel.batch.uncertainty import write_iamc

    written: list[Path] = []
    try:
        ds, paths = _combine_store(out, None)
        written += paths
        analysed = _stored_uncertain(out, set())
        if ds is not None or analysed:
            iamc = write_iamc(out, ds, analysed)
            written += [iamc] if iamc is not None else []
    except ResultsWriteError as err:
        echo(f"error: {err}; each run's own file is kept", err=True)
        return EXIT_FAILED
    except Exception as err:  # runs that cannot be combined (e.g. an odd older file)
        logger.debug("rebuild failed", exc_info=True)
        echo(f"error: the runs in {out} cannot be combined ({err}); each run's own file is "
             "kept", err=True)  # fmt: skip
        return EXIT_FAILED
    if written:
        echo("Written:")
        for path in written:
            echo(f"  {path}")
    if no_report:
        return EXIT_OK
    report = build_report(out)
    if report is None:
        return EXIT_FAILED
    echo(f"Report: {report}")
    return EXIT_OK


def finish(
    out: Path, summaries: list[RunSummary], *, no_report: bool, runs: list[Scenario] | None = None
) -> int:
    """Combine, summarise and report the whole store; print this batch's headline table."""
    from energymodel.batch.uncertainty import write_iamc
    from energymodel.scenario.uncertain import is_sample

    failed = [s for s in summaries if not s.ok]
    ok_names = [s.name for s in summaries if s.ok and not is_sample(s.name)]
    samples = [s for s in summaries if s.ok and is_sample(s.name)]
    written: list[Path] = [
        s.path for s in summaries if s.ok and s.path is not None and not is_sample(s.name)
    ]
    code = EXIT_FAILED if failed else EXIT_OK
    ds = None
    try:
        ds, paths = _combine_store(out, [s.name for s in summaries if s.ok])
    except ResultsWriteError as err:
        logger.debug("combine failed", exc_info=True)
        echo(f"error: {err}; each run's own file is kept", err=True)
        code, ok_names = EXIT_FAILED, []
    except Exception as err:  # runs that cannot be combined (e.g. an odd older file)
        logger.debug("combine failed", exc_info=True)
        echo(f"error: the runs in {out} cannot be combined into all.nc ({err}); each "
             "run's own file is kept", err=True)  # fmt: skip
        code, ok_names = EXIT_FAILED, []
    else:
        written += paths
    analysed: dict[str, Any] = {}
    try:
        if samples and runs is not None:
            paths, analysed = _finish_uncertain(out, summaries, runs)
            written += paths
        stored = _stored_uncertain(out, set(analysed))
        if ds is not None or analysed or stored:
            iamc = write_iamc(out, ds, analysed | stored)
            written += [iamc] if iamc is not None else []
    except ResultsWriteError as err:
        echo(f"error: {err}; each run's own file is kept", err=True)
        code = EXIT_FAILED
    except Exception as err:  # the runs are kept: a re-run redoes this step
        logger.error("uncertainty analysis or IAMC table failed: %s", err)
        logger.debug("analysis failed", exc_info=True)
        code = EXIT_FAILED
    if failed:
        echo(f"{len(failed)} run(s) did not finish:", err=True)
        for s in failed[:20]:
            echo(f"  {s.name}: {s.status}: {s.error}", err=True)
        if len(failed) > 20:
            echo(f"  ... and {len(failed) - 20} more (see the log)", err=True)
        kept = [s.name for s in failed if (out / f"{s.name}.nc").is_file()]
        if kept:
            echo(f"  earlier results of {', '.join(kept[:10])} are still in {out} (and in "
                 "all.nc): they do not reflect this batch's settings", err=True)  # fmt: skip
    if written or samples:
        echo("Written:")
        for path in written:
            echo(f"  {path}")
        if samples:
            echo(f"  {samples[0].path.parent if samples[0].path else out}/ "
                  f"({len(samples)} sampled runs)")  # fmt: skip
    if (ds is not None or ok_names or analysed) and not no_report:
        try:
            report = build_report(out)
        except OSError as err:
            logger.debug("report failed", exc_info=True)
            echo(f"error: no report: {os_error_text(err)}", err=True)
            return EXIT_FAILED
        except Exception as err:
            logger.error("report failed: %s", err)
            logger.debug("report failed", exc_info=True)
            return EXIT_FAILED
        if report is not None:
            echo(f"Report: {report}")
    return code
