"""The scenario schema: every scenario knob, its type, its range and its default.

This is the one place where scenario defaults live. A scenario file holds only what
differs from here. Data defaults (prices, costs, demand tables) live in ``inputs/``;
a knob that is ``None`` here means "take the value from the input tables".

Year trajectories (:data:`YearValue`) are either one number for every year or a mapping
``{year: value}``; between given years values are interpolated linearly, outside them the
nearest given value holds (see :func:`energymodel.params.build.trajectory`).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field, field_validator, model_validator

from energymodel.scenario.cash import (
    ASSET_CLASSES,
    BookLivesConfig,
    ContractsConfig,
    FinancingConfig,
    LeadTimesConfig,
)
from energymodel.scenario.connection import OnsiteConfig
from energymodel.scenario.demand import MODEL_CLASSES, WORKLOADS, DemandConfig, ModelClass
from energymodel.scenario.grid import GridConfig
from energymodel.scenario.options import SolverConfig, TimeConfig, UncertainConfig
from energymodel.scenario.ranges import (
    CARBON_USD_PER_TCO2_MAX,
    EMISSIONS_MTCO2_MAX,
    GW_MAX,
    PRICE_USD_PER_MMBTU_MAX,
    REVENUE_MUSD_MAX,
    TOKEN_PRICE_USD_PER_MTOK_MAX,
    USD_PER_KW_MAX,
    ByYear,
    Fraction,
    FractionByYear,
    Gigawatts,
    Multiplier,
    PositiveMultiplier,
    TokensPerKwh,
    Year,
    _as_in,
    _Frozen,
    _in,
)

__all__ = [  # the names other modules import from here (some defined in demand.py)
    "ASSET_CLASSES",
    "COMPONENTS",
    "DEFAULT_REGIONS",
    "MODEL_CLASSES",
    "NAME_MAX_CHARS",
    "RESERVED_NAMES",
    "WORKLOADS",
    "ContractsConfig",
    "DemandConfig",
    "FinanceConfig",
    "FinancingConfig",
    "GridConfig",
    "HardwareConfig",
    "MarketConfig",
    "PolicyConfig",
    "PricesConfig",
    "Scenario",
    "SolverConfig",
    "SupplyConfig",
    "TimeConfig",
]

# --- names ------------------------------------------------------------------------------

NAME_MAX_CHARS = 200
"""Longest run name: ``<name>.nc.tmp-<pid>`` and the report's figure files must stay within
the 255-byte file names of common file systems."""
RESERVED_NAMES = ("all", "summary", "report", "figures")
"""Names of the files and folders a batch writes beside ``<name>.nc`` (``all.nc``,
``summary.csv``, ``report.html``, ``figures/``): no scenario may take them."""
# "=" is allowed for the runs a sweep produces: "<name>__<key>=<value>".
Slug = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_.=\-]*$", max_length=NAME_MAX_CHARS)]

DEFAULT_REGIONS = [
    "us_east",
    "us_texas",
    "us_west",
    "europe",
    "china",
    "asia_pacific",
    "rest_of_world",
]
# cost components of the results (`cost_musd`, `capex_musd`), in report order
COMPONENTS = (
    "accelerators",
    "facility",
    "power_capex",
    "power_fom",
    "fuel",
    "grid_energy",
    "grid_connection",
    "grid_capacity",
    "carbon",
    "unserved",
)


class HardwareConfig(_Frozen):
    """Accelerators and facilities; ``None`` takes ``inputs/hardware.csv``."""

    tokens_per_kwh: TokensPerKwh | dict[ModelClass, TokensPerKwh] | None = None
    """Tokens served per kWh of IT energy (IT boundary: servers, before PUE; per output
    token), by inference model class (``{chat: ..., reasoning: ...}``, each a number or
    a year trajectory) or one rate for every class (the former blended behaviour).
    Default: ``tokens_per_kwh_<class>`` of ``inputs/hardware.csv``."""
    efficiency_multiplier: ByYear[PositiveMultiplier] = 1.0
    """Multiplier on tokens per kWh (DeepSeek-style efficiency: 10)."""
    it_capex_usd_per_kw: (
        ByYear[Annotated[float, _as_in("hardware", "it_capex_usd_per_kw", USD_PER_KW_MAX)]] | None
    ) = None
    """Accelerators, servers and networking, per kW of IT capacity (= M$/GW)."""
    it_capex_multiplier: ByYear[Multiplier] = 1.0
    it_life_yr: Annotated[int, _as_in("hardware", "it_life_yr", whole=True)] | None = None
    facility_capex_usd_per_kw: (
        ByYear[Annotated[float, _as_in("hardware", "facility_capex_usd_per_kw", USD_PER_KW_MAX)]]
        | None
    ) = None
    """Shell, power and cooling per kW of IT capacity (= M$/GW)."""
    facility_life_yr: Annotated[int, _as_in("hardware", "facility_life_yr", whole=True)] | None = (
        None
    )
    pue_ratio: ByYear[Annotated[float, _as_in("regions", "pue_ratio")]] | None = None
    """Power usage effectiveness for every region (default: per region from inputs)."""
    max_draw_frac: Annotated[float, _as_in("hardware", "max_draw_frac")] | None = None
    """Highest share of nameplate IT power drawn in any hour (the hourly limit; firm
    supply and grid connections are sized on the peak the dispatch reaches)."""
    avg_utilisation_frac: Annotated[float, _as_in("hardware", "avg_utilisation_frac")] | None = None
    """Yearly IT energy / (IT nameplate x 8,760 h): the yearly limit on IT energy (an
    average, not an hourly ceiling)."""
    max_build_gw_per_yr: (
        ByYear[Annotated[float, _as_in("hardware", "max_build_gw_per_yr", GW_MAX)]] | None
    ) = None
    """World-wide IT capacity that the accelerator supply chain can deliver a year."""
    kw_per_gpu: Annotated[float, _as_in("hardware", "it_kw_per_gpu")] | None = None
    """IT kW per accelerator (host, network, rack share) for the cost per GPU-hour."""
    existing_it_capacity_gw: dict[
        str, Annotated[float, _as_in("regions", "existing_it_capacity_gw", GW_MAX)]
    ] = {}
    """IT capacity in service before the first year, per region (default: inputs).
    Set it when demand covers more than AI (e.g. every data centre, as the IEA
    cases do), so the existing fleet is not bought again. It retires linearly over
    the IT life."""
    accelerators: list[str] | None = None
    """Accelerator generations the LP may buy (names in ``inputs/accelerators.csv``),
    oldest first: the fleet in service before the first year is of the first one. Each
    has its own capex, kW per GPU, tokens per kWh by model class (x
    ``efficiency_multiplier``), first year and life; the LP chooses what to buy each year
    and may retire a vintage early (its capital charge stays). None (the default): one
    blended fleet whose tokens per kWh follow ``tokens_per_kwh``, as before 0.2. Needs
    ``demand.service: tokens``."""
    accelerator_available_from_year: dict[str, Year] = {}
    """First year a generation can be bought, replacing the table's (e.g. a next
    generation a year earlier)."""
    accelerator_life_yr: dict[
        str, Annotated[int, _as_in("accelerators", "life_yr", whole=True)]
    ] = {}
    """Life of a generation (yr), replacing the table's and ``it_life_yr``."""


