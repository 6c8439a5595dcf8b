"""The scenario library: each file validates and encodes what it claims; the docs page.

Fast tests build parameters only (once per scenario, cached); slow tests solve.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import xarray as xr

import energymodel as em
from energymodel.data import load_inputs
from energymodel.report import docs_page as library
from energymodel.scenario import expand_sweeps, validate_scenario
from energymodel.units import TWH_PER_GW_YEAR

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ROOT / "scenarios"
NAMES = sorted(
    p.stem for p in SCENARIOS.glob("*.yaml") if p.stem not in {"overrides"} and p.is_file()
)
US = ["us_east", "us_texas", "us_west"]
_PARAMS: dict[str, xr.Dataset] = {}
_RESULTS: dict[str, xr.Dataset] = {}


def params(name: str) -> xr.Dataset:
    """Parameters of a scenario, built once per test session."""
    if name not in _PARAMS:
        _PARAMS[name] = em.build_params(em.load_scenario(SCENARIOS / f"{name}.yaml"))
    return _PARAMS[name]


def solved(name: str) -> xr.Dataset:
    """Results of a scenario, solved once per test session."""
    if name not in _RESULTS:
        _RESULTS[name] = em.run(SCENARIOS / f"{name}.yaml")
    return _RESULTS[name]


def facility_twh(p: xr.Dataset) -> xr.DataArray:
    """Facility energy demanded by year and region (IT energy x PUE)."""
    return p["demand_it_twh"].sum("workload") * p["pue_ratio"]


def facility_gw(p: xr.Dataset) -> xr.DataArray:
    """Facility power demanded at the scenario's 50% capacity factor."""
    return facility_twh(p) / (0.5 * TWH_PER_GW_YEAR)


def identity_it_gw(p: xr.Dataset) -> xr.DataArray:
    """IT capacity that serves the demand at a 50% draw (facility TWh / PUE / 4.38)."""
    return p["demand_it_twh"].sum("workload") / (0.5 * TWH_PER_GW_YEAR)


FLEET_SCENARIOS = [
    "iea_base",
    "iea_lift_off",
    "iea_high_efficiency",
    "iea_headwinds",
    "lbnl_low",
    "lbnl_high",
]


# --------------------------------------------------------------------------- every file


