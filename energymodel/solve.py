"""The only module that talks to HiGHS.

The Pyomo model is compiled once into sparse matrices (Pyomo's
``LinearStandardFormCompiler``) and handed to ``highspy`` whole. This is faster and
lighter than a persistent solver interface, which keeps its own Python copy of every row:
on the default scenario it halves the time from model to solver and cuts peak memory.
"""

from __future__ import annotations

import logging
import time
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
    violations: tuple[Violation, ...] = ()
    """On infeasibility: the scenario limits that must give, where and by how much."""


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


def _run(compiled: _Compiled | None, cfg: SolverConfig) -> tuple[Any, str]:
    h = _highs(cfg)
    if compiled is None:  # a row with no free variable left cannot hold
        return h, "infeasible"
    if compiled.lp.num_col_ == 0:
        return h, "empty"
    h.passModel(compiled.lp)
    h.run()
    status = h.getModelStatus()
    return h, TERMINATION.get(status.name, h.modelStatusToString(status))


def solve_model(
    m: pyo.ConcreteModel, cfg: SolverConfig | None = None, *, diagnose: bool = True
) -> SolveResult:
    """Solve ``m`` with HiGHS; never raise on an infeasible or unfinished solve.

    When a solution exists its values are loaded into the model's variables, so
    expressions (capacities, costs) can be evaluated. On infeasibility, ``diagnosis``
    names the constraint families whose removal makes the model feasible.
    """
    cfg = cfg or SolverConfig()
    _require_highs()
    start = time.perf_counter()
    compiled = _compile_or_none(m)
    load_time_s = time.perf_counter() - start
    start = time.perf_counter()
    h, termination = _run(compiled, cfg)
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
    violations: tuple[Violation, ...] = ()
    if termination in INFEASIBLE and diagnose:
        violations = find_violations(compiled, cfg) if compiled is not None else ()
        families = getattr(m, "family_constraints", {})
        diagnosis = tuple(
            dict.fromkeys(
                family
                for v in violations
                for family, names in families.items()
                if v.constraint in names
            )
        ) or diagnose_infeasibility(m, cfg)
    run_time_s = h.getRunTime()
    logger.info("%s: %s in %.2f s (HiGHS %.2f s)", m.name, termination, solve_time_s, run_time_s)
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
        violations=violations,
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
            _, termination = _run(_compile_or_none(m), cfg)
            if termination == "optimal":
                culprits.append(family)
        finally:
            for c in constraints:
                c.activate()
    return tuple(culprits)


# --- which scenario limits make a model infeasible --------------------------------------

RELAXABLE: dict[str, float] = {
    "firm_capacity": 1.0,
    "emissions_cap": 1.0,
    "annual_clean_share": 1.0,
    "hourly_clean_share": 1.0,
    "it_build_limit": 100.0,
    "grid_connection_limit": 100.0,
    "grid_connection_ceiling": 100.0,
    "supply_build_limit": 100.0,
    "storage_build_limit": 100.0,
}
"""Constraints that a scenario's settings bound, and the weight of violating each one.

The requirements (firm capacity, policy) weigh far less than the limits that could meet
them (a build counts in every later year's requirement, so the weight exceeds any
horizon): where either would do, the requirement is named, and its advice lists every
way out. A limit is named only when nothing else helps (committed builds)."""


@dataclass(frozen=True)
class Violation:
    """One row of a scenario limit that has to give for the model to be feasible."""

    constraint: str
    index: tuple[Any, ...]
    amount: float
    """By how much, in the row's own units (GW, Mt CO2, TWh)."""


def find_violations(
    compiled: _Compiled, cfg: SolverConfig, tol: float = 1e-6
) -> tuple[Violation, ...]:
    """The smallest violation of the :data:`RELAXABLE` rows that makes the LP feasible.

    One elastic solve: every relaxable row gets a slack column, costs are set to zero and
    the weighted sum of slacks is minimised. Returns the rows whose slack is positive,
    largest first (empty if the infeasibility lies elsewhere or the solve fails).
    """
    weights, rows, signs = [], [], []
    for i, con in enumerate(compiled.rows):
        weight = RELAXABLE.get(con.parent_component().local_name)
        if weight is None:
            continue
        lower, upper = compiled.lp.row_lower_[i], compiled.lp.row_upper_[i]
        for finite, sign in ((np.isfinite(lower), 1.0), (np.isfinite(upper), -1.0)):
            if finite:
                weights.append(weight)
                rows.append(i)
                signs.append(sign)
    if not rows:
        return ()
    h = _highs(cfg)
    h.passModel(compiled.lp)
    n, k = compiled.lp.num_col_, len(rows)
    h.changeColsCost(n, np.arange(n, dtype=np.int32), np.zeros(n))
    h.addCols(
        k,
        np.asarray(weights, float),
        np.zeros(k),
        np.full(k, np.inf),
        k,
        np.arange(k, dtype=np.int32),
        np.asarray(rows, dtype=np.int32),
        np.asarray(signs, float),
    )
    h.run()
    if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return ()
    slack = np.asarray(h.getSolution().col_value)[n:]
    found = [
        Violation(
            compiled.rows[i].parent_component().local_name,
            _index(compiled.rows[i].index()),
            float(value),
        )
        for i, value in zip(rows, slack.tolist(), strict=True)
        if value > tol
    ]
    return tuple(sorted(found, key=lambda v: -v.amount))


def _index(index: Any) -> tuple[Any, ...]:
    if index is None:
        return ()
    return tuple(index) if isinstance(index, tuple) else (index,)
