"""The command line, with the fake runner (``--runner``): selection, exit codes, files."""

import io
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import xarray as xr
from rich.console import Console
from rich.progress import Progress

from energymodel.batch import RunSummary
from energymodel.batch.cli import RichProgress, main

REPO = Path(__file__).resolve().parent.parent
TESTS = Path(__file__).resolve().parent
FAKE = ["--runner", "fake_runner:fake_run", "--no-report"]

SCENARIOS = {
    "base": "description: ''\nyears: [2025, 2030]\nregions: [us_east, europe]\n",
    "grid_slow": "extends: base\ngrid: {connection_limit_multiplier: 0.5}\n",
    "grid_fast": "extends: base\ngrid: {connection_limit_multiplier: 2.0}\n",
    "price_sweep": "extends: base\nsweep: {prices.electricity_multiplier: [0.8, 1.5]}\n",
}


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A scenarios folder (using the repository's inputs) and a results folder."""
    folder = tmp_path / "scenarios"
    folder.mkdir()
    for name, text in SCENARIOS.items():
        (folder / f"{name}.yaml").write_text(f"inputs_dir: {REPO / 'inputs'}\n{text}")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def cli(project, *args):
    return main(["--scenarios-dir", str(project / "scenarios"), *args])


def listed(capsys):
    lines = capsys.readouterr().out.splitlines()
    return [line.split()[0] for line in lines[:-1]]


def test_list_selects_by_name_glob_and_path(project, capsys):
    assert cli(project, "--list", "base") == 0
    assert listed(capsys) == ["base"]

    assert cli(project, "--list", "grid_*") == 0
    assert listed(capsys) == ["grid_fast", "grid_slow"]

    assert cli(project, "--list", str(project / "scenarios" / "grid_slow.yaml"), "base") == 0
    assert listed(capsys) == ["grid_slow", "base"]


def test_list_defaults_to_every_scenario_with_sweeps_expanded(project, capsys):
    assert cli(project, "--list") == 0

    out = capsys.readouterr().out
    names = [line.split()[0] for line in out.splitlines()[:-1]]
    assert names == [
        "base",
        "grid_fast",
        "grid_slow",
        "price_sweep__electricity_multiplier=0.8",
        "price_sweep__electricity_multiplier=1.5",
    ]
    assert "[prices.electricity_multiplier=1.5]" in out
    assert out.splitlines()[-1] == "5 run(s)"


def test_unknown_scenario_is_a_usage_error(project, capsys):
    assert cli(project, "--list", "nosuch") == 2

    err = capsys.readouterr().err
    assert "no scenario matching 'nosuch'" in err
    assert "Traceback" not in err


def test_validate_exit_codes(project, capsys):
    assert cli(project, "--validate") == 0
    assert "4 scenario file(s), 0 problem(s)" in capsys.readouterr().out

    (project / "scenarios" / "broken.yaml").write_text(
        f"inputs_dir: {REPO / 'inputs'}\nfinance:\n  wac: 0.1\n"
    )
    assert cli(project, "--validate") == 1
    captured = capsys.readouterr()
    assert "broken.yaml:3: finance.wac:" in captured.err
    assert "did you mean 'wacc'" in captured.err
    assert "5 scenario file(s), 1 problem(s)" in captured.out

    assert cli(project, "--validate", "base", "--set", "finance.wacc=7") == 1
    assert "--set" in capsys.readouterr().err


def test_invalid_scenario_stops_the_run_with_exit_2(project, capsys):
    (project / "scenarios" / "broken.yaml").write_text("finance: {wacc: lots}\n")

    assert cli(project, "base", "broken", *FAKE) == 2

    err = capsys.readouterr().err
    assert "broken.yaml:1: finance.wacc:" in err
    assert "Traceback" not in err
    assert not (project / "results").exists()  # nothing solved


def test_a_region_missing_from_the_inputs_stops_the_run_before_solving(project, capsys):
    (project / "scenarios" / "far.yaml").write_text(
        f"inputs_dir: {REPO / 'inputs'}\nextends: base\nregions: [us_east, atlantis]\n"
    )

    assert cli(project, "base", "far", *FAKE) == 2

    err = capsys.readouterr().err
    assert "far.yaml:3: regions[1]: found 'atlantis'" in err
    assert "Traceback" not in err
    assert not (project / "results").exists()


def test_bad_set_option_is_a_usage_error(project, capsys):
    assert cli(project, "base", "--set", "finance.wacc", *FAKE) == 2
    assert "no '='" in capsys.readouterr().err


def test_run_writes_results_table_and_summary(project, capsys):
    assert cli(project, "base", "price_sweep", *FAKE) == 0

    out = capsys.readouterr().out
    results = project / "results"
    names = {p.name for p in results.iterdir()}
    assert {
        "base.nc",
        "price_sweep__electricity_multiplier=0.8.nc",
        "price_sweep__electricity_multiplier=1.5.nc",
        "all.nc",
        "summary.csv",
        "summary.md",
    } <= names
    assert "## Headline figures, 2030" in out
    assert "| scenario | IT capacity (GW) | Facility energy (TWh) | Avg cost ($/Mtok)" in out
    assert "| price_sweep__electricity_multiplier=1.5 |" in out
    assert str(Path("results") / "all.nc") in out
    combined = xr.load_dataset(results / "all.nc")
    assert combined["sweep__prices.electricity_multiplier"].values.tolist()[1:] == [0.8, 1.5]


def test_set_applies_to_every_selected_scenario(project):
    assert cli(project, "base", "grid_slow", "--set", "finance.wacc=0.2", *FAKE) == 0

    for name in ("base", "grid_slow"):
        ds = xr.load_dataset(project / "results" / f"{name}__finance.wacc=0.2.nc")
        assert ds.attrs["sweep__finance.wacc"] == 0.2
        # fake_run: break-even = 1000 x growth x (1 + wacc); us_east, 2025: growth 1.
        value = ds["break_even_revenue_musd"].sel(year=2025, region="us_east")
        assert float(value) == pytest.approx(1200.0)


def test_rerun_skips_and_force_redoes(project, capsys):
    assert cli(project, "base", "grid_slow", *FAKE) == 0
    capsys.readouterr()

    assert cli(project, "base", "grid_slow", *FAKE) == 0
    err = capsys.readouterr().err
    assert "[1/2] base skipped" in err
    assert "[2/2] grid_slow skipped" in err

    assert cli(project, "base", "--force", *FAKE) == 0
    assert "[1/1] base optimal" in capsys.readouterr().err


def test_failing_scenario_gives_exit_1_and_the_rest_are_written(project, capsys):
    (project / "scenarios" / "bad.yaml").write_text("extends: base\ndescription: fail\n")

    assert cli(project, "base", "bad", "grid_slow", *FAKE) == 1

    captured = capsys.readouterr()
    assert "bad: failed: RuntimeError: boom" in captured.err
    assert "Traceback" not in captured.err
    assert (project / "results" / "base.nc").is_file()
    assert (project / "results" / "grid_slow.nc").is_file()
    assert not (project / "results" / "bad.nc").exists()
    assert "| grid_slow |" in captured.out


def test_report_is_written_last(project, capsys, monkeypatch):
    import energymodel.report

    def fake_report(results_dir):  # the real report is tested in test_report.py
        path = Path(results_dir) / "report.html"
        path.write_text("<html></html>")
        return path

    monkeypatch.setattr(energymodel.report, "write_report", fake_report)
    assert cli(project, "base", "grid_slow", "--runner", "fake_runner:fake_run") == 0
    out = capsys.readouterr().out
    assert out.splitlines()[-1] == f"Report: {Path('results') / 'report.html'}"

    assert cli(project, "--report-only") == 0
    out = capsys.readouterr().out
    assert out.splitlines()[-1] == f"Report: {Path('results') / 'report.html'}"
    assert f"  {Path('results') / 'all.nc'}" in out  # rebuilt from the store, no solve


def test_report_only_without_results_is_a_usage_error(project, capsys):
    assert cli(project, "--report-only", "--out", "nowhere") == 2
    assert "no results folder" in capsys.readouterr().err


def test_rich_progress_prints_each_run():
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=True, width=100)
    with Progress(console=console) as bar:
        progress = RichProgress(bar, total=2)
        progress.started("base")
        progress.finished(RunSummary("base", "optimal", None, None, 1.0))
        progress.finished(RunSummary("bad", "failed", None, "RuntimeError: boom", 0.1))

    text = buffer.getvalue()
    assert "base" in text
    assert "RuntimeError: boom" in text
    assert bar.tasks[0].completed == 2


