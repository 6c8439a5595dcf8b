"""Limits on what a file may cost (issue 26): hostile or oversized files are refused
early, with a message naming the limit and how to raise it, never a traceback."""

from __future__ import annotations

import time
import tracemalloc
from pathlib import Path

import pytest

from energymodel.batch.cli import main
from energymodel.data.tables import InputError, load_inputs
from energymodel.limits import ALL, PROBLEMS, LimitSettingError, capped_lines
from energymodel.scenario import ScenarioError, load_scenario, parse_set_option
from energymodel.scenario.problems import Problem

REPO = Path(__file__).resolve().parent.parent


def laughs(levels: int = 9) -> str:
    """A "billion laughs" file: 10 ** levels values from a few hundred bytes."""
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for i in range(1, levels + 1):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]")
    return "\n".join(lines) + "\n"


def problems(path: Path | str | dict) -> list[Problem]:
    with pytest.raises(ScenarioError) as err:
        load_scenario(path)
    return err.value.problems


def test_billion_laughs_is_refused_fast_and_small(tmp_path):
    path = tmp_path / "laughs.yaml"
    path.write_text(laughs())
    tracemalloc.start()
    start = time.perf_counter()
    try:
        (problem,) = problems(path)
    finally:
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    assert time.perf_counter() - start < 2.0
    assert peak < 20e6, f"peak {peak / 1e6:.0f} MB"  # expanded, it would be ~1e9 values
    assert problem.file == str(path)
    assert problem.line is not None
    assert "ENERGYMODEL_MAX_YAML_NODES" in str(problem)
    assert "aliases are expanded" in problem.found


def test_many_aliases_are_refused_before_expansion(tmp_path, monkeypatch):
    monkeypatch.setenv("ENERGYMODEL_MAX_YAML_ALIASES", "5")
    path = tmp_path / "a.yaml"
    path.write_text("x: &x 1\nl: [" + ", ".join(["*x"] * 6) + "]\n")
    (problem,) = problems(path)
    assert problem.found == "6 aliases"
    assert "ENERGYMODEL_MAX_YAML_ALIASES" in problem.expected
    assert "at most 5 YAML aliases" in problem.expected


def test_a_few_aliases_still_work(tmp_path):
    path = tmp_path / "a.yaml"
    path.write_text("years: &y [2025, 2030]\nregions: [us_east]\nsweep: {years: [*y, [2030]]}\n")
    assert load_scenario(path).years == [2025, 2030]


def test_deep_nesting_gives_a_message_not_a_recursion_error(tmp_path):
    path = tmp_path / "deep.yaml"
    path.write_text("x: " + "[" * 100_000 + "]" * 100_000 + "\n")
    (problem,) = problems(path)
    assert problem.line == 1
    assert "nested 51 deep" in problem.found
    assert "ENERGYMODEL_MAX_YAML_DEPTH" in problem.expected


def test_depth_limit_can_be_raised(tmp_path, monkeypatch):
    path = tmp_path / "deep.yaml"
    path.write_text("description: x\nx: " + "[" * 60 + "]" * 60 + "\n")
    monkeypatch.setenv("ENERGYMODEL_MAX_YAML_DEPTH", "100")
    (problem,) = problems(path)  # passes the depth limit, then the schema speaks
    assert "unknown key 'x'" in problem.found


def test_oversized_scenario_file_is_refused_unread(tmp_path, monkeypatch):
    monkeypatch.setenv("ENERGYMODEL_MAX_SCENARIO_BYTES", "1000")
    path = tmp_path / "big.yaml"
    path.write_text("description: " + "x" * 2000 + "\n")
    (problem,) = problems(path)
    assert problem.found == "a file of 2,014 bytes"
    assert "ENERGYMODEL_MAX_SCENARIO_BYTES" in problem.expected


def test_set_values_have_the_same_limits():
    with pytest.raises(ScenarioError) as err:
        parse_set_option("x=" + "[" * 100 + "]" * 100)
    assert "ENERGYMODEL_MAX_YAML_DEPTH" in str(err.value)


def test_a_bad_limit_setting_is_named(monkeypatch):
    monkeypatch.setenv("ENERGYMODEL_MAX_YAML_DEPTH", "lots")
    with pytest.raises(LimitSettingError, match="ENERGYMODEL_MAX_YAML_DEPTH='lots'"):
        load_scenario(str(REPO / "scenarios" / "baseline.yaml"))
    code = main(["--validate", str(REPO / "scenarios" / "baseline.yaml")])
    assert code == 2  # a usage error, printed as one line


