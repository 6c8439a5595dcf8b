"""The full-year dispatch check and its critical days, hand-worked (``docs/time.md``).

One region supplied by its grid connection alone, flat load and flat prices, except one
day of the year (day 200) whose inference load is 1.5x its mean at 03:00 and 0.5x at
15:00 (the day's energy unchanged). Two representative days without extreme days miss
that day, so the plan sizes the connection for the flat load, PUE x L. The full year
then fails in exactly one hour, by half the inference load; adding day 200 as a
critical day sizes the connection for the spike, and the check passes.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
import xarray as xr

import energymodel as em
from energymodel.units import HOURS_PER_DAY, TWH_PER_GW_YEAR

REGION, YEAR, DAY = "us_east", 2030, 200
INPUTS = Path(__file__).resolve().parent.parent / "inputs"


def _inputs_with_spikes(folder: Path, spikes: dict[int, float]) -> Path:
    """The shipped inputs, with flat load and prices in REGION but for a spike of
    ``spikes[day]`` x the mean at 03:00 of each day (and the same energy less at 15:00)."""
    for path in INPUTS.iterdir():
        if path.is_file():
            shutil.copy(path, folder / path.name)
    hourly = pd.read_csv(INPUTS / "hourly_profiles.csv")
    shape = pd.Series(1.0, index=hourly.index)
    for day, peak in spikes.items():
        shape[day * HOURS_PER_DAY + 3] = peak
        shape[day * HOURS_PER_DAY + 15] = 2.0 - peak
    hourly[f"inference_load:{REGION}"] = shape
    hourly[f"grid_price:{REGION}"] = 1.0
    hourly.to_csv(folder / "hourly_profiles.csv", index=False)
    return folder


@pytest.fixture(scope="module")
def spike_inputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _inputs_with_spikes(tmp_path_factory.mktemp("inputs"), {DAY: 1.5})


def _scenario(inputs: Path, **time: object) -> em.Scenario:
    return em.load_scenario(
        {
            "name": "spike",
            "regions": [REGION],
            "years": [YEAR],
            "inputs_dir": str(inputs),
            "time": {"representative_days": 2, "extreme_days": "off", "check": "full_year", **time},
            "supply": {"techs": [], "reserve_margin_frac": 0.0},
            "grid": {
                "mode": "tariff",
                "connection_basis": "peak",  # sized on the plan's peak, as the spike needs
                "existing_connection_gw": {REGION: 0.0},
                "max_new_connection_gw_per_yr": {REGION: 1000.0},
            },
            "demand": {"flexible_frac": 0.0},
        }
    )


def _inference_gw(res) -> float:
    served = res["it_energy_twh"].sel(year=YEAR, region=REGION, workload="inference")
    return float(served) / TWH_PER_GW_YEAR


def test_check_finds_the_hour_the_plan_missed(spike_inputs: Path) -> None:
    res = em.run(_scenario(spike_inputs, refine="none"))
    d = res.sel(year=YEAR, region=REGION)
    assert float(d["unserved_hours_in_check"]) == 1
    # the spike hour lacks half the inference load: 0.5 L for one hour
    assert float(d["unserved_in_check_twh"]) == pytest.approx(0.5 * _inference_gw(res) / 1e3)
    # its share of the year's IT energy: 0.5 I x 1 h over (I + T) x 8,760 h, above the
    # reliability standard (0.002%)
    it_twh = float(res["it_energy_twh"].sel(year=YEAR, region=REGION).sum("workload"))
    share = 0.5 * _inference_gw(res) / 1e3 / it_twh
    assert float(d["unserved_in_check_frac"]) == pytest.approx(share, rel=1e-6)
    assert share > 2e-5
    # no system here: the plan sheds nothing itself, so all of it is beyond the plan's
    assert float(d["unserved_beyond_plan_in_check_frac"]) == float(d["unserved_in_check_frac"])
    assert int(d["time_check_hardest_day"].isel(hardest=0)) == DAY
    assert res.attrs["time_check_passed"] == 0
    assert res.attrs["time_refine_rounds"] == 0
    assert float(d["time_check_gap_frac"]) > 0  # unserved compute costs its value
    # failed on the windows, but their duals prove them the year's optimum: kept
    assert res.attrs["time_check_whole_year_lps"] == 0
    assert 0.0 <= float(d["time_check_window_bound_frac"]) < 1e-6


def test_windows_and_the_whole_year_find_the_same_hour(spike_inputs: Path) -> None:
    windows = em.run(_scenario(spike_inputs, refine="none", check_window_days=28))
    whole = em.run(_scenario(spike_inputs, refine="none", check_window_days=0))
    assert whole.attrs["time_check_whole_year_lps"] == 1
    for name in ("unserved_in_check_twh", "time_check_gap_frac", "time_check_hardest_day"):
        xr.testing.assert_allclose(windows[name], whole[name])


def test_critical_day_removes_the_unserved_hour(spike_inputs: Path) -> None:
    res = em.run(_scenario(spike_inputs, refine="auto"))
    d = res.sel(year=YEAR, region=REGION)
    assert res.attrs["time_days_added"] == str(DAY)
    assert res.attrs["time_refine_rounds"] == 1
    assert float(d["unserved_in_check_twh"]) == 0.0
    assert res.attrs["time_check_passed"] == 1
    assert abs(float(d["time_check_gap_frac"])) < 1e-6  # flat prices: the plan is exact
    assert res.attrs["time_check_whole_year_lps"] == 0  # passed on the windows
    pue = float(em.build_params(_scenario(spike_inputs))["pue_ratio"].sel(year=YEAR, region=REGION))
    load = float(res["it_load_gw"].sel(year=YEAR, region=REGION).sum("workload").max())
    grid = float(res["supply_capacity_gw"].sel(year=YEAR, region=REGION, tech="grid"))
    assert grid == pytest.approx(pue * load)


def test_a_round_checks_its_plan_in_the_models_built_for_the_first(spike_inputs: Path) -> None:
    # the check's models are built once a run and each round fixes its own plan's
    # decisions in them: the plan with day 200 (its connection sized for the spike)
    # checked in the models of the plan without it gives what new models give: the year
    # served in full, where the plan without it left one hour unserved; its windows
    # start from the first check's bases
    from energymodel import api

    sc = _scenario(spike_inputs)
    _, first = api._solve(em.build_params(sc), sc.solver)
    with_day = sc.model_copy(update={"time": sc.time.model_copy(update={"critical_days": (DAY,)})})
    _, second = api._solve(em.build_params(with_day), sc.solver)
    full = api.full_year_params(sc)
    models: dict = {}
    before = api.full_year_check(sc, first, full=full, models=models)
    assert float(before["unserved_hours_in_check"].sum()) == 1
    built = {cell: (*model[:2], dict(model[2])) for cell, model in models.items()}
    assert all(bases for *_, bases in built.values())  # each window's basis, by pass and day
    reused = api.full_year_check(with_day, second, full=full, models=models)
    assert models.keys() == built.keys()  # no model built again
    assert all(models[cell][0] is built[cell][0] for cell in built)
    assert all(models[cell][2] != built[cell][2] for cell in built)  # the new bases left
    fresh = api.full_year_check(with_day, second, full=full)
    assert float(reused["unserved_in_check_twh"].sum()) == 0.0
    xr.testing.assert_equal(reused, fresh)


def test_unserved_energy_within_the_reliability_standard_passes(tmp_path: Path) -> None:
    # a spike of 1.1x: the plan's connection, sized for the flat load, lacks 0.1 I in one
    # hour of the year, 0.1 I x 1 h over (I + T) x 8,760 h <= 0.1 / 8,760 = 0.0011% of
    # the year's IT energy, within the standard (0.002%): the check passes unrefined,
    # and reports what went unserved. At 1.5x (above) it is 0.0057% at most, and fails.
    from energymodel.results.verdict import UNSERVED_STANDARD_FRAC

    assert UNSERVED_STANDARD_FRAC == 2e-5
    res = em.run(_scenario(_inputs_with_spikes(tmp_path, {DAY: 1.1}), refine="auto"))
    d = res.sel(year=YEAR, region=REGION)
    assert float(d["unserved_in_check_twh"]) == pytest.approx(0.1 * _inference_gw(res) / 1e3)
    it_twh = float(res["it_energy_twh"].sel(year=YEAR, region=REGION).sum("workload"))
    share = 0.1 * _inference_gw(res) / 1e3 / it_twh
    assert float(d["unserved_in_check_frac"]) == pytest.approx(share, rel=1e-6)
    assert 0 < share <= 0.1 / 8760 * (1 + 1e-9) < UNSERVED_STANDARD_FRAC
    assert res.attrs["time_check_unserved_frac"] == float(d["unserved_in_check_frac"])
    assert res.attrs["time_check_passed"] == 1
    assert res.attrs["time_refine_rounds"] == 0


def test_a_round_replans_the_checked_year_and_the_years_before_keep_their_builds(
    spike_inputs: Path,
) -> None:
    # 2029 and 2030, the last checked: the round solves the years one after another,
    # 2029 building at least what the plan built then (its flat-load connection) and
    # what day 200 now asks of it, 2030 re-planned: each year's connection is sized for
    # its own spike, as a whole re-plan would size it
    sc = _scenario(spike_inputs, refine="auto")
    res = em.run(sc.model_copy(update={"years": [YEAR - 1, YEAR]}))
    assert res.attrs["time_refine_years"] == str(YEAR)
    assert res.attrs["time_refine_rounds"] == 1
    assert res.attrs["time_days_added"] == str(DAY)
    assert res.attrs["time_check_passed"] == 1
    grid = res["supply_capacity_gw"].sel(region=REGION, tech="grid")
    peak = res["it_load_gw"].sel(region=REGION).sum("workload").max("timeslice")
    pue = em.build_params(sc.model_copy(update={"years": [YEAR - 1, YEAR]}))["pue_ratio"]
    assert (grid / peak).values.tolist() == pytest.approx(pue.sel(region=REGION).values.tolist())


def test_a_round_adds_at_most_refine_days_per_round(tmp_path: Path) -> None:
    # two spikes, 1.5x on day 200 and 1.25x on day 100: the plan's year fails on both.
    # One day a round adds the larger spike (more unserved), and a connection sized for
    # it serves the smaller one too: one round, one day. Four a round add both at once.
    inputs = _inputs_with_spikes(tmp_path, {DAY: 1.5, 100: 1.25})
    one = em.run(_scenario(inputs, refine="auto", refine_days_per_round=1))
    assert one.attrs["time_days_added"] == str(DAY)
    assert one.attrs["time_refine_rounds"] == 1
    assert one.attrs["time_check_passed"] == 1
    four = em.run(_scenario(inputs, refine="auto"))
    assert four.attrs["time_days_added"] == f"{DAY},100"
    assert four.attrs["time_refine_rounds"] == 1
    assert four.attrs["time_check_passed"] == 1


def test_auto_adds_more_days_a_round_for_an_hourly_clean_share(spike_inputs: Path) -> None:
    from energymodel.api import DAYS_PER_ROUND, days_per_round

    sc = _scenario(spike_inputs)
    assert days_per_round(sc) == DAYS_PER_ROUND["other"] == 4
    hourly = sc.model_copy(update={"policy": sc.policy.model_copy(
        update={"hourly_clean_share_frac": 0.98})})  # fmt: skip
    assert days_per_round(hourly) == DAYS_PER_ROUND["hourly_clean"] == 16
    assert days_per_round(_scenario(spike_inputs, refine_days_per_round=2)) == 2
    # in a plan of 7 regions x 6 years every day adds 42 region-years of rows: 4
    big = hourly.model_copy(update={"regions": ["a"] * 7, "years": list(range(2025, 2031))})
    assert days_per_round(big) == 4
    # two region-years: 16 // 2
    assert days_per_round(hourly.model_copy(update={"years": [2029, 2030]})) == 8


def test_check_off_leaves_the_results_as_they_were(spike_inputs: Path) -> None:
    res = em.run(_scenario(spike_inputs, check="none"))
    assert "unserved_in_check_twh" not in res
    assert res.attrs["time_check"] == "none: time.check none"
    assert "time_check_passed" not in res.attrs


def test_auto_checks_only_hourly_clean_shares_and_flexible_connections(
    spike_inputs: Path,
) -> None:
    # time.check auto (the default) leaves a run without an hourly clean share or a
    # flexible connection unchecked, and says why; with either, it is checked
    from energymodel.api import _checks, flexible_connections, hourly_matching

    plain = _scenario(spike_inputs, check="auto")
    assert not hourly_matching(plain)
    res = em.run(plain)
    assert "unserved_in_check_twh" not in res
    assert res.attrs["time_check"].startswith("none: time.check auto checks hourly")
    matched = plain.model_copy(
        update={"policy": plain.policy.model_copy(update={"hourly_clean_share_frac": 0.5})}
    )
    assert hourly_matching(matched)
    assert _checks(matched)
    assert not flexible_connections(plain)
    assert not _checks(plain)
    non_firm = plain.model_copy(
        update={"grid": plain.grid.model_copy(update={"flexible_connection_frac": {"r1": 0.25}})}
    )
    assert flexible_connections(non_firm)
    assert _checks(non_firm)


def test_the_24_7_shortfall_counts_against_what_the_plan_promised() -> None:
    # worked by hand: a plan at 0.96 that must reach 0.80 and gets 0.906 over the year is
    # not short (0); one at 0.80 that gets 0.75 is 0.05 short; one at 0.85 that must
    # reach 0.90 (the plan short of its share) is judged on 0.85 and gets 0.848: 0.002
    # short. At 2% tolerance of the not-clean energy promised, b may fall 0.02 x 0.20 =
    # 0.004 short (fails), c 0.02 x 0.15 = 0.003 (passes)
    from energymodel.results.check import clean_short
    from energymodel.results.verdict import clean_short_fails, critical_days

    regions = ["a", "b", "c"]

    def cells(values: list[float]) -> xr.DataArray:
        return xr.DataArray(
            [values], dims=("year", "region"), coords={"year": [2030], "region": regions}
        )

    check = cells([0.906, 0.75, 0.848])
    short = clean_short(cells([0.96, 0.80, 0.85]), check, cells([0.8, 0.8, 0.9]))
    assert short.values.tolist()[0] == pytest.approx([0.0, 0.05, 0.002])
    figures = xr.Dataset(
        {
            "unserved_in_check_twh": cells([0.0, 0.0, 0.0]),
            "time_check_gap_frac": cells([0.0, 0.0, 0.0]),
            "hourly_clean_score_in_check_frac": check,
            "hourly_clean_short_in_check_frac": short,
            "curtailment_in_check_frac": cells([0.0, 0.0, 0.006]),
            "time_check_hardest_day": xr.DataArray(
                [[[10, 11, 12], [20, 21, 22], [30, 31, 32]]],
                dims=("year", "region", "hardest"),
                coords={"year": [2030], "region": regions},
            ),
        }
    )
    assert clean_short_fails(figures, 0.02).values.tolist()[0] == [False, True, False]
    # 98% promised, 96.4% realised: 1.6 points, but 80% more not-clean energy: fails
    steep = xr.Dataset(
        {
            "hourly_clean_score_in_check_frac": cells([0.964, 0.964, 0.9996]),
            "hourly_clean_short_in_check_frac": cells([0.016, 0.0, 0.0004]),
        }
    )
    assert clean_short_fails(steep, 0.02).values.tolist()[0] == [True, False, False]
    # only b fails: its hardest days in order, one already critical giving way
    assert critical_days(figures, tolerance=0.02, per_round=2) == [20, 21]
    assert critical_days(figures, tolerance=0.02, per_round=4, exclude=(21,)) == [20, 22]
    # c's flexible connection curtailed 0.6% of its energy: within a 1% budget, beyond
    # 0.5% x 1.02 = 0.51% (b's 0.05 short outranks c's 0.002 short + 0.001 over)
    assert critical_days(figures, 0.02, 2, curtailment_budget=0.01) == [20, 21]
    assert critical_days(figures, 0.02, 2, curtailment_budget=0.005) == [20, 30]


def test_the_realised_cost_keeps_what_earlier_years_built(spike_inputs: Path) -> None:
    # two model years, the last checked: the connection built in the first year is paid
    # for in both, in the plan and in the check alike (the check's own model holds only
    # the last year, so it cannot see that build's annuity); with flat prices and the
    # spike day added, the plan is exact, so the gap is 0, not the missing annuity
    sc = _scenario(spike_inputs, refine="auto")
    res = em.run(sc.model_copy(update={"years": [YEAR - 1, YEAR]}))
    d = res.sel(year=YEAR, region=REGION)
    assert float(d["unserved_in_check_twh"]) == 0.0
    assert abs(float(d["time_check_gap_frac"])) < 1e-6
    assert float(d["supply_cost_in_check_usd_per_mwh"]) == pytest.approx(
        float(d["supply_cost_plan_usd_per_mwh"]), rel=1e-6
    )


def test_fixing_the_plan_clips_round_off_to_the_bounds() -> None:
    """A solver value a hair below zero is fixed at zero, without Pyomo's domain warning."""
    import pyomo.environ as pyo

    from energymodel.model.check import fix_decisions

    m = pyo.ConcreteModel()
    m.it_capacity_gw = pyo.Var([0], within=pyo.NonNegativeReals)
    m.it_peak_gw = pyo.Var([0], within=pyo.NonNegativeReals)
    m.share = pyo.Var([0], bounds=(0.0, 1.0))
    plan = {"it_capacity_gw": {0: 2.0}, "it_peak_gw": {0: -4e-15}, "share": {0: 1.0 + 1e-12}}
    fix_decisions(m, plan, max_draw_frac=0.9)
    assert m.it_peak_gw[0].value == pytest.approx(1.8)  # the draw limit of 2 GW
    assert m.share[0].value == 1.0
    plan["it_capacity_gw"][0] = -1e-15
    fix_decisions(m, plan, max_draw_frac=0.9)
    assert m.it_capacity_gw[0].value == 0.0


