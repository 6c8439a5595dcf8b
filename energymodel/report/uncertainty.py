"""The report's uncertainty figures: fan charts and what drives break-even revenue.

Reads the uncertainty files of a results folder (``results/uncertainty/<name>.nc``,
written by :mod:`energymodel.batch.uncertainty`): samples along ``sample`` with the world
headline figures, and sensitivity indices along ``output``, ``input``, ``year``.

- :func:`fan_figure`: median, 25-75% and 5-95% bands over the years, one panel per
  headline output;
- :func:`drivers_figure`: the inputs ranked by their index for world break-even revenue in
  the last year (Sobol S1 and ST with confidence bars; Morris mu* with sigma; RBD-FAST S1);
- :func:`heatmap_figure`: the ranking index of every input for every output, last year.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import numpy as np
import xarray as xr
from matplotlib.figure import Figure

from energymodel.compare.sensitivity import HEADLINE_OUTPUTS, drivers
from energymodel.report.render import RenderedFigure, _render
from energymodel.units import MUSD_PER_BUSD

logger = logging.getLogger(__name__)

UNCERTAINTY_DIR = "uncertainty"
BREAK_EVEN = "world_break_even_revenue_musd"
TITLES = {
    "world_avg_cost_usd_per_mtok": "Average cost ($/Mtok)",
    "world_break_even_revenue_musd": "Break-even revenue ($B/yr)",
    "world_revenue_gap_musd": "Revenue gap ($B/yr)",
    "world_emissions_mtco2": "Emissions (MtCO2/yr)",
    "world_stranded_it_capacity_gw": "Stranded IT capacity (GW)",
}
BLUE = "#2f5f98"


def read_uncertainty(results_dir: str | Path) -> dict[str, xr.Dataset]:
    """Every ``uncertainty/<name>.nc`` of a results folder, by name (unreadable: skipped)."""
    out = {}
    for path in sorted((Path(results_dir) / UNCERTAINTY_DIR).glob("*.nc")):
        try:
            out[path.stem] = xr.load_dataset(path)
        except (OSError, ValueError) as err:
            logger.warning("skipping unreadable uncertainty file %s: %s", path, err)
    return out


def _scaled(da: xr.DataArray, name: str) -> xr.DataArray:
    return da / MUSD_PER_BUSD if name.endswith("_musd") else da


def _draw_fans(fig: Figure, ds: xr.Dataset) -> None:
    outputs = [o for o in HEADLINE_OUTPUTS if o in ds and "sample" in ds[o].dims]
    if not outputs:
        raise KeyError("no headline outputs along sample")
    axes = fig.subplots(1, len(outputs), squeeze=False).ravel()
    years = ds["year"].values
    for ax, name in zip(axes, outputs, strict=True):
        da = _scaled(ds[name], name)
        q = da.quantile([0.05, 0.25, 0.5, 0.75, 0.95], "sample", skipna=True)
        ax.fill_between(years, q.sel(quantile=0.05), q.sel(quantile=0.95), color=BLUE,
                        alpha=0.18, lw=0, label="5-95%")  # fmt: skip
        ax.fill_between(years, q.sel(quantile=0.25), q.sel(quantile=0.75), color=BLUE,
                        alpha=0.35, lw=0, label="25-75%")  # fmt: skip
        ax.plot(years, q.sel(quantile=0.5), color=BLUE, lw=1.8, label="median")
        ax.set_title(TITLES.get(name, name), fontsize=9)
        ax.set_xticks(years, [str(y) for y in years], fontsize=7, rotation=45)
        ax.tick_params(labelsize=7)
        ax.grid(alpha=0.3)
        if name == "world_revenue_gap_musd":
            ax.axhline(0, color="black", lw=0.6)
    axes[0].legend(fontsize=7, loc="upper left")


FUNDING = "world_cumulative_cash_musd"


def _draw_funding_fan(fig: Figure, ds: xr.Dataset) -> None:
    """Fan of the world's cumulative cash position; its low point is the funding need."""
    if FUNDING not in ds or "sample" not in ds[FUNDING].dims:
        raise KeyError(f"{FUNDING} along sample")
    ax = fig.subplots()
    years = ds["year"].values
    q = _scaled(ds[FUNDING], FUNDING).quantile([0.05, 0.25, 0.5, 0.75, 0.95], "sample")
    ax.fill_between(years, q.sel(quantile=0.05), q.sel(quantile=0.95), color=BLUE,
                    alpha=0.18, lw=0, label="5-95%")  # fmt: skip
    ax.fill_between(years, q.sel(quantile=0.25), q.sel(quantile=0.75), color=BLUE,
                    alpha=0.35, lw=0, label="25-75%")  # fmt: skip
    ax.plot(years, q.sel(quantile=0.5), color=BLUE, lw=1.8, label="median")
    ax.axhline(0, color="black", lw=0.6)
    ax.set_xticks(years, [str(y) for y in years])
    ax.set_ylabel("world cumulative free cash flow ($B)")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=7, loc="lower left")


