"""Why a scenario is infeasible: the families and the scenario limits that must give."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyomo.environ as pyo

from energymodel.model.arrays import ArrayModel
from energymodel.scenario.schema import SolverConfig
from energymodel.solve.compile import Compiled, compile_or_none
from energymodel.solve.highs import highspy, new_highs, run_lp


def diagnose_infeasibility(m: pyo.ConcreteModel, cfg: SolverConfig) -> tuple[str, ...]:
    """Families whose constraints, relaxed alone, make ``m`` feasible.

    Cheap and readable for scenario authors: it says "the emissions cap" rather than
    listing rows of an irreducible infeasible subsystem.
    """
    culprits = []
    families: dict[str, list[str]] = getattr(m, "family_constraints", {})
    for family, names in families.items():
        constraints = [getattr(m, n) for n in names if n not in m.arrays.constraints]
        bulk = [n for n in names if n in m.arrays.constraints]
        if not constraints and not bulk:
            continue
        for c in constraints:
            c.deactivate()
        try:
            compiled = compile_or_none(m, skip=bulk)
            _, termination = run_lp(compiled.lp if compiled else None, cfg)
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


def _relaxable_rows(compiled: Compiled, bulk: ArrayModel) -> Iterator[tuple[int, str, tuple]]:
    """Row number, constraint name and index of every row of a :data:`RELAXABLE` limit."""
    for i, con in enumerate(compiled.rows):
        name = con.parent_component().local_name
        if name in RELAXABLE:
            yield i, name, _index(con.index())
    for name in RELAXABLE:
        if name not in bulk.constraints:
            continue
        labels = bulk.constraints[name].labels
        ids = labels.to_numpy()
        for position in zip(*np.nonzero(ids >= 0), strict=True):
            index = tuple(
                labels[d].values[j].item() for d, j in zip(labels.dims, position, strict=True)
            )
            yield compiled.n_pyomo_rows + int(ids[position]), name, index


def find_violations(
    compiled: Compiled, cfg: SolverConfig, bulk: ArrayModel, tol: float = 1e-6
) -> tuple[Violation, ...]:
    """The smallest violation of the :data:`RELAXABLE` rows that makes the LP feasible.

    One elastic solve: every relaxable row gets a slack column, costs are set to zero and
    the weighted sum of slacks is minimised. Returns the rows whose slack is positive,
    largest first (empty if the infeasibility lies elsewhere or the solve fails).
    """
    weights, rows, signs, names = [], [], [], []
    for i, name, index in _relaxable_rows(compiled, bulk):
        weight = RELAXABLE[name]
        lower, upper = compiled.lp.row_lower_[i], compiled.lp.row_upper_[i]
        for finite, sign in ((np.isfinite(lower), 1.0), (np.isfinite(upper), -1.0)):
            if finite:
                weights.append(weight)
                rows.append(i)
                signs.append(sign)
                names.append((name, index))
    if not rows:
        return ()
    h = new_highs(cfg)
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
        Violation(name, index, float(value))
        for (name, index), value in zip(names, slack.tolist(), strict=True)
        if value > tol
    ]
    return tuple(sorted(found, key=lambda v: -v.amount))


def _index(index: Any) -> tuple[Any, ...]:
    if index is None:
        return ()
    return tuple(index) if isinstance(index, tuple) else (index,)
