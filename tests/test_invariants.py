"""Invariants of a solved scenario on the shipped inputs: balances close, nothing is lost."""

from __future__ import annotations

import numpy as np
import pytest
import xarray as xr

import energymodel as em

SMALL = {
    "name": "invariants",
    "regions": ["us_east", "us_texas", "china"],
    "years": [2025, 2026, 2027],
    "time": {"representative_days": 2},
    "policy": {"carbon_price_usd_per_tco2": 50, "committed_it_capacity_gw": {"china": {2026: 5}}},
}


@pytest.fixture(scope="module")
def solved():
    sc = em.load_scenario(SMALL)
    params = em.build_params(sc)
    return params, em.economics.evaluate(em.solve(params, sc.solver), params)


def test_optimal(solved):
    _, res = solved
    assert res.attrs["termination"] == "optimal"


def test_served_plus_unserved_is_demand(solved):
    params, res = solved
    total = res.it_energy_twh + res.unserved_it_energy_twh
    # inference per region; training is one pool, so compare its world total
    xr.testing.assert_allclose(
        total.sel(workload="inference"), params.demand_it_twh.sel(workload="inference")
    )
    np.testing.assert_allclose(
        total.sel(workload="training").sum("region"),
        params.demand_it_twh.sel(workload="training").sum("region"),
        rtol=1e-7,
    )


def test_energy_balance_closes(solved):
    params, res = solved
    # supply of every source (grid, generators, battery net) = IT energy x PUE
    supply = res.generation_twh.sum("tech")
    demand = res.it_energy_twh.sum("workload") * params.pue_ratio
    np.testing.assert_allclose(supply, demand, rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(res.facility_energy_twh, demand, rtol=1e-6, atol=1e-6)


def test_no_negative_capacity(solved):
    _, res = solved
    for name in (
        "it_capacity_gw",
        "supply_capacity_gw",
        "it_capacity_new_gw",
        "supply_capacity_new_gw",
    ):
        assert float(res[name].min()) >= -1e-7, name


def test_costs_add_up_to_the_objective(solved):
    params, res = solved
    weight = params.discount_factor_ratio * params.year_weight_yr
    yearly = res.cost_musd.sum(["region", "component"])
    if "system_cost_musd" in res:  # a system grid: its costs are in the objective, and
        # the data centres' payments at the duals (in cost_musd) are not
        yearly = yearly + res.system_cost_musd.sum(["region", "system_component"])
        yearly = yearly - res.dc_grid_price_payment_musd.sum("region")
    total = float((yearly * weight).sum())
    assert total == pytest.approx(res.attrs["objective_musd"], rel=1e-7)


def test_it_load_within_capacity(solved):
    params, res = solved
    peak = res.it_load_gw.sum("workload").max("timeslice")
    assert bool((peak <= res.it_capacity_gw * params.max_draw_frac + 1e-6).all())
    np.testing.assert_allclose(res.it_peak_gw, peak)
    # an average, not an hourly ceiling: yearly IT energy within the average utilisation
    energy = res.it_energy_twh.sum("workload")
    limit = res.it_capacity_gw * params.avg_utilisation_frac * 8.76
    assert bool((energy <= limit + 1e-6).all())


def test_flexible_load_keeps_each_days_energy(solved):
    params, res = solved
    load = res.it_load_gw.groupby("timeslice_day").sum()
    shape = params.inference_shape_ratio.groupby("timeslice_day").sum()
    served = res.it_energy_twh.sel(workload="inference") / 8.76  # mean GW
    np.testing.assert_allclose(load.sel(workload="inference"), served * shape, rtol=1e-6, atol=1e-6)


def test_committed_capacity_is_built(solved):
    _, res = solved
    assert float(res.it_capacity_new_gw.sel(year=2026, region="china")) >= 5 - 1e-9


def test_every_result_has_units(solved):
    _, res = solved
    for name, var in res.data_vars.items():
        assert var.attrs.get("units"), name
        assert var.attrs.get("long_name"), name


def test_results_round_trip_through_netcdf(solved, tmp_path):
    _, res = solved
    res.to_netcdf(tmp_path / "r.nc")
    back = xr.load_dataset(tmp_path / "r.nc")
    xr.testing.assert_allclose(back.it_capacity_gw, res.it_capacity_gw)
    assert back.attrs["scenario"] == "invariants"
