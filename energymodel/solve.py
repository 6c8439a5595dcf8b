"""The only module that talks to HiGHS.

The Pyomo model is compiled once into sparse matrices (Pyomo's
``LinearStandardFormCompiler``) and handed to ``highspy`` whole. This is faster and
lighter than a persistent solver interface, which keeps its own Python copy of every row:
on the default scenario it halves the time from model to solver and cuts peak memory.

Warm starts: runs of one process whose LPs have the same structure (columns, rows and
sparsity pattern) and differ only in numbers (costs, bounds, right-hand sides, matrix
values) start HiGHS's simplex from the last optimal basis of that structure; see
:func:`set_warm_start`.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pyomo.environ as pyo
from pyomo.common.errors import InfeasibleConstraintException
from pyomo.repn.plugins.standard_form import LinearStandardFormCompiler

from energymodel.scenario.schema import SolverConfig

try:
    import highspy
except ImportError:  # reported when a solve is asked for, not at import
    highspy = None  # type: ignore[assignment]

logger = logging.getLogger(__name__)

# HiGHS model status names -> our termination names
TERMINATION = {
    "kOptimal": "optimal",
    "kInfeasible": "infeasible",
    "kUnboundedOrInfeasible": "infeasibleOrUnbounded",
    "kUnbounded": "unbounded",
    "kTimeLimit": "maxTimeLimit",
    "kIterationLimit": "maxIterations",
    "kModelEmpty": "empty",
}
INFEASIBLE = {"infeasible", "infeasibleOrUnbounded"}


class SolverUnavailableError(RuntimeError):
    """HiGHS (the ``highspy`` package) cannot be loaded."""


def _require_highs() -> None:
    if highspy is None:
        raise SolverUnavailableError(
            "HiGHS is not available: install the highspy package "
            "(`make test` or `pip install -r requirements.lock` does)"
        )


@dataclass(frozen=True)
class SolveResult:
    """What the rest of the package needs to know about one solve.

    ``col_value`` and ``row_dual`` are HiGHS's own arrays; ``column`` and ``row`` map a
    Pyomo variable or constraint (by ``id``) to its position in them, so results can be
    read without asking Pyomo for every value.
    """

    termination: str
    optimal: bool
    objective_musd: float | None
    load_time_s: float
    solve_time_s: float
    highs_run_time_s: float
    col_value: np.ndarray = field(repr=False)
    row_dual: np.ndarray = field(repr=False)
    column: dict[int, int] = field(repr=False)
    row: dict[int, int] = field(repr=False)
    diagnosis: tuple[str, ...] = ()
    highs_version: str = ""
    warm_start: bool = False
    """True when HiGHS started from a stored basis (see :func:`set_warm_start`)."""
    simplex_iterations: int = 0


def highs_version() -> str:
    """The HiGHS version, e.g. ``1.15.1``."""
    _require_highs()
    h = highspy.Highs()
    return f"{h.versionMajor()}.{h.versionMinor()}.{h.versionPatch()}"


@dataclass(frozen=True)
class _Compiled:
    lp: Any  # highspy.HighsLp
    columns: list[pyo.Var]
    rows: list[pyo.Constraint]


def _compile(m: pyo.ConcreteModel) -> _Compiled:
    """The model as one sparse LP, with its Pyomo columns and rows in order.

    Fixed variables are folded into the right-hand sides; each row keeps its sense.
    """
    info = LinearStandardFormCompiler().write(m, mixed_form=True)
    n_row, n_col = info.A.shape
    sense = np.fromiter((entry.bound_type for entry in info.rows), dtype=np.int8, count=n_row)
    rhs = np.asarray(info.rhs, dtype=float)
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = n_col, n_row
    lp.col_cost_ = info.c.toarray().ravel() if n_col else np.zeros(0)
    lp.offset_ = float(info.c_offset[0]) if len(info.c_offset) else 0.0
    lp.col_lower_ = np.array([-np.inf if v.lb is None else v.lb for v in info.columns], float)
    lp.col_upper_ = np.array([np.inf if v.ub is None else v.ub for v in info.columns], float)
    lp.row_lower_ = np.where(sense == 1, -np.inf, rhs)  # 1: <=, -1: >=, 0: ==
    lp.row_upper_ = np.where(sense == -1, np.inf, rhs)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = info.A.indptr.astype(np.int32)
    lp.a_matrix_.index_ = info.A.indices.astype(np.int32)
    lp.a_matrix_.value_ = info.A.data.astype(float)
    lp.sense_ = highspy.ObjSense.kMinimize
    return _Compiled(lp, list(info.columns), [entry.constraint for entry in info.rows])


def _compile_or_none(m: pyo.ConcreteModel) -> _Compiled | None:
    try:
        return _compile(m)
    except InfeasibleConstraintException as err:
        logger.info("%s: %s", m.name, err)
        return None


def _highs(cfg: SolverConfig) -> Any:
    _require_highs()
    h = highspy.Highs()
    for option, value in {
        "output_flag": False,
        "time_limit": float(cfg.time_limit_s),
        "solver": cfg.method,
        "threads": cfg.threads,
        "primal_feasibility_tolerance": cfg.primal_feasibility_tolerance,
        "dual_feasibility_tolerance": cfg.dual_feasibility_tolerance,
    }.items():
        h.setOptionValue(option, value)
    return h


# --- warm starts ------------------------------------------------------------------------
#
# One cache per process (a process-pool worker or a Dask worker runs many scenarios): LP
# structure signature -> the last optimal basis of an LP of that structure. Simplex takes a
# basis; HiGHS then skips presolve and starts from it, so a run that differs only in
# numbers needs a fraction of the iterations. IPM and PDLP cannot use a basis: with those
# methods nothing is stored or used.
#
# Measured on the baseline at 2 representative days (22,630 columns, 2 loaded cores): one
# input changed, a warm start takes 0-7,000 simplex iterations against ~17,000 cold
# (0.01-0.85 of the time); eight inputs changed at once, 1,500-6,000 (0.15-0.9 of the
# time). An iteration on the LP without presolve costs 2-3x one on the presolved LP, so a
# warm attempt may use at most WARM_ITERATION_SHARE of the iterations of the last cold
# solve of that structure; past that it is solved cold (a rare, bounded loss).

WARM_METHODS = frozenset({"choose", "simplex"})
"""Solver methods that start from a stored basis."""
WARM_ITERATION_SHARE = 0.6
"""A warm attempt stops after this share of a cold solve's simplex iterations."""
_WARM_MIN_ITERATIONS = 200
_WARM_CAPACITY = 8  # structures remembered per process (e.g. IT lives 4, 5 and 6 years)
_PRIMAL_SIMPLEX = 4  # HiGHS simplex_strategy: primal


