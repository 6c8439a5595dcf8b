"""Input tables: the manifest of CSV files in ``inputs/``, loading and checks.

The manifest :data:`TABLES` is the data dictionary in code: every file, its columns, and
every parameter it may hold with its unit, its allowed range and a one-line meaning.
``inputs/README.md`` embeds :func:`data_dictionary_markdown`, and a test keeps the two in
step. :func:`load_inputs` reads every table, checks it against the manifest and either
returns an :class:`Inputs` or raises one :class:`InputError` listing *every* problem found,
each with the file, the line, the column, the value found and what was expected.

Line numbers are 1-based and count the header, so the first data row is line 2.
"""

from __future__ import annotations

import csv
import dataclasses
import difflib
import functools
import logging
import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

logger = logging.getLogger(__name__)

HOURS_PER_YEAR = 8760
_ANY_YEAR = "blank = every year"


@dataclass(frozen=True)
class ParameterSpec:
    """One parameter a long table may hold.

    ``lo``/``hi`` bound the value (``None`` = unbounded); names containing ``_frac`` are
    checked against 0..1.
    """

    unit: str
    meaning: str
    lo: float | None = 0.0
    hi: float | None = None


@dataclass(frozen=True)
class TableSpec:
    """One CSV table: file, columns, keys and allowed parameters."""

    file: str
    description: str
    columns: dict[str, str]
    """Column name -> meaning, in file order."""
    keys: tuple[str, ...]
    """Columns that, with ``year`` (if any), identify a value (besides ``parameter``)."""
    parameters: dict[str, ParameterSpec] = field(default_factory=dict)
    required: tuple[str, ...] = ()
    """Parameters every key value (region, tech) must give."""
    required_for: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Extra parameters required for one key value, e.g. battery duration."""
    blank_year: bool = False
    """Whether ``year`` may be blank (the row then applies to every year)."""


def _p(unit: str, meaning: str, lo: float | None = 0.0, hi: float | None = None) -> ParameterSpec:
    return ParameterSpec(unit, meaning, lo, hi)


TABLES: dict[str, TableSpec] = {
    "regions": TableSpec(
        file="regions.csv",
        description="Per-region grid, site and price parameters (one value per region).",
        columns={
            "region": "region name",
            "parameter": "parameter name (below)",
            "value": "number in `unit`",
            "unit": "unit; must equal the manifest's",
            "source": "where the value comes from ('estimate:'/'derived:' when ours)",
        },
        keys=("region",),
        parameters={
            "grid_price_usd_per_mwh": _p("USD/MWh", "average grid energy price for large loads"),
            "grid_carbon_tco2_per_mwh": _p("tCO2/MWh", "average grid carbon intensity"),
            "grid_clean_frac": _p("fraction", "share of grid energy from carbon-free sources"),
            "existing_connection_gw": _p(
                "GW", "grid connection already serving AI data centres at the start of 2025"
            ),
            "max_new_connection_gw_per_yr": _p(
                "GW/yr", "new AI data-centre load utilities can connect per year (the queue)"
            ),
            "connection_ceiling_gw": _p(
                "GW", "total grid connection ever available to AI data centres to 2030"
            ),
            "connection_capex_usd_per_kw": _p("USD/kW", "cost of interconnection and substation"),
            "pue_ratio": _p("ratio", "power usage effectiveness of AI data centres", 1.0, 3.0),
            "existing_it_capacity_gw": _p("GW", "AI IT capacity in service at the start of 2025"),
            "gas_price_multiplier_ratio": _p("ratio", "regional gas price / Henry Hub"),
            "utc_offset_h": _p("h", "local standard time minus UTC (hourly profiles)", -12, 14),
        },
        required=(
            "grid_price_usd_per_mwh",
            "grid_carbon_tco2_per_mwh",
            "grid_clean_frac",
            "existing_connection_gw",
            "max_new_connection_gw_per_yr",
            "connection_ceiling_gw",
            "connection_capex_usd_per_kw",
            "pue_ratio",
            "existing_it_capacity_gw",
            "gas_price_multiplier_ratio",
            "utc_offset_h",
        ),
    ),
    "technologies": TableSpec(
        file="technologies.csv",
        description="Power supply technologies; several years interpolate linearly.",
        columns={
            "tech": "technology name",
            "year": f"year the value holds ({_ANY_YEAR})",
            "parameter": "parameter name (below)",
            "value": "number in `unit`",
            "unit": "unit; must equal the manifest's",
            "source": "where the value comes from",
        },
        keys=("tech",),
        blank_year=True,
        parameters={
            "capex_usd_per_kw": _p("USD/kW", "overnight capital cost (battery: per kW of 4 h)"),
            "fom_usd_per_kw_yr": _p("USD/kW/yr", "fixed operation and maintenance"),
            "vom_usd_per_mwh": _p("USD/MWh", "variable O&M (nuclear: incl. fuel)"),
            "heat_rate_mmbtu_per_mwh": _p("MMBtu/MWh", "fuel per unit of electricity (gas)"),
            "emissions_tco2_per_mwh": _p("tCO2/MWh", "direct CO2 per MWh of electricity"),
            "life_yr": _p("yr", "economic life for annualising capex", 1.0, 100.0),
            "max_build_gw_per_yr": _p("GW/yr", "world-wide build limit for data centres"),
            "available_from_year": _p("year", "first year new capacity can be built", 2000, 2100),
            "firm_credit_frac": _p("fraction", "share of capacity counted as firm at peak"),
            "max_cf_frac": _p("fraction", "availability of dispatchable capacity"),
            "roundtrip_efficiency_frac": _p("fraction", "storage round-trip efficiency"),
            "duration_h": _p("h", "storage energy / power"),
            "clean_frac": _p("fraction", "1 for carbon-free sources (storage: 0)"),
        },
        required=(
            "capex_usd_per_kw",
            "fom_usd_per_kw_yr",
            "vom_usd_per_mwh",
            "emissions_tco2_per_mwh",
            "life_yr",
            "max_build_gw_per_yr",
            "available_from_year",
            "firm_credit_frac",
            "max_cf_frac",
            "clean_frac",
        ),
        required_for={
            "gas_ccgt": ("heat_rate_mmbtu_per_mwh",),
            "gas_ocgt": ("heat_rate_mmbtu_per_mwh",),
            "gas_recip": ("heat_rate_mmbtu_per_mwh",),
            "battery": ("roundtrip_efficiency_frac", "duration_h"),
        },
    ),
    "fuels": TableSpec(
        file="fuels.csv",
        description="Fuel prices by hub and year (regional prices: multipliers in regions.csv).",
        columns={
            "fuel": "fuel name (gas)",
            "region": "price hub (henry_hub) or a region",
            "year": "year",
            "parameter": "parameter name (below)",
            "value": "number in `unit`",
            "unit": "unit; must equal the manifest's",
            "source": "where the value comes from",
        },
        keys=("fuel", "region"),
        parameters={"price_usd_per_mmbtu": _p("USD/MMBtu", "fuel price")},
        required=("price_usd_per_mmbtu",),
    ),
    "hardware": TableSpec(
        file="hardware.csv",
        description="Accelerators and facilities, world-wide, by year.",
        columns={
            "year": f"year the value holds ({_ANY_YEAR})",
            "parameter": "parameter name (below)",
            "value": "number in `unit`",
            "unit": "unit; must equal the manifest's",
            "source": "where the value comes from",
        },
        keys=(),
        blank_year=True,
        parameters={
            "tokens_per_kwh": _p("tokens/kWh", "tokens served per kWh of IT energy (before PUE)"),
            "it_capex_usd_per_kw": _p("USD/kW", "accelerators, servers, networking per kW of IT"),
            "it_life_yr": _p("yr", "IT hardware life", 1.0, 30.0),
            "facility_capex_usd_per_kw": _p("USD/kW", "shell, power, cooling per kW of IT"),
            "facility_life_yr": _p("yr", "facility life", 1.0, 60.0),
            "it_fom_frac_per_yr": _p("fraction/yr", "IT O&M as a share of IT capex per year"),
            "facility_fom_usd_per_kw_yr": _p("USD/kW/yr", "facility O&M per kW of IT"),
            "max_draw_frac": _p("fraction", "highest share of nameplate IT power drawn on average"),
            "max_build_gw_per_yr": _p("GW/yr", "world-wide AI IT capacity deliverable per year"),
            "it_kw_per_gpu": _p("kW", "IT power per accelerator incl. host and network share"),
            "pue_improvement_ratio_per_yr": _p("ratio/yr", "yearly PUE multiplier", 0.5, 1.5),
        },
        required=(
            "tokens_per_kwh",
            "it_capex_usd_per_kw",
            "it_life_yr",
            "facility_capex_usd_per_kw",
            "facility_life_yr",
            "it_fom_frac_per_yr",
            "facility_fom_usd_per_kw_yr",
            "max_draw_frac",
            "max_build_gw_per_yr",
            "it_kw_per_gpu",
            "pue_improvement_ratio_per_yr",
        ),
    ),
    "demand": TableSpec(
        file="demand.csv",
        description="AI data-centre demand trajectories by region and year.",
        columns={
            "trajectory": "trajectory name (scenario `demand.trajectory`)",
            "region": "region name",
            "year": "year",
            "value": "number in `unit`",
            "unit": "TWh (facility electricity a year) or GW (facility power capacity)",
            "source": "where the value comes from",
        },
        keys=("trajectory", "region"),
    ),
}

DEMAND_UNITS = ("TWh", "GW")
FUEL_HUBS = ("henry_hub",)

HOURLY_FILE = "hourly_profiles.csv"

HOURLY_PROFILES: dict[str, tuple[str, str]] = {
    "solar_pv": ("availability 0..1", "solar PV output per unit of capacity"),
    "wind_onshore": ("availability 0..1", "onshore wind output per unit of capacity"),
    "grid_price": ("ratio, mean 1", "hourly shape of the grid energy price"),
    "inference_load": ("ratio, mean 1", "hourly shape of inference load"),
}
_RATIO_PROFILES = ("grid_price", "inference_load")
_MEAN_TOLERANCE = 1e-3


class InputError(Exception):
    """Raised by :func:`load_inputs` with every problem found in the input tables."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = list(problems)
        lines = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(f"{len(self.problems)} problem(s) in the input tables:\n{lines}")


