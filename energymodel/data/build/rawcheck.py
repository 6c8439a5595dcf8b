"""Check every raw file the build reads, and fingerprint them, before anything is built.

Each raw file is described once in :data:`RAW_FILES`: its path under the raw folder, its
format, the columns the build reads, which of them must be numbers and how many hourly
rows it must hold. :func:`check_raw` reads each file as text and reports every problem as
``file: line N: column C: found ...; expected ...`` (absolute path, 1-based line), so an
empty, truncated or column-less file is named at its line instead of failing deep inside
pandas or pvlib. :func:`fingerprint` gives the size and SHA-256 of each file; the build
writes them to ``inputs/raw_manifest.csv`` and reports a raw file that changed since.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import math
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from energymodel.data.build.eia930 import FUELS, HOURS
from energymodel.data.build.regions_map import BA_SITE_FILE, EUROPE_TMY, US_SITE_FILES
from energymodel.fileio import TextDecodeError, os_error_cause, read_text

MANIFEST_FILE = "raw_manifest.csv"
"""The fingerprints of the raw files an ``inputs/`` was built from."""
MANIFEST_COLUMNS = ("file", "bytes", "sha256")
PER_FILE = 20
"""Problems listed per raw file; the rest are counted."""


@dataclass(frozen=True)
class RawSpec:
    """One raw file: where, in which format, and what the build reads from it.

    Attributes
    ----------
    path
        Relative to the raw folder.
    kind
        ``csv`` (a header row, then rows), ``epw`` (EnergyPlus: 8 header lines, fields by
        position), ``tmy3`` (a metadata line, then a header row) or ``pvgis`` (metadata
        lines, a header row starting ``time(UTC)``, rows, then notes).
    columns
        Columns the build reads (by name; ``epw``: ``name=position``).
    numeric
        Of those, the ones that must hold numbers.
    blank_ok
        Numeric columns that may be blank (missing hours the build fills).
    rows
        Exact number of data rows (``None``: at least one); ``epw``, ``tmy3`` and ``pvgis``
        need at least this many.
    """

    path: str
    kind: str
    columns: tuple[str, ...]
    numeric: tuple[str, ...] = ()
    blank_ok: bool = False
    rows: int | None = None


_COSTS = ("technology", "parameter", "value", "unit", "currency_year")
_EPW = ("temp_air=6", "ghi=13", "dni=14", "dhi=15", "wind_speed=21")
_TMY3 = ("GHI (W/m^2)", "DNI (W/m^2)", "DHI (W/m^2)", "Dry-bulb (C)", "Wspd (m/s)")
_PVGIS = ("time(UTC)", "T2m", "G(h)", "Gb(n)", "Gd(h)", "WS10m")
_WEATHER = sorted({*BA_SITE_FILE.values(), *US_SITE_FILES.values(), EUROPE_TMY})


def _weather_spec(name: str) -> RawSpec:
    path = f"weather_tmy/{name}"
    if name == EUROPE_TMY:
        return RawSpec(path, "pvgis", _PVGIS, _PVGIS[1:], rows=HOURS)
    if name.endswith(".epw"):
        return RawSpec(path, "epw", _EPW, _EPW, rows=HOURS)
    return RawSpec(path, "tmy3", _TMY3, _TMY3, rows=HOURS)


RAW_FILES: tuple[RawSpec, ...] = (
    *(
        RawSpec(
            f"eia930_generation_2022/{ba}.csv",
            "csv",
            ("timestamp", *FUELS),
            FUELS,
            blank_ok=True,
            rows=HOURS,
        )
        for ba in ("BPAT", "CISO", "ERCO", "MISO", "PJM")
    ),
    RawSpec("google_cluster_cpu_hourly.csv", "csv", ("cpu_load",), ("cpu_load",)),
    *(
        RawSpec(f"technology_costs/{prefix}_{year}.csv", "csv", _COSTS, ("value",))
        for prefix in ("eu_costs", "us_atb_costs")
        for year in (2025, 2030)
    ),
    *(_weather_spec(name) for name in _WEATHER),
    # the grid as a system (grid_raw.py)
    *(
        RawSpec(
            f"eia930_demand_2015_2019/{ba}.csv",
            "csv",
            ("date_time", "cleaned demand (MW)"),
            ("cleaned demand (MW)",),
        )
        for ba in ("CISO", "ERCO", "PJM")
    ),
    RawSpec(
        "europe_hourly_2023/EU27_public_power_2023_hourly.csv",
        "csv",
        ("timestamp_utc", "load", "hydro_run_of_river", "hydro_reservoir"),
        ("load", "hydro_run_of_river", "hydro_reservoir"),
        rows=HOURS,
    ),
    RawSpec(
        "grid_capacity/electricitymaps_capacity_by_zone.csv",
        "csv",
        ("zone", "mode", "datetime", "value_MW"),
        ("value_MW",),
        blank_ok=True,  # two blank values, in zones the build does not read
    ),
    RawSpec(
        "grid_capacity/powerplantmatching_europe_v0.6.0.csv.gz",
        "csv",
        ("Fueltype", "Technology", "Country", "Capacity", "Efficiency", "DateIn", "DateOut"),
        ("Capacity",),
    ),
)
"""Every raw file the build reads."""


class RawDataError(Exception):
    """Raw files that cannot be built from; ``problems`` lists every one found."""

    def __init__(self, problems: list[str]) -> None:
        from energymodel.limits import capped_lines

        self.problems = list(problems)
        lines = "\n".join(capped_lines(self.problems, "  - "))
        super().__init__(
            f"{len(self.problems):,} problem(s) in the raw data; inputs/ was not changed:\n{lines}"
        )


def _is_number(text: str) -> bool:
    try:
        return math.isfinite(float(text))
    except ValueError:
        return False


def _records(text: str) -> Iterator[tuple[int, list[str]]]:
    """CSV records with the 1-based line each starts on."""
    reader = csv.reader(io.StringIO(text, newline=""))
    start = 1
    for record in reader:
        yield start, record
        start = reader.line_num + 1


def _check_rows(
    where: str,
    rows: list[tuple[int, list[str]]],
    spec: RawSpec,
    index: dict[str, int],
    last_line: int,
) -> list[str]:
    """Problems of the data rows: too few or too many, short rows, values not numbers."""
    problems: list[str] = []
    dropped = 0
    width = max(index.values()) + 1 if index else 0
    for line, cells in rows:
        if len(cells) < width:
            problems.append(
                f"{where}: line {line}: found {len(cells)} fields; expected at least {width}"
            )
            continue
        for name in spec.numeric:
            cell = cells[index[name]].strip()
            if cell == "" and spec.blank_ok:
                continue
            if not _is_number(cell):
                column = name.split("=")[0]
                shown = cell if len(cell) <= 30 else cell[:27] + "..."
                problems.append(
                    f"{where}: line {line}: column {column}: found {shown!r}; expected a number"
                )
        if len(problems) > PER_FILE:
            dropped += 1
    if spec.rows is not None:
        exact = spec.kind == "csv"
        if len(rows) < spec.rows or (exact and len(rows) != spec.rows):
            what = "" if exact else "at least "
            cut = " (truncated?)" if len(rows) < spec.rows else ""
            problems.insert(
                0,
                f"{where}: line {last_line}: found {len(rows):,} data rows{cut}; expected "
                f"{what}{spec.rows:,} (one per hour of the year)",
            )
    if len(problems) > PER_FILE:
        more = len(problems) - PER_FILE
        problems = [*problems[:PER_FILE], f"{where}: and {more:,} more problem(s) in this file"]
    return problems


def _check_text(path: Path, spec: RawSpec, text: str) -> list[str]:
    where = str(path)
    lines_total = text.count("\n") + (0 if text.endswith("\n") else 1)
    if not text.strip():
        return [f"{where}: line 1: found an empty file; expected {spec.kind.upper()} data"]
    records = list(_records(text))
    if spec.kind == "epw":
        first = records[0][1]
        if not first or first[0].strip() != "LOCATION":
            return [f"{where}: line 1: found no LOCATION line; expected an EnergyPlus weather file"]
        index = {c: int(c.split("=")[1]) for c in spec.columns}
        data = [(n, r) for n, r in records[8:] if any(x.strip() for x in r)]
        return _check_rows(where, data[: spec.rows], spec, index, lines_total)
    header_at = {"csv": 0, "tmy3": 1}.get(spec.kind)
    if spec.kind == "pvgis":
        header_at = next(
            (i for i, (_, r) in enumerate(records) if r and r[0].strip() == "time(UTC)"), None
        )
        if header_at is None:
            return [f"{where}: found no header line starting time(UTC); expected a PVGIS TMY file"]
    assert header_at is not None
    if len(records) <= header_at:
        expected = ", ".join(spec.columns)
        return [f"{where}: line {lines_total}: found no header row; expected columns {expected}"]
    header_line, header = records[header_at]
    names = [c.strip() for c in header]
    missing = [c for c in spec.columns if c not in names]
    if missing:
        found = ", ".join(names) or "none"
        found = found if len(found) <= 120 else found[:117] + "..."
        expected = f"{', '.join(spec.columns)} (missing {', '.join(missing)})"
        return [f"{where}: line {header_line}: found columns {found}; expected {expected}"]
    index = {c: names.index(c) for c in spec.columns}
    rows = [(n, r) for n, r in records[header_at + 1 :] if any(c.strip() for c in r)]
    if spec.kind == "pvgis":  # the table ends at the first blank or note line
        end = next((i for i, (_, r) in enumerate(rows) if not r[0][:1].isdigit()), len(rows))
        rows = rows[:end]
    return _check_rows(where, rows, spec, index, lines_total)


def check_raw(raw: Path) -> list[str]:
    """Every problem of the raw files in ``raw`` (empty: the build can run)."""
    raw = Path(raw).resolve()
    if not raw.is_dir():
        what = "a file, not a folder" if raw.exists() else "no such folder"
        return [f"{raw}: found {what}; expected the raw data folder (--raw)"]
    problems: list[str] = []
    for spec in RAW_FILES:
        path = raw / spec.path
        if not path.is_file():
            problems.append(f"{path}: file not found; expected {spec.kind.upper()} raw data")
            continue
        try:
            text = _read_gzip(path) if spec.path.endswith(".gz") else read_text(path)
        except (EOFError, UnicodeDecodeError) as err:  # a truncated or non-UTF-8 archive
            problems.append(f"{path}: cannot be read as gzip-compressed UTF-8 text ({err})")
            continue
        except TextDecodeError as err:
            problems.append(f"{path}: line {err.line}: {err.reason}")
            continue
        except OSError as err:
            problems.append(f"{path}: cannot be read ({os_error_cause(err)})")
            continue
        try:
            problems += _check_text(path, spec, text)
        except csv.Error as err:
            problems.append(f"{path}: cannot be read as CSV ({err})")
    return problems


def _read_gzip(path: Path) -> str:
    """The text of a gzip-compressed UTF-8 file (``OSError`` if it is not gzip)."""
    return gzip.decompress(path.read_bytes()).decode("utf-8").removeprefix("\ufeff")


def fingerprint(raw: Path) -> list[dict[str, object]]:
    """Size and SHA-256 of every raw file the build reads (rows of the manifest)."""
    rows: list[dict[str, object]] = []
    for spec in sorted(RAW_FILES, key=lambda s: s.path):
        data = (Path(raw) / spec.path).read_bytes()
        rows.append(
            {"file": spec.path, "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}
        )
    return rows


def read_manifest(path: Path) -> dict[str, tuple[int, str]]:
    """``file -> (bytes, sha256)`` of a manifest written by an earlier build (empty if none)."""
    try:
        text = read_text(path)
    except (OSError, TextDecodeError):
        return {}
    out: dict[str, tuple[int, str]] = {}
    for row in csv.DictReader(io.StringIO(text)):
        try:
            out[row["file"]] = (int(row["bytes"]), row["sha256"])
        except (KeyError, TypeError, ValueError):
            continue
    return out


def changes(old: dict[str, tuple[int, str]], new: list[dict[str, object]]) -> list[str]:
    """One line per raw file that differs from the manifest ``old``."""
    out = []
    for row in new:
        name, size, digest = str(row["file"]), int(str(row["bytes"])), str(row["sha256"])
        if name not in old:
            out.append(f"{name}: not in the manifest (new raw file)")
        elif old[name][1] != digest:
            out.append(
                f"{name}: changed ({old[name][0]:,} -> {size:,} bytes, sha256 "
                f"{old[name][1][:12]}... -> {digest[:12]}...)"
            )
    listed = {str(r["file"]) for r in new}
    out += [f"{name}: in the manifest, no longer read" for name in sorted(set(old) - listed)]
    return out
