"""The objective: discounted sum of every registered yearly cost."""

from __future__ import annotations

import pyomo.environ as pyo

from energymodel.model.data import ModelData
from energymodel.model.terms import Terms


def add_objective(m: pyo.ConcreteModel, data: ModelData, terms: Terms) -> None:
    r"""Minimise the discounted cost of every model year, weighted by the years it stands for.

    .. math::
        \min \sum_y \mathrm{DF}_y \, W_y \sum_{c} C_{y,c}

    :math:`C_{y,c}` is the yearly cost of component :math:`c` (annualised capex per
    vintage alive, O&M, fuel, grid energy, carbon, unserved compute), in that year's
    money, summed over regions. Every family registers its costs with
    ``m.arrays.add_cost``; this family sets each year's weight
    :math:`\mathrm{DF}_y W_y`, and compiling (``energymodel.solve``) turns the weighted
    costs into the objective row. ``total_cost_musd`` names it in the Pyomo model.
    """
    m.arrays.weight = data.array("discount_factor_ratio") * data.array("year_weight_yr")
    m.total_cost_musd = pyo.Objective(expr=0.0, sense=pyo.minimize)