def test_every_limit_is_documented():
    docs = (REPO / "docs" / "limits.md").read_text(encoding="utf-8")
    for limit in ALL:
        assert limit.env in docs
        assert f"{limit.default:,}" in docs
    assert "ENERGYMODEL_ALLOWED_PATHS" in docs


def test_sweep_combinations_are_capped_before_expansion():
    sweep = {f"demand.region_scale.r{i}": [1 + 0.1 * j for j in range(10)] for i in range(7)}
    start = time.perf_counter()
    found = problems({"name": "big", "sweep": sweep})
    assert time.perf_counter() - start < 5.0
    capped = [p for p in found if p.key == "sweep"]
    assert capped
    assert "= 10,000,000 runs" in capped[0].found
    assert "ENERGYMODEL_MAX_SWEEP_RUNS" in capped[0].expected


def test_sweep_cap_can_be_raised(monkeypatch):
    monkeypatch.setenv("ENERGYMODEL_MAX_SWEEP_RUNS", "3")
    found = problems({"name": "s", "sweep": {"finance.wacc": [0.05, 0.06, 0.07, 0.08]}})
    assert [p.found for p in found] == ["a sweep of 4 = 4 runs"]
    monkeypatch.setenv("ENERGYMODEL_MAX_SWEEP_RUNS", "4")
    load_scenario({"name": "s", "sweep": {"finance.wacc": [0.05, 0.06, 0.07, 0.08]}})


def test_capped_lines_counts_the_rest(monkeypatch):
    monkeypatch.setenv("ENERGYMODEL_MAX_PROBLEMS", "3")
    lines = capped_lines(list(range(200_000)), "- ")
    assert lines[:3] == ["- 0", "- 1", "- 2"]
    assert lines[3].startswith("- and 199,997 more problems")
    assert PROBLEMS.env in lines[3]
    assert capped_lines([1, 2, 3]) == ["1", "2", "3"]


@pytest.fixture
def many_bad_rows(tmp_path):
    """An inputs folder whose technologies.csv has 20,000 rows with a bad value."""
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    for path in (REPO / "inputs").glob("*.csv"):
        (inputs / path.name).write_bytes(path.read_bytes())
    with (inputs / "technologies.csv").open("a", encoding="utf-8") as fh:
        fh.write("gas_ccgt,,2030,capex_usd_per_kw,lots,USD/kW,x\n" * 2_000)
    (tmp_path / "s.yaml").write_text("inputs_dir: inputs\nregions: [us_east]\n")
    return tmp_path


def test_input_problems_are_capped_with_a_count(many_bad_rows):
    with pytest.raises(InputError) as err:
        load_inputs(many_bad_rows / "inputs")
    assert len(err.value.problems) == 2_000  # all kept for code
    text = str(err.value)
    assert text.count("found 'lots'") == PROBLEMS.default
    assert f"and {2_000 - PROBLEMS.default:,} more problems" in text


def test_validate_prints_a_capped_list(many_bad_rows, capsys, monkeypatch):
    monkeypatch.chdir(many_bad_rows)
    code = main(["--validate", "s.yaml", "--scenarios-dir", str(many_bad_rows)])
    err = capsys.readouterr()
    assert code == 1
    assert err.err.count("found 'lots'") == PROBLEMS.default
    assert f"and {2_000 - PROBLEMS.default:,} more problems" in err.err
    assert len(err.err) < 20_000
    assert "2,000 problem(s)" in err.out


def test_scenario_error_text_is_capped(monkeypatch):
    monkeypatch.setenv("ENERGYMODEL_MAX_PROBLEMS", "2")
    err = ScenarioError([Problem("f", i, "k", "x", "y") for i in range(1, 6)])
    assert len(err.problems) == 5
    assert str(err).splitlines()[-1].startswith("and 3 more problems")


def test_an_empty_scenario_file_is_an_error(tmp_path):
    for text in ("", "# only a comment\n", "---\n"):
        path = tmp_path / "empty.yaml"
        path.write_text(text)
        (problem,) = problems(path)
        assert problem.found == "an empty file"
        assert "description: defaults" in problem.hint


def test_a_scalar_file_is_described_not_quoted(tmp_path):
    path = tmp_path / "secret.yaml"
    path.write_text("hunter2 is the password\n")
    (problem,) = problems(path)
    assert "hunter2" not in str(problem)
    assert problem.found == "text (23 characters), not a mapping"
