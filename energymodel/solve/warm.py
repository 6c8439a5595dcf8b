"""Warm starts: runs of one process whose LPs share a structure start from the last basis.

One cache per process (a process-pool worker or a Dask worker runs many scenarios): LP
structure signature -> the last optimal basis of an LP of that structure (myopic steps,
found by size and step, in a store of their own). Simplex takes a basis; HiGHS then
skips presolve and starts from it, so a run that differs only in numbers needs a
fraction of the iterations. IPM and PDLP cannot use a basis: with those methods nothing
is stored or used.

Measured on the baseline at 2 representative days (22,630 columns, 2 loaded cores): one
input changed, a warm start takes 0-7,000 simplex iterations against ~17,000 cold
(0.01-0.85 of the time); eight inputs changed at once, 1,500-6,000 (0.15-0.9 of the
time). An iteration on the LP without presolve costs 2-3x one on the presolved LP, so a
warm attempt may use at most WARM_ITERATION_SHARE of the iterations of the last cold
solve of that structure; past that it is solved cold (a rare, bounded loss).

The full-year check's LPs in windows are remembered whole (:func:`solved`): runs that
share a plan (a sweep of finance inputs) dispatch the very same LPs. Both caches are off
with ``set_warm_start(False)``; so are the bases a refinement round's check windows start
from (:mod:`~.rolling`).
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import numpy as np

from energymodel.scenario.schema import SolverConfig
from energymodel.solve.highs import highspy, new_highs, run_lp, termination_of

logger = logging.getLogger(__name__)

WARM_METHODS = frozenset({"choose", "simplex"})
"""Solver methods that start from a stored basis."""
WARM_ITERATION_SHARE = 0.6
"""A warm attempt stops after this share of a cold solve's simplex iterations."""
_WARM_MIN_ITERATIONS = 200
_WARM_CAPACITY = 16  # LP structures remembered per process
_STEP_CAPACITY = 24  # myopic steps remembered per process: a refinement's 6 years x 3 rounds
_PRIMAL_SIMPLEX = 4  # HiGHS simplex_strategy: primal


@dataclass(frozen=True)
class _Warm:
    basis: Any  # highspy.HighsBasis
    numbers: bytes  # digest of bounds and matrix values (not costs)
    cold_iterations: int  # of the last cold solve of this structure


_warm_lock = threading.Lock()
_warm_cache: OrderedDict[bytes, _Warm] = OrderedDict()
# Myopic steps apart: a refined run stores a basis per year and round (18 in three rounds),
# which in one store pushed out the plan's basis that the next run of a sweep starts from
_step_cache: OrderedDict[bytes, _Warm] = OrderedDict()
_warm_enabled = True
_solved: OrderedDict[bytes, Any] = OrderedDict()  # an LP's digest -> what solved it
_SOLVED_CAPACITY = 14  # the check's windows of two runs of seven regions (~4 MB each)


def set_warm_start(enabled: bool) -> None:
    """Turn warm starts on or off for the solves of this process (on by default).

    Off, every solve is cold and nothing is stored: ``run_scenarios.py --cold``.
    """
    global _warm_enabled
    _warm_enabled = bool(enabled)


def starts_warm(cfg: SolverConfig) -> bool:
    """Whether solves with ``cfg`` start from a stored basis (warm starts on, simplex)."""
    return _warm_enabled and cfg.method in WARM_METHODS


def clear_warm_starts() -> None:
    """Forget every stored basis and solution of this process."""
    with _warm_lock:
        _warm_cache.clear()
        _step_cache.clear()
        _solved.clear()


def solved(key: bytes) -> Any | None:
    """What :func:`remember_solved` kept under ``key`` (None: nothing, or warm starts off).

    The full-year check of runs that share a plan (a sweep of finance inputs, such as
    ``book_life``'s three) dispatches the same LPs: the same LP solved the same way gives
    the same answer, so it is solved once per process.
    """
    if not _warm_enabled:
        return None
    with _warm_lock:
        if key in _solved:
            _solved.move_to_end(key)
        return _solved.get(key)


def remember_solved(key: bytes, value: Any) -> None:
    """Keep ``value`` for :func:`solved` (the caller hands out copies); the oldest go."""
    if not _warm_enabled:
        return
    with _warm_lock:
        _solved[key] = value
        _solved.move_to_end(key)
        while len(_solved) > _SOLVED_CAPACITY:
            _solved.popitem(last=False)


