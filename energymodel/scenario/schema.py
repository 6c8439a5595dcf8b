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

Fraction = Annotated[float, Field(ge=0.0, le=1.0)]
NonNegative = Annotated[float, Field(ge=0.0)]
Positive = Annotated[float, Field(gt=0.0)]
# "=" is allowed for the runs a sweep produces: "<name>__<key>=<value>".
Slug = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_.=\-]*$")]
Year = Annotated[int, Field(ge=2000, le=2100)]
YearValue = NonNegative | dict[Year, NonNegative]
FractionByYear = Fraction | dict[Year, Fraction]

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
    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)


class DemandConfig(_Frozen):
    """AI compute demand: which trajectory, in which unit, and how it splits."""

    trajectory: str = "bain_2025"
    """Name of a trajectory in ``inputs/demand.csv`` (its rows carry their unit)."""
    values: dict[str, dict[Year, NonNegative]] | None = None
    """Inline demand ``{region: {year: value}}`` in ``unit``; replaces the table."""
    unit: Literal["TWh", "GW"] | None = None
    """Unit of ``values``: TWh of facility electricity a year, or GW of facility power
    capacity (converted with ``capacity_factor_frac``). Required with ``values``; with a
    trajectory it must match the unit of the trajectory's rows."""
    scale: YearValue = 1.0
    """Multiplier on the whole trajectory (e.g. 0.5 for a half-size build-out)."""
    region_scale: dict[str, YearValue] = {}
    """Multiplier per region, e.g. ``{china: 0}`` to drop a closed market's demand."""
    capacity_factor_frac: Fraction = 0.5
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
    unserved_penalty_usd_per_mwh: Positive = 20000.0
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

    tokens_per_kwh: YearValue | None = None
    """Tokens served per kWh of IT energy (IT boundary, before PUE)."""
    efficiency_multiplier: YearValue = 1.0
    """Multiplier on tokens per kWh (DeepSeek-style efficiency: 10)."""
    it_capex_usd_per_kw: YearValue | None = None
    """Accelerators, servers and networking, per kW of IT capacity (= M$/GW)."""
    it_capex_multiplier: YearValue = 1.0
    it_life_yr: Annotated[int, Field(ge=1, le=30)] | None = None
    facility_capex_usd_per_kw: YearValue | None = None
    """Shell, power and cooling per kW of IT capacity (= M$/GW)."""
    facility_life_yr: Annotated[int, Field(ge=1, le=60)] | None = None
    pue_ratio: YearValue | None = None
    """Power usage effectiveness for every region (default: per region from inputs)."""
    max_draw_frac: Fraction | None = None
    """Highest share of nameplate IT power drawn in any hour."""
    max_build_gw_per_yr: YearValue | None = None
    """World-wide IT capacity that the accelerator supply chain can deliver a year."""
    existing_it_capacity_gw: dict[str, NonNegative] = {}
    """IT capacity in service before the first year, per region (default: inputs).
    Set it when demand covers more than AI (e.g. every data centre, as the IEA
    cases do), so the existing fleet is not bought again. It retires linearly over
    the IT life."""


class PricesConfig(_Frozen):
    """Energy prices; multipliers apply on top of ``inputs/``."""

    electricity_multiplier: YearValue = 1.0
    """Multiplier on every region's grid energy price."""
    gas_usd_per_mmbtu: YearValue | None = None
    """Henry Hub gas price; regional prices follow with their multipliers."""
    gas_multiplier: YearValue = 1.0


class GridConfig(_Frozen):
    """Grid connection of new data-centre load (the queue)."""

    max_new_connection_gw_per_yr: dict[str, NonNegative] = {}
    """Per region, new connection capacity utilities can deliver a year."""
    connection_ceiling_gw: dict[str, NonNegative] = {}
    """Per region, total grid connection available to data centres."""
    existing_connection_gw: dict[str, NonNegative] = {}
    connection_limit_multiplier: NonNegative = 1.0
    """Multiplier on every region's yearly connection limit."""


