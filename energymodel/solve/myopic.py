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
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyomo.environ as pyo

from energymodel.scenario.schema import SolverConfig
from energymodel.solve.compile import Compiled
from energymodel.solve.highs import method_used, new_highs, termination_of

logger = logging.getLogger(__name__)


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


def solve_myopic(m: pyo.ConcreteModel, compiled: Compiled, cfg: SolverConfig) -> MyopicRun:
    """Solve ``compiled`` year by year; see the module docstring."""
    lp = compiled.lp
    col_year, row_year = year_maps(m, compiled)
    lower, upper = np.array(lp.col_lower_), np.array(lp.col_upper_)
    row_lower, row_upper = np.array(lp.row_lower_), np.array(lp.row_upper_)
    full_cost, full_offset = np.array(lp.col_cost_), float(lp.offset_)
    weight = m.arrays.weight
    x = np.zeros(lp.num_col_)
    duals = np.zeros(lp.num_row_)
    run_time, termination = 0.0, "optimal"
    methods: list[str] = []
    try:
        for year in (int(y) for y in weight["year"].values):
            step_weight = weight.where(weight["year"] == year, 0.0)
            cost, offset = m.arrays.cost_vector(compiled.arrays.columns, lp.num_col_, step_weight)
            past, future = col_year < year, col_year > year
            lo, up = lower.copy(), upper.copy()
            lo[past] = up[past] = x[past]
            lo[future] = up[future] = 0.0
            active = row_year == year
            lp.col_lower_, lp.col_upper_ = lo, up
            lp.row_lower_ = np.where(active, row_lower, -np.inf)
            lp.row_upper_ = np.where(active, row_upper, np.inf)
            lp.col_cost_, lp.offset_ = cost, offset
            h = new_highs(cfg)
            h.passModel(lp)
            h.run()
            run_time += h.getRunTime()
            methods.append(method_used(h, cfg))
            termination = termination_of(h)
            logger.info("%s %d (myopic): %s", m.name, year, termination)
            if termination != "optimal":
                break
            solution = h.getSolution()
            now = col_year == year
            x[now] = np.asarray(solution.col_value)[now]
            duals[active] = np.asarray(solution.row_dual)[active]
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
    )
