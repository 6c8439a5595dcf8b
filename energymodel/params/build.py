"""Scenario + input tables -> one parameter Dataset (``docs/contracts.md``, "params/").

Every number the LP uses passes through here, with its units, so a user can inspect the
whole parameterisation in a notebook before anything is solved::

    params = em.build_params(em.load_scenario("baseline"))
    params["demand_it_twh"].sel(year=2030).to_pandas()
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import xarray as xr

from energymodel.data.manifest import HOURLY_PROFILES, RATIO_PROFILES
from energymodel.data.tables import Inputs, load_inputs
from energymodel.data.timeseries import representative_days
from energymodel.params.catalogue import OPTIONAL_UNITS, UNITS
from energymodel.params.compute import committed, demand, penalty, per_workload, tokens_per_kwh
from energymodel.params.connection import connection_params
from energymodel.params.fuel import gas_price, onsite_gas_price
from energymodel.params.grid_system import (
    GRID_TECHS,
    add_system,
    flexible_days,
    region_modes,
    residual_load,
)
from energymodel.params.series import trajectory, year_weights
from energymodel.params.tokens import (
    accelerator_params,
    blended,
    elastic_steps,
    lowest_step_wtp,
    step_grid,
    token_demand,
)
from energymodel.params.world_share import apportion, describe, world_share
from energymodel.scenario.connection import FIRM_FUEL_OPTIONS
from energymodel.scenario.load import ScenarioError, check_against_inputs, scenario_to_yaml
from energymodel.scenario.schema import MODEL_CLASSES, WORKLOADS, Scenario

logger = logging.getLogger(__name__)

PROFILE_TECHS = ("solar_pv", "wind_onshore")  # availability from hourly profiles
# absolute hourly values not bounded by 1 (grid carbon, tCO2/MWh): clipped at 0 only
UNBOUNDED_PROFILES = tuple(
    p for p, h in HOURLY_PROFILES.items() if h.kind != "ratio" and h.hi != 1.0
)


def build_params(sc: Scenario, inputs: Inputs | None = None) -> xr.Dataset:
    """Every parameter of the LP for scenario ``sc``, by year, region, tech and timeslice."""
    if inputs is None:
        inputs = load_inputs(Path(sc.inputs_dir) if sc.inputs_dir else Path("inputs"))
    problems = check_against_inputs(sc, inputs)
    modes, mode_problems = region_modes(sc, inputs)
    problems += mode_problems
    if problems:  # a region, technology or trajectory the inputs lack
        raise ScenarioError(problems)
    years, regions = list(sc.years), list(sc.regions)
    all_techs = list(dict.fromkeys(inputs.technologies["tech"]))
    techs = list(sc.supply.techs) if sc.supply.techs is not None else all_techs
    ts = representative_days(
        inputs.hourly[[c for c in inputs.hourly.columns if c.split(":", 1)[1] in regions]],
        sc.time.days,
        ratio_columns=[f"{p}:{r}" for p in RATIO_PROFILES for r in regions],
        level_columns=[f"{p}:{r}" for p in UNBOUNDED_PROFILES for r in regions],
        extremes=sc.time.extreme_days,
        critical=tuple(sorted(set(sc.time.critical_days) | set(flexible_days(sc, inputs, modes)))),
        residual=residual_load(sc, inputs, modes),
    )
    nt = len(ts.weight_h)
    coords: dict[str, Any] = {
        "year": years,
        "region": regions,
        "tech": techs,
        "workload": list(WORKLOADS),
        "model_class": list(MODEL_CLASSES),
        "timeslice": np.arange(nt),
        "timeslice_day": ("timeslice", ts.day),
        "timeslice_hour": ("timeslice", ts.hour),
        "calendar_day": np.arange(len(ts.day_of_year)),
    }
    y_, yr, r_ = ("year",), ("year", "region"), ("region",)
    hw = _Hardware(inputs, years)
    pue = _pue(sc, inputs, years, regions)
    base_rates = tokens_per_kwh(sc, years, hw.series)  # (year, model_class)
    multiplier = trajectory(sc.hardware.efficiency_multiplier, years)
    mix = np.stack([trajectory(sc.demand.inference_mix_frac[c], years) for c in MODEL_CLASSES], 1)
    reference = blended(base_rates * multiplier[:, None], mix)
    it_demand, tokens = token_demand(
        sc,
        demand(sc, inputs, years, regions, pue),
        pue,
        reference,
        blended(base_rates, mix),
        years,
        regions,
    )
    data: dict[str, Any] = {
        "year_weight_yr": (y_, year_weights(years)),
        "discount_factor_ratio": (y_, (1 + sc.finance.wacc) ** -(np.array(years) - years[0])),
        "timeslice_weight_h": (("timeslice",), ts.weight_h),
        "day_of_year_rep": (("calendar_day",), ts.day_of_year),
        # critical days link storage: a hard day's storage must otherwise end where it
        # started, and the plan overbuilds for it (docs/time.md, measured)
        "link_storage_flag": float(sc.time.link_storage or bool(sc.time.critical_days)),
        "demand_it_twh": (("year", "region", "workload"), it_demand),
        "demand_tokens_tn": (yr, tokens),
        "demand_elasticity": (y_, trajectory(sc.demand.elasticity, years)),
        "inference_shape_ratio": (
            ("region", "timeslice"),
            np.stack([ts.profiles[f"inference_load:{r}"].to_numpy() for r in regions]),
        ),
        "flexible_frac": (("workload",), per_workload(sc.demand.flexible_frac)),
        "training_allowed_frac": (
            r_,
            [
                float(sc.demand.training_regions is None or r in sc.demand.training_regions)
                for r in regions
            ],
        ),
        "pue_ratio": (yr, pue),
        "max_draw_frac": hw.scalar("max_draw_frac", sc.hardware.max_draw_frac),
        "avg_utilisation_frac": hw.scalar("avg_utilisation_frac", sc.hardware.avg_utilisation_frac),
        "it_capex_usd_per_kw": (
            y_,
            hw.series("it_capex_usd_per_kw", sc.hardware.it_capex_usd_per_kw)
            * trajectory(sc.hardware.it_capex_multiplier, years),
        ),
        "facility_capex_usd_per_kw": (
            y_,
            hw.series("facility_capex_usd_per_kw", sc.hardware.facility_capex_usd_per_kw),
        ),
        "it_fom_frac_per_yr": (y_, hw.series("it_fom_frac_per_yr")),
        "facility_fom_usd_per_kw_yr": (y_, hw.series("facility_fom_usd_per_kw_yr")),
        "it_life_yr": hw.scalar("it_life_yr", sc.hardware.it_life_yr),
        "facility_life_yr": hw.scalar("facility_life_yr", sc.hardware.facility_life_yr),
        "it_max_build_gw_per_yr": (
            y_,
            hw.series("max_build_gw_per_yr", sc.hardware.max_build_gw_per_yr),
        ),
        "tokens_per_kwh": (("year", "model_class"), base_rates * multiplier[:, None]),
        "inference_mix_frac": (("year", "model_class"), mix),
        "it_kw_per_gpu": hw.scalar("it_kw_per_gpu", sc.hardware.kw_per_gpu),
    }
    it_life = data["it_life_yr"]
    fleet = sc.hardware.existing_it_capacity_gw
    existing = np.array(
        [fleet.get(r, inputs.regions.at[r, "existing_it_capacity_gw"]) for r in regions], float
    )
    left = np.clip(1 - (np.array(years) - years[0]) / it_life, 0, 1)  # linear retirement
    data["existing_it_capacity_gw"] = (yr, np.outer(left, existing))
    data["committed_it_new_gw"] = (yr, committed(sc, years, regions))
    data.update(_technologies(sc, inputs, years, regions, techs, ts.profiles))
    data.update(_grid(sc, inputs, years, regions, ts.profiles))
    data.update(_policy_and_market(sc, years))
    data.update(connection_params(sc, regions))
    share = world_share(sc, inputs, years)  # world-wide limits -> the modelled regions
    apportion(data, share)
    data["world_share_frac"] = (y_, share)
    if any(mode == "system" for mode in modes.values()):
        coords["grid_tech"] = list(GRID_TECHS)
        gas = gas_price(sc, inputs, years, regions)
        add_system(data, sc, inputs, years, regions, modes, ts.profiles, gas)
    data["unserved_penalty_usd_per_mwh"] = (
        ("year", "workload"),
        penalty(sc, years, data["tokens_per_kwh"][1], mix),
    )
    if sc.demand.is_elastic:  # steps of the willingness-to-pay curve (params/tokens.py)
        elasticity, price = data["demand_elasticity"][1], data["price_usd_per_mtok"][1]
        data.update(elastic_steps(elasticity, price, reference, it_demand[:, :, 1]))
        lost = lowest_step_wtp(elasticity) * price * reference / 1e3  # USD/MWh
        inference = WORKLOADS.index("inference")
        data["unserved_penalty_usd_per_mwh"][1][:, inference] = np.maximum(
            data["unserved_penalty_usd_per_mwh"][1][:, inference], lost
        )
    if sc.hardware.accelerators is not None:
        life = data["it_life_yr"]
        data.update(accelerator_params(sc, inputs, years, life, multiplier, mix, reference))

    if sc.demand.is_elastic:
        coords["demand_step"] = step_grid()[1]  # far end of each step, in units of Q0
    if sc.hardware.accelerators is not None:
        coords["accelerator"] = list(sc.hardware.accelerators)
    ds = xr.Dataset(data, coords=coords)
    missing = set(UNITS) - set(ds.data_vars)
    if missing:  # a programming error, not a user error
        raise RuntimeError(f"build_params did not set {sorted(missing)}")
    for name, (units, long_name) in (UNITS | OPTIONAL_UNITS).items():
        if name in ds:
            ds[name].attrs.update(units=units, long_name=long_name)
    apportioned = describe(sc, years, share)
    if apportioned:
        logger.info("%s: %s", sc.name, apportioned)
    return ds.assign_attrs(_provenance(sc), world_limits=apportioned)


class _Hardware:
    """Hardware and facility values: the scenario's override or ``hardware.csv``."""

    def __init__(self, inputs: Inputs, years: list[int]) -> None:
        self.inputs, self.years = inputs, years

    def series(self, parameter: str, override: Any = None) -> np.ndarray:
        if override is not None:
            return trajectory(override, self.years)
        return self.inputs.series("hardware", parameter, self.years).iloc[:, 0].to_numpy(float)

    def scalar(self, parameter: str, override: float | None = None) -> float:
        if override is not None:
            return float(override)
        return float(self.series(parameter)[0])


