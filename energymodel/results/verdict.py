"""The full-year check's verdict: where it fails, which days a refinement round adds
(and how many), and the warning a run that ends above tolerance prints
(``docs/time.md``).

Reads the figures of :mod:`energymodel.results.check` (by year and region), a run's
attributes and its scenario's time settings; no solver.
"""

from __future__ import annotations

import numpy as np
import xarray as xr

from energymodel.scenario.schema import Scenario

WINDOW_SCREEN = 0.5
"""A region-year dispatched in windows (``time.check_window_days``) keeps the windows'
figures where it passes with this share of the tolerance. The windows' cost lies 0-1.6
points above the whole year's on the shipped baseline (2030), so a pass at half the
tolerance is a pass."""
WINDOW_PROVEN = 0.1
"""A region-year also keeps the windows' figures where they are proven within this share
of the tolerance of the whole year's optimum (their cost less their duals' bound, over
the plan's cost): the whole year could not tell a different story."""


def keeps_windows(
    figures: xr.Dataset, bound_frac: float, tolerance: float, curtailment_budget: float
) -> bool:
    """Whether the check of one region-year keeps the figures of its windows, rather than
    dispatching the year again as one LP: where they pass with :data:`WINDOW_SCREEN` of
    the tolerance, where they are proven within :data:`WINDOW_PROVEN` of it of the year's
    optimum (``bound_frac``: the windows' cost less their lower bound, over the plan's
    cost), where they pass and the year's optimum, at most ``bound_frac`` lower (and that
    within the tolerance), would pass too, or where the cost fails whatever the whole
    year does (the gap beyond the tolerance even ``bound_frac`` lower, or below
    -tolerance already: the windows' cost is an upper bound)."""
    if not bool(check_fails(figures, WINDOW_SCREEN * tolerance, curtailment_budget).any()):
        return True
    if bound_frac <= WINDOW_PROVEN * tolerance:
        return True
    gap = figures["time_check_gap_frac"]
    passes = not bool(check_fails(figures, tolerance, curtailment_budget).any())
    if passes and bound_frac <= tolerance and bool((gap - bound_frac >= -tolerance).all()):
        return True
    return bool(((gap - bound_frac > tolerance) | (gap < -tolerance)).all())


def critical_days(
    figures: xr.Dataset,
    tolerance: float,
    per_round: int,
    exclude: tuple[int, ...] = (),
    curtailment_budget: float = float("inf"),
    stalled: xr.DataArray | None = None,
) -> list[int]:
    """Days to add to the plan: the hardest days of each year and region whose check fails
    (unserved energy beyond the standard, a realised cost above the plan by more than
    ``tolerance``, a 24/7 score short of the plan's promise (:func:`clean_short_fails`),
    or flexible connections curtailed beyond ``curtailment_budget`` times 1 +
    ``tolerance``), at most ``per_round``: the hardest day of every failing cell first
    (worst failure first), then the second hardest, and so on, so that one failing
    region-year still brings several days. A day in ``exclude`` (already critical) gives
    way to the next: a day in the plan can still fail the year, since the plan does not
    see the state its storage enters the day with. A ``stalled`` region-year
    (:func:`stalled_cells`) brings none."""
    short = figures["hourly_clean_short_in_check_frac"]
    over = (figures["curtailment_in_check_frac"] - curtailment_budget).clip(min=0.0)
    failing = failing_cells(figures, tolerance, curtailment_budget)
    if stalled is not None:
        failing = failing & ~stalled
    lost = figures["unserved_in_check_twh"] + system_shed(figures)
    severity = lost * 1e6 + figures["time_check_gap_frac"] + short + over
    flat = severity.where(failing).stack(cell=("year", "region")).dropna("cell")
    hardest = figures["time_check_hardest_day"]
    ranked = [
        hardest.sel(year=cell[0], region=cell[1]).values
        for cell in flat.sortby(flat, ascending=False)["cell"].values
    ]
    picked: list[int] = []
    for rank in range(hardest.sizes["hardest"]):
        for days in ranked:
            if np.isnan(days[rank]):
                continue
            day = int(days[rank])
            if day not in picked and day not in exclude and len(picked) < per_round:
                picked.append(day)
    return picked


