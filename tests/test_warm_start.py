"""Warm starts: runs of the same LP structure start from the last optimal basis, and give
the same results as cold solves (within the solver tolerance)."""

from __future__ import annotations

import importlib

import pytest
import xarray as xr

import energymodel as em
from energymodel.batch import run_batch
from energymodel.scenario.schema import SolverConfig
from energymodel.solve import set_warm_start

CASE = {
    "name": "warm",
    "regions": ["us_east", "us_texas"],
    "years": [2025, 2027, 2030],
    # warm starts of the plan: the full-year check's critical days would change its structure
    "time": {"representative_days": 1, "check": "none"},
}
# costs, prices and limits that differ run to run: same structure, different numbers
CHANGES = [
    {"finance": {"wacc": 0.06 + 0.03 * i}, "prices": {"electricity_multiplier": 1 + 0.2 * i},
     "grid": {"connection_limit_multiplier": 1.5 - 0.3 * i}}
    for i in range(4)
]  # fmt: skip
COMPARED = (
    "it_capacity_gw",
    "supply_capacity_gw",
    "world_avg_cost_usd_per_mtok",
    "world_break_even_revenue_musd",
    "power_price_usd_per_mwh",
    "marginal_cost_usd_per_mtok",
)
DISPATCH = ("generation_twh",)
"""Not unique at the optimum: zero-cost sources may be curtailed in either order, and gas
or the grid may serve a tied hour, so two bases of the same optimal face differ a little.
Emissions are left out: on a system grid the hourly intensity that data centres' draw
carries depends on which of two tied plants runs in which hour."""


def _scenarios():
    return [em.load_scenario({**CASE, "name": f"warm{i}", **c}) for i, c in enumerate(CHANGES)]


def _run_all(warm: bool):
    from energymodel.solve import clear_warm_starts

    set_warm_start(warm)
    clear_warm_starts()
    return [em.run(sc) for sc in _scenarios()]


@pytest.fixture(scope="module")
def cold_and_warm():
    cold = _run_all(False)
    warm = _run_all(True)
    set_warm_start(True)
    return cold, warm


def test_warm_starts_after_the_first_run_and_saves_iterations(cold_and_warm):
    cold, warm = cold_and_warm
    assert [ds.attrs["warm_start"] for ds in warm] == [0, 1, 1, 1]
    assert [ds.attrs["warm_start"] for ds in cold] == [0, 0, 0, 0]
    saved = sum(c.attrs["simplex_iterations"] for c in cold[1:])
    used = sum(w.attrs["simplex_iterations"] for w in warm[1:])
    assert used < 0.5 * saved


def test_warm_results_equal_cold_results_within_tolerance(cold_and_warm):
    for cold, warm in zip(*cold_and_warm, strict=True):
        assert warm.attrs["objective_musd"] == pytest.approx(cold.attrs["objective_musd"], rel=1e-7)
        for names, rel in ((COMPARED, 1e-6), (DISPATCH, 1e-3)):
            for name in names:
                scale = float(abs(cold[name]).max()) or 1.0
                assert float(abs(warm[name] - cold[name]).max()) <= rel * scale, name


def test_a_different_structure_starts_cold():
    em.run(em.load_scenario({**CASE, "name": "five"}))
    other = em.run(em.load_scenario({**CASE, "name": "six", "hardware": {"it_life_yr": 6}}))
    again = em.run(em.load_scenario({**CASE, "name": "five_again", "finance": {"wacc": 0.1}}))
    assert other.attrs["warm_start"] == 0  # IT life changes the retirement rows
    assert again.attrs["warm_start"] == 1  # the basis of IT life 5 is still kept


def test_ipm_and_cold_mode_never_warm_start():
    params = em.build_params(em.load_scenario(CASE))
    for _ in range(2):
        assert em.solve(params, SolverConfig(method="ipm")).attrs["warm_start"] == 0
    set_warm_start(False)
    for _ in range(2):
        assert em.solve(params).attrs["warm_start"] == 0