@dataclass(frozen=True)
class Inputs:
    """Every input table, checked. Treat the frames as read-only.

    ``regions`` is wide (index ``region``, one float column per parameter); the other
    tables are long, with ``unit`` and ``source`` kept beside ``value``.
    """

    regions: pd.DataFrame
    technologies: pd.DataFrame
    fuels: pd.DataFrame
    hardware: pd.DataFrame
    demand: pd.DataFrame
    hourly: pd.DataFrame

    def series(self, table: str, parameter: str, years: list[int]) -> pd.DataFrame:
        """Return one parameter as a year x key table.

        Parameters
        ----------
        table
            ``regions``, ``technologies``, ``fuels``, ``hardware`` or ``demand`` (for
            ``demand`` the parameter is the trajectory name).
        parameter
            Parameter name (or trajectory).
        years
            Years wanted (the index of the result).

        Returns
        -------
        pandas.DataFrame
            Index ``year``; columns the key (region, tech; ``(fuel, region)`` pairs for
            fuels; one column ``value`` for hardware). Values are interpolated linearly
            between given years and held flat outside them; rows with a blank year apply
            to every year. Keys without the parameter are left out.
        """
        index = pd.Index(list(years), name="year")
        if table == "regions":
            if parameter not in self.regions.columns:
                raise KeyError(f"regions has no parameter {parameter!r}")
            col = self.regions[parameter]
            return pd.DataFrame({r: [float(v)] * len(index) for r, v in col.items()}, index=index)
        if table not in ("technologies", "fuels", "hardware", "demand"):
            raise KeyError(f"unknown table {table!r}; expected one of {sorted(TABLES)}")
        df = getattr(self, table)
        if table == "demand":
            rows, keys = df[df["trajectory"] == parameter], ["region"]
        else:
            rows, keys = df[df["parameter"] == parameter], list(TABLES[table].keys)
        if rows.empty:
            raise KeyError(f"{table} has no parameter {parameter!r}")
        out: dict[object, np.ndarray] = {}
        groups = rows.groupby(keys, sort=False) if keys else [(("value",), rows)]
        for key, grp in groups:
            name: object = key[0] if len(key) == 1 else key
            undated = grp[grp["year"].isna()]
            if len(undated):
                out[name] = np.full(len(index), float(undated["value"].iloc[0]))
                continue
            grp = grp.sort_values("year")
            xs = grp["year"].astype(float).to_numpy()
            out[name] = np.interp(index.to_numpy(dtype=float), xs, grp["value"].to_numpy(float))
        result = pd.DataFrame(out, index=index)
        if len(keys) > 1:
            result.columns = pd.MultiIndex.from_tuples(list(out), names=keys)
        return result