def failing_cells(
    figures: xr.Dataset, tolerance: float, curtailment_budget: float = float("inf")
) -> xr.DataArray:
    """Where (year, region) the check fails: unserved energy beyond the reliability
    standard (:func:`unserved_fails`), a realised cost above the plan's by more than
    ``tolerance``, a 24/7 score short of the plan's promise (:func:`clean_short_fails`),
    or flexible connections curtailed beyond ``curtailment_budget`` times 1 +
    ``tolerance``."""
    gap = figures["time_check_gap_frac"] > tolerance
    return gap | hourly_fails(figures, tolerance, curtailment_budget)


def hourly_fails(
    figures: xr.Dataset, tolerance: float, curtailment_budget: float = float("inf")
) -> xr.DataArray:
    """Where the check fails in hours, whatever the cost: unserved energy beyond the
    reliability standard (:func:`unserved_fails`), a 24/7 score short of the plan's
    promise, or curtailment beyond the budget (as :func:`failing_cells`). Other load a
    system sheds (:func:`system_shed`) is not among them: the plan sheds it too where
    that is cheaper than building, at the value of lost load, so the cost gap, which
    prices it so, judges it."""
    return unserved_fails(figures) | _short_or_curtailed(figures, tolerance, curtailment_budget)


def _short_or_curtailed(
    figures: xr.Dataset, tolerance: float, curtailment_budget: float
) -> xr.DataArray:
    """Where the 24/7 score falls short of the plan's promise (:func:`clean_short_fails`)
    or flexible connections are curtailed beyond ``curtailment_budget`` x (1 + tolerance)."""
    curtailed = figures["curtailment_in_check_frac"] > curtailment_budget * (1 + tolerance)
    return clean_short_fails(figures, tolerance) | curtailed


UNSERVED_STANDARD_FRAC = 2e-5
"""IT energy the check leaves unserved in a region-year beyond the load its plan sheds
itself, as a share of the IT energy the region was to serve, above which it fails: the
reliability standard of Australia's National Electricity Market, unserved energy at most
0.002% of the energy demanded in a region in a year (National Electricity Rules cl.
3.9.3C; AEMC Reliability Panel, "Review of the definition of unserved energy", 2019). No
system is planned to serve every hour of a year: the baseline's ERCOT (2030) left 0.001
TWh of 139 TWh of IT unserved after one round (0.0008%, 4 hours), and two more rounds,
each a re-plan, moved it between days and ended at 0.003 TWh."""


def unserved_fails(figures: xr.Dataset) -> xr.DataArray:
    """Where the IT energy the check leaves unserved beyond the load the plan sheds itself
    (``unserved_beyond_plan_in_check_frac``) exceeds :data:`UNSERVED_STANDARD_FRAC` of the
    region-year's; in figures written before that share, all of it (before the share of
    IT energy, any unserved energy)."""
    if "unserved_in_check_frac" not in figures:
        return figures["unserved_in_check_twh"] > 0
    return lost_share(figures) > UNSERVED_STANDARD_FRAC


def system_shed(figures: xr.Dataset) -> xr.DataArray:
    """Other load a ``system`` region's fleet sheds over the year beyond the plan's (TWh;
    0 where the figures have none). A gap it makes sits in the hours it is shed, not in
    the year's spread: behind_the_meter's ERCOT (2030) shed 0.94 TWh of it, +66% on the
    region's cost, which one round of its shedding days took to +1.0%."""
    return figures.get("system_shed_in_check_twh", xr.zeros_like(figures["time_check_gap_frac"]))


STALL_SHARE = 0.25
"""A region-year that fails on its cost gap alone stops bringing critical days once a round
that took some of its hardest days narrowed the gap's excess over the tolerance by less
than this share. Critical days close gaps that sit on a few days (unserved hours, a
system's scarcity); a gap spread over the year's variability they barely move: on the
baseline (2030) europe went from +7.2% to +6.9% and asia_pacific from +8.8% to +7.1% in
three rounds, each round a re-plan (``docs/time.md``). The same holds for energy lost
(:func:`lost_cells`) that such a round did not cut by this share."""


