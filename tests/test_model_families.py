"""Analytic micro-tests: one per constraint family, each optimum worked out by hand.

Common arithmetic (``tiny_params`` defaults, cost of capital 0, so an annuity is
capex / life): IT 1,000 $/kW over 5 yr = 200 M$/GW-yr; grid connection 400 $/kW over
40 yr = 10 M$/GW-yr; 1 GW for 8,760 h = 8.76 TWh; grid energy 50 $/MWh = 50 M$/TWh.
"""

from __future__ import annotations

import numpy as np
import pytest
import test_grid_system
from tiny import tiny_params

from energymodel.economics import evaluate
from energymodel.model import build_model
from energymodel.results import to_dataset
from energymodel.solve import set_warm_start, solve_model

GAS = {"capex_usd_per_kw": 1000.0, "fuel_usd_per_mwh": 60.0, "emissions_tco2_per_mwh": 0.35}
SOLAR = {"capex_usd_per_kw": 1000.0, "firm_credit_frac": 0.0, "clean_frac": 1.0}


def solve(foresight: str = "perfect", **kwargs):
    params = tiny_params(**kwargs)
    m = build_model(params)
    result = solve_model(m, foresight=foresight)
    return result, to_dataset(m, params, result)


def one(da):
    return float(np.asarray(da).squeeze())


def test_grid_only_one_region():
    # IT 1 GW x 200 + connection 1 GW x 10 + 8.76 TWh x 50 = 648 M$.
    result, ds = solve()
    assert result.optimal
    assert result.objective_musd == pytest.approx(648.0, abs=1e-6)
    assert one(ds.it_capacity_gw) == pytest.approx(1.0)
    # marginal compute: 200/8.76 + 10/8.76 + 50 = 73.9726 $/MWh of IT energy
    assert one(ds.marginal_cost_usd_per_mwh.sel(workload="inference")) == pytest.approx(
        (200 + 10) / 8.76 + 50, rel=1e-6
    )
    assert one(ds.cost_musd.sum()) == pytest.approx(648.0)


def test_connection_limit_forces_onsite_gas_and_prices_the_queue():
    # Grid (50 + 10/8.76 = 51.1 $/MWh) beats gas (60 + 100/8.76 = 71.4 $/MWh) but only
    # 0.5 GW may connect: IT 200 + grid 0.5 x (10 + 438) + gas 0.5 x (100 + 525.6) = 736.8.
    result, ds = solve(max_new_connection_gw_per_yr=0.5, techs={"gas_ccgt": GAS})
    assert result.objective_musd == pytest.approx(736.8, abs=1e-6)
    assert one(ds.supply_capacity_gw.sel(tech="gas_ccgt")) == pytest.approx(0.5)
    assert one(ds.supply_capacity_gw.sel(tech="grid")) == pytest.approx(0.5)
    # one more GW of connection saves 625.6 - 448 = 177.6 M$/yr -> 177.6 $/kW-yr
    assert one(ds.grid_connection_limit_dual_usd_per_kw_yr) == pytest.approx(177.6, rel=1e-6)
    # 0.5 GW x 8.76 TWh x 0.35 t/MWh = 1.533 Mt
    assert one(ds.emissions_mtco2) == pytest.approx(1.533)


def test_battery_shifts_solar_into_the_night():
    # Two hours: sun [1, 0], no grid. Solar 2 GW (1 for the load, 1 to charge) = 200,
    # battery 1 GW at 500 $/kW / 10 yr = 50, IT 200 -> 450.
    battery = {"capex_usd_per_kw": 500.0, "duration_h": 4.0, "firm_credit_frac": 1.0}
    result, ds = solve(
        day_hours=2,
        max_new_connection_gw_per_yr=0.0,
        techs={"solar_pv": SOLAR, "battery": battery},
        availability={"solar_pv": [1.0, 0.0]},
    )
    assert result.objective_musd == pytest.approx(450.0, abs=1e-6)
    assert one(ds.supply_capacity_gw.sel(tech="battery")) == pytest.approx(1.0)
    dispatch = ds.dispatch_gw.sel(tech="battery").squeeze().to_numpy()
    np.testing.assert_allclose(dispatch, [-1.0, 1.0], atol=1e-9)


WIND = {"capex_usd_per_kw": 1000.0, "firm_credit_frac": 1.0, "clean_frac": 1.0}
LONG_BATTERY = {"capex_usd_per_kw": 500.0, "duration_h": 4.0, "firm_credit_frac": 1.0}


def test_storage_linked_across_days_moves_a_windy_day_to_a_calm_one():
    # Two calendar days of two hours, in order: day 0 windy (wind [1, 1]), day 1 calm
    # ([0, 0]); 1 GW of inference, no grid; each hour weighs 2,190 h.
    # Linked (Kotzur): wind 2 GW (1 for the load, 1 charging for 2 h: 2 GWh) = 200,
    # battery 1 GW / 4 h holds the 2 GWh and gives them back on day 1 = 50, IT 200 -> 450.
    # Per day, each day's storage must end where it starts: nothing reaches day 1, so
    # inference cannot follow its flat shape and all of it goes unserved: 8.76 TWh x
    # 20,000 $/MWh = 175,200.
    kwargs = {
        "day_hours": 2,
        "days": 2,
        "max_new_connection_gw_per_yr": 0.0,
        "techs": {"wind_onshore": WIND, "battery": LONG_BATTERY},
        "availability": {"wind_onshore": [1.0, 1.0, 0.0, 0.0]},
    }
    linked, ds = solve(day_sequence=[0, 1], **kwargs)
    assert linked.objective_musd == pytest.approx(450.0, abs=1e-6)
    np.testing.assert_allclose(
        ds.dispatch_gw.sel(tech="battery").squeeze().to_numpy(), [-1, -1, 1, 1], atol=1e-9
    )
    per_day, _ = solve(**kwargs)
    assert per_day.objective_musd == pytest.approx(175_200.0, rel=1e-9)


def test_storage_energy_limits_what_moves_between_days():
    # As above with a 1-hour battery: 2 GWh need 2 GW of it (100), so 200 + 100 + 200 = 500.
    short = {**LONG_BATTERY, "duration_h": 1.0}
    result, ds = solve(
        day_hours=2,
        days=2,
        day_sequence=[0, 1],
        max_new_connection_gw_per_yr=0.0,
        techs={"wind_onshore": WIND, "battery": short},
        availability={"wind_onshore": [1.0, 1.0, 0.0, 0.0]},
    )
    assert result.objective_musd == pytest.approx(500.0, abs=1e-6)
    assert one(ds.supply_capacity_gw.sel(tech="battery")) == pytest.approx(2.0)


def test_battery_losses_oversize_the_charge():
    # Round trip 0.81: to discharge 1 GW, charge 1/0.81 = 1.2346 GW, so solar
    # 2.2346 GW (223.46) and battery 1.2346 GW (61.73), IT 200 -> 485.19.
    battery = {"capex_usd_per_kw": 500.0, "duration_h": 4.0, "roundtrip_efficiency_frac": 0.81}
    result, _ = solve(
        day_hours=2,
        max_new_connection_gw_per_yr=0.0,
        techs={"solar_pv": SOLAR, "battery": battery},
        availability={"solar_pv": [1.0, 0.0]},
    )
    charge = 1 / 0.81
    assert result.objective_musd == pytest.approx(200 + 100 * (1 + charge) + 50 * charge, rel=1e-9)


