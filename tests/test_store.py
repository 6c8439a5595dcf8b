"""A results folder as a store (issues 26 and 28): runs accumulate, files are matched by
name and ``scenario`` attribute, foreign and stale files are reported, ``--set`` runs get
their own names, results survive a move, one batch at a time, workers that die or lose
their parent, and no writing through symbolic links. The fake runner stands in for the LP.
"""

from __future__ import annotations

import logging
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import xarray as xr
from fake_runner import fake_run

from energymodel.batch import input_hash, run_batch, write_atomic
from energymodel.batch.cli import main
from energymodel.batch.lock import LOCK_NAME, FolderBusyError, lock_out_dir
from energymodel.batch.store import is_up_to_date, write_text_atomic
from energymodel.compare import open_results, read_results
from energymodel.compare.folder import results_subdir
from energymodel.fileio import ResultsWriteError
from energymodel.scenario import load_scenario
from energymodel.scenario.schema import Scenario

REPO = Path(__file__).resolve().parent.parent
TESTS = Path(__file__).resolve().parent
FAKE = ["--runner", "fake_runner:fake_run", "--no-report"]
BASE = "description: ''\nyears: [2025, 2030]\nregions: [us_east, europe]\n"
SCENARIOS = {
    "base": BASE,
    "grid_slow": "extends: base\ngrid: {connection_limit_multiplier: 0.5}\n",
    "grid_fast": "extends: base\ngrid: {connection_limit_multiplier: 2.0}\n",
}


def _write_project(root: Path) -> None:
    """``scenarios/`` and a copy of the repository's ``inputs/`` under ``root``."""
    folder = root / "scenarios"
    folder.mkdir(parents=True)
    for name, text in SCENARIOS.items():
        (folder / f"{name}.yaml").write_text(text)  # inputs_dir: the inputs/ beside
    shutil.copytree(REPO / "inputs", root / "inputs")


@pytest.fixture
def project(tmp_path, monkeypatch):
    _write_project(tmp_path)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def cli(project: Path, *args: str) -> int:
    return main(["--scenarios-dir", str(project / "scenarios"), *args])


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": os.pathsep.join([str(TESTS), *sys.path])}


def _scenarios_in(path: Path) -> list[str]:
    with xr.open_dataset(path) as ds:
        return [str(s) for s in ds["scenario"].values]


# --- 1. runs accumulate ---------------------------------------------------------------------


def test_running_a_subset_adds_to_the_store_and_every_output_covers_it(project, capsys):
    results = project / "results"
    assert cli(project, "base", "grid_slow", *FAKE) == 0
    assert cli(project, "grid_fast", *FAKE) == 0  # the README way: one scenario

    out = capsys.readouterr().out
    assert "all.nc, summary and report: 3 runs (2 from earlier batches" in out
    every = ["base", "grid_fast", "grid_slow"]
    assert _scenarios_in(results / "all.nc") == every
    assert sorted(pd.read_csv(results / "summary.csv")["scenario"].unique()) == every
    assert sorted(pd.read_csv(results / "iamc.csv")["scenario"].unique()) == every
    assert "| grid_slow |" in (results / "summary.md").read_text()
    assert open_results(results)["scenario"].values.tolist() == every
    assert list(read_results(results)) == every


def test_a_rerun_updates_its_run_and_keeps_the_others(project):
    results = project / "results"
    assert cli(project, "base", "grid_slow", *FAKE) == 0
    before = xr.load_dataset(results / "grid_slow.nc")
    (project / "scenarios" / "base.yaml").write_text(BASE + "finance: {wacc: 0.2}\n")

    assert cli(project, "base", *FAKE) == 0

    ds = open_results(results)
    assert ds["scenario"].values.tolist() == ["base", "grid_slow"]
    # fake_run: break-even = 1000 x growth x (1 + wacc); us_east, 2025: growth 1.
    be = ds["break_even_revenue_musd"].sel(year=2025, region="us_east")
    assert float(be.sel(scenario="base")) == pytest.approx(1200.0)
    xr.testing.assert_identical(xr.load_dataset(results / "grid_slow.nc"), before)