def test_clean_shortfall_counts_only_where_a_share_is_required() -> None:
    """No hourly share asked (NaN): a plan's 24/7 score is no promise; 0.9 asked: it is."""
    from energymodel.results.check import clean_short

    plan, check = xr.DataArray([0.95, 0.95]), xr.DataArray([0.80, 0.80])
    short = clean_short(plan, check, xr.DataArray([float("nan"), 0.9]))
    np.testing.assert_allclose(short.to_numpy(), [0.0, 0.10])


def _tight_system(tight_days: int, check: bool, **system: Any) -> xr.Dataset:
    """One region, 1 GW of IT connected on nameplate, lost compute at 1,000 $/MWh, a system
    (``tiny.with_system(**system)``) whose other load is tight on day 1: in ``tight_days``
    of 100 (1% of the year each); as the check's model where ``check``."""
    from tiny import tiny_params, with_system

    base = tiny_params(
        days=2,
        day_sequence=[0] * (100 - tight_days) + [1] * tight_days,
        connection_capex_usd_per_kw=0.0,
        unserved_penalty=1000.0,
        connection_on_nameplate=True,
    )
    out = with_system(base, **system)
    return out.assign(dispatch_check_flag=1.0) if check else out


def test_the_check_reports_curtailment_beyond_the_budget() -> None:
    """The plan sees the tight hours in 1% of the year, the full year in 2%: the check is
    not infeasible for want of budget, it reports the share curtailed.

    As in test_model_families' flexible connection (budget 0.25%): the plan builds 0.25 GW
    of CC, so the system carries 10.75 GW and curtails 10 + 1 - 10.75 = 0.25 GW of the
    data centre's 1 GW in each tight hour. Over 1% of the year (87.6 h) that is 21.9 GWh,
    0.25% of the contract's 8,760 GWh; over 2% (175.2 h) 43.8 GWh, 0.5%.
    """

    from energymodel.model import build_model
    from energymodel.model.check import fix_decisions, yearly_decisions
    from energymodel.results import to_dataset
    from energymodel.results.check import _curtailed_share
    from energymodel.solve import solve_model

    fleet = {
        "coal": {"existing_gw": 10.5, "variable_cost_usd_per_mwh": 20.0},
        "cc": {"variable_cost_usd_per_mwh": 40.0, "capex_usd_per_kw": 1000.0},
    }

    def params(tight_days: int, check: bool) -> xr.Dataset:
        return _tight_system(
            tight_days,
            check,
            fleet=fleet,
            other_load_gw=[9.0, 10.0],
            flexible_connection_frac=0.5,
            curtailment_budget_frac=0.0025,
        )

    plan = build_model(params(1, check=False))
    assert solve_model(plan).optimal
    shares = {}
    for tight_days in (1, 2):
        m = build_model(params(tight_days, check=True))
        fix_decisions(m, yearly_decisions(plan), max_draw_frac=1.0)
        result = solve_model(m, diagnose=False)
        assert result.optimal
        ds = to_dataset(m, params(tight_days, check=True), result)
        shares[tight_days] = float(_curtailed_share(m.arrays, result.arrays, ds).squeeze())
    assert shares[1] == pytest.approx(0.0025, rel=1e-6)
    assert shares[2] == pytest.approx(0.005, rel=1e-6)


