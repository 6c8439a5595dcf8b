"""The ``grid:`` section of a scenario: connections of new data-centre load (the queue)
and how each region's grid is modelled (``mode``: a power system or a price list)."""

from __future__ import annotations

from typing import Annotated, Literal

from energymodel.scenario.connection import ConnectionConfig
from energymodel.scenario.ranges import (
    GW_MAX,
    ByYear,
    FractionByYear,
    Multiplier,
    PositiveMultiplier,
    _as_in,
    _in,
)

__all__ = ["GridConfig", "GridMode"]

GridMode = Literal["system", "tariff", "auto"]


class GridConfig(ConnectionConfig):
    """The regional grids: connection of new data-centre load (the queue) and how each
    region's power system is modelled (``mode``)."""

    max_new_connection_gw_per_yr: dict[
        str, ByYear[Annotated[float, _as_in("regions", "max_new_connection_gw_per_yr", GW_MAX)]]
    ] = {}
    """Per region, new connection capacity utilities can deliver a year: a number or a
    year trajectory (``{us_east: {2025: 2, 2030: 8}}``), as utilities' queues ramp."""
    connection_ceiling_gw: dict[
        str, ByYear[Annotated[float, _as_in("regions", "connection_ceiling_gw", GW_MAX)]]
    ] = {}
    """Per region, total grid connection available to data centres (a number or a year
    trajectory)."""
    existing_connection_gw: dict[
        str, Annotated[float, _as_in("regions", "existing_connection_gw", GW_MAX)]
    ] = {}
    connection_limit_multiplier: Multiplier = 1.0
    """Multiplier on every region's yearly connection limit."""

    # --- the grid as a system (model/grid_system.py) -----------------------------------
    mode: GridMode | dict[str, GridMode] = "auto"
    """How each region's grid is modelled: ``system`` (its other load, existing fleet and
    new grid-side plant in the LP; prices are duals, carbon a result), ``tariff`` (an
    hourly price list, a measured carbon series and a connection cap: the price-taker
    model) or ``auto`` (``system`` where the inputs hold a fleet and other load for the
    region in ``grid_system.csv``, else ``tariff``). One value for every region or one
    per region (``{us_east: system, china: tariff}``; regions left out are ``auto``)."""
    counterfactual: bool = False
    """Also solve the run without the new data-centre load (demand held at the first model
    year's, no committed builds) in the same worker, warm-started, and report what other
    consumers pay because of data centres and what the new load causes to be built and
    emitted (``other_consumers_*``, ``dc_caused_*``, ``emissions_consequential_mtco2``)."""
    reserve_margin_frac: dict[str, Annotated[float, _in(0.0, 1.0)]] = {}
    """Per region, the system's planning reserve margin over peak demand (default:
    ``grid_system.csv``, e.g. PJM's installed reserve margin)."""
    requirement_basis: dict[str, Literal["pool", "first_year"]] = {}
    """Per region, the system's adequacy requirement per GW of peak: ``pool`` (the default:
    (1 + reserve margin) x the pool's average accreditation in the first model year, as
    PJM's forecast pool requirement, for a margin on installed capacity) or
    ``first_year`` (the first model year's accredited fleet over its peak other load: the
    system stays as adequate as it starts; for a margin on another basis, e.g. ERCOT's on
    its CDR's). In ERCOT ``pool`` reads 2025 as 25 GW in surplus and builds only what the
    peak-load day's energy asks (5 GW of gas by 2030; the full-year check +5.2%, 0.026 TWh
    unserved in 2030); ``first_year`` builds 48 GW of solar, 13 GW of storage and 9 GW of
    gas and serves the year (+0.7%), with an adequacy price up to the shortfall cap
    (``docs/time.md``, measured)."""
    carbon_price_usd_per_tco2: dict[str, ByYear[Annotated[float, _in(0.0, 2000.0)]]] = {}
    """Per region, the carbon price the grid's fleet pays (default: ``grid_system.csv``,
    the EU ETS in Europe, none in the US). ``policy.carbon_price_usd_per_tco2`` adds to it."""
    clean_standard_frac: dict[str, FractionByYear] = {}
    """Per region, a clean-energy standard: carbon-free share of the region's generation
    for its load, by year (none by default)."""
    coal_retirement_year: dict[str, Annotated[int, _in(2000, 2100)]] = {}
    """Per region, the year from which no coal plant runs (a phase-out; default: the
    announced retirements of ``grid_system.csv``)."""
    other_load_multiplier: dict[str, ByYear[PositiveMultiplier]] = {}
    """Per region, a multiplier on the other consumers' yearly energy and peak."""
    network_adder_usd_per_mwh: dict[str, Annotated[float, _in(0.0, 1000.0)]] = {}
    """Per region, the transmission and distribution charges data centres pay per MWh on
    top of energy and capacity (default: ``grid_system.csv``)."""
    value_of_lost_load_usd_per_mwh: Annotated[float, _in(gt=0.0, hi=1e6)] = 10000.0
    """Price of other load shed when the system runs short (caps the energy price).
    10,000 $/MWh, our choice near ERCOT's former system-wide offer cap of 9,000 $/MWh
    (PUCT, 2014-2021) and PJM's shortage pricing."""
    capacity_shortfall_usd_per_kw_yr: Annotated[float, _in(gt=0.0, hi=1e5)] = 600.0
    """Price of accredited capacity a system falls short of its reserve requirement (the cap
    of the capacity price). 600 $/kW-yr (1,644 $/MW-day), our choice: above the net cost of
    any new peaker, so it binds only where no plant can be ready in time. PJM's 2026/27
    and 2027/28 auctions cleared at their cap of about 329-333 $/MW-day (120 $/kW-yr): set
    this to 120 to read the model as an auction with that collar."""
