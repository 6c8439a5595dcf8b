"""Figures and the self-contained HTML report of a results folder.

The report reads results files only (``results/<scenario>.nc``, or ``results/all.nc`` when
no per-scenario file is there); it never imports Pyomo or the model. Figures are drawn with
matplotlib's object-oriented API (``Figure``, no pyplot, no global state), embedded in
``report.html`` as base64 PNG and saved as PNG and SVG in ``results/figures/`` for slides.
A variable missing from some or all scenarios removes those scenarios (or the figure) with
a note on the page, so the report builds from partial results.

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

import base64
import io
import logging
import re
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import resources
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import jinja2
import numpy as np
import pandas as pd
import xarray as xr
from matplotlib import colormaps
from matplotlib.axes import Axes
from matplotlib.colors import to_hex
from matplotlib.figure import Figure
from matplotlib.layout_engine import ConstrainedLayoutEngine
from matplotlib.ticker import MaxNLocator

logger = logging.getLogger(__name__)

DPI = 110
"""Resolution of the PNG figures (embedded and saved): sharp on a laptop, quick to draw."""
WIDTH_IN = 10.0

HEADLINE_COLUMNS: dict[str, str] = {
    "it_capacity_gw": "IT capacity (GW)",
    "facility_energy_twh": "Facility energy (TWh)",
    "world_avg_cost_usd_per_mtok": "Avg cost ($/Mtok)",
    "break_even_revenue_busd": "Break-even revenue ($B)",
    "revenue_gap_busd": "Revenue gap ($B)",
    "unserved_it_energy_twh": "Unserved IT energy (TWh)",
    "emissions_mtco2": "Emissions (Mt CO2)",
}
"""Columns of :func:`headline_table` (``_busd`` = billion USD) and their display labels."""

EXPECTED_VARIABLES: tuple[str, ...] = (
    "it_capacity_gw", "generation_twh", "supply_capacity_gw", "facility_energy_twh",
    "unserved_it_energy_twh", "stranded_it_capacity_gw", "emissions_mtco2", "cost_musd",
    "tokens_served_tn", "avg_cost_by_component_usd_per_mtok", "break_even_revenue_musd",
    "market_revenue_musd", "revenue_gap_musd", "grid_connection_value_usd_per_kw_yr",
)  # fmt: skip
"""Variables the figures use; a scenario lacking one gets a note in its section."""

TECH_COLORS = {
    "grid": "#8c8c8c", "gas_ccgt": "#8c564b", "gas_ocgt": "#c49c94", "gas_recip": "#d62728",
    "solar_pv": "#f2b701", "wind_onshore": "#1f77b4", "battery": "#9467bd",
    "nuclear": "#2ca02c",
}  # fmt: skip
COMPONENT_COLORS = {
    "accelerators": "#4c72b0", "facility": "#8172b3", "power_capex": "#dd8452",
    "power_fom": "#e5ae38", "fuel": "#8c564b", "grid_energy": "#7f7f7f",
    "grid_connection": "#b5b5b5", "carbon": "#333333", "unserved": "#c44e52",
}  # fmt: skip


def _package_version() -> str:
    try:
        return version("energymodel")
    except PackageNotFoundError:  # source tree that is not installed
        return "unknown"


# --------------------------------------------------------------------------- loading


def load_results(results_dir: Path) -> dict[str, xr.Dataset]:
    """Read every scenario of a results folder.

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
    """
    results_dir = Path(results_dir)
    out: dict[str, xr.Dataset] = {}
    newest = 0.0
    for path in sorted(p for p in results_dir.glob("*.nc") if p.name != "all.nc"):
        try:
            ds = xr.load_dataset(path)
        except (OSError, ValueError) as err:
            logger.warning("skipping unreadable results file %s: %s", path, err)
            continue
        out[str(ds.attrs.get("scenario", path.stem))] = ds
        newest = max(newest, path.stat().st_mtime)
    combined = results_dir / "all.nc"
    if combined.exists() and combined.stat().st_mtime >= newest:
        with xr.open_dataset(combined) as lazy:
            batch = [str(s) for s in lazy["scenario"].values]
        if old := sorted(set(out) - set(batch)):
            logger.info("not in all.nc (earlier batches), left out: %s", ", ".join(old))
        if any(n not in out for n in batch):
            out |= {k: v for k, v in _split_combined(xr.load_dataset(combined)).items()
                    if k not in out}  # fmt: skip
        out = {n: out[n] for n in batch}
    elif combined.exists():
        logger.warning("%s is older than the per-scenario files: not used", combined)
    if not out:
        msg = f"no results (*.nc) in {results_dir}"
        raise FileNotFoundError(msg)
    return dict(sorted(out.items()))


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


# --------------------------------------------------------------------------- headline numbers


def _world(ds: xr.Dataset, name: str, keep: tuple[str, ...] = ("year",)) -> xr.DataArray | None:
    """Sum a variable over every dim but ``keep`` (NaN when all summed values are NaN)."""
    if name not in ds:
        return None
    da = ds[name]
    return da.sum([d for d in da.dims if str(d) not in keep], min_count=1)


def world_cost_by_component(ds: xr.Dataset) -> xr.DataArray | None:
    """Return the world average cost per million tokens by component ($/Mtok, year x component).

    Token-weighted over regions: sum over regions of cost / sum of tokens, from
    ``avg_cost_by_component_usd_per_mtok`` and ``tokens_served_tn`` (or, failing that,
    ``cost_musd`` / ``tokens_served_tn``: 1 M$ per trillion tokens = 1 $/Mtok).
    """
    tokens = _world(ds, "tokens_served_tn", keep=("year", "region"))
    if tokens is None:
        return None
    if "avg_cost_by_component_usd_per_mtok" in ds:
        cost = (ds["avg_cost_by_component_usd_per_mtok"] * tokens).sum("region", min_count=1)
    elif "cost_musd" in ds:
        cost = ds["cost_musd"].sum("region", min_count=1)
    else:
        return None
    total = tokens.sum("region")
    return (cost / total.where(total > 0)).assign_attrs(units="USD/Mtok")


def _world_metrics(ds: xr.Dataset) -> dict[str, xr.DataArray | None]:
    """World totals by year of the headline metrics, in the units of ``HEADLINE_COLUMNS``."""
    cost = ds.get("world_avg_cost_usd_per_mtok")
    if cost is None and (by_comp := world_cost_by_component(ds)) is not None:
        cost = by_comp.sum("component", min_count=1)
    break_even = ds.get("world_break_even_revenue_musd")
    if break_even is None:
        break_even = _world(ds, "break_even_revenue_musd")
    gap = _world(ds, "revenue_gap_musd")
    return {
        "it_capacity_gw": _world(ds, "it_capacity_gw"),
        "facility_energy_twh": _world(ds, "facility_energy_twh"),
        "world_avg_cost_usd_per_mtok": cost,
        "break_even_revenue_busd": None if break_even is None else break_even / 1e3,
        "revenue_gap_busd": None if gap is None else gap / 1e3,
        "unserved_it_energy_twh": _world(ds, "unserved_it_energy_twh"),
        "emissions_mtco2": _world(ds, "emissions_mtco2"),
    }


def _headline_row(ds: xr.Dataset) -> dict[str, float]:
    last = int(ds["year"].max())
    row: dict[str, float] = {"year": float(last)}
    for key, da in _world_metrics(ds).items():
        row[key] = float(da.sel(year=last)) if da is not None else float("nan")
    return row


def headline_table(ds: xr.Dataset | Mapping[str, xr.Dataset]) -> pd.DataFrame:
    """Tabulate the last-year headline numbers, one row per scenario.

    Parameters
    ----------
    ds : xr.Dataset or Mapping[str, xr.Dataset]
        One scenario's results (row named by ``attrs["scenario"]``), a combined Dataset
        with a ``scenario`` dim (``results/all.nc``), or a mapping of name to results.

    Returns
    -------
    pd.DataFrame
        Index ``scenario``; columns ``year`` (the last model year) and the keys of
        ``HEADLINE_COLUMNS``: IT capacity (GW) and facility energy (TWh) summed over
        regions, world average all-in cost ($/Mtok), world break-even revenue and revenue
        gap (billion USD), unserved IT energy (TWh) and emissions (Mt CO2). NaN where a
        variable is missing.
    """
    if isinstance(ds, xr.Dataset):
        if "scenario" in ds.dims:
            items = {str(s): ds.sel(scenario=s) for s in ds["scenario"].values}
        else:
            items = {str(ds.attrs.get("scenario", "scenario")): ds}
    else:
        items = dict(ds)
    table = pd.DataFrame.from_dict({k: _headline_row(v) for k, v in items.items()}, "index")
    table.index.name = "scenario"
    return table.astype({"year": int})


# --------------------------------------------------------------------------- drawing helpers


def _colors(keys: Iterable[str], fixed: Mapping[str, str] | None = None) -> dict[str, str]:
    """Give each key a colour: ``fixed`` when listed, else the next unused tab10/tab20 one."""
    keys = list(dict.fromkeys(keys))
    cmap = colormaps["tab10" if len(keys) <= 10 else "tab20"]
    out = {k: fixed[k] for k in keys if fixed and k in fixed}
    free = [to_hex(cmap(i)) for i in range(cmap.N) if to_hex(cmap(i)) not in out.values()]
    for i, k in enumerate(k for k in keys if k not in out):
        out[k] = free[i % len(free)]
    return out


def _stacked_bars(
    ax: Axes, frame: pd.DataFrame, colors: Mapping[str, str], *, horizontal: bool = False
) -> None:
    """Draw stacked bars (rows = bars, columns = stacked series); negatives stack below 0."""
    pos = np.zeros(len(frame))
    neg = np.zeros(len(frame))
    at = np.arange(len(frame))
    for col in frame.columns:
        vals = frame[col].fillna(0.0).to_numpy(dtype=float)
        if not np.any(vals):
            continue
        base = np.where(vals >= 0, pos, neg)
        if horizontal:
            ax.barh(at, vals, left=base, height=0.7, color=colors[col], label=str(col))
        else:
            ax.bar(at, vals, bottom=base, width=0.7, color=colors[col], label=str(col))
        pos += np.clip(vals, 0, None)
        neg += np.clip(vals, None, 0)
    labels = [str(i) for i in frame.index]
    if horizontal:
        ax.set_yticks(at, labels)
        ax.set_ylim(len(frame) - 0.5, -0.5)  # first row at the top
        ax.axvline(0, color="black", lw=0.6)
    else:
        step = max(1, len(labels) // 12)
        ax.set_xticks(at[::step], labels[::step])
        ax.axhline(0, color="black", lw=0.6)


def _frame(da: xr.DataArray, rows: str, cols: str) -> pd.DataFrame:
    return da.transpose(rows, cols).to_pandas()


def _lines(ax: Axes, series: Mapping[str, xr.DataArray], colors: Mapping[str, str]) -> None:
    """One line per scenario over years; the first (baseline) is drawn black and thicker."""
    for i, (name, da) in enumerate(series.items()):
        style = {"color": "black", "lw": 2.2, "zorder": 3} if i == 0 else {"lw": 1.4}
        ax.plot(da["year"].values, da.values, marker="o", ms=3, label=name,
                **({"color": colors[name]} | style))  # fmt: skip
    ax.set_xlabel("year")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.grid(alpha=0.3)
    if all(float(da.min()) >= 0 for da in series.values() if da.notnull().any()):
        ax.set_ylim(bottom=0)


def _units(ds: xr.Dataset, name: str, default: str) -> str:
    return str(ds[name].attrs.get("units", default)) if name in ds else default


def _last(ds: xr.Dataset) -> int:
    return int(ds["year"].max())


def _at_last(da: xr.DataArray | None, ds: xr.Dataset) -> float:
    """Value of a year-only array in the scenario's last year (NaN when missing)."""
    return float("nan") if da is None else float(da.sel(year=_last(ds)))


