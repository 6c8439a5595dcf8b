"""The report's figures: what each shows and how it is drawn.

Each :class:`FigureSpec` names the variables it needs and a function that draws it into a
matplotlib ``Figure`` (object-oriented API: no pyplot, no global state). Rendering to PNG
and SVG, with notes for scenarios that lack the variables, is in
:mod:`energymodel.report.render`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
import xarray as xr
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from energymodel.compare import world_cost_by_component, world_figures, world_total
from energymodel.report.plotting import (
    COMPONENT_COLORS,
    TECH_COLORS,
    as_frame,
    assign_colors,
    at_last_year,
    bar_height,
    last_year,
    scenario_lines,
    stacked_bars,
    units_of,
)
from energymodel.units import MUSD_PER_BUSD

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
    optional: bool = False
    """Drawn only for the runs that have its variables, and left out without a note when
    none has (figures of one kind of scenario: sweeps, accelerator generations)."""
    attrs: tuple[str, ...] = ()
    """Attributes a run must carry to be drawn (e.g. the values of a sweep)."""


def _draw_it_capacity_baseline(fig: Figure, c: Context) -> None:
    ds = c.runs[c.baseline]
    ax = fig.subplots()
    stacked_bars(ax, as_frame(ds["it_capacity_gw"], "year", "region"), c.region_colors)
    ax.set(xlabel="year", ylabel=f"IT capacity alive ({units_of(ds, 'it_capacity_gw', 'GW')})")
    ax.set_title(f"scenario: {c.baseline}", fontsize=9)
    fig.legend(loc="outside right upper", title="region", fontsize=8)


def _draw_it_capacity_multiples(fig: Figure, c: Context) -> None:
    names = list(c.runs)
    regions = ["all modelled", *c.region_colors]
    nrows = -(-len(regions) // 4)
    ncols = -(-len(regions) // nrows)  # balance the rows: 5 panels -> 3 + 2, not 4 + 1
    axes = fig.subplots(nrows, ncols, sharey=True, squeeze=False).ravel()
    for ax, region in zip(axes, regions, strict=False):
        vals = []
        for ds in c.runs.values():
            da = ds["it_capacity_gw"].sel(year=last_year(ds))
            if region == "all modelled":
                vals.append(float(da.sum()))
            else:
                vals.append(float(da.sel(region=region)) if region in da["region"] else np.nan)
        color = "#444444" if region == "all modelled" else c.region_colors[region]
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
    rows = {
        n: ds["generation_twh"].sel(year=last_year(ds)).sum("region") for n, ds in c.runs.items()
    }
    frame = pd.DataFrame({n: da.to_pandas() for n, da in rows.items()}).T
    stacked_bars(ax, frame[[t for t in c.tech_colors if t in frame]], c.tech_colors,
                  horizontal=True)  # fmt: skip
    year = last_year(c.runs[c.baseline])
    ax.set_xlabel(f"energy delivered in {year} by source (TWh), grid import included")
    ax.grid(axis="x", alpha=0.3)
    fig.legend(loc="outside right upper", title="source", fontsize=8)


def _draw_cost_per_mtok(fig: Figure, c: Context) -> None:
    ax = fig.subplots()
    rows = {}
    for name, ds in c.runs.items():
        by_comp = world_cost_by_component(ds)
        if by_comp is not None:
            rows[name] = by_comp.sel(year=last_year(ds)).to_pandas()
    frame = pd.DataFrame(rows).T
    stacked_bars(ax, frame[[k for k in c.component_colors if k in frame]], c.component_colors,
                  horizontal=True)  # fmt: skip
    totals = frame.sum(axis=1)
    for i, total in enumerate(totals):
        ax.annotate(f" {total:.3g}", (max(total, 0.0), i), va="center", fontsize=7)
    year = last_year(c.runs[c.baseline])
    ax.set_xlabel(f"average all-in cost in {year}, modelled regions (USD per million tokens)")
    ax.grid(axis="x", alpha=0.3)
    fig.legend(loc="outside right upper", title="component", fontsize=8)


def _draw_revenue(fig: Figure, c: Context) -> None:
    left, right = fig.subplots(1, 2, sharey=True)
    names = list(c.runs)
    figures = {n: world_figures(ds) for n, ds in c.runs.items()}

    def billions(name: str, key: str) -> float:
        return at_last_year(figures[name].get(key), c.runs[name]) / MUSD_PER_BUSD

    at = np.arange(len(names))
    be = [billions(n, "break_even_revenue_musd") for n in names]
    market = [billions(n, "market_revenue_musd") for n in names]
    left.barh(at - 0.18, be, height=0.36, color="#4c72b0", label="break-even revenue")
    left.barh(at + 0.18, market, height=0.36, color="#55a868", label="market revenue")
    gap = [billions(n, "revenue_gap_musd") for n in names]
    right.barh(at, gap, height=0.6, color=["#c44e52" if g > 0 else "#55a868" for g in gap])
    right.axvline(0, color="black", lw=0.6)
    left.set_yticks(at, names)
    left.set_ylim(len(names) - 0.5, -0.5)
    year = last_year(c.runs[c.baseline])
    left.set_title(f"revenue per year, {year}\n(total of modelled regions)", fontsize=9)
    right.set_title(f"revenue gap, {year}\n(break-even − market; > 0: shortfall)", fontsize=9)
    for ax in (left, right):
        ax.set_xlabel("billion USD")
    for ax in (left, right):
        ax.grid(axis="x", alpha=0.3)
    fig.legend(loc="outside lower center", ncols=2, fontsize=8)  # clear of the titles


def _draw_unserved_stranded(fig: Figure, c: Context) -> None:
    left, right = fig.subplots(1, 2)
    for ax, var, label in (
        (left, "unserved_it_energy_twh", "unserved IT energy (TWh)"),
        (right, "stranded_it_capacity_gw", "stranded IT capacity (GW)"),
    ):
        series = {n: s for n, ds in c.runs.items() if (s := world_total(ds, var)) is not None}
        scenario_lines(ax, series, c.scenario_colors)
        ax.set_ylabel(label)
    handles, labels = left.get_legend_handles_labels()
    if not handles:
        handles, labels = right.get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside right upper", title="scenario", fontsize=8)


def _draw_grid_value_baseline(fig: Figure, c: Context) -> None:
    ds = c.runs[c.baseline]
    ax = fig.subplots()
    da = ds["grid_connection_limit_dual_usd_per_kw_yr"]
    for region in da["region"].values:
        ax.plot(da["year"].values, da.sel(region=region).values, marker="o", ms=3,
                color=c.region_colors[str(region)], label=str(region))  # fmt: skip
    ax.set(xlabel="year", ylabel="connection-limit dual (USD/kW-yr, shadow value)")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.grid(alpha=0.3)
    ax.set_title(f"scenario: {c.baseline}", fontsize=9)
    fig.legend(loc="outside right upper", title="region", fontsize=8)


def _draw_grid_value_heatmap(fig: Figure, c: Context) -> None:
    ax = fig.subplots()
    regions = list(c.region_colors)
    rows = []
    for ds in c.runs.values():
        mean = ds["grid_connection_limit_dual_usd_per_kw_yr"].mean("year")
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
    fig.colorbar(im, ax=ax, label="connection-limit dual, USD/kW-yr (shadow value)")


def _draw_emissions(fig: Figure, c: Context) -> None:
    ax = fig.subplots()
    series = {
        n: s for n, ds in c.runs.items() if (s := world_total(ds, "emissions_mtco2")) is not None
    }
    scenario_lines(ax, series, c.scenario_colors)
    ax.set_ylabel("emissions (Mt CO2 per year)")
    fig.legend(loc="outside right upper", title="scenario", fontsize=8)


EFFICIENCY, ELASTICITY = "sweep__hardware.efficiency_multiplier", "sweep__demand.elasticity"


def _draw_jevons(fig: Figure, c: Context) -> None:
    runs = c.runs
    left, right = fig.subplots(1, 2)
    lines: dict[float, list[tuple[float, float, float]]] = {}
    for ds in runs.values():
        at = ds.sel(year=last_year(ds))
        lines.setdefault(float(ds.attrs[ELASTICITY]), []).append(
            (
                float(ds.attrs[EFFICIENCY]),
                float(at["tokens_served_tn"].sum()) / 1e6,
                float(at["facility_energy_twh"].sum()),
            )
        )
    colors = assign_colors([f"{e:g}" for e in sorted(lines)])
    for e, points in sorted(lines.items()):
        x, tokens, energy = np.array(sorted(points)).T
        kw = {"marker": "o", "color": colors[f"{e:g}"], "label": f"elasticity {e:g}"}
        left.plot(x, tokens, **kw)
        right.plot(x, energy, **kw)
    year = last_year(next(iter(runs.values())))
    left.set(xscale="log", yscale="log", ylabel=f"tokens served in {year} (million trillion)")
    right.set(xscale="log", ylabel=f"facility energy in {year} (TWh)")
    for ax in (left, right):
        ax.set_xlabel("tokens per kWh, x the reference (efficiency multiplier)")
        ax.grid(alpha=0.3, which="both")
    fig.legend(*left.get_legend_handles_labels(), loc="outside right upper", fontsize=8)


def _draw_fleet_by_generation(fig: Figure, c: Context) -> None:
    names = list(c.runs)
    axes = fig.subplots(1, len(names), sharey=True, squeeze=False).ravel()
    kinds = [str(g) for ds in c.runs.values() for g in ds["accelerator"].values]
    colors = assign_colors([*kinds, "retired early"], {"retired early": "#d0d0d0"})
    for ax, name in zip(axes, names, strict=True):
        ds = c.runs[name]
        frame = as_frame(ds["accelerator_capacity_gw"].sum("region"), "year", "accelerator")
        frame["retired early"] = ds["accelerator_retired_gw"].sum(["region", "accelerator"])
        stacked_bars(ax, frame, colors)
        ax.set_title(name.replace("__", "\n"), fontsize=7)
        ax.tick_params(axis="x", labelrotation=90, labelsize=7)
    axes[0].set_ylabel("IT capacity in service, modelled regions (GW)")
    order = [*dict.fromkeys(kinds), "retired early"]
    handles = [Patch(color=colors[k], label=k) for k in order]
    fig.legend(handles=handles, loc="outside right upper", title="generation", fontsize=8)


FIGURES: tuple[FigureSpec, ...] = (
    FigureSpec("it-capacity-baseline", "IT capacity alive by region (baseline)",
               "Data-centre IT capacity alive each year, stacked by region.",
               (("it_capacity_gw",),), _draw_it_capacity_baseline, baseline_only=True),
    FigureSpec("it-capacity-by-scenario", "IT capacity in the last year, by region and scenario",
               "Small multiples: one panel per region (own scale), one bar per scenario.",
               (("it_capacity_gw",),), _draw_it_capacity_multiples,
               lambda n: 2 * (0.9 + 0.26 * n) + 0.6),
    FigureSpec("generation-mix", "Generation mix in the last year",
               "Energy delivered to data centres by source, grid import included, total of modelled regions.",
               (("generation_twh",),), _draw_generation_mix, bar_height),
    FigureSpec("cost-per-mtok", "Cost per million tokens by component",
               "Average all-in cost of the modelled regions (training included) per million tokens served, "
               "token-weighted over regions (sum of cost / sum of tokens), last year.",
               (("avg_cost_by_component_usd_per_mtok", "tokens_served_tn"),
                ("cost_musd", "tokens_served_tn")), _draw_cost_per_mtok, bar_height),
    FigureSpec("revenue", "Break-even revenue against market revenue",
               "Left: revenue the industry needs to break even and what the market pays "
               "(tokens x price). Right: the revenue gap, red where revenue falls short.",
               (("break_even_revenue_musd", "revenue_gap_musd"),
                ("world_break_even_revenue_musd", "revenue_gap_musd")), _draw_revenue,
               bar_height),
    FigureSpec("unserved-stranded", "Unserved compute and stranded capacity",
               "Totals of the modelled regions per year: demand the buildout could not serve, and IT "
               "capacity alive but idle.",
               (("unserved_it_energy_twh",), ("stranded_it_capacity_gw",)),
               _draw_unserved_stranded),
    FigureSpec("grid-value-baseline", "Connection-limit dual (baseline; a shadow value)",
               "Dual of the yearly connection limit: what one more kW of interconnection "
               "would save per year; zero where the limit does not bind.",
               (("grid_connection_limit_dual_usd_per_kw_yr",),), _draw_grid_value_baseline,
               baseline_only=True),
    FigureSpec("grid-value-by-scenario", "Connection-limit dual by scenario (shadow value)",
               "Mean over model years of the connection-limit dual, per region.",
               (("grid_connection_limit_dual_usd_per_kw_yr",),), _draw_grid_value_heatmap,
               bar_height),
    FigureSpec("emissions", "Emissions over time", "CO2 emissions of data-centre power, total of modelled regions.",
               (("emissions_mtco2",),), _draw_emissions),
    FigureSpec("jevons", "Tokens served and facility energy against efficiency",
               "Runs sweeping tokens per kWh (x axis) and the price elasticity of token "
               "demand (one line each), last year: tokens rise 10^e-fold for a 10-fold "
               "efficiency gain, energy 10^(e-1)-fold, until power costs bend supply up.",
               (("tokens_served_tn", "facility_energy_twh"),), _draw_jevons, optional=True,
               attrs=(EFFICIENCY, ELASTICITY)),
    FigureSpec("fleet-by-generation", "IT fleet by accelerator generation",
               "IT capacity of the modelled regions kept in service by generation each year, and the capacity "
               "alive but retired early (grey; its capital charge is still paid).",
               (("accelerator_capacity_gw", "accelerator_retired_gw"),),
               _draw_fleet_by_generation, optional=True),
)  # fmt: skip


# --------------------------------------------------------------------------- rendering


def draw_scenario(fig: Figure, ctx: Context) -> None:
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
        da = world_total(ds, var, keep=("year", dim))
        assert da is not None
        stacked_bars(ax, as_frame(da, "year", dim), colors)
        ax.set(xlabel="year", ylabel=label)
        ax.legend(fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.16), ncols=3,
                  frameon=False)  # fmt: skip


def figure_context(runs: dict[str, xr.Dataset]) -> Context:
    """Colours for every scenario, region, technology and cost component of ``runs``."""

    def coords(dim: str) -> list[str]:
        return [str(x) for ds in runs.values() if dim in ds.coords for x in ds[dim].values]

    return Context(
        runs,
        assign_colors(runs),
        assign_colors(coords("region")),
        assign_colors(
            sorted(coords("tech"), key=lambda t: t != "grid"), TECH_COLORS
        ),  # grid at base
        assign_colors(coords("component"), COMPONENT_COLORS),
    )
