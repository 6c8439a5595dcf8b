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

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from energymodel.scenario.fields import (
    CARBON_USD_PER_TCO2_MAX,
    EMISSIONS_MTCO2_MAX,
    GW_MAX,
    PENALTY_USD_PER_MWH_MAX,
    PRICE_USD_PER_MMBTU_MAX,
    REVENUE_MUSD_MAX,
    TOKEN_PRICE_USD_PER_MTOK_MAX,
    TOKENS_PER_KWH_MAX,
    TWH_MAX,
    USD_PER_KW_MAX,
    ByYear,
    Fraction,
    FractionByYear,
    Gigawatts,
    Multiplier,
    PositiveMultiplier,
    Year,
    _as_in,
    _in,
)

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
WORKLOADS = ("training", "inference")
# cost components of the results (`cost_musd`, `capex_musd`), in report order
COMPONENTS = (
    "accelerators",
    "facility",
    "power_capex",
    "power_fom",
    "fuel",
    "grid_energy",
    "grid_connection",
    "carbon",
    "unserved",
)


class _Frozen(BaseModel):
    """A section of the schema: unknown keys rejected, values never changed after loading."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)


class DemandConfig(_Frozen):
    """AI compute demand: which trajectory, in which unit, and how it splits."""

    trajectory: str = "bain_2025"
    """Name of a trajectory in ``inputs/demand.csv`` (its rows carry their unit)."""
    values: dict[str, dict[Year, Annotated[float, _in(0.0, TWH_MAX)]]] | None = None
    """Inline demand ``{region: {year: value}}`` in ``unit``; replaces the table."""
    unit: Literal["TWh", "GW"] | None = None
    """Unit of ``values``: TWh of facility electricity a year, or GW of facility power
    capacity (converted with ``capacity_factor_frac``). Required with ``values``; with a
    trajectory it must match the unit of the trajectory's rows."""
    scale: ByYear[Multiplier] = 1.0
    """Multiplier on the whole trajectory (e.g. 0.5 for a half-size build-out)."""
    region_scale: dict[str, ByYear[Multiplier]] = {}
    """Multiplier per region, e.g. ``{china: 0}`` to drop a closed market's demand."""
    capacity_factor_frac: Annotated[float, _in(gt=0.0, hi=1.0)] = 0.5
    """Facility energy / (facility capacity x 8760 h), for demand given in GW.
    IEA fleet 0.48 (2026 edition); LBNL 2024 implies 0.50 (325 TWh / 74 GW)."""
    training_share_frac: FractionByYear = {2025: 0.5, 2030: 0.35}
    """Share of AI IT energy that is training; the rest is inference.
    Deloitte TMT 2026: inference 1/2 of AI compute in 2025, 2/3 in 2026; McKinsey (Dec
    2025): inference > 50% by 2030. Our reading: training 50% (2025) -> 35% (2030)."""
    training_flexible_frac: Fraction = 0.5
    """Share of training load that may move within its day (peer: space-time-optimization
    flexible load, load in [1 - f, 1 + f] x its daily mean). 0.5 is our estimate:
    training jobs checkpoint and can be slowed, but clusters are rarely idled."""
    training_regions: list[str] | None = None
    """Regions where training may run (default: every region)."""
    unserved_penalty_usd_per_mwh: Annotated[float, _in(gt=0.0, hi=PENALTY_USD_PER_MWH_MAX)] = (
        20000.0
    )
    """Value of lost compute, per MWh of IT energy not served. Set well above the cost
    of serving (about 1,000-3,000 $/MWh all-in) so demand is shed only when it cannot be
    met; our own choice."""

    @model_validator(mode="after")
    def _values_need_unit(self) -> DemandConfig:
        # on DemandConfig (not Scenario) so that the error points at the demand: key
        if self.values is not None and self.unit is None:
            raise ValueError("demand.unit (TWh or GW) given with demand.values")
        return self


class HardwareConfig(_Frozen):
    """Accelerators and facilities; ``None`` takes ``inputs/hardware.csv``."""

    tokens_per_kwh: (
        ByYear[Annotated[float, _as_in("hardware", "tokens_per_kwh", TOKENS_PER_KWH_MAX)]] | None
    ) = None
    """Tokens served per kWh of IT energy (IT boundary, before PUE)."""
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
    """Highest share of nameplate IT power drawn in any hour."""
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


class PricesConfig(_Frozen):
    """Energy prices; multipliers apply on top of ``inputs/``."""

    electricity_multiplier: ByYear[PositiveMultiplier] = 1.0
    """Multiplier on every region's grid energy price."""
    gas_usd_per_mmbtu: (
        ByYear[Annotated[float, _as_in("fuels", "price_usd_per_mmbtu", PRICE_USD_PER_MMBTU_MAX)]]
        | None
    ) = None
    """Henry Hub gas price; regional prices follow with their multipliers."""
    gas_multiplier: ByYear[PositiveMultiplier] = 1.0