class SupplyConfig(_Frozen):
    """Which power technologies may be built, and how fast."""

    techs: list[str] | None = None
    """Technologies allowed (default: every row of ``inputs/technologies.csv``)."""
    max_build_gw_per_yr: dict[str, NonNegative] = {}
    """World-wide build limit per technology, overrides the table."""
    available_from_year: dict[str, Year] = {}
    """Earliest year a technology can be built, overrides the table."""
    capex_multiplier: dict[str, NonNegative] = {}
    reserve_margin_frac: Annotated[float, Field(ge=0.0, le=2.0)] = 0.1
    """Firm supply + grid >= peak facility load x (1 + margin). Our choice: 10%."""


class FinanceConfig(_Frozen):
    """Cost of capital and the capex-intensity view."""

    wacc: Annotated[float, Field(ge=0.0, le=0.5)] = 0.09
    """Nominal cost of capital for annuities and discounting. Hyperscaler convention
    8-10% [U]; CoreWeave debt 10-15% (10-Q, 30 Jun 2025)."""
    capex_to_revenue_frac: Annotated[float, Field(gt=0.0, le=1.0)] = 0.25
    """Sustainable capex / revenue (Bain TR2025: $500B capex -> $2T revenue)."""
    target_margin_frac: Annotated[float, Field(ge=0.0, le=2.0)] = 0.0
    """Margin on top of cost in the break-even revenue."""


class PolicyConfig(_Frozen):
    """Carbon and clean-energy policy, and announced builds."""

    carbon_price_usd_per_tco2: YearValue = 0.0
    emissions_cap_mtco2: YearValue | None = None
    """World-wide cap on data-centre power emissions per year."""
    annual_clean_share_frac: FractionByYear | None = None
    """Yearly clean energy bought >= share x facility energy, per region."""
    hourly_clean_share_frac: FractionByYear | None = None
    """24/7 carbon-free energy score (PyPSA 247-cfe): clean share hour by hour."""
    committed_it_capacity_gw: dict[str, dict[Year, NonNegative]] = {}
    """Announced IT capacity built in ``{region: {year: GW}}`` whatever the demand. With
    model years a few years apart, a build lands in the model year whose span holds it."""


class MarketConfig(_Frozen):
    """What a million tokens sells for, for revenue and the revenue gap."""

    price_usd_per_mtok: YearValue = {2025: 2.0, 2030: 0.5}
    """Blended market price per million tokens (input and output). 2025: between
    DeepSeek-R1 ($0.55 in / $2.19 out) and GPT-5 ($1.25 / $10); our blended estimate.
    It falls 4x to 2030, in step with the 4x gain in tokens per kWh of
    ``inputs/hardware.csv`` (our assumption: competition passes efficiency through)."""
    revenue_musd: YearValue | None = None
    """Explicit AI revenue trajectory; replaces tokens x price when set."""


class TimeConfig(_Frozen):
    """Time resolution of dispatch."""

    representative_days: Annotated[int, Field(ge=1, le=365)] = 4
    """Representative days chosen by tsam; 365 is the full hourly year."""


class SolverConfig(_Frozen):
    """HiGHS options."""

    time_limit_s: Positive = 600.0
    method: Literal["choose", "simplex", "ipm", "pdlp"] = "choose"
    threads: Annotated[int, Field(ge=0)] = 0
    """0 lets HiGHS choose."""
    primal_feasibility_tolerance: Positive = 1e-7
    dual_feasibility_tolerance: Positive = 1e-7


class UniformDist(_Frozen):
    """Every value between ``low`` and ``high`` equally likely."""

    dist: Literal["uniform"]
    low: float
    high: float

    @model_validator(mode="after")
    def _ordered(self) -> UniformDist:
        if not self.low < self.high:
            raise ValueError("low < high")
        return self


