"""Faults a careful user meets (issue 17): each gives a one-screen message, no traceback,
a non-zero exit code, and loses no earlier result.

Tests run as root here, where ``chmod`` cannot make a folder read-only, so permission and
full-disk faults are simulated: ``os.open`` / ``Dataset.to_netcdf`` are patched to raise
``PermissionError`` or ``OSError(ENOSPC)``, and ``--out`` is pointed at a file.
"""

from __future__ import annotations

import errno
import logging
import os
import signal
import subprocess
import sys
import time
import types
import typing
from pathlib import Path

import numpy as np
import pytest
import xarray as xr
from pydantic import BaseModel, ValidationError

from energymodel.batch.cli import main
from energymodel.compare import open_results, read_results
from energymodel.data.manifest import TABLES
from energymodel.data.tables import InputError, load_inputs
from energymodel.fileio import ResultsWriteError, read_text
from energymodel.scenario import Scenario, load_scenario, validate_scenario
from energymodel.scenario.ranges import FROM_INPUTS
from energymodel.scenario.schema import RESERVED_NAMES

REPO = Path(__file__).resolve().parent.parent
TESTS = Path(__file__).resolve().parent
FAKE = ["--runner", "fake_runner:fake_run", "--no-report"]
BASE = "description: ''\nyears: [2025, 2030]\nregions: [us_east, europe]\n"


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A scenarios folder with ``base`` (repository inputs), and a finished batch."""
    folder = tmp_path / "scenarios"
    folder.mkdir()
    (folder / "base.yaml").write_text(f"inputs_dir: {REPO / 'inputs'}\n{BASE}")
    (folder / "other.yaml").write_text("extends: base\nfinance: {wacc: 0.12}\n")
    monkeypatch.chdir(tmp_path)
    assert cli(tmp_path, "base", "other", *FAKE) == 0
    return tmp_path


def cli(project: Path, *args: str) -> int:
    return main(["--scenarios-dir", str(project / "scenarios"), *args])


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every results file's bytes: "no result lost" is this, unchanged."""
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*")) if p.is_file()}


def no_traceback(captured) -> str:
    text = captured.out + captured.err
    assert "Traceback" not in text
    return captured.err


# --- 1. write faults ----------------------------------------------------------------------


def test_out_that_is_a_file_stops_before_any_solve(project, capsys):
    capsys.readouterr()
    (project / "afile").write_text("not a folder")
    before = snapshot(project / "results")

    assert cli(project, "base", "--out", "afile", *FAKE) == 2

    err = no_traceback(capsys.readouterr())
    assert "cannot write afile: it is a file, not a folder" in err
    assert "nothing was run" in err
    assert (project / "afile").read_text() == "not a folder"
    assert snapshot(project / "results") == before


def test_read_only_results_folder_is_named_before_any_solve(project, capsys, monkeypatch):
    # root ignores chmod: simulate the EACCES a read-only folder gives everyone else
    capsys.readouterr()
    before = snapshot(project / "results")
    real_open = os.open

    def denied(path, *args, **kwargs):
        if ".energymodel-write-test" in str(path):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", denied)
    assert cli(project, "base", "--force", *FAKE) == 2

    err = no_traceback(capsys.readouterr())
    assert "cannot write results: permission denied; nothing was run" in err
    assert snapshot(project / "results") == before


def _fail_writing(monkeypatch, match: str, err: Exception) -> None:
    """Make ``Dataset.to_netcdf`` raise ``err`` for files whose name starts with ``match``."""
    real = xr.Dataset.to_netcdf

    def to_netcdf(self, path=None, *args, **kwargs):
        if path is not None and Path(path).name.startswith(match):
            raise err
        return real(self, path, *args, **kwargs)

    monkeypatch.setattr(xr.Dataset, "to_netcdf", to_netcdf)