class GridConfig(_Frozen):
    """Grid connection of new data-centre load (the queue)."""

    max_new_connection_gw_per_yr: dict[
        str, Annotated[float, _as_in("regions", "max_new_connection_gw_per_yr", GW_MAX)]
    ] = {}
    """Per region, new connection capacity utilities can deliver a year."""
    connection_ceiling_gw: dict[
        str, Annotated[float, _as_in("regions", "connection_ceiling_gw", GW_MAX)]
    ] = {}
    """Per region, total grid connection available to data centres."""
    existing_connection_gw: dict[
        str, Annotated[float, _as_in("regions", "existing_connection_gw", GW_MAX)]
    ] = {}
    connection_limit_multiplier: Multiplier = 1.0
    """Multiplier on every region's yearly connection limit."""


class SupplyConfig(_Frozen):
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


class FinanceConfig(_Frozen):
    """Cost of capital and the capex-intensity view."""

    wacc: Annotated[float, _in(0.0, 0.5)] = 0.09
    """Nominal cost of capital for annuities and discounting. Hyperscaler convention
    8-10% [U]; CoreWeave debt 10-15% (10-Q, 30 Jun 2025)."""
    capex_to_revenue_frac: Annotated[float, _in(gt=0.0, hi=1.0)] = 0.25
    """Sustainable capex / revenue (Bain TR2025: $500B capex -> $2T revenue)."""
    target_margin_frac: Annotated[float, _in(0.0, 2.0)] = 0.0
    """Margin on top of cost in the break-even revenue."""


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


class TimeConfig(_Frozen):
    """Time resolution of dispatch, and how the years are optimised."""

    representative_days: Annotated[int, Field(ge=1, le=365)] = 4
    """Representative days chosen by tsam (medoid days of clusters), before the extreme
    days; 365 is the full year. 4 (+2 extreme days) keeps the default mix's supply cost
    within about 1% of the full year's; 24/7 clean supply needs 64 or more
    (``docs/time.md``)."""
    resolution: Literal["representative_days", "full_year"] = "representative_days"
    """``full_year`` runs the 365 days in order, unclustered (for small cases: one region,
    one or two years); the same as ``representative_days: 365``."""
    extreme_days: Literal["off", "world", "each_region"] = "world"
    """Days appended to the representative days as days of their own (tsam's extreme
    periods): the day with the least wind and solar and the day with the highest
    inference load, for the system as a whole (``world``) or for each region. They are
    the days that size 24/7 clean supply and firm capacity; cluster centres average them
    away. ``true``/``false`` mean ``world``/``off``."""
    link_storage: bool = False
    """Carry storage state of charge across the chronological sequence of days (each
    calendar day follows its representative day; Kotzur et al. 2018), so energy moves
    between days and storage of more than 24 h is worth something. Off by default: on a
    few representative days it doubles the solve and moves costs away from the full
    year's, not towards them (``docs/time.md``); on 64 days or more, or the full year,
    turn it on. ``false``: each representative day's storage ends where it starts."""
    foresight: Literal["perfect", "myopic"] = "perfect"
    """``myopic`` optimises the years one after another, each inheriting what was built
    before it and blind to later years (as PyPSA-Eur's myopic mode); ``perfect`` optimises
    every year at once."""

    @field_validator("extreme_days", mode="before")
    @classmethod
    def _extremes_from_bool(cls, value: Any) -> Any:
        return {True: "world", False: "off"}.get(value, value) if isinstance(value, bool) else value

    @property
    def days(self) -> int:
        """Representative days to cluster to (365: the whole year in order)."""
        return 365 if self.resolution == "full_year" else self.representative_days


class SolverConfig(_Frozen):
    """HiGHS options."""

    time_limit_s: Annotated[float, _in(gt=0.0, hi=1e7)] = 600.0
    method: Literal["choose", "simplex", "ipm", "ipx", "hipo", "pdlp"] = "choose"
    """HiGHS's LP method: ``choose`` (HiGHS decides: dual simplex on these LPs),
    ``simplex``, ``ipm`` (interior point: HiPO where the highspy-extras package is
    installed, else IPX), ``ipx``, ``hipo`` (HiGHS's newer interior point; needs
    highspy-extras), ``pdlp`` (first-order; loose optima). ``docs/performance.md`` says
    which is fastest for which size."""
    crossover: bool = True
    """After an interior-point solve, cross over to a basic solution (exact duals, a basis
    that warm starts later solves). Off: faster; duals within about 1e-8."""
    presolve: bool = True
    threads: Annotated[int, Field(ge=0, le=1024)] = 0
    """0 lets HiGHS choose."""
    primal_feasibility_tolerance: Annotated[float, _in(1e-10, 1e-3)] = 1e-7
    dual_feasibility_tolerance: Annotated[float, _in(1e-10, 1e-3)] = 1e-7


class Scenario(_Frozen):
    """One model run. Field names carry their units."""

    name: Slug
    description: str = ""
    extends: str | None = None
    """Parent scenario (name or path); its values are merged under this file's."""
    overrides: list[str] = []
    """Named override sets from ``scenarios/overrides.yaml``, applied in order."""
    years: list[Year] = [2025, 2026, 2027, 2028, 2029, 2030]
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
    time: TimeConfig = TimeConfig()
    solver: SolverConfig = SolverConfig()
    sweep: dict[str, list[Any]] = {}
    """Dotted key -> values; the file fans out into one run per combination."""
    sweep_values: dict[str, Any] = {}
    """Set on each run a sweep produces: the values it took (for the coordinates)."""

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
