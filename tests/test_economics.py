"""Economics: each formula on round numbers worked by hand, and facts §7 (V1-V4).

The hand-made Datasets are in economics_fixtures.py. Region ``us``, 2030:
IT energy 10 TWh inference + 5 TWh training; 2e6 tokens/kWh; real cost 30,000 M$
(unserved penalty 9,999 M$ excluded); IT capacity 3 GW; capex 100,000 M$.
"""

import warnings

import numpy as np
import pytest
import xarray as xr
from economics_fixtures import make_params, make_results

from energymodel import economics as ec

CONTRACT = {
    "tokens_served_tn": ("year", "region", "model_class"),
    "avg_cost_usd_per_mtok": ("year", "region"),
    "avg_cost_by_component_usd_per_mtok": ("year", "region", "component"),
    "avg_serving_cost_usd_per_mtok": ("year", "region"),
    "serving_cost_by_class_usd_per_mtok": ("year", "region", "model_class"),
    "training_cost_musd": ("year", "region"),
    "world_training_cost_usd_per_mtok": ("year",),
    "world_serving_cost_by_class_usd_per_mtok": ("year", "model_class"),
    "marginal_cost_by_class_usd_per_mtok": ("year", "region", "model_class"),
    "world_avg_cost_usd_per_mtok": ("year",),
    "world_serving_cost_usd_per_mtok": ("year",),
    "marginal_cost_usd_per_mtok": ("year", "region", "workload"),
    "cost_per_gpu_hour_usd": ("year", "region"),
    "cost_per_gw_yr_musd": ("year", "region"),
    "break_even_revenue_musd": ("year", "region"),
    "world_break_even_revenue_musd": ("year",),
    "market_revenue_musd": ("year", "region"),
    "revenue_gap_musd": ("year", "region"),
    "capex_intensity_revenue_musd": ("year",),
    "stranded_cost_musd": ("year", "region"),
    "simple_payback_yr": ("year",),
    "capex_outlay_musd": ("year", "region", "asset_class"),
    "depreciation_book_musd": ("year", "region"),
    "depreciation_economic_musd": ("year", "region"),
    "free_cash_flow_musd": ("year", "region"),
    "cumulative_cash_musd": ("year",),
    "peak_funding_need_musd": (),
    "npv_musd": (),
    "irr_frac": (),
    "payback_yr": (),
    "energy_share_of_cost_frac": ("year", "region"),
    "emissions_gco2_per_mtok": ("year", "region"),
}


def us(ds: xr.Dataset, name: str, **sel: str) -> float:
    return float(ds[name].sel(year=2030, region="us", **sel))


@pytest.fixture
def out() -> xr.Dataset:
    return ec.evaluate(make_results(), make_params())


# --- building blocks ------------------------------------------------------------------


def test_capital_recovery_factor() -> None:
    # 0.1 x 1.1^5 / (1.1^5 - 1) = 0.161051 / 0.61051 = 0.263797
    assert ec.capital_recovery_factor(0.1, 5) == pytest.approx(0.2637975, rel=1e-6)
    # 0.1 x 1.1^20 / (1.1^20 - 1) = 0.672750 / 5.727500 = 0.117460
    assert ec.capital_recovery_factor(0.1, 20) == pytest.approx(0.1174596, rel=1e-6)
    assert ec.capital_recovery_factor(0.0, 4) == pytest.approx(0.25)  # rate 0 -> 1/life


def test_capital_recovery_factor_on_arrays_has_no_warning() -> None:
    rate = xr.DataArray([0.0, 0.1], dims="case")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        crf = ec.capital_recovery_factor(rate, 5.0)
    np.testing.assert_allclose(crf.values, [0.2, 0.2637975], rtol=1e-6)


def test_growth_helpers() -> None:
    assert ec.cagr(100.0, 121.0, 2) == pytest.approx(0.10)  # sqrt(1.21) - 1
    assert ec.grow(100.0, 0.10, 2) == pytest.approx(121.0)  # 100 x 1.1^2