def test_report_only_rebuilds_every_output_from_the_store(project, capsys, monkeypatch):
    import energymodel.report.page

    seen = []

    def report(results_dir):  # the real page is tested in test_report.py
        seen.append(sorted(read_results(results_dir)))
        return Path(results_dir) / "report.html"

    monkeypatch.setattr(energymodel.report.page, "write_report", report)
    results = project / "results"
    assert cli(project, "base", *FAKE) == 0
    assert cli(project, "grid_slow", *FAKE) == 0
    for name in ("all.nc", "summary.csv", "summary.md", "iamc.csv"):
        (results / name).unlink()

    assert cli(project, "--report-only") == 0

    assert _scenarios_in(results / "all.nc") == ["base", "grid_slow"]
    assert (results / "summary.md").is_file()
    assert sorted(pd.read_csv(results / "iamc.csv")["scenario"].unique()) == ["base", "grid_slow"]
    assert seen == [["base", "grid_slow"]]
    assert "Report: " in capsys.readouterr().out


def test_runs_from_other_inputs_are_reported_stale(project, caplog):
    results = project / "results"
    assert cli(project, "base", "grid_slow", *FAKE) == 0
    with (project / "inputs" / "regions.csv").open("a") as fh:
        fh.write("\n")  # the inputs change: base is re-run, grid_slow is not
    time.sleep(0.01)

    with caplog.at_level(logging.WARNING):
        assert cli(project, "base", *FAKE) == 0

    assert "1 run(s) in results were made from other inputs or another energymodel" in (caplog.text)
    assert "(base, energymodel" in caplog.text
    assert caplog.text.rstrip().endswith("grid_slow; re-run them to bring them up to date")
    assert _scenarios_in(results / "all.nc") == ["base", "grid_slow"]  # kept, flagged


def test_a_failed_run_says_its_earlier_result_is_still_there(project, capsys):
    assert cli(project, "base", *FAKE) == 0
    (project / "scenarios" / "base.yaml").write_text(BASE.replace("''", "fail"))
    capsys.readouterr()

    assert cli(project, "base", *FAKE) == 1

    captured = capsys.readouterr()
    assert "earlier results of base are still in results" in captured.err
    assert "## Headline figures" not in captured.out  # not the batch's own numbers
    assert "1 runs (1 from earlier batches" in captured.out


# --- 2. files matched by name and attribute; foreign files and links -------------------------


def test_a_renamed_copy_never_replaces_a_runs_numbers(project, caplog):
    results = project / "results"
    assert cli(project, "base", "grid_slow", *FAKE) == 0
    old = xr.load_dataset(results / "base.nc")
    old["break_even_revenue_musd"] *= 10
    old.to_netcdf(results / "base_old.nc")  # an older copy, renamed beside the run
    shutil.copy(results / "grid_slow.nc", results / "grid_fast.nc")  # a copy under a run's name

    with caplog.at_level(logging.WARNING):
        ds = open_results(results)

    assert ds["scenario"].values.tolist() == ["base", "grid_slow"]
    assert float(ds["break_even_revenue_musd"].sel(scenario="base").max()) < 5000
    assert f"skipping {results / 'base_old.nc'}: it holds run 'base', not 'base_old'" in (
        caplog.text
    )
    assert f"skipping {results / 'grid_fast.nc'}: it holds run 'grid_slow'" in caplog.text
    # The batch does not take the copy for grid_fast's result either: it solves it.
    assert cli(project, "grid_fast", *FAKE) == 0
    assert xr.load_dataset(results / "grid_fast.nc").attrs["scenario"] == "grid_fast"


def test_a_foreign_netcdf_file_is_skipped_with_a_warning(project, capsys, caplog, monkeypatch):
    import energymodel.report.page

    monkeypatch.setattr(
        energymodel.report.page,
        "write_report",
        lambda d: Path(d) / f"{len(read_results(d))}.html",
    )
    results = project / "results"
    assert cli(project, "base", *FAKE) == 0
    xr.Dataset({"t": ("x", np.arange(3.0))}, attrs={"title": "ERA5"}).to_netcdf(results / "era5.nc")

    with caplog.at_level(logging.WARNING):
        assert open_results(results)["scenario"].values.tolist() == ["base"]
        assert cli(project, "--report-only") == 0

    assert f"skipping {results / 'era5.nc'}: not an energymodel result" in caplog.text
    # open_results once, then the command: named once though combine and report both read
    assert caplog.text.count("era5.nc: not an energymodel result") == 2
    assert "1.html" in capsys.readouterr().out
    assert _scenarios_in(results / "all.nc") == ["base"]


