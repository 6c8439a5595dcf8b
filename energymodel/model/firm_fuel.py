"""Firm fuel for on-site gas: pay for firm transport, or count for less when fuel may fail."""

from __future__ import annotations

import pyomo.environ as pyo

from energymodel.model.data import ModelData
from energymodel.model.technology import effective_firm_credit
from energymodel.model.terms import ExprLike, Terms

CHOICE, ALWAYS, NEVER = 0.0, 1.0, 2.0  # firm_fuel_option (scenario supply.firm_fuel)


def add_firm_fuel(m: pyo.ConcreteModel, data: ModelData, terms: Terms) -> None:
    r"""Firm fuel for on-site gas plant, bought or not per year, region and technology.

    .. math::
        F_{y,r,s} \le K_{y,r,s} \qquad
        \Delta^{firm}_{y,r} = -\sum_s c_s\,(1 - a_s)\,(K_{y,r,s} - F_{y,r,s}) \qquad
        C_{y,r} \mathrel{+}= \sum_s f_s\, F_{y,r,s}

    :math:`F` (``firm_fuel_gw``) is gas capacity with firm fuel (firm pipeline transport
    for its full daily burn) at :math:`f_s` (``firm_fuel_usd_per_kw_yr``, counted in
    ``power_fom``). Capacity without it keeps only :math:`a_s`
    (``nonfirm_fuel_credit_frac``, 0.77: PJM's ELCC of gas turbines against dual fuel)
    of its firm credit :math:`c_s`: the term :math:`\Delta` is registered with the
    on-site firm capacity, so it lowers both the reserve margin and what an islanded
    campus may count. ``supply.firm_fuel``: ``choice`` (the LP decides), ``always``
    (:math:`F = K`), ``never`` (:math:`F = 0`). Skipped when no technology has a
    firm-fuel cost.
    """
    if not data.has("firm_fuel_usd_per_kw_yr"):
        return
    cost = data.param("firm_fuel_usd_per_kw_yr")
    kept = data.param("nonfirm_fuel_credit_frac")
    firm = effective_firm_credit(data)
    gas = [s for s in m.GEN if cost[s] > 0 and firm[s] > 0 and kept[s] < 1]
    if not gas:
        return
    option = float(data.ds["firm_fuel_option"])
    m.FIRM_FUEL_TECH = pyo.Set(initialize=gas, ordered=True)
    m.firm_fuel_gw = pyo.Var(m.YEAR, m.REGION, m.FIRM_FUEL_TECH, within=pyo.NonNegativeReals)
    if option == NEVER:
        m.firm_fuel_gw.fix(0.0)
    else:
        capacity = m.supply_capacity_gw

        @m.Constraint(m.YEAR, m.REGION, m.FIRM_FUEL_TECH)
        def firm_fuel_within(m: pyo.ConcreteModel, y: int, r: str, s: str) -> ExprLike:
            if option == ALWAYS:
                return m.firm_fuel_gw[y, r, s] == capacity[y, r, s]
            return m.firm_fuel_gw[y, r, s] <= capacity[y, r, s]

    def lost(m: pyo.ConcreteModel, y: int, r: str) -> ExprLike:
        return -sum(
            firm[s] * (1 - kept[s]) * (m.supply_capacity_gw[y, r, s] - m.firm_fuel_gw[y, r, s])
            for s in gas
        )

    terms.onsite_firm_gw.append(lost)
    am = m.arrays
    coords = data.coords_of("year", "region", "tech", tech=gas)
    bought = am.pyomo(m.firm_fuel_gw, ("year", "region", "tech"), coords)
    am.add_cost("power_fom", (bought * data.array("firm_fuel_usd_per_kw_yr", tech=gas)).sum("tech"))
