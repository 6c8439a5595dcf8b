"""The report's figures of how campuses get power: connections, headroom, on-site plant.

The headroom for flexible load of each system region (Norris et al. 2025, Duke) and how
the campus gets power: firm and flexible grid connection and on-site plant by technology,
by region and year.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import xarray as xr
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from energymodel.report.figures import Context, FigureSpec
from energymodel.report.figures_grid import ALL_FIGURES as GRID_ALL
from energymodel.report.plotting import shared_legend, stacked_bars

DUKE_US_HEADROOM_GW = {0.0025: 76.0, 0.005: 98.0, 0.01: 126.0}
"""US headroom for flexible load summed over 22 balancing areas at curtailment of 0.25%,
0.5% and 1% of the new load's energy (Norris, Profeta, Patino-Echeverri &
Cowie-Haskell 2025, "Rethinking Load Growth", Nicholas Institute, Duke University)."""


def _draw_headroom(fig: Figure, c: Context) -> None:
    name, ds = next(iter(c.runs.items()))
    headroom = ds["headroom_gw"].dropna("region", how="all")
    budgets = headroom["curtailment_budget"].values
    ax = fig.subplots()
    width = 0.8 / max(len(headroom.region), 1)
    x = np.arange(len(budgets))
    for i, region in enumerate(headroom.region.values):
        values = headroom.sel(region=region).values
        bars = ax.bar(x + i * width, values, width, label=str(region),
                      color=c.region_colors.get(str(region)))  # fmt: skip
        hours = ds["headroom_curtailed_hours_h"].sel(region=region).values
        longest = ds["headroom_event_max_h"].sel(region=region).values
        for bar, h, e in zip(bars, hours, longest, strict=True):
            ax.annotate(f"{h:.0f} h\n<= {e:.0f} h", (bar.get_x() + bar.get_width() / 2,
                        bar.get_height()), ha="center", va="bottom", fontsize=6)  # fmt: skip
    ax.margins(y=0.15)
    ax.set_xticks(x + width * (len(headroom.region) - 1) / 2)
    ax.set_xticklabels([f"{100 * b:g}%" for b in budgets])
    ax.set(xlabel="curtailment budget (share of the new load's energy)",
           ylabel="headroom for flexible load (GW)")  # fmt: skip
    ax.set_title(f"{name}; Duke, US total of 22 areas: "
                 + ", ".join(f"{v:.0f}" for v in DUKE_US_HEADROOM_GW.values()) + " GW",
                 fontsize=9)  # fmt: skip
    fig.legend(loc="outside right upper", title="region", fontsize=8)


def _power_frame(ds: xr.Dataset, region: str) -> pd.DataFrame:
    """GW by year: firm and flexible grid connection, islanded IT, on-site by technology."""
    columns = {
        "grid firm": ds["grid_connection_firm_gw"].sel(region=region).to_series(),
        "grid flexible": ds["grid_connection_flexible_gw"].sel(region=region).to_series(),
    }
    onsite = ds["onsite_capacity_gw"].sel(region=region)
    for tech in onsite.tech.values:
        series = onsite.sel(tech=tech).to_series()
        if float(series.abs().max()) > 1e-6:
            columns[f"on-site {tech}"] = series
    return pd.DataFrame(columns)


def _draw_campus_power(fig: Figure, c: Context) -> None:
    name, ds = next(iter(c.runs.items()))
    active = ds["grid_connection_gw"] + ds["onsite_capacity_gw"].sum("tech")
    regions = [str(r) for r in ds.region.values if float(active.sel(region=r).max()) > 1e-6]
    axes = np.atleast_1d(fig.subplots(1, len(regions), sharey=True))
    colors = {"grid firm": "#3a3a3a", "grid flexible": "#b0b0b0"}
    for ax, region in zip(axes, regions, strict=True):
        frame = _power_frame(ds, region)
        colors.update({k: c.tech_colors.get(k.removeprefix("on-site "), "#999999")
                       for k in frame.columns if k not in colors})  # fmt: skip
        stacked_bars(ax, frame, colors)
        ax.set_title(region, fontsize=9)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes[0].set_ylabel("contracted connection and on-site capacity (GW)")
    shared_legend(fig, axes)
    fig.suptitle(name, fontsize=9)


POWER_FIGURES: tuple[FigureSpec, ...] = (
    FigureSpec("headroom", "Headroom for flexible load",
               "Largest constant new load each system region absorbs if it accepts "
               "curtailment of 0.25%, 0.5% or 1% of its energy in the hours where other "
               "load plus the new load exceed the region's measured peak (the load-duration "
               "method of Norris et al. 2025, Duke), on the region's measured hourly load "
               "scaled to the first model year; labels: hours curtailed a year and the "
               "longest event. Duke's US total over 22 balancing areas in the title.",
               (("headroom_gw",),), _draw_headroom, optional=True),
    FigureSpec("campus-power", "How the campus gets power",
               "Firm and flexible (non-firm) grid connection, contracted on IT nameplate x "
               "PUE, and on-site (behind-the-meter) capacity by technology, by region and "
               "year (GW). Islanded campuses have on-site plant and no connection.",
               (("grid_connection_firm_gw", "onsite_capacity_gw"),), _draw_campus_power,
               lambda n: 3.8, baseline_only=True, optional=True),
)  # fmt: skip

ALL_FIGURES: tuple[FigureSpec, ...] = (*GRID_ALL, *POWER_FIGURES)
"""Every figure of the report, the system grid's and then the power figures last."""