def test_the_data_centres_gap_leaves_out_the_systems_own_costs() -> None:
    """Plan: capex 100, fuel 50, system fuel 30 (180). Full year: fuel 60, 10 of compute
    lost, system fuel 50; capex is the plan's. All: 220 / 180 - 1 = 0.2222; the data
    centres' own: (100 + 60 + 10) / 150 - 1 = 0.1333."""
    from energymodel.results.check import SUPPLY_COMPONENTS, _gap

    def parts(values: dict[str, float]) -> xr.DataArray:
        return xr.DataArray(list(values.values()), coords={"component": list(values)})

    plan = parts({"power_capex": 100.0, "fuel": 50.0, "unserved": 0.0, "system_fuel": 30.0})
    check = parts({"power_capex": 999.0, "fuel": 60.0, "unserved": 10.0, "system_fuel": 50.0})
    assert float(_gap(check, plan)) == pytest.approx(220 / 180 - 1)
    ours = [c for c in plan["component"].values if c in (*SUPPLY_COMPONENTS, "unserved")]
    assert float(_gap(check.sel(component=ours), plan.sel(component=ours))) == pytest.approx(
        170 / 150 - 1
    )


def test_check_warning_names_only_the_tests_that_failed():
    from energymodel.results.verdict import check_warning

    attrs = {
        "time_check_passed": 0,
        "time_check_max_gap_frac": 0.021,
        "time_tolerance_frac": 0.02,
        "time_check_max_data_centre_gap_frac": -0.016,
        "time_check_unserved_twh": 0.0,
        "time_check_clean_short_frac": float("nan"),  # no 24/7 share asked
        "time_check_curtailment_frac": 0.0024,
        "time_check_curtailment_budget_frac": 0.002,
        "time_refine": "auto",
        "time_refine_rounds": 1,
    }
    text = check_warning(attrs)
    assert text == (
        "full-year check above tolerance: cost gap +2.1% (tolerance 2%; the data centres' "
        "own -1.6%), flexible connections curtailed 0.24% of their energy (budget 0.20%), "
        "after 1 refinement round (docs/time.md)"
    )
    # curtailment within its budget times 1 + tolerance (0.5% x 1.02) is not a failure
    within = check_warning(attrs | {"time_check_curtailment_budget_frac": 0.005})
    assert "curtailed" not in within
    assert "curtailed" not in check_warning(attrs | {"time_check_curtailment_frac": 0.00204})
    # results written before the budget was recorded: any curtailment, no budget named
    old = {k: v for k, v in attrs.items() if k != "time_check_curtailment_budget_frac"}
    assert "curtailed 0.24% of their energy, after" in check_warning(old)
    # with refinement off, the warning says how to turn it on
    off = check_warning(attrs | {"time_refine": "none", "time_refine_rounds": 0})
    assert off.endswith(
        "after 0 refinement rounds; time.refine: auto adds its hardest days to the plan "
        "(docs/time.md)"
    )
    short = check_warning(attrs | {"time_check_clean_short_frac": 0.031, "time_refine_rounds": 2})
    assert "24/7 score 3.1 points short of the plan's" in short
    assert "2 refinement rounds" in short
    unserved = check_warning(attrs | {"time_check_unserved_twh": 0.0616})
    assert "0.0616 TWh unserved, " in unserved  # written before the share was recorded
    unserved = check_warning(
        attrs | {"time_check_unserved_twh": 0.0616, "time_check_unserved_frac": 6.1e-4}
    )
    assert "0.0616 TWh unserved (up to 0.0610% of a region's IT energy; standard 0.002%)" in (
        unserved
    )
    # within the reliability standard (0.002%) it is not a failure, and goes unnamed
    within = attrs | {"time_check_unserved_twh": 0.001, "time_check_unserved_frac": 7.5e-6}
    assert "unserved" not in check_warning(within)
    # the share beyond the load the plan sheds itself decides, and is named where less
    planned = {"time_check_unserved_twh": 0.0213, "time_check_unserved_frac": 1.6e-4}
    beyond = check_warning(attrs | planned | {"time_check_unserved_beyond_plan_frac": 2.3e-5})
    assert (
        "0.0213 TWh unserved (up to 0.0160% of a region's IT energy, 0.0023% beyond the "
        "load its plan sheds; standard 0.002%)"
    ) in beyond
    shed = attrs | planned | {"time_check_unserved_beyond_plan_frac": 1.4e-5}
    assert "unserved" not in check_warning(shed)
    assert check_warning(attrs | {"time_check_passed": 1}) is None


