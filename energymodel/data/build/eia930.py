"""EIA-930 hourly generation 2022: capacity factors, grid carbon, clean share, net load.

Raw files: ``eia930_generation_2022/<BA>.csv`` (UTC, MW by fuel, 8,760 h). Cleaning:
missing hours (PJM 23, CISO 3, MISO 3) and hours whose total generation drops below half
of the median of the surrounding 24 h (reporting glitches, e.g. PJM nuclear at 0) are
filled by linear interpolation in time.

Capacity factors. Net generation of a fleet that grew during 2022 is normalised by a
*rolling installed-capacity proxy*, not by the year's maximum:

1. ``M_m``: the highest 3-hour-mean output of calendar month ``m`` (a 3 h mean keeps
   one-hour spikes out);
2. solar only: ``M_m`` is divided by the month's clear-sky maximum relative to the
   year's (pvlib clear-sky single-axis tracker at the BA's representative TMY site), so
   the low winter sun is not read as missing capacity;
3. a running maximum over months (a fleet does not shrink within a year; a calm or cloudy
   month that never reaches full output is not read as lost capacity);
4. linear interpolation between mid-months to hours -> ``E_t`` (the envelope);
5. ``CF_t = k x output_t / E_t``, with ``k`` (fleet peak output / nameplate) solved so the
   annual mean CF equals the published target in :data:`CF_TARGETS`. ``k`` is reported:
   a plausible fleet has 0.7-0.95 (geographic smoothing keeps a fleet below nameplate).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from energymodel.data.build.constants import CLEAN_FUELS, DIRECT_TCO2_PER_MWH

logger = logging.getLogger(__name__)

FUELS = ("WND", "SUN", "WAT", "OIL", "NG", "COL", "NUC", "OTH")
HOURS = 8760


@dataclass(frozen=True)
class CfTarget:
    """A published annual capacity factor that the fleet profile is calibrated to."""

    value: float
    source: str


# Annual fleet capacity factors the EIA-930 profiles are scaled to (see module docstring).
# Published anchors: EIA Electric Power Annual Table 4.08.B (US fleet 2014-2021: wind
# 32.2-35.3 %, utility PV 24.2-25.6 %); S&P Global Market Intelligence "Visualizing wind /
# solar capacity, performance across the US" (29 Mar 2022): 2020 US wind 35.5 %, SPP the
# highest ISO at 42 %; US solar 24.4 %, CAISO ~27 % the highest ISO; LBNL Utility-Scale
# Solar 2023 edition: 2022 plant-level AC capacity factors 9-35 %, median 24 %.
CF_TARGETS: dict[tuple[str, str], CfTarget] = {
    ("ERCO", "WND"): CfTarget(
        0.36,
        "estimate: ERCOT wind fleet 0.36, above the US fleet 35.3 % (EIA EPA 4.08.B, 2020) "
        "and below SPP 42 % (S&P Global 2020 ISO ranking)",
    ),
    ("PJM", "WND"): CfTarget(
        0.29,
        "estimate: PJM wind fleet 0.29 (Appalachian ridge and Illinois/Indiana plants), below "
        "the US fleet 32-35 % (EIA EPA 4.08.B 2014-2021)",
    ),
    ("CISO+BPAT", "WND"): CfTarget(
        0.29,
        "estimate: California and Columbia Gorge wind fleets 0.29, below the US fleet 32-35 % "
        "(EIA EPA 4.08.B; EIA: West Coast wind below the national mean)",
    ),
    ("ERCO", "SUN"): CfTarget(
        0.24,
        "estimate: ERCOT utility PV 0.24 = LBNL Utility-Scale Solar 2023 median 24 % (2022); "
        "US fleet 24-26 % (EIA EPA 4.08.B)",
    ),
    ("PJM", "SUN"): CfTarget(
        0.20,
        "estimate: PJM PV 0.20 (Mid-Atlantic irradiance, older fixed-tilt fleet), inside LBNL "
        "2022 plant range 9-35 %",
    ),
    ("CISO", "SUN"): CfTarget(
        0.27,
        "S&P Global Market Intelligence (Mar 2022): CAISO solar capacity factor ~27 % (2020), "
        "the highest ISO",
    ),
}


def read_ba(raw: Path, ba: str) -> pd.DataFrame:
    """Read one balancing authority's 2022 generation, cleaned (MW by fuel, UTC index)."""
    df = pd.read_csv(raw / "eia930_generation_2022" / f"{ba}.csv")
    df.index = pd.DatetimeIndex(pd.to_datetime(df.pop("timestamp"), utc=True), name="utc")
    if len(df) != HOURS:
        raise ValueError(f"{ba}: expected {HOURS} hours, found {len(df)}")
    gen = df[list(FUELS)].astype(float).clip(lower=0.0)
    total = gen.sum(axis=1, min_count=1)
    local = total.rolling(25, center=True, min_periods=1).median()
    bad = total.isna() | (total < 0.5 * local)
    gen[bad] = np.nan
    gen = gen.interpolate(method="linear", limit_direction="both")
    logger.info("%s: %d hours filled (missing or glitch)", ba, int(bad.sum()))
    return gen


def envelope(output: pd.Series, seasonal: pd.Series | None = None) -> pd.Series:
    """Rolling installed-capacity proxy ``E_t`` of a fleet (module docstring, steps 1-4)."""
    smooth = output.rolling(3, center=True, min_periods=1).mean()
    month = smooth.index.month
    peak = smooth.groupby(month).max()
    if seasonal is not None:
        peak = peak / seasonal.reindex(peak.index)
    peak = peak.cummax()
    start = output.index[0]
    mid = [pd.Timestamp(start.year, m, 15, tz=start.tz) for m in peak.index]
    x = np.array([(t - start) / pd.Timedelta(hours=1) for t in mid], dtype=float)
    t = np.asarray((output.index - start) / pd.Timedelta(hours=1), dtype=float)
    env = np.interp(t, x, peak.to_numpy(float))
    if seasonal is not None:
        seas = np.interp(t, x, seasonal.reindex(peak.index).to_numpy(float))
        env = env * seas
    return pd.Series(env, index=output.index)


def capacity_factor(
    output: pd.Series, target: float, seasonal: pd.Series | None = None
) -> tuple[pd.Series, float]:
    """Hourly CF from output, normalised by the envelope and scaled to ``target``.

    Returns the CF series (0..1) and ``k``, the fleet peak output / nameplate ratio
    implied by the calibration.
    """
    ratio = (output / envelope(output, seasonal)).clip(0.0, 1.0)
    k = target / float(ratio.mean())
    for _ in range(20):  # clipping at 1 lowers the mean: iterate k until it holds
        cf = (k * ratio).clip(0.0, 1.0)
        k *= target / float(cf.mean())
    return (k * ratio).clip(0.0, 1.0), k


def grid_carbon(gen: pd.DataFrame) -> pd.Series:
    """Hourly direct CO2 intensity of generation (tCO2/MWh), EIA 2022 emission factors."""
    emis = sum(gen[f] * DIRECT_TCO2_PER_MWH[f] for f in FUELS)
    return emis / gen.sum(axis=1)


def clean_share(gen: pd.DataFrame) -> pd.Series:
    """Hourly share of wind, solar, hydro and nuclear in generation (fraction)."""
    return gen[list(CLEAN_FUELS)].sum(axis=1) / gen.sum(axis=1)


def net_load(gen: pd.DataFrame) -> pd.Series:
    """Net load proxy (MW): total generation less wind and solar."""
    return gen.sum(axis=1) - gen["WND"] - gen["SUN"]