def test_a_linked_run_file_is_not_followed(project, tmp_path_factory, caplog):
    results = project / "results"
    assert cli(project, "base", *FAKE) == 0
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    shutil.copy(results / "base.nc", elsewhere / "grid_slow.nc")
    (results / "grid_slow.nc").symlink_to(elsewhere / "grid_slow.nc")

    with caplog.at_level(logging.WARNING):
        assert list(read_results(results)) == ["base"]
    assert "a symbolic link (links in a results folder are never followed)" in caplog.text

    assert cli(project, "grid_slow", *FAKE) == 0  # the link is replaced, its target kept
    assert not (results / "grid_slow.nc").is_symlink()
    assert xr.load_dataset(elsewhere / "grid_slow.nc").attrs["scenario"] == "base"


def test_a_figures_link_is_never_written_through(project, tmp_path_factory, capsys):
    from energymodel.report.page import write_report

    results = project / "results"
    assert cli(project, "base", *FAKE) == 0
    target = tmp_path_factory.mktemp("target")
    (results / "figures").symlink_to(target, target_is_directory=True)

    with pytest.raises(ResultsWriteError, match="it is a symbolic link"):
        write_report(results)
    assert cli(project, "--report-only") == 1  # the CLI: a message, no traceback

    err = capsys.readouterr().err
    assert f"cannot write {Path('results') / 'figures'}: it is a symbolic link" in err
    assert "Traceback" not in err
    assert list(target.iterdir()) == []


def test_linked_subfolders_and_planted_temporary_links_are_refused(tmp_path):
    target = tmp_path / "target"
    target.mkdir()
    out = tmp_path / "results"
    out.mkdir()
    (out / "samples").symlink_to(target, target_is_directory=True)
    with pytest.raises(ResultsWriteError, match="remove the link"):
        results_subdir(out, "samples")
    assert results_subdir(out, "uncertainty").is_dir()
    (out / "figures").mkdir()
    (out / "figures" / "overview.png").symlink_to(target / "x.png")
    results_subdir(out, "figures", drop_links=True)
    assert list((out / "figures").iterdir()) == []

    victim = target / "victim.txt"
    victim.write_text("keep me")
    ds = xr.Dataset({"a": ("x", [1.0])}, attrs={"scenario": "a", "energymodel_version": "t"})
    (out / f"a.nc.tmp-{os.getpid()}").symlink_to(victim)
    write_atomic(ds, out / "a.nc")
    (out / f"s.csv.tmp-{os.getpid()}").symlink_to(victim)
    write_text_atomic("x\n", out / "s.csv")
    assert victim.read_text() == "keep me"
    assert xr.load_dataset(out / "a.nc")["a"].values.tolist() == [1.0]


# --- 3. --set runs get their own name ---------------------------------------------------------


def test_set_runs_get_their_own_name_and_leave_the_plain_run_alone(project, capsys):
    results = project / "results"
    assert cli(project, "base", *FAKE) == 0
    plain = (results / "base.nc").read_bytes()
    capsys.readouterr()

    assert cli(project, "--list", "base", "--set", "finance.wacc=0.12") == 0
    out = capsys.readouterr().out
    assert out.startswith("base__finance.wacc=0.12  ")
    assert "[finance.wacc=0.12]" in out

    assert cli(project, "base", "--set", "finance.wacc=0.12", *FAKE) == 0

    assert (results / "base.nc").read_bytes() == plain
    ds = xr.load_dataset(results / "base__finance.wacc=0.12.nc")
    assert ds.attrs["scenario"] == "base__finance.wacc=0.12"
    assert ds.attrs["sweep__finance.wacc"] == 0.12
    assert float(ds["break_even_revenue_musd"].sel(year=2025, region="us_east")) == 1120.0
    assert _scenarios_in(results / "all.nc") == ["base", "base__finance.wacc=0.12"]


def test_set_names_go_before_the_sweep_part(project, capsys):
    (project / "scenarios" / "sweep.yaml").write_text(
        "extends: base\nsweep: {prices.electricity_multiplier: [0.8, 1.5]}\n"
    )
    assert cli(project, "--list", "sweep", "--set", "finance.wacc=0.1") == 0
    names = [line.split()[0] for line in capsys.readouterr().out.splitlines()[:-1]]
    assert names == [
        "sweep__finance.wacc=0.1__electricity_multiplier=0.8",
        "sweep__finance.wacc=0.1__electricity_multiplier=1.5",
    ]


