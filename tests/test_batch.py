"""Batch runs with a fake runner: files, skip-if-done, failures, atomic writes, parallel."""

import logging
import os
from pathlib import Path

import pandas as pd
import pytest
import xarray as xr
from fake_runner import fake_run

from energymodel.batch import (
    RunSummary,
    clean_stale_tmp,
    combine,
    input_hash,
    run_batch,
    write_atomic,
    write_summary,
)
from energymodel.scenario.schema import Scenario

DEAD_PID = 999_999_999  # above any pid_max: no such process


@pytest.fixture
def inputs_dir(tmp_path):
    folder = tmp_path / "inputs"
    folder.mkdir()
    (folder / "regions.csv").write_text("region,pue_ratio\nus_east,1.2\n")
    return folder


def _sc(name, inputs_dir, **kw):
    kw.setdefault("years", [2025, 2030])
    kw.setdefault("regions", ["us_east", "europe"])
    return Scenario(name=name, inputs_dir=str(inputs_dir), **kw)


def _three(inputs_dir):
    return [
        _sc("base", inputs_dir),
        _sc(
            "base__electricity_multiplier=0.5",
            inputs_dir,
            prices={"electricity_multiplier": 0.5},
            sweep_values={"prices.electricity_multiplier": 0.5},
        ),
        _sc("dear", inputs_dir, finance={"wacc": 0.12}),
    ]


def _statuses(summaries):
    return {s.name: s.status for s in summaries}


def test_run_batch_writes_each_run_with_its_hash(tmp_path, inputs_dir):
    runs = _three(inputs_dir)
    out = tmp_path / "results"

    summaries = run_batch(runs, out, runner=fake_run)

    assert [s.name for s in summaries] == [sc.name for sc in runs]
    assert all(s.status == "optimal" and s.error is None for s in summaries)
    ds = xr.load_dataset(out / "base__electricity_multiplier=0.5.nc")
    assert ds.attrs["input_hash"] == input_hash(runs[1])
    assert ds.attrs["sweep__prices.electricity_multiplier"] == 0.5
    assert sorted(p.name for p in out.iterdir()) == sorted(f"{sc.name}.nc" for sc in runs)


def test_rerun_skips_up_to_date_and_force_redoes(tmp_path, inputs_dir):
    runs = _three(inputs_dir)
    out = tmp_path / "results"
    run_batch(runs, out, runner=fake_run)

    again = run_batch(runs, out, runner=fake_run)
    forced = run_batch(runs, out, runner=fake_run, force=True)
    runs[2] = _sc("dear", inputs_dir, finance={"wacc": 0.15})  # a changed scenario
    changed = run_batch(runs, out, runner=fake_run)

    assert set(_statuses(again).values()) == {"skipped"}
    assert set(_statuses(forced).values()) == {"optimal"}
    assert _statuses(changed) == {
        "base": "skipped",
        "base__electricity_multiplier=0.5": "skipped",
        "dear": "optimal",
    }


def test_changed_input_file_invalidates_every_run(tmp_path, inputs_dir):
    runs = _three(inputs_dir)
    out = tmp_path / "results"
    run_batch(runs, out, runner=fake_run)

    (inputs_dir / "regions.csv").write_text("region,pue_ratio\nus_east,1.3\n")

    assert set(_statuses(run_batch(runs, out, runner=fake_run)).values()) == {"optimal"}


def test_failed_runs_are_recorded_and_the_rest_go_on(tmp_path, inputs_dir):
    runs = [
        _sc("bad", inputs_dir, description="fail"),
        _sc("good", inputs_dir),
        _sc("stuck", inputs_dir, description="infeasible"),
    ]
    out = tmp_path / "results"

    summaries = {s.name: s for s in run_batch(runs, out, runner=fake_run)}

    assert summaries["bad"].status == "failed"
    assert summaries["bad"].error == "RuntimeError: boom"
    assert "Traceback" in summaries["bad"].traceback
    assert summaries["stuck"].status == "infeasible"
    assert summaries["stuck"].path is None
    assert not summaries["bad"].ok
    assert summaries["good"].ok
    assert [p.name for p in out.glob("*.nc")] == ["good.nc"]


def test_duplicate_run_names_are_refused(tmp_path, inputs_dir):
    with pytest.raises(ValueError, match="share a name"):
        run_batch([_sc("a", inputs_dir), _sc("a", inputs_dir)], tmp_path, runner=fake_run)


def test_interrupted_write_leaves_no_result_file(tmp_path, monkeypatch):
    ds = xr.Dataset({"x_gw": ("year", [1.0, 2.0])}, coords={"year": [2025, 2030]})

    def half_then_crash(self, path, *args, **kwargs):
        Path(path).write_bytes(b"\x89HDF\r\n half")
        raise OSError("disk full")

    monkeypatch.setattr(xr.Dataset, "to_netcdf", half_then_crash)
    with pytest.raises(OSError, match="disk full"):
        write_atomic(ds, tmp_path / "a.nc")

    assert list(tmp_path.iterdir()) == []


