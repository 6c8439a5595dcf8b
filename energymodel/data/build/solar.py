"""Solar PV availability from irradiance through pvlib (TMY sites, clear-sky fallback).

The PV system (one for every site, stated in each profile's ``source``):

- US sites and the clear-sky fallback: **single-axis tracking**, north-south axis,
  +-60 deg, backtracking at ground-coverage ratio 0.35 (94 % of new US utility PV in 2022
  used single-axis trackers: LBNL Utility-Scale Solar 2023 edition);
- Europe: **fixed tilt 35 deg, azimuth 180 (south)**, the ground-mounted fixed rack of the
  Danish Energy Agency catalogue's utility-scale PV;
- DC/AC (inverter loading) ratio 1.3 (LBNL 2023: DC ~1.3-1.4 x AC), PVWatts DC model with
  temperature coefficient -0.35 %/K, SAPM cell temperature (open rack, glass/glass), 14 %
  DC system losses (PVWatts default: soiling, shading, mismatch, wiring, availability),
  96 % inverter efficiency, output clipped at the AC nameplate (availability 0..1 per kW AC).
  Transposition: Hay-Davies.

Times: EPW and TMY3 files are in local standard time, hour ending (the value of hour 1
covers 00:00-01:00, the sun position is taken at 00:30); PVGIS is UTC with the stated
irradiance time offset. Each typical year is laid on the 2022 calendar and shifted to UTC
(the last hours of 31 December wrap to 1 January).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pvlib

logger = logging.getLogger(__name__)

HOURS = 8760
DC_AC_RATIO = 1.3
GAMMA_PDC = -0.0035
DC_LOSSES = 0.14
INVERTER_EFF = 0.96
GCR = 0.35
MAX_ANGLE = 60.0
FIXED_TILT = 35.0

SYSTEM_TRACKER = (
    "pvlib single-axis tracker (N-S axis, +-60 deg, backtracking GCR 0.35), DC/AC 1.3, "
    "PVWatts -0.35 %/K, 14 % DC losses, 96 % inverter, AC clipping"
)
SYSTEM_FIXED = (
    "pvlib fixed tilt 35 deg south, DC/AC 1.3, PVWatts -0.35 %/K, 14 % DC losses, "
    "96 % inverter, AC clipping"
)


@dataclass(frozen=True)
class Weather:
    """One typical year at a site, on the 2022 calendar in the file's own time base."""

    name: str
    latitude: float
    longitude: float
    utc_offset_h: float
    times: pd.DatetimeIndex  # sun-position times (tz-aware), one per hour
    ghi: np.ndarray
    dni: np.ndarray
    dhi: np.ndarray
    temp_air: np.ndarray
    wind_speed: np.ndarray


def _calendar(start: str, tz: str) -> pd.DatetimeIndex:
    return pd.date_range(start, periods=HOURS, freq="h", tz=tz)


def read_epw(path: Path) -> Weather:
    """Read an EnergyPlus weather file (TMYx, local standard time, hour ending)."""
    data, meta = pvlib.iotools.read_epw(path)
    off = float(meta["TZ"])
    tz = f"Etc/GMT{-int(off):+d}"
    return Weather(
        name=str(meta["city"]),
        latitude=float(meta["latitude"]),
        longitude=float(meta["longitude"]),
        utc_offset_h=off,
        times=_calendar("2022-01-01 00:30", tz),
        ghi=data["ghi"].to_numpy(float)[:HOURS],
        dni=data["dni"].to_numpy(float)[:HOURS],
        dhi=data["dhi"].to_numpy(float)[:HOURS],
        temp_air=data["temp_air"].to_numpy(float)[:HOURS],
        wind_speed=data["wind_speed"].to_numpy(float)[:HOURS],
    )


def read_tmy3(path: Path) -> Weather:
    """Read an NREL TMY3 file (local standard time, hour ending)."""
    data, meta = pvlib.iotools.read_tmy3(path, map_variables=True)
    off = float(meta["TZ"])
    tz = f"Etc/GMT{-int(off):+d}"
    return Weather(
        name=str(meta["Name"]),
        latitude=float(meta["latitude"]),
        longitude=float(meta["longitude"]),
        utc_offset_h=off,
        times=_calendar("2022-01-01 00:30", tz),
        ghi=data["ghi"].to_numpy(float),
        dni=data["dni"].to_numpy(float),
        dhi=data["dhi"].to_numpy(float),
        temp_air=data["temp_air"].to_numpy(float),
        wind_speed=data["wind_speed"].to_numpy(float),
    )


