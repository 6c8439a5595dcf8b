"""Raw readers of the grid-system build: fleets, plant list, measured load and its shape.

- :func:`us_fleet`: end-2024 capacity by technology of the US balancing areas, EIA-860M as
  compiled per zone by Electricity Maps (the last row on or before 2025-01-01 of each
  zone and mode; nameplate MW).
- :func:`eu_plants`: EU-27 units of powerplantmatching v0.6.0 still in service after 2024.
- :func:`read_demand`, :func:`read_eu`: measured hourly demand (EIA-930 cleaned by Ruggles
  et al. 2020; EU-27 2023 load from Energy-Charts / ENTSO-E).
- :func:`other_load_profiles`: the hourly ``other_load:<region>`` shapes on the 2022 UTC
  calendar. A measured year is moved by whole days (wrapping at the year's end) so each
  2022 hour falls on the same weekday and UTC time of day (2022-01-01 was a Saturday);
  public holidays do not line up. China, Asia-Pacific and the rest of the world have no
  measured demand here: the PJM shape re-timed to local time (estimate), as the grid
  price shapes of those regions do.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import numpy as np
import pandas as pd

from energymodel.data.build.regions_map import UTC_OFFSET_H

BASE_DATE = "2025-01-01"  # end-2024 capacity
ZONES: dict[str, tuple[str, ...]] = {
    "us_east": ("US-MIDA-PJM",),
    "us_texas": ("US-TEX-ERCO",),
    "us_west": ("US-CAL-CISO", "US-NW-BPAT"),
}
MODE_PART = {  # Electricity Maps mode -> fleet part
    "nuclear": "nuclear",
    "coal": "coal",
    "gas": "gas",
    "oil": "oil",
    "hydro": "hydro",
    "wind": "wind",
    "solar": "solar",
    "battery storage": "battery",
    "hydro storage": "phs",
    "biomass": "other",
    "geothermal": "other",
    "unknown": "other",
}
EU27 = [
    "Austria",
    "Belgium",
    "Bulgaria",
    "Croatia",
    "Cyprus",
    "Czechia",
    "Denmark",
    "Estonia",
    "Finland",
    "France",
    "Germany",
    "Greece",
    "Hungary",
    "Ireland",
    "Italy",
    "Latvia",
    "Lithuania",
    "Luxembourg",
    "Malta",
    "Netherlands",
    "Poland",
    "Portugal",
    "Romania",
    "Slovakia",
    "Slovenia",
    "Spain",
    "Sweden",
]
PPM_FILE = "grid_capacity/powerplantmatching_europe_v0.6.0.csv.gz"
PPM = "powerplantmatching v0.6.0 (ENTSO-E, OPSD, JRC, GEM matched; CC BY 4.0)"
EIA860M = "EIA-860M monthly generator inventory by balancing area"
DEMAND_BA = {"us_east": "PJM", "us_texas": "ERCO", "us_west": "CISO"}
DEMAND_YEAR = 2018  # a full calendar year of the cleaned EIA-930 demand files
EU_LOAD_FILE = "europe_hourly_2023/EU27_public_power_2023_hourly.csv"
EU_LOAD = "Energy-Charts (Fraunhofer ISE), EU-27 2023 hourly, data from ENTSO-E"
HOURS = 8760


def us_fleet(raw: Path) -> dict[str, dict[str, tuple[float, str]]]:
    """End-2024 capacity (GW) by fleet part of each US region, with the rows' dates."""
    df = pd.read_csv(raw / "grid_capacity" / "electricitymaps_capacity_by_zone.csv")
    df = df[df["datetime"].notna() & (df["datetime"] <= BASE_DATE)]
    out: dict[str, dict[str, tuple[float, str]]] = {}
    for region, zones in ZONES.items():
        parts: dict[str, list[tuple[float, str]]] = defaultdict(list)
        for zone in zones:
            z = df[df["zone"] == zone].sort_values("datetime", kind="stable")
            for mode, grp in z.groupby("mode", sort=True):
                last = grp.iloc[-1]
                parts[MODE_PART[str(mode)]].append(
                    (float(last["value_MW"]) / 1000, f"{zone} {mode} {last['datetime']}")
                )
        out[region] = {
            p: (sum(v for v, _ in items), "; ".join(f"{w} {v:.2f} GW" for v, w in items))
            for p, items in parts.items()
        }
    return out


def _ppm_part(row: pd.Series) -> str:
    fuel, tech = str(row["Fueltype"]), str(row["Technology"])
    if fuel == "Natural Gas":
        return "gas_cc" if tech == "CCGT" else "gas_ct"
    if fuel == "Hydro":
        return "phs" if tech == "Pumped Storage" else "hydro"
    return {
        "Nuclear": "nuclear",
        "Hard Coal": "coal",
        "Lignite": "coal",
        "Oil": "oil",
        "Wind": "wind",
        "Solar": "solar",
    }.get(fuel, "other")


