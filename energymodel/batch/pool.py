"""Where runs go: a process pool on this machine or a Dask cluster.

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
from collections import deque
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import TYPE_CHECKING, Any

from energymodel.batch.store import pid_alive
from energymodel.batch.summary import BatchProgress, RunSummary, report, short_error

if TYPE_CHECKING:
    from energymodel.scenario.schema import Scenario

logger = logging.getLogger("energymodel.batch.runner")

Item = tuple["Scenario", str, str]
"""One run to do: the scenario, its content hash and its inputs' hash."""


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
    while True:
        if not pid_alive(batch_pid):
            os._exit(1)
        time.sleep(PARENT_POLL_S)


def _collect(
    name: str, future: Any, done: dict[str, RunSummary], progress: BatchProgress | None
) -> None:
    """Record a finished future's summary; a worker that died or was killed is a failure."""
    try:
        summary = future.result()
    except Exception as err:  # noqa: BLE001  # e.g. a worker process that died, KilledWorker
        summary = RunSummary(name, "failed", None, short_error(err))
    done[name] = summary
    report(progress, summary)


WORKER_DIED = (
    "its worker process died (killed by a signal, or out of memory?); "
    "the other runs went on without it"
)
"""The reason given for a run whose worker process ended abruptly."""

WORKERS_DIE_AT_START = "the worker processes die as they start; no run could be done"
MAX_IDLE_DEATHS = 3
"""Pools in a row whose workers die with no run in flight before the batch gives up."""


def run_in_pool(
    todo: list[Item],
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
    queue: deque[Item] = deque(todo)
    alone: deque[Item] = deque()  # in flight when a worker died: run again, one at a time
    started: set[str] = set()
    idle_deaths = 0  # pools broken with no run in flight: workers that die at start
    while queue or alone:
        if idle_deaths >= MAX_IDLE_DEATHS:
            for item in [*alone, *queue]:
                summary = RunSummary(item[0].name, "failed", None, WORKERS_DIE_AT_START)
                done[summary.name] = summary
                report(progress, summary)
            break
        running: dict[Future[RunSummary], tuple[Item, bool]] = {}
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
            stop_workers(pool)
            raise
        pool.shutdown(wait=True)
    return done


def _after_a_death(
    running: dict[Future[RunSummary], tuple[Item, bool]],
    alone: deque[Item],
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
            report(progress, summary)
        else:
            alone.append(item)
    if len(suspects) > 1:
        logger.warning("a worker process died with %d runs in flight: running each of them "
                       "again on its own", len(suspects))  # fmt: skip


def stop_workers(pool: ProcessPoolExecutor) -> None:
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


def run_on_dask(
    todo: list[Item],
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
