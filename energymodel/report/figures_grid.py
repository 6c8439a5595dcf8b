"""The report's figures of the regional power systems (``grid.mode: system``).

Price-duration curves with and without the new data-centre load, capacity prices by year
beside PJM's auction results, and what other consumers pay because of data centres.
"""

from __future__ import annotations

import numpy as np
import xarray as xr
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from energymodel.report.figures import FIGURES, Context, FigureSpec
from energymodel.report.plotting import last_year, shared_legend

PJM_BRA_USD_PER_MW_DAY = {2024: 28.92, 2025: 269.92, 2026: 329.17, 2027: 333.44}
"""PJM Base Residual Auction clearing prices (RTO, $/MW-day UCAP) by the delivery year's
start: 2024/25, 2025/26, 2026/27, 2027/28 (PJM BRA reports, Jul 2023 - Jul 2025)."""


def _system_regions(ds: xr.Dataset) -> list[str]:
    mode = ds.get("grid_mode")
    if mode is None:
        return []
    return [str(r) for r, m in zip(ds.region.values, mode.values, strict=True) if m == "system"]


def _regions(c: Context) -> list[str]:
    seen: dict[str, None] = {}
    for ds in c.runs.values():
        seen.update(dict.fromkeys(_system_regions(ds)))
    return list(seen)


def _duration(price: xr.DataArray, hours: xr.DataArray) -> tuple[np.ndarray, np.ndarray]:
    """Hours of the year (cumulative) against prices sorted from the highest."""
    order = np.argsort(-price.values)
    return np.cumsum(hours.values[order]), price.values[order]


def _draw_price_duration(fig: Figure, c: Context) -> None:
    name, ds = next((n, d) for n, d in c.runs.items() if _system_regions(d))
    regions = _system_regions(ds)
    year = last_year(ds)
    axes = np.atleast_1d(fig.subplots(1, len(regions), sharey=True))
    hours = ds["timeslice_weight_h"]
    for ax, region in zip(axes, regions, strict=True):
        at = {"year": year, "region": region}
        x, y = _duration(ds["grid_energy_price_usd_per_mwh"].sel(at), hours)
        ax.step(x, y, where="post", color="#c44e52", label="with data centres")
        if "grid_energy_price_counterfactual_usd_per_mwh" in ds:
            x, y = _duration(ds["grid_energy_price_counterfactual_usd_per_mwh"].sel(at), hours)
            ax.step(x, y, where="post", color="#4c72b0", ls="--", label="without new load")
        ax.set_title(region, fontsize=9)
        ax.set_xlabel("hours of the year")
        ax.set_yscale("symlog", linthresh=100)
    axes[0].set_ylabel(f"energy price ($/MWh), {year}")
    fig.legend(*axes[0].get_legend_handles_labels(), loc="outside lower center", ncols=2)
    fig.suptitle(name, fontsize=9)


def _draw_capacity_prices(fig: Figure, c: Context) -> None:
    regions = _regions(c)
    axes = np.atleast_1d(fig.subplots(1, len(regions), sharey=True))
    for ax, region in zip(axes, regions, strict=True):
        for name, ds in c.runs.items():
            if region not in _system_regions(ds):
                continue
            price = ds["capacity_price_usd_per_mw_day"].sel(region=region)
            ax.plot(
                ds.year.values, price.values, marker="o", ms=3,
                color=c.scenario_colors.get(name), label=name,
            )  # fmt: skip
        if region == "us_east":
            years, prices = zip(*PJM_BRA_USD_PER_MW_DAY.items(), strict=True)
            ax.scatter(years, prices, marker="x", color="black", zorder=3, label="PJM auction")
        ax.set_title(region, fontsize=9)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes[0].set_ylabel("capacity price ($/MW-day)")
    shared_legend(fig, axes)


def _draw_other_consumers(fig: Figure, c: Context) -> None:
    ax = fig.subplots()
    runs = {n: d for n, d in c.runs.items() if "other_consumers_price_change_usd_per_mwh" in d}
    width = 0.8 / max(1, sum(len(_system_regions(d)) for d in runs.values()))
    i = 0
    for name, ds in runs.items():
        for region in _system_regions(ds):
            change = ds["other_consumers_price_change_usd_per_mwh"].sel(region=region)
            ax.bar(ds.year.values + (i - 0.4) + width / 2, change.values, width,
                   label=f"{name}: {region}")  # fmt: skip
            i += 1
    ax.axhline(0, color="black", lw=0.6)
    ax.set_ylabel("change in other consumers' price ($/MWh)")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    fig.legend(loc="outside right upper", fontsize=8)


GRID_FIGURES: tuple[FigureSpec, ...] = (
    FigureSpec("price-duration", "Grid energy prices with and without data centres",
               "Hourly energy price of each system region in the last year (the dual of "
               "its balance), sorted from the highest hour: with the data centres' load "
               "(solid) and, where the run carries its counterfactual, without the new "
               "load (dashed).",
               (("grid_energy_price_usd_per_mwh", "grid_mode"),), _draw_price_duration,
               lambda n: 3.6, optional=True),
    FigureSpec("capacity-prices", "Capacity prices by year",
               "Dual of each system region's resource adequacy, in $/MW-day of accredited "
               "capacity, with PJM's Base Residual Auction results (x; delivery years from "
               "June) for us_east. An LP prices capacity at zero in surplus and at the net "
               "cost of new entry (or the shortfall price cap) when short.",
               (("capacity_price_usd_per_mw_day", "grid_mode"),), _draw_capacity_prices,
               lambda n: 3.6, optional=True),
    FigureSpec("other-consumers", "What other consumers pay because of data centres",
               "Change in the average price (energy and capacity) other consumers pay, "
               "against the same run without the new data-centre load.",
               (("other_consumers_price_change_usd_per_mwh",),), _draw_other_consumers,
               optional=True),
)  # fmt: skip

ALL_FIGURES: tuple[FigureSpec, ...] = (*FIGURES, *GRID_FIGURES)
"""Every figure of the report, the system grid's last."""
