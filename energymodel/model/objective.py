"""The objective: discounted sum of every registered yearly cost."""

from __future__ import annotations

import pyomo.environ as pyo

from energymodel.model.data import ModelData
from energymodel.model.terms import ExprLike, Terms
from energymodel.scenario.schema import COMPONENTS


def add_objective(m: pyo.ConcreteModel, data: ModelData, terms: Terms) -> None:
    r"""Minimise the discounted cost of every model year, weighted by the years it stands for.

    .. math::
        \min \sum_y \mathrm{DF}_y \, W_y \Big( \sum_{r,c} C_{y,r,c} + C^{glob}_y \Big)

    :math:`C_{y,r,c}` is the yearly cost of component :math:`c` (annualised capex per
    vintage alive, O&M, fuel, grid energy, carbon, unserved compute), in that year's
    money; :math:`C^{glob}` holds costs without a region (unserved training).
    """
    m.COMPONENT = pyo.Set(initialize=COMPONENTS, ordered=True)

    @m.Expression(m.YEAR, m.REGION, m.COMPONENT)
    def cost_musd(m: pyo.ConcreteModel, y: int, r: str, c: str) -> ExprLike:
        return sum(term(m, y, r) for term in terms.cost_musd[c])

    @m.Expression(m.YEAR)
    def global_cost_musd(m: pyo.ConcreteModel, y: int) -> ExprLike:
        return sum(term(m, y) for term in terms.global_cost_musd)

    m.total_cost_musd = pyo.Objective(
        expr=sum(
            data.discount[y]
            * data.weight[y]
            * (
                sum(m.cost_musd[y, r, c] for r in m.REGION for c in m.COMPONENT)
                + m.global_cost_musd[y]
            )
            for y in m.YEAR
        ),
        sense=pyo.minimize,
    )