def test_energy_capacity_identity_and_inverse() -> None:
    # 1 GW x 8760 h x 0.5 = 4,380 GWh = 4.38 TWh facility; / PUE 1.2 = 3.65 TWh IT
    facility, it = ec.energy_capacity_identity(1.0, 0.5, 1.2)
    assert (facility, it) == pytest.approx((4.38, 3.65))
    assert ec.capacity_from_energy(4.38, 0.5) == pytest.approx(1.0)


def test_tokens_served() -> None:
    # 10 TWh = 1e10 kWh x 2e6 tok/kWh = 2e16 tokens = 20,000 trillion
    assert ec.tokens_served_tn(10.0, 2e6) == pytest.approx(20_000.0)
    energy = xr.DataArray(
        [5.0, 10.0], dims="workload", coords={"workload": ["training", "inference"]}
    )
    np.testing.assert_allclose(ec.tokens_served_tn(energy, 2e6).values, [0.0, 20_000.0])


def test_unit_cost_blocks() -> None:
    # 30,000 M$ / 20,000 trillion tokens = 1.5 $/Mtok
    assert float(ec.cost_per_mtok(30_000.0, 20_000.0)) == pytest.approx(1.5)
    # 3,000 $/MWh / (1,000 kWh x 2e6 tok/kWh = 2e9 tok/MWh) x 1e6 = 1.5 $/Mtok
    assert float(ec.marginal_cost_per_mtok(3_000.0, 2e6)) == pytest.approx(1.5)
    # 3 GW x 1e6 kW/GW / 1.752 kW/GPU x 8760 h = 1.5e10 GPU-h; 3e10 $ / 1.5e10 = 2 $/GPU-h
    assert ec.gpu_hours(3.0, 1.752) == pytest.approx(1.5e10)
    assert float(ec.cost_per_gpu_hour_usd(30_000.0, 3.0, 1.752)) == pytest.approx(2.0)
    assert float(ec.cost_per_gw_yr_musd(30_000.0, 3.0)) == pytest.approx(10_000.0)
    # 2 Mt x 1e12 g/Mt / (20,000 tn x 1e6 Mtok/tn) = 100 g/Mtok
    assert float(ec.emissions_gco2_per_mtok(2.0, 20_000.0)) == pytest.approx(100.0)


def test_revenue_blocks() -> None:
    assert ec.break_even_revenue_musd(30_000.0, 0.2) == pytest.approx(36_000.0)
    assert ec.capex_intensity_revenue_musd(100_000.0, 0.25) == pytest.approx(400_000.0)
    assert ec.revenue_gap_musd(36_000.0, 40_000.0) == pytest.approx(-4_000.0)
    # 0.5 GW x (25,000 x 0.2637975 + 10,000 x 0.1174596) = 0.5 x 7,769.53 = 3,884.77 M$
    stranded = ec.stranded_cost_musd(xr.DataArray(0.5), 25_000.0, 5, 10_000.0, 20, 0.1)
    assert float(stranded) == pytest.approx(3_884.767, rel=1e-6)


def test_payback_years_nan_where_margin_not_positive() -> None:
    cumulative = xr.DataArray([100.0, 300.0, 400.0, 500.0], dims="year")
    margin = xr.DataArray([50.0, 100.0, 0.0, -10.0], dims="year")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        payback = ec.payback_yr(cumulative, margin)
    np.testing.assert_allclose(payback.values, [2.0, 3.0, np.nan, np.nan])


# --- evaluate on the hand-made Dataset ------------------------------------------------


def test_evaluate_adds_contract_variables_with_units(out: xr.Dataset) -> None:
    for name, dims in CONTRACT.items():
        assert out[name].dims == dims, name
        assert out[name].attrs["units"], name
        assert out[name].attrs["long_name"], name
    assert out.attrs["scenario"] == "hand_made"
    xr.testing.assert_identical(out[list(make_results().data_vars)], make_results())


