"""The headline figures: totals of the modelled regions, by scenario and year, defined once.

``summary.csv``, the HTML report and the scenario-library page all read their numbers
from :func:`world_figures`, so a figure means the same everywhere: sums over regions for
quantities; token-weighted means for costs per million tokens; the inference-energy-
weighted marginal cost (:func:`marginal_cost_per_mtok`), shown as "shed" in a year where
demand is shed (the duals are then the value of lost compute, not a price); the highest
connection-limit dual; the power side (:mod:`~energymodel.compare.power`). "World": the
modelled regions; money in $B (``_busd``) in tables, M$ in results."""

from __future__ import annotations

import re
from collections.abc import Mapping

import numpy as np
import pandas as pd
import xarray as xr

from energymodel.compare.cash_columns import CASH_FLOWS, CASH_LABELS, CASH_RUN, CASH_SUMMARY
from energymodel.compare.check_figures import checked_total, largest_gap
from energymodel.compare.power import (
    DETAIL_PREFIXES,
    cost_per_gpu_hour,
    detail_label,
    power_cost_musd,
    power_details,
)
from energymodel.units import MUSD_PER_BUSD

SWEEP_PREFIX = "sweep__"
"""Prefix of the attributes (per run) and coordinates (combined) holding swept values."""
UNSERVED = "unserved"
"""The cost component that is a modelling device (value of lost compute), not a cost."""

LABELS: dict[str, str] = {
    "it_capacity_gw": "IT capacity (GW)",
    "it_capacity_new_gw": "IT built (GW)",
    "facility_capacity_gw": "Facility capacity (GW)",
    "facility_energy_twh": "Facility energy (TWh)",
    "unserved_it_energy_twh": "Unserved IT energy (TWh)",
    "shed": "Demand shed (regions)",
    "world_avg_cost_usd_per_mtok": "Avg cost ($/Mtok)",
    "world_serving_cost_usd_per_mtok": "Serving cost ($/Mtok)",
    "marginal_cost_usd_per_mtok": "Marginal cost ($/Mtok)",
    "price_usd_per_mtok": "Market price ($/Mtok)",
    "break_even_revenue_musd": "Break-even revenue (M$)",
    "market_revenue_musd": "Market revenue (M$)",
    "revenue_gap_musd": "Revenue gap (M$)",
    "capex_musd": "Capex (M$)",
    "capex_intensity_revenue_musd": "Capex-intensity revenue (M$)",
    "emissions_mtco2": "Emissions (MtCO2)",
    "stranded_it_capacity_gw": "Stranded IT (GW)",
    "stranded_cost_musd": "Stranded cost (M$/yr)",
    "grid_connection_limit_dual_usd_per_kw_yr": (
        "Connection-limit dual, top region ($/kW-yr; not a capacity price)"
    ),
    "power_cost_usd_per_mwh": "Avg cost of power ($/MWh of facility energy)",
    "cost_per_gpu_hour_usd": "Cost per GPU-hour ($)",
    **CASH_LABELS,
    "unserved_in_check_twh": "Unserved in the full-year check (TWh)",
    "time_check_gap_frac": "Full-year check: largest cost gap to the plan",
}
"""Every world figure of :func:`world_figures` and its table header."""
LABELS |= {
    key.removesuffix("_musd") + "_busd": label.replace("(M$", "($B")
    for key, label in LABELS.items()
    if key.endswith("_musd")
}

