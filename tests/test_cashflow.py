"""The cash view (issue 27): textbook NPV, IRR and payback, the annuity identity, lead times,
book vs economic depreciation, loans, vendor financing and contracts, worked by hand.
"""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pytest
import xarray as xr
from economics_fixtures import make_params, make_results

from energymodel import economics as ec
from energymodel.economics import cashflow as cf
from energymodel.economics.contracts import contract_view
from energymodel.economics.financing import (
    amortisation_table,
    check_wacc,
    debt_schedule,
    derived_wacc_frac,
)
from energymodel.finance import capital_recovery_factor
from energymodel.scenario.cash import ContractsConfig, FinancingConfig
from energymodel.scenario.load import ScenarioError, load_scenario
from energymodel.scenario.schema import FinanceConfig, Scenario

YEARS = (2025, 2026, 2027)


def series(values: list[float], first: int = 2025) -> xr.DataArray:
    years = np.arange(first, first + len(values))
    return xr.DataArray(np.array(values, dtype=float), dims="year", coords={"year": years})


# --- one asset by hand --------------------------------------------------------------------


def test_one_asset_textbook_npv_irr_payback() -> None:
    # capex 1,000 now, 300 a year for 5 years (life 5):
    # NPV at 10% = -1,000 + 300 x (1 - 1.1^-5) / 0.1 = -1,000 + 300 x 3.790787 = 137.236
    # IRR: 300 x AF(rho, 5) = 1,000 -> rho = 15.2382%
    # payback: cumulative -1,000, -700, -400, -100, +200 -> 3 + 100 / 300 = 3.333 yr
    flows = np.array([-1000.0, 300, 300, 300, 300, 300])
    assert cf.npv_musd(flows, 0.10) == pytest.approx(137.236, abs=1e-3)
    assert cf.irr_frac(flows) == pytest.approx(0.152382, abs=1e-6)
    assert cf.npv_musd(flows, cf.irr_frac(flows)) == pytest.approx(0.0, abs=1e-6)
    assert cf.payback_years(flows) == pytest.approx(10 / 3)


def test_irr_and_payback_nan_when_cash_never_comes_back() -> None:
    # -1,000 then 100, 100 never pays back: IRR negative (1 + rho = 0.3702: 100 / 0.3702
    # + 100 / 0.3702^2 = 270.1 + 729.9), no payback; all outflows: no IRR at all
    flows = np.array([-1000.0, 100, 100])
    assert cf.irr_frac(flows) == pytest.approx(-0.62984, abs=1e-5)
    assert np.isnan(cf.payback_years(flows))
    assert np.isnan(cf.irr_frac(np.array([-1000.0, -10.0])))
    assert cf.payback_years(np.array([10.0, 5.0])) == 0.0


@pytest.mark.parametrize(("rate", "life"), [(0.09, 5), (0.1, 20), (0.0, 4), (0.07, 40)])
def test_annuities_over_the_life_are_worth_the_capex(rate: float, life: int) -> None:
    # the identity behind the cash and annuity views: CRF(r, n) x AF(r, n) = 1
    assert cf.annuity_pv_ratio(rate, life) == pytest.approx(1.0, rel=1e-12)


def test_cash_view_equals_annuity_view_for_one_asset() -> None:
    # capex K = 1,000 first used in 2026, life 4, 9%; lead time 1: spent in 2025.
    # Horizon 2025..2027: the LP's annuities K x CRF in 2026 and 2027, the rest (2028,
    # 2029) is the terminal value. PV in 2025: spend (1,000) == annuities in the horizon +
    # terminal value.
    rate, life, capex = 0.09, 4, 1000.0
    build = series([0.0, capex, 0.0])
    spend = cf.spend_musd(build, 1)
    assert spend.sel(year=2025) == capex
    assert float(spend.sum()) == capex
    annuity = capex * capital_recovery_factor(rate, life)
    charges = np.array([0.0, annuity, annuity])
    terminal = float(cf.terminal_value_musd(build, life, rate))
    assert terminal == pytest.approx(annuity * cf.annuity_factor(rate, 2))
    pv_spend = cf.npv_musd(spend.sel(year=[2025, 2026, 2027]).values, rate)
    pv_annuity_view = cf.npv_musd(charges + np.array([0, 0, terminal]), rate)
    assert pv_spend == pytest.approx(pv_annuity_view, rel=1e-12)