def test_the_check_ranks_more_days_than_a_round_takes() -> None:
    # refinement skips days already critical: with only as many ranked days as a round
    # takes, a region-year whose hardest days are all critical already brought none, and
    # refinement stopped while the check still failed (four of eight cases of
    # benchmarks/convergence.py --regions with 3 ranked days)
    from energymodel.api import DAYS_PER_ROUND
    from energymodel.results.check import HARDEST_DAYS
    from energymodel.results.verdict import critical_days

    per_round = DAYS_PER_ROUND["other"]
    assert per_round < HARDEST_DAYS

    ranked = list(range(100, 100 + HARDEST_DAYS))
    figures = xr.Dataset(
        {
            "unserved_in_check_twh": xr.DataArray([[0.1]], dims=("year", "region")),
            "time_check_gap_frac": xr.DataArray([[0.0]], dims=("year", "region")),
            "hourly_clean_short_in_check_frac": xr.DataArray([[0.0]], dims=("year", "region")),
            "hourly_clean_score_in_check_frac": xr.DataArray([[1.0]], dims=("year", "region")),
            "curtailment_in_check_frac": xr.DataArray([[0.0]], dims=("year", "region")),
            "time_check_hardest_day": xr.DataArray([[ranked]], dims=("year", "region", "hardest")),
        },
        coords={"year": [2030], "region": ["a"]},
    )
    first = critical_days(figures, 0.02, per_round)
    second = critical_days(figures, 0.02, per_round, exclude=tuple(first))
    assert first == ranked[:per_round]
    assert second == ranked[per_round : 2 * per_round]
    # a round may take all eight at once
    assert critical_days(figures, 0.02, HARDEST_DAYS) == ranked