SUMMARY_COLUMNS: tuple[str, ...] = (
    "it_capacity_gw",
    "facility_energy_twh",
    "world_avg_cost_usd_per_mtok",
    "marginal_cost_usd_per_mtok",
    "break_even_revenue_busd",
    "revenue_gap_busd",
    "capex_busd",
    "power_cost_usd_per_mwh",
    "cost_per_gpu_hour_usd",
    "unserved_it_energy_twh",
    "shed",
    "emissions_mtco2",
    *CASH_SUMMARY,
    "unserved_in_check_twh",
    "time_check_gap_frac",
)
"""The figures of ``summary.csv`` (scenario x year, money in $B); the power details
(:func:`energymodel.compare.power.power_details`) follow them in the CSV."""
SHED = "shed"
"""How a marginal cost is shown in a year where demand is shed (see :func:`mark_shed`)."""
SHED_MARKED = ("marginal_cost_usd_per_mtok",)
"""Figures that are no price where demand is shed."""
SHED_NOTED = ("world_avg_cost_usd_per_mtok", "world_serving_cost_usd_per_mtok")
"""Costs per token that hold with demand shed (unserved compute costs nothing): noted."""
WITH_SHED = "with demand shed"
HEADLINE_COLUMNS: tuple[str, ...] = (
    "it_capacity_gw",
    "facility_energy_twh",
    "world_avg_cost_usd_per_mtok",
    "break_even_revenue_busd",
    "revenue_gap_busd",
    "unserved_it_energy_twh",
    "emissions_mtco2",
)
"""The figures of the one-year headline table (money in $B)."""


def _sum(da: xr.DataArray, keep: tuple[str, ...] = ("scenario", "year")) -> xr.DataArray:
    """Sum over every dim but ``keep`` (NaN where every summed value is NaN)."""
    return da.sum([d for d in da.dims if d not in keep], min_count=1)


def world_total(
    ds: xr.Dataset, name: str, keep: tuple[str, ...] = ("scenario", "year")
) -> xr.DataArray | None:
    """Variable ``name`` summed over every dim but ``keep``; None when ``ds`` lacks it."""
    return _sum(ds[name], keep) if name in ds else None


def _total(ds: xr.Dataset, name: str) -> xr.DataArray | None:
    return world_total(ds, name)


def _by_region(ds: xr.Dataset, name: str) -> xr.DataArray | None:
    return world_total(ds, name, ("scenario", "year", "region"))


def _ratio(num: xr.DataArray | None, den: xr.DataArray | None) -> xr.DataArray | None:
    if num is None or den is None:
        return None
    return num / den.where(den > 0)


def real_cost_musd(ds: xr.Dataset) -> xr.DataArray | None:
    """Yearly cost by region without the unserved penalty (M$); None without ``cost_musd``."""
    if "cost_musd" not in ds:
        return None
    cost = ds["cost_musd"]
    return cost.where(cost["component"] != UNSERVED, 0.0).sum("component", min_count=1)


def marginal_cost_per_mtok(ds: xr.Dataset) -> xr.DataArray | None:
    """World marginal cost of inference ($/Mtok): inference-energy-weighted over regions.

    Regions without a dual are left out; where no region serves inference, the plain
    mean of the regions' marginal costs.
    """
    if "marginal_cost_usd_per_mtok" not in ds:
        return None
    shed = shed_regions(ds)
    marginal = ds["marginal_cost_usd_per_mtok"]
    if "workload" in marginal.dims and "inference" in marginal["workload"].values:
        marginal = marginal.sel(workload="inference", drop=True)
    if "region" not in marginal.dims:
        return marginal
    plain = marginal.mean("region", skipna=True)
    if "it_energy_twh" not in ds or "workload" not in ds["it_energy_twh"].dims:
        return plain
    weight = ds["it_energy_twh"].sel(workload="inference", drop=True).fillna(0.0)
    weight = weight.where(marginal.notnull(), 0.0)
    total = weight.sum("region")
    weighted = (marginal.fillna(0.0) * weight).sum("region") / total.where(total > 0)
    value = weighted.fillna(plain)
    return value if shed is None else value.where(shed == 0)


def shed_regions(ds: xr.Dataset) -> xr.DataArray | None:
    """Number of regions shedding any demand, by year (None without the ``shed`` flag)."""
    if "shed" not in ds:
        return None
    flag = ds["shed"]
    if "workload" in flag.dims:
        flag = flag.max("workload")
    return flag.sum("region") if "region" in flag.dims else flag