def test_full_disk_while_writing_all_nc_keeps_every_result(project, capsys, monkeypatch):
    capsys.readouterr()
    results = project / "results"
    before = xr.load_dataset(results / "all.nc")
    _fail_writing(monkeypatch, "all.nc", OSError(errno.ENOSPC, "No space left on device"))

    assert cli(project, "base", "other", "--force", *FAKE) == 1

    err = no_traceback(capsys.readouterr())
    assert f"cannot write {Path('results') / 'all.nc'}: no space left on the device" in err
    assert "each run's own file is kept" in err
    xr.testing.assert_identical(xr.load_dataset(results / "all.nc"), before)  # the old one
    assert not list(results.glob("*.tmp-*"))
    for name in ("base", "other"):
        xr.load_dataset(results / f"{name}.nc")


def test_full_disk_while_writing_a_run_keeps_its_earlier_file(project, capsys, monkeypatch):
    capsys.readouterr()
    results = project / "results"
    before = snapshot(results)
    _fail_writing(monkeypatch, "other.nc", OSError(errno.ENOSPC, "No space left on device"))

    assert cli(project, "base", "other", "--force", *FAKE) == 1

    err = no_traceback(capsys.readouterr())
    assert f"other: failed: cannot write {Path('results', 'other.nc')}: no space left on" in err
    assert (results / "other.nc").read_bytes() == before["other.nc"]
    assert not list(results.glob("*.tmp-*"))


def test_a_netcdf_error_on_a_full_disk_says_the_disk_is_full(tmp_path, monkeypatch):
    import shutil

    usage = shutil.disk_usage(tmp_path)
    monkeypatch.setattr(shutil, "disk_usage", lambda _: usage._replace(free=1000))
    err = ResultsWriteError.wrap(tmp_path / "x.nc", RuntimeError("NetCDF: HDF error"))
    assert (
        str(err)
        == f"cannot write {tmp_path / 'x.nc'}: netCDF: HDF error (the disk holding it is full)"
    )
    assert err.errno == errno.ENOSPC