def read_pvgis(path: Path) -> Weather:
    """Read a PVGIS typical year (UTC; irradiance at the file's time offset)."""
    data, meta = pvlib.iotools.read_pvgis_tmy(path, map_variables=True)
    meta = meta["inputs"]
    offset_h = float(meta["irradiance time offset"])
    times = _calendar("2022-01-01 00:00", "UTC") + pd.Timedelta(hours=offset_h)
    return Weather(
        name="PVGIS 45.0N 8.0E",
        latitude=float(meta["latitude"]),
        longitude=float(meta["longitude"]),
        utc_offset_h=0.0,
        times=times,
        ghi=data["ghi"].to_numpy(float),
        dni=data["dni"].to_numpy(float),
        dhi=data["dhi"].to_numpy(float),
        temp_air=data["temp_air"].to_numpy(float),
        wind_speed=data["wind_speed"].to_numpy(float),
    )


def pv_ac(
    times: pd.DatetimeIndex,
    latitude: float,
    longitude: float,
    ghi: np.ndarray,
    dni: np.ndarray,
    dhi: np.ndarray,
    temp_air: np.ndarray,
    wind_speed: np.ndarray,
    tracking: bool,
) -> np.ndarray:
    """AC output per kW AC of the system in the module docstring (0..1)."""
    sp = pvlib.solarposition.get_solarposition(times, latitude, longitude)
    if tracking:
        tr = pvlib.tracking.singleaxis(
            sp["apparent_zenith"],
            sp["azimuth"],
            axis_tilt=0,
            axis_azimuth=180,
            max_angle=MAX_ANGLE,
            backtrack=True,
            gcr=GCR,
        )
        tilt = tr["surface_tilt"].fillna(0.0)
        azimuth = tr["surface_azimuth"].fillna(180.0)
    else:
        tilt = pd.Series(FIXED_TILT, index=times)
        azimuth = pd.Series(180.0, index=times)
    dni_extra = pvlib.irradiance.get_extra_radiation(times)
    poa = pvlib.irradiance.get_total_irradiance(
        tilt,
        azimuth,
        sp["apparent_zenith"],
        sp["azimuth"],
        pd.Series(dni, index=times),
        pd.Series(ghi, index=times),
        pd.Series(dhi, index=times),
        dni_extra=dni_extra,
        model="haydavies",
    )
    poa_global = poa["poa_global"].fillna(0.0).clip(lower=0.0)
    params = pvlib.temperature.TEMPERATURE_MODEL_PARAMETERS["sapm"]["open_rack_glass_glass"]
    cell = pvlib.temperature.sapm_cell(
        poa_global, pd.Series(temp_air, index=times), pd.Series(wind_speed, index=times), **params
    )
    dc = pvlib.pvsystem.pvwatts_dc(poa_global, cell, DC_AC_RATIO, GAMMA_PDC)
    ac = dc.to_numpy(float) * (1 - DC_LOSSES) * INVERTER_EFF
    return np.clip(ac, 0.0, 1.0)


def to_utc(values: np.ndarray, utc_offset_h: float) -> np.ndarray:
    """Shift a local-standard-time year to UTC hours of the same calendar (wrapping)."""
    return np.roll(values, round(-utc_offset_h))


def site_profile(w: Weather, tracking: bool) -> np.ndarray:
    """Hourly AC availability at a TMY site, in UTC hours of 2022."""
    ac = pv_ac(
        w.times, w.latitude, w.longitude, w.ghi, w.dni, w.dhi, w.temp_air, w.wind_speed, tracking
    )
    return to_utc(ac, w.utc_offset_h)


def clearsky_profile(latitude: float, longitude: float, tracking: bool = True) -> np.ndarray:
    """Clear-sky AC availability (Ineichen, climatological Linke turbidity), UTC 2022."""
    times = _calendar("2022-01-01 00:30", "UTC")
    loc = pvlib.location.Location(latitude, longitude, tz="UTC")
    cs = loc.get_clearsky(times, model="ineichen")
    n = len(times)
    return pv_ac(
        times,
        latitude,
        longitude,
        cs["ghi"].to_numpy(),
        cs["dni"].to_numpy(),
        cs["dhi"].to_numpy(),
        np.full(n, 20.0),
        np.full(n, 1.0),
        tracking,
    )


def daily_clearness(w: Weather) -> np.ndarray:
    """Daily clearness of a TMY (daily GHI / clear-sky daily GHI), 365 values."""
    loc = pvlib.location.Location(w.latitude, w.longitude, tz=str(w.times.tz))
    cs = loc.get_clearsky(w.times, model="ineichen")["ghi"].to_numpy()
    ghi = w.ghi.reshape(365, 24).sum(axis=1)
    ref = cs.reshape(365, 24).sum(axis=1)
    return np.clip(ghi / np.maximum(ref, 1e-9), 0.05, 1.2)


def scale_to_cf(values: np.ndarray, target: float) -> np.ndarray:
    """Scale availabilities to an annual mean ``target`` (clipping at 1, iterated)."""
    k = target / float(values.mean())
    for _ in range(30):
        k *= target / float(np.clip(k * values, 0, 1).mean())
    return np.clip(k * values, 0.0, 1.0)
