"""Myopic foresight: the model years solved one after another (``time.foresight: myopic``).

Each year is optimised on its own costs, blind to later years, with everything decided in
earlier years fixed (what they built, and so what is still alive): PyPSA-Eur's myopic mode,
on the same compiled LP as perfect foresight. Step ``y`` keeps the rows of year ``y``
only, fixes the columns of earlier years at their values and those of later years at 0,
and weighs only year ``y``'s costs (with its perfect-foresight weight, so duals keep their
units). Every row of a year refers to that year and earlier ones only (builds count in
the years they stay alive), so each step is the year's own problem.

Perfect foresight sees that a build made early serves a later year (a connection queue
that binds later, say); myopic does not, and pays for it later. The total objective is
the same sum of discounted costs as perfect foresight's, at the myopic solution.

With ``held`` (a refinement round of the full-year check, ``docs/time.md``), the years
before ``held.before`` are solved so, one by one, each building at least what a plan
built in it (what that plan built ahead stays) and what this LP's days ask of it; then
the years from ``held.before`` on are solved together with perfect foresight, the
earlier years' hourly dispatch frozen and their builds free to grow (at their costs in
every year they stand), so the checked year may still be served by plant built ahead of
it within an earlier year's build limit. A round then costs the checked year's LP and a
dispatch of each earlier year, not the whole.

Each step starts from the basis of the same step of the last solve of an LP of its size
(:func:`~energymodel.solve.warm.run_warm`'s ``step``): a refinement round re-solves its
plan once more with a system grid's clean share from its own dispatch (``api``), and that
solve's steps then took 11.6 s of HiGHS against 22.2 s cold (``clean_24_7``'s first
round).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyomo.environ as pyo

from energymodel.scenario.schema import SolverConfig
from energymodel.solve.compile import Compiled
from energymodel.solve.highs import method_used
from energymodel.solve.warm import run_warm

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Held:
    """A plan's builds, held as the least build of each year before ``before``."""

    decisions: dict[str, dict[Any, float]]
    """Pyomo variable name -> {index: value} (``model.check.Decisions``)."""
    before: int


@dataclass(frozen=True)
class MyopicRun:
    """The years' solutions put together, as one solve of the whole LP would give them."""

    termination: str
    col_value: np.ndarray
    row_dual: np.ndarray
    objective_musd: float | None
    highs_run_time_s: float
    method_used: str = ""
    """The LP methods HiGHS used, one per distinct method over the years (``simplex``)."""
    simplex_iterations: int = 0
    """Simplex iterations over the years' solves."""


def _year(index: Any) -> int:
    """The year of a Pyomo component's index (every index starts with its year)."""
    return int(index[0] if isinstance(index, tuple) else index)


def year_maps(m: pyo.ConcreteModel, compiled: Compiled) -> tuple[np.ndarray, np.ndarray]:
    """The year of every column and every row of the compiled LP."""
    bulk = compiled.arrays
    own = m.arrays.years_of(m.arrays.variables, m.arrays.n_col)
    columns = np.concatenate(
        [np.array([_year(v.index()) for v in compiled.columns], np.int64), own]
    )
    pyomo_rows = np.array([_year(c.index()) for c in compiled.rows], np.int64)
    rows = np.concatenate([pyomo_rows, m.arrays.years_of(m.arrays.constraints, m.arrays.n_row)])
    assert columns.size == bulk.first_own + m.arrays.n_col
    return columns, rows


def solve_myopic(
    m: pyo.ConcreteModel, compiled: Compiled, cfg: SolverConfig, held: Held | None = None
) -> MyopicRun:
    """Solve ``compiled`` year by year; see the module docstring."""
    lp = compiled.lp
    col_year, row_year = year_maps(m, compiled)
    lower, upper = np.array(lp.col_lower_), np.array(lp.col_upper_)
    kept = _held_columns(compiled, lower, upper, held)  # NaN: not held
    own = np.arange(lp.num_col_) >= compiled.arrays.first_own  # the hourly columns
    row_lower, row_upper = np.array(lp.row_lower_), np.array(lp.row_upper_)
    full_cost, full_offset = np.array(lp.col_cost_), float(lp.offset_)
    weight = m.arrays.weight
    years = [int(y) for y in weight["year"].values]
    x = np.zeros(lp.num_col_)
    duals = np.zeros(lp.num_row_)
    run_time, termination, n_iterations = 0.0, "optimal", 0
    methods: list[str] = []
    try:
        for year in years:
            together = held is not None and year >= held.before
            lo, up = lower.copy(), upper.copy()
            past, future = col_year < year, col_year > year
            if together:  # the years from held.before at once, the earlier dispatch frozen
                cost, offset = full_cost, full_offset
                lo[past & own] = up[past & own] = x[past & own]
                lo[past & ~own] = np.fmax(lower, kept)[past & ~own]
                active = row_year >= year
                imposed = np.ones_like(active)  # the earlier years' rows hold their builds
            else:
                step_weight = weight.where(weight["year"] == year, 0.0)
                columns = compiled.arrays.columns
                cost, offset = m.arrays.cost_vector(columns, lp.num_col_, step_weight)
                lo[past] = up[past] = x[past]
                lo[future] = up[future] = 0.0
                if held is not None:
                    now_held = (col_year == year) & ~np.isnan(kept)
                    lo[now_held] = kept[now_held]
                active = imposed = row_year == year
            lp.col_lower_, lp.col_upper_ = lo, up
            lp.row_lower_ = np.where(imposed, row_lower, -np.inf)
            lp.row_upper_ = np.where(imposed, row_upper, np.inf)
            lp.col_cost_, lp.offset_ = cost, offset
            h, termination, warm = run_warm(lp, cfg, step=(year, together))
            run_time += h.getRunTime()
            n_iterations += int(h.getInfo().simplex_iteration_count)
            methods.append(method_used(h, cfg, warm=warm))
            step = f"{year}-{years[-1]}, earlier dispatch frozen" if together else f"{year}, myopic"
            logger.info("%s %s: %s", m.name, step, termination)
            if termination != "optimal":
                break
            solution = h.getSolution()
            now = (col_year >= year) | (past & ~own) if together else col_year == year
            x[now] = np.asarray(solution.col_value)[now]
            duals[active] = np.asarray(solution.row_dual)[active]
            del h, solution  # else two years' HiGHS (each the whole LP) live at once
            if together:
                break
    finally:  # leave the compiled LP as it was (diagnosis reuses it)
        lp.col_lower_, lp.col_upper_ = lower, upper
        lp.row_lower_, lp.row_upper_ = row_lower, row_upper
        lp.col_cost_, lp.offset_ = full_cost, full_offset
    optimal = termination == "optimal"
    return MyopicRun(
        termination=termination,
        col_value=x if optimal else np.array([]),
        row_dual=duals if optimal else np.array([]),
        objective_musd=float(full_cost @ x + full_offset) if optimal else None,
        highs_run_time_s=run_time,
        method_used="+".join(dict.fromkeys(methods)),
        simplex_iterations=n_iterations,
    )


def _held_columns(
    compiled: Compiled, lower: np.ndarray, upper: np.ndarray, held: Held | None
) -> np.ndarray:
    """Each column's held value (a Pyomo column of ``held.decisions``, within its bounds:
    the solver's round-off may sit just outside one); NaN for the others."""
    out = np.full(lower.size, np.nan)
    if held is None:
        return out
    for i, var in enumerate(compiled.columns):
        values = held.decisions.get(var.parent_component().local_name)
        if values is not None and var.index() in values:
            out[i] = min(max(values[var.index()], lower[i]), upper[i])
    return out
