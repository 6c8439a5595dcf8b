"""Assemble ``hourly_profiles.csv``: measured where it exists, documented estimates elsewhere.

Hour 0 is **2022-01-01 00:00 UTC** for every column (columns of different regions are
simultaneous). Per region ``r``:

``solar_pv:r``
    us_*: EIA-930 2022 measured fleet (PJM, ERCO, CISO) normalised by the rolling
    capacity proxy of :mod:`.eia930` (the same weather year as wind, load, carbon and
    price); europe: pvlib on the PVGIS TMY (fixed tilt); china, asia_pacific,
    rest_of_world: estimate, pvlib clear-sky tracker at a named site x the daily
    clearness sequence of a measured TMY, scaled to a published annual CF. The pvlib
    TMY output of the five US sites is computed as a cross-check (build log, tests).
``wind_onshore:r``
    us_*: EIA-930 2022 measured fleets (PJM; ERCO; CISO+BPAT pooled); other regions:
    estimate, a measured 2022 fleet series (MISO or CISO) re-timed to the region's local
    time, optionally shifted by whole weeks, scaled linearly to a published annual CF, so
    that calm spells keep a measured length and frequency.
``grid_carbon:r`` (tCO2/MWh) and ``grid_clean:r`` (fraction)
    us_*: EIA-930 2022 hourly fuel mix, direct combustion factors (EIA 2022); others:
    estimate from annual shares (:mod:`.grid_estimates`).
``grid_price:r`` (ratio, mean 1)
    convex function of net load (:mod:`.prices`).
``inference_load:r`` (ratio, mean 1)
    Google cluster trace weekly shape in local time (:mod:`.load`).
``other_load:r`` (ratio, mean 1)
    demand of everyone but the AI data centres: EIA-930 cleaned 2018 demand (PJM, ERCO,
    CISO) and EU-27 2023 load, moved by whole days so weekdays match 2022; other regions:
    estimate, the PJM shape re-timed to local time (:mod:`.grid_raw`).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from energymodel.data.build import eia930, grid_estimates, grid_raw, load, prices, solar
from energymodel.data.build.regions_map import (
    BA_SITE_FILE,
    ESTIMATED,
    EUROPE_TMY,
    GRID_BAS,
    REGIONS,
    SOLAR_BA,
    US_REGIONS,
    US_SITE_FILES,
    UTC_OFFSET_H,
    WIND_KEY,
)

logger = logging.getLogger(__name__)

HOURS = 8760
DONOR_UTC_OFFSET_H = {"MISO": -6, "CISO": -8, "ERCO": -6, "PJM": -5, "BPAT": -8}
PROFILES = (
    "solar_pv",
    "wind_onshore",
    "grid_price",
    "inference_load",
    "grid_carbon",
    "grid_clean",
    "other_load",
)


@dataclass
class Built:
    """The profile table plus what the build learned (calibration, sources, checks)."""

    table: pd.DataFrame
    sources: dict[str, str] = field(default_factory=dict)
    notes: dict[str, float] = field(default_factory=dict)
    pooled: dict[str, pd.DataFrame] = field(default_factory=dict)


def _seasonal_clearsky(raw: Path, ba: str) -> pd.Series:
    """Monthly clear-sky peak of a tracker at the BA's site / the year's (solar envelope)."""
    w = solar.read_epw(raw / "weather_tmy" / BA_SITE_FILE[ba])
    cs = solar.clearsky_profile(w.latitude, w.longitude)
    s = pd.Series(cs, index=pd.date_range("2022-01-01", periods=HOURS, freq="h", tz="UTC"))
    smooth = s.rolling(3, center=True, min_periods=1).mean()
    peak = smooth.groupby(smooth.index.month).max()
    return peak / peak.max()


def _roll(values: np.ndarray, hours: int) -> np.ndarray:
    """``out[u] = values[u + hours]`` (wrapping)."""
    return np.roll(values, -hours)


def build_profiles(raw: Path) -> Built:
    """Build every hourly column from the raw folder."""
    out: dict[str, np.ndarray] = {}
    built = Built(table=pd.DataFrame())
    gens = {ba: eia930.read_ba(raw, ba) for ba in ("PJM", "ERCO", "CISO", "BPAT", "MISO")}

    # --- US wind and solar: measured fleets
    wind_ratio: dict[str, np.ndarray] = {}
    for key in ("PJM", "ERCO", "CISO+BPAT"):
        bas = key.split("+")
        output = sum(gens[b]["WND"] for b in bas)
        target = eia930.CF_TARGETS[(key, "WND")]
        cf, k = eia930.capacity_factor(output, target.value)
        wind_ratio[key] = cf.to_numpy()
        built.notes[f"k_wind:{key}"] = k
    for region in US_REGIONS:
        key = WIND_KEY[region]
        t = eia930.CF_TARGETS[(key, "WND")]
        out[f"wind_onshore:{region}"] = wind_ratio[key]
        built.sources[f"wind_onshore:{region}"] = (
            f"EIA-930 2022 net generation WND of {key} (UTC), / rolling capacity proxy "
            f"(monthly peak, running max), scaled to annual CF {t.value} ({t.source}); "
            f"implied fleet peak/nameplate k = {built.notes[f'k_wind:{key}']:.2f}"
        )
    for region in US_REGIONS:
        ba = SOLAR_BA[region]
        t = eia930.CF_TARGETS[(ba, "SUN")]
        cf, k = eia930.capacity_factor(gens[ba]["SUN"], t.value, _seasonal_clearsky(raw, ba))
        built.notes[f"k_solar:{ba}"] = k
        out[f"solar_pv:{region}"] = cf.to_numpy()
        built.sources[f"solar_pv:{region}"] = (
            f"EIA-930 2022 net generation SUN of {ba} (UTC), / rolling capacity proxy "
            f"(monthly peak over pvlib clear-sky seasonal peak, running max), scaled to annual "
            f"CF {t.value} ({t.source}); implied k = {k:.2f}"
        )
    for name, fname in US_SITE_FILES.items():  # cross-check: pvlib on the US TMY sites
        reader = solar.read_tmy3 if fname.endswith(".csv") else solar.read_epw
        built.notes[f"pvlib_tmy_cf:{name}"] = float(
            solar.site_profile(reader(raw / "weather_tmy" / fname), tracking=True).mean()
        )

    # --- regions without measured fleets
    for region, est in ESTIMATED.items():
        off = UTC_OFFSET_H[region]
        if est.solar_cf is None:
            w = solar.read_pvgis(raw / "weather_tmy" / EUROPE_TMY)
            pv = solar.site_profile(w, tracking=False)
            built.sources[f"solar_pv:{region}"] = (
                f"pvlib on PVGIS TMY 2005-2023 at {est.site} (UTC): {solar.SYSTEM_FIXED}; "
                f"annual CF {pv.mean():.3f}, not rescaled"
            )
        else:
            cs = solar.clearsky_profile(est.latitude, est.longitude)
            donor = est.clearness_donor
            reader = solar.read_tmy3 if donor.endswith(".csv") else solar.read_epw
            kt = solar.daily_clearness(reader(raw / "weather_tmy" / donor))
            day = ((np.arange(HOURS) + off) // 24) % 365
            pv = solar.scale_to_cf(cs * kt[day], est.solar_cf)
            built.sources[f"solar_pv:{region}"] = (
                f"estimate: pvlib clear-sky (Ineichen) tracker at {est.site} x daily clearness "
                f"of the {donor} TMY, scaled to annual CF {est.solar_cf} ({est.solar_cf_source})"
            )
        out[f"solar_pv:{region}"] = pv
        donor_gen = gens[est.wind_donor]["WND"]
        ratio = eia930.capacity_factor(donor_gen, 0.3)[0].to_numpy()  # shape only
        shift = off - DONOR_UTC_OFFSET_H[est.wind_donor] + 24 * est.wind_shift_days
        wind = solar.scale_to_cf(_roll(ratio, shift), est.wind_cf)
        out[f"wind_onshore:{region}"] = wind
        shifted = f", shifted {est.wind_shift_days:+d} days" if est.wind_shift_days else ""
        built.sources[f"wind_onshore:{region}"] = (
            f"estimate: measured EIA-930 2022 {est.wind_donor} wind fleet series re-timed to "
            f"local time (UTC{off:+d}){shifted}, scaled to annual CF {est.wind_cf} "
            f"({est.wind_cf_source}); no measured hourly wind here"
        )

    # --- grid carbon and clean share
    pooled = {r: sum(gens[b] for b in GRID_BAS[r]) for r in US_REGIONS}
    built.pooled = pooled
    for region in US_REGIONS:
        names = "+".join(GRID_BAS[region])
        out[f"grid_carbon:{region}"] = eia930.grid_carbon(pooled[region]).to_numpy()
        out[f"grid_clean:{region}"] = eia930.clean_share(pooled[region]).to_numpy()
        built.sources[f"grid_carbon:{region}"] = (
            f"EIA-930 2022 hourly generation mix of {names}, direct CO2 factors "
            "(EIA FAQ 74, 2022: coal 1.044, gas 0.440, oil 1.090 t/MWh)"
        )
        built.sources[f"grid_clean:{region}"] = (
            f"EIA-930 2022 hourly share of wind+solar+hydro+nuclear in generation of {names}"
        )
    for region in ESTIMATED:
        carbon, clean, src = grid_estimates.hourly(
            region, out[f"wind_onshore:{region}"], out[f"solar_pv:{region}"]
        )
        out[f"grid_carbon:{region}"], out[f"grid_clean:{region}"] = carbon, clean
        built.sources[f"grid_carbon:{region}"] = src
        built.sources[f"grid_clean:{region}"] = src

    # --- grid price shape
    for region in US_REGIONS:
        nl = eia930.net_load(pooled[region]).to_numpy()
        shape, beta = prices.price_shape(nl, UTC_OFFSET_H[region])
        out[f"grid_price:{region}"] = shape
        built.notes[f"price_beta:{region}"] = beta
        built.sources[f"grid_price:{region}"] = prices.source_text(
            f"EIA-930 2022 net load of {'+'.join(GRID_BAS[region])} (generation - wind - solar)",
            beta,
        )
    demand_donor = (
        eia930.net_load(gens["PJM"]).to_numpy()
        + (gens["PJM"]["WND"] + gens["PJM"]["SUN"]).to_numpy()
    )
    for region in ESTIMATED:
        nl, what = grid_estimates.net_load(
            region,
            demand_donor,
            DONOR_UTC_OFFSET_H["PJM"],
            out[f"wind_onshore:{region}"],
            out[f"solar_pv:{region}"],
        )
        shape, beta = prices.price_shape(nl, UTC_OFFSET_H[region])
        out[f"grid_price:{region}"] = shape
        built.notes[f"price_beta:{region}"] = beta
        built.sources[f"grid_price:{region}"] = "estimate: " + prices.source_text(what, beta)

    # --- inference load
    weekly = load.weekly_shape(raw)
    for region in REGIONS:
        out[f"inference_load:{region}"] = load.place(weekly, UTC_OFFSET_H[region])
        built.sources[f"inference_load:{region}"] = load.SOURCE.format(off=UTC_OFFSET_H[region])

    # --- load of everyone else (grid system mode)
    for region, (shape, source) in grid_raw.other_load_profiles(raw).items():
        out[f"other_load:{region}"] = shape
        built.sources[f"other_load:{region}"] = source

    cols = [f"{p}:{r}" for p in PROFILES for r in REGIONS]
    table = pd.DataFrame({c: out[c] for c in cols})
    table.insert(0, "hour", np.arange(HOURS))
    built.table = table
    return built


UNITS = {
    "solar_pv": "fraction",
    "wind_onshore": "fraction",
    "grid_price": "ratio",
    "inference_load": "ratio",
    "grid_carbon": "tCO2/MWh",
    "grid_clean": "fraction",
    "other_load": "ratio",
}


def source_rows(
    built: Built, us_annual: dict[str, tuple[float, float, str]]
) -> list[dict[str, object]]:
    """``hourly_sources.csv``: the unit and source of every column of the hourly table.

    ``us_annual`` holds the generation-weighted annual grid carbon and clean share of the
    US regions (:func:`energymodel.data.build.tables.us_grid_annual`), written beside
    their hourly sources.
    """
    rows: list[dict[str, object]] = [
        {
            "column": "hour",
            "unit": "h",
            "source": "hour of the year; hour 0 = 2022-01-01 00:00 UTC in every column",
        }
    ]
    for col in built.table.columns[1:]:
        profile, region = col.split(":", 1)
        source = built.sources[col]
        if region in us_annual and profile in ("grid_carbon", "grid_clean"):
            carbon, clean, _ = us_annual[region]
            value = carbon if profile == "grid_carbon" else clean
            source = f"{source}; generation-weighted 2022 mean {value:.4f}"
        rows.append({"column": col, "unit": UNITS[profile], "source": source})
    return rows