def cost_only_cells(
    figures: xr.Dataset, tolerance: float, curtailment_budget: float = float("inf")
) -> xr.DataArray:
    """Where the check fails (:func:`failing_cells`) on the cost gap alone: nothing
    unserved, no other load shed beyond the plan's, no 24/7 shortfall, no curtailment
    beyond the budget."""
    gap = figures["time_check_gap_frac"] > tolerance
    hourly = hourly_fails(figures, tolerance, curtailment_budget) | (system_shed(figures) > 0)
    return gap & ~hourly


def lost_cells(
    figures: xr.Dataset, tolerance: float, curtailment_budget: float = float("inf")
) -> xr.DataArray:
    """Where the check fails on IT energy lost alone: IT unserved beyond the standard
    (:func:`unserved_fails`), with no other load shed beyond the plan's (whose days
    refinement keeps adding: ``grid_decarbonisation`` at no carbon price, stopped so
    after two rounds, left 0.22 TWh of ERCOT's other load shed, +6.2%, where a third
    round took it below tolerance), no 24/7 shortfall and no curtailment beyond the
    budget."""
    hourly = _short_or_curtailed(figures, tolerance, curtailment_budget)
    return unserved_fails(figures) & (system_shed(figures) <= 0) & ~hourly


def lost_share(figures: xr.Dataset) -> xr.DataArray:
    """IT energy lost beyond the plan's, as :func:`unserved_fails` and
    :func:`stalled_cells` judge it: the IT unserved beyond the load the plan sheds
    itself, as a share of the IT energy (all of it in figures written before that share;
    TWh in figures written before any share)."""
    for share in ("unserved_beyond_plan_in_check_frac", "unserved_in_check_frac"):
        if share in figures:
            return figures[share]
    return figures["unserved_in_check_twh"]


def stalled_cells(
    before: xr.Dataset,
    after: xr.Dataset,
    added: list[int],
    tolerance: float,
    curtailment_budget: float = float("inf"),
) -> xr.DataArray:
    """The region-years a refinement round did not help (:data:`STALL_SHARE`): which the
    round ``added`` some of their hardest days to (as ranked ``before``), and failing on
    the cost gap alone before and after it, whose gap's excess over ``tolerance`` fell by
    less than the share, or failing on energy lost (:func:`lost_cells`) before and after
    it, whose energy lost (:func:`lost_share`) fell by less than the share: ERCOT's IT
    unserved beyond its plan's in ``iea_headwinds`` (2030) went from 0.0326% to 0.0022%
    in the first round, then 0.0024% and 0.0024%, above the standard (0.002%)."""
    took = before["time_check_hardest_day"].isin(added).any("hardest")
    excess_before = before["time_check_gap_frac"] - tolerance
    excess_after = after["time_check_gap_frac"] - tolerance
    cost = (
        cost_only_cells(before, tolerance, curtailment_budget)
        & cost_only_cells(after, tolerance, curtailment_budget)
        & (excess_after > (1 - STALL_SHARE) * excess_before)
    )
    lost = (
        lost_cells(before, tolerance, curtailment_budget)
        & lost_cells(after, tolerance, curtailment_budget)
        & (lost_share(after) > (1 - STALL_SHARE) * lost_share(before))
    )
    return took & (cost | lost)


def named_cells(cells: xr.DataArray | None) -> str:
    """``cells`` (True where named) as "region year, ..." ("" where none)."""
    if cells is None or not bool(cells.any()):
        return ""
    flat = cells.stack(cell=("year", "region"))
    return ", ".join(f"{region} {year}" for year, region in flat["cell"].values[flat.values])


def check_fails(
    figures: xr.Dataset, tolerance: float, curtailment_budget: float = float("inf")
) -> xr.DataArray:
    """The check's verdict by year and region (True: failed): :func:`failing_cells`, or a
    realised cost below the plan's by more than ``tolerance`` (the plan misjudged it)."""
    gap_off = abs(figures["time_check_gap_frac"]) > tolerance
    return failing_cells(figures, tolerance, curtailment_budget) | gap_off