def eu_plants(raw: Path) -> pd.DataFrame:
    """EU-27 units of powerplantmatching still in service after 2024, with a fleet part.

    The plant list's ``DateOut`` of French reactors (Tricastin 2021, Blayais and
    St Laurent 2023, ...) is the 40-year design life, not a closure: France has closed no
    reactor since Fessenheim (2020), so those are kept in service.
    """
    ppm = pd.read_csv(raw / PPM_FILE)
    out = ppm["DateOut"]
    design_life = (ppm["Fueltype"] == "Nuclear") & (ppm["Country"] == "France") & (out > 2020)
    ppm = ppm[ppm["Country"].isin(EU27) & (out.isna() | (out > 2024) | design_life)]
    ppm = ppm[ppm["DateIn"].isna() | (ppm["DateIn"] <= 2024)].copy()
    ppm["part"] = ppm.apply(_ppm_part, axis=1)
    return ppm


# --------------------------------------------------------------------------- load


def read_demand(raw: Path, ba: str, year: int = DEMAND_YEAR) -> np.ndarray:
    """Cleaned EIA-930 demand (MW) of one calendar year, hourly, UTC (8,760 values)."""
    df = pd.read_csv(raw / "eia930_demand_2015_2019" / f"{ba}.csv")
    t = pd.to_datetime(df["date_time"])
    x = df.loc[t.dt.year == year, "cleaned demand (MW)"].to_numpy(float)
    if len(x) != HOURS or not np.isfinite(x).all():
        raise ValueError(f"{ba} {year}: expected {HOURS} clean hours, found {len(x)}")
    return x


def read_eu(raw: Path) -> pd.DataFrame:
    """EU-27 hourly load and generation 2023 (MW; hour 0 = 2022-12-31 23:00 UTC)."""
    return pd.read_csv(raw / EU_LOAD_FILE)


def to_2022_calendar(x: np.ndarray, first_utc: str) -> tuple[np.ndarray, int]:
    """Move an 8,760-h UTC series starting at ``first_utc`` onto 2022 by whole days.

    The shift (in hours, wrapping at the year's end) puts each 2022 hour on the source
    hour of the same weekday and UTC time of day (2022-01-01 was a Saturday).
    """
    start = pd.Timestamp(first_utc)
    target = pd.Timestamp("2022-01-01")
    midnight = start.ceil("D")  # the first UTC midnight in the series
    days = (target.dayofweek - midnight.dayofweek) % 7  # first matching weekday
    first = midnight + pd.Timedelta(days=days)
    shift = int((first - start) / pd.Timedelta(hours=1))
    return np.roll(x, -shift), shift


def other_load_profiles(raw: Path) -> dict[str, tuple[np.ndarray, str]]:
    """Hourly ``other_load:<region>`` shapes (mean 1, 2022 UTC calendar) and sources."""
    out: dict[str, tuple[np.ndarray, str]] = {}
    for region, ba in DEMAND_BA.items():
        x, shift = to_2022_calendar(read_demand(raw, ba), f"{DEMAND_YEAR}-01-01")
        out[region] = (
            x / x.mean(),
            (
                f"EIA-930 cleaned hourly demand of {ba}, calendar {DEMAND_YEAR} UTC (Ruggles et al., "
                f"Scientific Data 7, 155, 2020; CC BY 4.0), shifted {shift // 24} days so weekdays "
                "match 2022 (public holidays do not), mean 1"
            ),
        )
    eu = read_eu(raw)
    x, shift = to_2022_calendar(eu["load"].to_numpy(float), "2022-12-31 23:00")
    out["europe"] = (
        x / x.mean(),
        (
            f"{EU_LOAD}: load (CC BY 4.0), shifted {shift} h (whole days from the first UTC midnight) so "
            "weekdays match 2022, mean 1"
        ),
    )
    donor, _ = to_2022_calendar(read_demand(raw, "PJM"), f"{DEMAND_YEAR}-01-01")
    for region in ("china", "asia_pacific", "rest_of_world"):
        lag = UTC_OFFSET_H[region] - UTC_OFFSET_H["us_east"]
        x = np.roll(donor, -lag)
        out[region] = (
            x / x.mean(),
            (
                f"estimate: measured PJM {DEMAND_YEAR} demand shape (EIA-930 cleaned, weekdays "
                f"aligned to 2022) re-timed to local time UTC{UTC_OFFSET_H[region]:+d}, mean 1; "
                "no measured hourly demand here"
            ),
        )
    return out
