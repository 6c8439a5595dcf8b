"""Run many scenarios: in this process, in a process pool or on a Dask cluster.

Every run goes through :func:`run_one`, a pure worker function: it takes a (picklable)
scenario, runs it, writes ``<out_dir>/<name>.nc`` atomically and returns a
:class:`RunSummary`. :func:`run_batch` only decides *where* ``run_one`` runs, so a
process pool and a Dask cluster produce the same files.

Files and their hashes: :mod:`energymodel.batch.store`. With ``scheduler`` the Dask
workers must see ``out_dir`` (and the inputs) at the same paths (a shared file system).

A worker process that dies (killed, or out of memory) fails only its run: the pool is
started again and the batch goes on. When several runs were in flight, each is run again
on its own, so only the run that kills its worker is reported failed. Workers end when
the batch process dies, however it dies (``prctl(PR_SET_PDEATHSIG)`` on Linux, and a
thread watching the batch process everywhere).
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import signal
import sys
import threading
import time
import traceback
from collections import deque
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import xarray as xr

from energymodel.batch.store import (
    clean_stale_tmp,
    input_hash,
    inputs_digest,
    is_up_to_date,
    lock_out_dir,
    prepare_out_dir,
    result_path,
    write_atomic,
)
from energymodel.compare import SWEEP_PREFIX
from energymodel.compare.folder import results_subdir
from energymodel.compare.samples import reduce_sample
from energymodel.fileio import ResultsWriteError
from energymodel.scenario import ScenarioError
from energymodel.scenario.uncertain import SAMPLE_PREFIX

if TYPE_CHECKING:
    from energymodel.scenario.schema import Scenario

logger = logging.getLogger(__name__)

Runner = Callable[["Scenario"], xr.Dataset]
"""Turns a scenario into its results Dataset (default :func:`energymodel.api.run`)."""

_ERROR_CHARS = 300


@dataclass(frozen=True)
class RunSummary:
    """What became of one run.

    Attributes
    ----------
    name
        Scenario (run) name.
    status
        ``"optimal"``, ``"skipped"`` (up to date), ``"failed"`` (an error) or the
        solver's termination when it did not reach optimality (no file is written).
    path
        The ``.nc`` written or kept, else None.
    error
        A one-paragraph reason when the run did not succeed, else None.
    seconds
        Wall time of the run.
    traceback
        The full traceback of a failure (logged at DEBUG), else None.
    """

    name: str
    status: str
    path: Path | None = None
    error: str | None = None
    seconds: float = 0.0
    traceback: str | None = field(default=None, repr=False, compare=False)

    @property
    def ok(self) -> bool:
        """True when the run has a current, optimal result file."""
        return self.status in ("optimal", "skipped")


class BatchProgress(Protocol):
    """Receives batch events in the calling process (for a progress bar or log)."""

    def started(self, name: str) -> None:
        """Note that a run was handed to a worker."""

    def finished(self, summary: RunSummary) -> None:
        """Note that a run ended (or was skipped)."""


# --- one run ----------------------------------------------------------------------------


def _attr_safe(value: Any) -> Any:
    """Turn a swept value into something netCDF can store as an attribute."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int | float | str):
        return value
    return str(value)


def _short_error(err: BaseException) -> str:
    """One readable reason: the scenario module's own text, else type and first lines."""
    if isinstance(err, ScenarioError | ResultsWriteError):
        return str(err)
    text = str(err).strip() or type(err).__name__
    text = f"{type(err).__name__}: {text}"
    return text if len(text) <= _ERROR_CHARS else text[: _ERROR_CHARS - 3] + "..."


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
        return RunSummary(sc.name, "optimal", path, None, time.perf_counter() - start)
    except Exception as err:  # noqa: BLE001  # one failed run must not stop the batch
        return RunSummary(
            sc.name,
            "failed",
            None,
            _short_error(err),
            time.perf_counter() - start,
            traceback.format_exc(),
        )


# --- many runs --------------------------------------------------------------------------


def _report(progress: BatchProgress | None, summary: RunSummary) -> None:
    if summary.traceback:
        logger.debug("%s failed:\n%s", summary.name, summary.traceback)
    if progress is not None:
        progress.finished(summary)


