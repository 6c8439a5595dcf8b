"""Primal values and duals of a solved model -> the results Dataset (with units)."""

from __future__ import annotations

import importlib.metadata
from typing import Any

import numpy as np
import pyomo.environ as pyo
import xarray as xr

import energymodel
from energymodel.model.advice import explain
from energymodel.model.arrays import ArrayModel
from energymodel.model.arrays import Solution as ArraySolution
from energymodel.results.connection import CONNECTION_VARIABLES, connection_results
from energymodel.results.grid_system import SYSTEM_VARIABLES, attributed_emissions, system_results
from energymodel.results.limits import LIMIT_VARIABLES, limit_duals
from energymodel.results.shed import explain_shed
from energymodel.results.tokens import TOKEN_VARIABLES, token_results
from energymodel.scenario.schema import COMPONENTS
from energymodel.solve import SolveResult
from energymodel.units import GWH_PER_TWH, TWH_PER_GW_YEAR

ZERO_TOLERANCE = 1e-9  # below HiGHS's feasibility tolerance (1e-7)
SHED_TOLERANCE = 1e-6
"""Unserved energy above this share of the year's world demand counts as shed."""

# name -> (units, long name): every variable of the results contract
VARIABLES: dict[str, tuple[str, str]] = {
    "it_capacity_gw": ("GW", "IT capacity alive"),
    "it_capacity_new_gw": ("GW", "IT capacity built in the year"),
    "facility_capacity_gw": ("GW", "facility (shell, power, cooling) capacity alive, in GW of IT"),
    "facility_capacity_new_gw": ("GW", "facility capacity built in the year, in GW of IT"),
    "supply_capacity_gw": ("GW", "power supply capacity alive (grid = interconnection)"),
    "supply_capacity_new_gw": ("GW", "power supply capacity built in the year"),
    "generation_twh": ("TWh", "energy delivered by each source (grid: net import; battery net)"),
    "dispatch_gw": ("GW", "power delivered by each source in each timeslice"),
    "facility_energy_twh": ("TWh", "facility electricity (IT energy x PUE)"),
    "demand_it_twh": ("TWh", "IT energy demanded"),
    "it_energy_twh": ("TWh", "IT energy served"),
    "unserved_it_energy_twh": ("TWh", "IT energy demanded but not served"),
    "it_load_gw": ("GW", "IT load served in each timeslice"),
    "it_peak_gw": ("GW", "highest IT load of the year (firm supply covers it plus the margin)"),
    "stranded_it_capacity_gw": (
        "GW",
        (
            "IT capacity alive beyond what the load needs (its peak / highest draw, its "
            "energy / average utilisation)"
        ),
    ),
    "shed": (
        "1",
        (
            "1 where demand of the workload is not served in full (marginal cost = "
            "value of lost compute, not a price)"
        ),
    ),
    "clean_energy_twh": (
        "TWh",
        (
            "clean energy used or exported: clean generation dispatched + grid clean share of "
            "imports - storage losses"
        ),
    ),
    "emissions_mtco2": ("MtCO2", "emissions of the power used by data centres"),
    "cost_musd": ("M$", "yearly cost, in that year's money (annualised capital charges)"),
    "capex_musd": ("M$", "overnight investment in the year's builds"),
    "marginal_cost_usd_per_mwh": ("USD/MWh", "marginal cost of compute per MWh of IT energy"),
    "energy_price_usd_per_mwh": (
        "USD/MWh",
        "marginal cost of facility energy, load-weighted (dual of the power balance; marginal)",
    ),
    "marginal_capacity_cost_usd_per_mwh": (
        "USD/MWh",
        (
            "load-weighted capacity part of the marginal cost of power: the firm-capacity dual "
            "spread over the hours that set the peak (marginal; not a capacity-auction price)"
        ),
    ),
    "power_price_usd_per_mwh": (
        "USD/MWh",
        "marginal cost of facility power, energy and firm capacity, load-weighted (marginal)",
    ),
    "timeslice_weight_h": ("h", "hours of the year each timeslice stands for"),
    **TOKEN_VARIABLES,
    **SYSTEM_VARIABLES,
    **CONNECTION_VARIABLES,
    **LIMIT_VARIABLES,
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
    ny, nr, _nt = len(years), len(regions), len(slices)
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

    am, sol = m.arrays, result.arrays
    assert sol is not None  # a solution exists (col_value is not empty)

    def block(name: str) -> xr.DataArray:
        """Values of a bulk-built block; 0 where it has no column (e.g. solar at night)."""
        values = am.values(name, sol).fillna(0.0)
        return values.where(abs(values) >= ZERO_TOLERANCE, 0.0)

    ds["it_capacity_gw"] = da(_values(m.it_capacity_gw, (ny, nr)), yr)
    ds["it_capacity_new_gw"] = da(_values(m.it_new_gw, (ny, nr)), yr)
    ds["facility_capacity_gw"] = da(_values(m.facility_capacity_gw, (ny, nr)), yr)
    ds["facility_capacity_new_gw"] = da(_values(m.facility_new_gw, (ny, nr)), yr)

    # supply capacity and dispatch, one tech axis: generators, storage, then the grid
    cap = [da(_values(m.grid_capacity_gw, (ny, nr)), yr).expand_dims(tech=["grid"], axis=2)]
    new = [da(_values(m.grid_new_gw, (ny, nr)), yr).expand_dims(tech=["grid"], axis=2)]
    grid_flow = block("grid_import_gw")
    if "grid_export_gw" in am.variables:
        grid_flow = grid_flow - block("grid_export_gw")
    disp = [grid_flow.expand_dims(tech=["grid"], axis=2)]
    yrs, _yrst = ("year", "region", "tech"), ("year", "region", "tech", "timeslice")
    if gens:
        c = {"tech": gens}
        cap.append(
            xr.DataArray(_values(m.supply_capacity_gw, (ny, nr, len(gens))), dims=yrs, coords=c)
        )
        new.append(xr.DataArray(_values(m.supply_new_gw, (ny, nr, len(gens))), dims=yrs, coords=c))
        disp.append(block("generation_gw"))
    if stos:
        c = {"tech": stos}
        cap.append(
            xr.DataArray(_values(m.storage_capacity_gw, (ny, nr, len(stos))), dims=yrs, coords=c)
        )
        new.append(xr.DataArray(_values(m.storage_new_gw, (ny, nr, len(stos))), dims=yrs, coords=c))
        disp.append(block("discharge_gw") - block("charge_gw"))
    ds["supply_capacity_gw"] = xr.concat(cap, "tech").reindex(tech=techs)
    ds["supply_capacity_new_gw"] = xr.concat(new, "tech").reindex(tech=techs)
    ds["dispatch_gw"] = (
        xr.concat(disp, "tech").reindex(tech=techs).assign_coords(timeslice=ds.timeslice)
    )
    ds["generation_twh"] = (ds["dispatch_gw"] * hours).sum("timeslice") / GWH_PER_TWH

    # compute: load by workload, energy served and not
    ds["it_load_gw"] = (
        _evaluate(am, "it_load_gw", sol)
        .transpose("year", "region", "workload", "timeslice")
        .assign_coords(workload=ds.workload, timeslice=ds.timeslice)
    )
    ds["it_peak_gw"] = ds["it_load_gw"].sum("workload").max("timeslice")  # the dispatch's
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
    inf_unserved = da(_values(m.inference_unserved_twh, (ny, nr)), yr)
    ds["unserved_it_energy_twh"] = (
        xr.concat([train_unserved * train_share, inf_unserved], "workload")
        .assign_coords(workload=ds.workload)
        .transpose("year", "region", "workload")
    )
    ds["shed"] = shed_flags(train_unserved, inf_unserved, params)
    ds["facility_energy_twh"] = _evaluate(am, "facility_energy_twh", sol).transpose(*yr)
    ds["clean_energy_twh"] = _evaluate(am, "clean_energy_twh", sol).transpose(*yr)
    energy_need = ds["it_energy_twh"].sum("workload") / (
        float(params["avg_utilisation_frac"]) * TWH_PER_GW_YEAR
    )
    peak_need = ds["it_load_gw"].sum("workload").max("timeslice") / float(params["max_draw_frac"])
    stranded = ds["it_capacity_gw"] - np.maximum(energy_need, peak_need)
    ds["stranded_it_capacity_gw"] = stranded.where(stranded > 1e-6, 0.0)  # not round-off
    ds["emissions_mtco2"] = _evaluate(am, "emissions_mtco2", sol).transpose(*yr)

    # costs: yearly, and the overnight capex of each year's builds; tokens and generations
    ds["cost_musd"], response, system_cost = _costs(am, sol, ds, train_share)
    ds.update(token_results(m, params, response))
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
    balance = am.duals("power_balance", sol).transpose(*yrt)
    energy_price = balance / (money * hours / GWH_PER_TWH)
    capacity_price = _capacity_price(
        da(_duals(m.firm_capacity, result, (ny, nr)), yr),
        am.duals("it_peak", sol).transpose(*yrt),
        float(params["reserve_margin_frac"]),
    ) / (money * hours / GWH_PER_TWH)
    load = ds["it_load_gw"].sum("workload") * hours
    total = load.sum("timeslice")

    def load_weighted(price: xr.DataArray) -> xr.DataArray:
        return (price * load).sum("timeslice") / total.where(total > 0)

    ds["energy_price_usd_per_mwh"] = load_weighted(energy_price)
    ds["marginal_capacity_cost_usd_per_mwh"] = load_weighted(capacity_price)
    ds["power_price_usd_per_mwh"] = (
        ds["energy_price_usd_per_mwh"] + ds["marginal_capacity_cost_usd_per_mwh"]
    )
    ds.update(limit_duals(m, params, result, money))  # limits that can cut demand
    ds["timeslice_weight_h"] = hours
    if "system_region_frac" in params and bool((params["system_region_frac"] > 0).any()):
        adequacy = da(_duals(m.system_adequacy, result, (ny, nr)), yr)
        system = system_results(m, params, am, sol, adequacy, ds)
        ds.update(system["variables"])
        ds["system_cost_musd"] = system_cost
        ds["cost_musd"].loc[{"component": "grid_energy"}] += system["grid_energy"]
        ds["cost_musd"].loc[{"component": "grid_capacity"}] += system["grid_capacity"]
        ds["dc_grid_emissions_mtco2"] = attributed_emissions(ds, params)
        ds["emissions_mtco2"] = ds["emissions_mtco2"] + ds["dc_grid_emissions_mtco2"]
    else:
        ds["grid_mode"] = xr.DataArray(["tariff"] * nr, dims="region", coords={"region": regions})
        ds["grid_connection_gw"] = ds["supply_capacity_gw"].sel(tech="grid", drop=True)
        ds["grid_energy_price_usd_per_mwh"] = params["grid_price_usd_per_mwh"]
        ds["grid_carbon_tco2_per_mwh"] = params["grid_carbon_tco2_per_mwh"]
    ds.update(connection_results(m, params, ds))
    for name, (units, long_name) in VARIABLES.items():
        if name in ds:
            ds[name].attrs.update(units=units, long_name=long_name)
    return _attrs(ds, params, result).assign_attrs(shed_warning=explain_shed(ds, params))


def shed_flags(
    training_unserved_twh: xr.DataArray, inference_unserved_twh: xr.DataArray, params: xr.Dataset
) -> xr.DataArray:
    """1 where a workload's demand is not served in full, by year, region and workload.

    Inference: the region sheds. Training is one world-wide pool: when it sheds, every
    region where training may run is flagged (its marginal cost there is the value of
    lost training compute).
    """
    demand = params["demand_it_twh"]
    tolerance = SHED_TOLERANCE * demand.sum(["region", "workload"])
    allowed = params["training_allowed_frac"] > 0
    training = (training_unserved_twh > tolerance) & allowed
    inference = inference_unserved_twh > tolerance
    flags = xr.concat([training, inference], "workload").assign_coords(workload=demand.workload)
    return flags.transpose("year", "region", "workload").astype(float)


def _capacity_price(
    firm_dual: xr.DataArray, peak_duals: xr.DataArray, margin: float
) -> xr.DataArray:
    r"""The firm-capacity dual spread over the hours that set the peak (objective units).

    .. math:: c_{y,r,t} = (1 + \rho)\, \mu_{y,r}\, \pi_{y,r,t} / \textstyle\sum_{t'} \pi_{y,r,t'}

    per GW of facility load in timeslice :math:`t`: :math:`\mu` is the dual of
    ``firm_capacity`` (per GW of firm supply), :math:`\pi_t` the duals of the ``it_peak``
    rows. One more GW of facility load in hour :math:`t` raises the peak by
    :math:`\pi_t / \sum \pi` GW on average, which needs :math:`(1 + \rho)` GW of firm
    supply. Zero where no firm row binds.
    """
    mu = abs(firm_dual).fillna(0.0)
    pi = abs(peak_duals).fillna(0.0)
    total = pi.sum("timeslice")
    return ((1 + margin) * mu * pi / total.where(total > 0)).fillna(0.0)


def _evaluate(am: ArrayModel, name: str, sol: ArraySolution) -> xr.DataArray:
    values = am.evaluate(am.expressions[name], sol)
    return values.where(abs(values) >= ZERO_TOLERANCE, 0.0)


def _costs(
    am: ArrayModel, sol: ArraySolution, ds: xr.Dataset, train_share: xr.DataArray
) -> tuple[xr.DataArray, xr.DataArray | None, xr.DataArray | None]:
    """Yearly cost by year, region and component (M$), the ``demand_response`` term and
    the regional system's costs (``system_*`` components, by ``system_component``).

    A cost without a region (unserved training, one world-wide pool) is shared among the
    regions by their share of training demand. The value of elastic demand's steps is in
    the objective but not a cost (None without elastic demand). The system's costs are
    not the data centres' (they pay prices instead): None without a ``system`` region.
    """
    dims = ("year", "region", "component")
    out = xr.DataArray(
        np.zeros(tuple(ds.sizes[d] for d in dims)), dims=dims, coords={d: ds[d] for d in dims}
    )
    response = None
    system: dict[str, xr.DataArray] = {}
    for component, parts in am.cost_by_component(sol).items():
        for part in parts:
            by_region = (part if "region" in part.dims else part * train_share).transpose(*dims[:2])
            if component == "demand_response":
                response = by_region
            elif component == "clean_shortfall":  # the check's device (model/policy.py)
                continue
            elif component.startswith("system_"):
                name = component.removeprefix("system_")
                system[name] = system.get(name, 0.0) + by_region
            else:
                out.loc[{"component": component}] += by_region
    system_cost = (
        xr.concat(list(system.values()), "system_component").assign_coords(
            system_component=list(system)
        )
        if system
        else None
    )
    return out, response, system_cost


def _capex(ds: xr.Dataset, params: xr.Dataset) -> xr.DataArray:
    """Overnight investment of each year's builds, by cost component (M$)."""
    new = ds["supply_capacity_new_gw"]
    power = (new.drop_sel(tech="grid") * params["capex_usd_per_kw"]).sum("tech")
    accelerators = ds["it_capacity_new_gw"] * params["it_capex_usd_per_kw"]
    if "accelerator_new_gw" in ds:
        accelerators = (ds["accelerator_new_gw"] * params["accelerator_capex_usd_per_kw"]).sum(
            "accelerator"
        )
    parts = {
        "accelerators": accelerators,
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
        "solver_method_used": result.method_used,
        "solver_dual_pricing": result.dual_pricing,
        "diagnosis": "; ".join(result.diagnosis),
        "advice": explain(result.violations, result.diagnosis),
        "violations": "; ".join(
            f"{v.constraint}[{','.join(map(str, v.index))}] {v.amount:.6g}"
            for v in result.violations
        ),
        "world_limits": params.attrs.get("world_limits", ""),
        "energymodel_version": energymodel.__version__,
        "pyomo_version": importlib.metadata.version("pyomo"),
        "highspy_version": result.highs_version,
    }
    attrs.update({k: v for k, v in params.attrs.items() if k.startswith("sweep__")})
    return ds.assign_attrs(attrs)
