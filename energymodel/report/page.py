"""Figures and the self-contained HTML report of a results folder.

The report reads results files only (``results/<scenario>.nc``, or ``results/all.nc`` when
no per-scenario file is there); it never imports Pyomo or the model. Figures are drawn with
matplotlib's object-oriented API (``Figure``, no pyplot, no global state), embedded in
``report.html`` as base64 PNG and saved as PNG and SVG in ``results/figures/`` for slides.
A variable missing from some or all scenarios removes those scenarios (or the figure) with
a note on the page, so the report builds from partial results.


Figures live in :mod:`energymodel.report.figures` and headline numbers in
:mod:`energymodel.report.headline`; this module loads results and writes the page.

Public functions
----------------
write_report(results_dir, *, baseline="baseline") -> Path
    Build ``results_dir/report.html`` and ``results_dir/figures/*.png|svg``.
load_results(results_dir) -> dict[str, xr.Dataset]
    Read a results folder into one Dataset per scenario (baseline order is up to callers).
headline_table(ds) -> pd.DataFrame
    One row per scenario with the last-year headline numbers (see ``HEADLINE_COLUMNS``).
"""

from __future__ import annotations

import logging
import re
import time
from datetime import UTC, datetime
from importlib import resources
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import jinja2
import numpy as np
import pandas as pd
import xarray as xr

from energymodel.compare import (
    HEADLINE_COLUMNS,
    LABELS,
    headline_table,
    summary_table,
    world_cost_by_component,
)
from energymodel.compare import read_results as load_results
from energymodel.compare.folder import results_subdir
from energymodel.compare.power import DETAIL_PREFIXES, detail_label
from energymodel.report.cash_figures import CASH_FIGURES
from energymodel.report.figures import figure_context
from energymodel.report.figures_power import ALL_FIGURES as FIGURES
from energymodel.report.render import delta_figure, has_needs, render_figure, scenario_figure
from energymodel.report.uncertainty import uncertainty_sections

logger = logging.getLogger(__name__)

__all__ = [
    "EXPECTED_VARIABLES",
    "FIGURES",
    "HEADLINE_COLUMNS",
    "headline_table",
    "load_results",
    "world_cost_by_component",
    "write_report",
]

EXPECTED_VARIABLES: tuple[str, ...] = (
    "it_capacity_gw", "generation_twh", "supply_capacity_gw", "facility_energy_twh",
    "unserved_it_energy_twh", "stranded_it_capacity_gw", "emissions_mtco2", "cost_musd",
    "tokens_served_tn", "avg_cost_by_component_usd_per_mtok", "break_even_revenue_musd",
    "market_revenue_musd", "revenue_gap_musd", "grid_connection_limit_dual_usd_per_kw_yr",
)  # fmt: skip
"""Variables the figures use; a scenario lacking one gets a note in its section."""


def _package_version() -> str:
    try:
        return version("energymodel")
    except PackageNotFoundError:  # source tree that is not installed
        return "unknown"


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "scenario"


def _fmt(value: float, digits: int = 1, *, signed: bool = False) -> str:
    if not np.isfinite(value):
        return "–"
    if round(value, digits) == 0:
        return f"{0.0:.{digits}f}"  # neither "-0.0" nor "+0.0"
    return f"{value:{'+' if signed else ''},.{digits}f}"


SIGNIFICANT = ("world_avg_cost_usd_per_mtok",)
"""Columns shown to three significant figures (0.419, not 0.42): differences matter."""
WITH_SHED = " (with demand shed)"
POWER_COLUMNS = ("power_cost_usd_per_mwh", "cost_per_gpu_hour_usd", "capex_busd")
"""The power side of a scenario's section, before the details by component and technology."""


def _cell(value: float, column: str, *, signed: bool = False) -> str:
    if column in SIGNIFICANT and np.isfinite(value) and abs(value) >= 1e-9:
        return f"{value:{'+' if signed else ''}.3g}"
    return _fmt(value, 1, signed=signed)