# --------------------------------------------------------------------------- loading


def _mtimes(inputs_dir: Path) -> tuple[float | None, ...]:
    files = [spec.file for spec in TABLES.values()] + [HOURLY_FILE]
    out: list[float | None] = []
    for name in files:
        try:
            out.append((inputs_dir / name).stat().st_mtime_ns)
        except OSError:
            out.append(None)
    return tuple(out)


def load_inputs(inputs_dir: Path) -> Inputs:
    """Read and check every input table in ``inputs_dir``.

    Parameters
    ----------
    inputs_dir
        Folder holding the CSV files of :data:`TABLES` and ``hourly_profiles.csv``.

    Returns
    -------
    Inputs
        The checked tables (a fresh copy; results are cached per folder and file times).

    Raises
    ------
    InputError
        With every problem found, never a traceback for bad data.
    """
    inputs_dir = Path(inputs_dir).resolve()
    cached = _load_cached(str(inputs_dir), _mtimes(inputs_dir))
    return Inputs(**{f.name: getattr(cached, f.name).copy() for f in dataclasses.fields(cached)})


def check_inputs(inputs_dir: Path) -> list[str]:
    """Return every problem in the input tables of ``inputs_dir`` (empty when clean)."""
    try:
        load_inputs(inputs_dir)
    except InputError as err:
        return err.problems
    return []