def test_longer_lead_time_costs_interest_during_construction() -> None:
    # K = 1,000, lead 2: 500 in each of the 2 years before use; PV a year before use is
    # 500 x 1.09 + 500 = 1,045 (0: 1,000 / 1.09 = 917.43)
    build = series([0.0, 0.0, 1000.0])
    spend = cf.spend_musd(build, 2)
    np.testing.assert_allclose(spend.values, [0, 0, 500, 500, 0])  # 2023..2027
    assert spend["year"].values[0] == 2023
    pv_before_use = 500 * 1.09 + 500
    assert cf.npv_musd(spend.values[2:4], 0.09) * 1.09 == pytest.approx(pv_before_use)


def test_straight_line_book_vs_economic_over_a_short_life() -> None:
    # 1,200 built in 2025: book 6 yr -> 200 a year; economic 4 yr -> 300 a year. Over
    # 2025..2030 the gap (economic - book) is +100 for 4 years, then -200 for 2; the sum
    # of each schedule is the capex. A 2.5-yr life: 480, 480, 240.
    build = series([1200.0, 0, 0, 0, 0, 0])
    book = cf.straight_line_musd(build, 6)
    econ = cf.straight_line_musd(build, 4)
    np.testing.assert_allclose(book.values, [200] * 6)
    np.testing.assert_allclose(econ.values, [300] * 4 + [0, 0])
    np.testing.assert_allclose((econ - book).values, [100] * 4 + [-200] * 2)
    np.testing.assert_allclose(cf.straight_line_musd(build, 2.5).values[:4], [480, 480, 240, 0])


# --- on the results of a run --------------------------------------------------------------


def evaluate(**finance: object) -> xr.Dataset:
    fin = FinanceConfig.model_validate(finance)
    sc = Scenario(name="cash", years=list(YEARS), finance=fin)
    return ec.evaluate(make_results(years=YEARS), make_params(years=YEARS), sc)


def test_outlays_spend_every_build_once_and_report_early_spend() -> None:
    out = evaluate(builds_after_horizon="none")
    capex = make_results(years=YEARS)["capex_musd"]
    assert float(out["capex_outlay_musd"].sum()) == pytest.approx(float(capex.sum()))
    # IT 60,000 a year split 70/30; lead 1: the 2025 builds are paid before 2025
    before = out["capex_before_start_musd"].sel(region="us")
    assert float(before.sel(asset_class="accelerators")) == pytest.approx(42_000)
    assert float(before.sel(asset_class="servers_networking")) == pytest.approx(18_000)
    # facility 30,000 a year, lead 2: 2025's builds in full, half of 2026's
    assert float(before.sel(asset_class="facility")) == pytest.approx(45_000)
    outlay = out["capex_outlay_musd"].sel(region="us", asset_class="accelerators")
    np.testing.assert_allclose(outlay.values, [42_000 + 42_000, 42_000, 0])


def test_builds_after_the_horizon_are_work_in_progress() -> None:
    none, repeat = evaluate(builds_after_horizon="none"), evaluate()
    # the last year's builds repeat in 2028 and 2029: IT (lead 1) 60,000 spent in 2027;
    # facility (lead 2) 30,000 a year: 15,000 in 2026, 30,000 in 2027; power 10,000 a
    # year: 5,000 in 2026, 10,000 in 2027
    extra = (repeat["capex_outlay_musd"] - none["capex_outlay_musd"]).sel(region="us")
    np.testing.assert_allclose(extra.sel(year=2027).values, [42_000, 18_000, 30_000, 10_000, 0])
    np.testing.assert_allclose(extra.sel(year=2026).values, [0, 0, 15_000, 5_000, 0])
    assert float(abs(extra.sel(year=2025)).max()) == 0.0
    # work in progress at cost plus 10% a year in the terminal value: 20,000 x 1.1 +
    # 100,000; so the NPV does not move
    assert float(repeat["terminal_value_musd"]) == pytest.approx(
        float(none["terminal_value_musd"]) + 122_000
    )
    assert float(repeat["npv_musd"]) == pytest.approx(float(none["npv_musd"]))


