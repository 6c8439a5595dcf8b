"""One scenario end to end: params -> model -> solve -> results -> economics."""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import xarray as xr

from energymodel import economics
from energymodel.model import build_model
from energymodel.model.check import Decisions, builds, fix_decisions, yearly_decisions
from energymodel.params.build import build_params
from energymodel.params.full_year import checked_years, full_year_params
from energymodel.results import flag_nonfinite, to_dataset
from energymodel.results.check import (
    HARDEST_DAYS,
    check_figures,
    not_clean_twh,
    resource_cost_musd,
    with_check_figures,
)
from energymodel.results.counterfactual import counterfactual_params, with_counterfactual
from energymodel.results.verdict import (
    DAYS_PER_ROUND,  # noqa: F401  # public here, as before
    check_fails,
    check_warning,
    critical_days,
    days_per_round,
    failed_where,
    flexible_connections,
    hourly_matching,
    keeps_windows,
    largest,
    named_cells,
    stalled_cells,
)
from energymodel.scenario.load import load_scenario
from energymodel.scenario.schema import Scenario, SolverConfig
from energymodel.solve import solve_model
from energymodel.solve.myopic import Held

logger = logging.getLogger(__name__)
check_logger = logging.getLogger("energymodel.check")
"""Logs the full-year check's verdict; a batch reports it itself and quiets this one."""


@dataclass(frozen=True)
class Plan:
    """What the full-year check needs of a solved plan."""

    results: xr.Dataset
    decisions: Decisions
    not_clean_twh: xr.DataArray
    cost_musd: xr.DataArray
    """:func:`~energymodel.results.check.resource_cost_musd` of the plan."""


def solve(params: xr.Dataset, solver: SolverConfig | None = None) -> xr.Dataset:
    """Build the LP from a parameter Dataset, solve it, and return the results Dataset.

    A scenario that cannot be solved still returns a Dataset: its attributes say why
    (``termination``, ``diagnosis``) and it holds no primal values.
    """
    return _solve(params, solver)[0]


def _solve(
    params: xr.Dataset, solver: SolverConfig | None, held: Held | None = None
) -> tuple[xr.Dataset, Plan | None]:
    """:func:`solve`, and what the full-year check needs of a solved plan; ``held``: the
    builds of the years before a year held (a refinement round re-plans that year on)."""
    start = time.perf_counter()
    m = build_model(params)
    build_time_s = time.perf_counter() - start
    foresight = str(params.attrs.get("foresight", "perfect"))
    result = solve_model(m, solver, foresight=foresight, held=held)
    start = time.perf_counter()
    ds = to_dataset(m, params, result)
    extract_time_s = time.perf_counter() - start
    ds = ds.assign_attrs(
        build_time_s=build_time_s,
        extract_time_s=extract_time_s,
        foresight=str(params.attrs.get("foresight", "perfect")),
    )
    plan = None
    if result.optimal and result.arrays is not None:
        plan = Plan(
            ds,
            yearly_decisions(m),
            not_clean_twh(m.arrays, result.arrays),
            resource_cost_musd(m.arrays, result.arrays),
        )
    return ds, plan


CLEAN_SHARE_ROUNDS = 2
"""Solves that make a system grid's hourly clean share consistent with clean matching
(Riepin & Brown iterate twice): the first on the measured share, then on the dispatch's."""


def _consistent_clean_share(
    res: xr.Dataset,
    params: xr.Dataset,
    sc: Scenario,
    plan: Plan | None = None,
    held: Held | None = None,
) -> tuple[xr.Dataset, xr.Dataset, Plan | None]:
    """Re-solve a run that matches clean energy on a ``system`` grid with that grid's
    hourly clean share from its own dispatch (the LP takes the share as a number).

    Runs without a clean-share policy or a ``system`` region are returned as they are.
    """
    shares = ("annual_clean_share_frac", "hourly_clean_share_frac")
    matching = any(bool(params[k].notnull().any()) for k in shares)
    if not (matching and "grid_clean_share_frac" in res and res.attrs["optimal"]):
        return res, params, plan
    system = params["system_region_frac"] > 0
    for rounds in range(2, CLEAN_SHARE_ROUNDS + 1):
        share = res["grid_clean_share_frac"].transpose(*params["grid_clean_frac"].dims)
        params = params.copy()
        params["grid_clean_frac"] = share.where(system, params["grid_clean_frac"])
        res, plan = _solve(params, sc.solver, held)
        res = res.assign_attrs(grid_clean_share_rounds=rounds)
        if not res.attrs["optimal"]:
            break
    return res, params, plan


