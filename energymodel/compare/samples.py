"""The sampled runs of an uncertain scenario, combined along a ``sample`` dimension.

Each sampled run (``<name>__sample=0007``) is kept without its hourly variables (those
with a ``timeslice`` dim): :func:`reduce_sample` does that before the run is written, so
1,000 samples of the default regions and years take ~70 MB on disk and ~20 MB in memory.
:func:`combine_samples` stacks them::

    ds = xr.open_dataset("results/uncertainty/uncertainty.nc")
    ds["world_break_even_revenue_musd"].quantile([0.05, 0.5, 0.95], "sample")
    ds["sample__finance.wacc"]                     # the value each sample drew
    ds.where(ds["sample__finance.wacc"] > 0.11, drop=True)

Besides every per-run variable, the combined Dataset holds the world headline figures
(:func:`energymodel.compare.headline.world_figures`) by sample and year, named
``world_<figure>``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

import numpy as np
import pandas as pd
import xarray as xr

from energymodel.compare.folder import concat_runs
from energymodel.compare.headline import LABELS, world_figures
from energymodel.scenario.uncertain import SAMPLE_PREFIX

DROPPED_DIMS = ("timeslice",)
"""Variables along these dims are not kept for sampled runs (hourly detail)."""
QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)
"""Quantiles of the fan charts and the quantile table."""


def reduce_sample(ds: xr.Dataset) -> xr.Dataset:
    """One sampled run's results without the variables along :data:`DROPPED_DIMS`."""
    drop = [name for name, var in ds.data_vars.items() if set(var.dims) & set(DROPPED_DIMS)]
    out = ds.drop_vars(drop)
    return out.drop_dims([d for d in DROPPED_DIMS if d in out.dims])


def world_name(figure: str) -> str:
    """Variable name of a world figure in the combined samples: ``world_<figure>``."""
    return figure if figure.startswith("world_") else f"world_{figure}"


def _coord(values: list[object]) -> np.ndarray:
    numeric = all(isinstance(v, int | float | np.integer | np.floating) for v in values)
    if numeric and not any(isinstance(v, bool) for v in values):
        return np.asarray(values, dtype=float)
    return np.asarray([str(v) for v in values], dtype=object)


def combine_samples(runs: Mapping[str, xr.Dataset], *, scenario: str = "") -> xr.Dataset:
    """Stack sampled runs along ``sample`` and add the world headline figures.

    Parameters
    ----------
    runs
        Run name -> its results (``attrs["sample"]`` the position, ``sample__<key>`` the
        values drawn), in any order.
    scenario
        Name of the uncertain scenario (for the attributes).

    Returns
    -------
    xarray.Dataset
        Dims ``sample`` (the runs' positions, sorted; failed runs are absent) and the
        runs' own; coordinates ``run`` (name) and ``sample__<key>`` (the values drawn) on
        ``sample``; ``world_<figure>`` (sample, year) for every world figure; attributes
        ``scenario``, ``samples`` (count) and ``run_attrs`` (JSON of the first run's).

    Raises
    ------
    ValueError
        If ``runs`` is empty.
    """
    if not runs:
        raise ValueError("no sampled runs to combine")
    ordered = sorted(runs.items(), key=lambda item: int(item[1].attrs["sample"]))
    positions = [int(ds.attrs["sample"]) for _, ds in ordered]
    combined = concat_runs(
        [reduce_sample(ds) for _, ds in ordered], pd.Index(positions, name="sample")
    )
    combined = combined.assign_coords(run=("sample", [name for name, _ in ordered]))
    keys = sorted({k for _, ds in ordered for k in ds.attrs if k.startswith(SAMPLE_PREFIX)})
    for key in keys:
        values = [ds.attrs.get(key, np.nan) for _, ds in ordered]
        combined = combined.assign_coords({key: ("sample", _coord(values))})
        combined[key].attrs["long_name"] = f"sampled value of {key.removeprefix(SAMPLE_PREFIX)}"
    figures = world_figures(combined.rename(sample="scenario"))
    for figure, da in figures.items():
        name = world_name(figure)
        da = da.rename(scenario="sample").transpose("sample", ...)
        units = combined[name].attrs.get("units", "") if name in combined else ""
        combined[name] = da.assign_attrs(
            units=units or _units(figure), long_name=f"world: {LABELS.get(figure, figure)}"
        )
    first = ordered[0][1].attrs
    combined.attrs = {
        "title": f"energymodel uncertainty analysis: {scenario}",
        "scenario": scenario,
        "samples": len(ordered),
        "run_attrs": json.dumps({k: _plain(v) for k, v in first.items()}, default=str),
    }
    return combined


def _units(figure: str) -> str:
    for suffix, units in (
        ("_usd_per_mtok", "USD/Mtok"),
        ("_usd_per_kw_yr", "USD/kW/yr"),
        ("_usd_per_mwh", "USD/MWh"),
        ("_musd", "M$"),
        ("_gw", "GW"),
        ("_twh", "TWh"),
        ("_mtco2", "MtCO2"),
        ("_usd", "USD"),
    ):
        if figure.endswith(suffix):
            return units
    return ""


def _plain(value: object) -> object:
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    return value


def quantile_table(ds: xr.Dataset, quantiles: tuple[float, ...] = QUANTILES) -> pd.DataFrame:
    """Mean and quantiles over ``sample`` of every world figure, by year.

    Parameters
    ----------
    ds
        Combined samples (:func:`combine_samples`).
    quantiles
        Probabilities, e.g. 0.05 for the 5th percentile (column ``p05``).

    Returns
    -------
    pandas.DataFrame
        Columns ``output``, ``units``, ``year``, ``samples`` (finite values), ``mean``,
        ``p05``... one row per world figure and year.
    """
    rows = []
    for name in sorted(str(v) for v in ds.data_vars if str(v).startswith("world_")):
        da = ds[name]
        if set(da.dims) != {"sample", "year"}:
            continue
        q = da.quantile(list(quantiles), "sample", skipna=True)
        for year in da["year"].values:
            one = da.sel(year=year)
            row = {
                "output": name,
                "units": da.attrs.get("units", ""),
                "year": int(year),
                "samples": int(one.notnull().sum()),
                "mean": float(one.mean(skipna=True)),
            }
            for p in quantiles:
                row[f"p{round(p * 100):02d}"] = float(q.sel(quantile=p, year=year))
            rows.append(row)
    return pd.DataFrame(rows)