def _bar_height(n: int) -> float:
    return 1.6 + 0.32 * n


# --------------------------------------------------------------------------- figures

Draw = Callable[[Figure, "Context"], None]


@dataclass(frozen=True)
class Context:
    """What a figure sees: the scenarios that have its variables, baseline first."""

    runs: dict[str, xr.Dataset]
    scenario_colors: dict[str, str]
    region_colors: dict[str, str]
    tech_colors: dict[str, str]
    component_colors: dict[str, str]

    @property
    def baseline(self) -> str:
        """Name of the first scenario (the baseline when it has the variables)."""
        return next(iter(self.runs))


@dataclass(frozen=True)
class FigureSpec:
    """One figure: which variables it needs (alternatives) and how to draw it."""

    id: str
    title: str
    caption: str
    needs: tuple[tuple[str, ...], ...]
    draw: Draw
    height_in: Callable[[int], float] = lambda n: 4.2
    baseline_only: bool = False


def _draw_it_capacity_baseline(fig: Figure, c: Context) -> None:
    ds = c.runs[c.baseline]
    ax = fig.subplots()
    _stacked_bars(ax, _frame(ds["it_capacity_gw"], "year", "region"), c.region_colors)
    ax.set(xlabel="year", ylabel=f"IT capacity alive ({_units(ds, 'it_capacity_gw', 'GW')})")
    ax.set_title(f"scenario: {c.baseline}", fontsize=9)
    fig.legend(loc="outside right upper", title="region", fontsize=8)