def test_committed_build_leaves_capacity_stranded():
    # 3 GW committed, 1 GW needed: IT 600; the grid is sized on the 1 GW peak the load
    # reaches, not on the 3 GW nameplate: 10; energy 438 -> 1,048.
    result, ds = solve(committed_it_new_gw={(2030, "r1"): 3.0})
    assert result.objective_musd == pytest.approx(1048.0, abs=1e-6)
    assert one(ds.stranded_it_capacity_gw) == pytest.approx(2.0)


def test_lifetime_forces_a_rebuild():
    # 2025-2030, IT life 5: built 2025 (alive to 2029), rebuilt 2030. 6 x 648 = 3888.
    years = tuple(range(2025, 2031))
    result, ds = solve(years=years)
    assert result.objective_musd == pytest.approx(6 * 648.0, abs=1e-6)
    new = ds.it_capacity_new_gw.sel(region="r1").to_numpy()
    np.testing.assert_allclose(new, [1, 0, 0, 0, 0, 1], atol=1e-9)


def test_existing_capacity_is_used_and_still_charged():
    # 1 GW existing: nothing new; its capital charge (200) stays in the cost.
    result, ds = solve(existing_it_gw=1.0)
    assert one(ds.it_capacity_new_gw) == pytest.approx(0.0)
    assert result.objective_musd == pytest.approx(648.0, abs=1e-6)


def test_build_limits_leave_demand_unserved_at_the_penalty():
    # Grid 0.5 GW, gas at most 0.3 GW a year: 0.2 GW x 8.76 = 1.752 TWh unserved.
    # IT 0.8 x 200 + grid 5 + 219 + gas 30 + 157.68 + 1.752 x 20,000 = 35,611.68.
    gas = {**GAS, "max_build_gw_per_yr": 0.3}
    result, ds = solve(max_new_connection_gw_per_yr=0.5, techs={"gas_ccgt": gas})
    assert result.objective_musd == pytest.approx(35611.68, abs=1e-6)
    unserved = ds.unserved_it_energy_twh.sel(workload="inference")
    assert one(unserved) == pytest.approx(1.752)
    assert one(ds.marginal_cost_usd_per_mwh.sel(workload="inference")) == pytest.approx(20000.0)


def test_it_supply_chain_limit():
    # At most 0.5 GW of IT a year: half the demand (4.38 TWh) is not served.
    _, ds = solve(it_max_build_gw_per_yr=0.5)
    assert one(ds.it_capacity_gw) == pytest.approx(0.5)
    assert one(ds.unserved_it_energy_twh.sel(workload="inference")) == pytest.approx(4.38)


def test_training_yields_first_when_capacity_is_short():
    # 1 GW of IT for 8.76 TWh of inference and 8.76 TWh of training: inference is served,
    # training shed at 80% of the penalty: 200 + 10 + 438 + 8.76 x 16,000 = 140,808.
    result, ds = solve(training_twh=8.76, it_max_build_gw_per_yr=1.0)
    assert result.objective_musd == pytest.approx(140_808.0, abs=1e-6)
    assert one(ds.unserved_it_energy_twh.sel(workload="inference")) == pytest.approx(0.0)
    assert one(ds.unserved_it_energy_twh.sel(workload="training")) == pytest.approx(8.76)


def test_reserve_margin_sizes_the_firm_connection():
    # 10% margin: 1.1 GW of connection, 11 instead of 10 -> 649.
    result, _ = solve(reserve_margin_frac=0.1)
    assert result.objective_musd == pytest.approx(649.0, abs=1e-6)


def test_pue_scales_the_facility_energy():
    # PUE 1.2: facility 10.512 TWh: energy 525.6, connection 12, IT 200 -> 737.6.
    result, ds = solve(pue_ratio=1.2)
    assert result.objective_musd == pytest.approx(737.6, abs=1e-6)
    assert one(ds.facility_energy_twh) == pytest.approx(10.512)


def test_carbon_price():
    # 8.76 TWh x 0.4 t/MWh = 3.504 Mt x 100 $/t = 350.4 on top of 648.
    result, ds = solve(grid_carbon_tco2_per_mwh=0.4, carbon_price=100.0)
    assert result.objective_musd == pytest.approx(998.4, abs=1e-6)
    assert one(ds.cost_musd.sel(component="carbon")) == pytest.approx(350.4)


def test_emissions_cap_buys_clean_firm_power():
    # Nuclear 5,000 $/kW / 10 yr = 500 + fuel 10 x 8.76 = 587.6 per GW. Cap 1.752 Mt =
    # 0.5 GW of grid at 0.4 t/MWh; the other 0.5 GW nuclear:
    # IT 200 + grid 5 + 219 + nuclear 293.8 = 717.8.
    nuclear = {"capex_usd_per_kw": 5000.0, "fuel_usd_per_mwh": 10.0, "clean_frac": 1.0}
    result, ds = solve(
        grid_carbon_tco2_per_mwh=0.4, emissions_cap=1.752, techs={"nuclear": nuclear}
    )
    assert result.objective_musd == pytest.approx(717.8, abs=1e-6)
    assert one(ds.emissions_mtco2) == pytest.approx(1.752)


SUN = {"day_hours": 2, "availability": {"solar_pv": [1.0, 0.0]}}
DEAR_BATTERY = {"capex_usd_per_kw": 5000.0, "duration_h": 4.0, "firm_credit_frac": 1.0}


def test_no_policy_reference_for_clean_shares():
    # Solar (100/4.38 = 22.8 $/MWh by day) for the day, grid at night:
    # IT 200 + solar 100 + connection 10 + 4.38 TWh x 50 = 529.
    result, _ = solve(**SUN, techs={"solar_pv": SOLAR, "battery": DEAR_BATTERY})
    assert result.objective_musd == pytest.approx(529.0, abs=1e-6)


def test_annual_clean_share_counts_clean_energy_exported():
    # 75% of 8.76 TWh = 6.57 TWh of clean energy a year: 1.5 GW solar x 4,380 h, the
    # 0.5 GW beyond the day's load exported through the grid connection (certificates;
    # curtailed it would not count): 529 + 50 = 579.
    result, _ = solve(
        **SUN, annual_clean_share=0.75, techs={"solar_pv": SOLAR, "battery": DEAR_BATTERY}
    )
    assert result.objective_musd == pytest.approx(579.0, abs=1e-6)


def test_hourly_clean_share_needs_storage():
    # 24/7 at 75%: at most 2.19 TWh from the grid, so the battery serves 0.5 GW at night.
    # IT 200 + solar 1.5 GW 150 + battery 0.5 GW 250 + grid 0.5 GW (5 + 109.5) = 714.5.
    result, _ = solve(
        **SUN, hourly_clean_share=0.75, techs={"solar_pv": SOLAR, "battery": DEAR_BATTERY}
    )
    assert result.objective_musd == pytest.approx(714.5, abs=1e-6)