def run(sc: Scenario | str | Path | Mapping[str, Any]) -> xr.Dataset:
    """Run one scenario and return its results with token economics.

    ``sc`` is a loaded :class:`Scenario`, or anything :func:`load_scenario` accepts (a
    path, a scenario name, a dict).
    """
    if not isinstance(sc, Scenario):
        sc = load_scenario(sc)
    start = time.perf_counter()
    params = build_params(sc)
    params_time_s = time.perf_counter() - start
    res, plan = _solve(params, sc.solver)
    res = res.assign_attrs(params_time_s=params_time_s)
    res, params, plan = _consistent_clean_share(res, params, sc, plan)
    # a sampled run of an uncertainty analysis is not checked: 1,000 full-year LPs would
    # cost many times the analysis (docs/time.md); its scenario run is
    if res.attrs["optimal"] and plan is not None and _checks(sc):
        res, params = _checked(sc, res, params, plan)
    else:
        res = res.assign_attrs(time_check=_unchecked(sc, res))
    if not res.attrs["optimal"]:
        advice = res.attrs.get("advice") or res.attrs["diagnosis"]
        logger.warning("%s: %s%s", sc.name, res.attrs["termination"], f": {advice}" * bool(advice))
        if res.attrs.get("violations"):
            logger.info("%s: limits that must give: %s", sc.name, res.attrs["violations"])
        return res
    if params.attrs.get("grid_counterfactual") and "system_region_frac" in params:
        cf_params = counterfactual_params(params)
        cf = solve(cf_params, sc.solver)
        if cf.attrs["optimal"]:
            res = with_counterfactual(res, cf)
        else:
            logger.warning(
                "%s: the counterfactual without new data-centre load did not solve (%s); "
                "no other-consumer figures",
                sc.name,
                cf.attrs["termination"],
            )
    out = flag_nonfinite(economics.evaluate(res, params, sc))
    if not out.attrs["optimal"]:
        logger.warning("%s: %s: %s", sc.name, out.attrs["termination"], out.attrs["advice"])
    elif out.attrs.get("shed_warning"):  # optimal, but not all demand served: say why
        logger.warning("%s: %s", sc.name, out.attrs["shed_warning"])
    return out


def _checks(sc: Scenario) -> bool:
    """Whether :func:`run` checks ``sc`` against the full year (not a sampled run).

    ``time.check: auto`` checks the runs whose answer is known to hang on the time
    resolution: those with an hourly (24/7) clean share, and those with flexible
    (non-firm) connections, curtailed in the system's tightest hours (``docs/time.md``).
    """
    if sc.sample is not None:
        return False
    if sc.time.check == "auto":
        return hourly_matching(sc) or flexible_connections(sc)
    return sc.time.check == "full_year"


def _unchecked(sc: Scenario, res: xr.Dataset) -> str:
    """Why a run was not checked against the full year (its ``time_check`` attribute)."""
    if sc.sample is not None:
        return "none: a sampled run (its scenario run is checked)"
    if not res.attrs["optimal"]:
        return "none: the plan did not solve"
    if sc.time.check == "auto":
        return (
            "none: time.check auto checks hourly clean shares and flexible connections "
            "only (checking every run costs a batch about 2.3x its time; time.check: full_year "
            "checks this one; docs/time.md)"
        )
    return "none: time.check none"


def full_year_check(
    sc: Scenario, plan: Plan, settle: bool = True, full: xr.Dataset | None = None,
    models: dict[tuple[int, str], Any] | None = None,
) -> xr.Dataset:  # fmt: skip
    """Dispatch the plan's build over the full year (``time.check``; ``docs/time.md``).

    Every yearly decision is fixed at the plan's value (builds, capacities, where
    training runs) and each checked year (the last, or all: ``time.check_years``) and
    region is solved on its own over its 8,760 hours, storage chronological: with every
    yearly decision fixed, and the yearly policy limits reported rather than imposed, no
    row links two years or two regions. First in windows; a region-year whose windows
    cannot settle its verdict (``keeps_windows``) is then solved whole, unless ``settle``
    is off (a refinement round that is not the last) and another region-year already
    fails for certain: the run goes on to the next round whatever the whole year says,
    and the windows' hardest days serve it. Returns the figures
    of :mod:`energymodel.results.check` by checked year and region, with the time taken
    (``time_check_time_s``) and the size of the largest check LP in the attributes;
    ``full``: :func:`full_year_params` of ``sc``, where built already; ``models``: the
    check models of ``full`` built so far, by year and region (a refinement round fixes
    another plan's decisions in the same models: about 0.5 s a region-year saved, and
    its windows start from the last round's bases).
    """
    start = time.perf_counter()
    full = full_year_params(sc) if full is None else full
    years = checked_years(sc, full["year"].values)
    budget = float(full["curtailment_budget_frac"])
    cells = [(y, r) for y in years for r in full["region"].values]
    models = {} if models is None else models
    figures, settled, stats = {}, {}, _CheckStats()
    for cell in cells:
        figures[cell], settled[cell] = _dispatch(sc, plan, full, *cell, budget, stats, models)
    fails = [f for c, f in figures.items() if f is not None and settled[c]]
    certain = any(bool(check_fails(f, sc.time.tolerance, budget).any()) for f in fails)
    for cell in [c for c in cells if figures[c] is not None and not settled[c]]:
        if settle or not certain:  # the windows' cost is an upper bound: the year decides
            figures[cell], _ = _dispatch(sc, plan, full, *cell, budget, stats, models, windows=0)
        else:
            stats.unsettled += 1
    parts = [f for f in figures.values() if f is not None]
    out = xr.combine_by_coords(parts) if parts else xr.Dataset()
    return out.assign_attrs(
        time_check_time_s=time.perf_counter() - start,
        time_check_highs_s=stats.highs_s,
        time_check_rows=stats.rows,
        time_check_years=",".join(str(y) for y in years),
        time_check_whole_year_lps=stats.whole,
        time_check_unsettled=stats.unsettled,
    )


