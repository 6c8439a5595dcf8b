"""solve.py: solver options, and outcomes other than optimal are reported, not raised."""

from __future__ import annotations

import pytest
from tiny import tiny_params

import energymodel as em
from energymodel.scenario.schema import SolverConfig

CASE = {
    "name": "solver_options",
    "regions": ["us_east", "europe"],
    "years": [2025, 2026],
    "time": {"representative_days": 2},
}


@pytest.fixture(scope="module")
def params():
    return em.build_params(em.load_scenario(CASE))


def test_methods_agree(params):
    simplex = em.solve(params, SolverConfig(method="simplex"))
    ipm = em.solve(params, SolverConfig(method="ipm"))
    assert simplex.attrs["termination"] == ipm.attrs["termination"] == "optimal"
    assert ipm.attrs["objective_musd"] == pytest.approx(simplex.attrs["objective_musd"], rel=1e-6)


def test_time_limit_is_reported_not_raised(params):
    res = em.solve(params, SolverConfig(time_limit_s=0.001))
    assert res.attrs["termination"] == "maxTimeLimit"
    assert res.attrs["optimal"] == 0
    assert "it_capacity_gw" not in res  # no primal values from an unfinished solve


def test_run_reports_an_infeasible_scenario_without_economics():
    params = tiny_params(committed_it_new_gw={(2030, "r1"): 2.0}, it_max_build_gw_per_yr=1.0)
    res = em.solve(params)
    assert res.attrs["termination"] == "infeasible"
    assert res.attrs["diagnosis"] == "it_capacity"


def test_a_constant_row_that_cannot_hold_is_infeasible_not_a_crash():
    # every variable of a row fixed: the compiler meets "0 >= 1" before HiGHS does
    import pyomo.environ as pyo

    from energymodel.model import build_model
    from energymodel.solve import solve_model

    m = build_model(tiny_params())
    m.it_new_gw[2030, "r1"].fix(0.0)
    m.impossible = pyo.Constraint(expr=m.it_new_gw[2030, "r1"] >= 1.0)
    result = solve_model(m)
    assert result.termination == "infeasible"
    assert not result.optimal


def test_missing_solver_is_a_clear_error(monkeypatch):
    import importlib

    from energymodel.model import build_model

    solve_module = importlib.import_module("energymodel.solve")  # em.solve is the function
    highs_module = importlib.import_module("energymodel.solve.highs")

    monkeypatch.setattr(highs_module, "highspy", None)
    with pytest.raises(solve_module.SolverUnavailableError, match="install the highspy package"):
        solve_module.solve_model(build_model(tiny_params()))


def test_a_full_year_plan_prices_with_devex_and_other_lps_as_highs_chooses():
    # solver.dual_pricing auto: devex where the plan holds all 8,760 hours (the yearly IT
    # columns in every hour's rows make steepest-edge updates dear there), HiGHS's own
    # choice for fewer days and for the full-year check's dispatch; a choice made stays
    from energymodel.model import build_model
    from energymodel.results import to_dataset
    from energymodel.solve import solve_model

    full = tiny_params(day_hours=24, days=365)
    short = tiny_params(day_hours=24, days=2)
    plan = solve_model(build_model(full))
    assert plan.dual_pricing == "devex"
    assert solve_model(build_model(short)).dual_pricing == "choose"
    check = solve_model(build_model(full.assign(dispatch_check_flag=1.0)), diagnose=False)
    assert check.dual_pricing == "choose"
    asked = solve_model(build_model(full), SolverConfig(dual_pricing="steepest_edge"))
    assert asked.dual_pricing == "steepest_edge"
    assert asked.objective_musd == pytest.approx(plan.objective_musd, rel=1e-9)
    m = build_model(full)
    ds = to_dataset(m, full, solve_model(m))
    assert ds.attrs["solver_dual_pricing"] == "devex"
