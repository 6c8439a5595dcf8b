"""The sentences of the token questions: Jevons, the life of an accelerator and which
generation to buy (the scenarios ``jevons_efficiency``, ``depreciation_life`` and
``generation_choice``, each a sweep).

:func:`token_row` adds the figures they read to a scenario's headline row
(:mod:`energymodel.report.docs_page`); the published figures are in
:mod:`energymodel.report.literature`.
"""

from __future__ import annotations

import math

import pandas as pd
import xarray as xr

from energymodel.report.conclusions import Conclusion, _pct, num
from energymodel.report.literature import (
    BURRY_UNDERSTATED_BUSD,
    BURRY_YEARS,
    IEA_2030_TWH,
    O1_USD_PER_MTOK,
    R1_USD_PER_MTOK,
)
from energymodel.units import MUSD_PER_BUSD


def token_row(ds: xr.Dataset, year: int) -> dict[str, float]:
    """Token and accelerator figures of one scenario in ``year`` (world; money in $B).

    ``tokens_tn`` served, the token-weighted equilibrium ``token_price`` ($/Mtok) and the
    ``token_revenue_busd`` it earns; the accelerator cost in ``year`` and over
    :data:`BURRY_YEARS`; with generations, each one's builds over the horizon
    (``built_<name>_gw``) and the most IT capacity retired early in any year.
    """
    row: dict[str, float] = {}
    if "tokens_served_tn" in ds:
        tokens = ds["tokens_served_tn"].sum(["region", "model_class"])
        row["tokens_tn"] = float(tokens.sel(year=year))
        if "token_revenue_musd" in ds:
            revenue = ds["token_revenue_musd"].sum("region")
            row["token_revenue_busd"] = float(revenue.sel(year=year)) / MUSD_PER_BUSD
            row["token_price"] = float((revenue / tokens.where(tokens > 0)).sel(year=year))
    accelerators = ds["cost_musd"].sel(component="accelerators").sum("region")
    row["accelerator_busd"] = float(accelerators.sel(year=year)) / MUSD_PER_BUSD
    first, last = BURRY_YEARS
    window = accelerators.sel(year=slice(first, last))
    row["accelerator_window_busd"] = float(window.sum()) / MUSD_PER_BUSD
    if "accelerator_new_gw" in ds:
        by_year = ds["accelerator_new_gw"].sum("region")
        retired_by = ds["accelerator_retired_gw"].sum("region")
        for name in by_year["accelerator"].values:
            built = by_year.sel(accelerator=name)
            years = built["year"].values[built.values > 0.05]
            row[f"built_{name}_gw"] = float(built.sum())
            row[f"built_{name}_from"] = float(years.min()) if years.size else math.nan
            row[f"built_{name}_to"] = float(years.max()) if years.size else math.nan
            row[f"retired_{name}_gw"] = float(retired_by.sel(accelerator=name).max())
        retired = retired_by.sum("accelerator")
        row["retired_peak_gw"] = float(retired.max())
    return row


def sweep_runs(t: pd.DataFrame, prefix: str) -> dict[tuple[tuple[str, str], ...], pd.Series]:
    """The rows of sweep ``prefix``, keyed by their sorted ``(key, value)`` labels."""
    out = {}
    for name in t.index:
        if str(name).startswith(prefix + "__"):
            labels = dict(p.split("=", 1) for p in str(name).split("__")[1:] if "=" in p)
            out[tuple(sorted(labels.items()))] = t.loc[name]
    return out


def _run(runs: dict, **labels: str) -> pd.Series | None:
    """The run whose labels include ``labels`` (values compared as numbers)."""
    for combo, row in runs.items():
        given = dict(combo)
        if all(k in given and float(given[k]) == float(v) for k, v in labels.items()):
            return row
    return None


def _pair(runs: dict, key: str, value: float, gains: list[float]) -> tuple | None:
    a = _run(runs, **{key: value, "efficiency_multiplier": gains[0]})
    b = _run(runs, **{key: value, "efficiency_multiplier": gains[-1]})
    return None if a is None or b is None else (a, b)


