"""Grid import through an interconnection that grows only as fast as the queue allows."""

from __future__ import annotations

import math

import pyomo.environ as pyo

from energymodel.model.data import ModelData
from energymodel.model.technology import annuity_cost
from energymodel.model.terms import ExprLike, Terms
from energymodel.units import GWH_PER_TWH

CONNECTION_LIFE_YR = 40  # substations and lines outlive the horizon; our choice


def add_grid(m: pyo.ConcreteModel, data: ModelData, terms: Terms) -> None:
    r"""Import grid power up to the connection; grow the connection within the queue.

    .. math::
        K^{G}_{y,r} = E^{G}_r + \sum_{v \le y} N_{v,r} \qquad
        i_{y,r,t} + e_{y,r,t} \le K^{G}_{y,r}

        N_{y,r} \le \bar N_{y,r} \, W_y \qquad K^{G}_{y,r} \le \max(\hat K^{G}_{y,r}, E^G_r)

    The yearly limit :math:`\bar N` and the ceiling :math:`\hat K^G` are by year and
    region, so a utility's queue may ramp. Grid energy is paid at the region's hourly
    price; new connection capacity at its capex as an annuity. The dual of the yearly
    limit ``grid_connection_limit`` is what one more GW of connection in that year is
    worth. Grid import counts as firm capacity and emits at the region's hourly grid
    intensity. Only when the scenario sets an annual clean share may power also flow
    out (:math:`e`, ``grid_export_gw``): clean energy the buyer produces and sends to the
    grid earns nothing but counts toward annual matching (certificates), while energy
    curtailed does not count. The hourly part (``grid_import_gw``, ``grid_import_limit``)
    is built in bulk.
    """
    existing = data.param("existing_connection_gw")
    ceiling = data.param("connection_ceiling_gw")
    limit = data.param("max_new_connection_gw_per_yr")

    m.grid_new_gw = pyo.Var(m.YEAR, m.REGION, within=pyo.NonNegativeReals)
    m.grid_capacity_gw = pyo.Var(m.YEAR, m.REGION, within=pyo.NonNegativeReals)

    @m.Constraint(m.YEAR, m.REGION)
    def grid_capacity_def(m: pyo.ConcreteModel, y: int, r: str) -> ExprLike:
        alive = data.alive(CONNECTION_LIFE_YR)[y]
        return m.grid_capacity_gw[y, r] == existing[r] + sum(m.grid_new_gw[v, r] for v in alive)

    @m.Constraint(m.YEAR, m.REGION)
    def grid_connection_limit(m: pyo.ConcreteModel, y: int, r: str) -> ExprLike:
        bound = limit[(y, r)]
        if math.isnan(bound):  # NaN: no limit
            return pyo.Constraint.Skip
        return m.grid_new_gw[y, r] <= bound * data.weight[y]

    @m.Constraint(m.YEAR, m.REGION)
    def grid_connection_ceiling(m: pyo.ConcreteModel, y: int, r: str) -> ExprLike:
        if math.isnan(ceiling[(y, r)]):  # NaN: no limit
            return pyo.Constraint.Skip
        return m.grid_capacity_gw[y, r] <= max(ceiling[(y, r)], existing[r])

    am = m.arrays
    yr = data.coords_of("year", "region")
    capacity = am.pyomo(m.grid_capacity_gw, ("year", "region"), yr)
    yrt = data.coords_of("year", "region", "timeslice")
    grid = am.add_variables("grid_import_gw", yrt)
    flow = grid
    terms.grid_draw_gw.append(grid)
    if data.has("annual_clean_share_frac"):  # exports count toward annual matching
        export = am.add_variables("grid_export_gw", yrt)
        terms.export_gw.append(export)
        terms.supply_gw.append(-export)
        terms.grid_draw_gw.append(-export)
        flow = grid + export
    am.add_constraints("grid_import_limit", flow - capacity, "<=", 0.0)

    energy_twh = grid * (data.hours / GWH_PER_TWH)  # by year, region, timeslice
    am.add_cost("grid_energy", (energy_twh * data.array("grid_price_usd_per_mwh")).sum("timeslice"))
    capex = data.array("connection_capex_usd_per_kw").expand_dims(year=data.years)
    built = am.pyomo(m.grid_new_gw, ("year", "region"), yr)
    am.add_cost("grid_connection", annuity_cost(data, built, capex, CONNECTION_LIFE_YR))
    carbon, clean = data.array("grid_carbon_tco2_per_mwh"), data.array("grid_clean_frac")
    terms.supply_gw.append(grid)
    terms.emissions_mtco2.append((energy_twh * carbon).sum("timeslice"))
    terms.firm_gw.append(lambda m, y, r: m.grid_capacity_gw[y, r])
    terms.not_clean_gw.append(grid * (1 - clean))