def test_the_checks_hourly_clean_share_is_met_where_it_can_be_and_priced_where_not():
    # In the full-year check (dispatch_check_flag) the hourly share is soft: the grid alone
    # is 40% clean, so a 50% share falls 0.1 x 8.76 = 0.876 TWh short, at 1,000 $/MWh
    # (876, outside the check's realised cost). IT 200 + connection 10 + energy 438 +
    # 876 = 1,524.
    params = tiny_params(grid_clean_frac=0.4, hourly_clean_share=0.5)
    params["dispatch_check_flag"] = 1.0
    m = build_model(params)
    result = solve_model(m)
    assert result.objective_musd == pytest.approx(1524.0, abs=1e-6)
    short = m.arrays.values("clean_shortfall_twh", result.arrays)
    assert float(short.sum()) == pytest.approx(0.876)


def test_inference_follows_its_shape():
    # Shape [1.5, 0.5]: peak 1.5 GW of IT (300) and connection (15); energy 438 -> 753.
    result, ds = solve(day_hours=2, inference_shape=[1.5, 0.5])
    assert result.objective_musd == pytest.approx(753.0, abs=1e-6)
    assert one(ds.it_capacity_gw) == pytest.approx(1.5)


@pytest.mark.parametrize(
    ("flex", "expected"),
    [
        (0.0, 648.0),  # flat 1 GW: 200 + 10 + 4.38 x (20 + 80)
        (0.5, 621.6),  # [1.5, 0.5] GW: 300 + 15 + 1.5 x 4.38 x 20 + 0.5 x 4.38 x 80
        (1.0, 595.2),  # [2, 0] GW: 400 + 20 + 8.76 x 20
    ],
)
def test_training_moves_to_cheap_hours_within_its_flexibility(flex, expected):
    result, _ = solve(
        day_hours=2,
        inference_twh=0.0,
        training_twh=8.76,
        flexible_frac={"training": flex},
        grid_price_usd_per_mwh=[20.0, 80.0],
    )
    assert result.objective_musd == pytest.approx(expected, abs=1e-6)


def test_training_goes_to_the_cheapest_allowed_region():
    # Pooled training (8.76 TWh) runs where grid power is cheapest, unless barred there.
    prices = tiny_params(regions=("r1", "r2"), inference_twh=0.0, training_twh={(2030, "r1"): 8.76})
    prices["grid_price_usd_per_mwh"].loc[{"region": "r2"}] = 30.0
    m = build_model(prices)
    ds = to_dataset(m, prices, solve_model(m))
    served = ds.it_energy_twh.sel(workload="training").squeeze()
    assert float(served.sel(region="r2")) == pytest.approx(8.76)
    assert float(ds.unserved_it_energy_twh.sum()) == pytest.approx(0.0)
    barred = prices.copy()
    barred["training_allowed_frac"] = ("region", [1.0, 0.0])
    m = build_model(barred)
    ds = to_dataset(m, barred, solve_model(m))
    assert float(ds.it_energy_twh.sel(workload="training", region="r1").squeeze()) == pytest.approx(
        8.76
    )


def test_cost_of_capital_and_discounting():
    # wacc 10%: CRF(10%, 5) = 0.263797 -> IT 263.797; CRF(10%, 40) = 0.102259 -> 40.904.
    result, _ = solve(wacc=0.1)
    crf5 = 0.1 / (1 - 1.1**-5)
    crf40 = 0.1 / (1 - 1.1**-40)
    assert result.objective_musd == pytest.approx(1000 * crf5 + 400 * crf40 + 438, rel=1e-9)
    # two years, 2030 discounted by 1.1^-1 and the first standing for 1 year
    result, _ = solve(wacc=0.1, years=(2029, 2030))
    yearly = 1000 * crf5 + 400 * crf40 + 438
    assert result.objective_musd == pytest.approx(yearly * (1 + 1 / 1.1), rel=1e-9)


def test_year_weights_scale_costs_and_queue_limits():
    # 2025 stands for 5 years: its cost counts 5x and its queue holds 5 x 0.1 GW.
    result, ds = solve(
        years=(2025,),
        year_weight={2025: 5.0},
        max_new_connection_gw_per_yr=0.1,
        techs={"gas_ccgt": GAS},
    )
    assert one(ds.supply_capacity_gw.sel(tech="grid")) == pytest.approx(0.5)
    assert result.objective_musd == pytest.approx(5 * 736.8, abs=1e-6)


def test_infeasible_scenario_names_the_family():
    # 2 GW committed but the supply chain delivers 1 GW a year: no solution at all.
    result, ds = solve(committed_it_new_gw={(2030, "r1"): 2.0}, it_max_build_gw_per_yr=1.0)
    assert not result.optimal
    assert result.termination == "infeasible"
    assert "it_capacity" in result.diagnosis
    assert ds.attrs["diagnosis"] == "it_capacity"


# --- tokens as the service: elastic demand (Jevons) and accelerator generations ----------

# Cost of a MWh of IT energy with the tiny defaults: (200 + 10) / 8.76 + 50 = 73.97 $/MWh;
# at 2e6 tokens/kWh a MWh holds 2,000 Mtok, so a token costs 73.97 / 2,000 = 0.036986 $/Mtok.
MWH_COST = 210 / 8.76 + 50
CALIBRATED = MWH_COST / 2000  # reference price = the marginal cost at today's efficiency


def _step_value(elasticity: float, upto: float) -> float:
    """Buyers' value (M$) of the tokens from Q0 to upto x Q0 at 10x efficiency: the area
    under P0 q^(-1/e) times Q0 in reference TWh (0.876) x P0 in $/MWh (P0 x 2e7 / 1e3)."""
    power = 1 - 1 / elasticity
    area = np.log(upto) if elasticity == 1 else (upto**power - 1) / power
    return 0.876 * CALIBRATED * 2e4 * area


@pytest.mark.parametrize(
    ("elasticity", "served_ratio"),
    [(0.0, 1.0), (0.5, 10**0.5), (1.0, 10.0), (1.5, 10**1.5)],
)
def test_jevons_efficiency_raises_energy_only_above_unit_elasticity(elasticity, served_ratio):
    # Tokens are demanded: 8.76 TWh on today's hardware (1 GW), at a reference price equal
    # to today's marginal cost (so today's quantity is the equilibrium). Tokens per kWh x10:
    # a token now costs 0.1 P0, so buyers take Q0 (P / P0)^-e = Q0 x 10^e tokens, which need
    # 10^e / 10 of today's energy: 8.76 x 10^(e - 1) TWh. e = 0: 0.876 (tokens fixed, energy
    # /10); 0.5: 2.770 (falls); 1: 8.76 (unchanged); 1.5: 27.70 TWh (rises). The steps are
    # 10^(k/12) wide, so 10^e is a step boundary for these e: exact.
    result, ds = solve(price_usd_per_mtok=CALIBRATED, efficiency=10.0, elasticity=elasticity)
    myopic, _ = solve(
        "myopic", price_usd_per_mtok=CALIBRATED, efficiency=10.0, elasticity=elasticity
    )
    assert myopic.objective_musd == pytest.approx(result.objective_musd, rel=1e-9)
    energy = one(ds.facility_energy_twh)
    assert energy == pytest.approx(8.76 * served_ratio / 10, rel=1e-9)
    assert one(ds.demand_response_tn) == pytest.approx(
        0.876 * (served_ratio - 1) * 2e7 / 1e3, rel=1e-9
    )
    value = _step_value(elasticity, served_ratio) if elasticity else 0.0
    assert one(ds.consumer_value_musd) == pytest.approx(value, rel=1e-9)
    # objective = cost of the IT energy served - buyers' value of the tokens beyond Q0
    assert result.objective_musd == pytest.approx(energy * MWH_COST - value, rel=1e-9)
    # the equilibrium price is the marginal cost, a tenth of today's
    economics = evaluate(ds, tiny_params(price_usd_per_mtok=CALIBRATED, efficiency=10.0))
    assert one(economics.token_price_usd_per_mtok) == pytest.approx(CALIBRATED / 10, rel=1e-6)


