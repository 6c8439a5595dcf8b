"""Power balance and firm capacity at each data-centre region."""

from __future__ import annotations

import pyomo.environ as pyo

from energymodel.model.data import ModelData
from energymodel.model.terms import ExprLike, Terms


def add_power_balance(m: pyo.ConcreteModel, data: ModelData, terms: Terms) -> None:
    r"""Balance every registered supply against the facility load, hour by hour.

    .. math::
        \sum_{f \in \text{supply terms}} f(y,r,t)
        = \mathrm{PUE}_{y,r} \sum_w \ell_{y,r,w,t} \qquad \forall y, r, t

    Supply terms: on-site generation, grid import, storage discharge minus charge.
    Generation may be curtailed (its limits are inequalities), so equality is safe. The
    dual of ``power_balance`` is the marginal cost of facility power.
    """
    pue = data.param("pue_ratio")

    @m.Expression(m.YEAR, m.REGION, m.TIMESLICE)
    def facility_load_gw(m: pyo.ConcreteModel, y: int, r: str, t: int) -> ExprLike:
        return pue[(y, r)] * m.it_load_gw_total[y, r, t]

    @m.Constraint(m.YEAR, m.REGION, m.TIMESLICE)
    def power_balance(m: pyo.ConcreteModel, y: int, r: str, t: int) -> ExprLike:
        return sum(term(m, y, r, t) for term in terms.supply_gw) == m.facility_load_gw[y, r, t]


def add_firm_capacity(m: pyo.ConcreteModel, data: ModelData, terms: Terms) -> None:
    r"""Hold firm supply for the facility's peak draw plus a reserve margin.

    .. math::
        \sum_s c_s K_{y,r,s} + K^{G}_{y,r}
        \ge (1 + \rho)\, \mathrm{PUE}_{y,r}\, \delta\, K^{IT}_{y,r}

    :math:`c_s` is each source's firm capacity credit (grid connection counts in full),
    :math:`\delta` the highest draw share of IT nameplate, :math:`\rho` the reserve
    margin. Sized on capacity, not on dispatch: a data centre contracts power for what
    it can draw.
    """
    pue = data.param("pue_ratio")
    margin = float(data.ds["reserve_margin_frac"])
    draw = float(data.ds["max_draw_frac"])

    @m.Constraint(m.YEAR, m.REGION)
    def firm_capacity(m: pyo.ConcreteModel, y: int, r: str) -> ExprLike:
        firm = sum(term(m, y, r) for term in terms.firm_gw)
        return firm >= (1 + margin) * pue[(y, r)] * draw * m.it_capacity_gw[y, r]
