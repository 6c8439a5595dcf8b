"""The demand section of a scenario: what is demanded, in which unit, how it splits and how it
answers the price; and the names of workloads and inference model classes."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import model_validator

from energymodel.scenario.ranges import (
    PENALTY_USD_PER_MWH_MAX,
    TOKENS_TN_MAX,
    TWH_MAX,
    ByYear,
    Fraction,
    FractionByYear,
    Multiplier,
    Year,
    _at_year,
    _Frozen,
    _in,
)

ELASTICITY_MAX = 3.0
"""Highest price elasticity of token demand a scenario may set (published estimates for
digital services lie well below; the Jevons question needs up to about 1.5)."""

WORKLOADS = ("training", "inference")
MODEL_CLASSES = ("chat", "reasoning")
"""Inference model classes: they share the inference fleet and differ in tokens per kWh
(``hardware.tokens_per_kwh``) and in their share of inference energy
(``demand.inference_mix_frac``)."""
ModelClass = Literal["chat", "reasoning"]
Workload = Literal["training", "inference"]


class DemandConfig(_Frozen):
    """AI compute demand: which trajectory, in which unit, and how it splits."""

    trajectory: str = "bain_2025"
    """Name of a trajectory in ``inputs/demand.csv`` (its rows carry their unit)."""
    values: dict[str, dict[Year, Annotated[float, _in(0.0, TOKENS_TN_MAX)]]] | None = None
    """Inline demand ``{region: {year: value}}`` in ``unit``; replaces the table."""
    unit: Literal["TWh", "GW", "tokens"] | None = None
    """Unit of ``values``: TWh of facility electricity a year, GW of facility power
    capacity (converted with ``capacity_factor_frac``), or ``tokens``: trillion inference
    tokens a year (training then in ``training_twh``; the tokens split among the model
    classes as the inference energy does, ``inference_mix_frac``). Required with
    ``values``; with a trajectory it must match the unit of the trajectory's rows."""
    service: Literal["energy", "tokens"] | None = None
    """What the demand holds fixed (or, with ``elasticity``, answers the price with):
    ``energy``, the IT energy of the trajectory, so that an efficiency gain
    (``hardware.efficiency_multiplier``) is spent on more tokens and energy does not move
    (the behaviour before 0.2); or ``tokens``, the inference tokens, so that an efficiency
    gain cuts the energy needed unless cheaper tokens sell more of them. Demand in TWh or
    GW becomes tokens at the reference tokens per kWh: ``hardware.tokens_per_kwh`` (the
    inputs' fleet path) *before* ``efficiency_multiplier``, i.e. the tokens the trajectory's
    energy serves on the reference hardware. Training sells no tokens and stays energy.
    Default: ``tokens`` with ``unit: tokens``, else ``energy``. Needed (``tokens``) for
    ``elasticity`` and ``hardware.accelerators``."""
    training_twh: ByYear[Annotated[float, _in(0.0, TWH_MAX)]] | None = None
    """With ``unit: tokens``: training demand in TWh of facility electricity a year,
    world-wide (training sells no tokens), shared among regions like the tokens; required
    there (0 for none)."""
    elasticity: ByYear[Annotated[float, _in(0.0, ELASTICITY_MAX)]] = 0.0
    """Constant price elasticity of token demand, ``Q = Q0 (P / P0) ** -elasticity``
    around the reference of each year and region: ``P0`` the market price
    (``market.price_usd_per_mtok``), ``Q0`` the scenario's token demand. The LP then
    serves tokens up to where their marginal cost meets what buyers pay and maximises
    welfare (the TIMES elastic-demand method: the curve in steps of 1/12 of a decade in
    quantity, from Q0 / 10 to 100 Q0; willingness to pay capped at 100 P0); its dual is
    the equilibrium token price. 0 (the default): fixed demand, exactly as before. Needs
    ``service: tokens``. Our range 0..3: the Jevons question turns on 1."""
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
    flexible_frac: Fraction | dict[Workload, Fraction] = {"training": 0.5, "inference": 0.1}
    """Share of each workload's load that may move within its representative day, its
    daily energy kept (one number: every workload). The flexible share goes to any hour
    of the day within the hourly draw limit (``hardware.max_draw_frac``); the rest
    follows the baseline (inference its hourly shape, training flat). Peer: Riepin &
    Brown's space-time flexible load. Training 0.5, our estimate: jobs checkpoint and can
    be slowed or paused, but clusters are rarely idled. Inference 0.1, our estimate of
    deferrable work: batch APIs return within 24 h at half price (Anthropic batch
    discount 50%), and evaluations, embeddings and synthetic data can wait;
    interactive requests cannot."""
    inference_mix_frac: dict[ModelClass, FractionByYear] = {"chat": 0.4, "reasoning": 0.6}
    """Share of inference IT energy by model class (sums to 1 in every year). Our
    estimate: ML.ENERGY v3.0 measures ~25x more energy per reasoning response than per
    chat response (~10x the output tokens), so if ~6% of 2025 responses are
    reasoning they take ~60% of inference energy (0.06 x 25 / (0.94 + 0.06 x 25)); held
    flat, as we found no measured trend. With the inputs' rates it gives 2.2 M tokens/kWh
    in 2025 (the former blended rate was 2.0 M)."""
    training_regions: list[str] | None = None
    """Regions where training may run (default: every region)."""
    unserved_penalty_usd_per_mwh: (
        ByYear[Annotated[float, _in(gt=0.0, hi=PENALTY_USD_PER_MWH_MAX)]] | None
    ) = None
    """Value of lost inference compute per MWh of IT energy; training is valued at
    ``training_value_frac`` of it. Default (None): what a MWh of inference earns, the
    market price x tokens per kWh (``market.price_usd_per_mtok`` x the energy-weighted
    tokens per kWh / 1000: ~4,400 $/MWh in the baseline), so demand is shed only where
    serving it costs more than it sells for."""
    training_value_frac: Annotated[float, _in(gt=0.0, hi=1.0)] = 0.8
    """Value of a MWh of training compute as a share of a MWh of inference. Training
    sells no tokens: it is worth what the models it makes will earn, which no input
    prices. Our choice: 0.8, high enough that training is served wherever inference
    would be (the all-in cost of a MWh of IT energy, ~2,400 $/MWh at the inputs' costs,
    is well below 0.8 x ~4,400), low enough that when capacity is short training yields
    first (a run can wait; a refused request is lost revenue). A GW of IT serves the
    same TWh of either workload (``hardware.avg_utilisation_frac``), so the 20% gap sets
    the order."""

    @model_validator(mode="before")
    @classmethod
    def _renamed(cls, data: Any) -> Any:
        if isinstance(data, dict) and "training_flexible_frac" in data:
            raise ValueError(
                "demand.flexible_frac instead of demand.training_flexible_frac (removed in "
                "0.2): e.g. flexible_frac: {training: 0.5, inference: 0.1}, or one number "
                "for every workload"
            )
        return data

    @model_validator(mode="after")
    def _mix_sums_to_one(self) -> DemandConfig:
        if set(self.inference_mix_frac) != set(MODEL_CLASSES):
            raise ValueError(
                f"demand.inference_mix_frac with every model class ({', '.join(MODEL_CLASSES)})"
            )
        years = sorted(
            {int(y) for v in self.inference_mix_frac.values() if isinstance(v, dict) for y in v}
        ) or [0]
        for year in years:
            total = sum(_at_year(v, year) for v in self.inference_mix_frac.values())
            if abs(total - 1.0) > 1e-6:
                where = f" in {year}" if year else ""
                raise ValueError(f"demand.inference_mix_frac summing to 1{where} (found {total:g})")
        return self

    @model_validator(mode="after")
    def _values_need_unit(self) -> DemandConfig:
        # on DemandConfig (not Scenario) so that the error points at the demand: key
        if self.values is not None and self.unit is None:
            raise ValueError("demand.unit (TWh, GW or tokens) given with demand.values")
        if self.unit in ("TWh", "GW") and self.values is not None:
            top = max((v for by_year in self.values.values() for v in by_year.values()), default=0)
            if top > TWH_MAX:
                raise ValueError(f"demand.values in {self.unit} of at most {TWH_MAX:g}")
        if self.unit == "tokens":
            if self.values is None:
                raise ValueError("demand.values (trillion tokens a year) with demand.unit: tokens")
            if self.training_twh is None:
                raise ValueError(
                    "demand.training_twh (facility TWh of training a year, world-wide; 0 for "
                    "none) with demand.unit: tokens: training sells no tokens"
                )
            if self.service == "energy":
                raise ValueError("demand.service: tokens (or none) with demand.unit: tokens")
        elif self.training_twh is not None:
            raise ValueError(
                "demand.training_twh only with demand.unit: tokens (else training is "
                "demand.training_share_frac of the energy)"
            )
        elastic = any(_at_year(self.elasticity, y) > 0 for y in _years_of(self.elasticity))
        if elastic and not self.holds_tokens:
            raise ValueError(
                "demand.service: tokens with demand.elasticity: elastic demand is demand for "
                "tokens (the energy trajectory becomes tokens at the reference tokens per kWh)"
            )
        return self

    @property
    def holds_tokens(self) -> bool:
        """Whether the demand holds inference tokens (not IT energy) fixed."""
        return self.service == "tokens" or (self.service is None and self.unit == "tokens")

    @property
    def is_elastic(self) -> bool:
        return any(_at_year(self.elasticity, y) > 0 for y in _years_of(self.elasticity))


def _years_of(value: Any) -> list[int]:
    """The years a trajectory names (one 0 for a single number)."""
    return sorted(value) if isinstance(value, dict) else [0]