@pytest.mark.parametrize("elasticity", [0.5, 1.5])
def test_elastic_demand_at_todays_efficiency_keeps_the_reference(elasticity):
    # At the reference price = marginal cost the first step up is worth less than it costs
    # and the first step down more: buyers take Q0 (8.76 TWh), as with fixed demand.
    result, ds = solve(price_usd_per_mtok=CALIBRATED, elasticity=elasticity)
    assert one(ds.facility_energy_twh) == pytest.approx(8.76, rel=1e-9)
    assert result.objective_musd == pytest.approx(648.0, rel=1e-9)


def test_zero_elasticity_is_the_fixed_demand_model():
    # elasticity 0 adds no step: the same LP, the same optimum as the fixed demand (648).
    fixed, _ = solve()
    zero, ds = solve(elasticity=0.0)
    assert "demand_step" not in tiny_params(elasticity=0.0).dims
    assert zero.objective_musd == fixed.objective_musd == pytest.approx(648.0, abs=1e-6)
    assert one(ds.demand_response_tn) == 0.0


OLD_NEW = {
    "old": {"ratio": 1.0, "capex": 1000.0, "first": 2000},
    "new": {"ratio": 2.0, "capex": 1000.0, "first": 2026},
}


@pytest.mark.parametrize("foresight", ["perfect", "myopic"])
def test_newer_generation_displaces_the_older_one(foresight):
    # 1 GW of the old generation in service (existing, sunk 1,000 $/kW / 5 yr = 200 a year),
    # maintenance 5% of capex (50 M$/GW-yr), 1 GW of grid connection, 8.76 TWh of demand
    # (tokens) both years. The new one, from 2026, serves twice the tokens per kWh at the
    # same capex. 2025: old serves all: energy 438 + upkeep 50 + sunk 200 = 688.
    # 2026, keep old: 688; switch: 0.5 GW new (annuity 100, upkeep 25) on 4.38 TWh (219)
    # + sunk 200 = 544: the old fleet is retired (its capital charge stays) -> 1,232.
    # Each year's choice is its own, so myopic foresight makes the same one.
    result, ds = solve(
        foresight,
        years=(2025, 2026),
        existing_it_gw=1.0,
        existing_connection_gw=1.0,
        max_new_connection_gw_per_yr=0.0,
        it_fom_frac=0.05,
        accelerators=OLD_NEW,
    )
    assert result.objective_musd == pytest.approx(1232.0, rel=1e-9)
    kept = ds.accelerator_capacity_gw.sel(year=2026).squeeze()
    assert float(kept.sel(accelerator="new")) == pytest.approx(0.5)
    assert float(kept.sel(accelerator="old")) == pytest.approx(0.0, abs=1e-9)
    retired = ds.accelerator_retired_gw.sel(year=2026, accelerator="old")
    assert one(retired) == pytest.approx(1.0)
    assert one(ds.facility_energy_twh.sel(year=2026)) == pytest.approx(4.38)
    assert one(ds.cost_musd.sel(year=2026).sum()) == pytest.approx(544.0)


def test_older_generation_stays_when_it_may_not_be_retired_for_free():
    # As above but the new generation costs 3,000 $/kW (annuity 600/GW): switching costs
    # 0.5 x (600 + 150) + 219 = 594 > 488 for keeping the old: nothing is bought or retired.
    dear = {**OLD_NEW, "new": {**OLD_NEW["new"], "capex": 3000.0}}
    result, ds = solve(
        years=(2025, 2026),
        existing_it_gw=1.0,
        existing_connection_gw=1.0,
        max_new_connection_gw_per_yr=0.0,
        it_fom_frac=0.05,
        accelerators=dear,
    )
    assert result.objective_musd == pytest.approx(2 * 688.0, rel=1e-9)
    assert float(ds.accelerator_new_gw.sum()) == pytest.approx(0.0, abs=1e-9)
    assert float(ds.accelerator_retired_gw.sum()) == pytest.approx(0.0, abs=1e-9)


# Which hand-worked test covers each family; a new family must add its own.
def test_nameplate_connection_exceeds_the_dispatched_peak():
    # Inference [1.5, 0.5] GW, average utilisation 0.5: 2 GW of IT. On nameplate the
    # connection is 2 GW (x PUE 1), not the 1.5 GW peak: IT 400 + connection 20 + energy
    # 438 = 858 (853 on the peak). The dispatch uses 1.5 / 2 = 75% of it at its peak, and
    # 8.76 / (2 x 8.76) = 50% over the year.
    result, ds = solve(
        day_hours=2,
        inference_shape=[1.5, 0.5],
        avg_utilisation_frac=0.5,
        connection_on_nameplate=True,
    )
    assert result.objective_musd == pytest.approx(858.0, abs=1e-6)
    assert one(ds.grid_connection_gw) == pytest.approx(2.0)
    assert one(ds.it_peak_gw) == pytest.approx(1.5)
    assert one(ds.grid_connection_utilisation_frac) == pytest.approx(0.75)
    assert one(ds.grid_connection_load_factor_frac) == pytest.approx(0.5)


def test_nameplate_connection_is_held_by_the_queue():
    # On nameplate x PUE 1.2, 1 GW of IT needs 1.2 GW of connection; the queue gives 0.6
    # GW, so only 0.5 GW of IT can connect and islanding is not allowed: the other half
    # of inference is lost at its value (20,000 $/MWh x 4.38 TWh = 87,600). IT 100 +
    # connection 6 + energy 0.5 x 8.76 x 1.2 x 50 = 262.8 -> 87,968.8.
    result, ds = solve(
        pue_ratio=1.2, max_new_connection_gw_per_yr=0.6, connection_on_nameplate=True
    )
    assert result.objective_musd == pytest.approx(87_968.8, abs=1e-6)
    assert one(ds.it_capacity_gw) == pytest.approx(0.5)


def test_islanded_campus_holds_n_plus_one_gas_and_pays_no_connection():
    # No connection can be had (ceiling 0): the campus runs islanded on gas with N+1
    # (redundancy 0.2): 1.2 GW of gas (120) for the 1 GW peak, fuel 8.76 x 60 = 525.6,
    # IT 200 -> 845.6, and no connection cost.
    result, ds = solve(
        techs={"gas_ccgt": GAS},
        connection_ceiling_gw=0.0,
        connection_on_nameplate=True,
        islanded_redundancy_frac=0.2,
    )
    assert result.objective_musd == pytest.approx(845.6, abs=1e-6)
    assert one(ds.it_islanded_gw) == pytest.approx(1.0)
    assert one(ds.grid_connection_gw) == pytest.approx(0.0)
    assert one(ds.onsite_capacity_gw.sel(tech="gas_ccgt")) == pytest.approx(1.2)
    assert one(ds.cost_musd.sel(component="grid_connection")) == pytest.approx(0.0)