@dataclass(frozen=True)
class _Warm:
    basis: Any  # highspy.HighsBasis
    numbers: bytes  # digest of bounds and matrix values (not costs)
    cold_iterations: int  # of the last cold solve of this structure


_warm_lock = threading.Lock()
_warm_cache: OrderedDict[bytes, _Warm] = OrderedDict()
_warm_enabled = True


def set_warm_start(enabled: bool) -> None:
    """Turn warm starts on or off for the solves of this process (on by default).

    Off, every solve is cold and nothing is stored: ``run_scenarios.py --cold``.
    """
    global _warm_enabled
    _warm_enabled = bool(enabled)


def clear_warm_starts() -> None:
    """Forget every stored basis of this process."""
    with _warm_lock:
        _warm_cache.clear()


def _digest(*arrays: Any) -> bytes:
    h = hashlib.blake2b(digest_size=16)
    for array in arrays:
        h.update(np.ascontiguousarray(array).tobytes())
        h.update(b"|")
    return h.digest()


def _structure(lp: Any) -> bytes:
    """Signature of the columns, rows and sparsity pattern of ``lp`` (not its numbers)."""
    a = lp.a_matrix_
    shape = np.array([lp.num_col_, lp.num_row_, int(a.format_), len(a.index_)], dtype=np.int64)
    return _digest(shape, np.asarray(a.start_), np.asarray(a.index_))


def _numbers(lp: Any) -> bytes:
    """Digest of everything but the costs: bounds, right-hand sides, matrix values."""
    return _digest(lp.col_lower_, lp.col_upper_, lp.row_lower_, lp.row_upper_, lp.a_matrix_.value_)


def _stored(key: bytes) -> _Warm | None:
    with _warm_lock:
        entry = _warm_cache.get(key)
        if entry is not None:
            _warm_cache.move_to_end(key)
    return entry


def _store(key: bytes, entry: _Warm) -> None:
    with _warm_lock:
        _warm_cache[key] = entry
        _warm_cache.move_to_end(key)
        while len(_warm_cache) > _WARM_CAPACITY:
            _warm_cache.popitem(last=False)


def _termination(h: Any) -> str:
    status = h.getModelStatus()
    return TERMINATION.get(status.name, h.modelStatusToString(status))


def _iterations(h: Any) -> int:
    return int(h.getInfo().simplex_iteration_count)


