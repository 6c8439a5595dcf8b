"""The grid as a system (``model/grid_system.py``): hand-worked optima and duals.

Each system is built in code (``tests/tiny.py``: one region, one year of 8,760 h, cost of
capital 0 so an annuity is capex / life, money in M$ = $/kW for GW and $/MWh for TWh).
"""

from __future__ import annotations

import numpy as np
import pytest
import xarray as xr
from tiny import tiny_params, with_system

from energymodel.api import solve
from energymodel.results.counterfactual import counterfactual_params, with_counterfactual

COAL = {"existing_gw": 10.0, "variable_cost_usd_per_mwh": 20.0, "emissions_tco2_per_mwh": 1.0}
GAS = {"existing_gw": 10.0, "variable_cost_usd_per_mwh": 50.0, "emissions_tco2_per_mwh": 0.4}


def _system(other_gw: float | list[float], dc_twh: float = 8.76, **kwargs) -> xr.Dataset:
    fleet = kwargs.pop("fleet", {"coal": COAL, "gas": GAS})
    base = tiny_params(
        inference_twh=dc_twh,
        connection_capex_usd_per_kw=0.0,
        **{k: kwargs.pop(k) for k in list(kwargs) if k in ("day_hours", "days", "day_sequence")},
    )
    return with_system(base, fleet=fleet, other_load_gw=other_gw, **kwargs)


@pytest.mark.parametrize(("other_gw", "price"), [(12.0, 50.0), (8.0, 20.0)])
def test_merit_order_price_is_the_marginal_units_cost(other_gw, price):
    # other load + 1 GW of data centre: 13 GW needs gas (the marginal unit: 50 $/MWh);
    # 9 GW is met by coal alone (20 $/MWh), with coal not at its limit
    ds = solve(_system(other_gw))
    assert ds.attrs["optimal"]
    assert float(ds["grid_energy_price_usd_per_mwh"].squeeze()) == pytest.approx(price)
    # the data centre pays energy at that price: 8.76 TWh x price (M$)
    paid = float(ds["cost_musd"].sel(component="grid_energy").squeeze())
    assert paid == pytest.approx(8.76 * price)
    assert ds["grid_mode"].values.tolist() == ["system"]


def test_grid_carbon_is_the_dispatch_average():
    # 13 GW: coal 10 (1 t/MWh) + gas 3 (0.4 t/MWh): (10 + 1.2) / 13 t/MWh; the data centre's
    # 8.76 TWh carry that average (attributional)
    ds = solve(_system(12.0))
    intensity = (10 * 1.0 + 3 * 0.4) / 13
    assert float(ds["grid_carbon_avg_tco2_per_mwh"].squeeze()) == pytest.approx(intensity)
    assert float(ds["emissions_mtco2"].squeeze()) == pytest.approx(8.76 * intensity)
    assert float(ds["system_emissions_mtco2"].squeeze()) == pytest.approx(8.76 * 11.2)


def _peaker_system(peak_gw: float = 12.0, dc_twh: float = 0.0) -> xr.Dataset:
    # two hours of the year: 7,884 h at 11 GW of other load and 876 h at 13 GW. Coal 10 GW
    # (20 $/MWh); oil 5 GW (100 $/MWh) that is not accredited; a new CC (40 $/MWh, capex
    # 1,000 $/kW over 10 yr = 100 $/kW-yr) is the only accredited build. Adequacy asks for
    # 12 GW: CC = 2 GW. Building more to avoid oil would save 876 h x 60 $/MWh = 52.56
    # $/kW-yr < 100, so it does not: in the 13 GW hour oil sets the price (100), the CC
    # earns 60 $/MWh for 876 h, and the capacity price is 100 - 52.56 = 47.44 $/kW-yr.
    fleet = {
        "coal": {"existing_gw": 10.0, "variable_cost_usd_per_mwh": 20.0},
        "oil": {"existing_gw": 5.0, "variable_cost_usd_per_mwh": 100.0, "accreditation_frac": 0},
        "cc": {"variable_cost_usd_per_mwh": 40.0, "capex_usd_per_kw": 1000.0, "life_yr": 10.0},
    }
    return _system(
        [11.0, 13.0],
        dc_twh=dc_twh,
        fleet=fleet,
        other_peak_gw=peak_gw,
        day_hours=1,
        days=2,
        day_sequence=[0] * 9 + [1],
    )


