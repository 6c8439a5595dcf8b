"""The data build is all or nothing (issue 26): raw files checked at their line and
column, inputs/ replaced only when everything passed, raw files fingerprinted.

Fast: small synthetic raw files and specs; the real build is in test_data_build.py.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from energymodel.data import build
from energymodel.data.build import BUILT_FILES, build_all, rawcheck
from energymodel.data.build import __main__ as build_cli
from energymodel.data.build.rawcheck import (
    MANIFEST_FILE,
    RAW_FILES,
    RawDataError,
    RawSpec,
    changes,
    check_raw,
    fingerprint,
    read_manifest,
)

REPO = Path(__file__).resolve().parent.parent
HOURLY = RawSpec("gen.csv", "csv", ("timestamp", "WND", "SUN"), ("WND", "SUN"), True, rows=3)
COSTS = RawSpec("costs.csv", "csv", ("technology", "value"), ("value",))
EPW = RawSpec("w.epw", "epw", ("ghi=2",), ("ghi=2",), rows=3)
GOOD = {
    "gen.csv": "timestamp,WND,SUN,avg\nt0,1,2,x\nt1,,3,x\nt2,4,5,x\n",
    "costs.csv": "technology,parameter,value\nCCGT,FOM,1.5\n",
    "w.epw": "LOCATION,x\n" + "h\n" * 7 + "2010,1,100\n2010,2,200\n2010,3,0\n",
}


@pytest.fixture
def raw(tmp_path, monkeypatch):
    """A raw folder of three small files, and RAW_FILES pointing at them."""
    folder = tmp_path / "raw"
    folder.mkdir()
    for name, text in GOOD.items():
        (folder / name).write_text(text)
    monkeypatch.setattr(rawcheck, "RAW_FILES", (HOURLY, COSTS, EPW))
    return folder


def test_good_raw_files_pass(raw):
    assert check_raw(raw) == []


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("gen.csv", "", "gen.csv: line 1: found an empty file; expected CSV data"),
        (
            "gen.csv",
            "timestamp,WND,SUN\nt0,1,2\nt1,1,2\n",
            "gen.csv: line 3: found 2 data rows (truncated?); expected 3 (one per hour",
        ),
        ("gen.csv", "t0,1,2\nt1,1,2\n", "gen.csv: line 1: found columns t0, 1, 2; expected"),
        (
            "gen.csv",
            "timestamp,WND,SUN\nt0,1,2\nt1,abc,2\nt2,1,2\n",
            "line 3: column WND: found 'abc'",
        ),
        ("gen.csv", "timestamp,WND,SUN\nt0,1,2\nt1,1\nt2,1,2\n", "line 3: found 2 fields"),
        ("costs.csv", "technology,parameter,value\nCCGT,FOM,\n", "line 2: column value: found ''"),
        ("costs.csv", "technology,parameter,value\nCCGT,FOM,inf\n", "column value: found 'inf'"),
        ("w.epw", "2010,1,100\n", "line 1: found no LOCATION line"),
        ("w.epw", "LOCATION,x\n" + "h\n" * 7 + "2010,1,1\n", "found 1 data rows (truncated?)"),
        (
            "w.epw",
            GOOD["w.epw"].replace("2010,2,200", "2010,2,x"),
            "line 10: column ghi: found 'x'",
        ),
    ],
)
def test_bad_raw_files_are_named_at_their_line(raw, name, text, expected):
    (raw / name).write_text(text)
    (problem,) = check_raw(raw)
    assert problem.startswith(str(raw / name))
    assert expected in problem


def test_missing_unreadable_and_binary_raw_files(raw):
    (raw / "gen.csv").unlink()
    (raw / "costs.csv").write_bytes(b"technology,value\n\xff\xfe,1\n")
    found = check_raw(raw)
    assert any(f"{raw / 'gen.csv'}: file not found" in p for p in found)
    assert any(f"{raw / 'costs.csv'}: line 2:" in p and "not UTF-8" in p for p in found)
    assert check_raw(raw / "nope") == [
        f"{raw / 'nope'}: found no such folder; expected the raw data folder (--raw)"
    ]


def test_problems_per_file_are_capped(raw):
    (raw / "costs.csv").write_text("technology,value\n" + "x,bad\n" * 1000)
    found = check_raw(raw)
    assert len(found) == rawcheck.PER_FILE + 1
    assert found[-1].endswith("and 980 more problem(s) in this file")


def test_every_raw_file_the_build_reads_is_described():
    paths = {spec.path for spec in RAW_FILES}
    assert len(paths) == len(RAW_FILES)  # each described once
    read_by_the_tables = {
        *(f"eia930_generation_2022/{ba}.csv" for ba in ("BPAT", "CISO", "ERCO", "MISO", "PJM")),
        "google_cluster_cpu_hourly.csv",
        *(f"technology_costs/{p}_{y}.csv" for p in ("eu_costs", "us_atb_costs") for y in (2025, 2030)),
        "weather_tmy/PVGIS_TMY_45.000N_8.000E_2005_2023.csv",
        "weather_tmy/TMY3_723170_Greensboro_NC.csv",
        *(f"weather_tmy/USA_{s}.epw" for s in (
            "AZ_Phoenix-Sky.Harbor", "CA_San.Jose-Mineta", "TX_Dallas-Fort.Worth", "VA_Leesburg.Exec"
        )),
    }  # fmt: skip
    assert read_by_the_tables <= paths


def test_fingerprints_report_a_file_cut_by_one_line(raw):
    before = fingerprint(raw)
    old = {str(r["file"]): (int(str(r["bytes"])), str(r["sha256"])) for r in before}
    assert changes(old, before) == []
    (raw / "costs.csv").write_text("technology,parameter,value\n")  # one line cut
    (found,) = changes(old, fingerprint(raw))
    assert found.startswith("costs.csv: changed (40 -> 27 bytes, sha256 ")


# --- all or nothing ------------------------------------------------------------------------


def fake_tables(raw: Path, out: Path) -> dict[str, float]:
    """Stand-in for the real table writers: copies of the shipped tables, one changed."""
    for name in BUILT_FILES:
        (out / name).write_bytes((REPO / "inputs" / name).read_bytes())
    text = (REPO / "inputs" / "fuels.csv").read_text(encoding="utf-8")
    (out / "fuels.csv").write_text(text + "\n", encoding="utf-8")  # a harmless change
    return {"note": 1.0}


@pytest.fixture
def inputs(tmp_path):
    """A copy of the shipped inputs/ (built tables, demand.csv, README)."""
    folder = tmp_path / "inputs"
    folder.mkdir()
    for path in (REPO / "inputs").iterdir():
        (folder / path.name).write_bytes(path.read_bytes())
    return folder


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_bad_raw_data_leave_inputs_untouched(raw, inputs):
    before = snapshot(inputs)
    (raw / "gen.csv").write_text("timestamp,WND,SUN\nt0,1,2\n")
    with pytest.raises(RawDataError) as err:
        build_all(raw, inputs)
    assert "inputs/ was not changed" in str(err.value)
    assert "gen.csv: line 2: found 1 data rows" in str(err.value)
    assert snapshot(inputs) == before
    assert not list(inputs.parent.glob(".inputs.build-*"))


def test_a_failure_half_way_leaves_inputs_untouched(raw, inputs, monkeypatch):
    before = snapshot(inputs)

    def half(raw: Path, out: Path) -> dict[str, float]:
        (out / "hourly_profiles.csv").write_text("hour\n0\n")  # new profiles written ...
        raise KeyError("technology_costs row CCGT FOM")  # ... then a table fails

    monkeypatch.setattr(build, "_write_tables", half)
    with pytest.raises(RawDataError, match=r"the build stopped \(KeyError"):
        build_all(raw, inputs)
    assert snapshot(inputs) == before
    assert not list(inputs.parent.glob(".inputs.build-*"))


def test_built_tables_that_fail_the_input_checks_are_not_moved_in(raw, inputs, monkeypatch):
    before = snapshot(inputs)

    def broken(raw: Path, out: Path) -> dict[str, float]:
        fake_tables(raw, out)
        with (out / "regions.csv").open("a", encoding="utf-8") as fh:
            fh.write("us_east,pue_ratio,lots,ratio,x\n")
        return {}

    monkeypatch.setattr(build, "_write_tables", broken)
    with pytest.raises(RawDataError, match="built table"):
        build_all(raw, inputs)
    assert snapshot(inputs) == before


def test_a_good_build_replaces_only_the_built_tables(raw, inputs, monkeypatch, caplog):
    (inputs / "my_notes.txt").write_text("mine")
    monkeypatch.setattr(build, "_write_tables", fake_tables)
    assert build_all(raw, inputs) == {"note": 1.0}
    assert (inputs / "fuels.csv").read_text().endswith("\n\n")
    assert (inputs / "my_notes.txt").read_text() == "mine"
    assert (inputs / "demand.csv").read_bytes() == (REPO / "inputs" / "demand.csv").read_bytes()
    manifest = read_manifest(inputs / MANIFEST_FILE)
    assert set(manifest) == {"gen.csv", "costs.csv", "w.epw"}
    # a raw file changed since: the rebuild says so
    (raw / "costs.csv").write_text("technology,parameter,value\nCCGT,FOM,1.6\n")
    with caplog.at_level(logging.WARNING, logger="energymodel.data.build"):
        build_all(raw, inputs)
    assert "raw file costs.csv: changed" in caplog.text


def test_the_command_line_reports_and_checks(raw, inputs, monkeypatch, capsys):
    monkeypatch.setattr(build, "_write_tables", fake_tables)
    (raw / "gen.csv").write_text("")
    assert build_cli.main(["--raw", str(raw), "--out", str(inputs)]) == 1
    assert "line 1: found an empty file" in capsys.readouterr().err
    (raw / "gen.csv").write_text(GOOD["gen.csv"])
    assert build_cli.main(["--raw", str(raw), "--out", str(inputs)]) == 0
    assert build_cli.main(["--raw", str(raw), "--out", str(inputs), "--check"]) == 0
    (raw / "w.epw").write_text(GOOD["w.epw"] + "2010,4,1\n")
    assert build_cli.main(["--raw", str(raw), "--out", str(inputs), "--check"]) == 1
    assert "w.epw: changed" in capsys.readouterr().err


def test_the_shipped_manifest_lists_every_raw_file():
    manifest = read_manifest(REPO / "inputs" / MANIFEST_FILE)
    assert set(manifest) == {spec.path for spec in RAW_FILES}