def test_set_name_names_the_run(project, capsys):
    results = project / "results"
    assert cli(project, "base", "--set", "finance.wacc=0.12", "--set", "name=high_wacc", *FAKE) == 0
    ds = xr.load_dataset(results / "high_wacc.nc")
    assert ds.attrs["scenario"] == "high_wacc"
    assert ds.attrs["sweep__finance.wacc"] == 0.12
    assert not (results / "base.nc").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["base", "--set", "name=High WACC"], "a run name is lower-case letters, digits"),
        (["base", "--set", "name=all"], "that name is taken by the files a batch writes"),
        (["base", "grid_slow", "--set", "name=x"], "names one run, but 2 scenario files"),
        (
            ["base", "--set", "name=base", "--set", "finance.wacc=0.2"],
            "is the unmodified scenario's own name",
        ),
        (["base", "--set", "name=grid_slow"], "is the name of another scenario"),
    ],
)
def test_bad_set_names_are_refused_with_what_to_do(project, capsys, args, message):
    assert cli(project, *args, *FAKE) == 2
    err = capsys.readouterr().err
    assert message in err
    assert "Traceback" not in err
    assert not (project / "results").exists()


# --- 4. results that survive a move -----------------------------------------------------------


def test_the_hash_covers_what_the_inputs_hold_not_where_they_are(tmp_path):
    _write_project(tmp_path / "a")
    shutil.copytree(tmp_path / "a", tmp_path / "b")
    a = load_scenario(tmp_path / "a" / "scenarios" / "base.yaml")
    b = load_scenario(tmp_path / "b" / "scenarios" / "base.yaml")
    assert a.inputs_dir != b.inputs_dir

    assert input_hash(a) == input_hash(b)

    with (tmp_path / "b" / "inputs" / "regions.csv").open("a") as fh:
        fh.write("\n")
    assert input_hash(a) != input_hash(b)


def test_a_moved_results_folder_with_its_inputs_is_not_solved_again(tmp_path, monkeypatch, capsys):
    first = tmp_path / "first"
    _write_project(first)
    monkeypatch.chdir(first)
    assert cli(first, "base", "grid_slow", *FAKE) == 0

    moved = tmp_path / "elsewhere" / "clone"
    shutil.move(first, moved)
    monkeypatch.chdir(moved)
    capsys.readouterr()

    assert cli(moved, "base", "grid_slow", *FAKE) == 0
    err = capsys.readouterr().err
    assert "[1/2] base skipped" in err
    assert "[2/2] grid_slow skipped" in err


# --- 5. one batch at a time -------------------------------------------------------------------

HOLD = """
import sys, time
from energymodel.batch.lock import lock_out_dir
with lock_out_dir(sys.argv[1]):
    print("held", flush=True)
    time.sleep(60)
"""


def test_a_second_batch_on_one_folder_is_refused_and_a_dead_holder_frees_it(project, capsys):
    results = project / "results"
    results.mkdir()
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(results)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline() == "held\n"

        assert cli(project, "base", *FAKE) == 2
        err = capsys.readouterr().err
        assert f"another batch is writing this results folder (pid {holder.pid} on " in err
        assert "choose another --out; nothing was run" in err
        assert cli(project, "--report-only") == 2
        assert not (results / "base.nc").exists()
        with pytest.raises(FolderBusyError):
            run_batch([], results)
    finally:
        holder.kill()  # killed, not ended cleanly: the lock goes with the process
        holder.wait()

    assert cli(project, "base", *FAKE) == 0
    assert not (results / LOCK_NAME).exists()


def test_the_lock_is_re_entrant_within_a_process(tmp_path):
    with lock_out_dir(tmp_path), lock_out_dir(tmp_path):
        assert (tmp_path / LOCK_NAME).is_file()
    assert not (tmp_path / LOCK_NAME).exists()


# --- 6. workers -------------------------------------------------------------------------------


def _sc(name: str, inputs_dir: Path, description: str = "") -> Scenario:
    return Scenario(
        name=name,
        inputs_dir=str(inputs_dir),
        description=description,
        years=[2025, 2030],
        regions=["us_east", "europe"],
    )


