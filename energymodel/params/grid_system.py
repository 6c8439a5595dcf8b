"""Parameters of the regional power systems (``grid.mode: system``, ``model/grid_system.py``).

Each ``system`` region gets its other load (the measured hourly shape ``other_load:<r>``
x the outlook's yearly energy), its fleet by grid technology (``grid_system.csv``: existing
capacity after retirements, availability, heat rate, fuel, carbon, accreditation, and the
cost of new grid-side plant), its reserve margin, carbon price and network adder. ``tariff``
regions get zeros (no rows are built for them).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from energymodel.data.manifest_grid import GRID_TECHS
from energymodel.params.headroom import headroom_params, tightest_days
from energymodel.params.series import trajectory
from energymodel.scenario.problems import Problem
from energymodel.scenario.schema import Scenario
from energymodel.units import GWH_PER_TWH, HOURS_PER_YEAR

GAS_TECHS = ("gas_cc", "gas_ct")  # fuel priced from the scenario's gas price
PROFILE_OF = {"wind": "wind_onshore", "solar": "solar_pv"}  # measured hourly availability
SYSTEM = "system"  # the pseudo-technology of grid_system.csv for region-wide values
LIFE_DEFAULT_YR = 30.0  # fallback only: every new-build row of grid_system.csv has its life


def system_available(inputs: Any) -> set[str]:
    """Regions for which the inputs hold a fleet and the other load's hourly shape."""
    table = getattr(inputs, "grid_system", None)
    if table is None or table.empty:
        return set()
    hourly = set(inputs.hourly.columns)
    return {str(r) for r in table["region"].unique() if f"other_load:{r}" in hourly}


def region_modes(sc: Scenario, inputs: Any) -> tuple[dict[str, str], list[Problem]]:
    """``{region: "system" | "tariff"}`` for the scenario's regions, and any problem.

    ``auto`` (the default) is ``system`` where the inputs have the data, else ``tariff``;
    asking for ``system`` where they do not is a problem naming the key.
    """
    available = system_available(inputs)
    mode = sc.grid.mode
    out: dict[str, str] = {}
    problems: list[Problem] = []
    for r in sc.regions:
        wanted = mode if isinstance(mode, str) else mode.get(r, "auto")
        if wanted == "system" and r not in available:
            key = "grid.mode" if isinstance(mode, str) else f"grid.mode.{r}"
            problems.append(
                Problem(
                    None,
                    None,
                    key,
                    f"system for {r}",
                    "tariff or auto: the inputs hold no fleet and other load for "
                    f"{r} (grid_system.csv, other_load:{r}); system regions: "
                    + (", ".join(sorted(available)) or "none"),
                )
            )
            wanted = "tariff"
        out[r] = (
            "system" if wanted == "system" or (wanted == "auto" and r in available) else ("tariff")
        )
    return out, problems


