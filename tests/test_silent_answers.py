"""No silent answers (issue 26): an unavailable solver method, uncertain settings checked
as strictly as sweeps, the method HiGHS actually used in the results."""

from __future__ import annotations

import logging
from pathlib import Path
from types import SimpleNamespace

import pytest

import energymodel as em
from energymodel.batch.cli import main
from energymodel.scenario import ScenarioError, load_scenario, options, validate_scenario
from energymodel.scenario.schema import SolverConfig
from energymodel.solve import highs

REPO = Path(__file__).resolve().parent.parent


def problems(source) -> list:
    with pytest.raises(ScenarioError) as err:
        load_scenario(source)
    return err.value.problems


@pytest.fixture
def no_hipo(monkeypatch):
    monkeypatch.setattr(options, "hipo_available", lambda: False)
    monkeypatch.setattr(highs, "hipo_available", lambda: False)


def test_hipo_without_extras_is_an_error_at_validation(no_hipo, tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text("years: [2030]\nsolver:\n  method: hipo\n")
    (problem,) = problems(path)
    assert (problem.key, problem.line) == ("solver.method", 3)
    assert "highspy-extras" in problem.expected
    swept = tmp_path / "swept.yaml"
    swept.write_text("sweep:\n  solver.method: [simplex, hipo]\n")
    (problem,) = problems(swept)
    assert (problem.key, problem.line) == ("sweep.solver.method[1]", 2)
    assert load_scenario({"name": "x", "solver": {"method": "ipm"}}).solver.method == "ipm"


def test_hipo_without_extras_is_refused_before_a_solve(no_hipo):
    cfg = SolverConfig.model_construct(method="hipo")  # skips validation, as code could
    with pytest.raises(highs.SolverUnavailableError, match="highspy-extras"):
        highs.new_highs(cfg)


def test_hipo_is_available_here():
    options.hipo_available.cache_clear()
    assert options.hipo_available()  # highspy-extras is a dependency (requirements.lock)


def fake_highs(simplex=0, ipm=0, pdlp=0):
    info = SimpleNamespace(
        simplex_iteration_count=simplex, ipm_iteration_count=ipm, pdlp_iteration_count=pdlp
    )
    return SimpleNamespace(getInfo=lambda: info)


@pytest.mark.parametrize(
    ("method", "counts", "warm", "used"),
    [
        ("choose", {"simplex": 5}, False, "simplex"),
        ("choose", {}, True, "simplex"),
        ("choose", {}, False, "presolve"),
        ("hipo", {"ipm": 9}, False, "hipo"),
        ("hipo", {"simplex": 3}, False, "simplex"),  # HiGHS's silent fallback
        ("ipx", {"ipm": 9, "simplex": 2}, False, "ipx"),
        ("ipm", {"ipm": 9}, False, "hipo"),
        ("pdlp", {"pdlp": 100}, False, "pdlp"),
    ],
)
def test_method_used_reads_the_iteration_counts(method, counts, warm, used):
    cfg = SolverConfig(method=method)
    assert highs.method_used(fake_highs(**counts), cfg, warm=warm) == used


def test_a_fallback_is_a_warning(caplog):
    with caplog.at_level(logging.WARNING, logger="energymodel.solve.highs"):
        highs.check_method("hipo", "simplex", "run1")
        highs.check_method("ipm", "ipx", "run2")
        highs.check_method("choose", "simplex", "run3")
    assert caplog.messages == ["run1: solver.method hipo was asked for, but HiGHS used simplex"]


def test_results_record_the_method_used():
    sc = {"name": "m", "years": [2030], "regions": ["us_texas"], "time": {"representative_days": 1}}
    res = em.run({**sc, "solver": {"method": "ipx"}})
    assert res.attrs["termination"] == "optimal"
    assert res.attrs["solver_method_used"] == "ipx"


# --- uncertain: as strict as sweep ---------------------------------------------------------

UNCERTAIN = """\
years: [2030]
uncertain:
  samples: 10
  distributions:
    finance.wac: {dist: uniform, low: 0.05, high: 0.1}
    demand.trajectory:
      dist: choice
      values:
        - iea_base
        - iea_bse
    finance.wacc: {dist: uniform, low: 0.05, high: 0.9}
"""


def test_an_unknown_uncertain_key_is_located_with_did_you_mean(tmp_path):
    path = tmp_path / "u.yaml"
    path.write_text(UNCERTAIN)
    found = problems(path)
    (unknown,) = [p for p in found if "wac'" in p.found]
    assert unknown.line == 5
    assert "did you mean 'finance.wacc'" in unknown.hint


def test_uncertain_bounds_are_checked_at_their_line(tmp_path):
    path = tmp_path / "u.yaml"
    path.write_text(
        UNCERTAIN.replace("    finance.wac: {dist: uniform, low: 0.05, high: 0.1}\n", "")
    )
    (high,) = problems(path)
    assert high.key == "uncertain.distributions.finance.wacc.high"
    assert high.line == 10
    assert "finance.wacc: a value <=" in high.expected


def test_a_choice_of_an_unknown_trajectory_is_caught_by_validate(tmp_path, capsys):
    path = tmp_path / "u.yaml"
    path.write_text(UNCERTAIN.replace("    finance.wac: {dist: uniform, low: 0.05, high: 0.1}\n", "")
                    .replace("high: 0.9", "high: 0.1"))  # fmt: skip
    (problem,) = validate_scenario(path)
    assert problem.key == "uncertain.distributions.demand.trajectory.values[1]"
    assert problem.line == 9
    assert "did you mean 'iea_base'" in problem.hint
    assert main(["--validate", str(path)]) == 1
    assert "iea_bse" in capsys.readouterr().err


def test_a_key_both_swept_and_sampled_is_refused():
    found = problems(
        {
            "name": "x",
            "sweep": {"finance": [{"wacc": 0.1}]},
            "uncertain": {"distributions": {"finance.wacc": {"dist": "uniform", "low": 0.05, "high": 0.1}}},
        }
    )  # fmt: skip
    (problem,) = found
    assert problem.key == "uncertain.distributions.finance.wacc"
    assert "not also swept (sweep: sets finance)" in problem.expected


def test_resolution_keys_cannot_be_sampled():
    for key in ("name", "extends", "sweep.finance.wacc", "uncertain.samples"):
        found = problems(
            {"name": "x", "uncertain": {"distributions": {key: {"dist": "choice", "values": [1]}}}}
        )
        assert any("cannot be swept or sampled" in p.expected for p in found), key


def test_the_shipped_uncertain_scenario_still_validates():
    assert validate_scenario(REPO / "scenarios" / "uncertainty.yaml") == []