def test_free_cash_flow_cumulative_and_peak_funding_need() -> None:
    out = evaluate(builds_after_horizon="none")
    # EBITDA: revenue 40,000 - operating cost 7,500 = 32,500 a year (test_economics);
    # outlays 220,000 (2025, incl. early spend), 80,000, 0
    np.testing.assert_allclose(
        out["free_cash_flow_musd"].sel(region="us").values, [-187_500, -47_500, 32_500]
    )
    np.testing.assert_allclose(out["cumulative_cash_musd"].values, [-187_500, -235_000, -202_500])
    assert float(out["peak_funding_need_musd"]) == pytest.approx(235_000)
    assert out["peak_funding_need_musd"].attrs["year"] == 2026
    assert np.isnan(float(out["payback_yr"]))
    flows = np.array([-187_500, -47_500, 32_500 + float(out["terminal_value_musd"])])
    assert float(out["npv_musd"]) == pytest.approx(cf.npv_musd(flows, 0.1))
    assert float(out["irr_frac"]) == pytest.approx(cf.irr_frac(flows))
    for name in ("capex_outlay_musd", "npv_musd", "irr_frac", "payback_yr", "dscr_ratio"):
        assert out[name].attrs["units"], name
        assert out[name].attrs["long_name"], name


def test_book_lives_longer_than_economic_raise_reported_profit() -> None:
    out = evaluate(depreciation_life_yr={"accelerators": 6, "servers_networking": 6})
    gap = out["depreciation_gap_musd"].sel(region="us")
    # IT 60,000 a year, economic life 5 (params) vs book 6: 60,000 x (1/5 - 1/6) = 2,000
    # more a year per vintage alive; facility book 20 = economic 20
    np.testing.assert_allclose(gap.values, [2_000, 4_000, 6_000])
    profit_gap = out["operating_profit_book_musd"] - out["operating_profit_economic_musd"]
    xr.testing.assert_allclose(profit_gap, out["depreciation_gap_musd"])
    same = evaluate(depreciation_life_yr={"accelerators": 5, "servers_networking": 5})
    assert float(abs(same["depreciation_gap_musd"]).max()) == pytest.approx(0.0, abs=1e-9)


# --- financing -------------------------------------------------------------------------


def test_loan_amortisation_table_by_hand() -> None:
    # 1,000 at 10% over 3 years: payment 1,000 x CRF(10%, 3) = 402.115
    # year 1: interest 100.000, principal 302.115, outstanding 697.885
    # year 2: interest 69.789, principal 332.326, outstanding 365.559
    # year 3: interest 36.556, principal 365.559, outstanding 0
    table = amortisation_table(1000.0, 0.10, 3)
    np.testing.assert_allclose(table["payment_musd"], [402.115] * 3, atol=1e-3)
    np.testing.assert_allclose(table["interest_musd"], [100.0, 69.789, 36.556], atol=1e-3)
    np.testing.assert_allclose(table["principal_musd"], [302.115, 332.326, 365.559], atol=1e-3)
    np.testing.assert_allclose(table["outstanding_musd"], [697.885, 365.559, 0.0], atol=1e-3)
    flat = amortisation_table(900.0, 0.10, 3, "straight_line")
    np.testing.assert_allclose(flat["interest_musd"], [90.0, 60.0, 30.0])
    np.testing.assert_allclose(flat["payment_musd"], [390.0, 360.0, 330.0])