def _table_rows(
    table: pd.DataFrame, *, signed: bool = False, shed: dict[str, bool] | None = None
) -> list[dict[str, Any]]:
    """Rows of a headline table; a run shedding demand in that year gets its cost marked."""
    rows = []
    for name, row in table.iterrows():
        cells = [_cell(float(row[c]), c, signed=signed) for c in HEADLINE_COLUMNS]
        if shed and shed.get(str(name)):
            at = HEADLINE_COLUMNS.index("world_avg_cost_usd_per_mtok")
            cells[at] += WITH_SHED
        rows.append({"name": name, "slug": _slug(str(name)), "cells": cells})
    return rows


def _sig(value: float) -> str:
    """Three significant figures (``1.98``, ``74.7``), whole numbers from 1,000, 0 for noise."""
    if not np.isfinite(value):
        return "–"
    if abs(value) < 1e-9:
        return "0"
    return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.3g}"


def _shed_in(ds: xr.Dataset, year: int) -> bool:
    """Whether ``ds`` sheds demand in ``year``."""
    return "shed" in ds and year in ds["year"].values and bool(ds["shed"].sel(year=year).max() > 0)


def _power_rows(ds: xr.Dataset) -> list[tuple[str, str]]:
    """The power side of one run in its last year: (label, value) rows for the page."""
    table = summary_table(ds).iloc[-1]
    keys = [c for c in POWER_COLUMNS if c in table] + [
        str(c) for c in table.index if str(c).startswith(DETAIL_PREFIXES)
    ]
    rows = [(LABELS.get(k, detail_label(k)), _sig(float(table[k]))) for k in keys]
    if "power_price_usd_per_mwh" in ds and "facility_energy_twh" in ds:
        d = ds.sel(year=ds["year"].max())
        energy = d["facility_energy_twh"].where(d["power_price_usd_per_mwh"].notnull(), 0.0)
        marginal = (d["power_price_usd_per_mwh"].fillna(0.0) * energy).sum() / energy.sum()
        rows.append(
            ("Marginal cost of power, energy-weighted ($/MWh; a dual, not the average)",
             _sig(float(marginal)))
        )  # fmt: skip
    return rows


def _template() -> jinja2.Template:
    text = (
        resources.files("energymodel.report")
        .joinpath("templates/report.html.j2")
        .read_text("utf-8")
    )
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    return env.from_string(text)


def _status(ds: xr.Dataset) -> dict[str, str]:
    keys = ("termination", "objective_musd", "solve_time_s", "energymodel_version",
            "highspy_version")  # fmt: skip
    status = {k: _attr_text(ds.attrs[k]) for k in keys if k in ds.attrs}
    status |= {k.removeprefix("sweep__"): str(v) for k, v in ds.attrs.items()
               if k.startswith("sweep__")}  # fmt: skip
    if ds.attrs.get("world_limits"):
        status["world-wide limits"] = str(ds.attrs["world_limits"])
    if ds.attrs.get("shed_warning"):
        status["demand shed"] = str(ds.attrs["shed_warning"])
    if "time_check_max_gap_frac" in ds.attrs:  # the full-year check (docs/time.md)
        a = ds.attrs
        status["full-year check"] = (
            f"{'passed' if int(a['time_check_passed']) else 'ABOVE TOLERANCE'}: cost gap "
            f"{float(a['time_check_max_gap_frac']):+.1%} (tolerance "
            f"{float(a['time_tolerance_frac']):.0%}), "
            f"{float(a['time_check_unserved_twh']):.3g} TWh unserved, "
            + (
                f"{float(a['time_check_system_shed_twh']):.3g} TWh of other load shed "
                "beyond the plan's, "
                if float(a.get("time_check_system_shed_twh", 0.0)) > 0
                else ""
            )
            + "years "
            f"{a['time_check_years']}, {a['time_refine_rounds']} refinement rounds, days added: "
            f"{a['time_days_added'] or 'none'}"
            + (f"; fails in {a['time_check_failed']}" if a.get("time_check_failed") else "")
            + (
                f"; critical days did not narrow the cost gap or the energy lost in "
                f"{a['time_refine_stalled']}"
                if a.get("time_refine_stalled")
                else ""
            )
        )
    elif ds.attrs.get("time_check"):  # why it was not checked
        status["full-year check"] = str(ds.attrs["time_check"])
    return status