@functools.lru_cache(maxsize=8)
def _load_cached(inputs_dir: str, mtimes: tuple[float | None, ...]) -> Inputs:
    del mtimes  # part of the cache key only
    folder = Path(inputs_dir)
    problems: list[str] = []
    if not folder.is_dir():
        raise InputError([f"{folder}: input folder not found"])
    # ``mentioned``: (keys..., parameter) of every row naming a known parameter; a row dropped
    # for a bad value still counts as given, so it is not reported as missing as well.
    long: dict[str, pd.DataFrame] = {}
    mentioned: dict[str, set[tuple[str, ...]]] = {}
    for name, spec in TABLES.items():
        long[name], mentioned[name] = _read_long(folder, spec, problems)
    regions = _regions_wide(long["regions"])
    known_regions = set(regions.index)
    _check_keys(long, mentioned, known_regions, problems)
    hourly = _read_hourly(folder / HOURLY_FILE, sorted(known_regions), problems)
    if problems:
        raise InputError(problems)
    logger.debug("loaded inputs from %s", folder)
    return Inputs(
        regions=regions,
        technologies=long["technologies"],
        fuels=long["fuels"],
        hardware=long["hardware"],
        demand=long["demand"],
        hourly=hourly,
    )


def _read_long(
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
        with path.open(newline="", encoding="utf-8") as fh:
            records = [(r, line) for r, line in _csv_records(fh) if any(c.strip() for c in r)]
    except (UnicodeDecodeError, csv.Error) as err:
        problems.append(f"{name}: cannot be read as UTF-8 CSV ({err})")
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
            what.append(f"unexpected column {c!r}{_did_you_mean(c, missing or columns)}")
        if not what:
            what.append("columns in the wrong order")
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
        if not row[key]:
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
                f"{_did_you_mean(param, list(spec.parameters))}; "
                f"expected one of {', '.join(spec.parameters)}"
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


def _check_range(pspec: ParameterSpec | None, param: str, value: float, where: str) -> list[str]:
    lo, hi = (0.0, None) if pspec is None else (pspec.lo, pspec.hi)
    if "_frac" in param:
        lo, hi = 0.0, 1.0
    if (lo is not None and value < lo) or (hi is not None and value > hi):
        if lo == 0.0 and hi is None:
            expected = "a value >= 0 (negative not allowed)"
        elif "_frac" in param:
            expected = "a fraction between 0 and 1"
        else:
            expected = f"a value in [{lo}, {hi}]"
        label = f" for {param}" if param else ""
        return [f"{where}: column value: found {value:g}{label}; expected {expected}"]
    return []


def _did_you_mean(word: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _regions_wide(df: pd.DataFrame) -> pd.DataFrame:
    if df.empty:
        return pd.DataFrame(index=pd.Index([], name="region"))
    wide = df.pivot(index="region", columns="parameter", values="value")
    order = [p for p in TABLES["regions"].parameters if p in wide.columns]
    wide = wide.reindex(index=list(dict.fromkeys(df["region"])), columns=order)
    wide.columns.name = None
    return wide.astype(float)


def _check_keys(
    long: dict[str, pd.DataFrame],
    mentioned: dict[str, set[tuple[str, ...]]],
    regions: set[str],
    problems: list[str],
) -> None:
    """Check required parameters, key names and cross-table references."""
    for name, spec in TABLES.items():
        df = long[name]
        if df.empty:
            continue
        if spec.required:
            _check_required(spec, df, mentioned[name], problems)
        if "region" in df.columns and name != "regions":
            allowed = regions | set(FUEL_HUBS) if name == "fuels" else regions
            for row in df[~df["region"].isin(allowed)].itertuples():
                problems.append(
                    f"{spec.file}: line {row.line}: column region: unknown region "
                    f"{row.region!r}{_did_you_mean(str(row.region), sorted(allowed))}; "
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
            missing = sorted(regions - set(grp["region"]))
            if missing:
                problems.append(
                    f"demand.csv: trajectory {traj!r}: no rows for region(s) {', '.join(missing)}; "
                    "expected every region of regions.csv (0 where none)"
                )


def _check_required(
    spec: TableSpec, df: pd.DataFrame, mentioned: set[tuple[str, ...]], problems: list[str]
) -> None:
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


def _read_hourly(path: Path, regions: list[str], problems: list[str]) -> pd.DataFrame:
    """Read and check ``hourly_profiles.csv`` (8760 rows, one column per profile x region)."""
    name = path.name
    empty = pd.DataFrame(index=pd.RangeIndex(HOURS_PER_YEAR, name="hour"))
    if not path.is_file():
        problems.append(
            f"{name}: file not found; expected {HOURS_PER_YEAR} rows of hourly profiles"
        )
        return empty
    try:
        values = pd.read_csv(path, skip_blank_lines=False)  # fast path: all numeric
        numeric = all(pd.api.types.is_numeric_dtype(t) for t in values.dtypes)
        raw = values if numeric else pd.read_csv(path, dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as err:
        problems.append(f"{name}: cannot be read as CSV ({str(err).strip()})")
        return empty
    expected = ["hour"] + [f"{p}:{r}" for p in HOURLY_PROFILES for r in regions]
    missing = [c for c in expected if c not in raw.columns]
    extra = [c for c in raw.columns if c not in expected]
    if missing:
        problems.append(
            f"{name}: line 1: missing column(s) {', '.join(missing)}; expected 'hour' and "
            "'<profile>:<region>' for every profile and every region of regions.csv"
        )
    for col in extra:
        problems.append(
            f"{name}: line 1: unexpected column {col!r}{_did_you_mean(col, missing or expected)}"
        )
    if len(raw) != HOURS_PER_YEAR:
        problems.append(
            f"{name}: found {len(raw)} data rows; expected {HOURS_PER_YEAR} "
            "(one per hour of a 365-day year, hour 0..8759)"
        )
    if missing or extra or len(raw) != HOURS_PER_YEAR:
        return empty
    if not numeric:
        values = raw.apply(pd.to_numeric, errors="coerce")
    for col in raw.columns:
        bad = values[col].isna().to_numpy().nonzero()[0]
        for i in bad[:3]:
            cell = raw[col].iloc[i]
            found = "an empty cell" if not isinstance(cell, str) or not cell else repr(cell)
            problems.append(f"{name}: line {i + 2}: column {col}: found {found}; expected a number")
        if len(bad) > 3:
            problems.append(f"{name}: column {col}: {len(bad) - 3} more non-numeric cells")
    if not np.array_equal(values["hour"].to_numpy(), np.arange(HOURS_PER_YEAR)):
        problems.append(f"{name}: column hour: expected 0, 1, ..., {HOURS_PER_YEAR - 1} in order")
    for col in expected[1:]:
        x = values[col]
        profile = col.split(":", 1)[0]
        hi = None if profile in _RATIO_PROFILES else 1.0
        out_of_range = ((x < 0) | (x > hi)) if hi is not None else (x < 0)
        for i in out_of_range.to_numpy().nonzero()[0][:3]:
            want = "an availability between 0 and 1" if hi else "a ratio >= 0"
            problems.append(
                f"{name}: line {i + 2}: column {col}: found {x.iloc[i]:g}; expected {want}"
            )
        if profile in _RATIO_PROFILES and x.notna().all() and abs(x.mean() - 1) > _MEAN_TOLERANCE:
            problems.append(
                f"{name}: column {col}: mean {x.mean():.4f}; expected a ratio with mean 1 "
                f"(within {_MEAN_TOLERANCE})"
            )
    hourly = values.set_index("hour").astype(float)
    hourly.index = pd.RangeIndex(HOURS_PER_YEAR, name="hour")
    return hourly


# --------------------------------------------------------------------------- data dictionary

README_BEGIN = (
    "<!-- BEGIN data dictionary: generated by energymodel.inputs.data_dictionary_markdown -->"
)
README_END = "<!-- END data dictionary -->"


def data_dictionary_markdown() -> str:
    """Render the manifest as Markdown tables (embedded in ``inputs/README.md``)."""
    parts: list[str] = []
    for spec in TABLES.values():
        parts.append(f"### `{spec.file}`\n\n{spec.description}\n")
        parts.append("| column | meaning |\n|---|---|")
        parts.extend(f"| `{c}` | {m} |" for c, m in spec.columns.items())
        if spec.parameters:
            parts.append(
                "\n| parameter | unit | range | required | meaning |\n|---|---|---|---|---|"
            )
            for pname, p in spec.parameters.items():
                lo, hi = (0.0, 1.0) if "_frac" in pname else (p.lo, p.hi)
                rng = f"{'' if lo is None else f'{lo:g}'}..{'' if hi is None else f'{hi:g}'}"
                if pname in spec.required:
                    req = "yes"
                else:
                    req = ", ".join(k for k, v in spec.required_for.items() if pname in v) or "no"
                parts.append(f"| `{pname}` | {p.unit} | {rng} | {req} | {p.meaning} |")
        parts.append("")
    parts.append(f"### `{HOURLY_FILE}`\n")
    parts.append(
        f"{HOURS_PER_YEAR} rows, column `hour` (0..{HOURS_PER_YEAR - 1}, local standard time), "
        "then one column `<profile>:<region>` per profile and region of `regions.csv`.\n"
    )
    parts.append("| profile | values | meaning |\n|---|---|---|")
    parts.extend(f"| `{p}` | {u} | {m} |" for p, (u, m) in HOURLY_PROFILES.items())
    return "\n".join(parts) + "\n"


def update_readme(readme: Path) -> bool:
    """Rewrite the generated data-dictionary block of ``readme``; return whether it changed."""
    text = readme.read_text(encoding="utf-8")
    head, _, rest = text.partition(README_BEGIN)
    _, _, tail = rest.partition(README_END)
    new = f"{head}{README_BEGIN}\n\n{data_dictionary_markdown()}\n{README_END}{tail}"
    if new != text:
        readme.write_text(new, encoding="utf-8")
    return new != text


def readme_block(readme: Path) -> str:
    """Return the generated block currently in ``readme`` (for the up-to-date test)."""
    text = readme.read_text(encoding="utf-8")
    return text.partition(README_BEGIN)[2].partition(README_END)[0].strip("\n") + "\n"
