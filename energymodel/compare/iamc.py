"""Results in the IAMC format: the long table energy-system models are compared in.

Columns ``model, scenario, region, variable, unit, year, value``; variables are
``|``-separated paths named as in the IAMC common definitions where one exists
(``Capacity|Electricity|Gas``, ``Final Energy|Electricity|Data Centres``,
``Emissions|CO2|Data Centres``, ``Investment|Energy Supply|Electricity``,
``Price|Final Energy|Electricity|Data Centres``) and in a ``Data Centres|...`` or
``...|Data Centres|...`` branch of our own otherwise. ``pyam.IamDataFrame`` reads the table
as it is (``pyam.IamDataFrame("results/iamc.csv")``).

Regions are the model's own, written as ``energymodel|<region>`` (the IAMC convention for
model-native regions), plus ``World``: the sum over regions of quantities, and for
prices and costs per token the figure weighted by energy or tokens
(:func:`energymodel.compare.headline.world_figures`). Money is nominal US dollars.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
import xarray as xr

from energymodel.compare.headline import world_figures
from energymodel.compare.samples import world_name
from energymodel.units import MUSD_PER_BUSD

COLUMNS = ["model", "scenario", "region", "variable", "unit", "year", "value"]
"""The columns of an IAMC table, in order."""
NATIVE_PREFIX = "energymodel|"
"""Prefix of the model's own regions in the ``region`` column."""

Select = Callable[[xr.Dataset], xr.DataArray | None]


@dataclass(frozen=True)
class IamcVariable:
    """One IAMC variable: its name, unit, how to read it by region and for the world.

    The world value is ``world_<figure>`` when the Dataset has it (combined samples and
    their quantiles), else ``world`` (a weighted figure), else the sum over regions.
    """

    name: str
    unit: str
    by_region: Select
    figure: str | None = None
    world: Select | None = None
    scale: float = 1.0

    def world_value(self, ds: xr.Dataset, by_region: xr.DataArray | None) -> xr.DataArray | None:
        """The ``World`` row's values."""
        if self.figure is not None and world_name(self.figure) in ds:
            return ds[world_name(self.figure)]
        if self.world is not None:
            return self.world(ds)
        if by_region is None or "region" not in by_region.dims:
            return by_region  # already a world figure
        return by_region.sum("region", min_count=1)


def _var(name: str, **sel: str | list[str]) -> Select:
    """Variable ``name`` (summed over the labels in ``sel``), by year and region."""

    def select(ds: xr.Dataset) -> xr.DataArray | None:
        if name not in ds:
            return None
        da = ds[name]
        for dim, labels in sel.items():
            if dim not in da.dims:
                return None
            wanted = [labels] if isinstance(labels, str) else labels
            present = [x for x in wanted if x in da[dim].values]
            if not present:
                return None
            da = da.sel({dim: present}).sum(dim, min_count=1)
        extra = [d for d in da.dims if d not in ("scenario", "year", "region")]
        return da.sum(extra, min_count=1) if extra else da

    return select


def _world(figure: str) -> Select:
    def select(ds: xr.Dataset) -> xr.DataArray | None:
        return world_figures(ds).get(figure)

    return select


def _energy_weighted(name: str) -> Select:
    """World mean of a per-region price, weighted by facility energy."""

    def select(ds: xr.Dataset) -> xr.DataArray | None:
        if name not in ds or "facility_energy_twh" not in ds:
            return None
        weight = ds["facility_energy_twh"].where(ds[name].notnull(), 0.0)
        total = weight.sum("region")
        return (ds[name] * weight).sum("region", min_count=1) / total.where(total > 0)

    return select


OPEN_CYCLE = ["gas_ocgt", "gas_industrial", "gas_frame"]
GAS = ["gas_ccgt", *OPEN_CYCLE, "gas_recip"]
TECHS: dict[str, str | list[str]] = {
    "Gas": GAS,
    "Gas|Combined Cycle": "gas_ccgt",
    "Gas|Open Cycle": OPEN_CYCLE,
    "Gas|Reciprocating Engine": "gas_recip",
    "Solar|PV": "solar_pv",
    "Wind|Onshore": "wind_onshore",
    "Nuclear": "nuclear",
}
OUTLAY_CLASSES = {
    "Accelerators": "accelerators",
    "Servers and Networking": "servers_networking",
    "Facilities": "facility",
    "Power Supply": "power_supply",
    "Grid Connection": "grid_connection",
}
"""IAMC labels of the cash view's asset classes."""
BUSD_PER_YR = "billion USD/yr"
_TO_BUSD = 1.0 / MUSD_PER_BUSD

