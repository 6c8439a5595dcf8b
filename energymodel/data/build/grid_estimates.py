"""Hourly grid carbon, clean share and net load where no measured grid data exists.

Estimate (stated in every ``source``): the clean share moves with the region's own wind
and solar profiles around published annual shares,

    clean_t = base + s_wind x wind_t / mean(wind) + s_solar x solar_t / mean(solar)
    base    = clean_annual - s_wind - s_solar          (hydro + nuclear, flat)
    carbon_t = carbon_annual x (1 - clean_t) / (1 - clean_annual)

so the annual means equal the published figures and clean-matching constraints see hours
with more and less clean power. Net load for the price shape is a demand shape (PJM 2022
total generation, re-timed to local time: a winter- and summer-peaking temperate load)
scaled to mean 1, less the wind and solar shares x their normalised profiles.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class GridShares:
    """Annual grid figures of one region."""

    carbon_tco2_per_mwh: float
    clean_frac: float
    wind_frac: float
    solar_frac: float
    source: str


# Ember, European Electricity Review 2024 (EU 2023): wind 18 %, solar 9 %, hydro 12 %,
# nuclear 23 % of generation; Ember Global Electricity Review 2024/2025: China 2023 wind
# 9.4 %, solar 6.2 %, hydro 13 %, nuclear 4.6 %; China 2024 560 g/kWh, world 473 g/kWh
# (Ember). Asia-Pacific and rest of world: estimates (see each source).
SHARES: dict[str, GridShares] = {
    "europe": GridShares(
        0.24,
        0.62,
        0.18,
        0.09,
        "Ember European Electricity Review 2024 (EU 2023): wind 18 %, solar 9 %, hydro 12 %, "
        "nuclear 23 % (clean 0.62); carbon ~0.24 t/MWh",
    ),
    "china": GridShares(
        0.56,
        0.33,
        0.094,
        0.062,
        "Ember Global Electricity Review (China 2023: wind 9.4 %, solar 6.2 %, hydro 13 %, "
        "nuclear 4.6 %; 2024 carbon 560 g/kWh)",
    ),
    "asia_pacific": GridShares(
        0.55,
        0.30,
        0.03,
        0.06,
        "estimate: between India 708 g/kWh (Ember 2024) and Japan/Australia; clean 0.30 "
        "(Japan/Korea nuclear and hydro, India coal), wind 3 %, solar 6 %",
    ),
    "rest_of_world": GridShares(
        0.473,
        0.38,
        0.04,
        0.04,
        "Ember Global Electricity Review 2025: world 473 g/kWh; clean ~0.38 (world "
        "renewables ~30 % + nuclear ~9 %, less bioenergy), wind 4 %, solar 4 % (estimate)",
    ),
}


def hourly(region: str, wind: np.ndarray, solar: np.ndarray) -> tuple[np.ndarray, np.ndarray, str]:
    """Hourly carbon (tCO2/MWh) and clean share for an estimated region, and the source."""
    g = SHARES[region]
    base = g.clean_frac - g.wind_frac - g.solar_frac
    clean = base + g.wind_frac * wind / wind.mean() + g.solar_frac * solar / solar.mean()
    clean = np.clip(clean, 0.0, 0.98)
    clean = np.clip(clean * g.clean_frac / clean.mean(), 0.0, 0.98)  # annual mean after clip
    carbon = g.carbon_tco2_per_mwh * (1 - clean) / (1 - g.clean_frac)
    carbon = carbon * g.carbon_tco2_per_mwh / carbon.mean()
    src = (
        f"estimate: annual carbon {g.carbon_tco2_per_mwh} t/MWh and clean share "
        f"{g.clean_frac} ({g.source}); hourly variation from the region's own wind and solar "
        "profiles at their annual shares (energymodel.data.build.grid_estimates)"
    )
    return carbon, clean, src


def net_load(
    region: str,
    demand_donor: np.ndarray,
    donor_utc_offset_h: int,
    wind: np.ndarray,
    solar: np.ndarray,
) -> tuple[np.ndarray, str]:
    """Net load shape (mean-1 demand less wind and solar) and its description."""
    from energymodel.data.build.regions_map import UTC_OFFSET_H

    g = SHARES[region]
    shift = UTC_OFFSET_H[region] - donor_utc_offset_h
    demand = np.roll(demand_donor, -shift)
    demand = demand / demand.mean()
    nl = demand - g.wind_frac * wind / wind.mean() - g.solar_frac * solar / solar.mean()
    what = (
        f"net load = PJM 2022 total generation shape in local time (UTC{UTC_OFFSET_H[region]:+d}) "
        f"less wind {g.wind_frac:.0%} and solar {g.solar_frac:.0%} of demand on the region's "
        "own profiles"
    )
    return nl, what
