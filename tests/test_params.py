"""build_params: the parameter Dataset that the LP reads, on the shipped inputs."""

from __future__ import annotations

import numpy as np
import pytest

import energymodel as em
from energymodel.data import load_inputs
from energymodel.params import UNITS, trajectory, year_weights

SMALL = {
    "name": "small",
    "regions": ["us_east", "europe"],
    "years": [2025, 2026, 2030],
    "time": {"representative_days": 3},
}


@pytest.fixture(scope="module")
def params():
    return em.build_params(em.load_scenario(SMALL))


def test_trajectory_interpolates_and_holds_flat():
    years = [2024, 2025, 2026, 2030, 2031]
    np.testing.assert_allclose(trajectory({2025: 1.0, 2030: 5.0}, years), [1, 1, 1.8, 5, 5])
    np.testing.assert_allclose(trajectory(2.0, years), [2] * 5)
    assert np.isnan(trajectory(None, years)).all()


def test_year_weights_are_the_gaps():
    np.testing.assert_allclose(year_weights([2025, 2026, 2030]), [1, 4, 1])


def test_every_parameter_has_units(params):
    for name in UNITS:
        assert params[name].attrs["units"], name
        assert params[name].attrs["long_name"], name


def test_timeslices_cover_the_year(params):
    assert float(params.timeslice_weight_h.sum()) == pytest.approx(8760.0)
    assert params.sizes["timeslice"] == 3 * 24


def test_shapes_keep_their_mean(params):
    w = params.timeslice_weight_h
    mean = (params.inference_shape_ratio * w).sum("timeslice") / w.sum()
    np.testing.assert_allclose(mean, 1.0, rtol=1e-9)
    price = params.grid_price_usd_per_mwh.sel(year=2025, region="us_east")
    # EIA 2023 Virginia industrial 89.2 $/MWh is the yearly mean of the shaped price
    assert float((price * w).sum() / w.sum()) == pytest.approx(89.2, rel=1e-6)


def test_demand_splits_into_workloads(params):
    # training share 50% in 2025 -> 35% in 2030 (schema default), linear in between
    share = params.demand_it_twh.sel(workload="training") / params.demand_it_twh.sum("workload")
    np.testing.assert_allclose(share.sel(region="us_east"), [0.5, 0.47, 0.35])


def test_gw_demand_becomes_energy_at_the_capacity_factor(params):
    # bain_2025 rows are GW of facility power: TWh = GW x 0.5 x 8.76, then / PUE -> IT
    facility_twh = (params.demand_it_twh.sum("workload") * params.pue_ratio).sel(year=2030)
    inputs = load_inputs(em.load_scenario(SMALL).inputs_dir)
    rows = inputs.demand.query("trajectory == 'bain_2025' and year == 2030").set_index("region")
    expected = rows.loc[["us_east", "europe"], "value"].to_numpy() * 0.5 * 8.76
    np.testing.assert_allclose(facility_twh, expected, rtol=1e-9)


def test_availability_profiles_stay_within_bounds(params):
    avail = params.availability_frac
    assert float(avail.min()) >= 0.0
    assert float(avail.max()) <= 1.0
    solar = avail.sel(tech="solar_pv", region="us_east")
    assert float(solar.min()) == 0.0  # nights


def test_scenario_knobs_reach_the_parameters():
    sc = em.load_scenario(
        SMALL,
        overrides={
            "prices.electricity_multiplier": {2025: 1.0, 2026: 1.5},
            "hardware.efficiency_multiplier": 10,
            "grid.max_new_connection_gw_per_yr": {"us_east": 1.5},
            "policy.committed_it_capacity_gw": {"europe": {2027: 3.0}},
            "supply.available_from_year": {"nuclear": 2026},
        },
    )
    base = em.build_params(em.load_scenario(SMALL))
    p = em.build_params(sc)
    ratio = p.grid_price_usd_per_mwh / base.grid_price_usd_per_mwh
    np.testing.assert_allclose(ratio.sel(year=[2026, 2030]), 1.5)
    np.testing.assert_allclose(p.tokens_per_kwh / base.tokens_per_kwh, 10.0)
    assert float(p.max_new_connection_gw_per_yr.sel(year=2025, region="us_east")) == 1.5
    # a 2027 commitment lands in the model year whose span (2026-2029) holds it
    assert float(p.committed_it_new_gw.sel(year=2026, region="europe")) == 3.0
    assert p.build_allowed_frac.sel(tech="nuclear").to_numpy().tolist() == [0.0, 1.0, 1.0]


def test_full_year_keeps_every_hour():
    p = em.build_params(
        em.load_scenario({**SMALL, "years": [2030], "time": {"representative_days": 365}})
    )
    assert p.sizes["timeslice"] == 8760
    np.testing.assert_allclose(p.timeslice_weight_h, 1.0)


def test_supply_build_limit_override_reaches_the_parameters():
    sc = em.load_scenario(SMALL, overrides={"supply.max_build_gw_per_yr": {"solar_pv": 120.0}})
    p = em.build_params(sc)
    np.testing.assert_allclose(p.max_build_gw_per_yr.sel(tech="solar_pv"), 120.0)


def test_a_demand_unit_that_contradicts_the_trajectory_is_reported():
    sc = em.load_scenario({**SMALL, "demand": {"unit": "TWh"}})  # bain_2025 rows are GW
    with pytest.raises(em.ScenarioError, match=r"demand\.unit: found 'TWh'; expected 'GW'"):
        em.build_params(sc)