def test_debt_schedule_adds_up_draws() -> None:
    # 900 drawn in year 0 and 900 in year 1, straight line over 3 yr at 10%
    debt = debt_schedule(np.array([900.0, 900.0, 0.0, 0.0]), 0.10, 3, "straight_line")
    np.testing.assert_allclose(debt["interest_musd"], [0, 90, 60 + 90, 30 + 60])
    np.testing.assert_allclose(debt["outstanding_musd"], [900, 1500, 900, 300])


def test_derived_wacc_and_the_warning(caplog: pytest.LogCaptureFixture) -> None:
    all_equity = FinancingConfig()
    assert derived_wacc_frac(all_equity, 0.09) == pytest.approx(0.09)
    levered = FinancingConfig(debt_share_frac=0.6, debt_rate_frac=0.06, cost_of_equity_frac=0.14)
    # 0.6 x 6% + 0.4 x 14% = 9.2%: within 0.5 points of 9%, no warning
    with caplog.at_level(logging.WARNING):
        assert check_wacc(levered, 0.09) == pytest.approx(0.092)
    assert not caplog.records
    with caplog.at_level(logging.WARNING):
        check_wacc(levered, 0.05, "lev")
    assert "lev: finance.financing implies a cost of capital of 9.20%" in caplog.text


def test_debt_outstanding_interest_and_coverage_on_a_run() -> None:
    out = evaluate(
        builds_after_horizon="none",
        financing={"debt_share_frac": 0.5, "debt_rate_frac": 0.1, "debt_tenor_yr": 2},
    )
    # draws: half of the outlays 220,000 and 80,000 -> 110,000, 40,000
    # 2026: interest 11,000 + principal 110,000 x (CRF(10%, 2) - 0.1) = 52,381
    funding = out["capex_funding_musd"].sel(funding_source="debt")
    np.testing.assert_allclose(funding.values, [110_000, 40_000, 0])
    np.testing.assert_allclose(out["interest_musd"].values[:2], [0, 11_000])
    service_2026 = 110_000 * capital_recovery_factor(0.1, 2)
    assert float(out["debt_service_musd"].sel(year=2026)) == pytest.approx(service_2026)
    assert float(out["dscr_ratio"].sel(year=2026)) == pytest.approx(32_500 / service_2026)
    assert float(out["debt_outstanding_musd"].sel(year=2025)) == pytest.approx(110_000)


def test_vendor_financing_moves_risk_not_cost() -> None:
    plain = evaluate(builds_after_horizon="none")
    vendor = evaluate(builds_after_horizon="none", financing={"vendor_financing_share_frac": 0.3})
    for name in ("free_cash_flow_musd", "cumulative_cash_musd", "npv_musd", "capex_outlay_musd"):
        xr.testing.assert_allclose(plain[name], vendor[name])
    assert float(plain["vendor_exposure_musd"].max()) == 0.0
    # 30% of 220,000 + 80,000 = 90,000 of the suppliers' own money at risk by 2026
    assert float(vendor["vendor_exposure_musd"].sel(year=2026)) == pytest.approx(90_000)
    # suppliers sell IT: 2025 outlays 84,000 + 36,000 = 120,000; 30% x 220,000 / 120,000
    share = vendor["vendor_share_of_supplier_revenue_frac"].sel(year=2025)
    assert float(share) == pytest.approx(0.3 * 220_000 / 120_000)
    cash = vendor["capex_funding_musd"].sel(funding_source="operating_cash")
    np.testing.assert_allclose(cash.values, [0.7 * 220_000, 0.7 * 80_000, 0])


# --- contracts -------------------------------------------------------------------------


CONTRACTS = {
    "compute": {
        "big": {
            "buyer": "lab",
            "seller": "cloud",
            "payment_musd_per_yr": 60_000,
            "start_year": 2027,
            "years": 5,
            "capacity_gw": 4.5,
        },
        "small": {
            "buyer": "lab",
            "seller": "neo",
            "payment_musd_per_yr": 5_000,
            "start_year": 2025,
            "years": 3,
        },
    },
    "buyer_revenue_musd": {"lab": {2025: 13_000, 2027: 26_000}},
}