def _jevons(t: pd.DataFrame, year: int) -> str:
    runs = sweep_runs(t, "jevons_efficiency")
    elasticities = sorted({float(dict(c)["elasticity"]) for c in runs})
    gains = sorted({float(dict(c)["efficiency_multiplier"]) for c in runs})
    lo, hi = gains[0], gains[-1]
    parts, moved = [], {"falls": [], "holds": [], "rises": []}
    for e in elasticities:
        pair = _pair(runs, "elasticity", e, gains)
        if pair is None:
            continue
        a, b = pair
        change = b.facility_twh / a.facility_twh - 1
        moved["rises" if change > 0.02 else "falls" if change < -0.02 else "holds"].append(e)
        parts.append(
            f"elasticity {num(e, 1)}: {num(a.facility_gw)} -> {num(b.facility_gw)} GW, "
            f"{num(a.facility_twh)} -> {num(b.facility_twh)} TWh ({_pct(b.facility_twh, a.facility_twh)}), "
            f"tokens x{num(b.tokens_tn / a.tokens_tn, 1)}, price {num(a.token_price, 3)} -> "
            f"{num(b.token_price, 3)} $/Mtok, break-even revenue {num(a.break_even_busd)} -> "
            f"{num(b.break_even_busd)} $B against {num(a.token_revenue_busd)} -> "
            f"{num(b.token_revenue_busd)} $B of revenue at that price"
        )
    verdict = "; ".join(
        f"energy {what} at elasticity {', '.join(num(e, 1) for e in es)}"
        for what, es in moved.items()
        if es
    )
    short = sum(row.token_revenue_busd < row.break_even_busd for row in runs.values())
    ratio = O1_USD_PER_MTOK[1] / R1_USD_PER_MTOK[1]
    iea = 1 - IEA_2030_TWH["high_efficiency"] / IEA_2030_TWH["base"]
    return (
        f"With {num(hi)}x instead of {num(lo)}x the tokens per kWh, in {year} ("
        + "; ".join(parts)
        + f"): {verdict}. A token {num(hi)}x cheaper to make sells {num(hi)}^e times as "
        f"many, which need {num(hi)}^(e - 1) times the energy, so cheaper models cut the "
        f"power the industry needs only if demand for tokens is less than unit-elastic, "
        f"and raise it (until power and grid costs bend the supply curve up) if it is more. "
        f"DeepSeek-R1 was listed ~{num(ratio)}x below o1; the IEA's High "
        f"Efficiency case has 2030 data-centre electricity {num(100 * iea)}% below its "
        f"Base, which in this model takes an elasticity below 1. At the equilibrium price "
        f"(the marginal cost of a token) revenue falls short of break-even in {short} of "
        f"{len(runs)} runs: marginal-cost pricing of tokens does not pay for training and "
        f"for the fleet already in service."
    )


def _life(t: pd.DataFrame, year: int) -> str:
    runs = sweep_runs(t, "depreciation_life")
    by_life = {float(dict(c)["it_life_yr"]): row for c, row in runs.items()}
    lives = sorted(by_life)
    first, last = BURRY_YEARS
    short, long_ = by_life[lives[0]], by_life[lives[-1]]
    extra = short.accelerator_window_busd - long_.accelerator_window_busd

    def retired(row: pd.Series) -> str:
        gw = row.get("retired_peak_gw", 0.0)
        return (
            f"up to {num(gw, 1)} GW retired early in a year" if gw > 0.05 else "none retired early"
        )

    parts = [
        f"{num(life)} years: accelerators {num(row.accelerator_busd)} $B a year, all-in "
        f"{num(row.avg_cost, 3)} $/Mtok, break-even revenue {num(row.break_even_busd)} $B, "
        f"capex {num(row.capex_busd)} $B, {retired(row)}"
        for life, row in sorted(by_life.items())
    ]
    return (
        f"In {year}, with a life of " + "; ".join(parts) + f". A {num(lives[0])}-year life raises "
        f"break-even revenue by {_pct(short.break_even_busd, long_.break_even_busd)} over a "
        f"{num(lives[-1])}-year one; over {first}-{last} it adds {num(extra)} $B of "
        f"accelerator cost (capital charge and upkeep) world-wide, against the "
        f"~{num(BURRY_UNDERSTATED_BUSD)} $B of "
        f"depreciation Burry argues the hyperscalers understate by booking 6 years instead "
        f"of 2-3. Where hardware is retired before the end of its life, a "
        f"newer generation made it uneconomic: the life in the books is an upper bound, "
        f"and the capital charge of what is retired early is paid all the same."
    )