def _pool_context() -> multiprocessing.context.BaseContext:
    """Forkserver where available (no fork of a threaded parent), else spawn.

    The fork server imports energymodel once; every worker forks from it ready to run.
    """
    if "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["energymodel.batch.runner", "energymodel.api"])
        return ctx
    return multiprocessing.get_context("spawn")


PARENT_POLL_S = 0.5
"""How often a worker checks that the batch process is still alive."""


def _exit_with_parent(batch_pid: int) -> None:
    """Pool initializer: end this worker when the batch process ``batch_pid`` dies.

    On Linux the kernel sends SIGKILL when the worker's parent (the fork server, which
    ends with the batch) exits; a daemon thread also checks the batch process itself.
    """
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            import ctypes

            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    threading.Thread(target=_watch_parent, args=(batch_pid,), daemon=True).start()


def _watch_parent(batch_pid: int) -> None:
    """Exit this process as soon as ``batch_pid`` no longer runs."""
    from energymodel.batch.store import _pid_alive

    while True:
        if not _pid_alive(batch_pid):
            os._exit(1)
        time.sleep(PARENT_POLL_S)


def _collect(
    name: str, future: Any, done: dict[str, RunSummary], progress: BatchProgress | None
) -> None:
    """Record a finished future's summary; a worker that died or was killed is a failure."""
    try:
        summary = future.result()
    except Exception as err:  # noqa: BLE001  # e.g. a worker process that died, KilledWorker
        summary = RunSummary(name, "failed", None, _short_error(err))
    done[name] = summary
    _report(progress, summary)


WORKER_DIED = (
    "its worker process died (killed by a signal, or out of memory?); "
    "the other runs went on without it"
)
"""The reason given for a run whose worker process ended abruptly."""

WORKERS_DIE_AT_START = "the worker processes die as they start; no run could be done"
MAX_IDLE_DEATHS = 3
"""Pools in a row whose workers die with no run in flight before the batch gives up."""

_Item = tuple["Scenario", str, str]
"""One run to do: the scenario, its content hash and its inputs' hash."""


def _run_in_pool(
    todo: list[_Item],
    worker: Callable[[Scenario, str, str], RunSummary],
    jobs: int,
    progress: BatchProgress | None,
) -> dict[str, RunSummary]:
    """Run on a process pool, at most ``jobs`` at a time (so "started" is true).

    A worker that dies breaks the pool: the runs that were in flight are taken out, a new
    pool starts, and each of them runs again alone (a run alone that kills its worker is
    the one to blame: it is reported failed). The other runs are not affected.
    """
    done: dict[str, RunSummary] = {}
    queue: deque[_Item] = deque(todo)
    alone: deque[_Item] = deque()  # in flight when a worker died: run again, one at a time
    started: set[str] = set()
    idle_deaths = 0  # pools broken with no run in flight: workers that die at start
    while queue or alone:
        if idle_deaths >= MAX_IDLE_DEATHS:
            for item in [*alone, *queue]:
                summary = RunSummary(item[0].name, "failed", None, WORKERS_DIE_AT_START)
                done[summary.name] = summary
                _report(progress, summary)
            break
        running: dict[Future[RunSummary], tuple[_Item, bool]] = {}
        pool = ProcessPoolExecutor(
            max_workers=jobs,
            mp_context=_pool_context(),
            initializer=_exit_with_parent,
            initargs=(os.getpid(),),
        )
        try:
            broken = False
            while not broken and (queue or alone or running):
                try:
                    if alone:  # wait for the pool to empty, then one run on its own
                        if not running:
                            future = pool.submit(worker, *alone[0])
                            running[future] = (alone.popleft(), True)
                    else:
                        while queue and len(running) < jobs:
                            name = queue[0][0].name
                            future = pool.submit(worker, *queue[0])
                            running[future] = (queue.popleft(), False)
                            if progress is not None and name not in started:
                                progress.started(name)
                            started.add(name)
                except BrokenProcessPool:  # a worker died since the last wait: not submitted
                    broken = True
                    break
                finished, _ = wait(running, return_when=FIRST_COMPLETED)
                broken = any(isinstance(f.exception(), BrokenProcessPool) for f in finished)
                if not broken:
                    for future in finished:
                        _collect(running.pop(future)[0][0].name, future, done, progress)
            if broken:
                pool.shutdown(wait=True)  # every future in flight is now done or broken
                idle_deaths = 0 if running else idle_deaths + 1
                _after_a_death(running, alone, done, progress)
        except BaseException:  # Ctrl-C, SIGTERM (see cli), or a bug: end the workers too
            _stop_workers(pool)
            raise
        pool.shutdown(wait=True)
    return done