VARIABLES: tuple[IamcVariable, ...] = (
    *(IamcVariable(f"Capacity|Electricity|{label}", "GW", _var("supply_capacity_gw", tech=t))
      for label, t in TECHS.items()),
    IamcVariable("Capacity|Electricity|Storage|Battery", "GW",
                 _var("supply_capacity_gw", tech="battery")),
    IamcVariable("Capacity|Data Centres|Grid Connection", "GW",
                 _var("supply_capacity_gw", tech="grid")),
    *(IamcVariable(f"Secondary Energy|Electricity|{label}", "TWh/yr",
                   _var("generation_twh", tech=t)) for label, t in TECHS.items()),
    IamcVariable("Final Energy|Electricity|Data Centres", "TWh/yr", _var("facility_energy_twh"),
                 "facility_energy_twh"),
    IamcVariable("Final Energy|Electricity|Data Centres|Grid", "TWh/yr",
                 _var("generation_twh", tech="grid")),
    IamcVariable("Data Centres|IT Energy|Training", "TWh/yr",
                 _var("it_energy_twh", workload="training")),
    IamcVariable("Data Centres|IT Energy|Inference", "TWh/yr",
                 _var("it_energy_twh", workload="inference")),
    IamcVariable("Data Centres|IT Energy|Unserved", "TWh/yr", _var("unserved_it_energy_twh"),
                 "unserved_it_energy_twh"),
    IamcVariable("Data Centres|IT Capacity", "GW", _var("it_capacity_gw"), "it_capacity_gw"),
    IamcVariable("Data Centres|IT Capacity|Stranded", "GW", _var("stranded_it_capacity_gw"),
                 "stranded_it_capacity_gw"),
    IamcVariable("Data Centres|Tokens Served", "trillion tokens/yr", _var("tokens_served_tn")),
    IamcVariable("Emissions|CO2|Data Centres", "Mt CO2/yr", _var("emissions_mtco2"),
                 "emissions_mtco2"),
    IamcVariable("Price|Final Energy|Electricity|Data Centres", "USD/MWh",
                 _var("power_price_usd_per_mwh"),
                 world=_energy_weighted("power_price_usd_per_mwh")),
    IamcVariable("Price|Data Centres|Tokens", "USD/million tokens", lambda ds: None,
                 "price_usd_per_mtok", _world("price_usd_per_mtok")),
    IamcVariable("Cost|Data Centres|Tokens", "USD/million tokens",
                 _var("avg_cost_usd_per_mtok"), "world_avg_cost_usd_per_mtok",
                 _world("world_avg_cost_usd_per_mtok")),
    IamcVariable("Cost|Data Centres|Tokens|Marginal", "USD/million tokens",
                 _var("marginal_cost_usd_per_mtok", workload="inference"),
                 "marginal_cost_usd_per_mtok", _world("marginal_cost_usd_per_mtok")),
    IamcVariable("Investment|Energy Supply|Electricity", BUSD_PER_YR,
                 _var("capex_musd", component="power_capex"), scale=_TO_BUSD),
    IamcVariable("Investment|Data Centres|IT Equipment", BUSD_PER_YR,
                 _var("capex_musd", component="accelerators"), scale=_TO_BUSD),
    IamcVariable("Investment|Data Centres|Facilities", BUSD_PER_YR,
                 _var("capex_musd", component="facility"), scale=_TO_BUSD),
    IamcVariable("Investment|Data Centres|Grid Connection", BUSD_PER_YR,
                 _var("capex_musd", component="grid_connection"), scale=_TO_BUSD),
    IamcVariable("Revenue|Data Centres|Break-even", BUSD_PER_YR,
                 _var("break_even_revenue_musd"), "break_even_revenue_musd",
                 _world("break_even_revenue_musd"), scale=_TO_BUSD),
    IamcVariable("Revenue|Data Centres|Market", BUSD_PER_YR, _var("market_revenue_musd"),
                 "market_revenue_musd", scale=_TO_BUSD),
    IamcVariable("Revenue|Data Centres|Gap", BUSD_PER_YR, _var("revenue_gap_musd"),
                 "revenue_gap_musd", scale=_TO_BUSD),
    # the cash view (issue 27): spend when it is spent, by asset class
    *(IamcVariable(f"Investment|Data Centres|Outlays|{label}", BUSD_PER_YR,
                   _var("capex_outlay_musd", asset_class=cls), scale=_TO_BUSD)
      for label, cls in OUTLAY_CLASSES.items()),
    IamcVariable("Investment|Data Centres|Outlays", BUSD_PER_YR, _var("capex_outlay_musd"),
                 "capex_outlay_musd", scale=_TO_BUSD),
    IamcVariable("Revenue|Data Centres|EBITDA", BUSD_PER_YR, _var("ebitda_musd"),
                 scale=_TO_BUSD),
    IamcVariable("Revenue|Data Centres|Free Cash Flow", BUSD_PER_YR,
                 _var("free_cash_flow_musd"), "free_cash_flow_musd", scale=_TO_BUSD),
    IamcVariable("Revenue|Data Centres|Cumulative Cash", "billion USD",
                 _var("cumulative_cash_musd"), "cumulative_cash_musd", scale=_TO_BUSD),
    IamcVariable("Revenue|Data Centres|Operating Profit|Book", BUSD_PER_YR,
                 _var("operating_profit_book_musd"), "operating_profit_book_musd",
                 scale=_TO_BUSD),
    IamcVariable("Revenue|Data Centres|Operating Profit|Economic", BUSD_PER_YR,
                 _var("operating_profit_economic_musd"), scale=_TO_BUSD),
    IamcVariable("Depreciation|Data Centres|Book", BUSD_PER_YR,
                 _var("depreciation_book_musd"), "depreciation_book_musd", scale=_TO_BUSD),
    IamcVariable("Depreciation|Data Centres|Economic", BUSD_PER_YR,
                 _var("depreciation_economic_musd"), "depreciation_economic_musd",
                 scale=_TO_BUSD),
)  # fmt: skip
"""Every IAMC variable written, in order."""


