"""Run many scenarios: in this process, in a process pool or on a Dask cluster.

Every run goes through :func:`run_one`, a pure worker function: it takes a (picklable)
scenario, runs it, writes ``<out_dir>/<name>.nc`` atomically and returns a
:class:`RunSummary`. :func:`run_batch` only decides *where* ``run_one`` runs, so a
process pool and a Dask cluster produce the same files.

Files and their hashes: :mod:`energymodel.batch.store`. With ``scheduler`` the Dask
workers must see ``out_dir`` (and the inputs) at the same paths (a shared file system).

Pools, Dask and workers that die: :mod:`energymodel.batch.pool`; what became of a run:
:mod:`energymodel.batch.summary`.
"""

from __future__ import annotations

import logging
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

import xarray as xr

from energymodel.batch.lock import lock_out_dir
from energymodel.batch.pool import Item, run_in_pool, run_on_dask
from energymodel.batch.store import (
    SAMPLES_DIR,
    clean_stale_tmp,
    input_hash,
    inputs_digest,
    is_up_to_date,
    prepare_out_dir,
    result_path,
    write_atomic,
)
from energymodel.batch.summary import (
    BatchProgress,
    RunSummary,
    report,
    short_error,
)
from energymodel.compare import SWEEP_PREFIX
from energymodel.compare.folder import results_subdir
from energymodel.compare.samples import reduce_sample
from energymodel.results.verdict import check_warning
from energymodel.scenario.uncertain import SAMPLE_PREFIX, is_sample

if TYPE_CHECKING:
    from energymodel.scenario.schema import Scenario

logger = logging.getLogger(__name__)

Runner = Callable[["Scenario"], xr.Dataset]
"""Turns a scenario into its results Dataset (default :func:`energymodel.api.run`)."""

# --- one run ----------------------------------------------------------------------------


def _attr_safe(value: Any) -> Any:
    """Turn a swept value into something netCDF can store as an attribute."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int | float | str):
        return value
    return str(value)


def _is_optimal(ds: xr.Dataset) -> tuple[bool, str]:
    """Read the solver outcome from the results' attributes."""
    termination = str(ds.attrs.get("termination", "optimal"))
    if "optimal" in ds.attrs:
        return bool(int(ds.attrs["optimal"])), termination
    return termination == "optimal", termination


def _checked(ds: xr.Dataset) -> xr.Dataset:
    """Never report (or write) results holding inf or NaN as optimal, whatever the runner."""
    from energymodel.results import flag_nonfinite

    return flag_nonfinite(ds)


def _default_runner() -> Runner:
    """Return :func:`energymodel.api.run` (imported late: the LP stack is heavy)."""
    from energymodel.api import run

    return run


def run_one(
    sc: Scenario,
    out_dir: str | Path,
    expected_hash: str | None = None,
    runner: Runner | None = None,
    *,
    warm: bool = True,
    inputs_hash: str | None = None,
) -> RunSummary:
    """Run one scenario and write its results; never raises for a failed run.

    Parameters
    ----------
    sc
        The scenario (one run: sweeps already expanded).
    out_dir
        Results folder; the file is ``<out_dir>/<sc.name>.nc``.
    expected_hash
        The :func:`input_hash` to store (computed here when None).
    runner
        Scenario -> results Dataset; default :func:`energymodel.api.run`. Must be a
        module-level function when runs go to other processes or to Dask.
    warm
        Start HiGHS from the last optimal basis this process kept for an LP of the same
        structure (:func:`energymodel.solve.set_warm_start`); False solves cold.
    inputs_hash
        The digest of the inputs alone (:func:`inputs_digest`; computed here when None),
        stored as ``attrs["inputs_hash"]``.

    Returns
    -------
    RunSummary
        ``"optimal"`` with the path written; the termination if the solver stopped short
        (nothing written); ``"failed"`` with the reason if anything raised.
    """
    # HiGHS logs every iteration at INFO through Pyomo: quiet it in every worker.
    logging.getLogger("pyomo").setLevel(max(logging.WARNING, logging.getLogger().level))
    start = time.perf_counter()
    try:
        from energymodel.solve import set_warm_start

        set_warm_start(warm)  # per process: a pool or Dask worker keeps its bases
        run = runner if runner is not None else _default_runner()
        if expected_hash is None:
            expected_hash = input_hash(sc)
        with _quiet("energymodel.check"):  # the batch reports the verdict itself
            ds = _checked(run(sc))
        optimal, termination = _is_optimal(ds)
        if not optimal:
            advice = str(ds.attrs.get("advice") or "")
            return RunSummary(
                sc.name,
                termination,
                None,
                advice or f"solver stopped without an optimum: {termination}",
                time.perf_counter() - start,
            )
        ds.attrs.setdefault("scenario", sc.name)
        for key, value in sc.sweep_values.items():
            ds.attrs.setdefault(f"{SWEEP_PREFIX}{key}", _attr_safe(value))
        if sc.sample is not None:  # a sampled run keeps no hourly detail
            ds = reduce_sample(ds)
            ds.attrs["sample"] = sc.sample
            for key, value in sc.sample_values.items():
                ds.attrs[f"{SAMPLE_PREFIX}{key}"] = _attr_safe(value)
        ds.attrs["input_hash"] = expected_hash
        ds.attrs["inputs_hash"] = inputs_hash if inputs_hash is not None else inputs_digest(sc)
        path = result_path(Path(out_dir), sc.name)
        if path.parent != Path(out_dir):  # samples/: never a symbolic link
            results_subdir(out_dir, path.parent.name)
        path = write_atomic(ds, path)
        return RunSummary(
            sc.name,
            "optimal",
            path,
            None,
            time.perf_counter() - start,
            warning=check_warning(ds.attrs),
        )
    except Exception as err:  # noqa: BLE001  # one failed run must not stop the batch
        return RunSummary(
            sc.name,
            "failed",
            None,
            short_error(err),
            time.perf_counter() - start,
            traceback.format_exc(),
        )