def test_islanded_campus_cannot_draw_on_the_grid():
    # Two campuses of 1 GW each at half utilisation (load [1.5, 0.5] GW, 2 GW of IT).
    # The queue connects 1 GW: the other 1 GW of IT is islanded on N+1 gas (1.2 GW, 120)
    # and the grid delivers at most the connected campus's 4.38 TWh (219); gas the other
    # 4.38 TWh (262.8). IT 400 + connection 10 -> 1,011.8.
    result, ds = solve(
        day_hours=2,
        inference_shape=[1.5, 0.5],
        avg_utilisation_frac=0.5,
        techs={"gas_ccgt": GAS},
        max_new_connection_gw_per_yr=1.0,
        connection_on_nameplate=True,
        islanded_redundancy_frac=0.2,
    )
    assert result.objective_musd == pytest.approx(1011.8, abs=1e-6)
    assert one(ds.it_islanded_gw) == pytest.approx(1.0)
    assert one(ds.generation_twh.sel(tech="grid")) == pytest.approx(4.38)


@pytest.mark.parametrize(
    ("share", "budget", "expected", "new_cc_gw", "curtailed_twh"),
    [
        (0.0, 0.01, 2004.628, 0.5, 0.0),  # firm only: 0.5 GW of CC for the peak
        (0.5, 0.01, 1996.676, 0.0, 0.0438),  # half non-firm: curtailed 0.5 GW x 87.6 h
        (0.5, 0.0025, 2000.652, 0.25, 0.0219),  # budget 0.25%: 21.9 GWh, the rest CC
    ],
)
def test_flexible_connection_is_curtailed_only_in_the_tightest_hours(
    share, budget, expected, new_cc_gw, curtailed_twh
):
    # A system with 9 GW of other load in 99% of the hours (8,672.4 h) and 10 GW in 1%
    # (87.6 h), 10.5 GW of accredited coal (20 $/MWh) and new CC (100 $/kW-yr, 40 $/MWh).
    # A 1 GW flat data centre, connected on nameplate (free), compute lost at 1,000 $/MWh.
    # Common: IT 200 + coal 10 GW x 8,672.4 h x 20 = 1,734.48 + coal 10.5 GW x 87.6 h x
    # 20 = 18.396 -> 1,952.876.
    # Firm only: adequacy 10 + 1 = 11 GW: CC 0.5 GW (50) + its 43.8 GWh (1.752) = 2,004.628.
    # Half non-firm (firm 0.5): adequacy 10.5, no CC; in the 10 GW hours 10 + 1 - 10.5 =
    # 0.5 GW is curtailed (43.8 GWh <= 1% x 8,760 GWh = 87.6) and lost (43.8) = 1,996.676;
    # never in the 9 GW hours. Budget 0.25% (21.9 GWh): at most 0.25 GW curtailed, so CC
    # 0.25 GW (25 + 0.876) + lost 21.9 = 2,000.652 (still below firm only).
    from tiny import with_system

    base = tiny_params(
        days=2,
        day_sequence=[0] * 99 + [1],
        connection_capex_usd_per_kw=0.0,
        unserved_penalty=1000.0,
        connection_on_nameplate=True,
    )
    fleet = {
        "coal": {"existing_gw": 10.5, "variable_cost_usd_per_mwh": 20.0},
        "cc": {"variable_cost_usd_per_mwh": 40.0, "capex_usd_per_kw": 1000.0},
    }
    params = with_system(
        base,
        fleet=fleet,
        other_load_gw=[9.0, 10.0],
        flexible_connection_frac=share,
        curtailment_budget_frac=budget,
    )
    m = build_model(params)
    result = solve_model(m)
    ds = to_dataset(m, params, result)
    assert result.objective_musd == pytest.approx(expected, abs=1e-6)
    assert one(ds.fleet_capacity_new_gw.sel(grid_tech="cc")) == pytest.approx(new_cc_gw, abs=1e-9)
    assert one(ds.curtailed_it_energy_twh) == pytest.approx(curtailed_twh, abs=1e-9)
    assert one(ds.curtailment_hours_h) == pytest.approx(87.6 if share else 0.0)
    assert one(ds.grid_connection_gw) == pytest.approx(1.0)
    assert one(ds.grid_connection_firm_gw) <= 1.0 - curtailed_twh / 0.0876 + 1e-9


@pytest.mark.parametrize(("lead", "expected"), [(0, 2476.8), (2, 4759.6)])
def test_a_turbine_ordered_now_runs_only_after_its_lead_time(lead, expected):
    # 1 GW flat in 2025-2027; the grid at 200 $/MWh (1,752 M$ a year) or gas at 100 + 525.6
    # (fuel 60 $/MWh). Without a lead time gas from 2025: IT 600 + gas 300 + fuel 1,576.8 =
    # 2,476.8. Ordered in 2025 with a 2-year lead time it runs from 2027: the grid carries
    # 2025 and 2026 (connection 30 over 3 yr + 2 x 1,752), gas 2027 (100 + 525.6): 4,759.6.
    result, ds = solve(
        years=(2025, 2026, 2027),
        grid_price_usd_per_mwh=200.0,
        techs={"gas_ocgt": {**GAS, "lead_time_yr": float(lead)}},
    )
    assert result.objective_musd == pytest.approx(expected, abs=1e-6)
    gas = ds.supply_capacity_gw.sel(tech="gas_ocgt", region="r1").to_numpy()
    np.testing.assert_allclose(gas, [1.0, 1.0, 1.0] if lead == 0 else [0.0, 0.0, 1.0], atol=1e-9)


@pytest.mark.parametrize(
    ("cost", "option", "expected", "gas_gw", "firm_fuel_gw"),
    [
        (20.0, "choice", 875.6, 1.25, 1.25),  # firm fuel 25 < 41.67 of extra plant
        (40.0, "choice", 200.0 + 525.6 + 1000 / 6, 5 / 3, 0.0),  # 50 > 41.67: more plant
        (20.0, "never", 200.0 + 525.6 + 1000 / 6, 5 / 3, 0.0),
        (40.0, "always", 900.6, 1.25, 1.25),
    ],
)
def test_firm_fuel_is_bought_where_it_costs_less_than_spare_plant(
    cost, option, expected, gas_gw, firm_fuel_gw
):
    # An islanded 1 GW campus (no connection) on gas with firm credit 0.8 (N+1), fuel 60
    # $/MWh (525.6), IT 200. With firm fuel it needs 1 / 0.8 = 1.25 GW of gas (125) plus
    # firm fuel 1.25 x cost; without, gas keeps 0.75 of its credit: 1 / 0.6 = 1.667 GW
    # (166.67). At 20 $/kW-yr firm fuel costs 25 < 41.67 of extra plant (875.6); at 40 it
    # costs 50 > 41.67, so the LP builds plant instead (892.27) unless told ``always``
    # (200 + 525.6 + 125 + 50 = 900.6); ``never`` builds plant at any price.
    gas = {**GAS, "firm_credit_frac": 0.8, "nonfirm_fuel_credit_frac": 0.75}
    result, ds = solve(
        techs={"gas_ccgt": {**gas, "firm_fuel_usd_per_kw_yr": cost}},
        connection_ceiling_gw=0.0,
        connection_on_nameplate=True,
        islanded_redundancy_frac=0.0,
        firm_fuel=option,
    )
    assert result.objective_musd == pytest.approx(expected, abs=1e-6)
    assert one(ds.onsite_capacity_gw.sel(tech="gas_ccgt")) == pytest.approx(gas_gw)
    assert one(ds.onsite_firm_fuel_gw.sel(tech="gas_ccgt")) == pytest.approx(firm_fuel_gw, abs=1e-9)
    assert one(ds.it_islanded_gw) == pytest.approx(1.0)


