"""The full-year dispatch check's figures: what the plan's build does over the whole year.

One checked model year at a time (``energymodel/api.py`` runs the check;
``docs/time.md``), compared with the plan, by year and region:

- ``unserved_in_check_twh``: IT energy the build cannot serve in the year's 8,760 hours,
  ``unserved_hours_in_check`` the hours it falls in and ``unserved_in_check_frac`` its
  share of the IT energy the region was to serve; ``unserved_beyond_plan_in_check_frac``
  the share beyond the load the plan itself sheds in a ``system`` region (judged by a
  reliability standard, ``results/verdict.py``);
- ``system_shed_in_check_twh``: in a ``system`` region, the other load the fleet cannot
  serve over the year beyond what the plan shed (its year's share of it, at the value of
  lost load): priced in the gap below, its days the hardest (``results/verdict.py``);
- ``supply_cost_in_check_usd_per_mwh`` and ``supply_cost_plan_usd_per_mwh``: power capex,
  fixed O&M, fuel and grid per MWh of facility energy, dispatched over the full year and
  as the plan saw it;
- ``hourly_clean_score_in_check_frac`` and ``..._plan_frac``: the 24/7 score, the share of
  facility energy met by carbon-free power in the same hour, and
  ``hourly_clean_short_in_check_frac`` how far the full year falls short of what the plan
  promised (its score, or the required share where the plan beats it);
- ``curtailment_in_check_frac``: with flexible connections, the energy the grid curtails
  over the year against the contract's full-load energy, to compare with its budget
  (``grid.curtailment_budget_frac``, imposed in the plan, reported here);
- ``time_check_gap_frac``: the realised cost over the plan's, less 1: supply, unserved
  compute at its value and, in a ``system`` region, the system's own costs, all at the
  LP's prices (:func:`resource_cost_musd`), the build's fixed costs taken from the plan
  (:func:`realised_cost_musd`); ``time_check_data_centre_gap_frac`` the same for the
  data centres' supply and unserved compute alone;
- ``time_check_hardest_day``: the calendar days (0 = 1 January) with the most unserved
  energy, then (where the year curtails flexible connections beyond the budget) the most
  curtailed, then the highest marginal cost of the day's load, hardest first (where energy
  goes unserved, only the days it does: NaN after them), the plan's critical days left
  out (they are in the plan already).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import xarray as xr

from energymodel.model.arrays import Solution
from energymodel.units import GWH_PER_TWH, HOURS_PER_DAY

SUPPLY_COMPONENTS = ("power_capex", "power_fom", "fuel", "grid_energy", "grid_connection")
"""Cost components that make the supply cost per MWh (``benchmarks/convergence.py``)."""
HARDEST_DAYS = 8
"""Hardest days reported per year and region (at least; as many as a refinement round
takes where ``time.refine_days_per_round`` is more): more than a round takes by default, so
that once the hardest are critical days already the next ones are there to add (with
3, refinement stopped after one or two rounds in four of eight cases of
``benchmarks/convergence.py --regions``, still failing)."""
UNSERVED_TOLERANCE_GW = 1e-6
"""Unserved power below this is round-off, not an hour that fails."""

CHECK_VARIABLES: dict[str, tuple[str, str]] = {
    "unserved_in_check_twh": ("TWh", "IT energy not served when the build runs the full year"),
    "unserved_hours_in_check": ("h", "hours of the full year with IT load not served"),
    "unserved_in_check_frac": (
        "1",
        "IT energy not served over the full year / the IT energy the region was to serve",
    ),
    "unserved_beyond_plan_in_check_frac": (
        "1",
        "IT energy not served over the full year beyond the other load the plan itself "
        "sheds in the region / the IT energy the region was to serve",
    ),
    "system_shed_in_check_twh": (
        "TWh",
        "other load of a system region shed over the full year beyond the plan's",
    ),
    "supply_cost_in_check_usd_per_mwh": (
        "USD/MWh",
        "supply cost per MWh of facility energy, the build dispatched over the full year",
    ),
    "supply_cost_plan_usd_per_mwh": (
        "USD/MWh",
        "supply cost per MWh of facility energy in the plan (representative days)",
    ),
    "hourly_clean_score_in_check_frac": (
        "1",
        "24/7 score over the full year: facility energy met by carbon-free power that hour",
    ),
    "hourly_clean_score_plan_frac": ("1", "24/7 score in the plan (representative days)"),
    "hourly_clean_short_in_check_frac": (
        "1",
        "24/7 score short of the plan's promise: min(plan score, required share) less the "
        "full-year score, 0 where none",
    ),
    "curtailment_in_check_frac": (
        "1",
        "flexible connections: energy curtailed over the full year / the contract's "
        "full-load energy (the budget is grid.curtailment_budget_frac), 0 where none",
    ),
    "time_check_gap_frac": (
        "1",
        "full-year realised supply, unserved and system cost / the plan's, less 1",
    ),
    "time_check_data_centre_gap_frac": (
        "1",
        "the same for the data centres' own costs alone: supply and unserved compute (in "
        "a system region the gap above also holds the system's own costs)",
    ),
    "time_check_window_bound_frac": (
        "1",
        "dispatched in windows: how far the realised cost may lie above the whole year's "
        "optimum, at most, as a share of the plan's cost (0: the year solved as one LP; "
        "NaN: the windows' duals give no finite bound)",
    ),
    "time_check_hardest_day": ("1", "calendar days hardest for the build (0 = 1 January)"),
}


def resource_cost_musd(am: Any, solution: Solution) -> xr.DataArray:
    """The yearly cost the check compares (M$, year x region x component), from the LP's
    own columns: the supply components, unserved compute by region at its value, and in
    a ``system`` region the system's own costs (fuel, capex, shed at the value of lost
    load, ...).

    Priced at the LP's coefficients, never at duals: a ``system`` region's grid energy
    at the plan's duals carries scarcity and capacity value that a dispatch with the
    fleet fixed does not, so the two would not compare.
    """
    parts: dict[str, xr.DataArray] = {}
    wanted = (*SUPPLY_COMPONENTS, "unserved")
    for component, terms in am.cost_by_component(solution).items():
        if component not in wanted and not component.startswith("system_"):
            continue
        for part in terms:
            if "region" in part.dims:  # world-wide training shed: fixed in the check
                parts[component] = parts.get(component, 0.0) + part
    total = xr.concat(list(parts.values()), dim=pd.Index(list(parts), name="component"))
    return total.fillna(0.0).transpose("year", "region", "component")


FIXED_COMPONENTS = (
    "power_capex",
    "power_fom",
    "grid_connection",
    "system_capex",
    "system_fom",
    "system_shortfall",
)
"""Costs of the build and its yearly decisions: the check fixes them at the plan's, so
the realised cost takes them from the plan. The check's own model holds only the checked
year, so it would miss the annuities of what earlier years built (and price what existed
at the start at the checked year's costs)."""


def realised_cost_musd(check: xr.DataArray, plan: xr.DataArray) -> xr.DataArray:
    """The check's realised cost (year x region): the plan's fixed costs
    (:data:`FIXED_COMPONENTS`) and the check's dispatch costs (fuel, grid energy,
    unserved compute, a system's fuel, carbon and shed), both by component from
    :func:`resource_cost_musd`."""
    fixed = [c for c in plan["component"].values if c in FIXED_COMPONENTS]
    dispatch = [c for c in check["component"].values if c not in FIXED_COMPONENTS]
    return plan.sel(component=fixed).sum("component") + check.sel(component=dispatch).sum(
        "component"
    )


def _supply_musd(ds: xr.Dataset) -> xr.DataArray:
    return ds["cost_musd"].sel(component=list(SUPPLY_COMPONENTS)).sum("component")


def _supply_in_check_musd(check: xr.Dataset, plan: xr.Dataset) -> xr.DataArray:
    """Supply cost over the full year: the plan's fixed supply costs, the check's fuel
    and grid energy (:data:`FIXED_COMPONENTS`)."""
    fixed = [c for c in SUPPLY_COMPONENTS if c in FIXED_COMPONENTS]
    dispatch = [c for c in SUPPLY_COMPONENTS if c not in FIXED_COMPONENTS]
    return plan["cost_musd"].sel(component=fixed).sum("component") + check["cost_musd"].sel(
        component=dispatch
    ).sum("component")


def _gap(realised_parts: xr.DataArray, planned_parts: xr.DataArray) -> xr.DataArray:
    """Realised cost over planned, less 1 (0 where nothing was planned)."""
    realised = realised_cost_musd(realised_parts, planned_parts)
    planned = planned_parts.sum("component")
    return (realised / planned.where(abs(planned) > 1e-9) - 1).fillna(0.0)


def _curtailed_share(am: Any, solution: Solution, check: xr.Dataset) -> xr.DataArray:
    """Energy the grid curtails over the year, at the contract's draw, over the contract's
    full-load energy: what ``grid.curtailment_budget_frac`` limits (0 where none)."""
    contract = check["grid_connection_gw"]
    if "grid_curtailment_gw" not in am.variables:
        return xr.zeros_like(contract)
    curtailed = am.values("grid_curtailment_gw", solution).fillna(0.0)
    hours = check["timeslice_weight_h"]
    curtailed_gwh = (curtailed.assign_coords(timeslice=check.timeslice) * hours).sum("timeslice")
    full_load_gwh = contract * float(hours.sum())
    return (curtailed_gwh / full_load_gwh.where(full_load_gwh > 0)).fillna(0.0)


def _score(ds: xr.DataArray, not_clean: xr.DataArray) -> xr.DataArray:
    energy = ds["facility_energy_twh"]
    return (1 - not_clean / energy.where(energy > 0)).clip(0.0, 1.0)


def check_figures(
    am: Any,
    solution: Solution,
    check: xr.Dataset,
    plan: xr.Dataset,
    plan_not_clean_twh: xr.DataArray,
    plan_cost_musd: xr.DataArray,
    required_share: xr.DataArray,
    critical: tuple[int, ...] = (),
    n_hardest: int = HARDEST_DAYS,
    curtailment_budget: float = float("inf"),
    window_bound_frac: float = 0.0,
) -> xr.Dataset:
    """The check's figures for the years of ``check`` (the check model's results Dataset;
    ``am`` and ``solution`` its array model and solution), against ``plan``;
    ``required_share`` is the hourly clean share the scenario asks for (NaN: none);
    ``critical`` the plan's critical days, left out of the hardest days, of which it
    ranks ``n_hardest`` (more than :data:`HARDEST_DAYS` where a refinement round adds
    more); where the year curtails flexible connections beyond ``curtailment_budget``,
    the days it curtails most rank next after those with unserved energy;
    ``window_bound_frac`` how far a dispatch in windows may lie above the year's optimum
    (``api._window_bound_frac``; 0 where solved whole, NaN where unbounded)."""
    hours = check["timeslice_weight_h"]
    unserved_gw = am.values("unserved_check_gw", solution).fillna(0.0)
    unserved_gw = unserved_gw.where(unserved_gw > UNSERVED_TOLERANCE_GW, 0.0)
    unserved_gw = unserved_gw.assign_coords(timeslice=check.timeslice)
    years = check["year"]
    plan_y = plan.sel(year=years)
    out = xr.Dataset()
    out["unserved_in_check_twh"] = (unserved_gw * hours).sum("timeslice") / GWH_PER_TWH
    out["unserved_hours_in_check"] = (unserved_gw > 0).sum("timeslice").astype(float)
    # the load the hours ask (it_load_gw), of which unserved_check_gw goes unserved
    it_twh = (check["it_load_gw"].sum("workload") * hours).sum("timeslice") / GWH_PER_TWH
    unserved_frac = out["unserved_in_check_twh"] / it_twh.where(it_twh > 0)
    out["unserved_in_check_frac"] = unserved_frac.fillna(0.0)
    beyond = _unserved_beyond_plan(out["unserved_in_check_twh"], check, plan_y)
    out["unserved_beyond_plan_in_check_frac"] = (beyond / it_twh.where(it_twh > 0)).fillna(0.0)
    out["system_shed_in_check_twh"] = _shed_beyond_plan(check, plan_y)
    energy_check = check["facility_energy_twh"].where(check["facility_energy_twh"] > 0)
    energy_plan = plan_y["facility_energy_twh"].where(plan_y["facility_energy_twh"] > 0)
    out["supply_cost_in_check_usd_per_mwh"] = _supply_in_check_musd(check, plan_y) / energy_check
    out["supply_cost_plan_usd_per_mwh"] = _supply_musd(plan_y) / energy_plan
    not_clean = _evaluate_named(am, "not_clean_energy_twh", solution)
    out["hourly_clean_score_in_check_frac"] = _score(check, not_clean)
    out["hourly_clean_score_plan_frac"] = _score(plan_y, plan_not_clean_twh.sel(year=years))
    out["hourly_clean_short_in_check_frac"] = clean_short(
        out["hourly_clean_score_plan_frac"],
        out["hourly_clean_score_in_check_frac"],
        required_share.sel(year=years),
    )
    out["curtailment_in_check_frac"] = _curtailed_share(am, solution, check)
    planned_parts = plan_cost_musd.sel(year=years, region=check["region"])
    realised_parts = resource_cost_musd(am, solution)
    out["time_check_gap_frac"] = _gap(realised_parts, planned_parts)
    ours = [c for c in (*SUPPLY_COMPONENTS, "unserved") if c in planned_parts["component"]]
    out["time_check_data_centre_gap_frac"] = _gap(
        realised_parts.sel(component=[c for c in ours if c in realised_parts["component"]]),
        planned_parts.sel(component=ours),
    )
    curtailed_gw = None
    if "grid_curtailment_gw" in am.variables:
        over_budget = out["curtailment_in_check_frac"] > curtailment_budget
        curtailed_gw = am.values("grid_curtailment_gw", solution).fillna(0.0)
        curtailed_gw = curtailed_gw.assign_coords(timeslice=check.timeslice).where(over_budget, 0.0)
    bound = window_bound_frac if np.isfinite(window_bound_frac) else np.nan  # no finite bound
    out["time_check_window_bound_frac"] = xr.full_like(out["time_check_gap_frac"], bound)
    lost_gw = unserved_gw
    if "system_shed_gw" in am.variables:  # other load shed counts where beyond the plan's
        shed_gw = am.values("system_shed_gw", solution).fillna(0.0)
        shed_gw = shed_gw.assign_coords(timeslice=check.timeslice)
        shed_gw = shed_gw.where(out["system_shed_in_check_twh"] > 0, 0.0)
        lost_gw = unserved_gw + shed_gw.where(shed_gw > UNSERVED_TOLERANCE_GW, 0.0)
    out["time_check_hardest_day"] = _hardest_days(
        am, solution, check, lost_gw, critical, n_hardest, curtailed_gw
    )
    for name, (units, long_name) in CHECK_VARIABLES.items():
        out[name].attrs.update(units=units, long_name=long_name)
    return out.transpose("year", "region", ...)


def _unserved_beyond_plan(
    unserved_twh: xr.DataArray, check: xr.Dataset, plan: xr.Dataset
) -> xr.DataArray:
    """IT energy the check leaves unserved beyond the load the plan itself sheds (TWh a
    year). A ``system`` plan sheds other load at the value of lost load in the hours
    where that is cheaper than building, and cannot leave IT unserved hour by hour; the
    check, where IT unserved is the cheaper loss, leaves IT unserved in those hours
    instead: ``ai_550twh``'s us_east (2030) shed 0.0039 TWh in its plan and left 0.0038
    TWh of IT unserved in the check, round after round. That loss is the plan's choice,
    not a failure of its days."""
    if "system_shed_twh" not in check:
        return unserved_twh
    planned = (plan["system_shed_twh"] - check["system_shed_twh"]).fillna(0.0).clip(min=0.0)
    return (unserved_twh - planned).clip(min=0.0)


def _shed_beyond_plan(check: xr.Dataset, plan: xr.Dataset) -> xr.DataArray:
    """Other load of a ``system`` region shed in the check beyond the plan's (TWh a year,
    0 where none, or below :data:`UNSERVED_TOLERANCE_GW` through the year)."""
    if "system_shed_twh" not in check:
        return xr.zeros_like(check["facility_energy_twh"])
    beyond = (check["system_shed_twh"] - plan["system_shed_twh"]).fillna(0.0).clip(min=0.0)
    round_off = UNSERVED_TOLERANCE_GW * float(check["timeslice_weight_h"].sum()) / GWH_PER_TWH
    return beyond.where(beyond > round_off, 0.0)


def with_check_figures(res: xr.Dataset, figures: xr.Dataset) -> xr.Dataset:
    """The check's figures in the results, NaN in the years not checked."""
    for name in CHECK_VARIABLES:
        if name in figures:
            res[name] = figures[name].reindex(year=res["year"])
    return res


def not_clean_twh(am: Any, solution: Solution) -> xr.DataArray:
    """Facility energy not met by carbon-free power in its hour (year, region; TWh)."""
    return _evaluate_named(am, "not_clean_energy_twh", solution)


def _evaluate_named(am: Any, name: str, solution: Solution) -> xr.DataArray:
    return am.evaluate(am.expressions[name], solution).transpose("year", "region")


def _hardest_days(
    am: Any,
    solution: Solution,
    check: xr.Dataset,
    unserved_gw: xr.DataArray,
    critical: tuple[int, ...] = (),
    n_hardest: int = HARDEST_DAYS,
    curtailed_gw: xr.DataArray | None = None,
) -> xr.DataArray:
    """Per year and region, the ``n_hardest`` days with the most unserved energy
    (``unserved_gw``: IT, and a system's other load where shed beyond the plan's), then
    the most energy the grid curtails (``curtailed_gw``: where the year curtails beyond
    the budget, 0 elsewhere), then the highest marginal cost of the day's facility load
    (the power balance's duals x load); where some energy goes unserved, only the days it
    goes unserved or is so curtailed in (NaN after them); a day that cost and curtailed
    nothing is not hard (NaN). Days in ``critical`` are in the plan already and left out:
    a plan that still fails with its hardest days in it fails on the next ones, which
    refinement adds."""
    n_days = check.sizes["timeslice"] // HOURS_PER_DAY
    dual = am.duals("power_balance", solution).fillna(0.0)
    dual = dual.assign_coords(timeslice=check.timeslice).transpose("year", "region", "timeslice")
    load = check["it_load_gw"].sum("workload").transpose("year", "region", "timeslice")
    lost = unserved_gw.transpose("year", "region", "timeslice").to_numpy()
    shape = (*lost.shape[:2], n_days, HOURS_PER_DAY)
    lost_day = lost.reshape(shape).sum(-1)
    cost_day = (dual.to_numpy() * load.to_numpy()).reshape(shape).sum(-1)
    curtailed_day = np.zeros_like(lost_day)
    if curtailed_gw is not None:
        curtailed = curtailed_gw.transpose("year", "region", "timeslice").to_numpy()
        curtailed_day = curtailed.reshape(shape).sum(-1)
    skip = [d for d in critical if d < n_days]
    lost_day[..., skip] = -1.0  # below every other day's, and not a day with loss
    curtailed_day[..., skip] = -1.0
    cost_day[..., skip] = -np.inf
    order = np.lexsort((-cost_day, -curtailed_day, -lost_day), axis=-1)[..., :n_hardest]
    # where energy goes unserved, only the days it goes unserved (or is curtailed beyond
    # the budget) in are hard (NaN pads)
    lost_sorted = np.take_along_axis(lost_day, order, axis=-1)
    curtailed_sorted = np.take_along_axis(curtailed_day, order, axis=-1)
    some_lost = lost_day.max(axis=-1, keepdims=True) > 0
    failed = (lost_sorted > 0) | (curtailed_sorted > 0)
    days = np.where(some_lost & ~failed, np.nan, order.astype(float))
    # a day that cost, lost and curtailed nothing is not hard (an islanded campus with
    # power to spare all day, say); critical days rank last with all below 0
    cost_sorted = np.take_along_axis(cost_day, order, axis=-1)
    easy = (lost_sorted <= 0) & (cost_sorted <= 0) & (curtailed_sorted <= 0)
    days = np.where(easy, np.nan, days)
    days = np.pad(days, [(0, 0), (0, 0), (0, n_hardest - days.shape[-1])], constant_values=np.nan)
    return xr.DataArray(
        days,
        dims=("year", "region", "hardest"),
        coords={"year": check.year, "region": check.region, "hardest": np.arange(n_hardest)},
    )


def clean_short(plan: xr.DataArray, check: xr.DataArray, required: xr.DataArray) -> xr.DataArray:
    """How far the full-year 24/7 score ``check`` falls short of what the plan promised:
    its own score ``plan``, or the ``required`` share where the plan beats it (a surplus
    the representative days happened to give is not a promise); 0 where none."""
    promised = np.fmin(plan, required.fillna(0.0))  # NaN: no hourly share required
    return (promised - check).clip(min=0.0).fillna(0.0)