@contextmanager
def _quiet(name: str) -> Iterator[None]:
    """Warnings of logger ``name`` off for the block (the batch reports them once)."""
    log = logging.getLogger(name)
    level = log.level
    log.setLevel(logging.ERROR)
    try:
        yield
    finally:
        log.setLevel(level)


# --- many runs --------------------------------------------------------------------------


def run_batch(
    runs: list[Scenario],
    out_dir: str | Path,
    *,
    jobs: int = 1,
    scheduler: str | None = None,
    force: bool = False,
    runner: Runner | None = None,
    progress: BatchProgress | None = None,
    warm: bool = True,
) -> list[RunSummary]:
    """Run every scenario, writing ``<out_dir>/<name>.nc`` as each one finishes.

    Parameters
    ----------
    runs
        Scenarios to run (sweeps expanded; names must be unique).
    out_dir
        Results folder (created if needed).
    jobs
        Processes on this machine; 1 runs in this process.
    scheduler
        Address of a Dask scheduler (``tcp://host:8786``); overrides ``jobs``.
    force
        Run even when the result file is up to date.
    runner
        Scenario -> results Dataset (default :func:`energymodel.api.run`); a
        module-level function when ``jobs > 1`` or ``scheduler`` is given.
    progress
        Receives ``started`` / ``finished`` events.
    warm
        Warm-start each worker's solves from its last optimal basis of the same LP
        structure (runs that differ only in numbers); False: every solve cold.

    Returns
    -------
    list of RunSummary
        One per run, in the order of ``runs``.

    Raises
    ------
    ValueError
        If two runs share a name (they would write the same file).
    ConnectionError
        If the Dask scheduler cannot be reached.
    energymodel.fileio.ResultsWriteError
        If ``out_dir`` cannot be created or written (checked before any run).
    energymodel.batch.lock.FolderBusyError
        If another batch is writing ``out_dir`` (:func:`lock_out_dir`).
    """
    names = [sc.name for sc in runs]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise ValueError(f"runs share a name (one file each): {', '.join(duplicates)}")
    out = prepare_out_dir(out_dir)
    if any(is_sample(sc.name) for sc in runs):  # before any solve, not once per sample
        results_subdir(out, SAMPLES_DIR)
    with lock_out_dir(out):
        clean_stale_tmp(out)
        done = _run_locked(runs, out, jobs, scheduler, force, runner, progress, warm)
    return [done[name] for name in names]


def _run_locked(
    runs: list[Scenario],
    out: Path,
    jobs: int,
    scheduler: str | None,
    force: bool,
    runner: Runner | None,
    progress: BatchProgress | None,
    warm: bool,
) -> dict[str, RunSummary]:
    """:func:`run_batch` once the folder is checked and locked."""
    done: dict[str, RunSummary] = {}
    todo: list[Item] = []
    cache: dict[str, str] = {}
    for sc in runs:
        start = time.perf_counter()
        try:
            digest = input_hash(sc, cache=cache)
        except Exception as err:  # noqa: BLE001  # recorded like any failed run
            summary = RunSummary(
                sc.name,
                "failed",
                None,
                short_error(err),
                time.perf_counter() - start,
                traceback.format_exc(),
            )
            done[sc.name] = summary
            report(progress, summary)
            continue
        path = result_path(out, sc.name)
        if not force and is_up_to_date(path, digest, sc.name):
            done[sc.name] = RunSummary(sc.name, "skipped", path, None, time.perf_counter() - start)
            report(progress, done[sc.name])
        else:
            todo.append((sc, digest, inputs_digest(sc, cache=cache)))

    worker = partial(_run_worker, out_dir=str(out), runner=runner, warm=warm)
    if scheduler is not None and todo:
        done.update(run_on_dask(todo, worker, scheduler, progress))
    elif jobs > 1 and len(todo) > 1:
        done.update(run_in_pool(todo, worker, min(jobs, len(todo)), progress))
    else:
        for sc, digest, inputs in todo:
            if progress is not None:
                progress.started(sc.name)
            done[sc.name] = worker(sc, digest, inputs)
            report(progress, done[sc.name])
    return done


def _run_worker(
    sc: Scenario,
    expected_hash: str,
    inputs_hash: str,
    *,
    out_dir: str,
    runner: Runner | None,
    warm: bool = True,
) -> RunSummary:
    """Adapt :func:`run_one` to the ``(scenario, hash, inputs hash)`` call of the executors."""
    return run_one(sc, out_dir, expected_hash, runner, warm=warm, inputs_hash=inputs_hash)