def mark_shed(table: pd.DataFrame, columns: tuple[str, ...] = SHED_MARKED) -> pd.DataFrame:
    """``table`` as shown in Markdown (``summary.md``, the docs), demand shed marked.

    Where ``shed`` > 0 the marginal cost (no price there) reads "shed" and a cost per
    token e.g. "0.385 (with demand shed)" (unserved compute costs nothing). The power
    details (in ``summary.csv``) and sweep columns no row uses are left out.
    """
    out = table.drop(columns=[c for c in table.columns if _hidden(table, str(c))])
    if "shed" not in out:
        return out
    rows = out["shed"].fillna(0) > 0
    for column in columns:
        if column in out:
            out[column] = out[column].astype(object).where(~rows, SHED)
    for column in SHED_NOTED:
        if column in out and rows.any():
            noted = out[column].map(lambda v: f"{v:.3g} ({WITH_SHED})" if pd.notna(v) else "-")
            out[column] = out[column].astype(object).where(~rows, noted)
    return out


def _hidden(table: pd.DataFrame, column: str) -> bool:
    """A detail column, or a sweep column without a value (Markdown shows neither)."""
    if column.startswith(DETAIL_PREFIXES):
        return True
    return column.startswith(SWEEP_PREFIX) and bool(table[column].isna().all())


def natural_key(name: str) -> tuple:
    """Sort key of a run name with numbers compared as numbers (``wacc=3`` < ``wacc=10``)."""
    parts = re.split(r"(-?\d+(?:\.\d+)?)", name)
    return tuple((0, float(p), "") if i % 2 else (1, 0.0, p) for i, p in enumerate(parts))


def _avg_cost(ds: xr.Dataset, whole: bool) -> xr.DataArray | None:
    """All-in cost per million tokens: the results' world figure, else the sum of the
    token-weighted costs by component (:func:`world_cost_by_component`)."""
    if whole and "world_avg_cost_usd_per_mtok" in ds:
        return ds["world_avg_cost_usd_per_mtok"]
    by_component = world_cost_by_component(ds)
    return None if by_component is None else by_component.sum("component", min_count=1)


def _token_weighted(
    ds: xr.Dataset, name: str, tokens_by_region: xr.DataArray | None
) -> xr.DataArray | None:
    """Token-weighted mean over regions of a per-region cost per million tokens."""
    if name not in ds or tokens_by_region is None:
        return None
    weighted = (ds[name] * tokens_by_region).sum("region", min_count=1)
    return _ratio(weighted, tokens_by_region.sum("region"))


def _facility_capacity(ds: xr.Dataset) -> xr.DataArray | None:
    """IT capacity x each region's effective PUE (facility energy / IT energy), summed."""
    if not {"it_capacity_gw", "facility_energy_twh", "it_energy_twh"} <= set(ds.data_vars):
        return None
    it_energy = ds["it_energy_twh"].sum("workload")
    pue = (ds["facility_energy_twh"] / it_energy.where(it_energy > 0)).fillna(1.0)
    return (ds["it_capacity_gw"] * pue).sum("region", min_count=1)


