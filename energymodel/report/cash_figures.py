"""The report's cash-view figures (issue 27): who pays, and when.

- a yearly cash-flow waterfall per scenario: revenue up, operating cost and capex outlays
  by asset class down, free cash flow and the cumulative cash position as lines;
- book against economic depreciation, world, by scenario;
- contract coverage by year (scenarios that name compute contracts).

The funding gap across uncertainty samples is a fan chart in
:mod:`energymodel.report.uncertainty`.
"""

from __future__ import annotations

import numpy as np
import xarray as xr
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from energymodel.compare import world_total
from energymodel.report.figures import Context, FigureSpec
from energymodel.report.plotting import assign_colors, scenario_lines
from energymodel.units import MUSD_PER_BUSD

CLASS_COLORS = {
    "accelerators": "#4c72b0",
    "servers_networking": "#8fa9d6",
    "facility": "#8c8c8c",
    "power_supply": "#dd8452",
    "grid_connection": "#937860",
    "operating cost": "#c44e52",
    "revenue": "#55a868",
}
"""Colours of the waterfall's parts."""
WATERFALL_MAX = 6
"""Scenarios drawn in the waterfall (the first ones, baseline first)."""


def _world(ds: xr.Dataset, name: str, keep: tuple[str, ...] = ("year",)) -> xr.DataArray:
    total = world_total(ds, name, keep)
    if total is None:
        raise KeyError(name)
    return total / MUSD_PER_BUSD


def _draw_waterfall(fig: Figure, c: Context) -> None:
    names = list(c.runs)[:WATERFALL_MAX]
    ncols = min(3, len(names))
    nrows = -(-len(names) // ncols)
    axes = fig.subplots(nrows, ncols, squeeze=False).ravel()
    for ax, name in zip(axes, names, strict=False):
        ds = c.runs[name]
        years = ds["year"].values
        revenue = _world(ds, "market_revenue_musd").values
        ax.bar(years, revenue, color=CLASS_COLORS["revenue"], width=0.7)
        bottom = np.zeros(len(years))
        parts = {"operating cost": _world(ds, "operating_cost_musd").values}
        outlay = _world(ds, "capex_outlay_musd", ("year", "asset_class"))
        for cls in outlay["asset_class"].values:
            parts[str(cls)] = outlay.sel(asset_class=cls).values
        for part, values in parts.items():
            ax.bar(years, -values, bottom=bottom, color=CLASS_COLORS.get(part), width=0.7)
            bottom -= values
        ax.plot(years, _world(ds, "free_cash_flow_musd").values, "k-o", ms=3, lw=1.2)
        ax.plot(years, _world(ds, "cumulative_cash_musd").values, "k--", lw=1.0)
        ax.axhline(0, color="black", lw=0.6)
        ax.set_title(name.replace("__", "\n"), fontsize=8)
        ax.set_xticks(years, [str(y) for y in years], fontsize=7, rotation=45)
        ax.tick_params(labelsize=7)
        ax.grid(axis="y", alpha=0.3)
    for ax in axes[len(names) :]:
        ax.set_visible(False)
    axes[0].set_ylabel("world, billion USD a year")
    handles = [Patch(color=color, label=label) for label, color in CLASS_COLORS.items()]
    handles += [
        axes[0].lines[0] if axes[0].lines else Patch(color="black"),
    ]
    labels = [*CLASS_COLORS, "free cash flow (line), cumulative (dashed)"]
    fig.legend(handles, labels, loc="outside right upper", fontsize=7)


def _draw_depreciation(fig: Figure, c: Context) -> None:
    left, right = fig.subplots(1, 2)
    book = {n: _world(ds, "depreciation_book_musd") for n, ds in c.runs.items()}
    gap = {n: _world(ds, "depreciation_gap_musd") for n, ds in c.runs.items()}
    scenario_lines(left, book, c.scenario_colors)
    scenario_lines(right, gap, c.scenario_colors)
    left.set_ylabel("book depreciation, world ($B/yr)")
    right.set_ylabel("economic - book depreciation ($B/yr)")
    right.axhline(0, color="black", lw=0.6)
    fig.legend(*left.get_legend_handles_labels(), loc="outside right upper", fontsize=7,
               title="scenario")  # fmt: skip


def _draw_coverage(fig: Figure, c: Context) -> None:
    ax = fig.subplots()
    keys = [f"{n}: {k}" for n, ds in c.runs.items() for k in ds["contract"].values]
    colors = assign_colors(keys)
    for name, ds in c.runs.items():
        cov = ds["contract_coverage_frac"]
        for contract in cov["contract"].values:
            key = f"{name}: {contract}"
            ax.plot(cov["year"].values, cov.sel(contract=contract).values, marker="o", ms=3,
                    color=colors[key], label=key)  # fmt: skip
    ax.axhline(1.0, color="black", lw=0.8, ls="--")
    ax.set(xlabel="year", ylabel="buyer revenue / contract payments due")
    ax.grid(alpha=0.3)
    fig.legend(loc="outside right upper", fontsize=7, title="scenario: contract")


CASH_FIGURES: tuple[FigureSpec, ...] = (
    FigureSpec("cash-waterfall", "Yearly cash flows: who pays, and when",
               "World revenue (up), operating cost and capex outlays by asset class in the "
               "year they are spent (down; builds paid over their lead time before first "
               "use), free cash flow (line) and the cumulative cash position (dashed). The "
               "low point of the dashed line is the peak funding need.",
               (("market_revenue_musd", "operating_cost_musd", "capex_outlay_musd",
                 "free_cash_flow_musd", "cumulative_cash_musd"),), _draw_waterfall,
               lambda n: 3.2 * -(-min(n, WATERFALL_MAX) // 3) + 0.6, optional=True),
    FigureSpec("depreciation", "Book against economic depreciation",
               "Straight-line depreciation of the horizon's builds over the book lives "
               "(finance.depreciation_life_yr) and what it leaves out against the economic "
               "lives the LP uses (> 0: the books report more profit).",
               (("depreciation_book_musd", "depreciation_gap_musd"),), _draw_depreciation,
               optional=True),
    FigureSpec("contract-coverage", "Contract coverage by year",
               "Each compute contract's buyer revenue over everything the buyer owes that "
               "year (below the dashed line: revenue does not cover the contracts).",
               (("contract_coverage_frac",),), _draw_coverage, optional=True),
)  # fmt: skip
"""The cash-view figures, drawn after :data:`energymodel.report.figures.FIGURES` (left out
without a note for results written before the cash view)."""