def test_committed_it_waits_for_its_connection():
    # 1 GW of IT committed, PUE 1, but the queue connects 0.5 GW and islanding is not
    # allowed: 0.5 GW waits unpowered (its capital charge stays) and serves nothing; the
    # other 4.38 TWh of inference is lost at 20,000 $/MWh (87,600). IT 200 + connection 5
    # + energy 219 -> 88,024.
    result, ds = solve(
        committed_it_new_gw={(2030, "r1"): 1.0},
        max_new_connection_gw_per_yr=0.5,
        connection_on_nameplate=True,
    )
    assert result.objective_musd == pytest.approx(88_024.0, abs=1e-6)
    assert one(ds.it_waiting_gw) == pytest.approx(0.5)
    assert one(ds.it_energy_twh.sum("workload")) == pytest.approx(4.38)


FAMILY_TESTS = {
    "compute_demand": [
        test_inference_follows_its_shape,
        test_training_goes_to_the_cheapest_allowed_region,
        test_jevons_efficiency_raises_energy_only_above_unit_elasticity,
    ],
    "it_capacity": [
        test_lifetime_forces_a_rebuild,
        test_committed_build_leaves_capacity_stranded,
        test_newer_generation_displaces_the_older_one,
    ],
    "supply": [
        test_connection_limit_forces_onsite_gas_and_prices_the_queue,
        test_a_turbine_ordered_now_runs_only_after_its_lead_time,
    ],
    "storage": [test_battery_shifts_solar_into_the_night, test_battery_losses_oversize_the_charge],
    "firm_fuel": [test_firm_fuel_is_bought_where_it_costs_less_than_spare_plant],
    "grid": [test_grid_only_one_region, test_year_weights_scale_costs_and_queue_limits],
    "grid_system": [
        test_grid_system.test_merit_order_price_is_the_marginal_units_cost,
        test_grid_system.test_capacity_price_is_the_peakers_fixed_cost_less_its_energy_margin,
        test_grid_system.test_counterfactual_differs_only_by_the_new_load,
    ],
    "power_balance": [test_pue_scales_the_facility_energy],
    "firm_capacity": [test_reserve_margin_sizes_the_firm_connection],
    "policy": [
        test_carbon_price,
        test_emissions_cap_buys_clean_firm_power,
        test_hourly_clean_share_needs_storage,
        test_the_checks_hourly_clean_share_is_met_where_it_can_be_and_priced_where_not,
    ],
    "objective": [test_cost_of_capital_and_discounting],
    "connection": [
        test_nameplate_connection_exceeds_the_dispatched_peak,
        test_nameplate_connection_is_held_by_the_queue,
        test_islanded_campus_holds_n_plus_one_gas_and_pays_no_connection,
        test_islanded_campus_cannot_draw_on_the_grid,
        test_committed_it_waits_for_its_connection,
    ],
    "flexible_connection": [test_flexible_connection_is_curtailed_only_in_the_tightest_hours],
}


def test_every_family_has_a_hand_worked_test():
    from energymodel.model import REGISTRY

    families = {f.__name__.removeprefix("add_") for f in REGISTRY}
    assert families == set(FAMILY_TESTS), "add a hand-worked test for each new family"


def test_hourly_grid_carbon_weights_each_hour():
    # Two hours, grid carbon [0.2, 0.6] t/MWh, inference [1.5, 0.5] GW: 4,380 h x (1.5 x 0.2
    # + 0.5 x 0.6) = 2.628 Mt, where the yearly mean carbon (0.4) would give 3.504 Mt.
    _, ds = solve(day_hours=2, inference_shape=[1.5, 0.5], grid_carbon_tco2_per_mwh=[0.2, 0.6])
    assert one(ds.emissions_mtco2) == pytest.approx(2.628)


def test_hourly_grid_clean_share_counts_in_its_hour():
    # 24/7 score 0.6, grid clean [1, 0], flat 1 GW, dear solar that shines only in hour 1:
    # not clean = hour 1's grid import <= 0.4 x 8.76 = 3.504 TWh, so solar covers 0.876
    # TWh of hour 1: 0.2 GW. (A yearly-mean clean share of 0.5 would need 0.4 GW.)
    dear_solar = {**SOLAR, "capex_usd_per_kw": 5000.0}
    result, ds = solve(
        day_hours=2,
        grid_clean_frac=[1.0, 0.0],
        hourly_clean_share=0.6,
        techs={"solar_pv": dear_solar},
        availability={"solar_pv": [0.0, 1.0]},
    )
    assert result.optimal
    assert one(ds.supply_capacity_gw.sel(tech="solar_pv")) == pytest.approx(0.2, rel=1e-6)


def test_power_costs_differ_by_region():
    # No grid: each region's 1 GW runs on gas (life 10 yr, fuel 60 $/MWh). r1 at the
    # defaults: 1,000/10 + 525.6 = 625.6; r2 at capex 2,000, FOM 50, VOM 5: 200 + 50 +
    # 525.6 + 43.8 = 819.4. With IT 2 x 200: 1,845.0 M$.
    params = tiny_params(
        regions=("r1", "r2"), max_new_connection_gw_per_yr=0.0, techs={"gas_ccgt": GAS}
    )
    for name, value in (
        ("capex_usd_per_kw", 2000.0),
        ("fom_usd_per_kw_yr", 50.0),
        ("vom_usd_per_mwh", 5.0),
    ):
        params[name].loc[{"region": "r2"}] = value
    m = build_model(params)
    result = solve_model(m)
    assert result.objective_musd == pytest.approx(1845.0, abs=1e-6)
    ds = to_dataset(m, params, result)
    assert float(ds.capex_musd.sel(region="r2", component="power_capex").sum()) == pytest.approx(
        2000.0
    )


