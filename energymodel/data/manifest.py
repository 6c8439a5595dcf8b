"""The manifest of input tables (the data dictionary): files, columns and parameters.

:data:`TABLES` gives every file, its columns, and every parameter it may hold with its
unit, its allowed range and a one-line meaning. ``inputs/README.md`` embeds
:func:`data_dictionary_markdown`, and a test keeps the two in step.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from energymodel.data.manifest_grid import GRID_SYSTEM
from energymodel.data.specs import ANY_YEAR as _ANY_YEAR
from energymodel.data.specs import ParameterSpec, TableSpec
from energymodel.data.specs import parameter as _p
from energymodel.units import HOURS_PER_YEAR

__all__ = ["HOURS_PER_YEAR", "ParameterSpec", "TableSpec"]

TABLES: dict[str, TableSpec] = {
    "regions": TableSpec(
        file="regions.csv",
        description=(
            "Per-region grid, site and price parameters (one value per region). Grid carbon "
            "and clean share are hourly: `grid_carbon:<region>` and `grid_clean:<region>` "
            "in `hourly_profiles.csv`."
        ),
        columns={
            "region": "region name",
            "parameter": "parameter name (below)",
            "value": "number in `unit`",
            "unit": "unit; must equal the manifest's",
            "source": "where the value comes from ('estimate:'/'derived:' when ours)",
        },
        keys=("region",),
        parameters={
            "grid_price_usd_per_mwh": _p("USD/MWh", "average grid energy price for large loads"),
            "existing_connection_gw": _p(
                "GW", "grid connection already serving AI data centres at the start of 2025"
            ),
            "max_new_connection_gw_per_yr": _p(
                "GW/yr", "new AI data-centre load utilities can connect per year (the queue)"
            ),
            "connection_ceiling_gw": _p(
                "GW", "total grid connection ever available to AI data centres to 2030"
            ),
            "connection_capex_usd_per_kw": _p("USD/kW", "cost of interconnection and substation"),
            "pue_ratio": _p("ratio", "power usage effectiveness of AI data centres", 1.0, 3.0),
            "existing_it_capacity_gw": _p("GW", "AI IT capacity in service at the start of 2025"),
            "gas_price_multiplier_ratio": _p("ratio", "regional gas price / Henry Hub"),
            "onsite_gas_adder_usd_per_mmbtu": _p(
                "USD/MMBtu", "delivering gas from the hub to an on-site plant's fence"
            ),
            "utc_offset_h": _p(
                "h",
                "local standard time minus UTC (to read the UTC hourly profiles locally)",
                -12,
                14,
            ),
        },
        required=(
            "grid_price_usd_per_mwh",
            "existing_connection_gw",
            "max_new_connection_gw_per_yr",
            "connection_ceiling_gw",
            "connection_capex_usd_per_kw",
            "pue_ratio",
            "existing_it_capacity_gw",
            "gas_price_multiplier_ratio",
            "onsite_gas_adder_usd_per_mmbtu",
            "utc_offset_h",
        ),
    ),
    "technologies": TableSpec(
        file="technologies.csv",
        description=(
            "Power supply technologies; several years interpolate linearly. A row with a "
            "blank `region` holds in every region; a region's own rows of a tech and "
            "parameter replace the blank-region rows there (regional parameters only)."
        ),
        columns={
            "tech": "technology name",
            "region": "region of regions.csv the row holds in (blank = every region)",
            "year": f"year the value holds ({_ANY_YEAR})",
            "parameter": "parameter name (below)",
            "value": "number in `unit`",
            "unit": "unit; must equal the manifest's",
            "source": "where the value comes from",
        },
        keys=("tech", "region"),
        blank_year=True,
        blank_keys=("region",),
        regional=("capex_usd_per_kw", "fom_usd_per_kw_yr", "vom_usd_per_mwh"),
        parameters={
            "capex_usd_per_kw": _p("USD/kW", "overnight capital cost (battery: per kW of 4 h)"),
            "fom_usd_per_kw_yr": _p("USD/kW/yr", "fixed operation and maintenance"),
            "vom_usd_per_mwh": _p("USD/MWh", "variable O&M (nuclear: incl. fuel)"),
            "heat_rate_mmbtu_per_mwh": _p(
                "MMBtu/MWh", "fuel per unit of electricity (gas), higher heating value (HHV)"
            ),
            "emissions_tco2_per_mwh": _p("tCO2/MWh", "direct CO2 per MWh of electricity"),
            "life_yr": _p("yr", "economic life for annualising capex", 1.0, 100.0),
            "max_build_gw_per_yr": _p("GW/yr", "world-wide build limit for data centres"),
            "available_from_year": _p("year", "first year new capacity can be built", 2000, 2100),
            "lead_time_yr": _p(
                "yr", "years from order to service (orders from the first model year)", 0.0, 15.0
            ),
            "firm_credit_frac": _p("fraction", "share of capacity counted as firm at peak"),
            "firm_fuel_usd_per_kw_yr": _p(
                "USD/kW/yr", "cost of firm fuel (firm pipeline transport) per kW of gas plant"
            ),
            "nonfirm_fuel_credit_frac": _p(
                "fraction", "share of the firm credit a gas plant keeps without firm fuel"
            ),
            "max_cf_frac": _p("fraction", "availability of dispatchable capacity"),
            "roundtrip_efficiency_frac": _p("fraction", "storage round-trip efficiency"),
            "duration_h": _p("h", "storage energy / power"),
            "clean_frac": _p("fraction", "1 for carbon-free sources (storage: 0)"),
        },
        required=(
            "capex_usd_per_kw",
            "fom_usd_per_kw_yr",
            "vom_usd_per_mwh",
            "emissions_tco2_per_mwh",
            "life_yr",
            "max_build_gw_per_yr",
            "available_from_year",
            "firm_credit_frac",
            "max_cf_frac",
            "clean_frac",
        ),
        required_for={
            "gas_ccgt": ("heat_rate_mmbtu_per_mwh",),
            "gas_ocgt": ("heat_rate_mmbtu_per_mwh",),
            "gas_recip": ("heat_rate_mmbtu_per_mwh",),
            "gas_industrial": ("heat_rate_mmbtu_per_mwh",),
            "gas_frame": ("heat_rate_mmbtu_per_mwh",),
            "battery": ("roundtrip_efficiency_frac", "duration_h"),
        },
    ),
    "fuels": TableSpec(
        file="fuels.csv",
        description="Fuel prices by hub and year (regional prices: multipliers in regions.csv).",
        columns={
            "fuel": "fuel name (gas)",
            "region": "price hub (henry_hub) or a region",
            "year": "year",
            "parameter": "parameter name (below)",
            "value": "number in `unit`",
            "unit": "unit; must equal the manifest's",
            "source": "where the value comes from",
        },
        keys=("fuel", "region"),
        parameters={"price_usd_per_mmbtu": _p("USD/MMBtu", "fuel price")},
        required=("price_usd_per_mmbtu",),
    ),
    "hardware": TableSpec(
        file="hardware.csv",
        description="Accelerators and facilities, world-wide, by year.",
        columns={
            "year": f"year the value holds ({_ANY_YEAR})",
            "parameter": "parameter name (below)",
            "value": "number in `unit`",
            "unit": "unit; must equal the manifest's",
            "source": "where the value comes from",
        },
        keys=(),
        blank_year=True,
        parameters={
            "tokens_per_kwh_chat": _p(
                "tokens/kWh", "chat-class tokens served per kWh of IT energy (before PUE)", 1.0
            ),
            "tokens_per_kwh_reasoning": _p(
                "tokens/kWh",
                "reasoning-class tokens served per kWh of IT energy (before PUE)",
                1.0,
            ),
            "it_capex_usd_per_kw": _p("USD/kW", "accelerators, servers, networking per kW of IT"),
            "it_life_yr": _p("yr", "IT hardware life", 1.0, 30.0),
            "facility_capex_usd_per_kw": _p("USD/kW", "shell, power, cooling per kW of IT"),
            "facility_life_yr": _p("yr", "facility life", 1.0, 60.0),
            "it_fom_frac_per_yr": _p("fraction/yr", "IT O&M as a share of IT capex per year"),
            "facility_fom_usd_per_kw_yr": _p("USD/kW/yr", "facility O&M per kW of IT"),
            "max_draw_frac": _p(
                "fraction", "highest share of nameplate IT power drawn in any hour", 0.1
            ),
            "avg_utilisation_frac": _p(
                "fraction", "yearly IT energy / (nameplate IT power x 8,760 h)", 0.05
            ),
            "max_build_gw_per_yr": _p("GW/yr", "world-wide AI IT capacity deliverable per year"),
            "it_kw_per_gpu": _p(
                "kW", "IT power per accelerator incl. host and network share", 0.1, 20.0
            ),
            "pue_improvement_ratio_per_yr": _p("ratio/yr", "yearly PUE multiplier", 0.5, 1.5),
        },
        required=(
            "tokens_per_kwh_chat",
            "tokens_per_kwh_reasoning",
            "it_capex_usd_per_kw",
            "it_life_yr",
            "facility_capex_usd_per_kw",
            "facility_life_yr",
            "it_fom_frac_per_yr",
            "facility_fom_usd_per_kw_yr",
            "max_draw_frac",
            "avg_utilisation_frac",
            "max_build_gw_per_yr",
            "it_kw_per_gpu",
            "pue_improvement_ratio_per_yr",
        ),
    ),
    "accelerators": TableSpec(
        file="accelerators.csv",
        description=(
            "Accelerator generations a scenario may buy (`hardware.accelerators`), one value "
            "per generation and parameter. Tokens per kWh are at the IT boundary (servers, "
            "before PUE) with the software of late 2025; capex is the compute share "
            "(accelerators, host, network), the facility is `facility_capex_usd_per_kw` of "
            "`hardware.csv`."
        ),
        columns={
            "accelerator": "generation name (scenario `hardware.accelerators`)",
            "parameter": "parameter name (below)",
            "value": "number in `unit`",
            "unit": "unit; must equal the manifest's",
            "source": "where the value comes from",
        },
        keys=("accelerator",),
        parameters={
            "available_from_year": _p("year", "first year it can be bought", 2000, 2100),
            "capex_usd_per_gpu": _p("USD/GPU", "compute capex per accelerator (no facility)"),
            "kw_per_gpu": _p("kW", "IT power per accelerator incl. host and network", 0.1, 20.0),
            "tokens_per_kwh_chat": _p(
                "tokens/kWh", "chat-class tokens served per kWh of IT energy", 1.0
            ),
            "tokens_per_kwh_reasoning": _p(
                "tokens/kWh", "reasoning-class tokens served per kWh of IT energy", 1.0
            ),
            "life_yr": _p("yr", "economic life (default: it_life_yr of hardware.csv)", 1.0, 30.0),
        },
        required=(
            "available_from_year",
            "capex_usd_per_gpu",
            "kw_per_gpu",
            "tokens_per_kwh_chat",
            "tokens_per_kwh_reasoning",
        ),
    ),
    "demand": TableSpec(
        file="demand.csv",
        description="AI data-centre demand trajectories by region and year.",
        columns={
            "trajectory": "trajectory name (scenario `demand.trajectory`)",
            "region": "region name",
            "year": "year",
            "value": "number in `unit`",
            "unit": "TWh (facility electricity a year) or GW (facility power capacity)",
            "source": "where the value comes from",
        },
        keys=("trajectory", "region"),
    ),
    "grid_system": GRID_SYSTEM,
}

DEMAND_UNITS = ("TWh", "GW")
FUEL_HUBS = ("henry_hub",)

HOURLY_FILE = "hourly_profiles.csv"

PROFILE_YEAR = 2022
"""Calendar of the hourly profiles: hour 0 = 1 January 2022, 00:00 UTC."""


@dataclass(frozen=True)
class HourlySpec:
    """One hourly profile: unit, meaning, allowed range and kind.

    ``kind`` is ``availability`` (a share of capacity, 0..1), ``ratio`` (a shape with mean
    1 that multiplies a yearly value) or ``level`` (an absolute value in ``unit``).
    ``cluster_weight`` is the column's weight when days are clustered into representative
    days (near 0: carried along without choosing the days).
    """

    values: str
    meaning: str
    kind: str
    lo: float = 0.0
    hi: float | None = None
    cluster_weight: float = 1.0


HOURLY_PROFILES: dict[str, HourlySpec] = {
    "solar_pv": HourlySpec(
        "availability 0..1", "solar PV output per unit of capacity", "availability", hi=1.0
    ),
    "wind_onshore": HourlySpec(
        "availability 0..1", "onshore wind output per unit of capacity", "availability", hi=1.0
    ),
    "grid_price": HourlySpec(
        "ratio >= 0, mean 1",
        "hourly shape of the grid energy price (multiplies `grid_price_usd_per_mwh`)",
        "ratio",
    ),
    "inference_load": HourlySpec("ratio >= 0, mean 1", "hourly shape of inference load", "ratio"),
    "grid_carbon": HourlySpec(
        "tCO2/MWh, 0..2",
        "average carbon intensity of grid electricity in the hour (direct combustion)",
        "level",
        hi=2.0,
    ),
    "grid_clean": HourlySpec(
        "fraction 0..1",
        "carbon-free share of grid electricity in the hour (wind, solar, hydro, nuclear)",
        "level",
        hi=1.0,
    ),
    "other_load": HourlySpec(
        "ratio >= 0, mean 1",
        "hourly shape of the load of everyone else (multiplies `other_load_twh` of "
        "`grid_system.csv`)",
        "ratio",
        # carried, not clustered on, until a model family uses it (representative days and
        # tariff-mode results stay as they were)
        cluster_weight=1e-6,
    ),
}
RATIO_PROFILES = tuple(p for p, h in HOURLY_PROFILES.items() if h.kind == "ratio")
LEVEL_PROFILES = tuple(p for p, h in HOURLY_PROFILES.items() if h.kind == "level")


README_BEGIN = (
    "<!-- BEGIN data dictionary: generated by energymodel.data.tables.data_dictionary_markdown -->"
)
README_END = "<!-- END data dictionary -->"


def data_dictionary_markdown() -> str:
    """Render the manifest as Markdown tables (embedded in ``inputs/README.md``)."""
    parts: list[str] = []
    for spec in TABLES.values():
        parts.append(f"### `{spec.file}`\n\n{spec.description}\n")
        parts.append("| column | meaning |\n|---|---|")
        parts.extend(f"| `{c}` | {m} |" for c, m in spec.columns.items())
        if spec.parameters:
            parts.append(
                "\n| parameter | unit | range | required | meaning |\n|---|---|---|---|---|"
            )
            for pname, p in spec.parameters.items():
                lo, hi = p.bounds(pname)
                rng = f"{'' if lo is None else f'{lo:g}'}..{'' if hi is None else f'{hi:g}'}"
                if pname in spec.required:
                    req = "yes"
                else:
                    req = ", ".join(k for k, v in spec.required_for.items() if pname in v) or "no"
                meaning = (
                    f"{p.meaning}{' (may differ by region)' if pname in spec.regional else ''}"
                )
                parts.append(f"| `{pname}` | {p.unit} | {rng} | {req} | {meaning} |")
        parts.append("")
    parts.append(f"### `{HOURLY_FILE}`\n")
    parts.append(
        f"{HOURS_PER_YEAR} rows, column `hour` (0..{HOURS_PER_YEAR - 1}, **UTC**: hour 0 is "
        f"1 January {PROFILE_YEAR} 00:00 UTC in every column, so the regions' columns are "
        "simultaneous), then one column `<profile>:<region>` per profile and region of "
        "`regions.csv`.\n"
    )
    parts.append("| profile | values | meaning |\n|---|---|---|")
    parts.extend(f"| `{p}` | {h.values} | {h.meaning} |" for p, h in HOURLY_PROFILES.items())
    return "\n".join(parts) + "\n"


def update_readme(readme: Path) -> bool:
    """Rewrite the generated data-dictionary block of ``readme``; return whether it changed."""
    text = readme.read_text(encoding="utf-8")
    head, _, rest = text.partition(README_BEGIN)
    _, _, tail = rest.partition(README_END)
    new = f"{head}{README_BEGIN}\n\n{data_dictionary_markdown()}\n{README_END}{tail}"
    if new != text:
        readme.write_text(new, encoding="utf-8")
    return new != text


def readme_block(readme: Path) -> str:
    """Return the generated block currently in ``readme`` (for the up-to-date test)."""
    text = readme.read_text(encoding="utf-8")
    return text.partition(README_BEGIN)[2].partition(README_END)[0].strip("\n") + "\n"