def test_evaluate_tokens_and_average_costs(out: xr.Dataset) -> None:
    # 10 TWh of inference, half each class at 2e6 tokens/kWh: 10,000 tn each
    assert us(out, "tokens_served_tn", model_class="chat") == pytest.approx(10_000.0)
    assert float(out["tokens_served_tn"].sel(year=2030, region="us").sum()) == pytest.approx(
        20_000.0
    )
    # all-in: 30,000 M$ / 20,000 tn = 1.5 $/Mtok (unserved 9,999 excluded)
    assert us(out, "avg_cost_usd_per_mtok") == pytest.approx(1.5)
    # serving-only: 30,000 x 10/15 / 20,000 = 1.0 $/Mtok
    assert us(out, "avg_serving_cost_usd_per_mtok") == pytest.approx(1.0)
    by_component = out["avg_cost_by_component_usd_per_mtok"].sel(year=2030, region="us")
    assert float(by_component.sel(component="accelerators")) == pytest.approx(0.9)  # 18k/20k
    assert float(by_component.sel(component="unserved")) == 0.0
    assert float(by_component.sum()) == pytest.approx(1.5)


def test_evaluate_marginal_and_capacity_costs(out: xr.Dataset) -> None:
    # 3,000 $/MWh x 1,000 / 2e6 tok/kWh = 1.5 $/Mtok; training serves no tokens -> NaN
    assert us(out, "marginal_cost_usd_per_mtok", workload="inference") == pytest.approx(1.5)
    assert np.isnan(us(out, "marginal_cost_usd_per_mtok", workload="training"))
    assert us(out, "cost_per_gpu_hour_usd") == pytest.approx(2.0)  # 3e10 $ / 1.5e10 GPU-h
    assert us(out, "cost_per_gw_yr_musd") == pytest.approx(10_000.0)  # 30,000 / 3 GW


def test_evaluate_revenue_and_payback(out: xr.Dataset) -> None:
    assert us(out, "break_even_revenue_musd") == pytest.approx(36_000.0)  # 30,000 x 1.2
    assert us(out, "market_revenue_musd") == pytest.approx(40_000.0)  # 20,000 tn x 2 $/Mtok
    assert us(out, "revenue_gap_musd") == pytest.approx(-4_000.0)
    assert float(out["capex_intensity_revenue_musd"].sel(year=2030)) == pytest.approx(400_000.0)
    # opex = fom 600 + fuel 1,500 + grid 1,800 + carbon 300 + IT FOM 0.04 x 25,000 x 3
    #        + facility FOM 100 x 3 = 7,500; payback = 100,000 / (40,000 - 7,500) = 3.0769
    assert float(out["simple_payback_yr"].sel(year=2030)) == pytest.approx(100_000 / 32_500)


def test_evaluate_stranded_energy_share_emissions(out: xr.Dataset) -> None:
    assert us(out, "stranded_cost_musd") == pytest.approx(3_884.767, rel=1e-6)
    # (fuel 1,500 + grid 1,800 + carbon 300 + power capex 3,000 + fom 600) / 30,000 = 0.24
    assert us(out, "energy_share_of_cost_frac") == pytest.approx(0.24)
    assert us(out, "emissions_gco2_per_mtok") == pytest.approx(100.0)


def test_evaluate_world_averages_over_regions() -> None:
    # eu = half of us's cost, 5 TWh inference, no training: 15,000 M$, 10,000 tn
    res = make_results({"eu": {"cost": 0.5, "inference": 0.5, "training": 0.0}})
    out = ec.evaluate(res, make_params())
    world = out.sel(year=2030)
    assert float(world["world_avg_cost_usd_per_mtok"]) == pytest.approx(45_000 / 30_000)
    # serving: (20,000 + 15,000) / 30,000
    assert float(world["world_serving_cost_usd_per_mtok"]) == pytest.approx(35_000 / 30_000)
    assert float(world["world_break_even_revenue_musd"]) == pytest.approx(54_000.0)
    # capex: 100,000 + 50,000 = 150,000 / 0.25
    assert float(world["capex_intensity_revenue_musd"]) == pytest.approx(600_000.0)


