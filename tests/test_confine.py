"""Where a scenario file may read from, and one way to resolve a scenario (issues 26, 28)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from energymodel.batch.cli import main
from energymodel.scenario import ScenarioError, load_scenario, validate_scenario
from energymodel.scenario.problems import Problem

REPO = Path(__file__).resolve().parent.parent
SECRET = "root_password: hunter2\napi_key: abc123\n"


def problems(source, **kwargs) -> list[Problem]:
    with pytest.raises(ScenarioError) as err:
        load_scenario(source, **kwargs)
    return err.value.problems


@pytest.fixture
def outside(tmp_path):
    """A scenario folder and, beside it, a folder it must not reach."""
    scen = tmp_path / "mine"
    scen.mkdir()
    other = tmp_path / "elsewhere"
    other.mkdir()
    (other / "secret.yaml").write_text(SECRET)
    (other / "secret.txt").write_text(SECRET)
    for name in ("demand.csv", "regions.csv"):
        (other / name).write_text("secret,values\n1,2\n")
    return scen, other


def test_extends_outside_the_scenario_folders_is_refused_unread(outside):
    scen, _ = outside
    path = scen / "s.yaml"
    path.write_text("extends: ../elsewhere/secret.yaml\n")
    (problem,) = problems(path)
    assert problem.file == str(path)
    assert problem.line == 1
    assert problem.key == "extends"
    assert "outside the scenario folders and the project" in problem.found
    assert "ENERGYMODEL_ALLOWED_PATHS" in problem.expected
    assert "hunter2" not in str(problem)
    assert "root_password" not in str(problem)


def test_extends_a_file_that_is_not_yaml_is_refused_unread(outside):
    scen, _ = outside
    (scen / "notes.txt").write_text(SECRET)
    path = scen / "s.yaml"
    path.write_text("extends: ./notes.txt\n")
    (problem,) = problems(path)
    assert "not a .yaml or .yml file" in problem.found
    assert "hunter2" not in str(problem)


def test_a_symlink_out_of_the_folder_is_followed_and_refused(outside):
    scen, other = outside
    (scen / "base.yaml").symlink_to(other / "secret.yaml")
    path = scen / "s.yaml"
    path.write_text("extends: base\n")
    (problem,) = problems(path)
    assert str(other / "secret.yaml") in problem.found
    assert "hunter2" not in str(problem)


def test_the_allow_list_lets_a_folder_in(outside, monkeypatch):
    scen, other = outside
    (other / "parent.yaml").write_text("years: [2030]\n")
    path = scen / "s.yaml"
    path.write_text("extends: ../elsewhere/parent.yaml\n")
    assert problems(path)
    monkeypatch.setenv("ENERGYMODEL_ALLOWED_PATHS", os.pathsep.join(["/nonexistent", str(other)]))
    assert load_scenario(path).years == [2030]


def test_inputs_dir_outside_is_refused_and_its_files_never_quoted(outside):
    scen, other = outside
    path = scen / "s.yaml"
    path.write_text(f"years: [2030]\ninputs_dir: {other}\n")
    (problem,) = problems(path)
    assert problem.key == "inputs_dir"
    assert problem.line == 2
    assert "outside" in problem.found
    found = validate_scenario(path)
    assert len(found) == 1
    assert "secret" not in str(found[0]).replace(str(other), "")


def test_inputs_dir_beside_the_file_and_in_the_project_are_allowed(outside):
    scen, _ = outside
    (scen / "data").mkdir()
    a = scen / "a.yaml"
    a.write_text("inputs_dir: data\n")
    assert load_scenario(a).inputs_dir == str(scen / "data")
    b = scen / "b.yaml"
    b.write_text(f"inputs_dir: {REPO / 'inputs'}\n")
    assert load_scenario(b).inputs_dir == str(REPO / "inputs")


def test_swept_and_sampled_inputs_dir_are_resolved_and_checked(outside):
    scen, other = outside
    (scen / "data").mkdir()
    swept = scen / "swept.yaml"
    swept.write_text(f"years: [2030]\nsweep:\n  inputs_dir:\n    - data\n    - {other}\n")
    (problem,) = problems(swept)
    assert (problem.key, problem.line) == ("sweep.inputs_dir[1]", 5)
    assert "outside" in problem.found
    sampled = scen / "sampled.yaml"
    sampled.write_text(
        "years: [2030]\n"
        "uncertain:\n"
        "  distributions:\n"
        "    inputs_dir:\n"
        "      dist: choice\n"
        "      values:\n"
        "        - data\n"
        f"        - {other}\n"
    )
    (problem,) = problems(sampled)
    assert (problem.key, problem.line) == ("uncertain.distributions.inputs_dir.values[1]", 8)
    assert "outside" in problem.found


def test_swept_inputs_dir_is_relative_to_the_file(outside):
    scen, _ = outside
    (scen / "data").mkdir()
    path = scen / "s.yaml"
    path.write_text("sweep: {inputs_dir: [data]}\n")
    assert load_scenario(path).sweep["inputs_dir"] == [str(scen / "data")]


def test_values_given_in_code_are_not_confined(outside):
    _, other = outside
    sc = load_scenario({"name": "x", "inputs_dir": str(other)})
    assert sc.inputs_dir == str(other)
    sc = load_scenario(REPO / "scenarios" / "baseline.yaml", overrides={"inputs_dir": str(other)})
    assert sc.inputs_dir == str(other)


# --- one way to resolve a scenario -------------------------------------------------------


@pytest.fixture
def away(tmp_path, monkeypatch):
    """A scenario outside the project that extends a shipped one; cwd elsewhere."""
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "mine.yaml").write_text("extends: baseline\nyears: [2030]\n")
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    return mine / "mine.yaml"


def test_api_and_cli_resolve_extends_alike(away, capsys):
    sc = load_scenario(away)  # the file's folder, then the project's scenarios/
    baseline = load_scenario(REPO / "scenarios" / "baseline.yaml")
    assert sc.regions == baseline.regions
    assert sc.inputs_dir == str(REPO / "inputs")
    assert main(["--list", str(away)]) == 0
    assert "mine" in capsys.readouterr().out


def test_a_sibling_scenario_wins_over_the_project(away):
    (away.parent / "baseline.yaml").write_text("years: [2025]\nregions: [europe]\n")
    assert load_scenario(away).regions == ["europe"]


def test_messages_name_absolute_paths_from_any_folder(away, capsys):
    away.write_text("extends: baseline\ninputs_dir: nowhere\n")
    assert main(["--validate", str(away)]) == 1
    err = capsys.readouterr().err
    assert f"{away.parent / 'nowhere'}: found no such folder" in err
    away.write_text("extends: basline\n")
    (problem,) = problems(away)
    assert problem.file == str(away)
    assert str(REPO / "scenarios") in problem.expected
    assert "did you mean 'baseline'" in problem.hint
    assert main(["--validate", "relative/missing.yaml"]) == 2
    assert str(Path.cwd() / "relative" / "missing.yaml") in capsys.readouterr().err