def _after_a_death(
    running: dict[Future[RunSummary], tuple[_Item, bool]],
    alone: deque[_Item],
    done: dict[str, RunSummary],
    progress: BatchProgress | None,
) -> None:
    """Sort the runs in flight when a worker died: finished, to blame, or to run again."""
    suspects = []
    for future, (item, isolated) in running.items():
        if isinstance(future.exception(), BrokenProcessPool):
            suspects.append((item, isolated))
        else:
            _collect(item[0].name, future, done, progress)
    for item, isolated in suspects:
        if isolated or len(suspects) == 1:
            logger.debug("%s: worker process died", item[0].name)
            summary = RunSummary(item[0].name, "failed", None, WORKER_DIED)
            done[summary.name] = summary
            _report(progress, summary)
        else:
            alone.append(item)
    if len(suspects) > 1:
        logger.warning("a worker process died with %d runs in flight: running each of them "
                       "again on its own", len(suspects))  # fmt: skip


def _stop_workers(pool: ProcessPoolExecutor) -> None:
    """Cancel queued runs and end the running ones now.

    Ctrl-C in a terminal reaches the workers too (same process group); SIGTERM sent to
    the batch alone does not, so they are terminated here rather than left running.
    Their half-written ``.nc.tmp-<pid>`` files are removed by the next batch.
    """
    workers = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in workers:
        if process.is_alive():
            process.terminate()
    for process in workers:
        process.join(timeout=10)


def _run_on_dask(
    todo: list[_Item],
    worker: Callable[[Scenario, str, str], RunSummary],
    scheduler: str,
    progress: BatchProgress | None,
) -> dict[str, RunSummary]:
    """Run the same worker function on a Dask cluster at ``scheduler``."""
    from distributed import Client, as_completed

    done: dict[str, RunSummary] = {}
    try:
        client = Client(scheduler)
    except (OSError, TimeoutError) as err:
        raise ConnectionError(f"cannot reach the Dask scheduler at {scheduler}: {err}") from None
    with client:
        futures = client.map(worker, *map(list, zip(*todo, strict=True)), pure=False)
        names = {future.key: item[0].name for future, item in zip(futures, todo, strict=True)}
        if progress is not None:
            for sc, *_ in todo:
                progress.started(sc.name)
        for future in as_completed(futures):
            _collect(names[future.key], future, done, progress)
    return done


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
    energymodel.batch.store.FolderBusyError
        If another batch is writing ``out_dir`` (:func:`lock_out_dir`).
    """
    names = [sc.name for sc in runs]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise ValueError(f"runs share a name (one file each): {', '.join(duplicates)}")
    out = prepare_out_dir(out_dir)
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
    todo: list[_Item] = []
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
                _short_error(err),
                time.perf_counter() - start,
                traceback.format_exc(),
            )
            done[sc.name] = summary
            _report(progress, summary)
            continue
        path = result_path(out, sc.name)
        if not force and is_up_to_date(path, digest, sc.name):
            done[sc.name] = RunSummary(sc.name, "skipped", path, None, time.perf_counter() - start)
            _report(progress, done[sc.name])
        else:
            todo.append((sc, digest, inputs_digest(sc, cache=cache)))

    worker = partial(_run_worker, out_dir=str(out), runner=runner, warm=warm)
    if scheduler is not None and todo:
        done.update(_run_on_dask(todo, worker, scheduler, progress))
    elif jobs > 1 and len(todo) > 1:
        done.update(_run_in_pool(todo, worker, min(jobs, len(todo)), progress))
    else:
        for sc, digest, inputs in todo:
            if progress is not None:
                progress.started(sc.name)
            done[sc.name] = worker(sc, digest, inputs)
            _report(progress, done[sc.name])
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