def grid_system_params(
    sc: Scenario,
    inputs: Any,
    years: list[int],
    regions: list[str],
    modes: dict[str, str],
    profiles: pd.DataFrame,
    gas_usd_per_mmbtu: np.ndarray,
) -> dict[str, Any]:
    """Every ``system`` parameter by year, region, grid_tech and timeslice.

    ``profiles`` are the representative hours (a column per profile and region),
    ``gas_usd_per_mmbtu`` the gas price by year and region (the scenario's, with the
    regional multiplier).
    """
    ny, nr, ng, nt = len(years), len(regions), len(GRID_TECHS), len(profiles)
    g = sc.grid
    flag = np.array([modes[r] == "system" for r in regions], float)
    existing = np.zeros((ny, nr, ng))
    capex = np.full((ny, nr, ng), np.nan)
    fom = np.zeros((ny, nr, ng))
    allowed = np.zeros((ny, nr, ng))
    build_limit = np.full((ny, nr, ng), np.nan)
    variable = np.zeros((ny, nr, ng))
    emissions = np.zeros((ny, nr, ng))
    static = {
        k: np.full((nr, ng), d)
        for k, d in (
            ("accreditation_frac", 0.0),
            ("clean_frac", 0.0),
            ("energy_budget_frac", np.nan),
            ("duration_h", 0.0),
            ("roundtrip_efficiency_frac", 1.0),
            ("life_yr", LIFE_DEFAULT_YR),
        )
    }
    avail = np.zeros((nr, ng, nt))
    other_twh = np.zeros((ny, nr))
    shape = np.zeros((nr, nt))
    peak_ratio = np.zeros(nr)
    margin = np.zeros((ny, nr))
    carbon = np.zeros((ny, nr))
    adder = np.zeros(nr)
    standard = np.full((ny, nr), np.nan)
    policy_carbon = trajectory(sc.policy.carbon_price_usd_per_tco2, years)
    for i, r in enumerate(regions):
        if not flag[i]:
            continue

        def table(parameter: str, r: str = r) -> pd.DataFrame:
            return _region_table(inputs, parameter, years, r)

        def first(parameter: str, default: float) -> np.ndarray:
            return np.nan_to_num(table(parameter).iloc[0].to_numpy(float)[:ng], nan=default)

        existing[:, i] = np.nan_to_num(table("existing_gw").to_numpy(float)[:, :ng])
        if r in g.coal_retirement_year:
            existing[np.array(years) >= g.coal_retirement_year[r], i, GRID_TECHS.index("coal")] = 0
        capex[:, i] = table("capex_usd_per_kw").to_numpy(float)[:, :ng]
        fom[:, i] = np.nan_to_num(table("fom_usd_per_kw_yr").to_numpy(float)[:, :ng])
        build_limit[:, i] = table("max_build_gw_per_yr").to_numpy(float)[:, :ng]
        first_year = table("available_from_year").iloc[0].to_numpy(float)[:ng]
        first_year = np.where(np.isnan(first_year), -np.inf, first_year)
        allowed[:, i] = (np.array(years)[:, None] >= first_year[None, :]) & np.isfinite(capex[:, i])
        heat = np.nan_to_num(table("heat_rate_mmbtu_per_mwh").to_numpy(float)[:, :ng])
        fuel = np.nan_to_num(table("fuel_usd_per_mmbtu").to_numpy(float)[:, :ng])
        for j, tech in enumerate(GRID_TECHS):
            if tech in GAS_TECHS:
                fuel[:, j] = gas_usd_per_mmbtu[:, i]
        vom = np.nan_to_num(table("vom_usd_per_mwh").to_numpy(float)[:, :ng])
        variable[:, i] = heat * fuel + vom
        emissions[:, i] = np.nan_to_num(table("emissions_tco2_per_mwh").to_numpy(float)[:, :ng])
        static["accreditation_frac"][i] = first("accreditation_frac", 0.0)
        static["clean_frac"][i] = first("clean_frac", 0.0)
        static["energy_budget_frac"][i] = table("energy_budget_frac").iloc[0].to_numpy(float)[:ng]
        static["duration_h"][i] = first("duration_h", 0.0)
        static["roundtrip_efficiency_frac"][i] = first("roundtrip_efficiency_frac", 1.0)
        static["life_yr"][i] = first("life_yr", LIFE_DEFAULT_YR)
        max_cf = first("max_cf_frac", 1.0)
        scale = first("profile_scale_ratio", 1.0)  # the fleet's capacity factor vs the site's
        for j, tech in enumerate(GRID_TECHS):
            column = f"{PROFILE_OF.get(tech, '')}:{r}"
            if column in profiles:
                avail[i, j] = np.clip(profiles[column].to_numpy(float) * scale[j], 0.0, 1.0)
            else:
                avail[i, j] = max_cf[j]

        multiplier = trajectory(g.other_load_multiplier.get(r, 1.0), years)
        other_twh[:, i] = table("other_load_twh")[SYSTEM].to_numpy(float) * multiplier
        shape[i] = profiles[f"other_load:{r}"].to_numpy(float)
        full = inputs.hourly[f"other_load:{r}"].to_numpy(float)
        peak_ratio[i] = float(full.max() / full.mean())
        margin[:, i] = g.reserve_margin_frac.get(
            r, float(table("reserve_margin_frac")[SYSTEM].iloc[0])
        )
        own = g.carbon_price_usd_per_tco2.get(r)
        carbon[:, i] = (
            trajectory(own, years)
            if own is not None
            else np.nan_to_num(table("carbon_price_usd_per_tco2")[SYSTEM].to_numpy(float))
        ) + policy_carbon
        adder[i] = g.network_adder_usd_per_mwh.get(
            r, float(np.nan_to_num(table("network_adder_usd_per_mwh")[SYSTEM].iloc[0]))
        )
        if r in g.clean_standard_frac:
            standard[:, i] = trajectory(g.clean_standard_frac[r], years)

    # the requirement in accredited capacity (PJM's forecast pool requirement): (1 + the
    # installed reserve margin) x the pool's average accreditation of the first model year;
    # or (requirement_basis first_year) the first year's accredited fleet over its peak
    accredited = (static["accreditation_frac"][None] * existing).sum(-1)[0]
    installed = existing.sum(-1)[0]
    pool = np.divide(accredited, installed, out=np.ones(nr), where=installed > 0)
    requirement = (1 + margin) * pool[None, :]
    mean_gw = other_twh * GWH_PER_TWH / HOURS_PER_YEAR  # (year, region)
    peak_first = mean_gw[0] * peak_ratio
    for i, r in enumerate(regions):
        if g.requirement_basis.get(r) == "first_year" and peak_first[i] > 0:
            requirement[:, i] = accredited[i] / peak_first[i]
    yrg, rg = ("year", "region", "grid_tech"), ("region", "grid_tech")
    measured = {
        r: inputs.hourly[f"other_load:{r}"].to_numpy(float)
        for r, f in zip(regions, flag, strict=True)
        if f
    }
    headroom = headroom_params(g.headroom_budgets_frac, regions, flag, mean_gw[0], measured)
    return {
        **headroom,
        "system_region_frac": (("region",), flag),
        "other_load_gw": (("year", "region", "timeslice"), mean_gw[:, :, None] * shape[None]),
        "other_peak_gw": (("year", "region"), mean_gw * peak_ratio[None, :]),
        "fleet_existing_gw": (yrg, existing),
        "fleet_capex_usd_per_kw": (yrg, capex),
        "fleet_fom_usd_per_kw_yr": (yrg, fom),
        "fleet_build_allowed_frac": (yrg, allowed.astype(float)),
        "fleet_max_build_gw_per_yr": (yrg, build_limit),
        "fleet_variable_cost_usd_per_mwh": (yrg, variable),
        "fleet_emissions_tco2_per_mwh": (yrg, emissions),
        "fleet_availability_frac": (("region", "grid_tech", "timeslice"), avail),
        **{f"fleet_{k}": (rg, v) for k, v in static.items()},
        "system_reserve_margin_frac": (("year", "region"), margin),
        "system_requirement_ratio": (("year", "region"), requirement),
        "system_carbon_price_usd_per_tco2": (("year", "region"), carbon),
        "clean_standard_frac": (("year", "region"), standard),
        "network_adder_usd_per_mwh": (("region",), adder),
        "value_of_lost_load_usd_per_mwh": float(g.value_of_lost_load_usd_per_mwh),
        "capacity_shortfall_usd_per_kw_yr": float(g.capacity_shortfall_usd_per_kw_yr),
    }