def test_contract_coverage_and_growth_needed_by_hand() -> None:
    view = contract_view(ContractsConfig.model_validate(CONTRACTS), [2025, 2026, 2027, 2028], 1.667)
    cov = view["contract_coverage_frac"]
    # 2025: 13,000 / 5,000 = 2.6; 2026: 19,500 / 5,000 = 3.9; 2027: 26,000 / 65,000 = 0.4;
    # 2028: 26,000 / 60,000 (small ended: NaN for it)
    np.testing.assert_allclose(cov.sel(contract="small").values, [2.6, 3.9, 0.4, np.nan])
    np.testing.assert_allclose(cov.sel(contract="big").values, [np.nan, np.nan, 0.4, 26 / 60])
    # peak payments 65,000 (2027) over 2025 revenue 13,000 = 5x
    np.testing.assert_allclose(view["contract_revenue_growth_ratio"].values, [5.0, 5.0])
    # 60,000 M$ / (4.5e6 kW / 1.667 kW per GPU x 8,760 h) = 2.5373 $/GPU-h
    per_hour = view["contract_usd_per_gpu_hour"]
    assert float(per_hour.sel(contract="big")) == pytest.approx(2.5373, abs=1e-4)
    assert np.isnan(float(per_hour.sel(contract="small")))
    assert list(cov["buyer"].values) == ["lab", "lab"]


def test_contracts_reach_the_results() -> None:
    sc = Scenario(name="c", years=list(YEARS), contracts=ContractsConfig.model_validate(CONTRACTS))
    out = ec.evaluate(make_results(years=YEARS), make_params(years=YEARS), sc)
    assert out["contract_coverage_frac"].dims == ("year", "contract")
    assert out["contract_cost_per_gpu_hour_usd"].attrs["units"] == "USD/GPU-h"
    assert "contract_coverage_frac" not in evaluate()


def test_bad_cash_settings_are_located() -> None:
    bad = {"name": "x", "contracts": {"compute": {"k": {**CONTRACTS["compute"]["small"]}}}}
    with pytest.raises(ScenarioError, match=r"buyer_revenue_musd.*missing: lab"):
        load_scenario(bad)
    shares = {
        "name": "x",
        "finance": {"financing": {"debt_share_frac": 0.8, "equity_share_frac": 0.3}},
    }
    with pytest.raises(ScenarioError, match=r"sum to 1\.1"):
        load_scenario(shares)
    with pytest.raises(ScenarioError, match="build_lead_time_yr"):
        load_scenario({"name": "x", "finance": {"build_lead_time_yr": {"facility": -1}}})


def test_connection_life_matches_the_lp() -> None:
    from energymodel.model.grid import CONNECTION_LIFE_YR

    assert cf.CONNECTION_LIFE_YR == CONNECTION_LIFE_YR


def test_cash_break_even_and_capex_per_gpu_built() -> None:
    res = make_results(years=YEARS)
    res["it_capacity_new_gw"] = res["it_capacity_gw"] * 0 + 2.0
    sc = Scenario(name="c", years=list(YEARS), finance={"builds_after_horizon": "none"})
    out = ec.evaluate(res, make_params(years=YEARS), sc)
    # operating cost 7,500 + outlays 220,000 (2025), 80,000, 0
    np.testing.assert_allclose(out["cash_break_even_revenue_musd"].values, [227_500, 87_500, 7_500])
    # 100,000 M$ of builds a year over 2 GW of IT = 50,000 $/kW; accelerators 42,000 M$
    # / 2 GW x 1.752 kW per GPU = 36,792 $ per GPU
    np.testing.assert_allclose(out["capex_usd_per_kw_built"].values, [50_000] * 3)
    per_gpu = out["capex_per_gpu_built_usd"].sel(asset_class="accelerators")
    np.testing.assert_allclose(per_gpu.values, [36_792] * 3)