def test_a_killed_worker_fails_its_run_and_the_batch_goes_on(project, capsys):
    (project / "scenarios" / "dies.yaml").write_text("extends: base\ndescription: die\n")

    code = cli(project, "base", "dies", "grid_slow", "grid_fast", "-j", "2", *FAKE)

    assert code == 1
    captured = capsys.readouterr()
    assert "dies: failed: its worker process died (killed by a signal" in captured.err
    assert "BrokenProcessPool" not in captured.err + captured.out
    assert "Traceback" not in captured.err
    assert _scenarios_in(project / "results" / "all.nc") == ["base", "grid_fast", "grid_slow"]


def test_runs_in_flight_with_a_dying_worker_are_run_again_alone(tmp_path):
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    runs = [_sc("a", inputs, "sleep=0.5"), _sc("dies", inputs, "die"), _sc("b", inputs)]

    summaries = {s.name: s for s in run_batch(runs, tmp_path / "out", runner=fake_run, jobs=3)}

    assert summaries["a"].status == "optimal"
    assert summaries["b"].status == "optimal"
    assert summaries["dies"].status == "failed"
    assert "worker process died" in str(summaries["dies"].error)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a zombie (ended, not yet reaped) counts as gone
    stat = Path(f"/proc/{pid}/stat")
    return not (stat.exists() and stat.read_text().split(")")[-1].split()[0] == "Z")


@pytest.mark.slow  # a batch in another process: ~12 s of imports and fork server
@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_workers_exit_when_the_batch_process_dies(project):
    for name in ("slow_a", "slow_b"):
        (project / "scenarios" / f"{name}.yaml").write_text(
            "extends: base\ndescription: sleep=60\n"
        )
    pids = project / "pids"
    pids.mkdir()
    args = ["slow_a", "slow_b", "-j", "2", "--scenarios-dir", str(project / "scenarios"), *FAKE]
    batch = subprocess.Popen(
        [sys.executable, str(REPO / "run_scenarios.py"), *args],
        env={**_env(), "FAKE_RUNNER_DIR": str(pids)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while len(list(pids.glob("pid-*"))) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
        workers = [int(p.read_text()) for p in pids.glob("pid-*")]
        assert len(workers) == 2
    finally:
        batch.kill()  # SIGKILL: no handler runs in the batch process
        batch.wait()

    deadline = time.monotonic() + 15
    while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    left = [pid for pid in workers if _alive(pid)]
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    assert left == []


def test_is_up_to_date_wants_the_runs_own_name(tmp_path):
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    sc = _sc("base", inputs)
    run_batch([sc], tmp_path, runner=fake_run)
    digest = input_hash(sc)
    assert is_up_to_date(tmp_path / "base.nc", digest, "base")
    assert not is_up_to_date(tmp_path / "base.nc", digest, "other")


def test_runs_that_cannot_be_combined_are_a_message_not_a_traceback(project, capsys, monkeypatch):
    import importlib

    def clash(*args, **kwargs):
        raise ValueError("conflicting sizes for dimension 'year'")

    assert cli(project, "base", *FAKE) == 0
    combine_module = importlib.import_module("energymodel.batch.combine")  # not the function
    monkeypatch.setattr(combine_module, "load_combined", clash)
    capsys.readouterr()

    assert cli(project, "grid_slow", *FAKE) == 1
    assert cli(project, "--report-only") == 1

    err = capsys.readouterr().err
    assert "the runs in results cannot be combined into all.nc (conflicting sizes" in err
    assert "Traceback" not in err
    assert (project / "results" / "grid_slow.nc").is_file()


def test_a_file_system_without_locks_runs_with_a_warning(tmp_path, monkeypatch, caplog):
    import errno
    import fcntl

    def no_locks(fd, op):
        raise OSError(errno.ENOLCK, "No locks available")

    monkeypatch.setattr(fcntl, "flock", no_locks)
    with caplog.at_level(logging.WARNING), lock_out_dir(tmp_path):
        pass
    assert "cannot lock the results folder (No locks available)" in caplog.text


def test_a_linked_samples_folder_stops_the_batch_before_any_solve(tmp_path):
    target = tmp_path / "target"
    target.mkdir()
    out = tmp_path / "out"
    out.mkdir()
    (out / "samples").symlink_to(target, target_is_directory=True)
    sampled = _sc("unc__sample=0000", tmp_path).model_copy(update={"sample": 0})

    with pytest.raises(ResultsWriteError, match="samples: it is a symbolic link"):
        run_batch([sampled], out, runner=fake_run)
    assert list(target.iterdir()) == []