def _draw_it_capacity_multiples(fig: Figure, c: Context) -> None:
    names = list(c.runs)
    regions = ["world", *c.region_colors]
    nrows = -(-len(regions) // 4)
    ncols = -(-len(regions) // nrows)  # balance the rows: 5 panels -> 3 + 2, not 4 + 1
    axes = fig.subplots(nrows, ncols, sharey=True, squeeze=False).ravel()
    for ax, region in zip(axes, regions, strict=False):
        vals = []
        for ds in c.runs.values():
            da = ds["it_capacity_gw"].sel(year=_last(ds))
            if region == "world":
                vals.append(float(da.sum()))
            else:
                vals.append(float(da.sel(region=region)) if region in da["region"] else np.nan)
        color = "#444444" if region == "world" else c.region_colors[region]
        ax.barh(np.arange(len(names)), vals, color=color, height=0.7)
        ax.set_yticks(np.arange(len(names)), names)
        ax.set_ylim(len(names) - 0.5, -0.5)
        ax.set_title(region, fontsize=9)
        ax.set_xlabel("GW", fontsize=8)
        ax.grid(axis="x", alpha=0.3)
    for ax in axes[len(regions) :]:
        ax.set_visible(False)


def _draw_generation_mix(fig: Figure, c: Context) -> None:
    ax = fig.subplots()
    rows = {n: ds["generation_twh"].sel(year=_last(ds)).sum("region") for n, ds in c.runs.items()}
    frame = pd.DataFrame({n: da.to_pandas() for n, da in rows.items()}).T
    _stacked_bars(ax, frame[[t for t in c.tech_colors if t in frame]], c.tech_colors,
                  horizontal=True)  # fmt: skip
    year = _last(c.runs[c.baseline])
    ax.set_xlabel(f"energy delivered in {year} by source (TWh), grid import included")
    ax.grid(axis="x", alpha=0.3)
    fig.legend(loc="outside right upper", title="source", fontsize=8)


def _draw_cost_per_mtok(fig: Figure, c: Context) -> None:
    ax = fig.subplots()
    rows = {}
    for name, ds in c.runs.items():
        by_comp = world_cost_by_component(ds)
        if by_comp is not None:
            rows[name] = by_comp.sel(year=_last(ds)).to_pandas()
    frame = pd.DataFrame(rows).T
    _stacked_bars(ax, frame[[k for k in c.component_colors if k in frame]], c.component_colors,
                  horizontal=True)  # fmt: skip
    totals = frame.sum(axis=1)
    for i, total in enumerate(totals):
        ax.annotate(f" {total:.3g}", (max(total, 0.0), i), va="center", fontsize=7)
    year = _last(c.runs[c.baseline])
    ax.set_xlabel(f"world average all-in cost in {year} (USD per million tokens)")
    ax.grid(axis="x", alpha=0.3)
    fig.legend(loc="outside right upper", title="component", fontsize=8)


def _draw_revenue(fig: Figure, c: Context) -> None:
    left, right = fig.subplots(1, 2, sharey=True)
    names = list(c.runs)
    metrics = {n: _world_metrics(ds) for n, ds in c.runs.items()}
    at = np.arange(len(names))
    be = [_at_last(metrics[n]["break_even_revenue_busd"], c.runs[n]) for n in names]
    market = [_at_last(_world(c.runs[n], "market_revenue_musd"), c.runs[n]) / 1e3 for n in names]
    left.barh(at - 0.18, be, height=0.36, color="#4c72b0", label="break-even revenue")
    left.barh(at + 0.18, market, height=0.36, color="#55a868", label="market revenue")
    gap = [_at_last(metrics[n]["revenue_gap_busd"], c.runs[n]) for n in names]
    right.barh(at, gap, height=0.6, color=["#c44e52" if g > 0 else "#55a868" for g in gap])
    right.axvline(0, color="black", lw=0.6)
    left.set_yticks(at, names)
    left.set_ylim(len(names) - 0.5, -0.5)
    year = _last(c.runs[c.baseline])
    left.set_title(f"world revenue per year, {year}", fontsize=9)
    right.set_title(f"revenue gap = break-even − market, {year} (> 0: shortfall)", fontsize=9)
    for ax in (left, right):
        ax.set_xlabel("billion USD")
    for ax in (left, right):
        ax.grid(axis="x", alpha=0.3)
    fig.legend(loc="outside right upper", fontsize=8)


def _draw_unserved_stranded(fig: Figure, c: Context) -> None:
    left, right = fig.subplots(1, 2)
    for ax, var, label in (
        (left, "unserved_it_energy_twh", "unserved IT energy (TWh)"),
        (right, "stranded_it_capacity_gw", "stranded IT capacity (GW)"),
    ):
        series = {n: s for n, ds in c.runs.items() if (s := _world(ds, var)) is not None}
        _lines(ax, series, c.scenario_colors)
        ax.set_ylabel(label)
    handles, labels = left.get_legend_handles_labels()
    if not handles:
        handles, labels = right.get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside right upper", title="scenario", fontsize=8)


def _draw_grid_value_baseline(fig: Figure, c: Context) -> None:
    ds = c.runs[c.baseline]
    ax = fig.subplots()
    da = ds["grid_connection_value_usd_per_kw_yr"]
    for region in da["region"].values:
        ax.plot(da["year"].values, da.sel(region=region).values, marker="o", ms=3,
                color=c.region_colors[str(region)], label=str(region))  # fmt: skip
    ax.set(xlabel="year", ylabel="value of 1 kW more connection (USD/kW-yr)")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.grid(alpha=0.3)
    ax.set_title(f"scenario: {c.baseline}", fontsize=9)
    fig.legend(loc="outside right upper", title="region", fontsize=8)


def _draw_grid_value_heatmap(fig: Figure, c: Context) -> None:
    ax = fig.subplots()
    regions = list(c.region_colors)
    rows = []
    for ds in c.runs.values():
        mean = ds["grid_connection_value_usd_per_kw_yr"].mean("year")
        rows.append([float(mean.sel(region=r)) if r in mean["region"] else np.nan
                     for r in regions])  # fmt: skip
    data = np.ma.masked_invalid(np.array(rows, dtype=float))
    im = ax.imshow(data, aspect="auto", cmap="YlOrRd")
    for (i, j), v in np.ndenumerate(data.filled(np.nan)):
        if np.isfinite(v):
            dark = float(np.asarray(im.norm(v))) > 0.6
            ax.text(j, i, f"{v:.0f}", ha="center", va="center", fontsize=8,
                    color="white" if dark else "black")  # fmt: skip
    ax.set_xticks(np.arange(len(regions)), regions, rotation=30, ha="right")
    ax.set_yticks(np.arange(len(c.runs)), list(c.runs))
    fig.colorbar(im, ax=ax, label="USD/kW-yr")


def _draw_emissions(fig: Figure, c: Context) -> None:
    ax = fig.subplots()
    series = {n: s for n, ds in c.runs.items() if (s := _world(ds, "emissions_mtco2")) is not None}
    _lines(ax, series, c.scenario_colors)
    ax.set_ylabel("emissions (Mt CO2 per year)")
    fig.legend(loc="outside right upper", title="scenario", fontsize=8)


FIGURES: tuple[FigureSpec, ...] = (
    FigureSpec("it-capacity-baseline", "IT capacity alive by region (baseline)",
               "Data-centre IT capacity alive each year, stacked by region.",
               (("it_capacity_gw",),), _draw_it_capacity_baseline, baseline_only=True),
    FigureSpec("it-capacity-by-scenario", "IT capacity in the last year, by region and scenario",
               "Small multiples: one panel per region (own scale), one bar per scenario.",
               (("it_capacity_gw",),), _draw_it_capacity_multiples,
               lambda n: 2 * (0.9 + 0.26 * n) + 0.6),
    FigureSpec("generation-mix", "Generation mix in the last year",
               "Energy delivered to data centres by source, grid import included, world total.",
               (("generation_twh",),), _draw_generation_mix, _bar_height),
    FigureSpec("cost-per-mtok", "Cost per million tokens by component",
               "World average all-in cost (training included) per million tokens served, "
               "token-weighted over regions (sum of cost / sum of tokens), last year.",
               (("avg_cost_by_component_usd_per_mtok", "tokens_served_tn"),
                ("cost_musd", "tokens_served_tn")), _draw_cost_per_mtok, _bar_height),
    FigureSpec("revenue", "Break-even revenue against market revenue",
               "Left: revenue the industry needs to break even and what the market pays "
               "(tokens x price). Right: the revenue gap, red where revenue falls short.",
               (("break_even_revenue_musd", "revenue_gap_musd"),
                ("world_break_even_revenue_musd", "revenue_gap_musd")), _draw_revenue,
               _bar_height),
    FigureSpec("unserved-stranded", "Unserved compute and stranded capacity",
               "World totals per year: demand the buildout could not serve, and IT "
               "capacity alive but idle.",
               (("unserved_it_energy_twh",), ("stranded_it_capacity_gw",)),
               _draw_unserved_stranded),
    FigureSpec("grid-value-baseline", "Marginal value of grid connections (baseline)",
               "Dual of the yearly connection limit: what one more kW of interconnection "
               "would save per year; zero where the limit does not bind.",
               (("grid_connection_value_usd_per_kw_yr",),), _draw_grid_value_baseline,
               baseline_only=True),
    FigureSpec("grid-value-by-scenario", "Marginal value of grid connections by scenario",
               "Mean over model years of the connection-limit dual, per region.",
               (("grid_connection_value_usd_per_kw_yr",),), _draw_grid_value_heatmap,
               _bar_height),
    FigureSpec("emissions", "Emissions over time", "World CO2 emissions of data-centre power.",
               (("emissions_mtco2",),), _draw_emissions),
)  # fmt: skip


# --------------------------------------------------------------------------- rendering


@dataclass
class RenderedFigure:
    """A figure as the template shows it (``png_b64`` empty when skipped)."""

    id: str
    title: str
    caption: str
    png_b64: str = ""
    png: str = ""
    svg: str = ""
    notes: list[str] = field(default_factory=list)


def _has(ds: xr.Dataset, needs: tuple[tuple[str, ...], ...]) -> bool:
    return any(all(v in ds for v in option) for option in needs)


def _render(
    out: RenderedFigure,
    height_in: float,
    draw: Callable[[Figure], None],
    out_dir: Path,
    note: str,
) -> RenderedFigure:
    """Draw a figure into ``out`` (base64 PNG) and save it as PNG and SVG in ``out_dir``.

    A drawing error (say, a variable with unexpected dims in partial results) becomes a
    note on the page instead of failing the report.
    """
    margin = 0.22 / height_in  # room for the source note below the layout
    layout = ConstrainedLayoutEngine(rect=(0, margin, 1, 1 - margin))
    fig = Figure(figsize=(WIDTH_IN, height_in), layout=layout)
    try:
        draw(fig)
    except (KeyError, ValueError, TypeError, AttributeError, IndexError) as err:
        logger.warning("figure %s not drawn: %s", out.id, err)
        out.notes.append(f"Not drawn: {type(err).__name__}: {err}")
        return out
    fig.suptitle(out.title, fontsize=12, fontweight="bold")
    fig.text(0.995, 0.005, note, ha="right", va="bottom", fontsize=7, color="#666666")
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI, metadata={"Software": None})
    (out_dir / f"{out.id}.png").write_bytes(buf.getvalue())
    fig.set_layout_engine("none")  # keep the layout just computed: no second solve
    fig.savefig(out_dir / f"{out.id}.svg", format="svg", metadata={"Date": None})
    out.png_b64 = base64.b64encode(buf.getvalue()).decode("ascii")
    out.png, out.svg = f"figures/{out.id}.png", f"figures/{out.id}.svg"
    return out


def _figure(
    spec: FigureSpec, ctx: Context, baseline: str, out_dir: Path, note: str
) -> RenderedFigure:
    """Render one spec for the scenarios that have its variables, or explain why not."""
    fig = RenderedFigure(spec.id, spec.title, spec.caption)
    have = {n: ds for n, ds in ctx.runs.items() if _has(ds, spec.needs)}
    wanted = [baseline] if spec.baseline_only else list(ctx.runs)
    missing = [n for n in wanted if n not in have]
    need = " or ".join(", ".join(o) for o in spec.needs)
    if spec.baseline_only:
        have = {baseline: have[baseline]} if baseline in have else {}
    if not have:
        fig.notes.append(f"Not drawn: {', '.join(missing)} lack {need}.")
        return fig
    if missing:
        fig.notes.append(f"Left out (missing {need}): {', '.join(missing)}.")
    sub = Context(have, ctx.scenario_colors, ctx.region_colors, ctx.tech_colors,
                  ctx.component_colors)  # fmt: skip
    return _render(fig, spec.height_in(len(have)), lambda f: spec.draw(f, sub), out_dir, note)


def _draw_scenario(fig: Figure, ctx: Context) -> None:
    """Per-scenario panels: IT capacity by region, generation and supply capacity by tech."""
    ds = ctx.runs[ctx.baseline]  # the one scenario of this section
    panels = [
        (v, dim, colors, label)
        for v, dim, colors, label in (
            ("it_capacity_gw", "region", ctx.region_colors, "IT capacity alive (GW)"),
            ("generation_twh", "tech", ctx.tech_colors, "energy delivered by source (TWh)"),
            ("supply_capacity_gw", "tech", ctx.tech_colors, "supply capacity by source (GW)"),
        )
        if v in ds
    ]
    axes = fig.subplots(1, len(panels), squeeze=False).ravel()
    for ax, (var, dim, colors, label) in zip(axes, panels, strict=True):
        da = _world(ds, var, keep=("year", dim))
        assert da is not None
        _stacked_bars(ax, _frame(da, "year", dim), colors)
        ax.set(xlabel="year", ylabel=label)
        ax.legend(fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.16), ncols=3,
                  frameon=False)  # fmt: skip


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "scenario"


