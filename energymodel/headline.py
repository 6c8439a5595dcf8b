"""Headline numbers of a scenario's results: world totals by year and the last-year table.

Reads results Datasets only (``results.py`` and ``economics.py`` variables); shared by the
HTML report (:mod:`energymodel.report`) and its figures (:mod:`energymodel.figures`).
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import xarray as xr

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


def world_total(
    ds: xr.Dataset, name: str, keep: tuple[str, ...] = ("year",)
) -> xr.DataArray | None:
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
    tokens = world_total(ds, "tokens_served_tn", keep=("year", "region"))
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


def world_metrics(ds: xr.Dataset) -> dict[str, xr.DataArray | None]:
    """World totals by year of the headline metrics, in the units of ``HEADLINE_COLUMNS``."""
    cost = ds.get("world_avg_cost_usd_per_mtok")
    if cost is None and (by_comp := world_cost_by_component(ds)) is not None:
        cost = by_comp.sum("component", min_count=1)
    break_even = ds.get("world_break_even_revenue_musd")
    if break_even is None:
        break_even = world_total(ds, "break_even_revenue_musd")
    gap = world_total(ds, "revenue_gap_musd")
    return {
        "it_capacity_gw": world_total(ds, "it_capacity_gw"),
        "facility_energy_twh": world_total(ds, "facility_energy_twh"),
        "world_avg_cost_usd_per_mtok": cost,
        "break_even_revenue_busd": None if break_even is None else break_even / 1e3,
        "revenue_gap_busd": None if gap is None else gap / 1e3,
        "unserved_it_energy_twh": world_total(ds, "unserved_it_energy_twh"),
        "emissions_mtco2": world_total(ds, "emissions_mtco2"),
    }


def _headline_row(ds: xr.Dataset) -> dict[str, float]:
    last = int(ds["year"].max())
    row: dict[str, float] = {"year": float(last)}
    for key, da in world_metrics(ds).items():
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