def world_figures(
    ds: xr.Dataset, regions: list[str] | None = None, *, details: bool = False
) -> dict[str, xr.DataArray]:
    """Every headline figure of ``ds`` by year (and scenario, if ``ds`` has that dim).

    Parameters
    ----------
    ds
        One scenario's results, or a combined Dataset with a ``scenario`` dim.
    regions
        Sum over these regions only (e.g. the US ones); default every region.
    details
        Add the power details (:func:`~energymodel.compare.power.power_details`).

    Returns
    -------
    dict
        The keys of :data:`LABELS` in M$ (no ``_busd`` keys) that ``ds`` can give; a
        figure whose variables are missing is left out.
    """
    whole = regions is None
    if regions is not None:
        ds = ds.sel(region=[r for r in regions if r in ds["region"].values])
    region_tokens = _by_region(ds, "tokens_served_tn")
    tokens = None if region_tokens is None else region_tokens.sum("region")
    world_break_even = (
        ds["world_break_even_revenue_musd"]
        if whole and "world_break_even_revenue_musd" in ds
        else _total(ds, "break_even_revenue_musd")
    )
    grid_value = ds.get("grid_connection_limit_dual_usd_per_kw_yr")
    figures = {
        "it_capacity_gw": _total(ds, "it_capacity_gw"),
        "it_capacity_new_gw": _total(ds, "it_capacity_new_gw"),
        "facility_capacity_gw": _facility_capacity(ds),
        "facility_energy_twh": _total(ds, "facility_energy_twh"),
        "unserved_it_energy_twh": _total(ds, "unserved_it_energy_twh"),
        "shed": shed_regions(ds),
        "world_avg_cost_usd_per_mtok": _avg_cost(ds, whole),
        "world_serving_cost_usd_per_mtok": (
            ds["world_serving_cost_usd_per_mtok"]
            if whole and "world_serving_cost_usd_per_mtok" in ds
            else _token_weighted(ds, "avg_serving_cost_usd_per_mtok", region_tokens)
        ),
        "marginal_cost_usd_per_mtok": marginal_cost_per_mtok(ds),
        "price_usd_per_mtok": _ratio(_total(ds, "market_revenue_musd"), tokens),
        "break_even_revenue_musd": world_break_even,
        "market_revenue_musd": _total(ds, "market_revenue_musd"),
        "revenue_gap_musd": _total(ds, "revenue_gap_musd"),
        "capex_musd": _total(ds, "capex_musd"),
        "capex_intensity_revenue_musd": _total(ds, "capex_intensity_revenue_musd"),
        "emissions_mtco2": _total(ds, "emissions_mtco2"),
        "stranded_it_capacity_gw": _total(ds, "stranded_it_capacity_gw"),
        "stranded_cost_musd": _total(ds, "stranded_cost_musd"),
        "grid_connection_limit_dual_usd_per_kw_yr": (
            None if grid_value is None else grid_value.max("region", skipna=True)
        ),
        "power_cost_usd_per_mwh": _ratio(power_cost_musd(ds), _total(ds, "facility_energy_twh")),
        "cost_per_gpu_hour_usd": cost_per_gpu_hour(ds),
        **{name: _total(ds, name) for name in CASH_FLOWS},
        **({name: ds[name] for name in CASH_RUN if name in ds} if whole else {}),
        "unserved_in_check_twh": checked_total(ds, "unserved_in_check_twh"),
        "time_check_gap_frac": largest_gap(ds),
        **(power_details(ds) if details else {}),
    }
    return {k: v for k, v in figures.items() if v is not None}


def world_cost_by_component(ds: xr.Dataset) -> xr.DataArray | None:
    """World average cost per million tokens by component ($/Mtok, year x component).

    Token-weighted over regions: sum over regions of cost / sum of tokens, from
    ``avg_cost_by_component_usd_per_mtok`` (or, failing that, ``cost_musd``).
    """
    tokens = _by_region(ds, "tokens_served_tn")
    if tokens is None:
        return None
    if "avg_cost_by_component_usd_per_mtok" in ds:
        cost = (ds["avg_cost_by_component_usd_per_mtok"] * tokens).sum("region", min_count=1)
    elif "cost_musd" in ds:
        cost = ds["cost_musd"].sum("region", min_count=1)
    else:
        return None
    return _ratio(cost, tokens.sum("region")).assign_attrs(units="USD/Mtok")


