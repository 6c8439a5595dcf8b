"""The ranges of scenario knobs: caps, field metadata, number types and the input links.

Every number is finite and has a physical range. A knob that overrides an input-table
value takes its range from the table's manifest (:func:`_as_in`), so each bound is set
once and a scenario can never set what ``inputs/`` forbids; the caps below bound the rest
(and the table values the manifest leaves open) far above any real case. The schema
(:mod:`energymodel.scenario.schema`) builds its fields from these.
"""

from __future__ import annotations

import itertools
from typing import Annotated, Any, TypeAlias, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from energymodel.data.manifest import TABLES

GW_MAX = 10_000.0
"""GW: the world's whole power system is about 9,000 GW."""
TWH_MAX = 100_000.0
"""TWh a year (or GW, for demand in GW): world electricity is about 30,000 TWh."""
MULTIPLIER_MAX = 100.0
"""Any ``*_multiplier`` or scale."""
USD_PER_KW_MAX = 1_000_000.0
PRICE_USD_PER_MMBTU_MAX = 1_000.0
CARBON_USD_PER_TCO2_MAX = 10_000.0
EMISSIONS_MTCO2_MAX = 100_000.0
PENALTY_USD_PER_MWH_MAX = 10_000_000.0
TOKEN_PRICE_USD_PER_MTOK_MAX = 10_000.0
REVENUE_MUSD_MAX = 100_000_000.0
"""M$ a year: 100 trillion dollars."""
TOKENS_PER_KWH_MAX = 1e12
TOKENS_TN_MAX = 1e12
"""Trillion tokens a year (the baseline serves about 4e6 in 2030)."""


def _in(lo: float | None = 0.0, hi: float | None = None, *, gt: float | None = None) -> Any:
    """Field metadata: a finite number in ``[lo, hi]`` (``gt``: strictly above it instead)."""
    if gt is not None:
        return Field(gt=gt, le=hi, allow_inf_nan=False)
    return Field(ge=lo, le=hi, allow_inf_nan=False)


def _as_in(table: str, parameter: str, hi: float | None = None, *, whole: bool = False) -> Any:
    """Field metadata: the range ``inputs/<table>.csv`` allows for ``parameter``.

    ``hi`` caps it where the manifest has no upper bound (or a higher one); ``whole``
    for an int (years, lives), which cannot be inf or NaN anyway.
    """
    lo, top = TABLES[table].parameters[parameter].bounds(parameter)
    if hi is not None:
        top = hi if top is None else min(top, hi)
    return Field(ge=lo, le=top) if whole else _in(lo, top)


Year = Annotated[int, Field(ge=2000, le=2100)]
T = TypeVar("T")
ByYear: TypeAlias = T | dict[Year, T]
"""One number for every year, or ``{year: number}``."""
Fraction = Annotated[float, _in(0.0, 1.0)]
NonNegative = Annotated[float, _in(0.0)]
Positive = Annotated[float, _in(gt=0.0)]
Multiplier = Annotated[float, _in(0.0, MULTIPLIER_MAX)]
PositiveMultiplier = Annotated[float, _in(gt=0.0, hi=MULTIPLIER_MAX)]
Gigawatts = Annotated[float, _in(0.0, GW_MAX)]
YearValue = ByYear[NonNegative]
FractionByYear = ByYear[Fraction]
TokensPerKwh = ByYear[
    Annotated[float, _as_in("hardware", "tokens_per_kwh_chat", TOKENS_PER_KWH_MAX)]
]


def _at_year(value: float | dict[int, float], year: int) -> float:
    """A year trajectory's value in ``year`` (linear between given years, flat outside)."""
    if not isinstance(value, dict):
        return float(value)
    given = sorted(value.items())
    if year <= given[0][0]:
        return float(given[0][1])
    for (y0, v0), (y1, v1) in itertools.pairwise(given):
        if year <= y1:
            return float(v0 + (v1 - v0) * (year - y0) / (y1 - y0))
    return float(given[-1][1])


FROM_INPUTS: dict[str, tuple[str, str]] = {
    "hardware.tokens_per_kwh": ("hardware", "tokens_per_kwh_chat"),
    "hardware.it_capex_usd_per_kw": ("hardware", "it_capex_usd_per_kw"),
    "hardware.it_life_yr": ("hardware", "it_life_yr"),
    "hardware.facility_capex_usd_per_kw": ("hardware", "facility_capex_usd_per_kw"),
    "hardware.facility_life_yr": ("hardware", "facility_life_yr"),
    "hardware.pue_ratio": ("regions", "pue_ratio"),
    "hardware.max_draw_frac": ("hardware", "max_draw_frac"),
    "hardware.avg_utilisation_frac": ("hardware", "avg_utilisation_frac"),
    "hardware.max_build_gw_per_yr": ("hardware", "max_build_gw_per_yr"),
    "hardware.kw_per_gpu": ("hardware", "it_kw_per_gpu"),
    "hardware.existing_it_capacity_gw.*": ("regions", "existing_it_capacity_gw"),
    "hardware.accelerator_life_yr.*": ("accelerators", "life_yr"),
    "prices.gas_usd_per_mmbtu": ("fuels", "price_usd_per_mmbtu"),
    "grid.max_new_connection_gw_per_yr.*": ("regions", "max_new_connection_gw_per_yr"),
    "grid.connection_ceiling_gw.*": ("regions", "connection_ceiling_gw"),
    "grid.existing_connection_gw.*": ("regions", "existing_connection_gw"),
    "supply.max_build_gw_per_yr.*": ("technologies", "max_build_gw_per_yr"),
    "supply.available_from_year.*": ("technologies", "available_from_year"),
    "supply.life_yr.*": ("technologies", "life_yr"),
    "supply.fom_usd_per_kw_yr.*": ("technologies", "fom_usd_per_kw_yr"),
    "supply.firm_credit_frac.*": ("technologies", "firm_credit_frac"),
}
"""Knobs that replace an input-table value -> (table, parameter) whose range they share
(``*``: every value of the mapping). ``tests/test_reliability.py`` checks each range."""


def input_range(path: tuple[Any, ...], bound: float | None = None) -> str:
    """For a key path under :data:`FROM_INPUTS`: the range its input table allows, in words.

    E.g. ``("hardware", "pue_ratio", 2030)`` -> ``"pue_ratio in regions.csv: 1..3"``;
    ``""`` for any other path, or when ``bound`` (the one a value broke) is not the table's
    but one of the schema's own caps.
    """
    for n in range(len(path), 0, -1):
        key = ".".join(str(p) for p in path[:n])
        link = FROM_INPUTS.get(key) or (FROM_INPUTS.get(f"{key}.*") if n < len(path) else None)
        if link:
            table, parameter = link
            lo, hi = TABLES[table].parameters[parameter].bounds(parameter)
            if bound is not None and bound not in (lo, hi):
                return ""
            if hi is None:
                return "" if lo is None else f"{parameter} in {TABLES[table].file}: >= {lo:g}"
            span = f"<= {hi:g}" if lo is None else f"{lo:g}..{hi:g}"
            return f"{parameter} in {TABLES[table].file}: {span}"
    return ""


class _Frozen(BaseModel):
    """A section of the schema: unknown keys rejected, values never changed after loading."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)