@dataclass
class _CheckStats:
    """A check's HiGHS time, largest LP, region-years solved whole and left unsettled."""

    highs_s: float = 0.0
    rows: int = 0
    whole: int = 0
    unsettled: int = 0


def _dispatch(
    sc: Scenario, plan: Plan, full: xr.Dataset, year: int, region: str, budget: float,
    stats: _CheckStats, models: dict[tuple[int, str], Any], windows: int | None = None,
) -> tuple[xr.Dataset | None, bool]:  # fmt: skip
    """One region-year of :func:`full_year_check`: its figures (None where it did not
    solve), and whether its verdict is settled (solved whole, or kept by keeps_windows);
    its model from ``models``, built there the first time, with its windows' bases (a
    later round's windows start from them: its HiGHS time a third)."""
    if (year, region) not in models:
        params = full.sel(year=[year], region=[region])
        models[year, region] = build_model(params), params, {}
    m, params, bases = models[year, region]
    fix_decisions(m, plan.decisions, float(params["max_draw_frac"]))
    windows = sc.time.check_window_days if windows is None else windows
    result = solve_model(
        m, sc.solver, diagnose=False, warm="same",
        window_days=windows, timeslice_day=params["timeslice_day"], window_bases=bases,
    )  # fmt: skip
    stats.highs_s += result.highs_run_time_s
    stats.rows = max(stats.rows, m.arrays.n_row)
    stats.whole += result.windows == 0
    if not result.optimal or result.arrays is None:
        logger.warning("%s: the full-year check of %s %d ended %s",
                       sc.name, region, year, result.termination)  # fmt: skip
        return None, True
    bound = _window_bound_frac(result, m, plan, year, region)
    figures = check_figures(
        m.arrays,
        result.arrays,
        to_dataset(m, params, result),
        plan.results,
        plan.not_clean_twh,
        plan.cost_musd,
        params["hourly_clean_share_frac"],
        sc.time.critical_days,
        max(HARDEST_DAYS, days_per_round(sc)),
        budget,
        window_bound_frac=bound,
    )
    settled = not result.windows or keeps_windows(figures, bound, sc.time.tolerance, budget)
    if not settled:
        logger.debug("%s %d: windows' gap %+.2f%%, bound %.2f%%: not settled", region, year,
                     100 * float(figures["time_check_gap_frac"].max()), 100 * bound)  # fmt: skip
    return figures, settled


def _window_bound_frac(result: Any, m: Any, plan: Plan, year: int, region: str) -> float:
    """How far the windows' cost may lie above the whole year's optimum, as a share of
    the plan's cost of the region-year (0 where solved whole; inf where unbounded)."""
    if not result.windows:
        return 0.0
    excess = result.objective_musd - result.objective_bound_musd  # discounted, weighted
    yearly = excess / float(m.arrays.weight.sel(year=year))
    planned = float(plan.cost_musd.sel(year=year, region=region).sum())
    return max(yearly, 0.0) / planned if planned > 0 else float("inf")


