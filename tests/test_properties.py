"""Properties of the LP on the tiny system, over many random inputs (hypothesis)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from tiny import tiny_params

from energymodel.model import build_model
from energymodel.results import to_dataset
from energymodel.solve import solve_model

GAS = {"capex_usd_per_kw": 1000.0, "fuel_usd_per_mwh": 60.0}
SOLAR = {"capex_usd_per_kw": 800.0, "firm_credit_frac": 0.0, "clean_frac": 1.0}
BATTERY = {"capex_usd_per_kw": 900.0, "duration_h": 4.0, "roundtrip_efficiency_frac": 0.85}

shapes = st.lists(st.floats(min_value=0.2, max_value=2.0), min_size=4, max_size=4)


def solved(twh: float, shape: list[float], limit: float):
    mean = float(np.mean(shape))
    params = tiny_params(
        day_hours=4,
        inference_twh=twh,
        inference_shape=[s / mean for s in shape],
        max_new_connection_gw_per_yr=limit,
        techs={"gas_ccgt": GAS, "solar_pv": SOLAR, "battery": BATTERY},
        availability={"solar_pv": [0.0, 0.8, 0.6, 0.0]},
    )
    m = build_model(params)
    result = solve_model(m)
    return result, to_dataset(m, params, result)


@settings(max_examples=15, deadline=None)
@given(
    twh=st.floats(min_value=0.1, max_value=20.0),
    scale=st.floats(min_value=1.0, max_value=3.0),
    shape=shapes,
    limit=st.floats(min_value=0.0, max_value=5.0),
)
def test_more_demand_never_costs_less(twh, scale, shape, limit):
    small, _ = solved(twh, shape, limit)
    big, _ = solved(twh * scale, shape, limit)
    assert big.objective_musd >= small.objective_musd - 1e-6


@settings(max_examples=15, deadline=None)
@given(twh=st.floats(min_value=0.1, max_value=20.0), shape=shapes, limit=st.floats(0.0, 5.0))
def test_balances_close_and_costs_add_up(twh, shape, limit):
    result, ds = solved(twh, shape, limit)
    assert result.optimal
    served = float(ds.it_energy_twh.sum() + ds.unserved_it_energy_twh.sum())
    assert abs(served - twh) < 1e-6 * max(1.0, twh)
    supply = float(ds.generation_twh.sum())
    assert abs(supply - float(ds.facility_energy_twh.sum())) < 1e-6 * max(1.0, supply)
    assert abs(float(ds.cost_musd.sum()) - result.objective_musd) < 1e-6 * result.objective_musd
    assert float(ds.supply_capacity_gw.min()) >= -1e-9
