"""Batteries: power capacity with a fixed duration, cyclic state of charge per day."""

from __future__ import annotations

import math

import pyomo.environ as pyo

from energymodel.model.data import ModelData
from energymodel.model.technology import add_technology_capacity
from energymodel.model.terms import ExprLike, Terms


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
    Capacity, build limits and costs as for generators. Skipped when no storage
    technology is allowed.
    """
    if not list(m.STO):
        return
    eff = data.param("roundtrip_efficiency_frac")
    duration = data.param("duration_h")
    prev = data.previous_in_day

    add_technology_capacity(m, data, terms, m.STO, "storage")
    m.charge_gw = pyo.Var(m.YEAR, m.REGION, m.STO, m.TIMESLICE, within=pyo.NonNegativeReals)
    m.discharge_gw = pyo.Var(m.YEAR, m.REGION, m.STO, m.TIMESLICE, within=pyo.NonNegativeReals)
    m.soc_gwh = pyo.Var(m.YEAR, m.REGION, m.STO, m.TIMESLICE, within=pyo.NonNegativeReals)

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

    terms.supply_gw.append(
        lambda m, y, r, t: sum(m.discharge_gw[y, r, k, t] - m.charge_gw[y, r, k, t] for k in m.STO)
    )