def _pue(sc: Scenario, inputs: Inputs, years: list[int], regions: list[str]) -> np.ndarray:
    """PUE by year and region: the scenario's, or each region's improving at the fleet rate.

    The yearly improvement ratio of the first model year applies to every later year.
    """
    if sc.hardware.pue_ratio is not None:
        return np.tile(trajectory(sc.hardware.pue_ratio, years)[:, None], (1, len(regions)))
    start = inputs.regions.loc[regions, "pue_ratio"].to_numpy(float)
    rate = inputs.series("hardware", "pue_improvement_ratio_per_yr", years).iloc[0, 0]
    return np.outer(float(rate) ** (np.array(years) - years[0]), start)


def _technologies(
    sc: Scenario,
    inputs: Inputs,
    years: list[int],
    regions: list[str],
    techs: list[str],
    profiles: pd.DataFrame,
) -> dict[str, Any]:
    """Cost, performance and availability of each power technology.

    Capex, fixed and variable O&M are by year, region and tech (a region's own rows in
    ``technologies.csv`` replace the blank-region rows there); the scenario's per-tech
    ``supply.fom_usd_per_kw_yr``, ``life_yr`` and ``firm_credit_frac`` replace the table
    in every region.
    """

    def by_year(parameter: str) -> np.ndarray:
        table = inputs.series("technologies", parameter, years)
        return table.reindex(columns=techs).to_numpy(float, copy=True)  # writable (copy-on-write)

    def by_region(parameter: str) -> np.ndarray:
        """(year, region, tech), NaN where a tech lacks the parameter."""
        return np.stack(
            [
                inputs.series("technologies", parameter, years, region=r)
                .reindex(columns=techs)
                .to_numpy(float)
                for r in regions
            ],
            axis=1,
        )

    def static(parameter: str, default: float = 0.0) -> np.ndarray:
        return np.nan_to_num(by_year(parameter)[0], nan=default)

    def per_tech(values: np.ndarray, override: Mapping[str, float] | None) -> np.ndarray:
        """``values`` (last axis tech) with the scenario's per-tech values put in."""
        out = np.array(values, dtype=float)
        for s, value in (override or {}).items():
            if s in techs:
                out[..., techs.index(s)] = value
        return out

    capex = by_region("capex_usd_per_kw") * np.array(
        [sc.supply.capex_multiplier.get(s, 1.0) for s in techs]
    )
    fom = per_tech(np.nan_to_num(by_region("fom_usd_per_kw_yr")), sc.supply.fom_usd_per_kw_yr)
    gas = onsite_gas_price(sc, inputs, years, regions)  # (year, region)
    heat_rate = np.nan_to_num(by_year("heat_rate_mmbtu_per_mwh"))
    fuel = heat_rate[:, None, :] * gas[:, :, None]

    build_limit = by_year("max_build_gw_per_yr")
    for s, gw in sc.supply.max_build_gw_per_yr.items():
        if s in techs:
            build_limit[:, techs.index(s)] = gw
    first = np.nan_to_num(static("available_from_year"), nan=0.0)
    for s, year in sc.supply.available_from_year.items():
        if s in techs:
            first[techs.index(s)] = year
    allowed = (np.array(years)[:, None] >= first[None, :]).astype(float)

    max_cf = np.nan_to_num(static("max_cf_frac", 1.0), nan=1.0)
    avail = np.empty((len(regions), len(techs), len(profiles)))
    for j, s in enumerate(techs):
        for i, r in enumerate(regions):
            column = f"{s}:{r}"
            avail[i, j] = profiles[column].to_numpy() if column in profiles else max_cf[j]
    duration = np.nan_to_num(static("duration_h"))
    return {
        "capex_usd_per_kw": (("year", "region", "tech"), capex),
        "fom_usd_per_kw_yr": (("year", "region", "tech"), fom),
        "vom_usd_per_mwh": (
            ("year", "region", "tech"),
            np.nan_to_num(by_region("vom_usd_per_mwh")),
        ),
        "fuel_usd_per_mwh": (("year", "region", "tech"), fuel),
        "emissions_tco2_per_mwh": (
            ("year", "tech"),
            np.nan_to_num(by_year("emissions_tco2_per_mwh")),
        ),
        "life_yr": (("tech",), per_tech(static("life_yr", 25.0), sc.supply.life_yr)),
        "firm_credit_frac": (
            ("tech",),
            per_tech(static("firm_credit_frac"), sc.supply.firm_credit_frac),
        ),
        "clean_frac": (("tech",), static("clean_frac")),
        "roundtrip_efficiency_frac": (
            ("tech",),
            np.nan_to_num(static("roundtrip_efficiency_frac", 1.0), nan=1.0),
        ),
        "duration_h": (("tech",), duration),
        "lead_time_yr": (("tech",), per_tech(static("lead_time_yr"), sc.supply.lead_time_yr)),
        "firm_fuel_usd_per_kw_yr": (("tech",), static("firm_fuel_usd_per_kw_yr")),
        "nonfirm_fuel_credit_frac": (("tech",), static("nonfirm_fuel_credit_frac", 1.0)),
        "firm_fuel_option": float(FIRM_FUEL_OPTIONS.index(sc.supply.firm_fuel)),
        "max_build_gw_per_yr": (("year", "tech"), build_limit),
        "build_allowed_frac": (("year", "tech"), allowed),
        "availability_frac": (("region", "tech", "timeslice"), avail),
    }


