"""Read the long input CSV files and check them against the manifest, collecting every problem.

The hourly file has its own reader, :mod:`energymodel.data.hourly`.

Each reader appends problems (``file: line N: column C: found ...; expected ...``) to a
list and returns what it could read; :func:`energymodel.data.tables.load_inputs` raises them
all together. Line numbers are 1-based and count the header.
"""

from __future__ import annotations

import csv
import difflib
import io
import math
from pathlib import Path

import pandas as pd

from energymodel.data.manifest import (
    DEMAND_UNITS,
    FUEL_HUBS,
    TABLES,
    ParameterSpec,
    TableSpec,
)
from energymodel.fileio import TextDecodeError, os_error_cause, read_text


def read_long_table(
    folder: Path, spec: TableSpec, problems: list[str]
) -> tuple[pd.DataFrame, set[tuple[str, ...]]]:
    """Read one long table row by row, recording problems.

    Returns the clean rows and the (keys..., parameter) of every row naming a known
    parameter.
    """
    columns = list(spec.columns)
    out_cols = [*columns, "line"]
    empty = pd.DataFrame({c: [] for c in out_cols})
    path = folder / spec.file
    name = spec.file
    if not path.is_file():
        problems.append(f"{name}: file not found; expected a CSV with columns {','.join(columns)}")
        return empty, set()
    try:
        text = read_text(path)
        records = [
            (r, line)
            for r, line in _csv_records(io.StringIO(text, newline=""))
            if any(c.strip() for c in r)
        ]
    except TextDecodeError as err:
        problems.append(f"{name}: line {err.line}: {err.reason}")
        return empty, set()
    except csv.Error as err:
        problems.append(f"{name}: cannot be read as CSV ({err})")
        return empty, set()
    except OSError as err:
        problems.append(f"{name}: cannot be read ({os_error_cause(err)})")
        return empty, set()
    if not records:
        problems.append(f"{name}: file is empty; expected a header {','.join(columns)}")
        return empty, set()
    header = [c.strip() for c in records[0][0]]
    if header != columns:
        missing = [c for c in columns if c not in header]
        extra = [c for c in header if c not in columns]
        what = []
        if missing:
            what.append(f"missing column(s) {', '.join(missing)}")
        for c in extra:
            what.append(f"unexpected column {c!r}{did_you_mean(c, missing or columns)}")
        if not what:
            what.append("columns in the wrong order")
        if len(header) == 1 and [c.strip() for c in header[0].split(";")] == columns:
            what = ["the columns are separated by ';', not ','"]  # Excel in some locales
        problems.append(
            f"{name}: line 1: {'; '.join(what)}; expected header {','.join(columns)} "
            f"(found {','.join(header)})"
        )
        return empty, set()
    rows: list[dict[str, object]] = []
    seen: dict[tuple[str, ...], int] = {}
    mentioned: set[tuple[str, ...]] = set()
    for cells, line in records[1:]:
        where = f"{name}: line {line}"
        if len(cells) != len(columns):
            problems.append(
                f"{where}: expected {len(columns)} fields ({','.join(columns)}), found {len(cells)}"
            )
            continue
        row: dict[str, object] = dict(zip(columns, (c.strip() for c in cells), strict=True))
        if row.get("parameter") in spec.parameters:
            mentioned.add((*(str(row[k]) for k in spec.keys), str(row["parameter"])))
        row_problems = _check_row(spec, row, where)
        problems.extend(row_problems)
        if row_problems:
            continue
        ident = tuple(str(row[c]) for c in columns if c not in ("value", "unit", "source"))
        if ident in seen:
            problems.append(f"{where}: duplicate of line {seen[ident]} ({', '.join(ident)})")
            continue
        seen[ident] = line
        row["line"] = line
        rows.append(row)
    if not rows:
        return empty, mentioned
    df = pd.DataFrame(rows, columns=out_cols)
    df["value"] = df["value"].astype(float)
    if "year" in df.columns:
        df["year"] = pd.array(df["year"], dtype="Int64")
    return df, mentioned


def _csv_records(fh: object) -> list[tuple[list[str], int]]:
    """Parse CSV records with the physical line each starts on."""
    reader = csv.reader(fh)  # type: ignore[arg-type]
    out: list[tuple[list[str], int]] = []
    start = 1
    for rec in reader:
        out.append((rec, start))
        start = reader.line_num + 1
    return out


