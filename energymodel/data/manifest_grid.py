"""Manifest of ``grid_system.csv``: the power system around the data centres (issue 23)."""

from __future__ import annotations

from energymodel.data.specs import ANY_YEAR, TableSpec
from energymodel.data.specs import parameter as _p

GRID_TECHS = (
    "nuclear",
    "coal",
    "gas_cc",
    "gas_ct",
    "oil",
    "hydro",
    "wind",
    "solar",
    "storage",
    "other",
)
"""Grid-side technologies of a ``system`` region, in the order of the results."""

GRID_SYSTEM = TableSpec(
    file="grid_system.csv",
    description=(
        "The power system around the data centres in a region run in `system` grid mode "
        "(us_east = PJM, us_texas = ERCOT, us_west = CAISO + BPA, europe = EU-27): the "
        "existing fleet by `grid_tech` (nuclear, coal, gas_cc, gas_ct, oil, hydro, wind, "
        "solar, storage, other), its costs and accreditation, grid-side new builds, and "
        "region-wide parameters under the pseudo-tech `system`. Several years interpolate "
        "linearly; a blank year holds in every year. Gas techs have no fuel price here: "
        "gas is priced from `fuels.csv` x the region's `gas_price_multiplier_ratio`."
    ),
    columns={
        "region": "region of regions.csv",
        "grid_tech": "fleet technology, or `system` for region-wide parameters",
        "year": f"year the value holds ({ANY_YEAR})",
        "parameter": "parameter name (below)",
        "value": "number in `unit`",
        "unit": "unit; must equal the manifest's",
        "source": "where the value comes from ('estimate:'/'derived:' when ours)",
    },
    keys=("region", "grid_tech"),
    blank_year=True,
    parameters={
        "other_load_twh": _p(
            "TWh", "system: yearly load of everyone but the AI data centres of demand.csv"
        ),
        "reserve_margin_frac": _p(
            "fraction", "system: planning reserve margin over the peak (accredited capacity)"
        ),
        "network_adder_usd_per_mwh": _p(
            "USD/MWh",
            "system: transmission and distribution charges a transmission-voltage load pays "
            "on top of energy and capacity",
        ),
        "carbon_price_usd_per_tco2": _p("USD/tCO2", "system: carbon price on direct CO2"),
        "existing_gw": _p("GW", "existing capacity (net summer; announced retirements by year)"),
        "max_cf_frac": _p(
            "fraction", "availability of the fleet (thermal derate; 1 for wind and solar)"
        ),
        "profile_scale_ratio": _p(
            "ratio",
            "wind, solar: the fleet's yearly capacity factor / that of the region's hourly "
            "profile (a site's), which scales the profile for the fleet",
            0.05,
            5.0,
        ),
        "vom_usd_per_mwh": _p("USD/MWh", "variable O&M (nuclear: incl. fuel)"),
        "accreditation_frac": _p(
            "fraction", "share of capacity counted toward the reserve margin (ELCC class)"
        ),
        "clean_frac": _p("fraction", "1 for carbon-free sources (storage: 0)"),
        "emissions_tco2_per_mwh": _p("tCO2/MWh", "direct CO2 per MWh of electricity"),
        "heat_rate_mmbtu_per_mwh": _p("MMBtu/MWh", "fuel per MWh of electricity (HHV)"),
        "fuel_usd_per_mmbtu": _p(
            "USD/MMBtu", "delivered fuel price of coal and oil (gas: from fuels.csv)"
        ),
        "energy_budget_frac": _p("fraction", "hydro: yearly energy / (capacity x 8,760 h)"),
        "duration_h": _p("h", "storage: energy / power"),
        "roundtrip_efficiency_frac": _p("fraction", "storage: round-trip efficiency"),
        "capex_usd_per_kw": _p("USD/kW", "overnight capital cost of a grid-side new build"),
        "fom_usd_per_kw_yr": _p("USD/kW/yr", "fixed O&M of a grid-side new build"),
        "life_yr": _p("yr", "economic life of a grid-side new build", 1.0, 100.0),
        "available_from_year": _p(
            "year", "first year a grid-side new build can be in service", 2000, 2100
        ),
        "max_build_gw_per_yr": _p("GW/yr", "grid-side new build limit in the region"),
    },
)