def _generations(t: pd.DataFrame, year: int) -> str:
    runs = sweep_runs(t, "generation_choice")
    by_year = {int(float(dict(c)["next_gen"])): row for c, row in runs.items()}
    arrivals = sorted(by_year)
    on_time = by_year[arrivals[0]]
    names = [
        c.removeprefix("built_").removesuffix("_gw")
        for c in t.columns
        if c.startswith("built_") and c.endswith("_gw")
    ]

    def bought(row: pd.Series) -> str:
        items = sorted(
            (row[f"built_{n}_from"], n) for n in names if row.get(f"built_{n}_gw", 0) > 0.05
        )
        return (
            ", ".join(
                f"{num(row[f'built_{n}_gw'], 1)} GW of {n} ({int(start)}"
                + (f"-{int(row[f'built_{n}_to'])})" if row[f"built_{n}_to"] > start else ")")
                for start, n in items
            )
            or "nothing"
        )

    def retired(row: pd.Series) -> str:
        items = [(n, row.get(f"retired_{n}_gw", 0.0)) for n in names]
        return ", ".join(f"{n} {num(gw, 1)}" for n, gw in items if gw > 0.05) or "none"

    text = (
        f"Offered {len(names)} generations, with the next one (twice GB300's tokens per "
        f"kWh at GB300's price) in {arrivals[0]}, the LP buys {bought(on_time)}: the "
        f"cheapest per token of what is available each year, whatever its price per kW. It "
        f"retires hardware early (most GW in one year, by generation: {retired(on_time)}) "
        f"where its maintenance, facility space and power are worth more to a newer "
        f"generation, its capital charge sunk. In {year} the fleet is "
        f"{num(on_time.facility_gw)} GW and {num(on_time.facility_twh)} TWh"
    )
    if "baseline" in t.index:
        b = t.loc["baseline"]
        text += (
            f" (one blended fleet: {num(b.facility_gw)} GW, {num(b.facility_twh)} TWh), "
            f"break-even revenue {num(on_time.break_even_busd)} $B (baseline "
            f"{num(b.break_even_busd)} $B)"
        )
    for arrival in arrivals[1:]:
        late = by_year[arrival]
        text += (
            f". If it arrives in {arrival} instead, the LP buys {bought(late)}, retires "
            f"{retired(late)} GW early and needs {num(late.facility_gw)} GW and "
            f"{num(late.facility_twh)} TWh in {year}, with break-even revenue "
            f"{num(late.break_even_busd)} $B ({_pct(late.break_even_busd, on_time.break_even_busd)})"
        )
    return text + "."


TOKEN_CONCLUSIONS: tuple[Conclusion, ...] = (
    Conclusion(
        "Do cheaper tokens cut or raise the power the industry needs (Jevons)?",
        ("jevons_efficiency",),
        _jevons,
    ),
    Conclusion(
        "What does the life of an accelerator (3, 5 or 6 years) do to the bill?",
        ("depreciation_life",),
        _life,
    ),
    Conclusion(
        "What gets bought when a generation twice as efficient arrives a year later?",
        ("generation_choice",),
        _generations,
    ),
)
"""The token questions; ``needs`` name sweeps (any run ``<name>__...`` satisfies them)."""