def clean_short_fails(figures: xr.Dataset, tolerance: float) -> xr.DataArray:
    """Where the full-year 24/7 score falls short of the plan's promise by more than
    ``tolerance`` of the not-clean energy promised (and by at least ``tolerance`` x
    ``tolerance`` of the energy, so a 100% promise has a tolerance too): 98% promised,
    96.4% realised is 80% more not-clean energy than promised, a failure, not 1.6 points
    within a 2% tolerance: the last points of an hourly share are the dearest (us_texas
    2030: a plan whose build realised 96.4% of its 98% cost 15% less than the full
    year's 98%)."""
    short = figures["hourly_clean_short_in_check_frac"]
    promised = figures["hourly_clean_score_in_check_frac"] + short
    allowed = tolerance * np.maximum(1.0 - promised, tolerance)
    return (short > allowed).fillna(False)


FAILED_SHOWN = 4
"""Failing region-years a run's verdict names (``time_check_failed``), worst first."""


def failed_where(figures: xr.Dataset, tolerance: float, curtailment_budget: float) -> str:
    """Where the check fails (:func:`check_fails`), worst first: each region and year with
    its gap and, where they fail, its unserved energy, 24/7 shortfall and curtailment
    ("" where it passes everywhere). The run's attribute ``time_check_failed``."""
    if not figures.data_vars:
        return ""
    fails = check_fails(figures, tolerance, curtailment_budget)
    cells = figures.where(fails).stack(cell=("year", "region"))
    gap = cells["time_check_gap_frac"].dropna("cell")
    order = abs(gap).sortby(abs(gap), ascending=False)["cell"].values
    named = []
    for year, region in order[:FAILED_SHOWN]:
        cell = figures.sel(year=year, region=region)
        what = [f"{float(cell['time_check_gap_frac']):+.1%}"]
        if bool(unserved_fails(cell)):
            what.append(f"{float(cell['unserved_in_check_twh']):.2g} TWh unserved")
        shed = float(system_shed(cell))
        if shed > 0:
            what.append(f"{shed:.2g} TWh of other load shed")
        if bool(clean_short_fails(cell, tolerance)):
            short = 100 * float(cell["hourly_clean_short_in_check_frac"])
            what.append(f"24/7 {short:.1f} points short")
        curtailed = float(cell["curtailment_in_check_frac"])
        if curtailed > curtailment_budget * (1 + tolerance):
            what.append(f"curtailed {curtailed:.2%}")
        named.append(f"{region} {year} ({', '.join(what)})")
    more = len(order) - len(named)
    return ", ".join(named) + (f" and {more} more" if more else "")


def largest(res: xr.Dataset, name: str) -> float:
    """The largest of ``res[name]`` in size, with its sign (NaN where not checked)."""
    if name not in res:
        return float("nan")
    values = res[name]
    worst = float(abs(values).max())
    return float(values.where(abs(values) == worst).max())