def _run(
    compiled: _Compiled | None, cfg: SolverConfig, *, warm: bool = False
) -> tuple[Any, str, bool]:
    """Solve; return HiGHS, the termination and whether it started from a stored basis.

    With ``warm`` (and warm starts on, and a simplex method), an LP whose structure
    matches a stored one starts from that basis; primal simplex when only the costs
    changed (the basis stays primal feasible). A warm attempt that runs past its
    iteration budget, or ends neither optimal nor at the time limit, is solved again
    cold: a stored basis can only save time, never change an outcome.
    """
    h = _highs(cfg)
    if compiled is None:  # a row with no free variable left cannot hold
        return h, "infeasible", False
    if compiled.lp.num_col_ == 0:
        return h, "empty", False
    if not (warm and _warm_enabled and cfg.method in WARM_METHODS):
        h.passModel(compiled.lp)
        h.run()
        return h, _termination(h), False
    key, numbers = _structure(compiled.lp), _numbers(compiled.lp)
    entry = _stored(key)
    h.passModel(compiled.lp)
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
    termination = _termination(h)
    if started_warm and termination not in ("optimal", "maxTimeLimit"):
        logger.debug("warm start ended %s: solving again cold", termination)
        h, termination, _ = _run(compiled, cfg)
        started_warm = False
    if termination == "optimal" and (basis := h.getBasis()).valid:
        cold = entry.cold_iterations if started_warm and entry else _iterations(h)
        _store(key, _Warm(basis, numbers, cold))
    return h, termination, started_warm


def solve_model(
    m: pyo.ConcreteModel,
    cfg: SolverConfig | None = None,
    *,
    diagnose: bool = True,
    warm: bool = True,
) -> SolveResult:
    """Solve ``m`` with HiGHS; never raise on an infeasible or unfinished solve.

    When a solution exists its values are loaded into the model's variables, so
    expressions (capacities, costs) can be evaluated. On infeasibility, ``diagnosis``
    names the constraint families whose removal makes the model feasible. With ``warm``
    (and warm starts on in this process, :func:`set_warm_start`) simplex starts from the
    last optimal basis of an LP of the same structure.
    """
    cfg = cfg or SolverConfig()
    _require_highs()
    start = time.perf_counter()
    compiled = _compile_or_none(m)
    load_time_s = time.perf_counter() - start
    start = time.perf_counter()
    h, termination, started_warm = _run(compiled, cfg, warm=warm)
    solve_time_s = time.perf_counter() - start
    solution = h.getSolution()
    optimal = termination == "optimal"
    has_values = bool(solution.value_valid) and termination in (
        "optimal",
        "maxTimeLimit",
        "maxIterations",
    )
    col_value = np.asarray(solution.col_value) if has_values else np.array([])
    row_dual = np.asarray(solution.row_dual) if optimal and solution.dual_valid else np.array([])
    objective = h.getInfo().objective_function_value if has_values else None
    if has_values and compiled is not None:
        _load_values(m, compiled.columns, col_value)
    diagnosis: tuple[str, ...] = ()
    if termination in INFEASIBLE and diagnose:
        diagnosis = diagnose_infeasibility(m, cfg)
    run_time_s = h.getRunTime()
    iterations = int(h.getInfo().simplex_iteration_count)
    logger.info(
        "%s: %s in %.2f s (HiGHS %.2f s, %s start, %d simplex iterations)",
        m.name, termination, solve_time_s, run_time_s, "warm" if started_warm else "cold",
        iterations,
    )  # fmt: skip
    return SolveResult(
        termination=termination,
        optimal=optimal,
        objective_musd=None if objective is None else float(objective),
        load_time_s=load_time_s,
        solve_time_s=solve_time_s,
        highs_run_time_s=run_time_s,
        col_value=col_value,
        row_dual=row_dual,
        column={id(v): i for i, v in enumerate(compiled.columns)} if compiled else {},
        row={id(c): i for i, c in enumerate(compiled.rows)} if compiled else {},
        diagnosis=diagnosis,
        highs_version=highs_version(),
        warm_start=started_warm,
        simplex_iterations=iterations,
    )


def _load_values(m: pyo.ConcreteModel, columns: list[pyo.Var], values: np.ndarray) -> None:
    """Put the solution into the variables; ones in no row or cost are 0 at an optimum."""
    for var in m.component_data_objects(pyo.Var, descend_into=True):
        if not var.fixed:
            var.set_value(0.0, skip_validation=True)
    for var, value in zip(columns, values.tolist(), strict=True):
        var.set_value(value, skip_validation=True)


def diagnose_infeasibility(m: pyo.ConcreteModel, cfg: SolverConfig) -> tuple[str, ...]:
    """Families whose constraints, relaxed alone, make ``m`` feasible.

    Cheap and readable for scenario authors: it says "the emissions cap" rather than
    listing rows of an irreducible infeasible subsystem.
    """
    culprits = []
    families: dict[str, list[str]] = getattr(m, "family_constraints", {})
    for family, names in families.items():
        constraints = [getattr(m, n) for n in names]
        if not constraints:
            continue
        for c in constraints:
            c.deactivate()
        try:
            _, termination, _ = _run(_compile_or_none(m), cfg)
            if termination == "optimal":
                culprits.append(family)
        finally:
            for c in constraints:
                c.activate()
    return tuple(culprits)
