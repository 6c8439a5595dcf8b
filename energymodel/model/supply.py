"""On-site power generation: capacity by vintage, dispatch limits, build rates, fuel."""

from __future__ import annotations

import pyomo.environ as pyo

from energymodel.model.data import ModelData
from energymodel.model.technology import add_technology_capacity
from energymodel.model.terms import ExprLike, Terms
from energymodel.units import GWH_PER_TWH


def add_supply(m: pyo.ConcreteModel, data: ModelData, terms: Terms) -> None:
    r"""Build and dispatch on-site generators (everything in ``tech`` but storage).

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
    vom = data.param("vom_usd_per_mwh")
    fuel = data.param("fuel_usd_per_mwh")
    emis = data.param("emissions_tco2_per_mwh")
    avail = data.param("availability_frac")
    clean = data.param("clean_frac")
    hours = data.timeslice_hours

    add_technology_capacity(m, data, terms, m.GEN, "supply")
    m.generation_gw = pyo.Var(m.YEAR, m.REGION, m.GEN, m.TIMESLICE, within=pyo.NonNegativeReals)

    @m.Constraint(m.YEAR, m.REGION, m.GEN, m.TIMESLICE)
    def generation_limit(m: pyo.ConcreteModel, y: int, r: str, s: str, t: int) -> ExprLike:
        return m.generation_gw[y, r, s, t] <= avail[(r, s, t)] * m.supply_capacity_gw[y, r, s]

    def energy_twh(m: pyo.ConcreteModel, y: int, r: str, s: str) -> ExprLike:
        return sum(hours[t] * m.generation_gw[y, r, s, t] for t in m.TIMESLICE) / GWH_PER_TWH

    terms.supply_gw.append(lambda m, y, r, t: sum(m.generation_gw[y, r, s, t] for s in m.GEN))
    terms.cost_musd["fuel"].append(
        lambda m, y, r: sum(
            (fuel[(y, r, s)] + vom[(y, r, s)]) * energy_twh(m, y, r, s) for s in m.GEN
        )
    )
    terms.emissions_mtco2.append(
        lambda m, y, r: sum(emis[(y, s)] * energy_twh(m, y, r, s) for s in m.GEN if emis[(y, s)])
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