def test_the_library_holds_every_scenario_of_the_brief() -> None:
    expected = {
        "baseline",
        "supply_chain_limited",
        "ai_550twh",
        "iea_base",
        "iea_lift_off",
        "iea_high_efficiency",
        "iea_headwinds",
        "lbnl_low",
        "lbnl_high",
        "deepseek_efficiency",
        "power_price_shock",
        "grid_constrained_us",
        "china_closed",
        "bubble_burst",
        "clean_24_7",
        "clean_24_7_limited",
        "sweep_wacc_power",
        "jevons_efficiency",
        "depreciation_life",
        "generation_choice",
    }
    assert expected <= set(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_scenario_validates(name: str) -> None:
    assert validate_scenario(SCENARIOS / f"{name}.yaml") == []


@pytest.mark.parametrize("name", NAMES)
def test_scenario_is_documented_and_extends_baseline(name: str) -> None:
    text = (SCENARIOS / f"{name}.yaml").read_text(encoding="utf-8")
    assert text.startswith(f"# {name}:"), "a header comment naming the scenario"
    sc = em.load_scenario(SCENARIOS / f"{name}.yaml")
    assert sc.name == name
    assert len(sc.description) > 80
    if name != "baseline":
        assert sc.extends == "baseline"
    assert sc.time.representative_days <= 4


# --------------------------------------------------------------------------- claims


def test_baseline_is_bains_200_gw_half_in_the_us() -> None:
    gw = facility_gw(params("baseline"))
    world = float(gw.sel(year=2030).sum())
    assert world == pytest.approx(215.0, rel=0.05)
    new_world = world - float(gw.sel(year=2025).sum())
    new_us = float(gw.sel(year=2030, region=US).sum() - gw.sel(year=2025, region=US).sum())
    assert new_us / new_world == pytest.approx(0.5, abs=0.05)


def test_baseline_supply_chain_limit_allows_bains_builds() -> None:
    limit = params("baseline")["it_max_build_gw_per_yr"]
    assert float(limit.sel(year=2030)) == pytest.approx(77.5)
    limited = params("supply_chain_limited")["it_max_build_gw_per_yr"]
    # supply_chain_limited writes out the inputs' sourced path (baseline overrides it)
    sourced = load_inputs(Path(__file__).resolve().parents[1] / "inputs").series(
        "hardware", "max_build_gw_per_yr", [int(y) for y in limited.year.values]
    )["value"]
    np.testing.assert_allclose(limited.values, sourced.values)
    assert float(limited.sel(year=2030)) == pytest.approx(31.9)
    assert float(limited.sel(year=2025)) == pytest.approx(14.5)
    # baseline: the sourced path where it suffices, more only where Bain's path needs it
    assert (limit.values >= limited.values).all()
    np.testing.assert_allclose(limit.sel(year=[2025, 2026, 2027]), sourced.loc[[2025, 2026, 2027]])


def test_ai_550twh_reaches_550_twh() -> None:
    assert float(facility_twh(params("ai_550twh")).sel(year=2030).sum()) == pytest.approx(
        550.0, rel=0.05
    )


@pytest.mark.parametrize(
    ("name", "twh"),
    [
        ("iea_base", 945.0),
        ("iea_lift_off", 1008.0),
        ("iea_high_efficiency", 868.0),
        ("iea_headwinds", 833.0),
    ],
)
def test_iea_cases_reach_their_2030_world_totals(name: str, twh: float) -> None:
    p = params(name)
    assert float(facility_twh(p).sel(year=2030).sum()) == pytest.approx(twh, rel=0.03)
    # the existing (all data-centre) fleet is grid-connected
    assert float(p["existing_connection_gw"].sum()) > 90.0


@pytest.mark.parametrize("name", FLEET_SCENARIOS)
def test_all_data_centre_cases_start_with_the_fleet_in_service(name: str) -> None:
    p = params(name)
    first = int(p["year"][0])
    existing = p["existing_it_capacity_gw"].sel(year=first)
    # the fleet that serves the first year's demand, by the 50% identity, per region
    np.testing.assert_allclose(
        existing.values, identity_it_gw(p).sel(year=first).values, rtol=0.01, atol=0.06
    )
    # it is grid-connected: connection = what the fleet needs at its highest hourly draw,
    # fleet x max_draw_frac x PUE x (1 + reserve margin)
    need = existing * p["max_draw_frac"] * p["pue_ratio"].sel(year=first)
    np.testing.assert_allclose(
        p["existing_connection_gw"].values,
        (need * (1 + p["reserve_margin_frac"])).values,
        rtol=0.01,
        atol=0.06,
    )
    # it retires linearly over the IT life
    assert float(p["existing_it_capacity_gw"].sel(year=first + int(p["it_life_yr"])).sum()) == 0


@pytest.mark.parametrize("name", FLEET_SCENARIOS)
def test_all_data_centre_cases_limit_builds_to_growth_plus_replacement(name: str) -> None:
    p = params(name)
    years = [int(y) for y in p["year"].values]
    need = identity_it_gw(p).sum("region")
    fleet = p["existing_it_capacity_gw"].sum("region")
    limit = p["it_max_build_gw_per_yr"]
    for y in years[1:]:
        # growth of the need plus what retires from the fleet and from earlier builds
        replacement = float(fleet.sel(year=y - 1) - fleet.sel(year=y))
        required = float(need.sel(year=y) - need.sel(year=y - 1)) + replacement
        assert float(limit.sel(year=y)) >= 1.05 * required, y
        assert float(limit.sel(year=y)) <= 1.3 * required, y
    # no longer "build the whole fleet in the first year"
    assert float(limit.sel(year=years[0])) < 0.5 * float(fleet.sel(year=years[0]))


@pytest.mark.parametrize(("name", "twh"), [("lbnl_low", 325.0), ("lbnl_high", 580.0)])
def test_lbnl_cases_reach_their_2028_us_totals(name: str, twh: float) -> None:
    p = params(name)
    assert list(p["region"].values) == US
    assert float(facility_twh(p).sel(year=2028).sum()) == pytest.approx(twh, rel=0.03)


def test_deepseek_serves_ten_times_more_tokens_per_kwh() -> None:
    ratio = params("deepseek_efficiency")["tokens_per_kwh"] / params("baseline")["tokens_per_kwh"]
    np.testing.assert_allclose(ratio.values, 10.0)
    price = params("deepseek_efficiency")["price_usd_per_mtok"]
    np.testing.assert_allclose(price.values, params("baseline")["price_usd_per_mtok"].values / 10)


def test_jevons_reads_bains_energy_as_tokens_and_sweeps_efficiency_and_elasticity() -> None:
    runs = expand_sweeps(em.load_scenario(SCENARIOS / "jevons_efficiency.yaml"))
    grid = {(sc.hardware.efficiency_multiplier, sc.demand.elasticity) for sc in runs}
    assert grid == {(g, e) for g in (1.0, 3.0, 10.0) for e in (0.0, 0.5, 1.0, 1.5)}
    # at the reference efficiency the token demand is the baseline's, in tokens and energy
    j, b = params("jevons_efficiency"), params("baseline")
    np.testing.assert_allclose(j["demand_tokens_tn"], b["demand_tokens_tn"], rtol=1e-12)
    np.testing.assert_allclose(j["demand_it_twh"], b["demand_it_twh"], rtol=1e-12)


def test_next_generation_is_twice_gb300_a_year_after_it() -> None:
    table = load_inputs(ROOT / "inputs").accelerators
    for model_class in ("chat", "reasoning"):
        column = f"tokens_per_kwh_{model_class}"
        assert table.at["next_gen", column] / table.at["gb300", column] == pytest.approx(
            2, rel=1e-3
        )
    first = table["available_from_year"]
    assert first["next_gen"] == first["gb300"] + 1
    runs = expand_sweeps(em.load_scenario(SCENARIOS / "generation_choice.yaml"))
    assert [sc.hardware.accelerator_available_from_year["next_gen"] for sc in runs] == [2027, 2029]
    lives = expand_sweeps(em.load_scenario(SCENARIOS / "depreciation_life.yaml"))
    assert [sc.hardware.it_life_yr for sc in lives] == [3, 5, 6]


def test_power_price_shock_raises_grid_price_by_half_from_2026() -> None:
    shock, base = params("power_price_shock"), params("baseline")
    tariff = (shock["system_region_frac"] == 0).values
    ratio = shock["grid_price_usd_per_mwh"] / base["grid_price_usd_per_mwh"]
    np.testing.assert_allclose(ratio.sel(year=2025).values, 1.0)
    np.testing.assert_allclose(ratio.sel(year=slice(2026, None)).isel(region=tariff).values, 1.5)
    # on-site gas: the hub price x 1.5; the delivered-gas adder (0.75 $/MMBtu x 9.562
    # MMBtu/MWh for aeroderivatives) is unchanged
    fuel = shock["fuel_usd_per_mwh"] - base["fuel_usd_per_mwh"]
    hub = base["fuel_usd_per_mwh"].sel(year=2030, tech="gas_ocgt") - 0.75 * 9.562
    np.testing.assert_allclose(fuel.sel(year=2030, tech="gas_ocgt").values, 0.5 * hub.values)
    # system regions: the price is a result; the gas shock reaches the fleet's gas plant
    variable = shock["fleet_variable_cost_usd_per_mwh"] - base["fleet_variable_cost_usd_per_mwh"]
    system = (shock["system_region_frac"] > 0).values
    assert bool((variable.sel(year=2030, grid_tech="gas_cc").isel(region=system) > 5).all())
    assert float(abs(variable.sel(grid_tech="nuclear")).max()) == 0.0


def test_grid_constrained_us_connects_a_few_gw_a_year() -> None:
    limit = params("grid_constrained_us")["max_new_connection_gw_per_yr"]
    us_total = float(limit.sel(year=2030, region=US).sum())
    assert 3.0 <= us_total <= 5.0
    base = params("baseline")["max_new_connection_gw_per_yr"]
    assert us_total < float(base.sel(year=2030, region=US).sum())
    others = [r for r in limit["region"].values if r not in US]
    np.testing.assert_allclose(limit.sel(region=others).values, base.sel(region=others).values)


def test_china_closed_has_no_chinese_demand() -> None:
    p = params("china_closed")
    assert "china" not in p["region"].values
    base = params("baseline")["demand_it_twh"].drop_sel(region="china")
    np.testing.assert_allclose(p["demand_it_twh"].values, base.values)


def test_bubble_burst_commits_more_than_demand_needs_after_2026() -> None:
    p = params("bubble_burst")
    demand = facility_gw(p).sum("region")
    assert float(demand.sel(year=2030)) == pytest.approx(float(demand.sel(year=2026)), rel=0.02)
    # IT capacity the stalled demand needs (at the 50% capacity factor) vs committed alive
    need_it = (facility_gw(p) / p["pue_ratio"]).sum("region")
    committed = p["committed_it_new_gw"].sum("region")
    life = int(p["it_life_yr"])
    for year in range(2027, 2031):
        alive = float(committed.sel(year=slice(year - life + 1, year)).sum())
        alive += float(p["existing_it_capacity_gw"].sel(year=year).sum())
        assert alive > float(need_it.sel(year=year)), year


def test_clean_24_7_sets_an_hourly_clean_share() -> None:
    for name in ("clean_24_7_limited", "clean_24_7"):
        share = params(name)["hourly_clean_share_frac"]
        assert float(share.sel(year=2030)) == pytest.approx(0.9)
        assert bool((share.diff("year") > 0).all())
    assert bool(params("baseline")["hourly_clean_share_frac"].isnull().all())


def test_clean_24_7_triples_clean_build_limits_and_the_limited_variant_keeps_them() -> None:
    clean = ["solar_pv", "wind_onshore", "battery"]
    base = params("baseline")["max_build_gw_per_yr"].sel(tech=clean)
    limited = params("clean_24_7_limited")["max_build_gw_per_yr"].sel(tech=clean)
    np.testing.assert_allclose(limited.values, base.values)
    tripled = params("clean_24_7")["max_build_gw_per_yr"].sel(tech=clean)
    np.testing.assert_allclose(tripled.values, 3 * base.values)
    others = [s for s in params("baseline")["tech"].values if s not in clean]
    np.testing.assert_allclose(
        params("clean_24_7")["max_build_gw_per_yr"].sel(tech=others).values,
        params("baseline")["max_build_gw_per_yr"].sel(tech=others).values,
    )


def test_sweep_expands_to_nine_cheap_runs() -> None:
    runs = expand_sweeps(em.load_scenario(SCENARIOS / "sweep_wacc_power.yaml"))
    assert len(runs) == 9
    assert {r.finance.wacc for r in runs} == {0.07, 0.10, 0.13}
    assert {r.prices.electricity_multiplier for r in runs} == {0.8, 1.0, 1.5}
    assert all(r.time.representative_days <= 2 for r in runs)


# --------------------------------------------------------------------------- the docs page


def _tiny_results(folder: Path) -> None:
    """Solve a few tiny versions of library scenarios into ``folder``."""
    tiny = {
        "regions": ["us_texas", "china"],
        "years": [2025, 2030],
        "time": {"representative_days": 1, "check": "none"},  # the page, not the check
    }
    for name in ("baseline", "china_closed", "deepseek_efficiency"):
        regions = ["us_texas"] if name == "china_closed" else tiny["regions"]
        sc = em.load_scenario(SCENARIOS / f"{name}.yaml", overrides={**tiny, "regions": regions})
        em.run(sc).to_netcdf(folder / f"{name}.nc")


def test_update_page_keeps_hand_written_text() -> None:
    page = "# Intro\n\nhand text\n\n" + library.BEGIN_MARKER + "\nold\n" + library.END_MARKER
    page += "\n\nfooter\n"
    out = library.update_page(page, "new table\n")
    assert "hand text" in out
    assert "footer" in out
    assert "new table" in out
    assert "old" not in out
    assert library.update_page(out, "new table\n") == out


def test_generator_builds_the_page_from_a_small_results_folder(tmp_path: Path) -> None:
    _tiny_results(tmp_path)
    out = tmp_path / "docs" / "scenarios.md"
    assert library.main(["--results", str(tmp_path), "--out", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# Scenario library")
    assert text.count(library.BEGIN_MARKER) == 1
    for name in ("baseline", "china_closed", "deepseek_efficiency"):
        assert f"| {name} |" in text or f"| `{name}` |" in text
    assert "What the model concludes" in text
    assert "What do cheap (DeepSeek-style) models do?" in text
    assert "What does dear power do?" not in text  # its scenario is not in the folder
    assert "n/a" not in text.split("What the model concludes")[1]
    # a second run replaces the generated part only
    out.write_text("# My intro\n\n" + text.split("\n", 1)[1], encoding="utf-8")
    library.write_library(tmp_path, out)
    again = out.read_text(encoding="utf-8")
    assert again.startswith("# My intro")
    assert again.count(library.BEGIN_MARKER) == 1


# --------------------------------------------------------------------------- slow: solves


@pytest.mark.slow
def test_baseline_solved_reaches_its_gw_with_nothing_unserved() -> None:
    res = solved("baseline")
    row = library.headline_row(res, 2030)
    assert row["facility_gw"] == pytest.approx(215.0, rel=0.05)
    assert row["unserved_twh"] == pytest.approx(0.0, abs=1e-3)


@pytest.mark.slow
def test_ai_550twh_solved_reaches_its_energy() -> None:
    row = library.headline_row(solved("ai_550twh"), 2030)
    assert row["facility_twh"] == pytest.approx(550.0, rel=0.05)


@pytest.mark.slow
def test_bubble_burst_strands_capacity() -> None:
    row = library.headline_row(solved("bubble_burst"), 2030)
    assert row["stranded_gw"] > 0
    assert row["stranded_cost_busd"] > 0


@pytest.mark.slow
def test_clean_24_7_emits_less_than_baseline() -> None:
    clean = library.headline_row(solved("clean_24_7"), 2030)
    base = library.headline_row(solved("baseline"), 2030)
    assert clean["emissions_mt"] < base["emissions_mt"]


@pytest.mark.slow
@pytest.mark.parametrize("name", ["iea_base", "lbnl_high"])
def test_all_data_centre_cases_do_not_buy_the_existing_fleet(name: str) -> None:
    res = solved(name)
    first = int(res["year"][0])
    fleet_it = float(params(name)["existing_it_capacity_gw"].sel(year=first).sum())
    capex_first = float(res["capex_musd"].sel(year=first).sum())
    # buying the fleet would cost fleet x (IT + facility capex), ~36.7 $B per GW of IT
    assert capex_first < 0.05 * fleet_it * 36_700
    assert float(res["unserved_it_energy_twh"].sum()) == pytest.approx(0.0, abs=1e-3)


@pytest.mark.slow
def test_grid_constrained_us_binds_and_moves_supply_to_on_site_gas() -> None:
    base = library.headline_row(solved("baseline"), 2030)
    slow = library.headline_row(solved("grid_constrained_us"), 2030)
    assert slow["us_grid_value"] > max(base["us_grid_value"], 0.0)
    assert slow["us_grid_gw"] < base["us_grid_gw"]
    assert slow["us_gas_gw"] > base["us_gas_gw"]


@pytest.mark.slow
def test_clean_24_7_is_served_with_tripled_limits_but_not_at_default_limits() -> None:
    clean = library.headline_row(solved("clean_24_7"), 2030)
    limited = library.headline_row(solved("clean_24_7_limited"), 2030)
    assert clean["unserved_twh"] < 0.01 * clean["facility_twh"]
    assert limited["unserved_twh"] > 0.05 * limited["facility_twh"]


def test_flexible_load_sentence_reads_the_sweep_against_riepin_and_brown():
    from energymodel.report.conclusions_clean import CLEAN_CONCLUSIONS

    costs = {0.0: 250.0, 0.1: 241.0, 0.2: 234.0, 0.4: 222.0}
    table = pd.DataFrame.from_dict(
        {
            f"flexible_load__flexible_frac={f}": {
                "power_cost": c,
                "unserved_twh": 0.0,
                "facility_twh": 10.0,
            }
            for f, c in costs.items()
        },
        orient="index",
    )
    text = CLEAN_CONCLUSIONS[1].render(table, 2030)
    assert "250 -> 241 -> 234 -> 222 $/MWh" in text
    assert "-11% at 40%" in text  # 222 / 250 - 1
    assert "215 -> 195 -> 137 EUR/MWh (-36%)" in text  # 137 / 215 - 1
    assert "231 -> 223 -> 216 -> 205 EUR/MWh" in text  # at 1.0824 $/EUR
    assert "shed" not in text


def test_the_exchange_rate_of_the_page_is_the_input_build_one():
    from energymodel.data.build.constants import USD_PER_EUR
    from energymodel.report.literature import USD_PER_EUR_2024

    assert USD_PER_EUR[2024] == USD_PER_EUR_2024
