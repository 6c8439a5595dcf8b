"""Read a results folder as one Dataset along ``scenario``, and compare scenarios.

Pure readers: nothing here solves or writes (writing ``all.nc`` and the summary files is
:mod:`energymodel.batch`'s job). A notebook can start here::

    from energymodel.compare import open_results, difference, headline
    ds = open_results("results")
    headline(ds)                         # one row per scenario, last model year
    difference(ds, "baseline")           # every numeric variable minus baseline's

The combined Dataset carries each run's swept values as non-index coordinates on
``scenario`` named ``sweep__<key>`` (NaN, or ``""`` for text, where a run did not sweep
that key) and every run's own attributes as JSON in the ``scenario_attrs`` attribute.
"""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import xarray as xr

logger = logging.getLogger(__name__)

COMBINED_NAME = "all.nc"
"""File name of the combined Dataset in a results folder."""
SWEEP_PREFIX = "sweep__"
"""Prefix of the attributes (per run) and coordinates (combined) holding swept values."""

SUMMARY_LABELS: dict[str, str] = {
    "it_capacity_gw": "IT capacity (GW)",
    "facility_energy_twh": "Facility energy (TWh)",
    "world_avg_cost_usd_per_mtok": "Avg cost ($/Mtok)",
    "marginal_cost_usd_per_mtok": "Marginal cost ($/Mtok)",
    "break_even_revenue_musd": "Break-even revenue (M$)",
    "revenue_gap_musd": "Revenue gap (M$)",
    "unserved_it_energy_twh": "Unserved (TWh)",
    "emissions_mtco2": "Emissions (MtCO2)",
}
"""The :func:`summary_table` figure columns and their Markdown headers."""
HEADLINE_COLUMNS = [
    "it_capacity_gw",
    "facility_energy_twh",
    "world_avg_cost_usd_per_mtok",
    "break_even_revenue_busd",
    "revenue_gap_busd",
    "unserved_it_energy_twh",
    "emissions_mtco2",
]
_LABELS = {
    **SUMMARY_LABELS,
    "break_even_revenue_busd": "Break-even revenue ($B)",
    "revenue_gap_busd": "Revenue gap ($B)",
}


def result_files(folder: str | Path, names: Iterable[str] | None = None) -> dict[str, Path]:
    """List the per-scenario result files of a folder.

    Parameters
    ----------
    folder
        A results folder holding ``<scenario>.nc`` files.
    names
        Scenarios to take, in this order; default every ``*.nc`` except ``all.nc``,
        sorted by name.

    Returns
    -------
    dict
        Scenario name -> path.

    Raises
    ------
    FileNotFoundError
        If a named scenario has no file.
    """
    folder = Path(folder)
    if names is None:
        paths = sorted(p for p in folder.glob("*.nc") if p.name != COMBINED_NAME)
        return {p.stem: p for p in paths}
    files = {name: folder / f"{name}.nc" for name in names}
    missing = [name for name, path in files.items() if not path.is_file()]
    if missing:
        raise FileNotFoundError(f"no results in {folder} for: {', '.join(missing)}")
    return files


def _attr_value(value: Any) -> Any:
    """Make an attribute value JSON-friendly (numpy scalars and arrays to Python)."""
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    return value


def _sweep_coord(values: list[Any]) -> np.ndarray:
    """One sweep coordinate: floats with NaN, or text with ``""``, where absent."""
    present = [v for v in values if v is not None]
    numeric = all(
        isinstance(v, int | float | np.integer | np.floating) and not isinstance(v, bool)
        for v in present
    )
    if numeric:
        return np.array([np.nan if v is None else float(v) for v in values], dtype=float)
    return np.array(["" if v is None else str(v) for v in values], dtype=object)