def test_regional_cost_per_token_allocates_training_by_tokens() -> None:
    # us: 30,000 M$ = serving 20,000 (10 of 15 TWh inference) + training 10,000; eu: half
    # of us's cost, 5 TWh inference, no training: serving 15,000. Tokens 20,000 : 10,000 tn.
    # World training 10,000 M$ = 0.333 $/Mtok, shared 2/3 : 1/3 by tokens, not where it ran:
    # us (20,000 + 6,667) / 20,000 = 1.333; eu (15,000 + 3,333) / 10,000 = 1.833 $/Mtok
    # (training put on each region's own tokens would give 1.5 and 1.5).
    res = make_results({"eu": {"cost": 0.5, "inference": 0.5, "training": 0.0}})
    out = ec.evaluate(res, make_params()).sel(year=2030)
    assert float(out["world_training_cost_usd_per_mtok"]) == pytest.approx(10_000 / 30_000)
    cost = out["avg_cost_usd_per_mtok"]
    assert float(cost.sel(region="us")) == pytest.approx(1 + 1 / 3)
    assert float(cost.sel(region="eu")) == pytest.approx(1.5 + 1 / 3)
    serving = out["avg_serving_cost_usd_per_mtok"]
    np.testing.assert_allclose(cost - serving, 1 / 3)  # serving + world training per token
    by_component = out["avg_cost_by_component_usd_per_mtok"].sum("component")
    np.testing.assert_allclose(by_component, cost)
    # break-even by region on the same allocation (margin 20%); the world total is unchanged
    np.testing.assert_allclose(
        out["break_even_revenue_musd"].sel(region=["us", "eu"]), [32_000.0, 22_000.0]
    )
    assert float(out["world_break_even_revenue_musd"]) == pytest.approx(54_000.0)
    assert float(out["training_cost_musd"].sel(region="us")) == pytest.approx(10_000.0)


def test_token_rates_and_costs_by_model_class() -> None:
    # us: 10 TWh inference, 40% chat at 4e6 and 60% reasoning at 1e6 tokens/kWh:
    # chat 4 TWh x 4e6 / 1e3 = 16,000 tn, reasoning 6 x 1e6 / 1e3 = 6,000 tn.
    params = make_params(
        tokens_per_kwh_chat=4e6, tokens_per_kwh_reasoning=1e6, mix_chat=0.4, mix_reasoning=0.6
    )
    out = ec.evaluate(make_results(), params).sel(year=2030, region="us")
    tokens = out["tokens_served_tn"]
    np.testing.assert_allclose(tokens.sel(model_class=["chat", "reasoning"]), [16_000, 6_000])
    # serving 20,000 M$ / 10 TWh = 2,000 $/MWh: chat 2,000 x 1e3 / 4e6 = 0.5, reasoning 2.0
    by_class = out["serving_cost_by_class_usd_per_mtok"]
    np.testing.assert_allclose(by_class.sel(model_class=["chat", "reasoning"]), [0.5, 2.0])
    assert float(out["avg_serving_cost_usd_per_mtok"]) == pytest.approx(20_000 / 22_000)
    # marginal 3,000 $/MWh: blended 0.4 x 4e6 + 0.6 x 1e6 = 2.2e6 -> 1.364; by class 0.75, 3
    assert float(out["marginal_cost_usd_per_mtok"].sel(workload="inference")) == pytest.approx(
        3_000 * 1e3 / 2.2e6
    )
    np.testing.assert_allclose(
        out["marginal_cost_by_class_usd_per_mtok"].sel(model_class=["chat", "reasoning"]),
        [0.75, 3.0],
    )
    assert float(
        ec.blended_tokens_per_kwh(params["tokens_per_kwh"], params["inference_mix_frac"]).sel(
            year=2030
        )
    ) == pytest.approx(2.2e6)


def test_explicit_revenue_is_shared_by_tokens() -> None:
    res = make_results({"eu": {"cost": 0.5, "inference": 0.5, "training": 0.0}})
    out = ec.evaluate(res, make_params(revenue_musd=30_000.0))
    revenue = out["market_revenue_musd"].sel(year=2030)
    # tokens 20,000 : 10,000 -> 20,000 : 10,000 M$
    np.testing.assert_allclose(revenue.sel(region=["us", "eu"]).values, [20_000.0, 10_000.0])


def test_payback_accumulates_capex_and_is_nan_without_margin() -> None:
    out = ec.evaluate(make_results(years=(2030, 2031)), make_params(years=(2030, 2031)))
    np.testing.assert_allclose(
        out["simple_payback_yr"].values, [100_000 / 32_500, 200_000 / 32_500]
    )
    # price 0.1 $/Mtok: revenue 2,000 < opex 7,500
    cheap = ec.evaluate(make_results(), make_params(price_usd_per_mtok=0.1))
    assert np.isnan(cheap["simple_payback_yr"]).all()