def test_cash_figures_draw(tmp_path) -> None:
    from energymodel.report.cash_figures import CASH_FIGURES
    from energymodel.report.figures import figure_context
    from energymodel.report.render import render_figure

    sc = Scenario(name="c", years=list(YEARS), contracts=ContractsConfig.model_validate(CONTRACTS))
    runs = {
        "c": ec.evaluate(make_results(years=YEARS), make_params(years=YEARS), sc),
        "plain": evaluate(),
    }
    ctx = figure_context(runs)
    for spec in CASH_FIGURES:
        fig = render_figure(spec, ctx, "c", tmp_path, "note")
        assert fig.png_b64, spec.id
        assert not fig.notes, (spec.id, fig.notes)
        assert (tmp_path / f"{spec.id}.png").stat().st_size > 1000


def test_funding_gap_fan_chart_reads_the_samples() -> None:
    from matplotlib.figure import Figure

    from energymodel.report.uncertainty import _draw_funding_fan

    rng = np.random.default_rng(1)
    cash = -np.cumsum(rng.uniform(100, 200, (20, 3)), axis=1) * 1000
    ds = xr.Dataset(
        {"world_cumulative_cash_musd": (("sample", "year"), cash)},
        coords={"sample": np.arange(20), "year": list(YEARS)},
    )
    fig = Figure()
    _draw_funding_fan(fig, ds)
    median = fig.axes[0].lines[0].get_ydata()
    np.testing.assert_allclose(median, np.median(cash, axis=0) / 1000)
    with pytest.raises(KeyError):
        _draw_funding_fan(Figure(), ds.rename(world_cumulative_cash_musd="other"))


def test_summary_and_iamc_carry_the_cash_view() -> None:
    from energymodel.compare import summary_table
    from energymodel.compare.iamc import to_iamc

    out = evaluate(builds_after_horizon="none")
    table = summary_table(out).set_index("year")
    np.testing.assert_allclose(table["free_cash_flow_busd"], [-187.5, -47.5, 32.5])
    np.testing.assert_allclose(table["peak_funding_need_busd"], [235.0] * 3)
    np.testing.assert_allclose(table["capex_outlay_busd"], [220.0, 80.0, 0])
    iamc = to_iamc(out).query("region == 'World'").set_index(["variable", "year"])["value"]
    assert iamc["Investment|Data Centres|Outlays|Accelerators", 2025] == pytest.approx(84.0)
    assert iamc["Revenue|Data Centres|Cumulative Cash", 2026] == pytest.approx(-235.0)
    assert iamc["Revenue|Data Centres|Free Cash Flow", 2027] == pytest.approx(32.5)
    assert ("Depreciation|Data Centres|Book", 2025) in iamc.index


def test_model_years_apart_spread_builds_over_their_span() -> None:
    # 2025 stands for 2025-2026 (weight 2): its 100,000 of builds are 50,000 a year in
    # each; flows are reported per calendar year (the mean over the span), so outlays x
    # weights add up to every build once
    years = (2025, 2027)
    params = make_params(years=years).assign(year_weight_yr=("year", [2.0, 1.0]))
    sc = Scenario(name="apart", years=list(years), finance={"builds_after_horizon": "none"})
    out = ec.evaluate(make_results(years=years), params, sc)
    outlay = out["capex_outlay_musd"].sum(["region", "asset_class"])
    assert float((outlay * params["year_weight_yr"]).sum()) == pytest.approx(200_000)
    assert out["cumulative_cash_musd"].sizes["year"] == 2
    # IT 30,000 a year in 2025-26, 60,000 in 2027; book 6 vs economic 5 yr: 1/30 of each
    # vintage alive a year -> 1,000 (2025), 2,000 (2026): mean 1,500; 2027: 4,000
    np.testing.assert_allclose(
        out["depreciation_gap_musd"].sel(region="us").values, [1_500.0, 4_000.0]
    )


