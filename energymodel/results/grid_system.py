"""The regional power system in the results: prices, fleet, grid carbon, what data centres pay.

In a ``system`` region (``grid.mode``) the energy price is the dual of the regional
balance and the capacity price the dual of resource adequacy; the data centres pay energy
at the hourly price, capacity at the capacity price for their firm demand (their contracted
connection, with the system's reserve margin) and the network adder (already in the LP as
their grid tariff). In a ``tariff`` region the price is the tariff, capacity is not priced
separately and grid carbon is the measured series.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyomo.environ as pyo
import xarray as xr

from energymodel.model.arrays import ArrayModel
from energymodel.model.arrays import Solution as ArraySolution
from energymodel.units import GWH_PER_TWH

DAYS_PER_YEAR_PRICE = 365.0
"""Days per year for $/MW-day (capacity auctions quote a delivery year of 365 days)."""

SYSTEM_VARIABLES: dict[str, tuple[str, str]] = {
    "grid_mode": ("1", "how the region's grid is modelled: system (a power system) or tariff"),
    "grid_connection_gw": ("GW", "data centres' contracted grid connection"),
    "grid_energy_price_usd_per_mwh": (
        "USD/MWh",
        "hourly grid energy price: the dual of the regional balance (system) or the tariff",
    ),
    "grid_energy_price_avg_usd_per_mwh": (
        "USD/MWh",
        "grid energy price, weighted by the region's whole load (other load + data centres)",
    ),
    "capacity_price_usd_per_kw_yr": (
        "USD/kW/yr",
        "capacity price: dual of the region's resource adequacy, per kW of accredited capacity",
    ),
    "capacity_price_usd_per_mw_day": (
        "USD/MW-day",
        "capacity price in the unit of capacity auctions (per MW of accredited capacity a day)",
    ),
    "grid_carbon_tco2_per_mwh": ("tCO2/MWh", "average carbon intensity of the region's grid"),
    "grid_clean_share_frac": (
        "1",
        "carbon-free share of the region's grid supply in the hour (system: from dispatch)",
    ),
    "grid_carbon_avg_tco2_per_mwh": (
        "tCO2/MWh",
        "yearly grid carbon intensity, weighted by the region's load",
    ),
    "other_load_twh": ("TWh", "electricity of the region's other (non-data-centre) consumers"),
    "fleet_capacity_gw": ("GW", "grid-side generation and storage capacity alive"),
    "fleet_capacity_new_gw": ("GW", "grid-side capacity built in the year"),
    "fleet_generation_twh": ("TWh", "grid-side generation by technology (storage: net)"),
    "system_emissions_mtco2": ("MtCO2", "emissions of the region's grid-side generation"),
    "system_shed_twh": ("TWh", "other load shed at the value of lost load"),
    "system_capacity_short_gw": (
        "GW",
        "accredited capacity the system falls short of its reserve requirement",
    ),
    "system_cost_musd": ("M$", "yearly cost of the regional system (fuel, carbon, capex, FOM)"),
    "dc_grid_payment_musd": (
        "M$",
        "what data centres pay for grid power: energy, capacity and network charges",
    ),
    "other_consumers_payment_musd": (
        "M$",
        "what other consumers pay for energy and capacity at the system's prices",
    ),
    "dc_grid_price_payment_musd": (
        "M$",
        "what data centres pay for energy and capacity at the duals (after the solve; the "
        "network adder is an LP cost)",
    ),
    "dc_grid_emissions_mtco2": (
        "MtCO2",
        "data centres' grid emissions, attributional: their draw x the hourly grid intensity",
    ),
}


def system_results(
    m: pyo.ConcreteModel,
    params: xr.Dataset,
    am: ArrayModel,
    sol: ArraySolution,
    adequacy_dual: xr.DataArray,
    ds: xr.Dataset,
) -> dict[str, Any]:
    """Variables of :data:`SYSTEM_VARIABLES` (and the cost changes they imply) for ``ds``.

    ``adequacy_dual`` is the dual of ``system_adequacy`` by year and region (objective
    units, NaN without the row). Returns the new variables and the data centres'
    ``grid_energy`` and ``grid_capacity`` cost additions (M$, by year and region).
    """
    hours = params["timeslice_weight_h"]
    money = params["discount_factor_ratio"] * params["year_weight_yr"]
    system = params["system_region_frac"] > 0
    out: dict[str, Any] = {}
    out["grid_mode"] = xr.where(system, "system", "tariff").astype(str)
    connection = ds["supply_capacity_gw"].sel(tech="grid", drop=True)
    out["grid_connection_gw"] = connection

    draw = ds["dispatch_gw"].sel(tech="grid", drop=True)  # import less export
    other = params["other_load_gw"].where(system, 0.0)
    duals = am.duals("system_balance", sol).transpose("year", "region", "timeslice")
    price = (duals / (money * hours / GWH_PER_TWH)).where(system)
    tariff = params["grid_price_usd_per_mwh"]
    out["grid_energy_price_usd_per_mwh"] = price.fillna(0.0).where(system, tariff)
    total_load = (other + draw.clip(min=0.0)) * hours
    weight = total_load.sum("timeslice")
    out["grid_energy_price_avg_usd_per_mwh"] = (
        out["grid_energy_price_usd_per_mwh"] * total_load
    ).sum("timeslice") / weight.where(weight > 0)

    per_kw_yr = (abs(adequacy_dual) / money).where(system).fillna(0.0)
    out["capacity_price_usd_per_kw_yr"] = per_kw_yr.where(system)
    out["capacity_price_usd_per_mw_day"] = per_kw_yr.where(system) * 1e3 / DAYS_PER_YEAR_PRICE

    gen = am.values("fleet_generation_gw", sol).fillna(0.0)
    charge = am.values("fleet_charge_gw", sol).fillna(0.0)
    discharge = am.values("fleet_discharge_gw", sol).fillna(0.0)
    rate = params["fleet_emissions_tco2_per_mwh"]
    hourly_emissions = (gen * rate).sum("grid_tech")  # tCO2/h per GW... (kt/h)
    produced = (gen + discharge).sum("grid_tech")
    intensity = (hourly_emissions / produced.where(produced > 0)).fillna(0.0)
    measured = params["grid_carbon_tco2_per_mwh"]  # tariff regions: the measured series
    out["grid_carbon_tco2_per_mwh"] = intensity.where(system, measured)
    clean = (gen * params["fleet_clean_frac"]).sum("grid_tech")
    share = (clean / produced.where(produced > 0)).fillna(0.0).clip(0.0, 1.0)
    out["grid_clean_share_frac"] = share.where(system, params["grid_clean_frac"])
    weights = (other + draw.clip(min=0.0)) * hours
    out["grid_carbon_avg_tco2_per_mwh"] = (out["grid_carbon_tco2_per_mwh"] * weights).sum(
        "timeslice"
    ) / weights.sum("timeslice").where(weights.sum("timeslice") > 0)
    out["other_load_twh"] = (other * hours).sum("timeslice") / GWH_PER_TWH

    dims = ("year", "region", "grid_tech")
    coords = {d: params[d] for d in dims}

    def pyomo_values(component: Any) -> xr.DataArray:
        shape = tuple(params.sizes[d] for d in dims)
        flat = np.fromiter(
            (v.value if v.value is not None else 0.0 for v in component.values()), float
        )
        return xr.DataArray(flat.reshape(shape), dims=dims, coords=coords)

    out["fleet_capacity_gw"] = pyomo_values(m.fleet_capacity_gw)
    out["fleet_capacity_new_gw"] = pyomo_values(m.fleet_new_gw)
    net = gen + discharge - charge
    out["fleet_generation_twh"] = (net * hours).sum("timeslice") / GWH_PER_TWH
    out["system_emissions_mtco2"] = (hourly_emissions * hours).sum("timeslice") / GWH_PER_TWH
    shed = am.values("system_shed_gw", sol).fillna(0.0)
    out["system_shed_twh"] = (shed * hours).sum("timeslice") / GWH_PER_TWH
    short = np.fromiter((v.value or 0.0 for v in m.system_capacity_short_gw.values()), float)
    out["system_capacity_short_gw"] = xr.DataArray(
        short.reshape(params.sizes["year"], params.sizes["region"]),
        dims=("year", "region"),
        coords={"year": params["year"], "region": params["region"]},
    )

    # what the data centres pay: energy at the hourly price, firm demand (their connection,
    # at the requirement per GW of peak) at the capacity price (the network adder is their LP grid price already, in grid_energy)
    requirement = params["system_requirement_ratio"]
    energy = (price.fillna(0.0) * draw * hours).sum("timeslice") / GWH_PER_TWH
    firm = connection
    if hasattr(m, "grid_flexible_gw"):  # only the firm part is held for (model/connection.py)
        flexible = np.fromiter((v.value or 0.0 for v in m.grid_flexible_gw.values()), float)
        firm = connection - flexible.reshape(connection.shape)
    capacity = per_kw_yr * requirement * firm
    adder = params["network_adder_usd_per_mwh"] * (draw.clip(min=0.0) * hours).sum("timeslice")
    out["dc_grid_payment_musd"] = (energy + capacity + adder / GWH_PER_TWH).where(system)
    out["dc_grid_price_payment_musd"] = (energy + capacity).where(system, 0.0)
    peak = params["other_peak_gw"]
    out["other_consumers_payment_musd"] = (
        (price.fillna(0.0) * other * hours).sum("timeslice") / GWH_PER_TWH
        + per_kw_yr * requirement * peak
    ).where(system)
    return {"variables": out, "grid_energy": energy.where(system, 0.0), "grid_capacity": capacity}


def attributed_emissions(ds: xr.Dataset, params: xr.Dataset) -> xr.DataArray:
    """The data centres' grid emissions in ``system`` regions: draw x hourly intensity (Mt)."""
    system = params["system_region_frac"] > 0
    draw = ds["dispatch_gw"].sel(tech="grid", drop=True).clip(min=0.0)
    hours = params["timeslice_weight_h"]
    mt = (draw * ds["grid_carbon_tco2_per_mwh"] * hours).sum("timeslice") / GWH_PER_TWH
    return mt.where(system, 0.0)