def _check_row(spec: TableSpec, row: dict[str, object], where: str) -> list[str]:
    """Check one row's cells; convert ``value`` and ``year`` in place."""
    out: list[str] = []
    for key in spec.keys:
        if not row[key] and key not in spec.blank_keys:
            out.append(f"{where}: column {key}: empty; expected a {key} name")
    if "year" in row:
        text = str(row["year"])
        if text == "" and spec.blank_year:
            row["year"] = None
        elif text.isdigit() and 1900 <= int(text) <= 2100:
            row["year"] = int(text)
        else:
            allowed = "a year 1900..2100" + (" or blank (every year)" if spec.blank_year else "")
            out.append(f"{where}: column year: found {text!r}; expected {allowed}")
    param = str(row.get("parameter", ""))
    pspec: ParameterSpec | None = None
    if "parameter" in row:
        pspec = spec.parameters.get(param)
        if pspec is None:
            out.append(
                f"{where}: column parameter: unknown parameter {param!r}"
                f"{did_you_mean(param, list(spec.parameters))}; "
                f"expected one of {', '.join(spec.parameters)}"
            )
    regional = "region" in spec.blank_keys and bool(row["region"])
    if pspec is not None and regional and param not in spec.regional:
        out.append(
            f"{where}: column region: found {row['region']!r} for {param}; expected blank "
            f"({param} holds in every region; only {', '.join(spec.regional)} may differ "
            "by region)"
        )
    unit = str(row["unit"])
    if pspec is not None and unit != pspec.unit:
        out.append(f"{where}: column unit: found {unit!r} for {param}; expected {pspec.unit!r}")
    elif "parameter" not in row and unit not in DEMAND_UNITS:
        out.append(f"{where}: column unit: found {unit!r}; expected one of {DEMAND_UNITS}")
    text = str(row["value"])
    try:
        value = float(text)
        if not math.isfinite(value):
            raise ValueError(text)
    except ValueError:
        label = f" for {param}" if param else ""
        out.append(f"{where}: column value: found {text!r}{label}; expected a number")
    else:
        row["value"] = value
        out.extend(_check_range(pspec, param, value, where))
    if not str(row["source"]):
        out.append(f"{where}: column source: empty; expected where the value comes from")
    return out


VALUE_MAX = 1e12
"""No table value may exceed this: larger ones (a typo such as 1e38) overflow the model's
arithmetic to inf."""


def _check_range(pspec: ParameterSpec | None, param: str, value: float, where: str) -> list[str]:
    lo, hi = (0.0, None) if pspec is None else pspec.bounds(param)
    if abs(value) > VALUE_MAX and (hi is None or hi > VALUE_MAX):
        label = f" for {param}" if param else ""
        return [f"{where}: column value: found {value:g}{label}; expected a value <= {VALUE_MAX:g}"]
    if (lo is not None and value < lo) or (hi is not None and value > hi):
        if lo == 0.0 and hi is None:
            expected = "a value >= 0 (negative not allowed)"
        elif "_frac" in param and (lo, hi) == (0.0, 1.0):
            expected = "a fraction between 0 and 1"
        elif hi is None:
            expected = f"a value >= {lo:g}"
        else:
            expected = f"a value in [{lo}, {hi}]"
        label = f" for {param}" if param else ""
        return [f"{where}: column value: found {value:g}{label}; expected {expected}"]
    return []