class PricesConfig(_Frozen):
    """Energy prices; multipliers apply on top of ``inputs/``."""

    electricity_multiplier: ByYear[PositiveMultiplier] = 1.0
    """Multiplier on the grid energy price of every ``tariff`` region (in a ``system``
    region the price is a result: shock the gas price or the fleet instead)."""
    gas_usd_per_mmbtu: (
        ByYear[Annotated[float, _as_in("fuels", "price_usd_per_mmbtu", PRICE_USD_PER_MMBTU_MAX)]]
        | None
    ) = None
    """Henry Hub gas price; regional prices follow with their multipliers (on-site plant
    and, in ``system`` regions, the grid's gas plant)."""
    gas_multiplier: ByYear[PositiveMultiplier] = 1.0


class SupplyConfig(OnsiteConfig):
    """Which power technologies may be built, and how fast."""

    techs: list[str] | None = None
    """Technologies allowed (default: every row of ``inputs/technologies.csv``)."""
    max_build_gw_per_yr: dict[
        str, Annotated[float, _as_in("technologies", "max_build_gw_per_yr", GW_MAX)]
    ] = {}
    """World-wide build limit per technology, overrides the table."""
    available_from_year: dict[
        str, Annotated[int, _as_in("technologies", "available_from_year", whole=True)]
    ] = {}
    """Earliest year a technology can be built, overrides the table."""
    capex_multiplier: dict[str, Multiplier] = {}
    life_yr: dict[str, Annotated[float, _as_in("technologies", "life_yr")]] | None = None
    """Economic life (yr) per technology, for annualising capex (default: technologies.csv)."""
    fom_usd_per_kw_yr: (
        dict[str, Annotated[float, _as_in("technologies", "fom_usd_per_kw_yr", USD_PER_KW_MAX)]]
        | None
    ) = None
    """Fixed O&M per technology in every region and year (default: technologies.csv)."""
    firm_credit_frac: dict[str, Fraction] | None = None
    """Share of each technology's capacity that is firm at the peak (default: the table)."""
    reserve_margin_frac: Annotated[float, _in(0.0, 2.0)] = 0.1
    """Firm supply + grid >= peak facility load x (1 + margin). Our choice: 10%."""
    storage_firm_hours: Annotated[float, _in(gt=0.0, hi=8760.0)] = 24.0
    """Hours a storage plant must sustain its output to count in full as firm: its credit
    is ``firm_credit_frac x min(1, duration_h / storage_firm_hours)``. 24 h, our choice:
    an AI data centre's load is flat round the clock, so its peak lasts all day and a
    4-hour battery (credit x 4/24) cannot firm it; resource-adequacy "4-hour rules"
    (CAISO, NYISO) assume a peak of a few hours, which this load does not have."""


