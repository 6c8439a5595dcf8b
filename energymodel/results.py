"""Primal values and duals of a solved model -> the results Dataset (with units)."""

from __future__ import annotations

import importlib.metadata
from typing import Any

import numpy as np
import pyomo.environ as pyo
import xarray as xr

import energymodel
from energymodel.scenario.schema import COMPONENTS
from energymodel.solve import SolveResult
from energymodel.units import GWH_PER_TWH, TWH_PER_GW_YEAR

ZERO_TOLERANCE = 1e-9  # below HiGHS's feasibility tolerance (1e-7)

# name -> (units, long name): every variable of the results contract
VARIABLES: dict[str, tuple[str, str]] = {
    "it_capacity_gw": ("GW", "IT capacity alive"),
    "it_capacity_new_gw": ("GW", "IT capacity built in the year"),
    "facility_capacity_gw": ("GW", "facility (shell, power, cooling) capacity alive, in GW of IT"),
    "facility_capacity_new_gw": ("GW", "facility capacity built in the year, in GW of IT"),
    "supply_capacity_gw": ("GW", "power supply capacity alive (grid = interconnection)"),
    "supply_capacity_new_gw": ("GW", "power supply capacity built in the year"),
    "generation_twh": ("TWh", "energy delivered by each source (grid import; battery net)"),
    "dispatch_gw": ("GW", "power delivered by each source in each timeslice"),
    "facility_energy_twh": ("TWh", "facility electricity (IT energy x PUE)"),
    "demand_it_twh": ("TWh", "IT energy demanded"),
    "it_energy_twh": ("TWh", "IT energy served"),
    "unserved_it_energy_twh": ("TWh", "IT energy demanded but not served"),
    "it_load_gw": ("GW", "IT load served in each timeslice"),
    "stranded_it_capacity_gw": ("GW", "IT capacity alive beyond what the peak load needs"),
    "emissions_mtco2": ("MtCO2", "emissions of the power used by data centres"),
    "cost_musd": ("M$", "yearly cost, in that year's money (annualised capital charges)"),
    "capex_musd": ("M$", "overnight investment in the year's builds"),
    "marginal_cost_usd_per_mwh": ("USD/MWh", "marginal cost of compute per MWh of IT energy"),
    "power_price_usd_per_mwh": ("USD/MWh", "load-weighted marginal cost of facility power"),
    "grid_connection_value_usd_per_kw_yr": (
        "USD/kW/yr",
        "value of one more kW of grid connection in the year, per remaining model year",
    ),
    "timeslice_weight_h": ("h", "hours of the year each timeslice stands for"),
}


def _values(component: Any, shape: tuple[int, ...]) -> np.ndarray:
    """Values of a dense indexed Var or Expression, reshaped in index (product) order."""
    if component.ctype is pyo.Var:
        flat = np.fromiter(
            (v.value if v.value is not None else np.nan for v in component.values()),
            float,
            count=len(component),
        )
    else:
        flat = np.fromiter((pyo.value(e) for e in component.values()), float, count=len(component))
    flat[np.abs(flat) < ZERO_TOLERANCE] = 0.0  # solver round-off, not a -0.0 GW build
    return flat.reshape(shape)


def _duals(constraint: Any, result: SolveResult, shape: tuple[int, ...]) -> np.ndarray:
    """Duals in index order; NaN for skipped indices or when no duals exist."""
    out = np.full(int(np.prod(shape)), np.nan)
    if result.row_dual.size == 0:
        return out.reshape(shape)
    keys = list(constraint.index_set())
    position = {k: i for i, k in enumerate(keys)}
    for idx, con in constraint.items():
        row = result.row.get(id(con))
        if row is not None:
            out[position[idx]] = result.row_dual[row]
    return out.reshape(shape)