def _three_priced_days() -> tuple[Any, xr.Dataset, xr.DataArray, np.ndarray]:
    """Three days of 24 h, load 1 GW, marginal cost 30, 20, 10 $/MWh, nothing unserved:
    a stand-in array model (its duals are ``price``, which a test may change), the
    check's results and its unserved load."""
    from types import SimpleNamespace

    hours = np.arange(3 * HOURS_PER_DAY)
    coords = {"year": [2030], "region": ["a"], "timeslice": hours}
    price = np.repeat([30.0, 20.0, 10.0], HOURS_PER_DAY)[None, None, :]
    am = SimpleNamespace(duals=lambda name, sol: xr.DataArray(price, coords=coords))
    load = xr.DataArray(
        np.ones((1, 1, 1, hours.size)), dims=("workload", "year", "region", "timeslice")
    )
    check = xr.Dataset({"it_load_gw": load.assign_coords(coords)})
    return am, check, xr.zeros_like(check["it_load_gw"].sum("workload")), price


def test_curtailed_days_rank_before_costly_ones_where_the_year_is_over_budget() -> None:
    # three days of 24 h, load 1 GW, marginal cost 30, 20, 10 $/MWh: by cost days 0, 1,
    # 2. The grid curtails 0.25 GW in 4 hours of day 2 (1 GWh) and 0.5 GW in 1 hour of
    # day 1 (0.5 GWh): where the year curtails beyond its budget, day 2 ranks first, then
    # day 1, then day 0; where it does not (curtailed_gw 0), cost alone ranks them. A day
    # that cost nothing but was curtailed is still hard.
    from energymodel.results.check import _hardest_days

    am, check, unserved, price = _three_priced_days()
    curtailed = xr.zeros_like(unserved)
    curtailed[..., 2 * HOURS_PER_DAY + 17 : 2 * HOURS_PER_DAY + 21] = 0.25
    curtailed[..., HOURS_PER_DAY + 18] = 0.5
    days = _hardest_days(am, None, check, unserved, curtailed_gw=curtailed).values[0, 0, :3]
    assert days.tolist() == [2, 1, 0]
    days = _hardest_days(am, None, check, unserved, curtailed_gw=0 * curtailed).values
    assert days[0, 0, :3].tolist() == [0, 1, 2]
    price[..., 2 * HOURS_PER_DAY :] = 0.0
    days = _hardest_days(am, None, check, unserved, curtailed_gw=curtailed).values[0, 0, :3]
    assert days.tolist() == [2, 1, 0]
    # with energy unserved on day 0 only the failing days count: day 0 (unserved), then
    # the curtailed days 2 and 1; without curtailment beyond the budget, day 0 alone
    unserved[..., 5] = 0.1
    days = _hardest_days(am, None, check, unserved, curtailed_gw=curtailed).values[0, 0, :3]
    assert days.tolist() == [0, 2, 1]
    days = _hardest_days(am, None, check, unserved, curtailed_gw=0 * curtailed).values
    assert days[0, 0, 0] == 0
    assert np.isnan(days[0, 0, 1:]).all()


def test_hardest_days_leave_out_the_plan_critical_days() -> None:
    # three days of 24 h, load 1 GW, marginal cost 30, 20, 10 $/MWh: days 0, 1, 2 in that
    # order; with day 0 critical (in the plan already) the hardest are 1 and 2
    from energymodel.results.check import _hardest_days

    am, check, unserved, price = _three_priced_days()
    days = _hardest_days(am, None, check, unserved).values[0, 0, :3]
    assert days.tolist() == [0, 1, 2]
    days = _hardest_days(am, None, check, unserved, critical=(0,)).values[0, 0, :3]
    assert days[:2].tolist() == [1, 2]
    assert np.isnan(days[2])
    # a round that takes more days than HARDEST_DAYS gets that many ranked; the third
    # day here is the last that cost anything, the rest pad with NaN
    days = _hardest_days(am, None, check, unserved, n_hardest=12).values[0, 0]
    assert days.size == 12
    assert days[:3].tolist() == [0, 1, 2]
    assert np.isnan(days[3:]).all()
    # a day at a marginal cost of 0 (power to spare) is not hard: no day to add
    price[..., 2 * HOURS_PER_DAY :] = 0.0
    days = _hardest_days(am, None, check, unserved, critical=(0,)).values[0, 0, :2]
    assert days[0] == 1
    assert np.isnan(days[1])


def test_the_windows_figures_stand_where_the_whole_year_cannot_change_the_verdict() -> None:
    # tolerance 2%, so the screen is 1% and a proof within 0.2% of the plan's cost
    # stands. Gaps and bounds by hand:
    # +0.5%, any bound: passes at the screen, kept;
    # +1.5% (fails the screen), bound 0.1%: the year's optimum is within 0.1%: kept;
    # +1.5%, bound 1%: the whole year lies in +0.5..+1.5%, a pass either way: kept;
    # -1.5%, bound 1%: -2.5..-1.5%, pass or fail: solved whole;
    # +1.5%, bound 3%: -1.5..+1.5% passes, but the figures may be 3% off: solved whole;
    # +5%, bound 1%: at least +4% whatever the whole year does: fails, kept;
    # +2.5%, bound 1%: +1.5..+2.5%, pass or fail: solved whole;
    # -3%: the whole year is lower still, the plan misjudged it: fails, kept;
    # +0.5% with unserved energy: fails the screen; bound 1%: solved whole.
    from energymodel.results.verdict import keeps_windows

    def figures(gap: float, unserved: float = 0.0) -> xr.Dataset:
        def cell(v: float) -> xr.DataArray:
            return xr.DataArray([[v]], dims=("year", "region"))

        return xr.Dataset(
            {
                "unserved_in_check_twh": cell(unserved),
                "time_check_gap_frac": cell(gap),
                "hourly_clean_score_in_check_frac": cell(float("nan")),
                "hourly_clean_short_in_check_frac": cell(0.0),
                "curtailment_in_check_frac": cell(0.0),
            }
        )

    cases = [
        (0.005, 0.5, 0.0, True),
        (0.015, 0.001, 0.0, True),
        (0.015, 0.01, 0.0, True),
        (-0.015, 0.01, 0.0, False),
        (0.015, 0.03, 0.0, False),
        (0.05, 0.01, 0.0, True),
        (0.025, 0.01, 0.0, False),
        (-0.03, float("inf"), 0.0, True),
        (0.005, 0.01, 0.1, False),
    ]
    for gap, bound, unserved, kept in cases:
        assert keeps_windows(figures(gap, unserved), bound, 0.02, 0.005) is kept, (gap, bound)