def combine_datasets(datasets: Mapping[str, xr.Dataset]) -> xr.Dataset:
    """Concatenate per-scenario Datasets along a new ``scenario`` dimension.

    Parameters
    ----------
    datasets
        Scenario name -> its results Dataset, in the order wanted.

    Returns
    -------
    xarray.Dataset
        Outer join over every other coordinate (NaN where a scenario lacks a label, e.g.
        a year or region it does not model). Sweep values become ``sweep__<key>``
        coordinates on ``scenario``; each run's attributes are kept as JSON in
        ``attrs["scenario_attrs"]``. Variable attributes (units, long_name) are kept.

    Raises
    ------
    ValueError
        If ``datasets`` is empty.
    """
    if not datasets:
        raise ValueError("no scenario results to combine")
    names = list(datasets)
    stripped = []
    for ds in datasets.values():
        ds = ds.copy()
        ds.attrs = {}
        for var in ds.variables.values():
            # Encodings (dtype, _FillValue, chunks) from the source file do not fit the
            # combined arrays (ints gain NaN from the outer join): let xarray choose.
            var.encoding = {}
        stripped.append(ds)
    combined = xr.concat(
        stripped,
        dim=pd.Index(names, name="scenario"),
        data_vars="all",
        coords="different",
        compat="equals",
        join="outer",
        combine_attrs="override",  # variable attrs (units) of the first run; run attrs: below
    )
    sweep_keys = sorted(
        {key for ds in datasets.values() for key in ds.attrs if key.startswith(SWEEP_PREFIX)}
    )
    for key in sweep_keys:
        values = [_attr_value(ds.attrs.get(key)) for ds in datasets.values()]
        combined = combined.assign_coords({key: ("scenario", _sweep_coord(values))})
        combined[key].attrs["long_name"] = f"swept value of {key.removeprefix(SWEEP_PREFIX)}"
    per_run = {
        name: {k: _attr_value(v) for k, v in ds.attrs.items()} for name, ds in datasets.items()
    }
    first = next(iter(datasets.values())).attrs
    combined.attrs = {
        "title": "energymodel results, all scenarios",
        "scenarios": json.dumps(names),
        "scenario_attrs": json.dumps(per_run, default=str),
    }
    if "energymodel_version" in first:
        combined.attrs["energymodel_version"] = first["energymodel_version"]
    return combined


def load_combined(folder: str | Path, names: Iterable[str] | None = None) -> xr.Dataset:
    """Load the per-scenario files of a folder and combine them (in memory only).

    Parameters
    ----------
    folder
        A results folder.
    names
        Scenarios to take (default: every ``<name>.nc`` in the folder).

    Returns
    -------
    xarray.Dataset
        See :func:`combine_datasets`.
    """
    files = result_files(folder, names)
    if not files:
        raise FileNotFoundError(f"no scenario results (*.nc) in {folder}")
    return combine_datasets({name: xr.load_dataset(path) for name, path in files.items()})


def _combined_is_current(folder: Path, files: Mapping[str, Path]) -> xr.Dataset | None:
    """Return ``all.nc`` if it holds exactly the folder's scenarios and is newer."""
    combined = folder / COMBINED_NAME
    if not combined.is_file() or not files:
        return None
    newest = max(path.stat().st_mtime for path in files.values())
    if combined.stat().st_mtime < newest:
        return None
    try:
        ds = xr.load_dataset(combined)
    except (OSError, ValueError) as err:
        logger.debug("cannot read %s (%s): combining again", combined, err)
        return None
    if "scenario" not in ds.dims or set(ds["scenario"].values.tolist()) != set(files):
        return None
    return ds


def open_results(folder: str | Path) -> xr.Dataset:
    """Open a results folder as one Dataset along ``scenario``.

    Parameters
    ----------
    folder
        A results folder with ``<scenario>.nc`` files (and maybe ``all.nc``).

    Returns
    -------
    xarray.Dataset
        ``all.nc`` when it is current (the same scenarios, written after every
        per-scenario file), otherwise every per-scenario file combined afresh.
    """
    folder = Path(folder)
    files = result_files(folder)
    current = _combined_is_current(folder, files)
    if current is not None:
        return current
    if not files and (folder / COMBINED_NAME).is_file():
        return xr.load_dataset(folder / COMBINED_NAME)
    return load_combined(folder, list(files))


