"""Generate ``inputs/hourly_profiles.csv``: synthetic, calibrated hourly shapes per region.

Run from the repository root (deterministic, seeded; no downloads)::

    .venv/bin/python inputs/make_hourly_profiles.py

Measured hourly series cannot be downloaded here, so the profiles are synthetic. Each is
built from a simple physical or documented shape, then calibrated to one sourced annual
figure. The model only sees the representative days that tsam picks from these shapes, so
what matters is the annual capacity factor, the day/night and seasonal pattern and a
plausible spread of cloudy, calm and windy days, not the weather of any real year.

Time: 8760 hours of a 365-day year (2025: 1 January is a Wednesday). Hour 0 is local
midnight, local *standard* time of the region (``utc_offset_h`` in ``regions.csv``; no
daylight saving). Columns of different regions are therefore not simultaneous.

Columns, for every region ``r``:

``solar_pv:r`` (availability, 0..1)
    Clear-sky solar geometry at the region's representative latitude (declination,
    hour angle, air mass; Meinel clear-sky beam attenuation ``0.7 ** AM ** 0.678``), on a
    one-axis-tracking-like surface (``cos(zenith) ** 0.6``, flatter than a horizontal
    panel), times a seeded daily clearness index (AR(1), lag-1 correlation 0.6, seasonal
    mean) and a small hourly noise. Scaled (with clipping at 1) so that the annual mean
    equals ``SOLAR_CF`` below.
``wind_onshore:r`` (availability, 0..1)
    A seeded AR(1) wind-speed index (hourly lag-1 correlation 0.97, about 1.5 days of
    memory) with a seasonal cycle (winter/spring maximum; southern-hemisphere-free) and a
    diurnal cycle (night maximum in the US plains, afternoon maximum elsewhere), passed
    through a generic power curve (cut-in 0.3, rated 1.0 of the scaled speed, cubic in
    between, cut-out 2.5) capped at 0.95 (fleet availability and losses, estimate). The speed scale is solved so that the annual mean equals ``WIND_CF``.
``grid_price:r`` (ratio, mean exactly 1)
    Wholesale-shape estimate, our own: cheap night (about 0.75), morning shoulder, midday
    dip where solar is large (us_west, us_texas, europe, china), evening peak (about 1.4
    at 18-20 h), higher in summer and winter (two-peak seasonal term, amplitude 0.12),
    weekends 5% lower. Deterministic (no noise).
``inference_load:r`` (ratio, mean exactly 1)
    Inference demand shape, our own estimate: trough about 0.75 around 04 h local, peak
    about 1.25 around 20 h local, piecewise linear in between; weekends 5% lower.

Ratio columns are rounded to 3 decimals and the rounding residual is spread over the
largest rounding errors so that every ratio column sums to exactly 8760 (mean exactly 1).
Availabilities are rounded to 3 decimals; the calibration is done on the rounded values.

Calibration sources (annual capacity factors; see ``inputs/README.md``):

- US utility PV 24-26% and wind 32-35% a year, 2014-2021: EIA Electric Power Annual
  Table 4.08.B. Regional values are our estimates around these: lower irradiance in the
  Mid-Atlantic (us_east 0.22), the national figure for Texas (0.25), desert South-West
  for us_west (0.28); Texas plains wind above the US mean (0.37), PJM/Midwest and WECC
  wind below it (0.30, 0.31).
- China: National Energy Administration, Jan-Aug 2023 utilisation hours: solar 907 h,
  wind 1,538 h over 5,832 h, i.e. 0.156 and 0.264; we use 0.15 and 0.26 for the full year
  (darker autumn months not in the window).
- Europe: EWEA (via sceo.info): PV about 10%, onshore wind 25-30%; we use 0.12 for
  solar (southern Europe raises the average; estimate) and 0.25 for wind.
- Asia-Pacific and rest of world: IRENA global weighted average of new utility PV about
  17% (Renewable Power Generation Costs 2021); estimates 0.17 (asia_pacific) and 0.21
  (rest_of_world: Gulf, Latin America, Africa with high irradiance); wind 0.27 and 0.33,
  estimates below IRENA's new-build onshore average (~0.39) for older fleets and sites.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

logger = logging.getLogger(__name__)

HOURS = 8760
DAYS = 365
SEED = 20250101
FIRST_WEEKDAY = 2  # 1 January 2025 is a Wednesday (Monday = 0)
OUT = Path(__file__).resolve().parent / "hourly_profiles.csv"

REGIONS = ("us_east", "us_texas", "us_west", "europe", "china", "asia_pacific", "rest_of_world")

# Representative latitude (degrees north) of each region's data-centre load.
LATITUDE_DEG = {
    "us_east": 38.9,  # Northern Virginia (Loudoun County)
    "us_texas": 31.5,  # central Texas (Abilene to Dallas)
    "us_west": 36.0,  # Arizona / Nevada / Oregon mix
    "europe": 50.1,  # Frankfurt (FLAP-D)
    "china": 36.0,  # eastern China load centres and Inner Mongolia hubs
    "asia_pacific": 20.0,  # India / South-East Asia / Japan mix
    "rest_of_world": 25.0,  # Gulf states
}

SOLAR_CF = {
    "us_east": 0.22,
    "us_texas": 0.25,
    "us_west": 0.28,
    "europe": 0.12,
    "china": 0.15,
    "asia_pacific": 0.17,
    "rest_of_world": 0.21,
}

WIND_CF = {
    "us_east": 0.30,
    "us_texas": 0.37,
    "us_west": 0.31,
    "europe": 0.25,
    "china": 0.26,
    "asia_pacific": 0.27,
    "rest_of_world": 0.33,
}

# Regions whose wind peaks at night (low-level jet of the US Great Plains and the Midwest).
NIGHT_WIND = {"us_texas", "us_east"}
# Regions with enough solar on the grid to dent midday prices.
SOLAR_PRICE_DIP = {"us_west": 0.20, "us_texas": 0.10, "europe": 0.10, "china": 0.08}

DECIMALS = 3
# A fleet never delivers its full nameplate: outages, wake and electrical losses (estimate).
WIND_MAX_AVAILABILITY = 0.95


def _hour_grid() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return day of year (1..365), local clock hour (0..23) and weekend flag per hour."""
    hour = np.arange(HOURS)
    day = hour // 24 + 1
    clock = hour % 24
    weekday = (FIRST_WEEKDAY + hour // 24) % 7
    return day, clock, weekday >= 5


def _clear_sky(lat_deg: float) -> np.ndarray:
    """Clear-sky output of a tracking-like PV surface, relative (0..~1), per hour."""
    day, clock, _ = _hour_grid()
    lat = np.radians(lat_deg)
    decl = np.radians(23.45) * np.sin(2 * np.pi * (284 + day) / 365)
    omega = np.radians(15.0 * (clock + 0.5 - 12.0))  # mid-hour, solar time ~ clock time
    cos_z = np.sin(lat) * np.sin(decl) + np.cos(lat) * np.cos(decl) * np.cos(omega)
    cos_z = np.clip(cos_z, 0.0, 1.0)
    air_mass = np.where(cos_z > 0.01, 1.0 / np.maximum(cos_z, 0.01), np.inf)
    beam = np.where(np.isfinite(air_mass), 0.7 ** (air_mass**0.678), 0.0)
    return beam * cos_z**0.6


def _ar1(rng: np.random.Generator, n: int, phi: float) -> np.ndarray:
    """Return a stationary AR(1) series with unit variance."""
    eps = rng.standard_normal(n) * np.sqrt(1 - phi**2)
    out = np.empty(n)
    out[0] = rng.standard_normal()
    for i in range(1, n):
        out[i] = phi * out[i - 1] + eps[i]
    return out


def _calibrate(
    raw: np.ndarray,
    target: float,
    transform: Callable[[np.ndarray], np.ndarray] | None = None,
) -> np.ndarray:
    """Scale ``raw`` by bisection so that mean(clip(round(scale * raw), 0, 1)) = target."""

    def shaped(scale: float) -> np.ndarray:
        x = scale * raw if transform is None else transform(scale * raw)
        return np.round(np.clip(x, 0.0, 1.0), DECIMALS)

    lo, hi = 0.0, 1.0
    while shaped(hi).mean() < target:
        hi *= 2.0
    for _ in range(80):
        mid = 0.5 * (lo + hi)
        if shaped(mid).mean() < target:
            lo = mid
        else:
            hi = mid
    return shaped(hi)


def solar_profile(region: str, rng: np.random.Generator) -> np.ndarray:
    """Return the hourly solar availability of ``region`` (0..1), calibrated to its CF."""
    day, _, _ = _hour_grid()
    clear = _clear_sky(LATITUDE_DEG[region])
    # Daily clearness: seasonal mean (clearer in summer), AR(1) day-to-day persistence.
    season = 0.05 * np.cos(2 * np.pi * (np.arange(1, DAYS + 1) - 180) / 365)
    logit = 1.2 + 4 * season + 0.9 * _ar1(rng, DAYS, 0.6)
    clearness = 0.25 + 0.75 / (1 + np.exp(-logit))
    hourly_noise = np.clip(1 + 0.08 * rng.standard_normal(HOURS), 0.5, 1.5)
    raw = clear * clearness[day - 1] * hourly_noise
    return _calibrate(raw, SOLAR_CF[region])


def wind_profile(region: str, rng: np.random.Generator) -> np.ndarray:
    """Return the hourly onshore-wind availability of ``region`` (0..1), calibrated."""
    day, clock, _ = _hour_grid()
    seasonal = 0.15 * np.cos(2 * np.pi * (day - 45) / 365)  # maximum in February-March
    peak_hour = 2.0 if region in NIGHT_WIND else 15.0
    diurnal = 0.08 * np.cos(2 * np.pi * (clock - peak_hour) / 24)
    speed = np.exp(0.35 * _ar1(rng, HOURS, 0.97) + seasonal + diurnal)

    def power_curve(v: np.ndarray) -> np.ndarray:
        cut_in, rated = 0.3, 1.0
        ramp = np.clip((v - cut_in) / (rated - cut_in), 0.0, 1.0) ** 3
        return WIND_MAX_AVAILABILITY * ramp * (v < 2.5)  # cut-out at 2.5

    return _calibrate(speed, WIND_CF[region], power_curve)


def _exact_mean_one(x: np.ndarray) -> np.ndarray:
    """Round a positive shape to ``DECIMALS`` with a sum of exactly ``len(x)`` (mean 1)."""
    unit = 10**DECIMALS
    scaled = x / x.mean() * unit
    ints = np.floor(scaled).astype(np.int64)
    short = len(x) * unit - int(ints.sum())
    order = np.argsort(-(scaled - ints), kind="stable")
    ints[order[:short]] += 1
    return ints / unit


def grid_price_profile(region: str) -> np.ndarray:
    """Return the hourly grid-price shape of ``region`` (ratio, mean 1)."""
    day, clock, weekend = _hour_grid()
    knots_h = [0, 4, 7, 9, 12, 15, 18, 20, 22, 24]
    knots_v = [0.80, 0.72, 0.95, 1.05, 1.00, 1.00, 1.40, 1.35, 1.00, 0.80]
    shape = np.interp(clock + 0.5, knots_h, knots_v)
    dip = SOLAR_PRICE_DIP.get(region, 0.0)
    shape = shape - dip * np.exp(-0.5 * ((clock + 0.5 - 13.0) / 2.5) ** 2)
    seasonal = 1 + 0.12 * np.cos(4 * np.pi * (day - 15) / 365)  # peaks mid-Jan and mid-Jul
    return _exact_mean_one(shape * seasonal * np.where(weekend, 0.95, 1.0))


def inference_load_profile() -> np.ndarray:
    """Return the hourly inference-load shape (ratio, mean 1), the same in local time."""
    _, clock, weekend = _hour_grid()
    knots_h = [0, 4, 8, 12, 16, 20, 24]
    knots_v = [0.90, 0.74, 0.88, 1.10, 1.14, 1.26, 0.90]
    shape = np.interp(clock + 0.5, knots_h, knots_v)
    return _exact_mean_one(shape * np.where(weekend, 0.95, 1.0))


def make_profiles() -> pd.DataFrame:
    """Build every hourly column (deterministic for the fixed ``SEED``)."""
    rng = np.random.default_rng(SEED)
    columns: dict[str, np.ndarray] = {"hour": np.arange(HOURS)}
    for region in REGIONS:
        columns[f"solar_pv:{region}"] = solar_profile(region, rng)
    for region in REGIONS:
        columns[f"wind_onshore:{region}"] = wind_profile(region, rng)
    for region in REGIONS:
        columns[f"grid_price:{region}"] = grid_price_profile(region)
    load = inference_load_profile()
    for region in REGIONS:
        columns[f"inference_load:{region}"] = load
    return pd.DataFrame(columns)


def main() -> None:
    """Write ``inputs/hourly_profiles.csv`` and log the achieved capacity factors."""
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    df = make_profiles()
    df.to_csv(OUT, index=False, float_format=f"%.{DECIMALS}f", lineterminator="\n")
    # Drop trailing zeros ("0.500" -> "0.5", "0.000" -> "0") to keep the file small.
    text = OUT.read_text()
    lines = [",".join(_trim(cell) for cell in line.split(",")) for line in text.splitlines()]
    OUT.write_text("\n".join(lines) + "\n")
    for col in df.columns[1:]:
        logger.info("%-28s mean %.4f  max %.3f", col, df[col].mean(), df[col].max())
    logger.info("wrote %s (%d kB)", OUT, OUT.stat().st_size // 1024)


def _trim(cell: str) -> str:
    """Strip trailing zeros of a decimal number written as text."""
    if "." not in cell:
        return cell
    cell = cell.rstrip("0").rstrip(".")
    return cell or "0"


if __name__ == "__main__":
    main()