def test_myopic_foresight_does_not_build_ahead_of_a_binding_queue():
    # 2025: 0.5 GW of inference (4.38 TWh), 2026: 2 GW (17.52 TWh); the queue connects at
    # most 1 GW a year; gas is the alternative; no discounting, each year weighs 1.
    # Perfect foresight connects 1 GW in 2025 (0.5 idle) and 1 GW more in 2026:
    #   2025: IT 0.5 x 200 + grid 1 x 10 + 4.38 x 50 = 329
    #   2026: IT 2 x 200 + grid 2 x 10 + 17.52 x 50 = 1,296          -> 1,625
    # Myopic sees 2025 alone and connects only its 0.5 GW; 2026 gets 1 GW more and gas:
    #   2025: 100 + 5 + 219 = 324
    #   2026: 400 + grid 1.5 x 10 + 1.5 x 8.76 x 50 + gas 0.5 x 100 + 0.5 x 8.76 x 60
    #         = 400 + 15 + 657 + 50 + 262.8 = 1,384.8                 -> 1,708.8
    kwargs = {
        "years": (2025, 2026),
        "inference_twh": {(2025, "r1"): 4.38, (2026, "r1"): 17.52},
        "max_new_connection_gw_per_yr": 1.0,
        "techs": {"gas_ccgt": GAS},
    }
    perfect, ds = solve(**kwargs)
    assert perfect.objective_musd == pytest.approx(1625.0, abs=1e-6)
    assert float(ds.supply_capacity_gw.sel(tech="grid", year=2025).squeeze()) == pytest.approx(1.0)
    myopic, ds = solve(foresight="myopic", **kwargs)
    assert myopic.objective_musd == pytest.approx(1708.8, abs=1e-6)
    assert myopic.simplex_iterations > 0  # summed over the years' solves (was 0)
    assert float(ds.supply_capacity_gw.sel(tech="grid", year=2025).squeeze()) == pytest.approx(0.5)
    assert float(ds.supply_capacity_gw.sel(tech="gas_ccgt", year=2026).squeeze()) == (
        pytest.approx(0.5)
    )
    # duals come from each year's own solve, in the same units: 2026's compute costs
    # gas at the margin, 100/8.76 + 60 = 71.42 $/MWh
    marginal = ds.marginal_cost_usd_per_mwh.sel(workload="inference", year=2026).squeeze()
    assert float(marginal) == pytest.approx(200 / 8.76 + 100 / 8.76 + 60, rel=1e-6)
    # solved again (a refinement round's plan at the grid's own clean share), each year
    # starts from its own basis of the solve before: no iteration, the same answer; with
    # warm starts off (run_scenarios.py --cold), cold again
    again, _ = solve(foresight="myopic", **kwargs)
    assert again.objective_musd == pytest.approx(1708.8, abs=1e-6)
    assert again.simplex_iterations == 0
    set_warm_start(False)
    cold, _ = solve(foresight="myopic", **kwargs)
    assert cold.simplex_iterations == myopic.simplex_iterations


# --- load and power semantics (issue 14) ------------------------------------------------

BACKUP = {"max_new_connection_gw_per_yr": 0.0}
CHEAP_BATTERY = {"capex_usd_per_kw": 500.0, "duration_h": 4.0, "firm_credit_frac": 0.0}


@pytest.mark.parametrize(
    ("flex", "expected"),
    [
        (0.0, 660.0),  # flat 1 GW: solar 2 GW 200 + battery 1 GW 50 + connection 1 GW 10
        (0.5, 640.0),  # [1.5, 0.5] GW: solar 200 + battery 0.5 GW 25 + connection 1.5 GW 15
        (1.0, 620.0),  # [2, 0] GW: solar 200 + no battery + connection 2 GW 20
    ],
)
def test_flexible_load_moves_into_sunny_hours_and_lowers_cost(flex, expected):
    # 24/7 clean (grid clean share 0: the connection is firm backup only), sun [1, 0],
    # inference 1 GW on average with a flexible share f moved into the sunny hour
    # (load (1 - f) x 1 + x, x summing to 2f over the day). Average utilisation 0.5: IT
    # 2 GW (400), so the sunny hour may draw up to 2 GW. Each GW moved saves 50 of
    # battery and costs 10 of connection: 400 + 200 + 50 (1 - f) + 10 (1 + f) = 660 - 40 f.
    result, ds = solve(
        **SUN,
        techs={"solar_pv": SOLAR, "battery": CHEAP_BATTERY},
        hourly_clean_share=1.0,
        avg_utilisation_frac=0.5,
        flexible_frac={"inference": flex},
    )
    assert result.objective_musd == pytest.approx(expected, abs=1e-6)
    load = ds.it_load_gw.sel(workload="inference").squeeze().to_numpy()
    np.testing.assert_allclose(load, [1 + flex, 1 - flex], atol=1e-9)
    assert one(ds.it_energy_twh.sel(workload="inference")) == pytest.approx(8.76)


@pytest.mark.parametrize(("draw", "it_gw", "expected"), [(1.0, 2.0, 853.0), (0.6, 2.5, 953.0)])
def test_average_utilisation_lets_an_hour_exceed_it(draw, it_gw, expected):
    # Inference [1.5, 0.5] GW, 8.76 TWh. Average utilisation 0.5 asks for 8.76 / (0.5 x
    # 8.76) = 2 GW of IT; the 1.5 GW hour is above the average draw (1 GW) but within the
    # highest draw. IT 2 GW 400 + connection for the 1.5 GW peak 15 + energy 438 = 853.
    # At a highest draw of 0.6 the peak needs 1.5 / 0.6 = 2.5 GW: 500 + 15 + 438 = 953.
    # (The average as an hourly ceiling would need 1.5 / 0.5 = 3 GW.)
    result, ds = solve(
        day_hours=2, inference_shape=[1.5, 0.5], avg_utilisation_frac=0.5, max_draw_frac=draw
    )
    assert result.objective_musd == pytest.approx(expected, abs=1e-6)
    assert one(ds.it_capacity_gw) == pytest.approx(it_gw)
    assert one(ds.it_peak_gw) == pytest.approx(1.5)
    assert one(ds.stranded_it_capacity_gw) == pytest.approx(0.0, abs=1e-9)


@pytest.mark.parametrize(
    "limit",
    [
        {"max_new_connection_gw_per_yr": {2029: 0.5, 2030: 0.5}},  # the queue's yearly slot
        {"connection_ceiling_gw": {2029: 0.5, 2030: 1.0}},  # the total available
    ],
)
def test_connection_limit_ramps_over_the_years(limit):
    # 1 GW flat in 2029 and 2030, gas as the alternative. 2029: 0.5 GW connects, gas the
    # rest: IT 200 + connection 5 + grid 219 + gas 50 + fuel 262.8 = 736.8. 2030: 0.5 GW
    # more (worth 262.8 - 219 = 43.8 of fuel for 5): IT 200 + connection 10 + grid 438 +
    # gas 50 (alive, idle) = 698. Total 1,434.8.
    result, ds = solve(years=(2029, 2030), techs={"gas_ccgt": GAS}, **limit)
    assert result.objective_musd == pytest.approx(1434.8, abs=1e-6)
    grid = ds.supply_capacity_gw.sel(tech="grid", region="r1").to_numpy()
    np.testing.assert_allclose(grid, [0.5, 1.0], atol=1e-9)