def difference(ds: xr.Dataset, reference: str) -> xr.Dataset:
    """Subtract the reference scenario from every scenario, variable by variable.

    Parameters
    ----------
    ds
        A combined Dataset (``scenario`` dimension).
    reference
        Name of the scenario to subtract.

    Returns
    -------
    xarray.Dataset
        Every numeric variable with a ``scenario`` dimension, minus the reference's
        values (the reference's own row is zero). Units are kept; ``attrs["reference"]``
        names the reference.

    Raises
    ------
    KeyError
        If ``reference`` is not one of the scenarios.
    """
    scenarios = ds["scenario"].values.tolist()
    if reference not in scenarios:
        raise KeyError(f"reference {reference!r} is not a scenario; have {scenarios}")
    base = ds.sel(scenario=reference, drop=True)
    out = {}
    for name, var in ds.data_vars.items():
        if "scenario" not in var.dims or not np.issubdtype(var.dtype, np.number):
            continue
        diff = var - base[name]
        diff.attrs = dict(var.attrs)
        diff.attrs["long_name"] = f"{var.attrs.get('long_name', name)}, minus {reference}"
        out[name] = diff
    result = xr.Dataset(out, coords=ds.coords)
    result.attrs = {"reference": reference, "title": f"difference from {reference}"}
    return result


def _world(ds: xr.Dataset, name: str, scale: float = 1.0) -> xr.DataArray | None:
    """Sum a variable over every dimension except scenario and year (None if absent)."""
    if name not in ds:
        return None
    var = ds[name]
    other = [d for d in var.dims if d not in ("scenario", "year")]
    return var.sum(other, min_count=1) * scale


def _marginal_per_mtok(ds: xr.Dataset) -> xr.DataArray | None:
    """World marginal cost per million tokens: inference energy-weighted over regions."""
    if "marginal_cost_usd_per_mtok" not in ds:
        return None
    marginal = ds["marginal_cost_usd_per_mtok"]
    if "workload" in marginal.dims and "inference" in marginal["workload"].values:
        marginal = marginal.sel(workload="inference", drop=True)
    if "region" not in marginal.dims:
        return marginal
    plain = marginal.mean("region", skipna=True)
    if "it_energy_twh" not in ds or "workload" not in ds["it_energy_twh"].dims:
        return plain
    weight = ds["it_energy_twh"].sel(workload="inference", drop=True).fillna(0.0)
    weight = weight.where(marginal.notnull(), 0.0)
    total = weight.sum("region")
    weighted = (marginal.fillna(0.0) * weight).sum("region") / total.where(total > 0)
    return weighted.fillna(plain)


