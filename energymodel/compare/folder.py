"""Read a results folder (the one reader of it), combine scenarios, and compare them.

Pure readers: nothing here solves or writes (writing ``all.nc`` and the summary files is
:mod:`energymodel.batch.runner`'s job). A notebook can start here::

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
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import xarray as xr

from energymodel.compare.headline import SWEEP_PREFIX

logger = logging.getLogger(__name__)

COMBINED_NAME = "all.nc"
"""File name of the combined Dataset in a results folder."""


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


def read_results(results_dir: str | Path) -> dict[str, xr.Dataset]:
    """Read every scenario of a results folder: the one reader of a results folder.

    Parameters
    ----------
    results_dir : Path
        Folder with ``<scenario>.nc`` files (their attrs hold ``description`` and
        ``scenario_yaml``) and ``all.nc`` (the last batch, combined along ``scenario``).
        When ``all.nc`` is newer than every per-scenario file it defines which scenarios
        are reported (older files from earlier batches are left out), and it fills in any
        scenario that has no file of its own.

    Returns
    -------
    dict[str, xr.Dataset]
        Scenario name (``attrs["scenario"]`` or the file stem) to its results, sorted by name.

    Raises
    ------
    FileNotFoundError
        When the folder holds no readable results file.

    A file that cannot be read (truncated, not netCDF) is left out with a warning naming it.
    """
    results_dir = Path(results_dir)
    out: dict[str, xr.Dataset] = {}
    newest = 0.0
    for path in result_files(results_dir).values():
        try:
            ds = xr.load_dataset(path)
        except (OSError, ValueError) as err:
            _skip(path, err)
            continue
        out[str(ds.attrs.get("scenario", path.stem))] = ds
        newest = max(newest, path.stat().st_mtime)
    combined = results_dir / COMBINED_NAME
    if combined.exists() and combined.stat().st_mtime >= newest:
        try:
            with xr.open_dataset(combined) as lazy:
                batch = [str(s) for s in lazy["scenario"].values]
            if any(n not in out for n in batch):
                out |= {k: v for k, v in _split_combined(xr.load_dataset(combined)).items()
                        if k not in out}  # fmt: skip
        except (OSError, ValueError, KeyError) as err:
            _skip(combined, err)
        else:
            if old := sorted(set(out) - set(batch)):
                logger.info("not in all.nc (earlier batches), left out: %s", ", ".join(old))
            out = {n: out[n] for n in batch}
    elif combined.exists():
        logger.warning("%s is older than the per-scenario files: not used", combined)
    if not out:
        msg = f"no results (*.nc) in {results_dir} that can be read"
        raise FileNotFoundError(msg)
    return dict(sorted(out.items()))


def _skip(path: Path, err: Exception) -> None:
    """Warn that a results file is left out, naming it and why."""
    if isinstance(err, KeyError):
        why = f"no {err} in it"
    elif isinstance(err, ValueError):
        why = "not a netCDF file"
    else:  # netCDF's "HDF error" and the like
        why = f"truncated or corrupt ({getattr(err, 'strerror', None) or err})"
    logger.warning("skipping unreadable results file %s: %s", path, why)


def _split_combined(ds: xr.Dataset) -> dict[str, xr.Dataset]:
    """Split ``all.nc`` into per-scenario Datasets; drop variables that are all NaN."""
    out: dict[str, xr.Dataset] = {}
    for name in ds["scenario"].values:
        sub = ds.sel(scenario=name, drop=True)
        attrs = {k: v for k, v in ds.attrs.items() if k not in ("description", "scenario_yaml")}
        attrs["scenario"] = str(name)
        for key in ("description", "scenario_yaml"):  # per-scenario text stored as variables
            if key in sub.data_vars:
                attrs[key] = str(sub[key].item())
                sub = sub.drop_vars(key)
        empty = [v for v in sub.data_vars if sub[v].dtype.kind == "f" and sub[v].isnull().all()]
        out[str(name)] = sub.drop_vars(empty).assign_attrs(attrs)
    return out


def load_combined(folder: str | Path, names: Iterable[str] | None = None) -> xr.Dataset:
    """Load the per-scenario files of a folder and combine them (in memory only).

    Parameters
    ----------
    folder
        A results folder.
    names
        Scenarios to take, in this order (default: :func:`read_results`'s).

    Returns
    -------
    xarray.Dataset
        See :func:`combine_datasets`.
    """
    if names is None:
        return combine_datasets(read_results(folder))
    files = result_files(folder, names)
    runs = {}
    for name, path in files.items():
        try:
            runs[name] = xr.load_dataset(path)
        except (OSError, ValueError) as err:
            _skip(path, err)
    if not runs:
        raise FileNotFoundError(f"no readable scenario results (*.nc) in {folder}")
    return combine_datasets(runs)


def open_results(folder: str | Path) -> xr.Dataset:
    """Open a results folder as one Dataset along ``scenario``.

    Parameters
    ----------
    folder
        A results folder with ``<scenario>.nc`` files (and maybe ``all.nc``).

    Returns
    -------
    xarray.Dataset
        ``all.nc`` when it is current (written after every per-scenario file, holding the
        scenarios :func:`read_results` finds), otherwise those scenarios combined afresh.
        Unreadable files are left out with a warning.
    """
    folder = Path(folder)
    runs = read_results(folder)
    combined = folder / COMBINED_NAME
    files = result_files(folder)
    newest = max((p.stat().st_mtime for p in files.values()), default=0.0)
    if combined.is_file() and combined.stat().st_mtime >= newest:
        try:
            ds = xr.load_dataset(combined)
        except (OSError, ValueError) as err:
            _skip(combined, err)
        else:
            if "scenario" in ds.dims and ds["scenario"].values.tolist() == list(runs):
                return ds
    return combine_datasets(runs)


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
