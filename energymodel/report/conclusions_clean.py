"""The sentences of the 24/7 clean questions: what hourly clean supply costs
(``clean_24_7`` against ``baseline``) and what load that may move within its day is worth
to a buyer of it (the sweep ``flexible_load``, against Riepin & Brown).

They read the ``power_cost`` column of the headline table
(:mod:`energymodel.report.docs_page`): the world cost of power per MWh of facility energy.
"""

from __future__ import annotations

import pandas as pd

from energymodel.report.conclusions import Conclusion, _pct, num
from energymodel.report.conclusions_tokens import sweep_runs
from energymodel.report.literature import RIEPIN_BROWN_EUR_PER_MWH, USD_PER_EUR_2024

CONVERGENCE_CLEAN_USD_PER_MWH = {"representative": 192.0, "full_year": 245.0}
"""100% hourly clean supply for one region-year (us_texas 2030) on the default 4
representative + 2 extreme days against the full year in order (benchmarks/convergence.md,
``make convergence``): what the default time resolution leaves out of a 24/7 premium."""


def _clean(t: pd.DataFrame, year: int) -> str:
    b, c = t.loc["baseline"], t.loc["clean_24_7"]
    cut = b.emissions_mt - c.emissions_mt
    extra = c.break_even_busd - b.break_even_busd
    text = (
        f"Matching load with clean supply hour by hour (90% in {year}) cuts {year} "
        f"emissions from {num(b.emissions_mt)} to {num(c.emissions_mt)} MtCO2 "
        f"({_pct(c.emissions_mt, b.emissions_mt)}) and raises the all-in cost from "
        f"{num(b.avg_cost, 3)} to {num(c.avg_cost, 3)} $/Mtok "
        f"({_pct(c.avg_cost, b.avg_cost)}), break-even revenue by {num(extra)} $B"
    )
    if cut > 0:
        text += f" (~{num(1000 * extra / cut)} $ per tonne of CO2 avoided)"
    days, year_round = CONVERGENCE_CLEAN_USD_PER_MWH.values()
    text += (
        f". Power itself costs {num(b.power_cost)} -> {num(c.power_cost)} $/MWh of facility "
        f"energy ({_pct(c.power_cost, b.power_cost)}), a lower bound: it is read on "
        f"representative days, and for one region at 100% the full year puts clean supply at "
        f"{num(year_round)} $/MWh against {num(days)} on the default days "
        f"(benchmarks/convergence.md). "
    )
    if c.unserved_twh > 0.01 * max(c.facility_twh, 1.0):
        text += (
            f"Even with the clean-build limits tripled it cannot be met in full: "
            f"{num(c.unserved_twh)} TWh of IT energy goes unserved. "
        )
    else:
        text += (
            f"With the world-wide solar, wind and battery build limits tripled it is met "
            f"without shedding compute ({num(c.clean_build_gw)} GW of new clean supply in "
            f"{year}). "
        )
    if "clean_24_7_limited" in t.index:
        lim = t.loc["clean_24_7_limited"]
        if lim.unserved_twh > 0.01 * max(lim.facility_twh, 1.0):
            text += (
                f"At the inputs' limits (solar 40, wind 15, batteries 30 GW/yr) 90% is not "
                f"reachable: {num(lim.unserved_twh)} TWh of IT energy goes unserved in "
                f"{year}, where the marginal cost of compute is the value of lost compute "
                f"(shed), not a price. 24/7 clean supply is affordable for the cost of a "
                f"token but limited by how fast clean capacity can be built."
            )
        else:
            text += "At the inputs' build limits the share is met as well."
    return text


def _flexible(t: pd.DataFrame, year: int) -> str:
    runs = sweep_runs(t, "flexible_load")
    by_share = {float(dict(c)["flexible_frac"]): row for c, row in runs.items()}
    shares = sorted(by_share)
    rigid, most = by_share[shares[0]], by_share[shares[-1]]
    path = " -> ".join(num(by_share[f].power_cost) for f in shares)
    euros = " -> ".join(num(by_share[f].power_cost / USD_PER_EUR_2024) for f in shares)
    peer = list(RIEPIN_BROWN_EUR_PER_MWH.values())
    peer_path = " -> ".join(num(v) for v in peer)
    peer_change = _pct(peer[-1], peer[0])
    shed = any(row.unserved_twh > 0.01 * max(row.facility_twh, 1.0) for row in runs.values())
    text = (
        f"One European data centre matching every hour of {year} with wind, solar and "
        f"batteries pays {path} $/MWh of its load for power ({euros} EUR/MWh at 2024's "
        f"{num(USD_PER_EUR_2024, 2)} $/EUR) as the share of its load free to move within the "
        f"day rises over {', '.join(f'{num(100 * f)}%' for f in shares)}: "
        f"{_pct(most.power_cost, rigid.power_cost)} at {num(100 * shares[-1])}%. Riepin & "
        f"Brown (PyPSA 247-cfe, space-time-optimization) find {peer_path} EUR/MWh "
        f"({peer_change}) over 0 to 40%. "
    )
    if shed:
        text += "Some runs shed demand: their cost of power is no price. "
    return text + (
        "A likely reason for the smaller gain: load that moves within its day flattens the "
        "daily solar cycle and trims the battery, but cannot bridge the multi-day calm "
        "spells that size wind, solar and storage over the full year (docs/time.md)."
    )


CLEAN_CONCLUSIONS: tuple[Conclusion, ...] = (
    Conclusion("What does 24/7 clean power cost?", ("baseline", "clean_24_7"), _clean),
    Conclusion("What is flexible load worth for 24/7 clean power?", ("flexible_load",), _flexible),
)
"""The 24/7 clean questions; ``needs`` name scenarios or sweeps."""