def add_system(data: dict[str, Any], sc: Scenario, *args: Any) -> None:
    """Put the ``system`` parameters (:func:`grid_system_params` of ``sc, *args``) into
    ``data``; in a system region the data centres' LP grid price becomes the network adder
    (energy and capacity are paid at the duals, after the solve) and their grid carbon 0
    (the system's is a result)."""
    data.update(grid_system_params(sc, *args))
    flag = data["system_region_frac"][1].astype(bool)
    price, carbon = data["grid_price_usd_per_mwh"][1], data["grid_carbon_tco2_per_mwh"][1]
    price[:, flag, :] = data["network_adder_usd_per_mwh"][1][flag][None, :, None]
    carbon[:, flag, :] = 0.0


def flexible_days(sc: Scenario, inputs: Any, modes: dict[str, str]) -> list[int]:
    """The tightest days of the ``system`` regions that offer a flexible connection.

    They join the representative days as critical days, so that the curtailment rows of
    ``model/flexible.py`` see the hours the grid would curtail (``params/headroom.py``).
    """
    share = sc.grid.flexible_connection_frac
    offered = [
        r
        for r in sc.regions
        if modes.get(r) == "system" and (share.get(r, 0.0) if isinstance(share, dict) else share)
    ]
    if not offered:
        return []
    hourly = {r: inputs.hourly[f"other_load:{r}"].to_numpy(float) for r in offered}
    return tightest_days(hourly, sc.grid.curtailment_budget_frac)


def residual_load(sc: Scenario, inputs: Any, modes: dict[str, str]) -> pd.DataFrame:
    """Each ``system`` region's residual load over its peak, hour by hour (one column
    each): the other consumers' load less the output of the wind and solar fleet, both
    of the last model year before any build. Its peak hours are the ones the system's
    adequacy turns on: the peak-load extreme day is the day of the hour in which the
    regions' columns sum highest (:func:`~energymodel.data.timeseries.cluster_days`).
    A region whose wind and solar cover its other load in every hour has no column.
    """
    years = list(sc.years)
    out = {}
    for r in sc.regions:
        if modes.get(r) != "system":
            continue
        last = {p: _region_table(inputs, p, years, r).iloc[-1] for p in _RESIDUAL_PARAMETERS}
        multiplier = trajectory(sc.grid.other_load_multiplier.get(r, 1.0), years)[-1]
        mean_gw = last["other_load_twh"][SYSTEM] * multiplier * GWH_PER_TWH / HOURS_PER_YEAR
        load = inputs.hourly[f"other_load:{r}"].to_numpy(float) * mean_gw
        for tech, profile in PROFILE_OF.items():
            built = np.nan_to_num(last["existing_gw"][tech])
            scale = np.nan_to_num(last["profile_scale_ratio"][tech], nan=1.0)
            avail = inputs.hourly[f"{profile}:{r}"].to_numpy(float) * scale
            load = load - built * np.clip(avail, 0.0, 1.0)
        if load.max() > 0:  # else wind and solar cover the other load in every hour
            out[r] = load / load.max()
    return pd.DataFrame(out, index=inputs.hourly.index)


_RESIDUAL_PARAMETERS = ("other_load_twh", "existing_gw", "profile_scale_ratio")


def _region_table(inputs: Any, parameter: str, years: list[int], r: str) -> pd.DataFrame:
    """``grid_system.csv``'s ``parameter`` for region ``r`` by year (rows) and grid tech
    and ``system`` (columns); NaN where the region does not give it (its default)."""
    try:
        frame = inputs.series("grid_system", parameter, years, region=r)
    except KeyError:
        frame = pd.DataFrame(index=pd.Index(years, name="year"))
    return frame.reindex(columns=[*GRID_TECHS, SYSTEM])
