"""On-site power generation: capacity by vintage, dispatch limits, build rates, fuel."""

from __future__ import annotations

import math

import pyomo.environ as pyo

from energymodel.model.terms import GWH_PER_TWH, ExprLike, ModelData, Terms, annualised_builds


def add_supply(m: pyo.ConcreteModel, data: ModelData, terms: Terms) -> None:
    r"""Build and dispatch on-site generators (everything in ``tech`` but the battery).

    .. math::
        K_{y,r,s} = \sum_{v \le y < v + L_s} B_{v,r,s} \qquad
        g_{y,r,s,t} \le a_{r,s,t} \, K_{y,r,s}

        \sum_r B_{y,r,s} \le \bar B_{y,s} \, W_y \qquad
        B_{y,r,s} = 0 \text{ before the technology is available}

    :math:`a` is the hourly availability (solar, wind) or the highest capacity factor
    (dispatchable plants). Fuel and variable O&M are paid per MWh, capex as an annuity
    per vintage alive, fixed O&M per GW alive. Skipped when no generator is allowed.
    """
    if not list(m.GEN):
        return
    life = data.param("life_yr")
    capex = data.param("capex_usd_per_kw")
    fom = data.param("fom_usd_per_kw_yr")
    vom = data.param("vom_usd_per_mwh")
    fuel = data.param("fuel_usd_per_mwh")
    emis = data.param("emissions_tco2_per_mwh")
    avail = data.param("availability_frac")
    build_limit = data.param("max_build_gw_per_yr")
    allowed = data.param("build_allowed_frac")
    clean = data.param("clean_frac")
    firm = data.param("firm_credit_frac")
    hours = data.timeslice_hours

    m.supply_new_gw = pyo.Var(m.YEAR, m.REGION, m.GEN, within=pyo.NonNegativeReals)
    m.generation_gw = pyo.Var(m.YEAR, m.REGION, m.GEN, m.TIMESLICE, within=pyo.NonNegativeReals)
    for y in m.YEAR:
        for s in m.GEN:
            if not allowed[(y, s)]:
                for r in m.REGION:
                    m.supply_new_gw[y, r, s].fix(0.0)

    @m.Expression(m.YEAR, m.REGION, m.GEN)
    def supply_capacity_gw(m: pyo.ConcreteModel, y: int, r: str, s: str) -> ExprLike:
        return sum(m.supply_new_gw[v, r, s] for v in data.alive(life[s])[y])

    @m.Constraint(m.YEAR, m.REGION, m.GEN, m.TIMESLICE)
    def generation_limit(m: pyo.ConcreteModel, y: int, r: str, s: str, t: int) -> ExprLike:
        return m.generation_gw[y, r, s, t] <= avail[(r, s, t)] * m.supply_capacity_gw[y, r, s]

    @m.Constraint(m.YEAR, m.GEN)
    def supply_build_limit(m: pyo.ConcreteModel, y: int, s: str) -> ExprLike:
        limit = build_limit[(y, s)]
        if math.isnan(limit):  # NaN: no limit
            return pyo.Constraint.Skip
        return sum(m.supply_new_gw[y, r, s] for r in m.REGION) <= limit * data.weight[y]

    def energy_twh(m: pyo.ConcreteModel, y: int, r: str, s: str) -> ExprLike:
        return sum(hours[t] * m.generation_gw[y, r, s, t] for t in m.TIMESLICE) / GWH_PER_TWH

    def power_capex(m: pyo.ConcreteModel, y: int, r: str) -> ExprLike:
        return sum(
            annualised_builds(
                m, m.supply_new_gw, data, y, {v: capex[(v, s)] for v in data.years}, life[s], (r, s)
            )
            for s in m.GEN
        )

    terms.supply_gw.append(lambda m, y, r, t: sum(m.generation_gw[y, r, s, t] for s in m.GEN))
    terms.cost_musd["power_capex"].append(power_capex)
    terms.cost_musd["power_fom"].append(
        lambda m, y, r: sum(fom[(y, s)] * m.supply_capacity_gw[y, r, s] for s in m.GEN)
    )
    terms.cost_musd["fuel"].append(
        lambda m, y, r: sum((fuel[(y, r, s)] + vom[(y, s)]) * energy_twh(m, y, r, s) for s in m.GEN)
    )
    terms.emissions_mtco2.append(
        lambda m, y, r: sum(emis[(y, s)] * energy_twh(m, y, r, s) for s in m.GEN if emis[(y, s)])
    )
    terms.firm_gw.append(
        lambda m, y, r: sum(firm[s] * m.supply_capacity_gw[y, r, s] for s in m.GEN if firm[s])
    )
    terms.not_clean_gw.append(
        lambda m, y, r, t: sum(
            (1 - clean[s]) * m.generation_gw[y, r, s, t] for s in m.GEN if clean[s] < 1
        )
    )
    terms.clean_potential_twh.append(
        lambda m, y, r: (
            sum(
                clean[s] * hours[t] * avail[(r, s, t)] * m.supply_capacity_gw[y, r, s]
                for s in m.GEN
                if clean[s] > 0
                for t in m.TIMESLICE
            )
            / GWH_PER_TWH
        )
    )
