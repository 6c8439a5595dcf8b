"""The only module that talks to HiGHS (through Pyomo's persistent ``appsi`` interface)."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field

import numpy as np
import pyomo.environ as pyo
from pyomo.contrib.appsi.base import TerminationCondition
from pyomo.contrib.appsi.solvers import Highs

from energymodel.schema import SolverConfig

logger = logging.getLogger(__name__)

FEASIBLE = {
    TerminationCondition.optimal,
    TerminationCondition.maxTimeLimit,
    TerminationCondition.maxIterations,
    TerminationCondition.objectiveLimit,
}


class SolverUnavailableError(RuntimeError):
    """HiGHS cannot be loaded."""


@dataclass(frozen=True)
class SolveResult:
    """What the rest of the package needs to know about one solve.

    ``col_value`` and ``row_dual`` are HiGHS's own arrays; ``column`` and ``row`` map a
    Pyomo variable or constraint (by ``id``) to its position in them, so results can be
    read without a Python loop over every variable.
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


def highs_version() -> str:
    """The HiGHS version, e.g. ``1.15.1``."""
    return ".".join(str(v) for v in Highs().version())


def _solver(cfg: SolverConfig) -> Highs:
    opt = Highs()
    if not opt.available():
        raise SolverUnavailableError("HiGHS is not available: is the highspy package installed?")
    opt.config.load_solution = False
    opt.config.time_limit = cfg.time_limit_s
    opt.highs_options = {
        "solver": cfg.method,
        "threads": cfg.threads,
        "primal_feasibility_tolerance": cfg.primal_feasibility_tolerance,
        "dual_feasibility_tolerance": cfg.dual_feasibility_tolerance,
        "output_flag": False,
    }
    return opt


def solve_model(
    m: pyo.ConcreteModel, cfg: SolverConfig | None = None, *, diagnose: bool = True
) -> SolveResult:
    """Solve ``m`` with HiGHS; never raise on an infeasible or unfinished solve.

    On infeasibility, ``diagnosis`` names the constraint families whose removal makes
    the model feasible (each family is relaxed alone and the model re-solved).
    """
    cfg = cfg or SolverConfig()
    opt = _solver(cfg)
    start = time.perf_counter()
    opt.set_instance(m)
    load_time_s = time.perf_counter() - start
    start = time.perf_counter()
    res = opt.solve(m)
    solve_time_s = time.perf_counter() - start
    highs = opt._solver_model  # the highspy.Highs object
    termination = res.termination_condition
    optimal = termination == TerminationCondition.optimal
    solution = highs.getSolution()
    has_values = termination in FEASIBLE and solution.value_valid
    col_value = np.asarray(solution.col_value) if has_values else np.array([])
    row_dual = np.asarray(solution.row_dual) if optimal and solution.dual_valid else np.array([])
    objective = res.best_feasible_objective if has_values else None
    if has_values:
        opt.load_vars()  # results evaluate capacity and cost expressions on these values
    diagnosis: tuple[str, ...] = ()
    if termination in (TerminationCondition.infeasible, TerminationCondition.infeasibleOrUnbounded):
        diagnosis = diagnose_infeasibility(m, cfg) if diagnose else ()
    logger.info(
        "%s: %s in %.2f s (HiGHS %.2f s)",
        m.name,
        termination.name,
        solve_time_s,
        highs.getRunTime(),
    )
    return SolveResult(
        termination=termination.name,
        optimal=optimal,
        objective_musd=None if objective is None else float(objective),
        load_time_s=load_time_s,
        solve_time_s=solve_time_s,
        highs_run_time_s=highs.getRunTime(),
        col_value=col_value,
        row_dual=row_dual,
        column=dict(opt._pyomo_var_to_solver_var_map),
        row={id(c): i for c, i in opt._pyomo_con_to_solver_con_map.items()},
        diagnosis=diagnosis,
        highs_version=highs_version(),
    )


def diagnose_infeasibility(m: pyo.ConcreteModel, cfg: SolverConfig) -> tuple[str, ...]:
    """Families whose constraints, relaxed alone, make ``m`` feasible.

    Cheap and readable for scenario authors: it says "the emissions cap" rather than
    listing rows of an irreducible infeasible subsystem.
    """
    culprits = []
    families: dict[str, list[str]] = getattr(m, "family_constraints", {})
    for family, names in families.items():
        constraints = [getattr(m, n) for n in names]
        for c in constraints:
            c.deactivate()
        try:
            res = _solver(cfg).solve(m)
            if res.termination_condition == TerminationCondition.optimal:
                culprits.append(family)
        finally:
            for c in constraints:
                c.activate()
    return tuple(culprits)