def summary_table(ds: xr.Dataset) -> pd.DataFrame:
    """Headline figures per scenario and year, world totals.

    Parameters
    ----------
    ds
        A combined Dataset (``scenario`` dimension) or one scenario's Dataset.

    Returns
    -------
    pandas.DataFrame
        One row per scenario and year: columns ``scenario``, ``year``, the swept values
        (``sweep__<key>``) and the :data:`SUMMARY_LABELS` (GW, TWh, $/Mtok, M$, MtCO2).
        The marginal cost is the inference-energy-weighted mean of the regions'; money
        totals are world totals. A variable missing from ``ds`` gives a NaN column.
    """
    if "scenario" not in ds.dims:
        ds = ds.expand_dims(scenario=[str(ds.attrs.get("scenario", "scenario"))])
    columns: dict[str, xr.DataArray | None] = {
        "it_capacity_gw": _world(ds, "it_capacity_gw"),
        "facility_energy_twh": _world(ds, "facility_energy_twh"),
        "world_avg_cost_usd_per_mtok": ds.get("world_avg_cost_usd_per_mtok"),
        "marginal_cost_usd_per_mtok": _marginal_per_mtok(ds),
        "break_even_revenue_musd": (
            ds["world_break_even_revenue_musd"]
            if "world_break_even_revenue_musd" in ds
            else _world(ds, "break_even_revenue_musd")
        ),
        "revenue_gap_musd": _world(ds, "revenue_gap_musd"),
        "unserved_it_energy_twh": _world(ds, "unserved_it_energy_twh"),
        "emissions_mtco2": _world(ds, "emissions_mtco2"),
    }
    scenarios = [str(s) for s in ds["scenario"].values]
    years = [int(y) for y in ds["year"].values] if "year" in ds.coords else []
    index = pd.MultiIndex.from_product([scenarios, years], names=["scenario", "year"])
    table = pd.DataFrame(index=index)
    template = xr.zeros_like(ds["scenario"], dtype=float) * xr.zeros_like(ds["year"], dtype=float)
    for key in sorted(str(k) for k in ds.coords if str(k).startswith(SWEEP_PREFIX)):
        table[key] = np.repeat(ds[key].values, len(years))
    for column, var in columns.items():
        if var is None:
            table[column] = np.nan
            continue
        var = var.broadcast_like(template).transpose("scenario", "year")
        table[column] = var.values.reshape(-1).astype(float)
    return table.reset_index()


def headline(ds: xr.Dataset, year: int | None = None) -> pd.DataFrame:
    """Headline figures per scenario for one year (default the last model year).

    Parameters
    ----------
    ds
        A combined Dataset (or one scenario's Dataset).
    year
        Model year; default the last one in ``ds``.

    Returns
    -------
    pandas.DataFrame
        Indexed by scenario; columns :data:`HEADLINE_COLUMNS` (money in billion USD:
        ``_busd``). ``attrs["year"]`` holds the year shown.
    """
    table = summary_table(ds)
    if year is None:
        year = int(table["year"].max()) if len(table) else None
    rows = table[table["year"] == year].set_index("scenario")
    out = pd.DataFrame(index=rows.index)
    for column in HEADLINE_COLUMNS:
        if column.endswith("_busd"):
            out[column] = rows[column.removesuffix("_busd") + "_musd"] * 1e-3
        else:
            out[column] = rows[column]
    out.attrs["year"] = year
    return out


def _format_number(value: Any) -> str:
    """Format a table cell: thousands separators, two decimals below 10, ``-`` for NaN."""
    if isinstance(value, str):
        return value
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    if math.isnan(number):
        return "-"
    if abs(number) >= 100:
        return f"{number:,.0f}"
    if abs(number) >= 10:
        return f"{number:.1f}"
    if number == 0:
        return "0"
    if abs(number) >= 0.01:
        return f"{number:.2f}"
    return f"{number:.2g}"


def markdown_table(table: pd.DataFrame, labels: Mapping[str, str] | None = None) -> str:
    """Render a DataFrame as a GitHub Markdown table (index as the first column).

    Parameters
    ----------
    table
        The rows to show; a named index becomes the first column.
    labels
        Column name -> header text (default: the headline labels, else the name).

    Returns
    -------
    str
        The Markdown text, numbers right-aligned.
    """
    labels = {**_LABELS, **(labels or {})}
    frame = table.reset_index() if table.index.name is not None else table
    headers = [labels.get(str(c), str(c)) for c in frame.columns]
    numeric = [pd.api.types.is_numeric_dtype(frame[c]) for c in frame.columns]
    lines = [
        "| " + " | ".join(headers) + " |",
        "|" + "|".join("---:" if n else ":---" for n in numeric) + "|",
    ]
    for row in frame.itertuples(index=False):
        lines.append("| " + " | ".join(_format_number(v) for v in row) + " |")
    return "\n".join(lines) + "\n"