def _grid(
    sc: Scenario, inputs: Inputs, years: list[int], regions: list[str], profiles: pd.DataFrame
) -> dict[str, Any]:
    """Grid prices (shaped by hour), hourly carbon and clean share, and the connection queue.

    Carbon and clean share are the representative hours of ``grid_carbon:<region>`` and
    ``grid_clean:<region>`` (measured 2022 for the US regions), the same in every year.
    """
    table = inputs.regions.loc[regions]
    g = sc.grid

    def region_value(column: str, override: Mapping[str, float]) -> np.ndarray:
        return np.array([override.get(r, table.at[r, column]) for r in regions], dtype=float)

    def region_years(column: str, override: Mapping[str, Any]) -> np.ndarray:
        """(year, region): the scenario's number or trajectory per region, else the table's."""
        return np.stack(
            [trajectory(override.get(r, table.at[r, column]), years) for r in regions], axis=1
        )

    shape = np.stack([profiles[f"grid_price:{r}"].to_numpy() for r in regions])
    multiplier = trajectory(sc.prices.electricity_multiplier, years)
    base = table["grid_price_usd_per_mwh"].to_numpy(float)
    price = multiplier[:, None, None] * base[None, :, None] * shape[None, :, :]
    limit = region_years("max_new_connection_gw_per_yr", g.max_new_connection_gw_per_yr)

    def hourly(profile: str) -> np.ndarray:
        """(year, region, timeslice): the profile's representative hours in every year."""
        by_region = np.stack([profiles[f"{profile}:{r}"].to_numpy(float) for r in regions])
        return np.broadcast_to(by_region, (len(years), *by_region.shape)).copy()

    yrt = ("year", "region", "timeslice")
    return {
        "grid_price_usd_per_mwh": (yrt, price),
        "grid_carbon_tco2_per_mwh": (yrt, hourly("grid_carbon")),
        "grid_clean_frac": (yrt, hourly("grid_clean")),
        "existing_connection_gw": (
            ("region",),
            region_value("existing_connection_gw", g.existing_connection_gw),
        ),
        "connection_ceiling_gw": (
            ("year", "region"),
            region_years("connection_ceiling_gw", g.connection_ceiling_gw),
        ),
        "connection_capex_usd_per_kw": (
            ("region",),
            table["connection_capex_usd_per_kw"].to_numpy(float),
        ),
        "max_new_connection_gw_per_yr": (
            ("year", "region"),
            limit * g.connection_limit_multiplier,
        ),
    }