def test_cash_conclusions_read_the_runs() -> None:
    import pandas as pd

    from energymodel.report import conclusions_cash as cc

    sc = Scenario(
        name="compute_contracts_2025",
        years=list(YEARS),
        contracts=ContractsConfig.model_validate(CONTRACTS),
        finance={"builds_after_horizon": "none"},
    )
    out = ec.evaluate(make_results(years=YEARS), make_params(years=YEARS), sc)
    row = cc.cash_row(out, 2027)
    assert row["outlay_first_busd"] == pytest.approx(220.0)
    assert row["peak_need_busd"] == pytest.approx(235.0)
    assert row["peak_need_year"] == 2026
    # 2027: lab owes 65,000 against 26,000 of revenue
    assert row["coverage_min"] == pytest.approx(0.4)
    assert row["coverage_min_year"] == 2027
    table = pd.DataFrame(
        [row | {"first_year": 2025, "break_even_busd": 1.0, "capex_intensity_busd": 2.0}],
        index=["compute_contracts_2025"],
    )
    text = cc._contracts(table, 2027)
    assert "covers 40% of what its contracts ask in 2027" in text
    assert "grow 5.0x" in text
    text = cc._cash(table.rename(index={"compute_contracts_2025": "baseline"}), 2027)
    assert "costs 220 $B in 2025" in text
    assert "(its peak funding need, in 2026)" in text


def test_a_solved_run_carries_the_cash_view() -> None:
    import energymodel as em
    from energymodel.scenario.load import load_scenario as load

    path = Path(__file__).parent / "regression" / "small_baseline.yaml"
    sc = load(path, overrides={"finance": {"builds_after_horizon": "none"}})
    out = em.run(sc)
    # every build of the horizon is paid once, and the NPV is that of the flows reported
    spent = float(out["capex_outlay_musd"].sum())
    assert spent == pytest.approx(float(out["capex_musd"].sum()), rel=1e-9)
    flows = out["free_cash_flow_musd"].sum("region").values.copy()
    flows[-1] += float(out["terminal_value_musd"])
    assert float(out["npv_musd"]) == pytest.approx(cf.npv_musd(flows, sc.finance.wacc))
    cumulative = np.cumsum(out["free_cash_flow_musd"].sum("region").values)
    assert float(out["peak_funding_need_musd"]) == pytest.approx(max(0.0, -cumulative.min()))


def test_cost_reconciliation_in_docs_matches_the_inputs() -> None:
    # docs/cash.md: model all-in per GPU from the inputs = (IT + facility) $/kW x kW per GPU
    # = $65.4k; Bernstein's infrastructure per kW of IT = $2.5M / 120 kW = $20.8k; the
    # Oracle contract at the inputs' kW per GPU = $2.54 per GPU-hour
    from energymodel.data.tables import load_inputs
    from energymodel.report.literature import BERNSTEIN_RACK_USD, ORACLE_OPENAI

    hw = load_inputs(Path(__file__).parents[1] / "inputs").hardware
    value = hw[hw["year"].isna()].set_index("parameter")["value"]
    per_kw = value["it_capex_usd_per_kw"] + value["facility_capex_usd_per_kw"]
    assert per_kw * value["it_kw_per_gpu"] == pytest.approx(65_400, abs=100)
    infra = BERNSTEIN_RACK_USD["infrastructure"] / BERNSTEIN_RACK_USD["kw"]
    assert infra == pytest.approx(20_800, abs=50)
    per_year_musd = ORACLE_OPENAI["total_busd"] / ORACLE_OPENAI["years"] * 1000
    gpu_hours = ORACLE_OPENAI["gw"] * 1e6 / value["it_kw_per_gpu"] * 8760
    assert per_year_musd * 1e6 / gpu_hours == pytest.approx(2.54, abs=0.005)
    text = (Path(__file__).parents[1] / "docs" / "cash.md").read_text(encoding="utf-8")
    for figure in ("$65.4k", "$20.8k", "$2.54 per GPU-hour"):
        assert figure in text, figure
