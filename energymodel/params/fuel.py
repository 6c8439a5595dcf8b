"""Gas prices: at the region's hub for the grid's fleet, delivered to the fence on site."""

from __future__ import annotations

import numpy as np

from energymodel.data.tables import Inputs
from energymodel.params.series import trajectory
from energymodel.scenario.schema import Scenario


def gas_price(sc: Scenario, inputs: Inputs, years: list[int], regions: list[str]) -> np.ndarray:
    """Gas price by year and region (USD/MMBtu): the scenario's or the table's Henry Hub,
    x ``prices.gas_multiplier``, x each region's multiplier."""
    gas = trajectory(sc.prices.gas_usd_per_mmbtu, years)
    if sc.prices.gas_usd_per_mmbtu is None:
        gas = inputs.series("fuels", "price_usd_per_mmbtu", years).iloc[:, 0].to_numpy(float)
    gas = gas * trajectory(sc.prices.gas_multiplier, years)
    regional = inputs.regions.loc[regions, "gas_price_multiplier_ratio"].to_numpy(float)
    return gas[:, None] * regional[None, :]


def onsite_gas_price(
    sc: Scenario, inputs: Inputs, years: list[int], regions: list[str]
) -> np.ndarray:
    """:func:`gas_price` + delivering it to an on-site plant's fence (year, region):
    ``supply.onsite_gas_adder_usd_per_mmbtu``, else ``regions.csv``'s."""
    adder = inputs.regions.loc[regions, "onsite_gas_adder_usd_per_mmbtu"].to_numpy(float)
    if sc.supply.onsite_gas_adder_usd_per_mmbtu is not None:
        adder = np.full(len(regions), sc.supply.onsite_gas_adder_usd_per_mmbtu)
    return gas_price(sc, inputs, years, regions) + adder[None, :]