def digest(*arrays: Any) -> bytes:
    """A 16-byte digest of the arrays' bytes, in order."""
    h = hashlib.blake2b(digest_size=16)
    for array in arrays:
        h.update(np.ascontiguousarray(array).tobytes())
        h.update(b"|")
    return h.digest()


def _structure(lp: Any) -> bytes:
    """Signature of the columns, rows and sparsity pattern of ``lp`` (not its numbers)."""
    a = lp.a_matrix_
    shape = np.array([lp.num_col_, lp.num_row_, int(a.format_), len(a.index_)], dtype=np.int64)
    return digest(shape, np.asarray(a.start_), np.asarray(a.index_))


def _shape(lp: Any) -> bytes:
    """Signature of the number of columns and rows of ``lp``."""
    return digest(np.array([lp.num_col_, lp.num_row_], dtype=np.int64))


def _numbers(lp: Any) -> bytes:
    """Digest of everything but the costs: bounds, right-hand sides, matrix values."""
    return digest(lp.col_lower_, lp.col_upper_, lp.row_lower_, lp.row_upper_, lp.a_matrix_.value_)


def _stored(key: bytes, steps: bool) -> _Warm | None:
    cache = _step_cache if steps else _warm_cache
    with _warm_lock:
        entry = cache.get(key)
        if entry is not None:
            cache.move_to_end(key)
    return entry


def _store(key: bytes, entry: _Warm, steps: bool) -> None:
    cache, capacity = (_step_cache, _STEP_CAPACITY) if steps else (_warm_cache, _WARM_CAPACITY)
    with _warm_lock:
        cache[key] = entry
        cache.move_to_end(key)
        while len(cache) > capacity:
            cache.popitem(last=False)


def iterations(h: Any) -> int:
    """Simplex iterations of HiGHS's last run."""
    return int(h.getInfo().simplex_iteration_count)


def run_warm(
    lp: Any | None, cfg: SolverConfig, same_only: bool = False, step: tuple[Any, ...] = ()
) -> tuple[Any, str, bool]:
    """Solve ``lp``; return HiGHS, the termination and whether it started from a stored basis.

    With warm starts on (and a simplex method), an LP whose structure matches a stored one
    starts from that basis; primal simplex when only the costs changed (the basis stays
    primal feasible). A warm attempt that runs past its iteration budget, or ends neither
    optimal nor at the time limit, is solved again cold: a stored basis can only save
    time, never change an outcome. ``same_only``: start warm only where the stored LP
    differed at most in its costs. The full-year check asks it: its year-long LPs of one
    region share a structure from run to run, and from another run's basis, without
    presolve, a warm attempt cost more than the cold solve it then fell back to
    (``book_life``'s check after another run in a batch worker: 219 s; cold, 53 s).
    ``step``: which of several solves of one LP this is (a myopic year: each of its
    bounds and costs), each with a basis of its own, found by the LP's size alone (a
    plan re-solved at another clean share of the grid drops the coefficients that
    become 0: the sparsity differs, the basis still fits), and kept apart from the
    structures' bases, so that a refined run's many steps leave the plan's basis for the
    next run of a sweep.
    """
    if lp is None or lp.num_col_ == 0 or not starts_warm(cfg):
        h, termination = run_lp(lp, cfg)
        return h, termination, False
    key = _shape(lp) + repr(step).encode() if step else _structure(lp)
    numbers = _numbers(lp)
    entry = _stored(key, bool(step))
    if entry is not None and same_only and entry.numbers != numbers:
        entry = None
    h = new_highs(cfg)
    h.passModel(lp)
    started_warm = False
    if entry is None:
        logger.debug("no stored basis for this LP structure: cold start")
    else:
        if entry.numbers == numbers and cfg.method == "choose":
            h.setOptionValue("simplex_strategy", _PRIMAL_SIMPLEX)
        budget = max(_WARM_MIN_ITERATIONS, int(WARM_ITERATION_SHARE * entry.cold_iterations))
        h.setOptionValue("simplex_iteration_limit", budget)
        started_warm = h.setBasis(entry.basis) == highspy.HighsStatus.kOk
    h.run()
    termination = termination_of(h)
    if started_warm and termination not in ("optimal", "maxTimeLimit"):
        logger.info(  # its time is not in the cold solve's HiGHS time
            "warm start ended %s after %.1f s: solving again cold", termination, h.getRunTime()
        )
        h, termination = run_lp(lp, cfg)
        started_warm = False
    if termination == "optimal" and (basis := h.getBasis()).valid:
        cold = entry.cold_iterations if started_warm and entry else iterations(h)
        _store(key, _Warm(basis, numbers, cold), bool(step))
    return h, termination, started_warm
