"""What data centres cause: a ``system`` run against the same run without the new load.

The counterfactual holds data-centre demand at the first model year's level (no growth,
no committed builds), at the same fuel prices, policies and fleet, and is solved on the
same LP structure (warm-started where the worker has a basis). The differences are the
consequential view (Temoa study of US data-centre growth; Riepin & Brown): what other
consumers pay more, what is built and emitted because of the new load.
"""

from __future__ import annotations

import xarray as xr

COUNTERFACTUAL_VARIABLES: dict[str, tuple[str, str]] = {
    "other_consumers_price_change_usd_per_mwh": (
        "USD/MWh",
        "change in the average price other consumers pay (energy and capacity), because of "
        "the new data-centre load",
    ),
    "other_consumers_cost_change_busd": (
        "B$",
        "change in what other consumers pay a year, because of the new data-centre load",
    ),
    "dc_caused_capacity_new_gw": ("GW", "grid-side capacity built because of data centres"),
    "dc_caused_generation_twh": ("TWh", "grid-side generation because of data centres"),
    "emissions_consequential_mtco2": (
        "MtCO2",
        "emissions the new data-centre load causes (system and on-site, difference of runs)",
    ),
    "emissions_attributional_mtco2": (
        "MtCO2",
        "data centres' emissions: on-site + their grid draw x hourly average intensity",
    ),
    "grid_energy_price_counterfactual_usd_per_mwh": (
        "USD/MWh",
        "hourly grid energy price without the new data-centre load",
    ),
    "capacity_price_counterfactual_usd_per_kw_yr": (
        "USD/kW/yr",
        "capacity price without the new data-centre load",
    ),
}


def counterfactual_params(params: xr.Dataset) -> xr.Dataset:
    """``params`` without the new data-centre load: demand held at the first year's."""
    out = params.copy()
    first = params["demand_it_twh"].isel(year=0, drop=True)
    out["demand_it_twh"] = first.broadcast_like(params["demand_it_twh"]).transpose(
        *params["demand_it_twh"].dims
    )
    if "demand_tokens_tn" in params:
        tokens = params["demand_tokens_tn"]
        out["demand_tokens_tn"] = tokens.isel(year=0, drop=True).broadcast_like(tokens)
    out["committed_it_new_gw"] = xr.zeros_like(params["committed_it_new_gw"])
    return out.assign_attrs(scenario=f"{params.attrs.get('scenario', '')}__counterfactual")


def with_counterfactual(res: xr.Dataset, cf: xr.Dataset) -> xr.Dataset:
    """``res`` with the differences to the counterfactual run ``cf`` (both optimal)."""
    out = res.copy()
    paid = res["other_consumers_payment_musd"] - cf["other_consumers_payment_musd"]
    energy = res["other_load_twh"]
    out["other_consumers_cost_change_busd"] = paid / 1e3
    out["other_consumers_price_change_usd_per_mwh"] = paid / energy.where(energy > 0)
    out["dc_caused_capacity_new_gw"] = res["fleet_capacity_new_gw"] - cf["fleet_capacity_new_gw"]
    out["dc_caused_generation_twh"] = res["fleet_generation_twh"] - cf["fleet_generation_twh"]
    onsite = res["emissions_mtco2"] - res["dc_grid_emissions_mtco2"]
    onsite_cf = cf["emissions_mtco2"] - cf["dc_grid_emissions_mtco2"]
    out["emissions_consequential_mtco2"] = (
        res["system_emissions_mtco2"] - cf["system_emissions_mtco2"] + onsite - onsite_cf
    ).where(res["grid_mode"] == "system")
    out["emissions_attributional_mtco2"] = res["emissions_mtco2"].where(
        res["grid_mode"] == "system"
    )
    out["grid_energy_price_counterfactual_usd_per_mwh"] = cf["grid_energy_price_usd_per_mwh"]
    out["capacity_price_counterfactual_usd_per_kw_yr"] = cf["capacity_price_usd_per_kw_yr"]
    for name, (units, long_name) in COUNTERFACTUAL_VARIABLES.items():
        out[name].attrs.update(units=units, long_name=long_name)
    return out.assign_attrs(
        counterfactual=1,
        counterfactual_objective_musd=cf.attrs.get("objective_musd"),
        counterfactual_warm_start=cf.attrs.get("warm_start", 0),
        counterfactual_solve_time_s=cf.attrs.get("solve_time_s", 0.0),
    )