def _attr_text(value: Any) -> str:
    """An attribute as a reader wants it: floats to 4 significant figures, not 17 digits."""
    if isinstance(value, float | np.floating):
        return f"{float(value):,.4g}" if abs(value) < 1e6 else f"{float(value):,.0f}"
    return str(value)


def write_report(results_dir: Path, *, baseline: str = "baseline") -> Path:
    """Write ``results_dir/report.html`` and every figure as PNG and SVG in ``figures/``.

    Parameters
    ----------
    results_dir : Path
        A results folder written by the batch runner (see :func:`load_results`).
    baseline : str
        Scenario the others are compared with; when absent, the first scenario by name
        is used and the page says so.

    Returns
    -------
    Path
        The written ``report.html`` (one self-contained page: no external assets).
    """
    start = time.perf_counter()
    results_dir = Path(results_dir)
    out_dir = results_subdir(results_dir, "figures", drop_links=True)  # never through a link
    pkg = _package_version()
    try:
        runs = load_results(results_dir)
    except FileNotFoundError:  # a folder with uncertainty analyses only
        runs = {}
    note = "energymodel "
    note += (
        f"{next(iter(runs.values())).attrs.get('energymodel_version', pkg)}, "
        if runs
        else f"{pkg}, "
    )
    note += "scenario inputs: inputs/"
    uncertainty = uncertainty_sections(results_dir, out_dir, note)
    if not runs and not uncertainty:
        raise FileNotFoundError(f"no results (*.nc) in {results_dir}")
    notes: list[str] = []
    if runs and baseline not in runs:
        notes.append(f"No scenario named {baseline!r}: compared against {next(iter(runs))!r}.")
        baseline = next(iter(runs))
    if runs:
        runs = {baseline: runs[baseline]} | {k: v for k, v in runs.items() if k != baseline}

    figures, sections, headline, deltas, last_year = [], [], [], [], None
    if runs:
        ctx = figure_context(runs)
        table = headline_table(runs)
        delta = table[list(HEADLINE_COLUMNS)] - table.loc[baseline, list(HEADLINE_COLUMNS)]
        delta = delta.drop(index=baseline)
        figures = [
            render_figure(spec, ctx, baseline, out_dir, note)
            for spec in (*FIGURES, *CASH_FIGURES)
            if not spec.optional
            or any(has_needs(ds, spec.needs, spec.attrs) for ds in ctx.runs.values())
        ]
        figures.append(delta_figure(delta, baseline, out_dir, note))
        last_year = int(table["year"].max())
        shed = {name: _shed_in(ds, int(table.loc[name, "year"])) for name, ds in runs.items()}
        headline, deltas = _table_rows(table, shed=shed), _table_rows(delta, signed=True)
        for name, ds in runs.items():
            slug = _slug(name)
            sections.append({
                "name": name, "slug": slug,
                "description": str(ds.attrs.get("description", "")),
                "yaml": str(ds.attrs.get("scenario_yaml", "")),
                "status": _status(ds),
                "missing": [v for v in EXPECTED_VARIABLES if v not in ds],
                "power": _power_rows(ds), "power_year": int(ds["year"].max()),
                "figure": scenario_figure(f"scenario-{slug}", name, ds, ctx, out_dir, note),
            })  # fmt: skip

    html = _template().render(
        title="energymodel scenario report",
        generated=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        version=pkg, results_dir=str(results_dir), baseline=baseline if runs else "",
        last_year=last_year,
        columns=[LABELS[c] for c in HEADLINE_COLUMNS],
        headline=headline, deltas=deltas,
        figures=figures, sections=sections, notes=notes, source_note=note,
        uncertainty=uncertainty,
    )  # fmt: skip
    path = results_dir / "report.html"
    tmp = path.with_suffix(".html.tmp")
    tmp.unlink(missing_ok=True)  # a link left at the temporary name is not written through
    tmp.write_text(html, encoding="utf-8")
    tmp.replace(path)
    logger.info("wrote %s (%d scenarios, %d uncertainty analyses) in %.1f s", path, len(runs),
                len(uncertainty), time.perf_counter() - start)  # fmt: skip
    return path