class FinanceConfig(_Frozen):
    """Cost of capital and the capex-intensity view."""

    wacc: Annotated[float, _in(0.0, 0.5)] = 0.09
    """Nominal cost of capital for annuities and discounting. Hyperscaler convention
    8-10% [U]; CoreWeave debt 10-15% (10-Q, 30 Jun 2025)."""
    capex_to_revenue_frac: Annotated[float, _in(gt=0.0, hi=1.0)] = 0.25
    """Sustainable capex / revenue (Bain TR2025: $500B capex -> $2T revenue)."""
    target_margin_frac: Annotated[float, _in(0.0, 2.0)] = 0.0
    """Margin on top of cost in the break-even revenue."""

    # --- the cash view after the solve (issue 27; energymodel/scenario/cash.py) ---------
    depreciation_life_yr: BookLivesConfig = BookLivesConfig()
    """Book (accounting) life by asset class, for straight-line depreciation in the
    accounts; the LP keeps the economic lives."""
    build_lead_time_yr: LeadTimesConfig = LeadTimesConfig()
    """Years of spend before an asset's first year of use, by asset class."""
    financing: FinancingConfig = FinancingConfig()
    """Debt, equity, vendor financing and operating cash shares of capex."""
    builds_after_horizon: Literal["repeat_last", "none"] = "repeat_last"
    """Spend inside the horizon on builds first used after it (their lead time):
    ``repeat_last`` assumes as many builds a year as in the last model year (their spend
    counted in the last years' outlays and, at cost plus the cost of capital, in the
    terminal value); ``none`` leaves it out, so the last years' outlays fall to what the
    horizon's own builds need."""
    accelerator_share_of_it_capex_frac: Annotated[float, _in(0.0, 1.0)] = 0.70
    """Accelerators' share of IT capex; servers (CPUs, memory, storage) and networking
    take the rest. Bernstein (Oct 2025) GB200 NVL72: GPUs 39% of all-in capex, networking
    13%, CPUs ~3%, storage ~1% -> 39 / 56 = 0.70 of the compute (IT) part."""


class PolicyConfig(_Frozen):
    """Carbon and clean-energy policy, and announced builds."""

    carbon_price_usd_per_tco2: ByYear[Annotated[float, _in(0.0, CARBON_USD_PER_TCO2_MAX)]] = 0.0
    emissions_cap_mtco2: ByYear[Annotated[float, _in(0.0, EMISSIONS_MTCO2_MAX)]] | None = None
    """World-wide cap on data-centre power emissions per year."""
    annual_clean_share_frac: FractionByYear | None = None
    """Yearly clean energy bought >= share x facility energy, per region."""
    hourly_clean_share_frac: FractionByYear | None = None
    """24/7 carbon-free energy score (PyPSA 247-cfe): clean share hour by hour."""
    committed_it_capacity_gw: dict[str, dict[Year, Gigawatts]] = {}
    """Announced IT capacity built in ``{region: {year: GW}}`` whatever the demand. With
    model years a few years apart, a build lands in the model year whose span holds it."""