def _policy_and_market(sc: Scenario, years: list[int]) -> dict[str, Any]:
    p, y_ = sc.policy, ("year",)
    return {
        "carbon_price_usd_per_tco2": (y_, trajectory(p.carbon_price_usd_per_tco2, years)),
        "emissions_cap_mtco2": (y_, trajectory(p.emissions_cap_mtco2, years)),
        "annual_clean_share_frac": (y_, trajectory(p.annual_clean_share_frac, years)),
        "hourly_clean_share_frac": (y_, trajectory(p.hourly_clean_share_frac, years)),
        "reserve_margin_frac": sc.supply.reserve_margin_frac,
        "storage_firm_hours": sc.supply.storage_firm_hours,
        "wacc_frac": sc.finance.wacc,
        "price_usd_per_mtok": (y_, trajectory(sc.market.price_usd_per_mtok, years)),
        "revenue_musd": (y_, trajectory(sc.market.revenue_musd, years)),
        "capex_to_revenue_frac": sc.finance.capex_to_revenue_frac,
        "target_margin_frac": sc.finance.target_margin_frac,
    }


def _provenance(sc: Scenario) -> dict[str, Any]:
    attrs: dict[str, Any] = {
        "scenario": sc.name,
        "description": sc.description,
        "scenario_yaml": scenario_to_yaml(sc),
        "foresight": sc.time.foresight,
        "grid_counterfactual": int(sc.grid.counterfactual),
    }
    for key, value in sc.sweep_values.items():
        attrs[f"sweep__{key}"] = value
    return attrs