class TriangularDist(_Frozen):
    """Most likely ``mode``, falling linearly to zero at ``low`` and ``high``."""

    dist: Literal["triangular"]
    low: float
    mode: float
    high: float

    @model_validator(mode="after")
    def _ordered(self) -> TriangularDist:
        if not (self.low <= self.mode <= self.high and self.low < self.high):
            raise ValueError("low <= mode <= high, low < high")
        return self


class NormalDist(_Frozen):
    """Normal with ``mean`` and standard deviation ``sd``, cut to [low, high] if given."""

    dist: Literal["normal"]
    mean: float
    sd: Positive
    low: float | None = None
    high: float | None = None

    @model_validator(mode="after")
    def _ordered(self) -> NormalDist:
        if self.low is not None and self.high is not None and not self.low < self.high:
            raise ValueError("low < high")
        return self


class LognormalDist(_Frozen):
    """Log-normal: ln(value) is normal with median ``median`` and sd ``sigma``; cut to
    [low, high] if given. Suits positive quantities known within a factor (x2: sigma 0.42
    puts 90% of the values within a factor of 2 of the median)."""

    dist: Literal["lognormal"]
    median: Positive
    sigma: Positive
    low: NonNegative | None = None
    high: Positive | None = None

    @model_validator(mode="after")
    def _ordered(self) -> LognormalDist:
        if self.low is not None and self.high is not None and not self.low < self.high:
            raise ValueError("low < high")
        return self


class ChoiceDist(_Frozen):
    """One of ``values``, each equally likely (e.g. an integer life in years)."""

    dist: Literal["choice"]
    values: Annotated[list[Any], Field(min_length=1)]


Distribution = Annotated[
    UniformDist | TriangularDist | NormalDist | LognormalDist | ChoiceDist,
    Field(discriminator="dist"),
]


class UncertainConfig(_Frozen):
    """Uncertain settings: each drawn from a distribution, one run per sample.

    The scenario fans out into runs ``<name>__sample=0000``... along a ``sample``
    dimension (:mod:`energymodel.scenario.uncertain`); the analysis gives Sobol, Morris or
    RBD-FAST sensitivity indices of the headline outputs (SALib).
    """

    method: Literal["latin", "sobol", "morris"] = "latin"
    """``latin``: Latin hypercube, ``samples`` runs, first-order indices by RBD-FAST.
    ``sobol``: Saltelli's scheme on a scrambled Sobol' sequence, N (k + 2) runs for k
    settings with N = round(samples / (k + 2)): first-order and total Sobol indices.
    ``morris``: r (k + 1) runs in r = round(samples / (k + 1)) one-at-a-time trajectories:
    the elementary-effect screening (mu*, sigma)."""
    samples: Annotated[int, Field(ge=2, le=100_000)] = 100
    """Runs wanted; ``sobol`` and ``morris`` round to whole groups (see ``method``)."""
    seed: Annotated[int, Field(ge=0)] = 1
    """Seed of the sampling: the same seed, the same runs."""
    morris_levels: Annotated[int, Field(ge=2, le=20)] = 4
    """Grid levels of the Morris design; values are taken at the levels' mid-quantiles."""
    distributions: Annotated[dict[str, Distribution], Field(min_length=1)]
    """Dotted setting -> its distribution, e.g. ``finance.wacc: {dist: uniform, low:
    0.07, high: 0.13}``; a year of a trajectory is ``market.price_usd_per_mtok.2030``."""


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
    uncertain: UncertainConfig | None = None
    """Distributions of uncertain settings; the file fans out into one run per sample."""
    sample: Annotated[int, Field(ge=0)] | None = None
    """Set on each run ``uncertain`` produces: its position along ``sample``."""
    sample_values: dict[str, Any] = {}
    """Set on each run ``uncertain`` produces: the values it drew (for the coordinates)."""

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