def summary_table(
    ds: xr.Dataset, columns: tuple[str, ...] = SUMMARY_COLUMNS, *, details: bool = True
) -> pd.DataFrame:
    """Figures of the modelled regions per scenario and year.

    Parameters
    ----------
    ds
        A combined Dataset (``scenario`` dimension) or one scenario's Dataset.
    columns
        Keys of :data:`LABELS` (``_busd`` keys are the ``_musd`` figure / 1,000).
    details
        Add the power details after ``columns`` (:func:`~energymodel.compare.power.power_details`:
        cost of power by component, built and generation by technology, capex by class).

    Returns
    -------
    pandas.DataFrame
        One row per scenario and year, scenarios in natural order (``wacc=3`` before
        ``wacc=10``): ``scenario``, ``year``, the swept values (``sweep__<key>``, only
        keys some run sweeps) and ``columns``; NaN where a figure cannot be computed.
    """
    if "scenario" not in ds.dims:
        ds = ds.expand_dims(scenario=[str(ds.attrs.get("scenario", "scenario"))])
    figures = world_figures(ds, details=details)
    scenarios = [str(s) for s in ds["scenario"].values]
    years = [int(y) for y in ds["year"].values] if "year" in ds.coords else []
    index = pd.MultiIndex.from_product([scenarios, years], names=["scenario", "year"])
    table = pd.DataFrame(index=index)
    template = xr.zeros_like(ds["scenario"], dtype=float) * xr.zeros_like(ds["year"], dtype=float)
    for key in sorted(str(k) for k in ds.coords if str(k).startswith(SWEEP_PREFIX)):
        values = pd.Series(np.repeat(ds[key].values, len(years)), index=index)
        if values.notna().any():
            table[key] = values
    extra = [k for k in figures if k.startswith(DETAIL_PREFIXES)]
    for column in (*columns, *(extra if details else ())):
        billions = column.endswith("_busd") and column not in figures
        var = figures.get(column.removesuffix("_busd") + "_musd" if billions else column)
        if var is None:
            table[column] = np.nan
            continue
        var = var.broadcast_like(template).transpose("scenario", "year")
        values = var.values.reshape(-1).astype(float)
        table[column] = values / MUSD_PER_BUSD if billions else values
    order = sorted(range(len(table)), key=lambda i: (natural_key(index[i][0]), index[i][1]))
    return table.iloc[order].reset_index()


def summary_labels(table: pd.DataFrame) -> dict[str, str]:
    """Headers of a :func:`summary_table`: :data:`LABELS` and the power details'."""
    return {str(c): LABELS.get(str(c), detail_label(str(c))) for c in table.columns}


def headline(
    ds: xr.Dataset | Mapping[str, xr.Dataset],
    year: int | None = None,
    columns: tuple[str, ...] = HEADLINE_COLUMNS,
) -> pd.DataFrame:
    """Headline figures per scenario for one year.

    Parameters
    ----------
    ds
        A combined Dataset, one scenario's Dataset, or a mapping of name -> results.
    year
        Model year; default the last one (of each scenario, for a mapping).
    columns
        Keys of :data:`LABELS`.

    Returns
    -------
    pandas.DataFrame
        Indexed by scenario; ``columns`` in that order. ``attrs["year"]`` holds the year.
    """
    if not isinstance(ds, xr.Dataset):  # a mapping of name -> results
        rows = [headline(one, year, columns) for one in ds.values()]
        out = pd.concat(rows) if rows else pd.DataFrame(columns=list(columns))
        out.index.name = "scenario"
        out.attrs["year"] = year if year is not None else max(r.attrs["year"] for r in rows)
        out.attrs["years"] = [r.attrs["year"] for r in rows]
        return out
    table = summary_table(ds, columns, details=False)
    if year is None:
        year = int(table["year"].max()) if len(table) else None
    out = table[table["year"] == year].set_index("scenario")[list(columns)]
    out.attrs["year"] = year
    return out


def headline_table(ds: xr.Dataset | Mapping[str, xr.Dataset]) -> pd.DataFrame:
    """:func:`headline` at each scenario's last model year, with a ``year`` column."""
    table = headline(ds)
    years = table.attrs.get("years", [table.attrs["year"]] * len(table))
    table.insert(0, "year", np.asarray(years, dtype=int))
    return table