def test_windows_without_a_finite_bound_keep_a_finite_result(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # flat load: the windows pass at the screen; where their duals leave a column
    # unbounded below (the 24/7 and flexible runs' windows), the bound is NaN, not inf,
    # which would mark the whole run nonfinite
    from energymodel.solve import rolling

    lagrangian = rolling.lagrangian_bound  # every bound -inf, with the prices it chose
    monkeypatch.setattr(
        rolling, "lagrangian_bound", lambda *a, **k: (-np.inf, lagrangian(*a, **k)[1])
    )
    res = em.run(_scenario(_inputs_with_spikes(tmp_path, {}), refine="none"))
    assert res.attrs["termination"] == "optimal"
    assert res.attrs["time_check_passed"] == 1
    assert res.attrs["time_check_whole_year_lps"] == 0
    assert np.isnan(float(res["time_check_window_bound_frac"].sel(year=YEAR, region=REGION)))


@pytest.mark.parametrize(
    ("settle", "gap_a", "whole"),
    [(False, 0.5, []), (True, 0.5, ["b"]), (False, 0.0, ["b"])],
)
def test_a_round_that_fails_for_certain_leaves_the_unsettled_windows(
    monkeypatch: pytest.MonkeyPatch, settle: bool, gap_a: float, whole: list[str]
) -> None:
    # region a's windows settle (kept), b's do not (a whole-year LP would decide). Where
    # a fails for certain (+50%) and the check is not the last of the refinement, the run
    # goes on whatever b's year says: b keeps its windows. The last check, or a passing
    # a, dispatches b's year whole.
    from energymodel import api

    def cell(region: str, value: float) -> xr.DataArray:
        return xr.DataArray(
            [[value]], dims=("year", "region"), coords={"year": [YEAR], "region": [region]}
        )

    calls: list[tuple[str, int | None]] = []

    def dispatch(sc, plan, full, year, region, budget, stats, models, windows=None):
        calls.append((region, windows))
        figures = xr.Dataset(
            {
                "unserved_in_check_twh": cell(region, 0.0),
                "time_check_gap_frac": cell(region, gap_a if region == "a" else 0.03),
                "hourly_clean_short_in_check_frac": cell(region, 0.0),
                "hourly_clean_score_in_check_frac": cell(region, 1.0),
                "curtailment_in_check_frac": cell(region, 0.0),
            }
        )
        return figures, region == "a" or windows == 0

    full = xr.Dataset(
        {"curtailment_budget_frac": 0.005}, coords={"year": [YEAR], "region": ["a", "b"]}
    )
    monkeypatch.setattr(api, "full_year_params", lambda sc: full)
    monkeypatch.setattr(api, "_dispatch", dispatch)
    figures = api.full_year_check(em.load_scenario("baseline"), None, settle=settle)
    assert [region for region, windows in calls if windows == 0] == whole
    assert figures.attrs["time_check_unsettled"] == (0 if whole else 1)
    assert float(figures["time_check_gap_frac"].sel(region="b").squeeze()) == 0.03


def test_flexible_load_sheds_no_more_in_an_hour_than_that_hour_asks(tmp_path: Path) -> None:
    # day 200 asks 1.2x the mean in every hour (the year's shape then renormalised by
    # c = 1 + 0.2/365); the plan's two flat days size the connection for L, so the check
    # sheds 24 x L x (1.2/c - 1) that day. Half the inference load may move within its
    # day: which hours it is shed in is the dispatch's choice, but never more in an hour
    # than the 1.2 L / c that hour asks (before: all of it in one hour, 4.8x the hour's)
    from energymodel.api import _solve
    from energymodel.model.build import build_model
    from energymodel.model.check import fix_decisions
    from energymodel.solve.run import solve_model

    inputs = _inputs_with_spikes(tmp_path, {})
    hourly = pd.read_csv(inputs / "hourly_profiles.csv")
    hourly.loc[DAY * HOURS_PER_DAY : (DAY + 1) * HOURS_PER_DAY - 1, f"inference_load:{REGION}"] = (
        1.2
    )
    hourly.to_csv(inputs / "hourly_profiles.csv", index=False)
    sc = _scenario(inputs, refine="none")
    sc = sc.model_copy(
        update={"demand": sc.demand.model_copy(update={"flexible_frac": {"inference": 0.5}})}
    )
    res = em.run(sc)
    c = 1 + 0.2 / 365
    load = _inference_gw(res)
    d = res.sel(year=YEAR, region=REGION)
    assert float(d["unserved_in_check_twh"]) == pytest.approx(24 * load * (1.2 / c - 1) / 1e3)

    params = em.build_params(sc)
    _, plan = _solve(params, sc.solver)
    full = em.build_params(
        sc.model_copy(update={"time": sc.time.model_copy(update={"representative_days": 365})})
    ).assign(dispatch_check_flag=1.0)
    for windows in (0, 28):  # the year whole, and in windows (no yearly row to share out)
        m = build_model(full)
        fix_decisions(m, plan.decisions, float(full["max_draw_frac"]))
        result = solve_model(
            m, sc.solver, diagnose=False, window_days=windows, timeslice_day=full["timeslice_day"]
        )
        # the year's IT energy is the plan's: no yearly IT-energy row to share out among
        # windows (with one, asia_pacific's baseline check of 2030 shed 0.008 TWh in
        # windows that the year whole serves)
        assert not {"it_energy_limit", "it_energy_powered"} & set(m.arrays.constraints)
        shed = m.arrays.values("unserved_check_gw", result.arrays).sel(year=YEAR, region=REGION)
        assert float(shed.max()) <= 1.2 * load / c + 1e-6
        assert float(shed.sum()) == pytest.approx(24 * load * (1.2 / c - 1), rel=1e-6)


def test_the_verdict_names_where_the_check_fails_worst_first(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # five regions in 2030, tolerance 2%, curtailment budget 0.5%: a fails by its cost
    # (+7.1%), b by unserved energy within its cost (+1.0%, 0.061 TWh), c passes (+1.9%,
    # its unserved energy within the reliability standard), d by cost below the plan's
    # (-3.0%: misjudged), e by its 24/7 score (0.05 short of a 0.80 promise) and curtailment (0.6% > 0.51%); worst gap first, three named of four
    # with FAILED_SHOWN at 3
    from energymodel.results import verdict

    regions = ["a", "b", "c", "d", "e"]

    def cells(values: list[float]) -> xr.DataArray:
        return xr.DataArray(
            [values], dims=("year", "region"), coords={"year": [2030], "region": regions}
        )

    figures = xr.Dataset(
        {
            "unserved_in_check_twh": cells([0.0, 0.0614, 0.001, 0.0, 0.0]),
            # c's 0.001 TWh is 0.0007% of its IT energy: within the reliability standard
            "unserved_in_check_frac": cells([0.0, 6.1e-4, 7e-6, 0.0, 0.0]),
            "time_check_gap_frac": cells([0.071, 0.010, 0.019, -0.030, 0.015]),
            "hourly_clean_score_in_check_frac": cells([np.nan] * 4 + [0.75]),
            "hourly_clean_short_in_check_frac": cells([np.nan] * 4 + [0.05]),
            "curtailment_in_check_frac": cells([0.0, 0.0, 0.0, 0.0, 0.006]),
        }
    )
    where = verdict.failed_where(figures, 0.02, 0.005)
    assert where == (
        "a 2030 (+7.1%), d 2030 (-3.0%), e 2030 (+1.5%, 24/7 5.0 points short, curtailed "
        "0.60%), b 2030 (+1.0%, 0.061 TWh unserved)"
    )
    with monkeypatch.context() as patch:
        patch.setattr(verdict, "FAILED_SHOWN", 3)
        assert verdict.failed_where(figures, 0.02, 0.005).endswith("curtailed 0.60%) and 1 more")
    assert verdict.failed_where(figures.sel(region=["c"]), 0.02, 0.005) == ""
    assert verdict.failed_where(xr.Dataset(), 0.02, 0.005) == ""
    attrs = {
        "time_check_passed": 0,
        "time_check_max_gap_frac": 0.071,
        "time_tolerance_frac": 0.02,
        "time_check_max_data_centre_gap_frac": 0.05,
        "time_refine": "auto",
        "time_refine_rounds": 3,
        "time_check_failed": where,
    }
    assert verdict.check_warning(attrs).endswith(
        f"after 3 refinement rounds, failing in {where} (docs/time.md)"
    )


def _round_figures(gaps: list[float], unserved: list[float]) -> xr.Dataset:
    """A check's figures for regions a-d in 2030; region i's hardest days 10i..10i+2."""
    regions = ["a", "b", "c", "d"]
    coords = {"year": [2030], "region": regions}

    def cells(values: list[float]) -> xr.DataArray:
        return xr.DataArray([values], dims=("year", "region"), coords=coords)

    hardest = [[10 * i + k for k in range(3)] for i in range(len(regions))]
    return xr.Dataset(
        {
            "unserved_in_check_twh": cells(unserved),
            "time_check_gap_frac": cells(gaps),
            "hourly_clean_score_in_check_frac": cells([1.0] * 4),
            "hourly_clean_short_in_check_frac": cells([0.0] * 4),
            "curtailment_in_check_frac": cells([0.0] * 4),
            "time_check_hardest_day": xr.DataArray(
                [hardest], dims=("year", "region", "hardest"), coords=coords
            ),
        }
    )


def test_refinement_stops_adding_days_where_a_round_did_not_narrow_the_cost_gap() -> None:
    # tolerance 2%; a round added days 0 (a's hardest), 10 (b's), 20 (c's), none of d's.
    # a: +7.2% -> +7.0%, excess 5.2 -> 5.0 points, narrowed by 4% < 25%: stalled;
    # b: +9% with 0.1 TWh unserved -> +8.9% with 0.05: unserved hours, which days fix: not;
    # c: +5% -> +3.5%, excess 3 -> 1.5 points, halved: not; d: +7.2% -> +7.1%, but the
    # round took none of its days, so it says nothing about them: not
    from energymodel.results.verdict import (
        check_warning,
        critical_days,
        named_cells,
        stalled_cells,
    )

    before = _round_figures([0.072, 0.09, 0.05, 0.072], [0.0, 0.1, 0.0, 0.0])
    after = _round_figures([0.070, 0.089, 0.035, 0.071], [0.0, 0.05, 0.0, 0.0])
    stalled = stalled_cells(before, after, [0, 10, 20], 0.02)
    assert stalled.sel(year=2030).values.tolist() == [True, False, False, False]
    assert named_cells(stalled) == "a 2030"
    assert named_cells(stalled & False) == ""
    assert named_cells(None) == ""
    # narrowed by more than a quarter of the excess (5.2 -> 3.8 points): not stalled
    quarter = _round_figures([0.058, 0.0, 0.0, 0.0], [0.0] * 4)
    assert not bool(stalled_cells(before, quarter, [0], 0.02).sel(region="a"))
    # the next round, worst first (b unserved, d, a, c), each cell's hardest day not yet
    # critical, then the second hardest: d's 30, then b's 11, d's 31, a's 1; with a
    # stalled, c's 21 takes a's place
    assert critical_days(after, 0.02, 4, exclude=(0, 10, 20)) == [30, 11, 31, 1]
    assert critical_days(after, 0.02, 4, (0, 10, 20), stalled=stalled) == [30, 11, 31, 21]
    # the warning names them and what narrows such a gap
    attrs = {
        "time_check_passed": 0,
        "time_check_max_gap_frac": 0.070,
        "time_tolerance_frac": 0.02,
        "time_check_max_data_centre_gap_frac": 0.05,
        "time_refine": "auto",
        "time_refine_rounds": 1,
        "time_refine_stalled": "a 2030",
    }
    assert check_warning(attrs).endswith(
        "after 1 refinement round; critical days did not narrow the cost gap or the energy "
        "lost in a 2030 (a cost gap spread over the year narrows with more representative "
        "days: time.representative_days; docs/time.md)"
    )


def test_the_check_counts_other_load_shed_beyond_the_plan() -> None:
    """A system of 11 GW of coal (nothing to build) carries 1 GW of IT and other load of
    9 GW, or 12.5 GW on a tight day: 2.5 GW short then. The plan sees the tight day in 1%
    of the year (87.6 h): IT is served in every hour alike, so it sheds 2.5 GW of other
    load, 219 GWh. The full year holds it in 2% (175.2 h): the check sheds the IT first
    (1,000 $/MWh of lost compute against 10,000 of lost load), 1 GW, and 1.5 GW of other
    load, 262.8 GWh: 43.8 GWh beyond the plan's."""

    from energymodel.model import build_model
    from energymodel.model.check import fix_decisions, yearly_decisions
    from energymodel.results import to_dataset
    from energymodel.results.check import _shed_beyond_plan
    from energymodel.results.verdict import (
        check_fails,
        check_warning,
        cost_only_cells,
        failed_where,
        hourly_fails,
    )
    from energymodel.solve import solve_model

    fleet = {"coal": {"existing_gw": 11.0, "variable_cost_usd_per_mwh": 20.0}}

    def params(tight_days: int, check: bool) -> xr.Dataset:
        return _tight_system(tight_days, check, fleet=fleet, other_load_gw=[9.0, 12.5])

    plan = build_model(params(1, check=False))
    plan_result = solve_model(plan)
    assert plan_result.optimal
    planned = to_dataset(plan, params(1, check=False), plan_result)
    assert float(planned["system_shed_twh"].squeeze()) == pytest.approx(0.219, rel=1e-6)
    m = build_model(params(2, check=True))
    fix_decisions(m, yearly_decisions(plan), max_draw_frac=1.0)
    result = solve_model(m, diagnose=False)
    assert result.optimal
    checked = to_dataset(m, params(2, check=True), result)
    assert float(checked["system_shed_twh"].squeeze()) == pytest.approx(0.2628, rel=1e-6)
    beyond = _shed_beyond_plan(checked, planned)
    assert float(beyond.squeeze()) == pytest.approx(0.0438, rel=1e-6)
    assert float(_shed_beyond_plan(planned, planned).squeeze()) == 0.0
    # the verdict: the gap prices the shed load at the value of lost load and judges it:
    # a: +66.3% with 0.95 TWh shed fails, but not on a cost gap alone (refinement keeps
    # adding its days); b: +0.5% with 0.024 TWh shed passes; c: +5% without, cost alone
    figures = _round_figures([0.663, 0.005, 0.05, 0.0], [0.0] * 4)
    shed = [[0.95, 0.024, 0.0, 0.0]]
    figures["system_shed_in_check_twh"] = figures["time_check_gap_frac"] * 0 + shed
    assert not bool(hourly_fails(figures, 0.02).any())
    assert check_fails(figures, 0.02).sel(year=2030).values.tolist() == [True, False, True, False]
    assert cost_only_cells(figures, 0.02).sel(year=2030).values.tolist() == [
        False,
        False,
        True,
        False,
    ]
    assert failed_where(figures, 0.02, 0.005) == (
        "a 2030 (+66.3%, 0.95 TWh of other load shed), c 2030 (+5.0%)"
    )
    attrs = {
        "time_check_passed": 0,
        "time_check_max_gap_frac": 0.663,
        "time_tolerance_frac": 0.02,
        "time_check_max_data_centre_gap_frac": -0.009,
        "time_check_system_shed_twh": 0.95,
        "time_refine_rounds": 3,
    }
    assert check_warning(attrs).startswith(
        "full-year check above tolerance: cost gap +66.3% (tolerance 2%; the data centres' "
        "own -0.9%), 0.95 TWh of other load shed beyond the plan's, after 3 refinement rounds"
    )


def test_it_unserved_where_the_plan_sheds_other_load_is_the_plans_own_loss() -> None:
    """The system above (11 GW of coal, other load 9 GW, 12.5 GW in the tight hours): the
    plan, seeing the tight hours in 1% of the year (87.6 h), sheds 2.5 GW of other load
    there, 219 GWh. Checked on the same year, the check leaves the 1 GW of IT unserved
    first (1,000 $/MWh of lost compute against 10,000 of lost load) and sheds 1.5 GW of
    other load: 87.6 GWh of IT unserved, 1% of the 8,760 GWh of IT, all of it in place of
    load the plan shed itself (219 - 131.4 = 87.6 GWh): none beyond the plan's loss, and
    the reliability standard passes it. On a year tight in 2% (175.2 h) it leaves 175.2
    GWh of IT unserved and sheds 262.8 GWh of other load, more than the plan did: all the
    IT unserved, 2%, is beyond the plan's, and fails."""
    from energymodel.model import build_model
    from energymodel.model.check import fix_decisions, yearly_decisions
    from energymodel.results import to_dataset
    from energymodel.results.check import _unserved_beyond_plan
    from energymodel.results.verdict import unserved_fails
    from energymodel.solve import solve_model

    fleet = {"coal": {"existing_gw": 11.0, "variable_cost_usd_per_mwh": 20.0}}

    def params(tight_days: int, check: bool) -> xr.Dataset:
        return _tight_system(tight_days, check, fleet=fleet, other_load_gw=[9.0, 12.5])

    plan = build_model(params(1, check=False))
    plan_result = solve_model(plan)
    planned = to_dataset(plan, params(1, check=False), plan_result)
    expected = {1: (0.0876, 0.0), 2: (0.1752, 0.02)}  # IT unserved (TWh), beyond (share)
    for tight_days, (unserved, beyond_frac) in expected.items():
        m = build_model(params(tight_days, check=True))
        fix_decisions(m, yearly_decisions(plan), max_draw_frac=1.0)
        result = solve_model(m, diagnose=False)
        checked = to_dataset(m, params(tight_days, check=True), result)
        hours = checked["timeslice_weight_h"]
        lost_gw = m.arrays.values("unserved_check_gw", result.arrays).fillna(0.0)
        lost_twh = (lost_gw.assign_coords(timeslice=checked.timeslice) * hours).sum("timeslice")
        assert float(lost_twh.squeeze()) / 1e3 == pytest.approx(unserved, rel=1e-6)
        beyond = _unserved_beyond_plan(lost_twh / 1e3, checked, planned)
        it_twh = float((checked["it_load_gw"].sum("workload") * hours).sum()) / 1e3
        assert it_twh == pytest.approx(8.76, rel=1e-6)
        assert float(beyond.squeeze()) / it_twh == pytest.approx(beyond_frac, abs=1e-9)
        figures = xr.Dataset(
            {
                "unserved_in_check_twh": lost_twh / 1e3,
                "unserved_in_check_frac": lost_twh / 1e3 / it_twh,
                "unserved_beyond_plan_in_check_frac": beyond / it_twh,
            }
        )
        assert bool(unserved_fails(figures).all()) == (beyond_frac > 0)


def test_refinement_stops_adding_days_where_a_round_did_not_cut_the_energy_lost() -> None:
    # tolerance 2%, standard 0.002% of IT energy; a round added a's, b's and c's hardest
    # days (0, 10, 20), none of d's. Unserved IT beyond the plan's own shedding:
    # a: 0.0022% -> 0.0024% (iea_headwinds' ERCOT, 2030): it rose: stalled;
    # b: 0.0326% -> 0.0022%, cut by 93% >= 25%: not; c: 0.0030% -> 0.0025%, cut by 17%
    # < 25%, but it shed other load beyond the plan's before (0.1 TWh), whose days
    # refinement keeps adding: not; d: 0.0030% -> 0.0029%, but the round took none of its
    # days: not
    from energymodel.results.verdict import critical_days, lost_cells, stalled_cells

    def figures(beyond: list[float], shed: list[float]) -> xr.Dataset:
        out = _round_figures([0.01] * 4, [0.001] * 4)  # every cost gap within tolerance
        cells = out["time_check_gap_frac"] * 0
        return out.assign(
            unserved_in_check_frac=cells + np.array([beyond]),
            unserved_beyond_plan_in_check_frac=cells + np.array([beyond]),
            system_shed_in_check_twh=cells + np.array([shed]),
        )

    before = figures([2.2e-5, 3.26e-4, 3.0e-5, 3.0e-5], [0.0, 0.0, 0.1, 0.0])
    after = figures([2.4e-5, 2.2e-5, 2.5e-5, 2.9e-5], [0.0, 0.0, 0.0, 0.0])
    assert lost_cells(before, 0.02).sel(year=2030).values.tolist() == [True, True, False, True]
    stalled = stalled_cells(before, after, [0, 10, 20], 0.02)
    assert stalled.sel(year=2030).values.tolist() == [True, False, False, False]
    # a, stalled, brings no more days (its 1 and 2); b, c and d bring theirs
    assert sorted(critical_days(after, 0.02, 4, (0, 10, 20), stalled=stalled)) == [11, 21, 30, 31]
    # within the standard a region-year does not fail on energy lost
    within = figures([2.4e-5, 1.9e-5, 2.5e-5, 2.9e-5], [0.0] * 4)
    assert not bool(lost_cells(within, 0.02).sel(region="b"))
