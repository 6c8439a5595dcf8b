"""The sentences of the cash questions (issue 27): who pays, and when.

:func:`cash_row` adds the cash-view figures of one run to the headline table of
:mod:`energymodel.report.docs_page`; :data:`CASH_CONCLUSIONS` set them beside published
figures (:mod:`energymodel.report.literature`): 2025 capex against the hyperscalers' and
the IEA's, the revenue a year needs on the cash view against Bain's capex-intensity view,
the cost per GPU-hour against the largest published contract, contract coverage and what
longer books add to reported profit.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import xarray as xr

from energymodel.report.conclusions import Conclusion, num
from energymodel.report.conclusions_tokens import sweep_runs
from energymodel.report.literature import (
    BAIN_REVENUE_BUSD,
    BIG4_CAPEX_2025_BUSD,
    BURRY_UNDERSTATED_BUSD,
    BURRY_YEARS,
    GPU_RENTAL_USD_PER_H,
    IEA_DC_INVESTMENT_2025_BUSD,
)
from energymodel.units import MUSD_PER_BUSD


def _world(ds: xr.Dataset, name: str, year: int) -> float:
    if name not in ds:
        return math.nan
    da = ds[name]
    da = da.sum([d for d in da.dims if d != "year"]) if da.dims else da
    return float(da.sel(year=year)) if "year" in da.dims else float(da)


def cash_row(ds: xr.Dataset, year: int) -> dict[str, float]:
    """Cash-view figures of one run for the sentences (money in $B; NaN when missing)."""
    first = int(ds["year"].values[0])
    row = {
        "outlay_first_busd": _world(ds, "capex_outlay_musd", first) / MUSD_PER_BUSD,
        "before_start_busd": _world(ds, "capex_before_start_musd", first) / MUSD_PER_BUSD,
        "outlay_busd": _world(ds, "capex_outlay_musd", year) / MUSD_PER_BUSD,
        "opex_busd": _world(ds, "operating_cost_musd", year) / MUSD_PER_BUSD,
        "cash_be_busd": _world(ds, "cash_break_even_revenue_musd", year) / MUSD_PER_BUSD,
        "peak_need_busd": _world(ds, "peak_funding_need_musd", year) / MUSD_PER_BUSD,
        "npv_busd": _world(ds, "npv_musd", year) / MUSD_PER_BUSD,
        "irr": _world(ds, "irr_frac", year),
        "payback_yr": _world(ds, "payback_yr", year),
        "peak_need_year": float(ds["peak_funding_need_musd"].attrs.get("year", math.nan))
        if "peak_funding_need_musd" in ds
        else math.nan,
    }
    gap = ds.get("depreciation_gap_musd")
    if gap is not None:
        years = [y for y in range(BURRY_YEARS[0], BURRY_YEARS[1] + 1) if y in gap["year"]]
        row["dep_gap_busd"] = float(gap.sum("region").sel(year=year)) / MUSD_PER_BUSD
        row["dep_gap_burry_busd"] = float(gap.sum("region").sel(year=years).sum()) / MUSD_PER_BUSD
    if {"cost_musd", "it_capacity_gw", "cost_per_gpu_hour_usd"} <= set(ds.data_vars):
        weight = ds["it_capacity_gw"].sel(year=year)
        per_hour = ds["cost_per_gpu_hour_usd"].sel(year=year)
        row["gpu_hour_usd"] = float((per_hour * weight).sum() / weight.sum())
    if "contract_coverage_frac" in ds:
        cov = ds["contract_coverage_frac"].min("contract")
        row["coverage_min"] = float(cov.min())
        row["coverage_min_year"] = float(cov["year"][int(np.argmin(cov.fillna(math.inf).values))])
        row["growth_needed"] = float(ds["contract_revenue_growth_ratio"].max())
        row["contract_gpu_hour_usd"] = float(ds["contract_cost_per_gpu_hour_usd"].max())
        row["buyer_revenue_first_busd"] = (
            float(ds["buyer_revenue_musd"].isel(year=0).sum()) / MUSD_PER_BUSD
        )
    return row


def _cash(t: pd.DataFrame, year: int) -> str:
    b = t.loc["baseline"]
    first = int(t["first_year"].min())
    text = (
        f"Paid when it is spent, the baseline's build-out costs {num(b.outlay_first_busd)} $B "
        f"in {first} ({num(b.before_start_busd)} $B of it for {first}'s own builds, spent "
        f"before the year and counted in it), against ~{num(BIG4_CAPEX_2025_BUSD)} $B of "
        f"Big-4 hyperscaler capex and the IEA's {num(IEA_DC_INVESTMENT_2025_BUSD)} $B of "
        f"data-centre investment in 2025. In {year} the cash view needs "
        f"{num(b.cash_be_busd)} $B of revenue for free cash flow to break even (operating "
        f"cost {num(b.opex_busd)} $B + outlays {num(b.outlay_busd)} $B), the annuity view "
        f"{num(b.break_even_busd)} $B and Bain's capex-intensity rule "
        f"{num(b.capex_intensity_busd)} $B on the model's own capex, against Bain's "
        f"{num(BAIN_REVENUE_BUSD)} $B: a build-out still growing pays for tomorrow's "
        f"capacity out of today's revenue. Over {first}-{year} the world's cumulative cash "
        f"falls to -{num(b.peak_need_busd)} $B (its peak funding need, in "
        f"{b.peak_need_year:.0f})"
    )
    if math.isnan(b.payback_yr):
        text += f" and does not pay back by {year}"
    else:
        text += f" and pays back after {num(b.payback_yr, 1)} years"
    irr = (
        "no IRR (their value never turns positive)"
        if math.isnan(b.irr)
        else f"an IRR of {num(100 * b.irr, 1)}%"
    )
    return text + (
        f"; with what the builds are still worth in {year}, the NPV at the WACC is "
        f"{num(b.npv_busd)} $B, with {irr}."
    )


def _contracts(t: pd.DataFrame, year: int) -> str:
    c = t.loc["compute_contracts_2025"]
    lo, hi = GPU_RENTAL_USD_PER_H
    return (
        f"With {num(c.buyer_revenue_first_busd, 1)} $B of revenue held at its 2025 level, the "
        f"lab covers {num(100 * c.coverage_min)}% of what its contracts ask in "
        f"{c.coverage_min_year:.0f}; its revenue must grow {num(c.growth_needed, 1)}x to "
        f"cover the peak year. The largest contract implies "
        f"{num(c.contract_gpu_hour_usd, 2)} $ per GPU-hour against the model's own "
        f"{num(c.gpu_hour_usd, 2)} $ in {year} (yearly cost incl. capital charges per "
        f"accelerator-hour of IT alive) and H100 rentals of {num(lo, 2)}-{num(hi, 2)} $: the "
        "contract price carries the seller's margin and an all-in facility cost above the "
        "model's (docs/cash.md)."
    )


def _books(t: pd.DataFrame, year: int) -> str:
    runs = {float(dict(k)["accelerators"]): row for k, row in sweep_runs(t, "book_life").items()}
    lives = sorted(runs)
    longest = runs[lives[-1]]
    first, last = BURRY_YEARS
    return (
        "With accelerators that last 4 years in the LP (book_life), "
        + ", ".join(
            f"a {num(life)}-year book adds {num(runs[life].dep_gap_busd)} $B" for life in lives
        )
        + f" to reported operating profit in {year} (servers and networking on 6 years). "
        f"Over {first}-{last} the {num(lives[-1])}-year books report "
        f"{num(longest.dep_gap_burry_busd)} $B more profit than the economic lives, against "
        f"Burry's ~{num(BURRY_UNDERSTATED_BUSD)} $B of understated depreciation."
    )


CASH_CONCLUSIONS: tuple[Conclusion, ...] = (
    Conclusion("Who pays, and when?", ("baseline",), _cash),
    Conclusion(
        "Can an AI lab's revenue carry its compute contracts?",
        ("compute_contracts_2025",),
        _contracts,
    ),
    Conclusion("What do six-year books add to reported profit?", ("book_life",), _books),
)
"""The cash questions; ``needs`` name scenarios or sweeps."""
