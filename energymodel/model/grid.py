"""Grid import through an interconnection that grows only as fast as the queue allows."""

from __future__ import annotations

import math

import pyomo.environ as pyo

from energymodel.model.data import ModelData
from energymodel.model.technology import annualised_builds
from energymodel.model.terms import ExprLike, Terms
from energymodel.units import GWH_PER_TWH

CONNECTION_LIFE_YR = 40  # substations and lines outlive the horizon; our choice


def add_grid(m: pyo.ConcreteModel, data: ModelData, terms: Terms) -> None:
    r"""Import grid power up to the connection; grow the connection within the queue.

    .. math::
        K^{G}_{y,r} = E^{G}_r + \sum_{v \le y} N_{v,r} \qquad
        i_{y,r,t} \le K^{G}_{y,r}

        N_{y,r} \le \bar N_{y,r} \, W_y \qquad K^{G}_{y,r} \le \hat K^{G}_r

    Grid energy is paid at the region's hourly price; new connection capacity at its
    capex as an annuity. The dual of the yearly limit ``grid_connection_limit`` is
    what one more GW of connection in that year is worth. Grid import counts as firm
    capacity and emits at the region's grid intensity of the hour; its clean share is
    that hour's too.
    """
    existing = data.param("existing_connection_gw")
    ceiling = data.param("connection_ceiling_gw")
    limit = data.param("max_new_connection_gw_per_yr")
    capex = data.param("connection_capex_usd_per_kw")
    price = data.param("grid_price_usd_per_mwh")
    carbon = data.param("grid_carbon_tco2_per_mwh")
    clean = data.param("grid_clean_frac")
    hours = data.timeslice_hours

    m.grid_new_gw = pyo.Var(m.YEAR, m.REGION, within=pyo.NonNegativeReals)
    m.grid_import_gw = pyo.Var(m.YEAR, m.REGION, m.TIMESLICE, within=pyo.NonNegativeReals)

    @m.Expression(m.YEAR, m.REGION)
    def grid_capacity_gw(m: pyo.ConcreteModel, y: int, r: str) -> ExprLike:
        return existing[r] + sum(m.grid_new_gw[v, r] for v in data.alive(CONNECTION_LIFE_YR)[y])

    @m.Constraint(m.YEAR, m.REGION, m.TIMESLICE)
    def grid_import_limit(m: pyo.ConcreteModel, y: int, r: str, t: int) -> ExprLike:
        return m.grid_import_gw[y, r, t] <= m.grid_capacity_gw[y, r]

    @m.Constraint(m.YEAR, m.REGION)
    def grid_connection_limit(m: pyo.ConcreteModel, y: int, r: str) -> ExprLike:
        bound = limit[(y, r)]
        if math.isnan(bound):  # NaN: no limit
            return pyo.Constraint.Skip
        return m.grid_new_gw[y, r] <= bound * data.weight[y]

    @m.Constraint(m.YEAR, m.REGION)
    def grid_connection_ceiling(m: pyo.ConcreteModel, y: int, r: str) -> ExprLike:
        if math.isnan(ceiling[r]):  # NaN: no limit
            return pyo.Constraint.Skip
        return m.grid_capacity_gw[y, r] <= max(ceiling[r], existing[r])

    capex_by_year = {(v, r): capex[r] for v in data.years for r in m.REGION}

    def connection(m: pyo.ConcreteModel, y: int, r: str) -> ExprLike:
        return annualised_builds(
            m,
            m.grid_new_gw,
            data,
            y,
            {v: capex_by_year[(v, r)] for v in data.years},
            CONNECTION_LIFE_YR,
            (r,),
        )

    terms.supply_gw.append(lambda m, y, r, t: m.grid_import_gw[y, r, t])
    terms.cost_musd["grid_energy"].append(
        lambda m, y, r: (
            sum(price[(y, r, t)] * hours[t] * m.grid_import_gw[y, r, t] for t in m.TIMESLICE)
            / GWH_PER_TWH
        )
    )
    terms.cost_musd["grid_connection"].append(connection)

    def weighted_twh(factor: dict, m: pyo.ConcreteModel, y: int, r: str) -> ExprLike:
        """Grid import weighted by an hourly factor (carbon, clean share), in TWh."""
        return (
            sum(factor[(y, r, t)] * hours[t] * m.grid_import_gw[y, r, t] for t in m.TIMESLICE)
            / GWH_PER_TWH
        )

    terms.emissions_mtco2.append(lambda m, y, r: weighted_twh(carbon, m, y, r))
    terms.firm_gw.append(lambda m, y, r: m.grid_capacity_gw[y, r])
    terms.not_clean_gw.append(lambda m, y, r, t: (1 - clean[(y, r, t)]) * m.grid_import_gw[y, r, t])
    terms.clean_potential_twh.append(lambda m, y, r: weighted_twh(clean, m, y, r))