def check_warning(attrs: dict) -> str | None:
    """The full-year check's verdict when a run ends above its tolerance, else None.

    Names the cost gap (the system's and the data centres' own) and, of the other
    tests, only those that failed: energy unserved (beyond the reliability standard,
    :data:`UNSERVED_STANDARD_FRAC`), a 24/7 score short of the plan's
    promise, curtailment of flexible connections beyond their budget (times 1 +
    tolerance, as the verdict); then where (:func:`failed_where`). With refinement off,
    says how to turn it on.
    """
    if int(attrs.get("time_check_passed", 1)):
        return None
    parts = [
        f"cost gap {float(attrs['time_check_max_gap_frac']):+.1%} "
        f"(tolerance {float(attrs['time_tolerance_frac']):.0%}; the data centres' own "
        f"{float(attrs.get('time_check_max_data_centre_gap_frac', float('nan'))):+.1%})"
    ]
    unserved = float(attrs.get("time_check_unserved_twh", 0.0))
    share = attrs.get("time_check_unserved_frac")  # None: written before 0.3
    beyond = attrs.get("time_check_unserved_beyond_plan_frac", share)  # the plan's shed
    if unserved > 0 and share is None:
        parts.append(f"{unserved:.3g} TWh unserved")
    elif unserved > 0 and float(beyond) > UNSERVED_STANDARD_FRAC:
        of_it = f"up to {float(share):.4%} of a region's IT energy"
        if float(beyond) < float(share):
            of_it += f", {float(beyond):.4%} beyond the load its plan sheds"
        parts.append(f"{unserved:.3g} TWh unserved ({of_it}; standard {UNSERVED_STANDARD_FRAC:.3%})")
    shed = float(attrs.get("time_check_system_shed_twh", 0.0))  # absent: written before 0.3
    if shed > 0:
        parts.append(f"{shed:.3g} TWh of other load shed beyond the plan's")
    short = float(attrs.get("time_check_clean_short_frac", 0.0))
    if short > 0:  # NaN (no 24/7 share asked) is not a shortfall
        parts.append(f"24/7 score {100 * short:.1f} points short of the plan's")
    curtailed = float(attrs.get("time_check_curtailment_frac", 0.0))
    budget = attrs.get("time_check_curtailment_budget_frac")  # None: written before 0.3
    limit = 0.0 if budget is None else float(budget) * (1 + float(attrs["time_tolerance_frac"]))
    if curtailed > limit:
        of_budget = "" if budget is None else f" (budget {float(budget):.2%})"
        parts.append(f"flexible connections curtailed {curtailed:.2%} of their energy{of_budget}")
    where = attrs.get("time_check_failed")  # None: written before 0.3
    rounds = int(attrs.get("time_refine_rounds", 0))
    advice = " (docs/time.md)"
    stalled = attrs.get("time_refine_stalled")  # None: written before 0.3
    if stalled:
        advice = (
            f"; critical days did not narrow the cost gap or the energy lost in {stalled} "
            "(a cost gap spread over the year narrows with more representative days: "
            "time.representative_days; docs/time.md)"
        )
    if attrs.get("time_refine") == "none":
        advice = "; time.refine: auto adds its hardest days to the plan (docs/time.md)"
    return (
        "full-year check above tolerance: "
        + ", ".join(parts)
        + f", after {rounds} refinement round{'s' * (rounds != 1)}"
        + (f", failing in {where}" if where else "")
        + advice
    )


DAYS_PER_ROUND = {"hourly_clean": 16, "other": 4}
"""Critical days a refinement round adds with ``time.refine_days_per_round: auto``, in a
plan of one region and year. A 24/7 score falls short in hours spread over the year:
us_texas at 98%, 3 rounds, left the premium 21% low with 4 a round and 6% low with 16.
Unserved energy and cost gaps fall on a few days: on the four regions' default mix
(``benchmarks/convergence.py --regions``) 16 a round left the error from 0.8 points
worse (us_texas) to 1.4 better (china) than 4, no better on the whole."""


def days_per_round(sc: Scenario) -> int:
    """Most critical days one refinement round of ``sc`` adds (``time.refine_days_per_round``).

    ``auto``: :data:`DAYS_PER_ROUND`, divided among the plan's region-years down to 4,
    since every day adds rows in each: ``clean_24_7`` (7 regions, 6 years) re-planned
    with 16 more days took 62 s of HiGHS a solve, with 4 20 s."""
    if sc.time.refine_days_per_round != "auto":
        return sc.time.refine_days_per_round
    wanted = DAYS_PER_ROUND["hourly_clean" if hourly_matching(sc) else "other"]
    return max(DAYS_PER_ROUND["other"], wanted // (len(sc.regions) * len(sc.years)))


def flexible_connections(sc: Scenario) -> bool:
    """Whether ``sc`` offers a non-firm share of the connection above 0 anywhere."""
    share = sc.grid.flexible_connection_frac
    values = share.values() if isinstance(share, dict) else [share]
    return any(float(v) > 0 for v in values)


def hourly_matching(sc: Scenario) -> bool:
    """Whether ``sc`` asks for an hourly clean share above 0 in any year."""
    share = sc.policy.hourly_clean_share_frac
    if share is None:
        return False
    values = share.values() if isinstance(share, dict) else [share]
    return any(float(v) > 0 for v in values)
