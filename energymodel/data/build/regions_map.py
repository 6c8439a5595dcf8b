"""Which measured data stands for which model region, and why.

US regions map to the EIA-930 balancing authorities (BAs) that serve their data-centre
clusters:

- ``us_east`` = **PJM**: Dominion's zone in Northern Virginia (Loudoun/Prince William, the
  largest data-centre market in the world) and the Ohio/Chicago clusters are all inside
  PJM; its grid mix, carbon and prices are what an east-coast campus sees.
- ``us_texas`` = **ERCO** (ERCOT): Abilene, Dallas-Fort Worth, San Antonio campuses.
- ``us_west`` = **CISO + BPAT pooled** (MW summed fuel by fuel): the Pacific North-West
  campuses (The Dalles/Hillsboro OR, Quincy WA) sit in Bonneville's hydro grid and
  Silicon Valley's in CAISO. The desert South-West (Phoenix, Reno) has no BA in the raw
  data, so the pooled West is cleaner than an Arizona campus would see (stated in
  ``source``). Solar uses the CAISO fleet alone (BPAT reports ~30 MW of solar).

Representative sites (TMY weather, pvlib): Leesburg VA (us_east), Dallas-Fort Worth TX
(us_texas), San Jose CA and Phoenix AZ (us_west), Greensboro NC (a second eastern site),
45 N 8 E Piedmont (europe). Regions without measured data use a named representative
site for the sun's path and a measured *donor* series for weather statistics.
"""

from __future__ import annotations

from dataclasses import dataclass

REGIONS = ("us_east", "us_texas", "us_west", "europe", "china", "asia_pacific", "rest_of_world")
US_REGIONS = ("us_east", "us_texas", "us_west")

# Local standard time minus UTC (h); the same values as regions.csv utc_offset_h.
UTC_OFFSET_H: dict[str, int] = {
    "us_east": -5,
    "us_texas": -6,
    "us_west": -8,
    "europe": 1,
    "china": 8,
    "asia_pacific": 8,
    "rest_of_world": 3,
}

# EIA-930 balancing authorities pooled for each US region (grid mix, net load, wind).
GRID_BAS: dict[str, tuple[str, ...]] = {
    "us_east": ("PJM",),
    "us_texas": ("ERCO",),
    "us_west": ("CISO", "BPAT"),
}
SOLAR_BA: dict[str, str] = {"us_east": "PJM", "us_texas": "ERCO", "us_west": "CISO"}
WIND_KEY: dict[str, str] = {"us_east": "PJM", "us_texas": "ERCO", "us_west": "CISO+BPAT"}

# TMY site whose clear-sky sun path gives the seasonal solar envelope of each BA fleet.
BA_SITE_FILE: dict[str, str] = {
    "PJM": "USA_VA_Leesburg.Exec.epw",
    "ERCO": "USA_TX_Dallas-Fort.Worth.epw",
    "CISO": "USA_CA_San.Jose-Mineta.epw",
}
US_SITE_FILES: dict[str, str] = {
    "Leesburg VA": "USA_VA_Leesburg.Exec.epw",
    "Dallas-Fort Worth TX": "USA_TX_Dallas-Fort.Worth.epw",
    "San Jose CA": "USA_CA_San.Jose-Mineta.epw",
    "Phoenix AZ": "USA_AZ_Phoenix-Sky.Harbor.epw",
    "Greensboro NC": "TMY3_723170_Greensboro_NC.csv",
}
EUROPE_TMY = "PVGIS_TMY_45.000N_8.000E_2005_2023.csv"


@dataclass(frozen=True)
class EstimatedRegion:
    """A region without measured hourly data: site, donors and annual calibration."""

    site: str
    latitude: float
    longitude: float
    solar_cf: float | None  # None: pvlib output used as is (Europe, TMY)
    solar_cf_source: str
    clearness_donor: str  # TMY file whose daily clearness sequence is borrowed
    wind_donor: str  # EIA-930 BA whose measured 2022 fleet series is borrowed
    wind_shift_days: int  # calendar shift of the donor (de-correlates regions)
    wind_cf: float
    wind_cf_source: str


ESTIMATED: dict[str, EstimatedRegion] = {
    "europe": EstimatedRegion(
        site="Piedmont, northern Italy (PVGIS TMY 45.0N 8.0E)",
        latitude=45.0,
        longitude=8.0,
        solar_cf=None,
        solar_cf_source="pvlib on the PVGIS TMY, not rescaled",
        clearness_donor="",
        wind_donor="MISO",
        wind_shift_days=0,
        wind_cf=0.25,
        wind_cf_source="EWEA (via sceo.info): European onshore wind 25-30 %, low end",
    ),
    "china": EstimatedRegion(
        site="Zhangjiakou, Hebei (40.8N 114.9E; Beijing data-centre hub)",
        latitude=40.8,
        longitude=114.9,
        solar_cf=0.156,
        solar_cf_source=(
            "National Energy Administration: Jan-Aug 2023 solar utilisation 907 h of 5,832 h"
        ),
        clearness_donor="USA_VA_Leesburg.Exec.epw",
        wind_donor="MISO",
        wind_shift_days=14,
        wind_cf=0.264,
        wind_cf_source="National Energy Administration: Jan-Aug 2023 wind utilisation 1,538 h of 5,832 h",
    ),
    "asia_pacific": EstimatedRegion(
        site="Johor-Singapore (1.4N 103.8E)",
        latitude=1.4,
        longitude=103.8,
        solar_cf=0.17,
        solar_cf_source="IRENA Renewable Power Generation Costs 2021: global utility PV ~17 %",
        clearness_donor="TMY3_723170_Greensboro_NC.csv",
        wind_donor="CISO",
        wind_shift_days=0,
        wind_cf=0.27,
        wind_cf_source="estimate: below IRENA new-build onshore ~39 % (older fleets, weaker sites)",
    ),
    "rest_of_world": EstimatedRegion(
        site="Riyadh (24.7N 46.7E; Gulf campuses)",
        latitude=24.7,
        longitude=46.7,
        solar_cf=0.21,
        solar_cf_source="estimate: high-irradiance Gulf/Latin America/Africa, above IRENA 17 %",
        clearness_donor="USA_AZ_Phoenix-Sky.Harbor.epw",
        wind_donor="MISO",
        wind_shift_days=-14,
        wind_cf=0.33,
        wind_cf_source="estimate: below IRENA new-build onshore ~39 %",
    ),
}
