"""Which uncertain input decides a headline output: sensitivity indices with SALib.

:func:`sensitivity` analyses combined samples (:mod:`energymodel.compare.samples`) with the
method their design was drawn for (:func:`energymodel.scenario.uncertain.sample_design`):

- ``sobol``: first-order (``S1``: the share of the output's variance an input explains
  alone) and total (``ST``: alone and through its interactions) Sobol indices, with 95%
  bootstrap confidence half-widths (SALib ``sobol.analyze``, Saltelli/Jansen estimators);
- ``morris``: the elementary-effect screening, ``mu*`` (mean absolute effect of moving an
  input across its range, in output units) and ``sigma`` (how much that effect varies:
  non-linearity or interaction) (SALib ``morris.analyze``);
- ``latin``: first-order indices by RBD-FAST (SALib ``rbd_fast.analyze``).

A failed run leaves a hole: the whole Sobol group (k + 2 runs) or Morris trajectory
(k + 1 runs) it belongs to is left out of the analysis.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pandas as pd
import xarray as xr

from energymodel.scenario.uncertain import Design

HEADLINE_OUTPUTS: tuple[str, ...] = (
    "world_avg_cost_usd_per_mtok",
    "world_break_even_revenue_musd",
    "world_revenue_gap_musd",
    "world_emissions_mtco2",
    "world_stranded_it_capacity_gw",
)
"""The outputs analysed (world figures of the combined samples), by year."""

INDICES: dict[str, dict[str, tuple[str, str, str]]] = {
    "sobol": {
        "S1": ("sobol_s1_frac", "1", "first-order Sobol index"),
        "S1_conf": ("sobol_s1_conf_frac", "1", "95% confidence half-width of S1"),
        "ST": ("sobol_st_frac", "1", "total Sobol index"),
        "ST_conf": ("sobol_st_conf_frac", "1", "95% confidence half-width of ST"),
    },
    "morris": {
        "mu_star": ("morris_mu_star", "output units", "Morris mu*: mean absolute effect"),
        "mu_star_conf": ("morris_mu_star_conf", "output units", "95% confidence of mu*"),
        "sigma": ("morris_sigma", "output units", "Morris sigma: spread of the effects"),
    },
    "latin": {
        "S1": ("rbd_fast_s1_frac", "1", "first-order index (RBD-FAST)"),
        "S1_conf": ("rbd_fast_s1_conf_frac", "1", "95% confidence half-width of S1"),
    },
}
"""Per method: SALib's result key -> (variable, units, long name)."""

FLAT = 1e-6
"""An output whose spread over the samples is below this (relative to its size, at least
1 unit) does not vary: no indices (its differences are solver tolerance)."""

RANKED_BY = {"sobol": "sobol_st_frac", "morris": "morris_mu_star", "latin": "rbd_fast_s1_frac"}
"""The index that ranks the inputs of each method."""


def _complete_rows(y: np.ndarray, per: int) -> np.ndarray:
    """Row mask keeping only whole groups of ``per`` runs with finite outputs."""
    groups = np.isfinite(y).reshape(-1, per).all(axis=1)
    return np.repeat(groups, per)


def _analyse(design: Design, y: np.ndarray, seed: int, levels: int) -> dict[str, Any] | None:
    from SALib.analyze import morris, rbd_fast, sobol

    keep = _complete_rows(y, design.groups)
    y, x = y[keep], design.unit[keep]
    if len(y) < 2 * design.groups or np.std(y) <= FLAT * max(1.0, float(np.max(np.abs(y)))):
        return None  # too few whole groups, or an output no input moves (solver noise only)
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        if design.method == "sobol":
            return dict(sobol.analyze(design.problem, y, calc_second_order=False, seed=seed))
        if design.method == "morris":
            return dict(morris.analyze(design.problem, x, y, num_levels=levels, seed=seed))
        return dict(rbd_fast.analyze(design.problem, x, y, seed=seed))


def sensitivity(
    samples: xr.Dataset,
    design: Design,
    outputs: tuple[str, ...] = HEADLINE_OUTPUTS,
    *,
    seed: int = 1,
    morris_levels: int = 4,
) -> xr.Dataset:
    """Sensitivity indices of each output in each year to each uncertain input.

    Parameters
    ----------
    samples
        Combined samples; position ``i`` along ``sample`` is run ``i`` of ``design``.
    design
        The design the runs were drawn from.
    outputs
        World figures to analyse (those ``samples`` lacks are left out).
    seed
        Seed of the bootstrap.
    morris_levels
        Levels of the Morris grid (as drawn).

    Returns
    -------
    xarray.Dataset
        Dims ``output``, ``input``, ``year``; the variables of :data:`INDICES` for the
        design's method (NaN where an output does not vary or too few runs finished);
        coordinate ``output_units``; ``attrs["method"]`` and ``attrs["ranked_by"]``.
    """
    names = [o for o in outputs if o in samples and "year" in samples[o].dims]
    years = samples["year"].values
    index = xr.DataArray(np.arange(len(design.values)), dims="sample")
    full = samples.reindex(sample=index.values)  # failed runs: NaN rows
    spec = INDICES[design.method]
    data = {
        var: np.full((len(names), len(design.keys), len(years)), np.nan)
        for var, *_ in spec.values()
    }
    for i, name in enumerate(names):
        for t, year in enumerate(years):
            y = full[name].sel(year=year).values.astype(float)
            result = _analyse(design, y, seed, morris_levels)
            if result is None:
                continue
            for key, (var, *_) in spec.items():
                data[var][i, :, t] = np.asarray(result[key], dtype=float)
    ds = xr.Dataset(
        {var: (("output", "input", "year"), data[var], {"units": units, "long_name": long})
         for var, units, long in spec.values()},
        coords={
            "output": names,
            "input": list(design.keys),
            "year": years,
            "output_units": ("output", [samples[n].attrs.get("units", "") for n in names]),
        },
    )  # fmt: skip
    return ds.assign_attrs(method=design.method, ranked_by=RANKED_BY[design.method])


def drivers(indices: xr.Dataset, output: str, year: int, n: int | None = None) -> pd.DataFrame:
    """The inputs ranked by how much they drive ``output`` in ``year`` (largest first).

    Parameters
    ----------
    indices
        From :func:`sensitivity` (or the same variables in an uncertainty file).
    output
        E.g. ``world_break_even_revenue_musd``.
    year
        Model year.
    n
        Keep the first ``n`` rows (default all).

    Returns
    -------
    pandas.DataFrame
        Indexed by input, one column per index of the method, sorted by
        ``attrs["ranked_by"]``.
    """
    spec = INDICES[indices.attrs["method"]]
    table = pd.DataFrame(
        {var: indices[var].sel(output=output, year=year).values for var, *_ in spec.values()},
        index=pd.Index(indices["input"].values, name="input"),
    )
    table = table.sort_values(indices.attrs["ranked_by"], ascending=False, na_position="last")
    return table if n is None else table.head(n)


def sensitivity_table(indices: xr.Dataset) -> pd.DataFrame:
    """Every index as a long table: output, year, input and one column per index."""
    spec = INDICES[indices.attrs["method"]]
    frame = indices[[var for var, *_ in spec.values()]].to_dataframe().reset_index()
    columns = ["output", "year", "input", *[var for var, *_ in spec.values()]]
    return frame[columns].sort_values(["output", "year", "input"], ignore_index=True)