def did_you_mean(word: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(word, choices, n=2, cutoff=0.6)
    return f" (did you mean {' or '.join(map(repr, close))}?)" if close else ""


def regions_wide(df: pd.DataFrame) -> pd.DataFrame:
    return wide_by_key(df, "regions")


def wide_by_key(df: pd.DataFrame, table: str) -> pd.DataFrame:
    """A long table with one key (``regions``, ``accelerators``) as key x parameter, in file
    order of keys and manifest order of parameters (NaN where a key lacks one)."""
    (key,) = TABLES[table].keys
    if df.empty:
        return pd.DataFrame(index=pd.Index([], name=key))
    wide = df.pivot(index=key, columns="parameter", values="value")
    order = [p for p in TABLES[table].parameters if p in wide.columns]
    wide = wide.reindex(index=list(dict.fromkeys(df[key])), columns=order)
    wide.columns.name = None
    return wide.astype(float)


def check_keys_and_references(
    long: dict[str, pd.DataFrame],
    mentioned: dict[str, set[tuple[str, ...]]],
    regions: set[str] | None,
    problems: list[str],
) -> None:
    """Check required parameters, key names and cross-table references.

    ``regions`` None: ``regions.csv`` could not be read (its problem is reported once),
    so references to regions are not checked rather than all reported unknown.
    """
    for name, spec in TABLES.items():
        df = long[name]
        if df.empty:
            continue
        if spec.required:
            _check_required(spec, df, mentioned[name], regions or set(), problems)
        if "region" in df.columns and name != "regions" and regions is not None:
            allowed = regions | set(FUEL_HUBS) if name == "fuels" else regions
            if "region" in spec.blank_keys:
                allowed = allowed | {""}
            for row in df[~df["region"].isin(allowed)].itertuples():
                problems.append(
                    f"{spec.file}: line {row.line}: column region: unknown region "
                    f"{row.region!r}{did_you_mean(str(row.region), sorted(allowed))}; "
                    f"expected one of the regions in regions.csv"
                )
        if "year" in df.columns and spec.blank_year:
            group = [*spec.keys, "parameter"]
            for key, grp in df.groupby(group, sort=False) if group else []:
                if grp["year"].isna().any() and grp["year"].notna().any():
                    problems.append(
                        f"{spec.file}: line {int(grp['line'].min())}: {', '.join(map(str, key))} "
                        "has both a blank-year row and dated rows; expected one or the other"
                    )
    demand = long["demand"]
    if not demand.empty:
        for traj, grp in demand.groupby("trajectory", sort=False):
            units = sorted(set(grp["unit"]))
            if len(units) > 1:
                problems.append(
                    f"demand.csv: line {int(grp['line'].min())}: trajectory {traj!r} mixes units "
                    f"{units}; expected one unit per trajectory"
                )
            missing = sorted((regions or set()) - set(grp["region"]))
            if missing:
                problems.append(
                    f"demand.csv: trajectory {traj!r}: no rows for region(s) {', '.join(missing)}; "
                    "expected every region of regions.csv (0 where none)"
                )


def _check_required(
    spec: TableSpec,
    df: pd.DataFrame,
    mentioned: set[tuple[str, ...]],
    regions: set[str],
    problems: list[str],
) -> None:
    if spec.blank_keys:
        _check_required_by_region(spec, df, mentioned, regions, problems)
        return
    if not spec.keys:
        given = set(df["parameter"]) | {m[-1] for m in mentioned}
        for param in spec.required:
            if param not in given:
                problems.append(
                    f"{spec.file}: missing required parameter {param} "
                    f"({spec.parameters[param].unit}: {spec.parameters[param].meaning})"
                )
        return
    key = spec.keys[0] if len(spec.keys) == 1 else list(spec.keys)
    for k, grp in df.groupby(key, sort=False):
        label = k[0] if isinstance(k, tuple) and len(k) == 1 else k
        name = label if isinstance(label, str) else ":".join(map(str, label))
        needed = spec.required + spec.required_for.get(str(name), ())
        ident = tuple(map(str, label)) if isinstance(label, tuple) else (str(label),)
        given = set(grp["parameter"]) | {m[-1] for m in mentioned if m[:-1] == ident}
        for param in needed:
            if param not in given:
                problems.append(
                    f"{spec.file}: {'/'.join(spec.keys)} {name!r}: missing required parameter "
                    f"{param} ({spec.parameters[param].unit}: {spec.parameters[param].meaning})"
                )


def _check_required_by_region(
    spec: TableSpec,
    df: pd.DataFrame,
    mentioned: set[tuple[str, ...]],
    regions: set[str],
    problems: list[str],
) -> None:
    """Required parameters of a table keyed by (name, region) with a blank = every region.

    A parameter is given for a name when a blank-region row gives it, or when rows of
    its own give it for every region of regions.csv; one problem per name and parameter.
    """
    name_key = spec.keys[0]
    given: dict[str, dict[str, set[str]]] = {}
    for ident in mentioned:
        given.setdefault(ident[0], {}).setdefault(ident[-1], set()).add(ident[1])
    for name in dict.fromkeys(df[name_key]):
        needed = spec.required + spec.required_for.get(str(name), ())
        for param in needed:
            where = given.get(str(name), {}).get(param, set())
            # a non-regional parameter given on a region row is reported at that row
            covered = "" in where or (param not in spec.regional and where)
            if covered or (regions and regions <= where):
                continue
            p = spec.parameters[param]
            if where:
                missing = ", ".join(sorted(regions - where))
                problems.append(
                    f"{spec.file}: {name_key} {name!r}: parameter {param} has no row for "
                    f"region(s) {missing}; expected a blank-region row (every region) or a "
                    "row for each region"
                )
            else:
                problems.append(
                    f"{spec.file}: {name_key} {name!r}: missing required parameter "
                    f"{param} ({p.unit}: {p.meaning})"
                )