class MarketConfig(_Frozen):
    """What a million tokens sells for, for revenue and the revenue gap."""

    price_usd_per_mtok: ByYear[Annotated[float, _in(0.0, TOKEN_PRICE_USD_PER_MTOK_MAX)]] = {
        2025: 2.0,
        2030: 0.5,
    }
    """Blended market price per million tokens (input and output). 2025: between
    DeepSeek-R1 ($0.55 in / $2.19 out) and GPT-5 ($1.25 / $10); our blended estimate.
    It falls 4x to 2030, in step with the 4x gain in tokens per kWh of
    ``inputs/hardware.csv`` (our assumption: competition passes efficiency through)."""
    revenue_musd: ByYear[Annotated[float, _in(0.0, REVENUE_MUSD_MAX)]] | None = None
    """Explicit AI revenue trajectory; replaces tokens x price when set."""


class Scenario(_Frozen):
    """One model run. Field names carry their units."""

    name: Slug
    description: str = ""
    extends: str | None = None
    """Parent scenario (name or path); its values are merged under this file's."""
    overrides: list[str] = []
    """Named override sets from ``scenarios/overrides.yaml``, applied in order."""
    years: list[Year] = [2025, 2026, 2027, 2028, 2029, 2030]
    """Model years. Each stands for itself up to the next one (its builds may use that many
    years of a yearly build limit); the last stands for itself alone, so leaving out the
    year before it leaves one year's build limit for two years of growth."""
    regions: list[str] = DEFAULT_REGIONS
    inputs_dir: str | None = None
    """Folder of input tables (default: the ``inputs/`` beside ``scenarios/``)."""
    demand: DemandConfig = DemandConfig()
    hardware: HardwareConfig = HardwareConfig()
    prices: PricesConfig = PricesConfig()
    grid: GridConfig = GridConfig()
    supply: SupplyConfig = SupplyConfig()
    finance: FinanceConfig = FinanceConfig()
    policy: PolicyConfig = PolicyConfig()
    market: MarketConfig = MarketConfig()
    contracts: ContractsConfig = ContractsConfig()
    """Named take-or-pay compute contracts and their buyers' revenue (cash view only)."""
    time: TimeConfig = TimeConfig()
    solver: SolverConfig = SolverConfig()
    sweep: dict[str, list[Any]] = {}
    """Dotted key -> values; the file fans out into one run per combination."""
    sweep_values: dict[str, Any] = {}
    """Set on each run a sweep produces: the values it took (for the coordinates)."""
    uncertain: UncertainConfig | None = None
    """Distributions of uncertain settings; the file fans out into one run per sample."""
    sample: Annotated[int, Field(ge=0)] | None = None
    """Set on each run ``uncertain`` produces: its position along ``sample``."""
    sample_values: dict[str, Any] = {}
    """Set on each run ``uncertain`` produces: the values it drew (for the coordinates)."""

    @field_validator("name")
    @classmethod
    def _name_not_reserved(cls, name: str) -> str:
        if name in RESERVED_NAMES:
            raise ValueError(
                f"a name other than {', '.join(RESERVED_NAMES)} (a batch writes "
                "all.nc, summary.csv, report.html and figures/ beside the results)"
            )
        if ".tmp-" in name:
            raise ValueError("a name without '.tmp-' (it marks temporary files)")
        return name

    @field_validator("years")
    @classmethod
    def _years_sorted_unique(cls, years: list[int]) -> list[int]:
        if not years:
            raise ValueError("at least one year")
        if sorted(set(years)) != years:
            raise ValueError("increasing years without repeats")
        return years

    @field_validator("regions")
    @classmethod
    def _regions_unique(cls, regions: list[str]) -> list[str]:
        if not regions:
            raise ValueError("at least one region")
        if len(set(regions)) != len(regions):
            raise ValueError("regions without repeats")
        return regions

    @model_validator(mode="after")
    def _accelerators_need_tokens(self) -> Scenario:
        hw = self.hardware
        if hw.accelerators is not None:
            if not hw.accelerators or len(set(hw.accelerators)) != len(hw.accelerators):
                raise ValueError("hardware.accelerators: at least one generation, without repeats")
            if not self.demand.holds_tokens:
                raise ValueError(
                    "demand.service: tokens with hardware.accelerators: generations differ in "
                    "tokens per kWh, so the demand is for tokens"
                )
        return self
