"""``tiny_params``: a parameter Dataset built in code, so every number a test uses is visible.

Defaults give the simplest system whose optimum is easy to work out by hand: one region,
one year, one timeslice of 8,760 h, a cost of capital of 0 (so an annuity is capex/life),
PUE 1, IT drawing its full nameplate (highest draw and average utilisation 1), no reserve
margin, grid only, storage counted fully firm from 4 h, no flexible load.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import xarray as xr

from energymodel.params.tokens import elastic_steps, lowest_step_wtp, step_grid
from energymodel.scenario.connection import FIRM_FUEL_OPTIONS

CLASSES = ("chat", "reasoning")
TECH_DEFAULTS: dict[str, float] = {
    "capex_usd_per_kw": 1000.0,
    "fom_usd_per_kw_yr": 0.0,
    "vom_usd_per_mwh": 0.0,
    "fuel_usd_per_mwh": 0.0,
    "emissions_tco2_per_mwh": 0.0,
    "life_yr": 10.0,
    "firm_credit_frac": 1.0,
    "clean_frac": 0.0,
    "roundtrip_efficiency_frac": 1.0,
    "duration_h": 0.0,
    "max_build_gw_per_yr": np.nan,
    "build_allowed_frac": 1.0,
    "max_cf_frac": 1.0,
    "lead_time_yr": 0.0,
    "firm_fuel_usd_per_kw_yr": 0.0,
    "nonfirm_fuel_credit_frac": 1.0,
}


def tiny_params(
    *,
    years: tuple[int, ...] = (2030,),
    regions: tuple[str, ...] = ("r1",),
    day_hours: int = 1,
    days: int = 1,
    day_sequence: list[int] | None = None,
    inference_twh: float | dict[Any, float] = 8.76,
    training_twh: float | dict[Any, float] = 0.0,
    inference_shape: list[float] | None = None,
    flexible_frac: float | dict[str, float] = 0.0,
    training_allowed: dict[str, float] | None = None,
    techs: dict[str, dict[str, Any]] | None = None,
    availability: dict[str, list[float]] | None = None,
    grid_price_usd_per_mwh: float | list[float] = 50.0,
    grid_carbon_tco2_per_mwh: float | list[float] = 0.0,
    grid_clean_frac: float | list[float] = 0.0,
    existing_connection_gw: float = 0.0,
    max_new_connection_gw_per_yr: float | dict[int, float] = np.nan,
    connection_ceiling_gw: float | dict[int, float] = np.nan,
    connection_capex_usd_per_kw: float = 400.0,
    it_capex_usd_per_kw: float = 1000.0,
    it_life_yr: float = 5.0,
    facility_capex_usd_per_kw: float = 0.0,
    facility_life_yr: float = 20.0,
    existing_it_gw: float | dict[Any, float] = 0.0,
    committed_it_new_gw: dict[Any, float] | None = None,
    it_max_build_gw_per_yr: float = np.nan,
    max_draw_frac: float = 1.0,
    avg_utilisation_frac: float = 1.0,
    pue_ratio: float = 1.0,
    reserve_margin_frac: float = 0.0,
    wacc: float = 0.0,
    carbon_price: float = 0.0,
    emissions_cap: float = np.nan,
    annual_clean_share: float = np.nan,
    hourly_clean_share: float = np.nan,
    unserved_penalty: float = 20000.0,
    training_value_frac: float = 0.8,
    storage_firm_hours: float = 4.0,
    year_weight: dict[int, float] | None = None,
    tokens_per_kwh: float | dict[str, float] = 2.0e6,
    inference_mix: dict[str, float] | None = None,
    price_usd_per_mtok: float = 2.0,
    elasticity: float = 0.0,
    efficiency: float = 1.0,
    it_fom_frac: float = 0.0,
    accelerators: dict[str, dict[str, float]] | None = None,
    connection_on_nameplate: bool = False,
    islanded_redundancy_frac: float | None = None,
    firm_fuel: str = "choice",
) -> xr.Dataset:
    """Build a parameter Dataset of the ``docs/contracts.md`` shape.

    Inference demand is held as tokens: ``inference_twh`` is the IT energy it needs on the
    reference hardware, ``efficiency`` multiplies tokens per kWh (so the demand in
    reference IT energy is ``inference_twh / efficiency``), and ``elasticity`` > 0 adds the
    willingness-to-pay steps of ``params/tokens.py`` around it at ``price_usd_per_mtok``.
    ``accelerators``: generations ``{name: {ratio, capex, first[, life]}}`` (tokens per kWh
    over the reference, USD/kW, first year); the first holds the existing fleet.
    ``connection_on_nameplate``: the connection is contracted on IT nameplate x PUE
    (``grid.connection_basis: nameplate``); ``islanded_redundancy_frac``: campuses may
    then run islanded with that much spare on-site firm capacity (None: they may not).
    ``firm_fuel``: ``supply.firm_fuel`` (``choice``, ``always``, ``never``).
    """
    techs = techs or {}
    n = day_hours * days
    y, r, s = list(years), list(regions), list(techs)
    timeslice = np.arange(n)
    weight_h = np.full(n, 8760.0 / n)
    # day_sequence: the representative day each calendar day follows, in order; storage
    # is linked across it (time.link_storage). Each day then weighs as often as it occurs.
    if day_sequence is not None:
        counts = np.bincount(day_sequence, minlength=days)
        weight_h = np.repeat(counts * 8760.0 / len(day_sequence) / day_hours, day_hours)

    def per(value: float | dict[Any, float], keys: list[Any]) -> list[float]:
        return [value.get(k, 0.0) if isinstance(value, dict) else value for k in keys]

    yr = [(yy, rr) for yy in y for rr in r]
    demand = np.zeros((len(y), len(r), 2))
    demand[:, :, 0] = np.reshape(per(training_twh, yr), (len(y), len(r)))
    demand[:, :, 1] = np.reshape(per(inference_twh, yr), (len(y), len(r))) / efficiency
    shape = np.tile(np.asarray(inference_shape or [1.0] * day_hours, float), days)
    price = np.tile(np.asarray(np.broadcast_to(grid_price_usd_per_mwh, (day_hours,)), float), days)

    tech_values = {k: [techs[t].get(k, d) for t in s] for k, d in TECH_DEFAULTS.items()}
    rates = [
        efficiency * (tokens_per_kwh[c] if isinstance(tokens_per_kwh, dict) else tokens_per_kwh)
        for c in CLASSES
    ]
    mix = [(inference_mix or {"chat": 0.5, "reasoning": 0.5})[c] for c in CLASSES]
    avail = np.ones((len(r), len(s), n))
    for j, t in enumerate(s):
        avail[:, j, :] = tech_values["max_cf_frac"][j]
        if availability and t in availability:
            given = np.asarray(availability[t], float)  # one day (repeated) or every timeslice
            avail[:, j, :] = given if given.size == n else np.tile(given, days)

    ds = xr.Dataset(
        {
            "year_weight_yr": ("year", [(year_weight or {}).get(yy, 1.0) for yy in y]),
            "discount_factor_ratio": ("year", [(1 + wacc) ** -(yy - y[0]) for yy in y]),
            "timeslice_weight_h": ("timeslice", weight_h),
            "day_of_year_rep": ("calendar_day", day_sequence or list(range(days))),
            "link_storage_flag": float(day_sequence is not None),
            "demand_it_twh": (("year", "region", "workload"), demand),
            "inference_shape_ratio": (("region", "timeslice"), np.tile(shape, (len(r), 1))),
            "flexible_frac": (
                "workload",
                [
                    flexible_frac.get(w, 0.0) if isinstance(flexible_frac, dict) else flexible_frac
                    for w in ("training", "inference")
                ],
            ),
            "training_allowed_frac": ("region", per(training_allowed or 1.0, r)),
            "pue_ratio": (("year", "region"), np.full((len(y), len(r)), pue_ratio)),
            "max_draw_frac": max_draw_frac,
            "avg_utilisation_frac": avg_utilisation_frac,
            "it_capex_usd_per_kw": ("year", [it_capex_usd_per_kw] * len(y)),
            "facility_capex_usd_per_kw": ("year", [facility_capex_usd_per_kw] * len(y)),
            "it_fom_frac_per_yr": ("year", [it_fom_frac] * len(y)),
            "facility_fom_usd_per_kw_yr": ("year", [0.0] * len(y)),
            "it_life_yr": it_life_yr,
            "facility_life_yr": facility_life_yr,
            "it_max_build_gw_per_yr": ("year", [it_max_build_gw_per_yr] * len(y)),
            "existing_it_capacity_gw": (
                ("year", "region"),
                np.reshape(per(existing_it_gw, yr), (len(y), len(r))),
            ),
            "committed_it_new_gw": (
                ("year", "region"),
                np.reshape(per(committed_it_new_gw or 0.0, yr), (len(y), len(r))),
            ),
            "tokens_per_kwh": (("year", "model_class"), np.tile(rates, (len(y), 1))),
            "inference_mix_frac": (("year", "model_class"), np.tile(mix, (len(y), 1))),
            "availability_frac": (("region", "tech", "timeslice"), avail),
            "grid_price_usd_per_mwh": (
                ("year", "region", "timeslice"),
                np.broadcast_to(price, (len(y), len(r), n)).copy(),
            ),
            "grid_carbon_tco2_per_mwh": (
                ("year", "region", "timeslice"),
                _hourly(grid_carbon_tco2_per_mwh, len(y), len(r), day_hours, days),
            ),
            "grid_clean_frac": (
                ("year", "region", "timeslice"),
                _hourly(grid_clean_frac, len(y), len(r), day_hours, days),
            ),
            "existing_connection_gw": ("region", [existing_connection_gw] * len(r)),
            "connection_ceiling_gw": (
                ("year", "region"),
                np.tile(np.reshape(per(connection_ceiling_gw, y), (len(y), 1)), (1, len(r))),
            ),
            "connection_capex_usd_per_kw": ("region", [connection_capex_usd_per_kw] * len(r)),
            "max_new_connection_gw_per_yr": (
                ("year", "region"),
                np.tile(np.reshape(per(max_new_connection_gw_per_yr, y), (len(y), 1)), (1, len(r))),
            ),
            "carbon_price_usd_per_tco2": ("year", [carbon_price] * len(y)),
            "emissions_cap_mtco2": ("year", [emissions_cap] * len(y)),
            "annual_clean_share_frac": ("year", [annual_clean_share] * len(y)),
            "hourly_clean_share_frac": ("year", [hourly_clean_share] * len(y)),
            "unserved_penalty_usd_per_mwh": (
                ("year", "workload"),
                np.tile([training_value_frac * unserved_penalty, unserved_penalty], (len(y), 1)),
            ),
            "storage_firm_hours": storage_firm_hours,
            "reserve_margin_frac": reserve_margin_frac,
            "wacc_frac": wacc,
            "price_usd_per_mtok": ("year", [price_usd_per_mtok] * len(y)),
            "revenue_musd": ("year", [np.nan] * len(y)),
            "capex_to_revenue_frac": 0.25,
            "target_margin_frac": 0.0,
            "it_kw_per_gpu": 1.67,
        },
        coords={
            "year": y,
            "region": r,
            "tech": s,
            "workload": ["training", "inference"],
            "model_class": list(CLASSES),
            "timeslice": timeslice,
            "timeslice_day": ("timeslice", np.repeat(np.arange(days), day_hours)),
            "timeslice_hour": ("timeslice", np.tile(np.arange(day_hours), days)),
            "calendar_day": np.arange(len(day_sequence or range(days))),
        },
        attrs={"scenario": "tiny", "description": "hand-built test system"},
    )
    reference = float(np.dot(rates, mix))
    ds["demand_tokens_tn"] = ds["demand_it_twh"].sel(workload="inference", drop=True) * (
        reference / 1e3
    )
    ds["demand_elasticity"] = ("year", [elasticity] * len(y))
    if elasticity > 0:
        steps = elastic_steps(
            np.full(len(y), elasticity),
            np.full(len(y), price_usd_per_mtok),
            np.full(len(y), reference),
            demand[:, :, 1],
        )
        ds = ds.assign_coords(demand_step=step_grid()[1]).assign(steps)
        lost = lowest_step_wtp(np.array([elasticity]))[0] * price_usd_per_mtok * reference / 1e3
        penalty = ds["unserved_penalty_usd_per_mwh"]
        ds["unserved_penalty_usd_per_mwh"] = penalty.where(
            penalty["workload"] == "training", np.maximum(penalty, lost)
        )
    if accelerators:
        ds = ds.assign_coords(accelerator=list(accelerators)).assign(
            _accelerators(accelerators, y, life=it_life_yr, rates=rates)
        )
    if connection_on_nameplate:
        ds["connection_on_nameplate_flag"] = 1.0
        ds["islanded_redundancy_frac"] = (
            np.nan if islanded_redundancy_frac is None else islanded_redundancy_frac
        )
    for k in ("capex_usd_per_kw", "fom_usd_per_kw_yr", "vom_usd_per_mwh"):
        ds[k] = (("year", "region", "tech"), np.tile(tech_values[k], (len(y), len(r), 1)))
    for k in ("emissions_tco2_per_mwh", "max_build_gw_per_yr", "build_allowed_frac"):
        ds[k] = (("year", "tech"), np.tile(tech_values[k], (len(y), 1)))
    ds["fuel_usd_per_mwh"] = (
        ("year", "region", "tech"),
        np.tile(tech_values["fuel_usd_per_mwh"], (len(y), len(r), 1)),
    )
    for k in (
        "life_yr",
        "firm_credit_frac",
        "clean_frac",
        "roundtrip_efficiency_frac",
        "duration_h",
        "lead_time_yr",
        "firm_fuel_usd_per_kw_yr",
        "nonfirm_fuel_credit_frac",
    ):
        ds[k] = ("tech", tech_values[k])
    ds["firm_fuel_option"] = float(FIRM_FUEL_OPTIONS.index(firm_fuel))
    return ds


def _hourly(value: float | list[float], ny: int, nr: int, day_hours: int, days: int) -> np.ndarray:
    """(year, region, timeslice): one number everywhere, or one value per hour of the day."""
    day = np.broadcast_to(np.asarray(value, float), (day_hours,))
    return np.broadcast_to(np.tile(day, days), (ny, nr, day_hours * days)).copy()


def _accelerators(
    given: dict[str, dict[str, float]], years: list[int], life: float, rates: list[float]
) -> dict[str, Any]:
    """The accelerator parameters of ``params/tokens.py`` for hand-given generations."""
    names = list(given)
    ratio = np.array([given[g]["ratio"] for g in names])
    first = np.array([given[g]["first"] for g in names])
    ya = ("year", "accelerator")
    return {
        "accelerator_capex_usd_per_kw": (
            ya,
            np.tile([given[g]["capex"] for g in names], (len(years), 1)),
        ),
        "accelerator_life_yr": ("accelerator", [given[g].get("life", life) for g in names]),
        "accelerator_allowed_frac": (ya, (np.array(years)[:, None] >= first).astype(float)),
        "accelerator_tokens_per_kwh": (
            ("year", "accelerator", "model_class"),
            np.broadcast_to(
                ratio[None, :, None] * np.array(rates)[None, None, :],
                (len(years), len(names), len(rates)),
            ).copy(),
        ),
        "accelerator_output_ratio": (ya, np.tile(ratio, (len(years), 1))),
        "accelerator_existing_frac": ("accelerator", (np.arange(len(names)) == 0) * 1.0),
        "accelerator_kw_per_gpu": ("accelerator", [1.67] * len(names)),
    }


FLEET_DEFAULTS: dict[str, float] = {
    "existing_gw": 0.0,
    "variable_cost_usd_per_mwh": 0.0,
    "emissions_tco2_per_mwh": 0.0,
    "accreditation_frac": 1.0,
    "clean_frac": 0.0,
    "energy_budget_frac": np.nan,
    "duration_h": 0.0,
    "roundtrip_efficiency_frac": 1.0,
    "capex_usd_per_kw": np.nan,  # NaN: no new build
    "fom_usd_per_kw_yr": 0.0,
    "life_yr": 10.0,
    "max_build_gw_per_yr": np.nan,
    "build_allowed_frac": 1.0,
    "max_cf_frac": 1.0,
}


def with_system(
    ds: xr.Dataset,
    *,
    fleet: dict[str, dict[str, Any]],
    other_load_gw: float | list[float] = 0.0,
    other_peak_gw: float | None = None,
    regions: tuple[str, ...] | None = None,
    availability: dict[str, list[float]] | None = None,
    reserve_margin_frac: float = 0.0,
    carbon_price: float = 0.0,
    clean_standard: float = np.nan,
    network_adder_usd_per_mwh: float = 0.0,
    voll: float = 10000.0,
    shortfall: float = 600.0,
    flexible_connection_frac: float = 0.0,
    curtailment_budget_frac: float = 0.005,
) -> xr.Dataset:
    """``ds`` with a regional power system (``grid.mode: system``) in ``regions`` (all).

    ``fleet``: grid technologies ``{name: {parameter: value}}`` (``FLEET_DEFAULTS``);
    ``existing_gw``, ``capex_usd_per_kw`` may be ``{year: value}``. ``other_load_gw``: one
    number, one value per hour of a day (repeated over the days) or one per timeslice. The data centres'
    grid price becomes the network adder, their grid carbon 0 (the system's is a result).
    ``flexible_connection_frac``: the non-firm share of a connection on offer, curtailed
    up to ``curtailment_budget_frac`` of its full-load energy.
    """
    y, r = list(ds.year.values), list(ds.region.values)
    system = [float(regions is None or rr in regions) for rr in r]
    g = list(fleet)
    n = ds.sizes["timeslice"]
    days = int(ds.timeslice_day.max()) + 1

    def value(tech: str, key: str) -> Any:
        return fleet[tech].get(key, FLEET_DEFAULTS[key])

    def by_year(key: str) -> np.ndarray:
        out = np.zeros((len(y), len(r), len(g)))
        for j, t in enumerate(g):
            v = value(t, key)
            out[:, :, j] = np.array([v.get(yy, 0.0) if isinstance(v, dict) else v for yy in y])[
                :, None
            ]
        return out

    def static(key: str) -> np.ndarray:
        return np.tile([value(t, key) for t in g], (len(r), 1)).astype(float)

    avail = np.ones((len(r), len(g), n))
    for j, t in enumerate(g):
        avail[:, j, :] = value(t, "max_cf_frac")
        if availability and t in availability:
            given = np.asarray(availability[t], float)
            avail[:, j, :] = given if given.size == n else np.tile(given, days)
    load = np.atleast_1d(np.asarray(other_load_gw, float))
    load = load if load.size == n else np.tile(np.broadcast_to(load, (n // days,)), days)
    peak = float(load.max()) if other_peak_gw is None else other_peak_gw
    flag = np.array(system)
    out = ds.assign_coords(grid_tech=g)
    out["system_region_frac"] = ("region", flag)
    out["other_load_gw"] = (
        ("year", "region", "timeslice"),
        np.broadcast_to(load, (len(y), len(r), n)) * flag[None, :, None],
    )
    out["other_peak_gw"] = (("year", "region"), np.full((len(y), len(r)), peak) * flag)
    for key in ("existing_gw", "capex_usd_per_kw", "max_build_gw_per_yr", "build_allowed_frac"):
        out[f"fleet_{key}"] = (YRG_DIMS, by_year(key))
    out["fleet_capex_usd_per_kw"] = out["fleet_capex_usd_per_kw"].where(
        np.isfinite(by_year("capex_usd_per_kw")) & (by_year("capex_usd_per_kw") > 0)
    )
    for key in ("variable_cost_usd_per_mwh", "emissions_tco2_per_mwh", "fom_usd_per_kw_yr"):
        out[f"fleet_{key}"] = (YRG_DIMS, by_year(key))
    for key in (
        "accreditation_frac",
        "energy_budget_frac",
        "duration_h",
        "roundtrip_efficiency_frac",
        "life_yr",
    ):
        out[f"fleet_{key}"] = (("region", "grid_tech"), static(key))
    out["fleet_clean_frac"] = ("grid_tech", [value(t, "clean_frac") for t in g])
    out["fleet_availability_frac"] = (("region", "grid_tech", "timeslice"), avail)
    out["system_reserve_margin_frac"] = (
        ("year", "region"),
        np.full((len(y), len(r)), reserve_margin_frac),
    )
    out["system_requirement_ratio"] = out["system_reserve_margin_frac"] + 1.0
    out["system_carbon_price_usd_per_tco2"] = (
        ("year", "region"),
        np.full((len(y), len(r)), carbon_price),
    )
    out["clean_standard_frac"] = (("year", "region"), np.full((len(y), len(r)), clean_standard))
    out["network_adder_usd_per_mwh"] = ("region", np.full(len(r), network_adder_usd_per_mwh))
    out["value_of_lost_load_usd_per_mwh"] = voll
    out["capacity_shortfall_usd_per_kw_yr"] = shortfall
    out["flexible_connection_frac"] = ("region", np.full(len(r), flexible_connection_frac))
    out["curtailment_budget_frac"] = curtailment_budget_frac
    for name in ("grid_price_usd_per_mwh", "grid_carbon_tco2_per_mwh"):
        tariff = out[name].where(out["system_region_frac"] == 0, 0.0)
        out[name] = (
            tariff
            + (network_adder_usd_per_mwh if name == "grid_price_usd_per_mwh" else 0.0)
            * out["system_region_frac"]
        )
    return out


YRG_DIMS = ("year", "region", "grid_tech")