def _draw_drivers(fig: Figure, ds: xr.Dataset, output: str, year: int) -> None:
    method = ds.attrs["method"]
    table = drivers(ds, output, year).iloc[::-1]  # largest at the top
    ax = fig.subplots()
    at = np.arange(len(table))
    labels = [str(k) for k in table.index]
    if method == "sobol":
        ax.barh(at + 0.2, table["sobol_st_frac"], height=0.4, color="#9db4d3",
                xerr=table["sobol_st_conf_frac"], label="total (ST)", capsize=2)  # fmt: skip
        ax.barh(at - 0.2, table["sobol_s1_frac"], height=0.4, color=BLUE,
                xerr=table["sobol_s1_conf_frac"], label="first-order (S1)", capsize=2)  # fmt: skip
        ax.set_xlabel("Sobol index: share of the variance of break-even revenue")
        ax.set_xlim(0, 1.05)  # estimates with few samples can overshoot; indices are <= 1
    elif method == "morris":
        scale = 1 / MUSD_PER_BUSD if output.endswith("_musd") else 1.0
        ax.barh(at, table["morris_mu_star"] * scale, height=0.6, color=BLUE,
                xerr=table["morris_mu_star_conf"] * scale, label="mu*", capsize=2)  # fmt: skip
        ax.plot(table["morris_sigma"] * scale, at, "o", color="#dd8452", label="sigma")
        ax.set_xlabel("Morris mu*: mean absolute effect over each input's range ($B/yr)")
    else:
        ax.barh(at, table["rbd_fast_s1_frac"], height=0.6, color=BLUE,
                xerr=table["rbd_fast_s1_conf_frac"], label="first-order (RBD-FAST)",
                capsize=2)  # fmt: skip
        ax.set_xlabel("first-order index: share of the variance of break-even revenue")
    ax.set_yticks(at, labels, fontsize=8)
    ax.grid(axis="x", alpha=0.3)
    ax.legend(fontsize=8, loc="lower right")
    ax.set_title(f"world break-even revenue, {year} ({method}, {ds.sizes['sample']} runs)",
                 fontsize=9)  # fmt: skip


def _draw_heatmap(fig: Figure, ds: xr.Dataset, year: int) -> None:
    var = ds.attrs["ranked_by"]
    da = ds[var].sel(year=year)
    if not var.endswith("_frac"):  # Morris mu* in output units: as a share per output
        total = da.sum("input")
        da = da / total.where(total > 0)
    ax = fig.subplots()
    image = ax.imshow(np.clip(da.values, 0.0, 1.0), aspect="auto", cmap="Blues", vmin=0, vmax=1)
    ax.set_yticks(range(da.sizes["output"]), [TITLES.get(str(o), str(o)) for o in da["output"].values],
                  fontsize=8)  # fmt: skip
    ax.set_xticks(range(da.sizes["input"]), [str(i) for i in da["input"].values],
                  rotation=40, ha="right", fontsize=7)  # fmt: skip
    for (i, j), value in np.ndenumerate(da.values):
        if np.isfinite(value):
            ax.text(j, i, f"{value:.2f}", ha="center", va="center", fontsize=6,
                    color="white" if value > 0.5 else "black")  # fmt: skip
    fig.colorbar(image, ax=ax, shrink=0.8, label=var)


def uncertainty_figures(
    name: str, ds: xr.Dataset, out_dir: Path, note: str
) -> list[RenderedFigure]:
    """The three figures of one uncertain scenario, rendered to PNG and SVG."""
    year = int(ds["year"].values.max())
    slug = name.replace("_", "-")
    n = ds.sizes.get("sample", 0)
    specs: list[tuple[str, str, str, float, Any]] = [
        (f"fan-{slug}", f"Uncertainty: headline outputs over the years ({name})",
         f"World figures of {n} sampled runs: median, 25-75% and 5-95% of the samples.",
         3.4, lambda f: _draw_fans(f, ds)),
        (f"drivers-{slug}", f"What drives break-even revenue in {year} ({name})",
         ("The uncertain inputs ranked by their sensitivity index for world break-even "
         "revenue (bars: 95% bootstrap confidence)."),
         0.8 + 0.32 * ds.sizes.get("input", 1), lambda f: _draw_drivers(f, ds, BREAK_EVEN, year)),
        (f"sensitivity-{slug}", f"Which input decides which output, {year} ({name})",
         (f"Index {ds.attrs.get('ranked_by', '')} of each input (columns) for each headline "
         "output (rows); Morris mu* is shown as a share of the row's total; a blank row: "
         "that output does not vary in that year."),
         1.2 + 0.45 * ds.sizes.get("output", 1), lambda f: _draw_heatmap(f, ds, year)),
    ]  # fmt: skip
    if FUNDING in ds and "sample" in ds[FUNDING].dims:
        specs.append(
            (f"funding-{slug}", f"Uncertainty: the funding gap ({name})",
             (f"World cumulative free cash flow of {n} sampled runs (capex outlays when "
              "spent): median, 25-75% and 5-95%; its low point is the peak funding need."),
             3.0, lambda f: _draw_funding_fan(f, ds))
        )  # fmt: skip
    out = []
    for fig_id, title, caption, height, draw in specs:
        out.append(_render(RenderedFigure(fig_id, title, caption), height, draw, out_dir, note))
    return out


def uncertainty_sections(results_dir: Path, out_dir: Path, note: str) -> list[dict[str, Any]]:
    """One report section per uncertain scenario: figures and its top drivers."""
    sections = []
    for name, ds in read_uncertainty(results_dir).items():
        if "sample" not in ds.dims or "input" not in ds.dims:
            continue
        year = int(ds["year"].values.max())
        table = drivers(ds, BREAK_EVEN, year, 3) if BREAK_EVEN in ds["output"].values else None
        rows = [] if table is None else [
            {"input": str(k), "cells": [f"{float(v):.3g}" for v in row.values]}
            for k, row in table.iterrows()
        ]  # fmt: skip
        sections.append({
            "name": name, "slug": name.replace("_", "-"),
            "method": str(ds.attrs.get("method", "")),
            "samples": int(ds.sizes["sample"]),
            "planned": int(ds.attrs.get("planned_runs", ds.sizes["sample"])),
            "year": year,
            "columns": [] if table is None else list(table.columns),
            "drivers": rows,
            "figures": uncertainty_figures(name, ds, out_dir, note),
        })  # fmt: skip
    return sections
