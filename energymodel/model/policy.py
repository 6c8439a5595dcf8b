"""Carbon price, emissions cap and clean-energy shares (annual and hourly)."""

from __future__ import annotations

import math

import pyomo.environ as pyo

from energymodel.model.data import ModelData
from energymodel.model.terms import ExprLike, Terms
from energymodel.units import GWH_PER_TWH


def add_policy(m: pyo.ConcreteModel, data: ModelData, terms: Terms) -> None:
    r"""Price and limit emissions; require clean supply yearly or hour by hour.

    .. math::
        \text{carbon cost}_{y,r} = p^{CO_2}_y \, Q_{y,r} \qquad
        \sum_r Q_{y,r} \le \bar Q_y

        \text{annual: } \sum_{s\,clean} \sum_t w_t a_{r,s,t} K_{y,r,s}
        + \gamma_{y,r} I_{y,r} \ge x_y \, F_{y,r}

        \text{hourly (24/7): } \sum_t w_t \big(\sum_{s\,fossil} g_{y,r,s,t}
        + (1 - \gamma_{y,r})\, i_{y,r,t}\big) \le (1 - x_y) \, F_{y,r}

    :math:`Q` are emissions (Mt), :math:`F` facility energy, :math:`\gamma` the grid's
    clean share. Annual matching counts every clean MWh the buyer's plants could make,
    used or not (certificates); the hourly score counts only clean energy consumed in
    the same hour (PyPSA 247-cfe, Riepin & Brown 2024). Each constraint is skipped in
    years where the scenario sets no value.
    """
    carbon_price = data.param("carbon_price_usd_per_tco2")
    cap = data.param("emissions_cap_mtco2")
    annual = data.param("annual_clean_share_frac")
    hourly = data.param("hourly_clean_share_frac")
    hours = data.timeslice_hours

    @m.Expression(m.YEAR, m.REGION)
    def emissions_mtco2(m: pyo.ConcreteModel, y: int, r: str) -> ExprLike:
        return sum(term(m, y, r) for term in terms.emissions_mtco2)

    @m.Expression(m.YEAR, m.REGION)
    def facility_energy_twh(m: pyo.ConcreteModel, y: int, r: str) -> ExprLike:
        return sum(hours[t] * m.facility_load_gw[y, r, t] for t in m.TIMESLICE) / GWH_PER_TWH

    terms.cost_musd["carbon"].append(lambda m, y, r: carbon_price[y] * m.emissions_mtco2[y, r])

    @m.Constraint(m.YEAR)
    def emissions_cap(m: pyo.ConcreteModel, y: int) -> ExprLike:
        if math.isnan(cap[y]):
            return pyo.Constraint.Skip
        return sum(m.emissions_mtco2[y, r] for r in m.REGION) <= cap[y]

    @m.Constraint(m.YEAR, m.REGION)
    def annual_clean_share(m: pyo.ConcreteModel, y: int, r: str) -> ExprLike:
        if math.isnan(annual[y]):
            return pyo.Constraint.Skip
        clean = sum(term(m, y, r) for term in terms.clean_potential_twh)
        return clean >= annual[y] * m.facility_energy_twh[y, r]

    @m.Constraint(m.YEAR, m.REGION)
    def hourly_clean_share(m: pyo.ConcreteModel, y: int, r: str) -> ExprLike:
        if math.isnan(hourly[y]):
            return pyo.Constraint.Skip
        not_clean = (
            sum(hours[t] * term(m, y, r, t) for term in terms.not_clean_gw for t in m.TIMESLICE)
            / GWH_PER_TWH
        )
        return not_clean <= (1 - hourly[y]) * m.facility_energy_twh[y, r]
