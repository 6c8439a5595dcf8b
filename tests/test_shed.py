"""Shed demand explains itself: limit duals in the results and the warning naming the cause.

Tiny systems (``tests/tiny.py``): 1 GW of inference (8.76 TWh), IT 200 M$/GW-yr, grid
connection 10 M$/GW-yr, grid energy 50 $/MWh, value of lost compute 20,000 $/MWh.
"""

from __future__ import annotations

import logging

import numpy as np
import pytest
from tiny import tiny_params

import energymodel as em
from energymodel.model import build_model
from energymodel.results import to_dataset
from energymodel.results.limits import LIMIT_VARIABLES
from energymodel.results.shed import explain_shed, shed_table
from energymodel.solve import solve_model

GAS = {"capex_usd_per_kw": 1000.0, "fuel_usd_per_mwh": 60.0}


def solve(**kwargs):
    params = tiny_params(**kwargs)
    m = build_model(params)
    return to_dataset(m, params, solve_model(m)), params


def one(da):
    return float(np.asarray(da).squeeze())


def test_every_limit_dual_is_in_the_results_with_units():
    ds, _ = solve(techs={"gas_ccgt": GAS}, emissions_cap=1000.0)
    for name, (units, _) in LIMIT_VARIABLES.items():
        assert name in ds, name
        assert ds[name].attrs["units"] == units
        assert float(ds[name].max()) == 0.0  # nothing binds in the plain system
    assert ds.attrs["shed_warning"] == ""


def test_it_build_limit_sheds_and_is_named_with_its_dual():
    # only 0.5 GW of IT may be built: 4.38 TWh of the 8.76 TWh demanded is shed. One
    # more GW built serves 8.76 TWh more: 8.76 x 20,000 - (200 + 10 + 438) = 174,552 $/kW.
    ds, _params = solve(it_max_build_gw_per_yr=0.5)
    assert one(ds.unserved_it_energy_twh.sum()) == pytest.approx(4.38, rel=1e-6)
    assert one(ds.it_build_limit_dual_usd_per_kw) == pytest.approx(174_552.0, rel=1e-6)
    warning = ds.attrs["shed_warning"]
    assert "4.38 TWh of inference in 2030 in r1" in warning
    assert "the IT (accelerator) build limit in 2030" in warning
    assert "raise hardware.max_build_gw_per_yr" in warning
    assert "with demand shed" in warning
    assert shed_table(ds) == [(2030, "r1", "inference", pytest.approx(4.38))]


def test_connection_ceiling_sheds_and_is_named():
    # grid only, at most 0.5 GW of connection: half the demand is shed
    ds, _ = solve(connection_ceiling_gw=0.5)
    assert one(ds.unserved_it_energy_twh.sum()) == pytest.approx(4.38, rel=1e-6)
    assert one(ds.grid_connection_ceiling_dual_usd_per_kw_yr) > 0
    warning = ds.attrs["shed_warning"]
    assert "the grid-connection ceiling in r1 in 2030" in warning
    assert "grid.connection_ceiling_gw.r1" in warning


def test_technology_build_limit_and_connection_limit_are_both_named():
    # 0.25 GW of connection and 0.25 GW of gas: 0.5 GW of the 1 GW demand is shed
    gas = {**GAS, "max_build_gw_per_yr": 0.25}
    ds, _ = solve(max_new_connection_gw_per_yr=0.25, techs={"gas_ccgt": gas})
    assert one(ds.unserved_it_energy_twh.sum()) == pytest.approx(4.38, rel=1e-6)
    assert one(ds.supply_build_limit_dual_usd_per_kw.sel(tech="gas_ccgt")) > 0
    assert one(ds.grid_connection_limit_dual_usd_per_kw_yr) > 0
    warning = ds.attrs["shed_warning"]
    assert "the gas_ccgt build limit in 2030" in warning
    assert "supply.max_build_gw_per_yr.gas_ccgt" in warning
    assert "grid.max_new_connection_gw_per_yr.r1" in warning


def test_shed_without_a_binding_limit_says_serving_costs_more_than_lost_compute():
    # lost compute worth 10 $/MWh, serving it 74 $/MWh: all of it is shed, nothing binds
    ds, _ = solve(unserved_penalty=10.0)
    assert one(ds.unserved_it_energy_twh.sum()) == pytest.approx(8.76, rel=1e-6)
    assert "no limit binds" in ds.attrs["shed_warning"]
    assert "10 $/MWh" in ds.attrs["shed_warning"]


def test_a_generation_available_after_the_last_year_is_named():
    # the second generation comes in 2031, after the only model year; the first (the
    # fleet in service) cannot be bought either: all the demand is shed
    gens = {"old": {"ratio": 1.0, "capex": 1000.0, "first": 2031},
            "late": {"ratio": 2.0, "capex": 1000.0, "first": 2031}}  # fmt: skip
    ds, params = solve(accelerators=gens)
    assert one(ds.unserved_it_energy_twh.sum()) == pytest.approx(8.76, rel=1e-6)
    warning = ds.attrs["shed_warning"]
    assert "hardware.accelerators old, late can be bought in no model year" in warning
    assert explain_shed(ds, params) == warning


def test_a_late_generation_is_named_even_when_nothing_is_shed():
    gens = {"old": {"ratio": 1.0, "capex": 1000.0, "first": 2000},
            "late": {"ratio": 2.0, "capex": 1000.0, "first": 2031}}  # fmt: skip
    ds, _ = solve(accelerators=gens)
    assert one(ds.unserved_it_energy_twh.sum()) == pytest.approx(0.0, abs=1e-9)
    assert ds.attrs["shed_warning"].startswith("no demand shed, but hardware.accelerators late")


def test_run_logs_a_warning_naming_an_unavailable_generation(caplog):
    sc = {
        "name": "late_generations",
        "regions": ["us_texas"],
        "years": [2025, 2026],
        "time": {"representative_days": 1, "extreme_days": "off"},
        "demand": {"service": "tokens"},
        "hardware": {
            "accelerators": ["h100", "next_gen"],
            "accelerator_available_from_year": {"h100": 2031, "next_gen": 2031},
        },
    }
    with caplog.at_level(logging.INFO, logger="energymodel"):
        res = em.run(sc)
    assert res.attrs["termination"] == "optimal"
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1
    text = warnings[0].getMessage()
    assert text.startswith("late_generations: demand shed:")
    assert "h100, next_gen can be bought in no model year" in text
    # a one-region run gets its share of the world-wide limits, and says so
    assert "apportioned to us_texas" in res.attrs["world_limits"]
    assert any("apportioned to us_texas" in r.getMessage() for r in caplog.records)


def test_a_limit_that_binds_only_slightly_is_not_called_the_cause():
    # 4.38 TWh shed; pretend the only binding limit is a grid connection worth 10 $/kW-yr
    # (~1.1 $/MWh against 20,000 $/MWh of lost compute): it is listed as minor, and the
    # cause is that serving costs more than lost compute is worth
    ds, params = solve(it_max_build_gw_per_yr=0.5)
    ds["it_build_limit_dual_usd_per_kw"] = ds["it_build_limit_dual_usd_per_kw"] * 0.0
    ds["grid_connection_limit_dual_usd_per_kw_yr"] = (
        ds["grid_connection_limit_dual_usd_per_kw_yr"] * 0.0 + 10.0
    )
    warning = explain_shed(ds, params)
    assert "cause: no limit binds much" in warning
    assert "limits that bind only slightly: the yearly grid-connection limit in r1" in warning
