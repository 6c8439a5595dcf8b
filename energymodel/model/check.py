"""The full-year dispatch check's model: the same families, every yearly decision fixed.

The check (``time.check: full_year``, ``docs/time.md``) dispatches the plan's build over
the 8,760 hours of a model year. It is the model of :func:`~energymodel.model.build_model`
built on the full-year parameters with ``dispatch_check_flag`` set (load may then go
unserved hour by hour, and policy limits are reported, not imposed), with every Pyomo
variable (the yearly decisions: builds, capacities, the placement of compute) fixed at
the plan's value. Every Pyomo row is then a constant and is left out; what is left is
the hourly rows, built in bulk, with the capacities folded into their bounds: no column
spans the hours.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyomo.environ as pyo
import xarray as xr

Decisions = dict[str, dict[Any, float]]
"""Pyomo variable name -> {index: value}: a plan's yearly decisions."""


def yearly_decisions(m: pyo.ConcreteModel) -> Decisions:
    """The value of every Pyomo variable of a solved model (all are yearly decisions)."""
    return {
        var.local_name: {index: float(v.value or 0.0) for index, v in var.items()}
        for var in m.component_objects(pyo.Var, descend_into=True)
    }


def builds(decisions: Decisions) -> Decisions:
    """The builds among ``decisions``: every variable named ``*_new_gw`` (what is built in
    a year: IT, facilities, on-site plant, storage, connections, the grid's fleet). A
    refinement round builds at least these in the years before the checked one
    (:class:`~energymodel.solve.myopic.Held`), and whatever more the new days need."""
    return {name: values for name, values in decisions.items() if name.endswith("_new_gw")}


def fix_decisions(m: pyo.ConcreteModel, plan: Decisions, max_draw_frac: float) -> None:
    """Fix every Pyomo variable of ``m`` at the plan's value; leave out every Pyomo row.

    ``m`` may hold a subset of the plan's years. The IT peak is fixed at what the IT
    capacity may draw (``max_draw_frac`` x capacity), so the hourly ``it_peak`` rows
    bound the load by the built IT directly, without a column in every hour.
    """
    for var in m.component_objects(pyo.Var, descend_into=True):
        values = plan[var.local_name]
        for index, v in var.items():
            value = values[index]  # the solver's round-off may sit just outside a bound
            if v.lb is not None:
                value = max(value, v.lb)
            if v.ub is not None:
                value = min(value, v.ub)
            v.fix(value)
    for index, v in m.it_peak_gw.items():
        v.fix(max_draw_frac * m.it_capacity_gw[index].value)
    for constraint in m.component_objects(pyo.Constraint, descend_into=True):
        constraint.deactivate()


def column_days(m: pyo.ConcreteModel, timeslice_day: xr.DataArray, n_col: int) -> np.ndarray:
    """The calendar day of each of the ``n_col`` columns of the compiled check LP (-1: none).

    The check's own columns are the array blocks, after the Pyomo columns left free
    (``first_own`` of them); a block on ``timeslice`` takes its hour's day
    (``timeslice_day``), one on ``day`` or ``calendar_day`` that day (at full-year
    resolution the representative days are the calendar days in order).
    """
    am = m.arrays
    first_own = n_col - am.n_col
    out = np.full(n_col, -1, np.int64)
    of_hour = timeslice_day.to_series()
    for block in am.variables.values():
        labels = block.labels
        if "timeslice" in labels.dims:
            day = labels["timeslice"].copy(data=of_hour.loc[labels["timeslice"].values].to_numpy())
        elif "day" in labels.dims:
            day = labels["day"]
        elif "calendar_day" in labels.dims:
            day = labels["calendar_day"]
        else:
            continue
        days = day.broadcast_like(labels).transpose(*labels.dims).to_numpy()
        ids = labels.to_numpy()
        out[ids[ids >= 0] + first_own] = days[ids >= 0]
    return out