def test_capacity_price_is_the_peakers_fixed_cost_less_its_energy_margin():
    ds = solve(_peaker_system())
    assert ds.attrs["optimal"]
    assert float(ds["fleet_capacity_new_gw"].sel(grid_tech="cc").squeeze()) == pytest.approx(2.0)
    prices = ds["grid_energy_price_usd_per_mwh"].squeeze().values
    assert prices == pytest.approx([40.0, 100.0])
    capacity = float(ds["capacity_price_usd_per_kw_yr"].squeeze())
    assert capacity == pytest.approx(100.0 - 876 * 60 / 1000)
    assert float(ds["capacity_price_usd_per_mw_day"].squeeze()) == pytest.approx(
        capacity * 1000 / 365
    )


def test_duals_match_finite_differences():
    # one more GW of peak costs the capacity price; one more GW of load in the 13 GW hour
    # costs the oil unit's 100 $/MWh for 876 h
    base = solve(_peaker_system(12.0)).attrs["objective_musd"]
    more_peak = solve(_peaker_system(12.1)).attrs["objective_musd"]
    assert (more_peak - base) / 0.1 == pytest.approx(47.44, rel=1e-6)
    params = _peaker_system()
    params["other_load_gw"][..., 1] += 0.1
    more_load = solve(params).attrs["objective_musd"]
    assert (more_load - base) / 0.1 == pytest.approx(100.0 * 876 / 1000, rel=1e-6)


def test_data_centre_firm_demand_pays_the_capacity_price():
    # the data centre's 1 GW connection joins the peak: the CC grows by 1 GW and the data
    # centre pays the capacity price on it (M$ = $/kW-yr x GW)
    ds = solve(_peaker_system(dc_twh=8.76))
    assert float(ds["grid_connection_gw"].squeeze()) == pytest.approx(1.0)
    assert float(ds["fleet_capacity_new_gw"].sel(grid_tech="cc").squeeze()) == pytest.approx(3.0)
    price = float(ds["capacity_price_usd_per_kw_yr"].squeeze())
    paid = float(ds["cost_musd"].sel(component="grid_capacity").squeeze())
    assert paid == pytest.approx(price * 1.0)


def test_counterfactual_differs_only_by_the_new_load():
    # data centres draw 2 GW in 2030, held at 2025's 1 GW in the counterfactual; other load
    # 8.5 GW. With them, 10.5 GW needs 0.5 GW of gas (price 50); without, 9.5 GW is coal
    # alone (price 20). Other consumers pay 30 $/MWh more in 2030 on 8.5 GW x 8,760 h =
    # 74.46 TWh; gas makes 4.38 TWh more and coal 4.38 TWh more (10 vs 9.5 GW): consequential
    # emissions 4.38 x 1.0 + 4.38 x 0.4 = 6.132 Mt.
    base = tiny_params(
        years=(2025, 2030),
        inference_twh={(2025, "r1"): 8.76, (2030, "r1"): 17.52},
        connection_capex_usd_per_kw=0.0,
        year_weight={2025: 1.0, 2030: 1.0},
    )
    params = with_system(base, fleet={"coal": COAL, "gas": GAS}, other_load_gw=8.5)
    res = solve(params)
    cf = solve(counterfactual_params(params))
    assert cf["it_energy_twh"].sum("workload").values.ravel() == pytest.approx([8.76, 8.76])
    out = with_counterfactual(res, cf)
    change = out["other_consumers_price_change_usd_per_mwh"].sel(region="r1")
    assert change.sel(year=2030).item() == pytest.approx(30.0)
    assert change.sel(year=2025).item() == pytest.approx(0.0, abs=1e-9)
    assert out["other_consumers_cost_change_busd"].sel(year=2030).item() == pytest.approx(
        74.46 * 30 / 1e3
    )
    gas = out["dc_caused_generation_twh"].sel(year=2030, grid_tech="gas").item()
    assert gas == pytest.approx(4.38)
    assert out["emissions_consequential_mtco2"].sel(year=2030).item() == pytest.approx(6.132)


def test_shed_other_load_caps_the_price_at_the_value_of_lost_load():
    # 21 GW of other load, 20 GW of plant and nothing to build: 1 GW is shed at 10,000 $/MWh
    ds = solve(_system(21.0, dc_twh=0.0))
    assert float(ds["system_shed_twh"].squeeze()) == pytest.approx(8.76)
    assert float(ds["grid_energy_price_usd_per_mwh"].squeeze()) == pytest.approx(10000.0)