def test_a_warm_attempt_over_its_budget_is_solved_cold(monkeypatch):
    solve_module = importlib.import_module("energymodel.solve.warm")
    first, second = _scenarios()[:2]
    em.run(first)
    monkeypatch.setattr(solve_module, "WARM_ITERATION_SHARE", 0.0)
    monkeypatch.setattr(solve_module, "_WARM_MIN_ITERATIONS", 1)
    res = em.run(second)
    set_warm_start(False)
    cold = em.run(second)
    assert res.attrs["termination"] == "optimal"
    assert res.attrs["warm_start"] == 0  # the attempt hit its budget; solved again cold
    assert res.attrs["objective_musd"] == pytest.approx(cold.attrs["objective_musd"], rel=1e-7)


def test_batch_warm_and_cold_write_the_same_results(tmp_path):
    runs = _scenarios()[:2]
    cold = run_batch(runs, tmp_path / "cold", warm=False)
    warm = run_batch(runs, tmp_path / "warm")
    assert [s.status for s in cold] == [s.status for s in warm] == ["optimal"] * 2
    assert [xr.load_dataset(s.path).attrs["warm_start"] for s in warm] == [0, 1]
    for c, w in zip(cold, warm, strict=True):
        a, b = xr.load_dataset(c.path), xr.load_dataset(w.path)
        assert b.attrs["objective_musd"] == pytest.approx(a.attrs["objective_musd"], rel=1e-7)
        xr.testing.assert_allclose(a["it_capacity_gw"], b["it_capacity_gw"], atol=1e-6)


def test_same_only_starts_warm_only_where_no_more_than_the_costs_changed():
    # the full-year check's year-long LPs: another run's basis costs more than it saves
    from energymodel.model import build_model
    from energymodel.solve import solve_model

    def solve(change: dict):
        params = em.build_params(em.load_scenario({**CASE, **change}))
        return solve_model(build_model(params), warm="same").warm_start

    solve({})
    assert not solve({"grid": {"connection_limit_multiplier": 0.5}})  # limits changed
    assert solve({"grid": {"connection_limit_multiplier": 0.5}})  # the same LP again
    assert solve({"grid": {"connection_limit_multiplier": 0.5}, "finance": {"wacc": 0.12}})


def test_myopic_steps_leave_the_plans_basis_for_the_next_run():
    # a refined run stores a basis per year and round (18 in three rounds): in one store
    # with the plans' bases they pushed out the basis the next run of a sweep starts from
    import highspy

    from energymodel.solve import clear_warm_starts

    warm = importlib.import_module("energymodel.solve.warm")
    lp = highspy.HighsLp()  # min x + 2y  s.t.  x + y >= 1,  0 <= x, y <= 1: x = 1
    lp.num_col_, lp.num_row_ = 2, 1
    lp.col_cost_, lp.col_lower_, lp.col_upper_ = [1.0, 2.0], [0.0, 0.0], [1.0, 1.0]
    lp.row_lower_, lp.row_upper_ = [1.0], [highspy.kHighsInf]
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_, lp.a_matrix_.index_, lp.a_matrix_.value_ = [0, 1, 2], [0, 0], [1, 1]
    cfg = SolverConfig()
    clear_warm_starts()
    assert not warm.run_warm(lp, cfg)[2]  # the plan: nothing stored yet, cold
    years = range(warm._WARM_CAPACITY + 2)  # more steps than the plans' store holds
    for year in years:
        h, termination, _ = warm.run_warm(lp, cfg, step=(year, False))
        assert termination == "optimal"
        assert h.getSolution().col_value[0] == pytest.approx(1.0)
    assert warm.run_warm(lp, cfg, step=(years[-1], False))[2]  # a step starts from its own
    assert warm.run_warm(lp, cfg)[2]  # so does the plan (was: its basis pushed out, cold)