def test_zero_tokens_and_capacity_give_nan_without_warning() -> None:
    res = make_results(
        {
            "train_only": {"cost": 1.0, "inference": 0.0, "training": 1.0},
            "empty": {"cost": 0.0, "inference": 0.0, "training": 0.0},
        }
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = ec.evaluate(res, make_params())
    for region in ["train_only", "empty"]:
        cell = out.sel(year=2030, region=region)
        for name in [
            "avg_cost_usd_per_mtok",
            "avg_serving_cost_usd_per_mtok",
            "emissions_gco2_per_mtok",
        ]:
            assert np.isnan(cell[name]), (region, name)
        assert np.isnan(cell["avg_cost_by_component_usd_per_mtok"]).all()
    empty = out.sel(year=2030, region="empty")
    assert np.isnan(empty["cost_per_gpu_hour_usd"])
    assert np.isnan(empty["energy_share_of_cost_frac"])
    numeric = [v for v in out.data_vars if out[v].dtype.kind == "f"]
    assert not any(np.isinf(out[v]).any() for v in numeric)


def test_missing_input_is_named() -> None:
    with pytest.raises(KeyError, match="tokens_per_kwh"):
        ec.evaluate(make_results(), make_params().drop_vars("tokens_per_kwh"))


# --- published arithmetic of facts §7 through these functions --------------------------


def test_v1_iea_identity_and_regional_growth() -> None:
    # 226 GW x 8,760 h x 0.48 = 950 TWh facility; / PUE 1.29 = 737 TWh IT (published 732)
    facility, it = ec.energy_capacity_identity(226.0, 0.48, 1.29)
    assert facility == pytest.approx(950.0, rel=0.01)
    assert it == pytest.approx(732.0, rel=0.01)
    base_2024 = {"us": 183, "china": 102, "europe": 68, "apac": 48, "row": 15}
    growth = {"us": 0.151, "china": 0.181, "europe": 0.088, "apac": 0.132, "row": 0.116}
    y2030 = {r: ec.grow(float(base_2024[r]), growth[r], 6) for r in base_2024}
    assert y2030["us"] == pytest.approx(426.0, rel=0.01)
    assert y2030["china"] == pytest.approx(277.0, rel=0.01)
    assert sum(y2030.values()) == pytest.approx(947.5, rel=0.03)  # 945-950 TWh


def test_v2_lbnl_energy_to_capacity() -> None:
    assert ec.capacity_from_energy(325.0, 0.5) == pytest.approx(74.0, abs=2.0)
    assert ec.capacity_from_energy(580.0, 0.5) == pytest.approx(132.0, abs=2.0)
    assert ec.cagr(176.0, 325.0, 5) == pytest.approx(0.13, abs=0.005)
    assert ec.cagr(176.0, 580.0, 5) == pytest.approx(0.27, abs=0.005)


@pytest.mark.parametrize(
    ("rate", "expected_twh"), [(0.037, 196.0), (0.05, 214.0), (0.10, 296.0), (0.15, 404.0)]
)
def test_v3_epri_2030(rate: float, expected_twh: float) -> None:
    assert ec.grow(152.0, rate, 7) == pytest.approx(expected_twh, rel=0.01)


def test_v4_bain_capex_intensity() -> None:
    required = ec.capex_intensity_revenue_musd(500_000.0, 0.25)
    assert required == pytest.approx(2_000_000.0)
    assert ec.revenue_gap_musd(required, 1_200_000.0) == pytest.approx(800_000.0)


def test_v4_bain_through_evaluate() -> None:
    # Scale us's capex (100,000 M$) by 5 -> 500,000 M$ of capex in the year.
    res = make_results({})
    res["capex_musd"] = res["capex_musd"] * 5
    out = ec.evaluate(res, make_params(capex_to_revenue_frac=0.25))
    assert float(out["capex_intensity_revenue_musd"].sel(year=2030)) == pytest.approx(2e6)