def test_killed_batch_leaves_no_corrupt_file_and_a_rerun_finishes(project, monkeypatch, capsys):
    (project / "scenarios" / "dies.yaml").write_text("extends: base\ndescription: die-once\n")
    results = project / "results"
    results.mkdir()
    monkeypatch.setenv("FAKE_RUNNER_DIR", str(results))
    args = ["base", "dies", "grid_slow", "--scenarios-dir", str(project / "scenarios"), *FAKE]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(TESTS), *sys.path])}

    killed = subprocess.run(
        [sys.executable, str(REPO / "run_scenarios.py"), *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )

    assert killed.returncode == -signal.SIGKILL, killed.stderr
    (tmp,) = results.glob("dies.nc.tmp-*")  # what the kill left half-written
    assert sorted(p.name for p in results.glob("*.nc*")) == ["base.nc", tmp.name]
    xr.load_dataset(results / "base.nc")

    assert main(args) == 0  # the re-run

    err = capsys.readouterr().err
    assert "base skipped" in err
    assert "dies optimal" in err
    assert not list(results.glob("*.tmp-*"))
    for name in ("base", "dies", "grid_slow"):
        xr.load_dataset(results / f"{name}.nc")


def test_end_to_end_on_a_tiny_real_scenario(project, capsys):
    # The real LP (api.run): one region, one year, one representative day.
    (project / "scenarios" / "tiny.yaml").write_text(
        f"inputs_dir: {REPO / 'inputs'}\nyears: [2030]\nregions: [us_east]\n"
        "time: {representative_days: 1}\n"
    )

    assert cli(project, "tiny", "--no-report") == 0

    ds = xr.load_dataset(project / "results" / "tiny.nc")
    assert ds.attrs["optimal"] == 1
    assert len(ds.attrs["input_hash"]) == 64
    assert ds["it_capacity_gw"].attrs["units"] == "GW"
    assert "| tiny |" in capsys.readouterr().out
    assert cli(project, "tiny", "--no-report") == 0
    assert "[1/1] tiny skipped" in capsys.readouterr().err