def test_shed_year_is_flagged_and_its_marginal_cost_is_no_price():
    # No on-site supply; 2 GW may connect in 2029 and none in 2030. Demand 1 GW (2029), 3 GW
    # (2030): 2030 sheds 8.76 TWh at the penalty. 2029 is served: one more MWh needs IT
    # built in 2029 (200 a year) instead of 2030 (200 in 2030) = 200/8.76 + 50 $/MWh.
    from energymodel.compare import mark_shed, summary_table, world_figures
    from energymodel.economics import evaluate

    params = tiny_params(
        years=(2029, 2030),
        inference_twh={(2029, "r1"): 8.76, (2030, "r1"): 26.28},
        max_new_connection_gw_per_yr={2029: 2.0, 2030: 0.0},
    )
    m = build_model(params)
    ds = evaluate(to_dataset(m, params, solve_model(m)), params)
    inference = {"region": "r1", "workload": "inference"}
    np.testing.assert_allclose(ds.unserved_it_energy_twh.sel(inference), [0.0, 8.76], atol=1e-9)
    np.testing.assert_allclose(ds.shed.sel(inference), [0.0, 1.0])
    marginal = ds.marginal_cost_usd_per_mwh.sel(inference).to_numpy()
    np.testing.assert_allclose(marginal, [200 / 8.76 + 50, 20_000.0], rtol=1e-6)
    # the headline figures leave the shed year's marginal cost out and flag it
    world = world_figures(ds)
    np.testing.assert_allclose(world["shed"], [0.0, 1.0])
    assert float(world["marginal_cost_usd_per_mtok"].sel(year=2029)) == pytest.approx(
        (200 / 8.76 + 50) * 1e3 / 2e6, rel=1e-6
    )
    assert np.isnan(float(world["marginal_cost_usd_per_mtok"].sel(year=2030)))
    table = mark_shed(summary_table(ds)).set_index("year")
    assert table.loc[2030, "marginal_cost_usd_per_mtok"] == "shed"
    assert table.loc[2029, "marginal_cost_usd_per_mtok"] != "shed"


@pytest.mark.parametrize("margin", [0.2, 0.5])
def test_power_price_adds_the_firm_capacity_dual(margin):
    # Inference [1.5, 0.5] GW on the grid at 50 $/MWh. Firm: connection >= (1 + margin) x
    # the 1.5 GW peak, at 10 M$/GW-yr. The firm dual (10) lands on the peak hour, so the
    # capacity part of the price x the year's 8.76 TWh = the firm cost:
    # margin 0.2: 1.8 x 10 / 8.76 = 2.055 $/MWh; 0.5: 2.25 x 10 / 8.76 = 2.568 $/MWh.
    _, ds = solve(day_hours=2, inference_shape=[1.5, 0.5], reserve_margin_frac=margin)
    capacity = (1 + margin) * 1.5 * 10.0 / 8.76
    assert one(ds.energy_price_usd_per_mwh) == pytest.approx(50.0)
    assert one(ds.marginal_capacity_cost_usd_per_mwh) == pytest.approx(capacity, rel=1e-6)
    assert one(ds.power_price_usd_per_mwh) == pytest.approx(50.0 + capacity, rel=1e-6)


def test_curtailed_clean_energy_does_not_count():
    # Annual clean share 0.75, sun [1, 0], gas, and no grid to export to: the solar beyond
    # the day's load would be curtailed and counts for nothing, so the night needs 0.5 GW
    # from the (dear) battery. IT 200 + solar 1.5 GW 150 + battery 0.5 GW 250 + gas
    # 0.5 GW 50 + fuel 0.5 x 4.38 x 60 = 131.4 -> 781.4. (Counting clean capacity x
    # availability, 1.5 GW x 4,380 h = 6.57 TWh would do without a battery: 712.8.)
    result, ds = solve(
        **SUN,
        **BACKUP,
        annual_clean_share=0.75,
        techs={"solar_pv": SOLAR, "battery": DEAR_BATTERY, "gas_ccgt": GAS},
    )
    assert result.objective_musd == pytest.approx(781.4, abs=1e-6)
    assert one(ds.clean_energy_twh) == pytest.approx(0.75 * 8.76)


@pytest.mark.parametrize(
    ("firm_hours", "battery_gw", "expected"), [(4.0, 1.0, 450.0), (24.0, 6.0, 700.0)]
)
def test_four_hour_battery_firm_credit(firm_hours, battery_gw, expected):
    # Sun [1, 0], no grid: solar 2 GW (200) and a 4-h battery carry the night. Firm >= the
    # 1 GW peak: a 4-h battery counts 4 / storage_firm_hours of its credit (1.0). At 4 h:
    # 1 GW (50) -> 450; at 24 h: 1 / (4/24) = 6 GW (300) -> 700.
    battery = {"capex_usd_per_kw": 500.0, "duration_h": 4.0, "firm_credit_frac": 1.0}
    result, ds = solve(
        **SUN,
        **BACKUP,
        techs={"solar_pv": SOLAR, "battery": battery},
        storage_firm_hours=firm_hours,
    )
    assert result.objective_musd == pytest.approx(expected, abs=1e-6)
    assert one(ds.supply_capacity_gw.sel(tech="battery")) == pytest.approx(battery_gw)


@pytest.mark.parametrize(
    ("held_from", "twh_2026", "expected", "grid"),
    [("perfect", 13.14, 1301.0, [1.0, 1.5]), ("myopic", 17.52, 1625.0, [1.0, 2.0])],
)
def test_held_builds_stay_and_the_checked_year_still_builds_ahead(
    held_from: str, twh_2026: float, expected: float, grid: list[float]
):
    # The queue case above, re-planned as a refinement round does (solve/myopic.py Held,
    # from 2026): 2025 dispatched alone, building at least what a plan built in it, then
    # 2026 with perfect foresight, 2025's dispatch frozen but its builds free to grow.
    # Held from the perfect plan for 2 GW (1 GW connected in 2025), with 2026 now at
    # 1.5 GW (13.14 TWh): 2025 keeps its 1 GW although 0.5 would do,
    #   2025: 100 + 10 + 219 = 329; 2026: IT 300 + grid 1.5 x 10 + 13.14 x 50 = 972
    #   -> 1,301 (a plan from scratch connects 0.5 in 2025: 1,296).
    # Held from the myopic plan (0.5 GW in 2025), 2026 at 2 GW: the 2026 step connects
    # the other 0.5 GW in 2025, ahead of the queue, as perfect foresight: 1,625, not
    # myopic's 1,708.8.
    from energymodel.model.check import builds, yearly_decisions
    from energymodel.solve.myopic import Held

    kwargs = {
        "years": (2025, 2026),
        "inference_twh": {(2025, "r1"): 4.38, (2026, "r1"): 17.52},
        "max_new_connection_gw_per_yr": 1.0,
        "techs": {"gas_ccgt": GAS},
    }
    plan = build_model(tiny_params(**kwargs))
    assert solve_model(plan, foresight=held_from).optimal
    held = Held(builds(yearly_decisions(plan)), before=2026)
    assert "grid_new_gw" in held.decisions
    assert "it_capacity_gw" not in held.decisions
    kwargs["inference_twh"] = {(2025, "r1"): 4.38, (2026, "r1"): twh_2026}
    params = tiny_params(**kwargs)
    m = build_model(params)
    result = solve_model(m, held=held)
    assert result.objective_musd == pytest.approx(expected, abs=1e-6)
    ds = to_dataset(m, params, result)
    assert ds.supply_capacity_gw.sel(tech="grid").squeeze().values.tolist() == pytest.approx(grid)