def test_clean_standard_buys_clean_energy():
    # 60% of 10 GW of load must be clean: wind (always available, 3,000 $/kW over 10 yr
    # = 300 $/kW-yr, dearer than the 175.2 $/kW-yr of coal it saves) is built to 6 GW
    fleet = {
        "coal": COAL,
        "wind": {"capex_usd_per_kw": 3000.0, "clean_frac": 1.0, "accreditation_frac": 0.0},
    }
    ds = solve(_system(10.0, dc_twh=0.0, fleet=fleet, clean_standard=0.6))
    assert float(ds["fleet_capacity_new_gw"].sel(grid_tech="wind").squeeze()) == pytest.approx(6)


def test_hydro_energy_budget_and_storage_shift():
    # hydro 2 GW with a 25% energy budget and a 4 h store shifting cheap night power: the
    # day hour's price falls from gas's 50 when hydro and the store carry it
    fleet = {
        "coal": {"existing_gw": 10.0, "variable_cost_usd_per_mwh": 20.0},
        "gas": GAS,
        "hydro": {"existing_gw": 2.0, "energy_budget_frac": 0.25, "clean_frac": 1.0},
    }
    ds = solve(_system([8.0, 12.0], dc_twh=0.0, fleet=fleet, day_hours=2))
    hydro = float(ds["fleet_generation_twh"].sel(grid_tech="hydro").squeeze())
    assert hydro == pytest.approx(2.0 * 8.76 * 0.25)  # the whole budget, in the dear hour
    fleet["store"] = {"existing_gw": 1.0, "duration_h": 4.0, "roundtrip_efficiency_frac": 1.0}
    ds = solve(_system([8.0, 12.0], dc_twh=0.0, fleet=fleet, day_hours=2))
    gen = ds["fleet_generation_twh"]
    assert float(gen.sel(grid_tech="store").squeeze()) == pytest.approx(0.0, abs=1e-9)
    # the store charges 1 GW at night from coal and gives it back in the day
    assert float(gen.sel(grid_tech="coal").squeeze()) == pytest.approx((8 + 1 + 10) * 4.38)


def test_tariff_regions_keep_todays_model():
    # without system parameters, the data centre pays the tariff and nothing else is built
    params = tiny_params(grid_price_usd_per_mwh=50.0, connection_capex_usd_per_kw=0.0)
    ds = solve(params)
    assert ds["grid_mode"].values.tolist() == ["tariff"]
    assert float(ds["cost_musd"].sel(component="grid_energy").squeeze()) == pytest.approx(438)
    assert "capacity_price_usd_per_kw_yr" not in ds
    assert np.isclose(float(ds["grid_energy_price_usd_per_mwh"].squeeze()), 50.0)


def test_clean_matching_uses_the_grids_own_clean_share():
    # other load 10 GW on nuclear 5 GW (clean, 10 $/MWh) and coal 10 GW (20 $/MWh); the data
    # centre (1 GW) must be 40% clean hour by hour. On the measured share (0 here) it
    # builds 0.4 GW of on-site wind (34 $/MWh, dearer than coal); the grid's own share from dispatch (5 / 10.6 after the
    # first solve, 5 / 11 at the end) covers the 40%, so the second solve builds none.
    from types import SimpleNamespace

    from energymodel.api import _consistent_clean_share

    base = tiny_params(
        connection_capex_usd_per_kw=0.0,
        hourly_clean_share=0.4,
        techs={"wind": {"capex_usd_per_kw": 3000.0, "clean_frac": 1.0, "firm_credit_frac": 0}},
    )
    fleet = {
        "nuclear": {"existing_gw": 5.0, "variable_cost_usd_per_mwh": 10.0, "clean_frac": 1.0},
        "coal": {"existing_gw": 10.0, "variable_cost_usd_per_mwh": 20.0},
    }
    params = with_system(base, fleet=fleet, other_load_gw=10.0)
    first = solve(params)
    assert float(first["supply_capacity_gw"].sel(tech="wind").squeeze()) == pytest.approx(0.4)
    res, _, _ = _consistent_clean_share(first, params, SimpleNamespace(solver=None))
    assert res.attrs["grid_clean_share_rounds"] == 2
    assert float(res["supply_capacity_gw"].sel(tech="wind").squeeze()) == pytest.approx(0.0)
    share = float(res["grid_clean_share_frac"].squeeze())
    assert share == pytest.approx(5 / 11)
