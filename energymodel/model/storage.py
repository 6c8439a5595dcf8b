"""Batteries: power capacity with a fixed duration, cyclic state of charge per day."""

from __future__ import annotations

import math

import pyomo.environ as pyo

from energymodel.model.terms import ExprLike, ModelData, Terms, annualised_builds


def add_storage(m: pyo.ConcreteModel, data: ModelData, terms: Terms) -> None:
    r"""Charge, discharge and state of charge of batteries, cyclic in each day.

    .. math::
        e_{y,r,k,t} = e_{y,r,k,t^-} + \sqrt{\eta_k}\, c_{y,r,k,t}
                      - d_{y,r,k,t} / \sqrt{\eta_k}

        e_{y,r,k,t} \le H_k K_{y,r,k} \qquad c_{y,r,k,t} \le K_{y,r,k}
        \qquad d_{y,r,k,t} \le K_{y,r,k}

    :math:`t^-` is the previous hour of the same representative day, wrapping round
    (each day starts where it ends), :math:`\eta` the round-trip efficiency and
    :math:`H` the duration in hours (capex is per kW of an :math:`H`-hour system).
    Skipped when no storage technology is allowed.
    """
    if not list(m.STO):
        return
    life = data.param("life_yr")
    capex = data.param("capex_usd_per_kw")
    fom = data.param("fom_usd_per_kw_yr")
    eff = data.param("roundtrip_efficiency_frac")
    duration = data.param("duration_h")
    build_limit = data.param("max_build_gw_per_yr")
    allowed = data.param("build_allowed_frac")
    firm = data.param("firm_credit_frac")
    prev = data.previous_in_day

    m.storage_new_gw = pyo.Var(m.YEAR, m.REGION, m.STO, within=pyo.NonNegativeReals)
    m.charge_gw = pyo.Var(m.YEAR, m.REGION, m.STO, m.TIMESLICE, within=pyo.NonNegativeReals)
    m.discharge_gw = pyo.Var(m.YEAR, m.REGION, m.STO, m.TIMESLICE, within=pyo.NonNegativeReals)
    m.soc_gwh = pyo.Var(m.YEAR, m.REGION, m.STO, m.TIMESLICE, within=pyo.NonNegativeReals)
    for y in m.YEAR:
        for k in m.STO:
            if not allowed[(y, k)]:
                for r in m.REGION:
                    m.storage_new_gw[y, r, k].fix(0.0)

    @m.Expression(m.YEAR, m.REGION, m.STO)
    def storage_capacity_gw(m: pyo.ConcreteModel, y: int, r: str, k: str) -> ExprLike:
        return sum(m.storage_new_gw[v, r, k] for v in data.alive(life[k])[y])

    @m.Constraint(m.YEAR, m.REGION, m.STO, m.TIMESLICE)
    def soc_balance(m: pyo.ConcreteModel, y: int, r: str, k: str, t: int) -> ExprLike:
        root = math.sqrt(eff[k])
        net_in = root * m.charge_gw[y, r, k, t] - m.discharge_gw[y, r, k, t] / root
        return m.soc_gwh[y, r, k, t] == m.soc_gwh[y, r, k, prev[t]] + net_in

    @m.Constraint(m.YEAR, m.REGION, m.STO, m.TIMESLICE)
    def soc_limit(m: pyo.ConcreteModel, y: int, r: str, k: str, t: int) -> ExprLike:
        return m.soc_gwh[y, r, k, t] <= duration[k] * m.storage_capacity_gw[y, r, k]

    @m.Constraint(m.YEAR, m.REGION, m.STO, m.TIMESLICE)
    def charge_limit(m: pyo.ConcreteModel, y: int, r: str, k: str, t: int) -> ExprLike:
        return m.charge_gw[y, r, k, t] <= m.storage_capacity_gw[y, r, k]

    @m.Constraint(m.YEAR, m.REGION, m.STO, m.TIMESLICE)
    def discharge_limit(m: pyo.ConcreteModel, y: int, r: str, k: str, t: int) -> ExprLike:
        return m.discharge_gw[y, r, k, t] <= m.storage_capacity_gw[y, r, k]

    @m.Constraint(m.YEAR, m.STO)
    def storage_build_limit(m: pyo.ConcreteModel, y: int, k: str) -> ExprLike:
        limit = build_limit[(y, k)]
        if math.isnan(limit):  # NaN: no limit
            return pyo.Constraint.Skip
        return sum(m.storage_new_gw[y, r, k] for r in m.REGION) <= limit * data.weight[y]

    def power_capex(m: pyo.ConcreteModel, y: int, r: str) -> ExprLike:
        return sum(
            annualised_builds(
                m,
                m.storage_new_gw,
                data,
                y,
                {v: capex[(v, k)] for v in data.years},
                life[k],
                (r, k),
            )
            for k in m.STO
        )

    terms.supply_gw.append(
        lambda m, y, r, t: sum(m.discharge_gw[y, r, k, t] - m.charge_gw[y, r, k, t] for k in m.STO)
    )
    terms.cost_musd["power_capex"].append(power_capex)
    terms.cost_musd["power_fom"].append(
        lambda m, y, r: sum(fom[(y, k)] * m.storage_capacity_gw[y, r, k] for k in m.STO)
    )
    terms.firm_gw.append(
        lambda m, y, r: sum(firm[k] * m.storage_capacity_gw[y, r, k] for k in m.STO if firm[k])
    )