def to_dataset(m: pyo.ConcreteModel, params: xr.Dataset, result: SolveResult) -> xr.Dataset:
    """Collect the results contract (``docs/contracts.md``) from a solved model."""
    years, regions = list(m.YEAR), list(m.REGION)
    gens, stos = list(m.GEN), list(m.STO)
    slices = list(m.TIMESLICE)
    ny, nr, nt = len(years), len(regions), len(slices)
    techs = [*gens, *stos, "grid"]
    coords = {
        "year": years,
        "region": regions,
        "tech": techs,
        "workload": ["training", "inference"],
        "timeslice": params.timeslice.to_numpy(),
        "component": list(COMPONENTS),
    }
    yr, yrt = ("year", "region"), ("year", "region", "timeslice")
    hours = params["timeslice_weight_h"]
    ds = xr.Dataset(coords=coords)
    ds = ds.assign_coords(timeslice_day=params.timeslice_day, timeslice_hour=params.timeslice_hour)
    if not result.col_value.size:
        return _attrs(ds, params, result)

    def da(values: np.ndarray, dims: tuple[str, ...]) -> xr.DataArray:
        return xr.DataArray(values, dims=dims, coords={d: ds[d] for d in dims})

    ds["it_capacity_gw"] = da(_values(m.it_capacity_gw, (ny, nr)), yr)
    ds["it_capacity_new_gw"] = da(_values(m.it_new_gw, (ny, nr)), yr)
    ds["facility_capacity_gw"] = da(_values(m.facility_capacity_gw, (ny, nr)), yr)
    ds["facility_capacity_new_gw"] = da(_values(m.facility_new_gw, (ny, nr)), yr)

    # supply capacity and dispatch, one tech axis: generators, storage, then the grid
    cap = [da(_values(m.grid_capacity_gw, (ny, nr)), yr).expand_dims(tech=["grid"], axis=2)]
    new = [da(_values(m.grid_new_gw, (ny, nr)), yr).expand_dims(tech=["grid"], axis=2)]
    disp = [da(_values(m.grid_import_gw, (ny, nr, nt)), yrt).expand_dims(tech=["grid"], axis=2)]
    yrs, yrst = ("year", "region", "tech"), ("year", "region", "tech", "timeslice")
    if gens:
        c = {"tech": gens}
        cap.append(
            xr.DataArray(_values(m.supply_capacity_gw, (ny, nr, len(gens))), dims=yrs, coords=c)
        )
        new.append(xr.DataArray(_values(m.supply_new_gw, (ny, nr, len(gens))), dims=yrs, coords=c))
        disp.append(
            xr.DataArray(_values(m.generation_gw, (ny, nr, len(gens), nt)), dims=yrst, coords=c)
        )
    if stos:
        c = {"tech": stos}
        shape4 = (ny, nr, len(stos), nt)
        cap.append(
            xr.DataArray(_values(m.storage_capacity_gw, (ny, nr, len(stos))), dims=yrs, coords=c)
        )
        new.append(xr.DataArray(_values(m.storage_new_gw, (ny, nr, len(stos))), dims=yrs, coords=c))
        net = _values(m.discharge_gw, shape4) - _values(m.charge_gw, shape4)
        disp.append(xr.DataArray(net, dims=yrst, coords=c))
    ds["supply_capacity_gw"] = xr.concat(cap, "tech").reindex(tech=techs)
    ds["supply_capacity_new_gw"] = xr.concat(new, "tech").reindex(tech=techs)
    ds["dispatch_gw"] = (
        xr.concat(disp, "tech").reindex(tech=techs).assign_coords(timeslice=ds.timeslice)
    )
    ds["generation_twh"] = (ds["dispatch_gw"] * hours).sum("timeslice") / GWH_PER_TWH

    # compute: load by workload, energy served and not
    shape = params["inference_shape_ratio"]
    served_inf = da(_values(m.inference_served_twh, (ny, nr)), yr)
    inf_load = served_inf * shape / TWH_PER_GW_YEAR
    if hasattr(m, "training_load_gw"):
        allowed = params["training_allowed_frac"]
        train_load = da(_values(m.training_load_gw, (ny, nr, nt)), yrt) * allowed
    else:
        train_load = da(_values(m.training_mean_gw, (ny, nr)), yr).broadcast_like(inf_load)
    ds["it_load_gw"] = (
        xr.concat([train_load, inf_load.transpose(*yrt)], "workload")
        .transpose("year", "region", "workload", "timeslice")
        .assign_coords(workload=ds.workload)
    )
    ds["it_energy_twh"] = (ds["it_load_gw"] * hours).sum("timeslice") / GWH_PER_TWH
    demand = params["demand_it_twh"]
    ds["demand_it_twh"] = demand
    train_total = demand.sel(workload="training", drop=True).sum("region")
    train_unserved = xr.DataArray(
        _values(m.training_unserved_twh, (ny,)), dims=("year",), coords={"year": years}
    )
    train_share = (
        demand.sel(workload="training", drop=True) / train_total.where(train_total > 0)
    ).fillna(0)
    ds["unserved_it_energy_twh"] = (
        xr.concat(
            [train_unserved * train_share, da(_values(m.inference_unserved_twh, (ny, nr)), yr)],
            "workload",
        )
        .assign_coords(workload=ds.workload)
        .transpose("year", "region", "workload")
    )
    ds["facility_energy_twh"] = da(_values(m.facility_energy_twh, (ny, nr)), yr)
    peak = ds["it_load_gw"].sum("workload").max("timeslice") / float(params["max_draw_frac"])
    ds["stranded_it_capacity_gw"] = (ds["it_capacity_gw"] - peak).clip(min=0)
    ds["emissions_mtco2"] = da(_values(m.emissions_mtco2, (ny, nr)), yr)

    # costs: yearly, and the overnight capex of each year's builds
    cost = xr.DataArray(
        _values(m.cost_musd, (ny, nr, len(COMPONENTS))),
        dims=("year", "region", "component"),
        coords={"component": list(COMPONENTS)},
    )
    global_cost = xr.DataArray(
        _values(m.global_cost_musd, (ny,)), dims=("year",), coords={"year": years}
    )
    unserved_global = (global_cost * train_share).expand_dims(component=["unserved"])
    ds["cost_musd"] = cost + unserved_global.reindex(component=list(COMPONENTS), fill_value=0.0)
    ds["capex_musd"] = _capex(ds, params)

    # duals -> prices, in each year's money (the objective is discounted and weighted)
    money = params["discount_factor_ratio"] * params["year_weight_yr"]
    inf_dual = da(_duals(m.inference_demand, result, (ny, nr)), yr)
    train_dual = xr.DataArray(
        _duals(m.training_demand, result, (ny,)), dims=("year",), coords={"year": years}
    )
    ds["marginal_cost_usd_per_mwh"] = (
        xr.concat([train_dual.broadcast_like(inf_dual), inf_dual], "workload")
        .assign_coords(workload=ds.workload)
        .transpose("year", "region", "workload")
        / money
    )
    balance = da(_duals(m.power_balance, result, (ny, nr, nt)), yrt)
    price = balance / (money * hours / GWH_PER_TWH)
    load = ds["it_load_gw"].sum("workload") * hours
    ds["power_price_usd_per_mwh"] = (price * load).sum("timeslice") / load.sum("timeslice").where(
        load.sum("timeslice") > 0
    )
    limit = da(_duals(m.grid_connection_limit, result, (ny, nr)), yr)
    remaining = (
        money.isel(year=slice(None, None, -1)).cumsum("year").isel(year=slice(None, None, -1))
    )
    ds["grid_connection_value_usd_per_kw_yr"] = -limit / remaining
    ds["timeslice_weight_h"] = hours
    for name, (units, long_name) in VARIABLES.items():
        if name in ds:
            ds[name].attrs.update(units=units, long_name=long_name)
    return _attrs(ds, params, result)