def _fmt(value: float, digits: int = 1, *, signed: bool = False) -> str:
    if not np.isfinite(value):
        return "–"
    if round(value, digits) == 0:
        return f"{0.0:.{digits}f}"  # neither "-0.0" nor "+0.0"
    return f"{value:{'+' if signed else ''},.{digits}f}"


DIGITS = {"world_avg_cost_usd_per_mtok": 2}


def _table_rows(table: pd.DataFrame, *, signed: bool = False) -> list[dict[str, Any]]:
    return [
        {"name": name, "slug": _slug(str(name)),
         "cells": [_fmt(float(row[c]), DIGITS.get(c, 1), signed=signed) for c in HEADLINE_COLUMNS]}
        for name, row in table.iterrows()
    ]  # fmt: skip


def _template() -> jinja2.Template:
    text = resources.files("energymodel").joinpath("templates/report.html.j2").read_text("utf-8")
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    return env.from_string(text)


def _status(ds: xr.Dataset) -> dict[str, str]:
    keys = ("termination", "objective_musd", "solve_time_s", "energymodel_version",
            "highspy_version")  # fmt: skip
    status = {k: str(ds.attrs[k]) for k in keys if k in ds.attrs}
    status |= {k.removeprefix("sweep__"): str(v) for k, v in ds.attrs.items()
               if k.startswith("sweep__")}  # fmt: skip
    return status


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
    runs = load_results(results_dir)
    notes: list[str] = []
    if baseline not in runs:
        notes.append(f"No scenario named {baseline!r}: compared against {next(iter(runs))!r}.")
        baseline = next(iter(runs))
    runs = {baseline: runs[baseline]} | {k: v for k, v in runs.items() if k != baseline}
    pkg = _package_version()
    note = f"energymodel {runs[baseline].attrs.get('energymodel_version', pkg)}, "
    note += "scenario inputs: inputs/"

    def coords(dim: str) -> list[str]:
        return [str(x) for ds in runs.values() if dim in ds.coords for x in ds[dim].values]

    ctx = Context(
        runs,
        _colors(runs),
        _colors(coords("region")),
        _colors(sorted(coords("tech"), key=lambda t: t != "grid"), TECH_COLORS),  # grid at base
        _colors(coords("component"), COMPONENT_COLORS),
    )
    out_dir = results_dir / "figures"
    out_dir.mkdir(parents=True, exist_ok=True)

    table = headline_table(runs)
    deltas = table[list(HEADLINE_COLUMNS)] - table.loc[baseline, list(HEADLINE_COLUMNS)]
    deltas = deltas.drop(index=baseline)
    figures = [_figure(spec, ctx, baseline, out_dir, note) for spec in FIGURES]
    figures.append(_delta_figure(deltas, baseline, out_dir, note))

    sections = []
    for name, ds in runs.items():
        spec = FigureSpec(
            f"scenario-{_slug(name)}", f"Buildout and supply: {name}",
            "World totals per year: IT capacity by region, energy by source, supply capacity.",
            (("it_capacity_gw",), ("generation_twh",), ("supply_capacity_gw",)),
            _draw_scenario, lambda n: 4.6,
        )  # fmt: skip
        one = Context({name: ds}, ctx.scenario_colors, ctx.region_colors, ctx.tech_colors,
                      ctx.component_colors)  # fmt: skip
        sections.append({
            "name": name, "slug": _slug(name),
            "description": str(ds.attrs.get("description", "")),
            "yaml": str(ds.attrs.get("scenario_yaml", "")),
            "status": _status(ds),
            "missing": [v for v in EXPECTED_VARIABLES if v not in ds],
            "figure": _figure(spec, one, name, out_dir, note),
        })  # fmt: skip

    html = _template().render(
        title="energymodel scenario report",
        generated=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        version=pkg, results_dir=str(results_dir), baseline=baseline,
        last_year=int(table["year"].max()),
        columns=list(HEADLINE_COLUMNS.values()),
        headline=_table_rows(table), deltas=_table_rows(deltas, signed=True),
        figures=figures, sections=sections, notes=notes, source_note=note,
    )  # fmt: skip
    path = results_dir / "report.html"
    tmp = path.with_suffix(".html.tmp")
    tmp.write_text(html, encoding="utf-8")
    tmp.replace(path)
    logger.info("wrote %s (%d scenarios) in %.1f s", path, len(runs), time.perf_counter() - start)
    return path