def _long(da: xr.DataArray, region: str | None) -> pd.DataFrame:
    frame = da.rename("value").to_dataframe().reset_index()
    if region is not None:
        frame["region"] = region
    else:
        frame["region"] = NATIVE_PREFIX + frame["region"].astype(str)
    return frame[["scenario", "region", "year", "value"]]


def to_iamc(ds: xr.Dataset, model: str | None = None) -> pd.DataFrame:
    """Every IAMC variable of a results Dataset as one long table.

    Parameters
    ----------
    ds
        One scenario's results or a combined Dataset (``scenario`` dim).
    model
        The ``model`` column (default ``energymodel <version>``).

    Returns
    -------
    pandas.DataFrame
        :data:`COLUMNS`; one row per scenario, region (``World`` and
        ``energymodel|<region>``), variable and year that has a value. A variable whose
        results are missing is left out.
    """
    if model is None:
        import energymodel

        model = f"energymodel {energymodel.__version__}"
    if "scenario" not in ds.dims:
        ds = ds.expand_dims(scenario=[str(ds.attrs.get("scenario", "scenario"))])
    frames = []
    for var in VARIABLES:
        by_region = var.by_region(ds)
        world = var.world_value(ds, by_region)
        for da, region in ((world, "World"), (by_region, None)):
            if da is None or (region is None and "region" not in da.dims):
                continue
            frame = _long(da * var.scale, region)
            frame["variable"], frame["unit"] = var.name, var.unit
            frames.append(frame)
    if not frames:
        return pd.DataFrame(columns=COLUMNS)
    table = pd.concat(frames, ignore_index=True).dropna(subset=["value"])
    table["model"] = model
    table["scenario"] = table["scenario"].astype(str)
    table["year"] = table["year"].astype(int)
    return table[COLUMNS].reset_index(drop=True)


QUANTILE_LABELS = {0.05: "5th percentile", 0.5: "median", 0.95: "95th percentile"}
"""Quantiles of uncertain scenarios written to the IAMC table, and their labels."""


def samples_to_iamc(samples: xr.Dataset, scenario: str, model: str | None = None) -> pd.DataFrame:
    """Quantiles over ``sample`` of an uncertain scenario's results, as IAMC rows.

    Each variable's quantile is taken on its own, so the scenarios
    ``<scenario> [median]`` etc. describe the distribution, not one consistent run.
    """
    numeric = samples[  # labels by sample (grid_mode: system or tariff) have no quantile
        [
            v
            for v, da in samples.data_vars.items()
            if "sample" in da.dims and da.dtype.kind in "fiub"
        ]
    ]
    numeric = numeric.drop_vars([c for c in numeric.coords if c not in numeric.dims])
    quantiles = numeric.quantile(list(QUANTILE_LABELS), "sample", skipna=True)
    labels = [f"{scenario} [{QUANTILE_LABELS[q]}]" for q in quantiles["quantile"].values]
    ds = quantiles.rename(quantile="scenario").assign_coords(scenario=labels)
    return to_iamc(ds, model)