def test_a_truncated_all_nc_is_skipped_with_a_warning(project, caplog):
    results = project / "results"
    data = (results / "all.nc").read_bytes()
    (results / "all.nc").write_bytes(data[: len(data) // 2])  # newer than the run files

    with caplog.at_level(logging.WARNING):
        runs = read_results(results)
        ds = open_results(results)

    assert sorted(runs) == ["base", "other"]
    assert ds["scenario"].values.tolist() == ["base", "other"]
    assert f"skipping unreadable results file {results / 'all.nc'}: truncated" in caplog.text


def test_open_results_skips_a_corrupt_run_file_with_a_warning(project, caplog):
    results = project / "results"
    (results / "all.nc").unlink()
    (results / "other.nc").write_text("not netCDF")

    with caplog.at_level(logging.WARNING):
        ds = open_results(results)

    assert ds["scenario"].values.tolist() == ["base"]
    assert f"skipping unreadable results file {results / 'other.nc'}: not a netCDF" in caplog.text


def test_report_only_on_a_truncated_all_nc_is_no_traceback(project, capsys, monkeypatch):
    import energymodel.report.page

    def report(results_dir):  # the real page is tested in test_report.py: the reader here
        runs = read_results(results_dir)
        return Path(results_dir) / f"{len(runs)}.html"

    monkeypatch.setattr(energymodel.report.page, "write_report", report)
    data = (project / "results" / "all.nc").read_bytes()
    (project / "results" / "all.nc").write_bytes(data[:100])

    assert cli(project, "--report-only") == 0
    assert "2.html" in capsys.readouterr().out


# --- 2. impossible numbers ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("setting", "found", "expected"),
    [
        ("prices: {electricity_multiplier: .inf}", "inf", "a finite number"),
        ("prices: {electricity_multiplier: 1e308}", "1e+308", "a value <= 100"),
        ("hardware: {pue_ratio: 0}", "0", "a value >= 1 (pue_ratio in regions.csv: 1..3)"),
        ("demand: {scale: .nan}", "nan", "a finite number"),
    ],
)
def test_impossible_numbers_are_rejected_at_their_line(project, capsys, setting, found, expected):
    capsys.readouterr()
    before = snapshot(project / "results")
    (project / "scenarios" / "bad.yaml").write_text(f"extends: base\n{setting}\n")

    assert cli(project, "--validate", "bad") == 1
    assert "bad.yaml:2: " in capsys.readouterr().err

    assert cli(project, "bad", "base", "--force", *FAKE) == 2
    err = no_traceback(capsys.readouterr())
    assert f"found {found}; expected {expected}" in err
    assert snapshot(project / "results") == before


def _inf_value(annotation: typing.Any) -> typing.Any:
    """A value for a field of this type holding inf (None: the field holds no float)."""
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if annotation is float:
        return float("inf")
    if origin is typing.Annotated:
        return _inf_value(args[0])
    if origin in (typing.Union, types.UnionType):
        for arg in args:
            if (value := _inf_value(arg)) is not None:
                return value
        return None
    if origin is dict:
        value = _inf_value(args[1])
        key = 2030 if typing.get_origin(args[0]) is typing.Annotated else "us_east"
        return None if value is None else {key: value}
    return None


def _float_fields(model: type[BaseModel], prefix: tuple[str, ...] = ()):
    for name, field in model.model_fields.items():
        ann = field.annotation
        subs = [a for a in (ann, *typing.get_args(ann)) if isinstance(a, type)]
        sub = next((a for a in subs if issubclass(a, BaseModel)), None)
        if sub is not None:
            yield from _float_fields(sub, (*prefix, name))
        elif (value := _inf_value(ann)) is not None:
            yield (*prefix, name), value


FLOAT_FIELDS = list(_float_fields(Scenario))


def test_every_number_of_the_schema_is_checked():
    assert len(FLOAT_FIELDS) > 30


@pytest.mark.parametrize(
    ("path", "value"), FLOAT_FIELDS, ids=[".".join(p) for p, _ in FLOAT_FIELDS]
)
def test_no_scenario_number_may_be_infinite(path, value):
    data: dict = {"name": "x"}
    cur = data
    for part in path[:-1]:
        cur = cur.setdefault(part, {})
    cur[path[-1]] = value
    with pytest.raises(ValidationError):
        Scenario.model_validate(data)


@pytest.mark.parametrize("key", sorted(FROM_INPUTS))
def test_scenario_ranges_lie_within_the_input_tables_ranges(key):
    table, parameter = FROM_INPUTS[key]
    lo, hi = TABLES[table].parameters[parameter].bounds(parameter)
    parts = key.removesuffix(".*").split(".")
    whole = isinstance(Scenario.model_construct(name="x").model_dump()[parts[0]][parts[1]], int)

    def valid(value: float) -> bool:
        value = int(value) if whole or parameter.endswith(("_yr", "year")) else value
        inner = (
            {"gas_ccgt" if "supply" in key else "us_east": value} if key.endswith("*") else value
        )
        try:
            Scenario.model_validate({"name": "x", parts[0]: {parts[1]: inner}})
        except ValidationError:
            return False
        return True

    step = 1 if parameter.endswith(("_yr", "year")) else 1e-6
    assert lo is not None
    assert not valid(lo - step), f"{key} allows {lo - step}, below {table}.csv's {parameter}"
    assert valid(lo)
    if hi is not None:
        assert not valid(hi + step), f"{key} allows {hi + step}, above {table}.csv's {parameter}"
        assert valid(hi)


def test_results_holding_inf_are_not_optimal_and_not_written(project, capsys):
    capsys.readouterr()
    before = snapshot(project / "results")
    (project / "scenarios" / "hot.yaml").write_text("extends: base\ndescription: inf\n")

    assert cli(project, "hot", *FAKE) == 1

    err = no_traceback(capsys.readouterr())
    assert "hot: nonfinite: the solution holds inf or NaN (cost_musd)" in err
    assert snapshot(project / "results") == before


def test_a_solved_scenario_with_inf_is_flagged():
    from energymodel.results import flag_nonfinite

    ds = xr.Dataset(
        {"cost_musd": ("year", [1.0, np.inf])}, attrs={"optimal": 1, "termination": "optimal"}
    )
    flagged = flag_nonfinite(ds)
    assert (flagged.attrs["optimal"], flagged.attrs["termination"]) == (0, "nonfinite")
    assert flag_nonfinite(ds.assign(cost_musd=("year", [1.0, 2.0]))).attrs["optimal"] == 1
    nan = flag_nonfinite(ds.assign(cost_musd=("year", [1.0, np.nan])))
    assert "(cost_musd)" in nan.attrs["advice"]


def test_validate_checks_every_sweep_run_against_the_inputs(project, capsys):
    capsys.readouterr()
    (project / "scenarios" / "sw.yaml").write_text(
        "extends: base\nsweep:\n  demand.trajectory: [bain_2025, bain_2052]\n"
        "  regions: [[us_east], [us_east, atlantis]]\n"
    )

    assert cli(project, "--validate", "sw") == 1

    err = no_traceback(capsys.readouterr())
    assert "sw.yaml:3: sweep.demand.trajectory[1]: found 'bain_2052'" in err
    assert "did you mean 'bain_2025'?" in err
    assert "sw.yaml:4: sweep.regions[1]: found 'atlantis'" in err


def test_a_sweep_whose_run_names_are_too_long_is_rejected(project, capsys):
    capsys.readouterr()
    long = "s" * 195  # a valid name alone; with "__wacc=0.07" too long for a file name
    (project / "scenarios" / f"{long}.yaml").write_text(
        "extends: base\nsweep:\n  finance.wacc: [0.07, 0.1]\n"
    )
    assert cli(project, "--validate", long) == 1
    err = capsys.readouterr().err
    assert f"{long}.yaml:2: sweep: found a run name of 206 characters" in err
    assert "expected run names (<name>__<key>=<value>...) of at most 200" in err


def test_a_value_that_would_overflow_in_an_input_table_is_refused(tmp_path):
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    for path in (REPO / "inputs").glob("*.csv"):
        (inputs / path.name).write_bytes(path.read_bytes())
    lines = (inputs / "regions.csv").read_text().split("\n")
    row = next(i for i, t in enumerate(lines) if t.startswith("us_east,grid_price_usd_per_mwh,"))
    cells = lines[row].split(",")
    cells[2] = "1e308"
    lines[row] = ",".join(cells)
    (inputs / "regions.csv").write_text("\n".join(lines))

    with pytest.raises(InputError) as caught:
        load_inputs(inputs)
    (problem,) = caught.value.problems
    assert problem == (
        f"regions.csv: line {row + 1}: column value: found 1e+308 for grid_price_usd_per_mwh; "
        "expected a value <= 1e+12"
    )


def test_validate_without_scenario_files_is_a_usage_error(tmp_path, capsys):
    (tmp_path / "folder.yaml").mkdir()  # a folder is no scenario
    assert main(["--validate", "--scenarios-dir", str(tmp_path)]) == 2
    assert f"no scenario files in {tmp_path}" in capsys.readouterr().err
    assert main(["--validate", "--scenarios-dir", str(tmp_path / "nowhere")]) == 2
    assert "(no such folder)" in capsys.readouterr().err


# --- 3. names: one file, one results file -------------------------------------------------


def test_a_name_other_than_the_file_name_is_rejected(project, capsys):
    capsys.readouterr()
    before = snapshot(project / "results")
    (project / "scenarios" / "copy.yaml").write_text("extends: base\nname: base\n")

    assert cli(project, "copy", *FAKE) == 2

    err = no_traceback(capsys.readouterr())
    assert "copy.yaml:2: name: found 'base'; expected 'copy', the file's name" in err
    assert "leave out name: or rename the file" in err
    assert snapshot(project / "results") == before

    assert cli(project, "base", "--set", "name=other", *FAKE) == 2  # another file's results
    err = no_traceback(capsys.readouterr())
    assert f"--set name=other is the name of another scenario ({project / 'scenarios'}" in err
    assert snapshot(project / "results") == before


@pytest.mark.parametrize("name", [*RESERVED_NAMES, "x" * 201, "a.tmp-1"])
def test_reserved_and_overlong_names_are_rejected(tmp_path, name):
    path = tmp_path / f"{name}.yaml"
    path.write_text("years: [2030]\n")
    (problem,) = validate_scenario(path)
    assert problem.key == "name"
    assert any(text in problem.expected for text in ("a name other than", "200", ".tmp-"))


def test_reserved_names_cover_every_file_a_batch_writes():
    from energymodel.batch.store import TMP_MARK
    from energymodel.compare import COMBINED_NAME

    assert Path(COMBINED_NAME).stem in RESERVED_NAMES
    assert {"summary", "report", "figures"} <= set(RESERVED_NAMES)
    assert TMP_MARK == ".tmp-"


# --- 4. encodings and cascades ------------------------------------------------------------

BOM = b"\xef\xbb\xbf"


def test_byte_order_marks_are_read(tmp_path):
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    for path in (REPO / "inputs").glob("*.csv"):
        (inputs / path.name).write_bytes(BOM + path.read_bytes())
    (tmp_path / "s.yaml").write_bytes(BOM + f"inputs_dir: {inputs}\nyears: [2030]\n".encode())

    assert validate_scenario(tmp_path / "s.yaml") == []
    assert load_inputs(inputs).regions.index[0] == "us_east"


def test_a_byte_that_is_not_utf8_is_named_with_its_file_and_line(tmp_path, capsys):
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    for path in (REPO / "inputs").glob("*.csv"):
        (inputs / path.name).write_bytes(path.read_bytes())
    lines = (inputs / "regions.csv").read_bytes().split(b"\n")
    row = next(i for i, t in enumerate(lines) if b"EIA" in t)
    column = lines[row].index(b"EIA") + 1
    lines[row] = lines[row].replace(b"EIA", b"\xc9IA", 1)  # Latin-1 "É", as Excel may save it
    (inputs / "regions.csv").write_bytes(b"\n".join(lines))

    with pytest.raises(InputError) as caught:
        load_inputs(inputs)
    expected = (
        f"regions.csv: line {row + 1}: found byte 0xc9 at column {column}, which is not UTF-8; "
        "expected UTF-8 text (save the file as UTF-8; in Excel: 'CSV UTF-8')"
    )
    assert caught.value.problems == [expected]

    (tmp_path / "s.yaml").write_bytes(b"years: [2030]\ndescription: caf\xe9\n")
    assert main(["--validate", str(tmp_path / "s.yaml")]) == 1
    err = no_traceback(capsys.readouterr())
    assert "s.yaml:2: found byte 0xe9 at column 17, which is not UTF-8" in err


def test_read_text_drops_only_a_leading_bom(tmp_path):
    (tmp_path / "a.txt").write_bytes(BOM + "x\ufeffy\r\n".encode())
    assert read_text(tmp_path / "a.txt") == "x\ufeffy\r\n"


@pytest.mark.parametrize(
    ("header", "found"),
    [
        (b"region;parameter;value;unit;source", "separated by ';'"),
        (b"Region,parameter,value,unit,source", "missing column(s) region"),
    ],
)
def test_one_bad_header_gives_one_problem(tmp_path, header, found):
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    for path in (REPO / "inputs").glob("*.csv"):
        (inputs / path.name).write_bytes(path.read_bytes())
    rest = (inputs / "regions.csv").read_bytes().split(b"\n", 1)[1]
    (inputs / "regions.csv").write_bytes(header + b"\n" + rest)

    with pytest.raises(InputError) as caught:
        load_inputs(inputs)
    (problem,) = caught.value.problems
    assert problem.startswith("regions.csv: line 1:")
    assert found in problem


# --- infeasible scenarios -----------------------------------------------------------------


def test_an_infeasible_scenario_says_what_to_change(project, capsys):
    # the real LP: 300 GW of IT committed in Texas in 2025, but the accelerator supply chain
    # delivers 20 GW a year world-wide, of which Texas gets its 7.33% share of world demand
    # in 2025: 1.47 GW (a shortfall of firm power can no longer make a scenario infeasible:
    # firm supply is sized on the load served, and load may be shed; the
    # connection on the dispatched peak, so that the queue is not a second limit)
    capsys.readouterr()
    (project / "scenarios" / "texas.yaml").write_text(
        f"inputs_dir: {REPO / 'inputs'}\nyears: [2025]\nregions: [us_texas]\n"
        "time: {representative_days: 1}\nhardware: {max_build_gw_per_yr: 20}\n"
        "policy: {committed_it_capacity_gw: {us_texas: {2025: 300}}}\n"
        "grid: {connection_basis: peak}\n"
    )
    earlier = xr.Dataset(attrs={"scenario": "texas", "note": "an earlier, feasible version"})
    earlier.to_netcdf(project / "results" / "texas.nc")
    before = snapshot(project / "results")

    assert cli(project, "texas", "--no-report") == 1

    err = no_traceback(capsys.readouterr())
    assert "texas: infeasible: IT builds in 2025 need up to 299 GW more than" in err
    assert "raise hardware.max_build_gw_per_yr" in err
    assert "lower policy.committed_it_capacity_gw" in err
    assert snapshot(project / "results") == before


def test_advice_covers_every_relaxable_limit_and_every_family():
    from energymodel.model.advice import ADVICE, FAMILY_ADVICE, explain
    from energymodel.model.build import REGISTRY
    from energymodel.solve import RELAXABLE, Violation

    assert set(RELAXABLE) == set(ADVICE)
    assert {f.__name__.removeprefix("add_") for f in REGISTRY} <= set(FAMILY_ADVICE)
    text = explain(
        [
            Violation("grid_connection_limit", (2026, "europe"), 2.0),
            Violation("grid_connection_limit", (2027, "europe"), 5.0),
            Violation("grid_connection_limit", (2029, "europe"), 1.0),
            Violation("it_build_limit", (2030,), 1.0),
        ]
    )
    assert text == (
        "new grid connection in europe 2026-2027, 2029 needs up to 5 GW more than the queue "
        "allows: raise grid.max_new_connection_gw_per_yr.europe or "
        "grid.connection_limit_multiplier; IT builds in 2030 need up to 1 GW more than the "
        "accelerator supply chain delivers: raise hardware.max_build_gw_per_yr or lower "
        "policy.committed_it_capacity_gw"
    )
    assert explain([], ["policy"]).startswith("policy: relax policy.emissions_cap_mtco2")


def test_the_relaxable_limits_are_constraints_of_the_model():
    import pyomo.environ as pyo

    from energymodel.model import build_model
    from energymodel.params.build import build_params
    from energymodel.solve import RELAXABLE

    sc = load_scenario(
        {"name": "all_limits", "years": [2030], "regions": ["us_east"],
         "time": {"representative_days": 1}, "inputs_dir": str(REPO / "inputs")}
    )  # fmt: skip
    m = build_model(build_params(sc))
    names = {c.local_name for c in m.component_objects(pyo.Constraint)}
    names |= set(m.arrays.constraints)  # rows built in bulk (model/arrays.py)
    assert set(RELAXABLE) <= names


# --- SIGTERM ------------------------------------------------------------------------------


def test_sigterm_stops_the_batch_and_its_workers_and_keeps_finished_runs(project):
    folder = project / "scenarios"
    for name in ("slow1", "slow2"):
        (folder / f"{name}.yaml").write_text("extends: base\ndescription: sleep=120\n")
    results = project / "results"
    for p in results.iterdir():
        p.unlink()
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(TESTS), *sys.path]),
        "FAKE_RUNNER_DIR": str(results),
    }
    args = ["base", "slow1", "slow2", "-j", "2", "--scenarios-dir", str(folder), *FAKE]
    batch = subprocess.Popen(
        [sys.executable, str(REPO / "run_scenarios.py"), *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while not ((results / "base.nc").exists() and (results / "pid-slow2").exists()):
            assert time.monotonic() < deadline, "the batch did not start its runs"
            assert batch.poll() is None, batch.communicate()
            time.sleep(0.1)
        workers = [int((results / f"pid-{n}").read_text()) for n in ("slow1", "slow2")]

        batch.send_signal(signal.SIGTERM)
        _, err = batch.communicate(timeout=30)
    finally:
        if batch.poll() is None:
            batch.kill()

    assert batch.returncode == 143, err
    assert "terminated (SIGTERM): finished runs are kept" in err
    assert "Traceback" not in err
    xr.load_dataset(results / "base.nc")
    assert not (results / "slow1.nc").exists()
    for pid in workers:
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)
