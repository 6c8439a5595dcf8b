"""Runs combined along ``scenario``: one Dataset from many (pure, in memory)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
import xarray as xr

from energymodel.compare.headline import SWEEP_PREFIX


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


def concat_runs(runs: list[xr.Dataset], index: pd.Index) -> xr.Dataset:
    """Runs' Datasets along a new dim (``index``), outer join, without their attributes.

    Variable attributes (units) are the first run's; each caller records the runs' own
    attributes as it needs them.
    """
    stripped = []
    for ds in runs:
        ds = ds.copy()
        ds.attrs = {}
        for var in ds.variables.values():
            # Encodings (dtype, _FillValue, chunks) from the source file do not fit the
            # combined arrays (ints gain NaN from the outer join): let xarray choose.
            var.encoding = {}
        stripped.append(ds)
    # A dimension some runs lack (the full-year check's hardest days: checked runs only)
    # is given to the others empty, so that the outer join can extend it
    first_index = {}
    for ds in stripped:
        for name, labels in ds.indexes.items():
            first_index.setdefault(name, labels)
    stripped = [
        ds.assign_coords({n: labels[:0] for n, labels in first_index.items() if n not in ds.dims})
        for ds in stripped
    ]
    return xr.concat(
        stripped,
        dim=index,
        data_vars="all",
        coords="different",
        compat="equals",
        join="outer",
        combine_attrs="override",
    )


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
    combined = concat_runs(list(datasets.values()), pd.Index(names, name="scenario"))
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