def _capex(ds: xr.Dataset, params: xr.Dataset) -> xr.DataArray:
    """Overnight investment of each year's builds, by cost component (M$)."""
    new = ds["supply_capacity_new_gw"]
    power = (new.drop_sel(tech="grid") * params["capex_usd_per_kw"]).sum("tech")
    parts = {
        "accelerators": ds["it_capacity_new_gw"] * params["it_capex_usd_per_kw"],
        "facility": ds["facility_capacity_new_gw"] * params["facility_capex_usd_per_kw"],
        "power_capex": power,
        "grid_connection": new.sel(tech="grid", drop=True) * params["connection_capex_usd_per_kw"],
    }
    out = xr.zeros_like(ds["cost_musd"])
    for component, value in parts.items():
        out.loc[{"component": component}] = value.transpose("year", "region")
    return out


def _attrs(ds: xr.Dataset, params: xr.Dataset, result: SolveResult) -> xr.Dataset:
    attrs: dict[str, Any] = {
        "scenario": params.attrs.get("scenario", ""),
        "description": params.attrs.get("description", ""),
        "scenario_yaml": params.attrs.get("scenario_yaml", ""),
        "termination": result.termination,
        "optimal": int(result.optimal),
        "objective_musd": np.nan if result.objective_musd is None else result.objective_musd,
        "load_time_s": result.load_time_s,
        "solve_time_s": result.solve_time_s,
        "highs_run_time_s": result.highs_run_time_s,
        "warm_start": int(result.warm_start),
        "simplex_iterations": result.simplex_iterations,
        "diagnosis": "; ".join(result.diagnosis),
        "energymodel_version": energymodel.__version__,
        "pyomo_version": importlib.metadata.version("pyomo"),
        "highspy_version": result.highs_version,
    }
    attrs.update({k: v for k, v in params.attrs.items() if k.startswith("sweep__")})
    return ds.assign_attrs(attrs)