def _delta_figure(deltas: pd.DataFrame, baseline: str, out_dir: Path, note: str) -> RenderedFigure:
    """Small multiples of headline differences against the baseline, one panel per metric."""
    spec_id, title = "delta-vs-baseline", f"Headline differences against {baseline}"
    fig = RenderedFigure(spec_id, title, "Last-year headline numbers minus the baseline's; "
                         "orange above the baseline, blue below.")  # fmt: skip
    metrics = [c for c in HEADLINE_COLUMNS if deltas[c].notna().any()]
    if deltas.empty or not metrics:
        fig.notes.append("Not drawn: no other scenario, or no headline numbers to compare.")
        return fig
    names = [str(n) for n in deltas.index]

    def draw(f: Figure) -> None:
        ncols = min(4, len(metrics))
        axes = f.subplots(-(-len(metrics) // ncols), ncols, sharey=True, squeeze=False).ravel()
        at = np.arange(len(names))
        for ax, col in zip(axes, metrics, strict=False):
            vals = deltas[col].to_numpy(dtype=float)
            ax.barh(at, np.nan_to_num(vals), height=0.7,
                    color=["#dd8452" if v > 0 else "#4c72b0" for v in vals])  # fmt: skip
            ax.axvline(0, color="black", lw=0.6)
            ax.set_yticks(at, names)
            ax.set_ylim(len(names) - 0.5, -0.5)
            ax.set_title(f"Δ {HEADLINE_COLUMNS[col]}", fontsize=8)
            ax.tick_params(labelsize=7)
            ax.grid(axis="x", alpha=0.3)
        for ax in axes[len(metrics) :]:
            ax.set_visible(False)

    rows = -(-len(metrics) // min(4, len(metrics)))
    return _render(fig, 0.8 + rows * (0.9 + 0.26 * len(names)), draw, out_dir, note)