def test_leftovers_of_a_killed_batch_are_cleaned_and_redone(tmp_path, inputs_dir):
    runs = _three(inputs_dir)
    out = tmp_path / "results"
    out.mkdir()
    # A killed batch: a half-written temporary file, and a corrupt file from an older,
    # non-atomic writer.
    (out / f"base.nc.tmp-{DEAD_PID}").write_bytes(b"\x89HDF half")
    (out / "dear.nc").write_bytes(b"\x89HDF corrupt")
    live = out / "other.nc.tmp-1"  # pid 1 is running: another batch may be writing it
    live.write_bytes(b"")

    summaries = run_batch(runs, out, runner=fake_run)

    assert set(_statuses(summaries).values()) == {"optimal"}
    assert not (out / f"base.nc.tmp-{DEAD_PID}").exists()
    assert live.exists()
    for sc in runs:
        xr.load_dataset(out / f"{sc.name}.nc")
    assert clean_stale_tmp(out) == []


def _datasets(out):
    return {p.name: xr.load_dataset(p) for p in sorted(out.glob("*.nc"))}


def test_process_pool_gives_the_same_files(tmp_path, inputs_dir):
    runs = [*_three(inputs_dir), _sc("bad", inputs_dir, description="fail")]

    one = run_batch(runs, tmp_path / "one", runner=fake_run, jobs=1)
    two = run_batch(runs, tmp_path / "two", runner=fake_run, jobs=2)

    assert _statuses(one) == _statuses(two)
    a, b = _datasets(tmp_path / "one"), _datasets(tmp_path / "two")
    assert list(a) == list(b)
    for name in a:
        xr.testing.assert_identical(a[name], b[name])


def test_dask_cluster_gives_the_same_files(tmp_path, inputs_dir):
    distributed = pytest.importorskip("distributed")
    runs = [*_three(inputs_dir), _sc("bad", inputs_dir, description="fail")]
    local = run_batch(runs, tmp_path / "local", runner=fake_run)

    with distributed.LocalCluster(
        n_workers=1,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
    ) as cluster:
        remote = run_batch(
            runs, tmp_path / "dask", runner=fake_run, scheduler=cluster.scheduler_address
        )

    assert _statuses(local) == _statuses(remote)
    assert remote[-1].error == "RuntimeError: boom"
    a, b = _datasets(tmp_path / "local"), _datasets(tmp_path / "dask")
    assert list(a) == list(b)
    for name in a:
        xr.testing.assert_identical(a[name], b[name])


class Recorder:
    def __init__(self):
        self.events = []

    def started(self, name):
        self.events.append(("started", name))

    def finished(self, summary: RunSummary):
        self.events.append((summary.status, summary.name))


def test_progress_hears_every_run(tmp_path, inputs_dir):
    runs = _three(inputs_dir)
    run_batch(runs[:1], tmp_path, runner=fake_run)
    recorder = Recorder()

    run_batch(runs, tmp_path, runner=fake_run, progress=recorder)

    assert recorder.events == [
        ("skipped", "base"),
        ("started", "base__electricity_multiplier=0.5"),
        ("optimal", "base__electricity_multiplier=0.5"),
        ("started", "dear"),
        ("optimal", "dear"),
    ]


def test_combine_and_summary_files(tmp_path, inputs_dir):
    runs = _three(inputs_dir)
    run_batch(runs, tmp_path, runner=fake_run)

    ds = combine(tmp_path)
    table, paths = write_summary(ds, tmp_path)
    assert len(table) == 3 * 2

    assert ds.sizes["scenario"] == 3
    assert ds["scenario"].values.tolist() == sorted(sc.name for sc in runs)
    assert ds["it_capacity_gw"].dims == ("scenario", "year", "region")
    assert ds["sweep__prices.electricity_multiplier"].dims == ("scenario",)
    assert "input_hash" in ds.attrs["scenario_attrs"]
    back = xr.load_dataset(tmp_path / "all.nc")
    assert back.sizes == ds.sizes
    csv = pd.read_csv(tmp_path / "summary.csv")
    assert list(csv.columns[:2]) == ["scenario", "year"]
    for column in [
        "it_capacity_gw",
        "facility_energy_twh",
        "world_avg_cost_usd_per_mtok",
        "marginal_cost_usd_per_mtok",
        "break_even_revenue_busd",
        "revenue_gap_busd",
        "unserved_it_energy_twh",
        "emissions_mtco2",
    ]:
        assert column in csv.columns
    assert len(csv) == 3 * 2
    assert paths == [tmp_path / "summary.csv", tmp_path / "summary.md"]
    assert (tmp_path / "summary.md").read_text().count("\n| ") == 1 + 3 * 2
    assert not list(tmp_path.glob(f"*.tmp-{os.getpid()}"))
    # Only the named runs, in the order given.
    assert combine(tmp_path, ["dear", "base"], write=False)["scenario"].values.tolist() == [
        "dear",
        "base",
    ]


def test_a_failed_check_is_reported_once_by_the_batch(tmp_path, inputs_dir, caplog):
    # the run logs the verdict (energymodel.run does) and the batch reports it: one line
    runs = [_sc("checked", inputs_dir, description="check-fails")]
    before = logging.getLogger("energymodel.check").level
    with caplog.at_level(logging.INFO):
        run_batch(runs, tmp_path / "results", runner=fake_run)
    said = [r for r in caplog.records if "check above tolerance" in r.getMessage()]
    assert len(said) == 1
    assert said[0].levelno == logging.WARNING
    assert "cost gap +5.0%" in said[0].getMessage()
    assert logging.getLogger("energymodel.check").level == before  # restored for em.run