def _checked(
    sc: Scenario, res: xr.Dataset, params: xr.Dataset, plan: Plan
) -> tuple[xr.Dataset, xr.Dataset]:
    """The full-year check, and critical days added until it passes (``time.refine``)."""
    tolerance = sc.time.tolerance
    last = sc.time.refine == "none" or sc.time.max_refine_rounds == 0
    full = full_year_params(sc)
    models: dict[tuple[int, str], Any] = {}  # the check's models, built once a run
    figures = full_year_check(sc, plan, settle=last, full=full, models=models)
    years = [int(y) for y in params["year"].values]
    first = min(checked_years(sc, years))
    added: list[int] = []
    rounds = 0
    seconds = figures.attrs["time_check_time_s"] + full.attrs["params_time_s"]
    budget = float(params["curtailment_budget_frac"])
    stalled = None  # region-years whose cost gap (or IT lost) the rounds did not narrow
    while sc.time.refine == "auto" and rounds < sc.time.max_refine_rounds and figures.data_vars:
        new = critical_days(
            figures, tolerance, days_per_round(sc), sc.time.critical_days, budget, stalled
        )
        if not new:
            break
        critical = tuple(sorted({*sc.time.critical_days, *new}))
        sc = sc.model_copy(update={"time": sc.time.model_copy(update={"critical_days": critical})})
        next_params = build_params(sc)
        # the years before the checked ones dispatched one by one, building at least
        # what the plan built in them; then the checked years (solve/myopic.py Held)
        perfect = params.attrs.get("foresight", "perfect") == "perfect"
        held = Held(builds(plan.decisions), first) if perfect and first > years[0] else None
        next_res, next_plan = _solve(next_params, sc.solver, held)
        next_res, next_params, next_plan = _consistent_clean_share(
            next_res, next_params, sc, next_plan, held
        )
        if not next_res.attrs["optimal"] or next_plan is None:
            logger.warning("%s: re-plan with critical days %s did not solve", sc.name, new)
            break
        rounds += 1
        added += new
        res, params, plan = next_res, next_params, next_plan
        before = figures
        figures = full_year_check(sc, plan, rounds >= sc.time.max_refine_rounds, full, models)
        now = stalled_cells(before, figures, new, tolerance, budget)
        stalled = now if stalled is None else stalled | now
        seconds += figures.attrs["time_check_time_s"]
        logger.info("%s: refinement round %d added days %s", sc.name, rounds, new)
    if figures.attrs.get("time_check_unsettled"):  # stopped early: the verdict settled
        figures = full_year_check(sc, plan, full=full, models=models)  # the windows from memory
        seconds += figures.attrs["time_check_time_s"]
    res = with_check_figures(res, figures)
    nan = float("nan")
    unserved = float(res["unserved_in_check_twh"].sum()) if figures.data_vars else nan
    shed = float(res["system_shed_in_check_twh"].sum()) if figures.data_vars else nan
    short = float(res["hourly_clean_short_in_check_frac"].max()) if figures.data_vars else nan
    curtailed = float(res["curtailment_in_check_frac"].max()) if figures.data_vars else nan
    fails = bool(check_fails(figures, tolerance, budget).any()) if figures.data_vars else False
    where = failed_where(figures, tolerance, budget)
    res = res.assign_attrs(
        time_check="full_year",
        time_check_years=figures.attrs["time_check_years"],
        time_check_time_s=seconds,
        time_check_highs_s=figures.attrs["time_check_highs_s"],
        time_check_rows=figures.attrs["time_check_rows"],
        time_check_window_days=sc.time.check_window_days,
        time_check_whole_year_lps=figures.attrs["time_check_whole_year_lps"],
        time_check_max_gap_frac=largest(res, "time_check_gap_frac"),
        time_check_max_data_centre_gap_frac=largest(res, "time_check_data_centre_gap_frac"),
        time_check_unserved_twh=unserved,
        time_check_unserved_frac=largest(res, "unserved_in_check_frac"),
        time_check_unserved_beyond_plan_frac=largest(res, "unserved_beyond_plan_in_check_frac"),
        time_check_system_shed_twh=shed,
        time_check_clean_short_frac=short,
        time_check_curtailment_frac=curtailed,
        time_check_curtailment_budget_frac=budget,
        time_check_passed=int(bool(figures.data_vars) and not fails),
        time_check_failed=where,
        time_tolerance_frac=tolerance,
        time_refine=sc.time.refine,
        time_refine_rounds=rounds,
        time_refine_years=",".join(str(y) for y in years if y >= first),
        time_refine_days_per_round=days_per_round(sc),
        time_days_added=",".join(str(d) for d in added),
        time_refine_stalled=named_cells(
            None if stalled is None else stalled & check_fails(figures, tolerance, budget)
        ),
        time_critical_days=",".join(str(d) for d in sc.time.critical_days),
    )
    warning = check_warning(res.attrs)
    if warning:
        check_logger.warning("%s: %s", sc.name, warning)
    return res, params
