"""The sentences of the scenario-library page: one template per question of the 2025 debate.

Each template reads the headline table of :mod:`energymodel.report.docs_page` (one row per
scenario, its short column names) and the published figures of
:mod:`energymodel.report.literature`, so the text stays true when the results change.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from energymodel.report.literature import (
    BAIN_FUNDABLE_BUSD,
    BAIN_NEW_GW,
    BAIN_NEW_GW_START,
    BAIN_REVENUE_BUSD,
    CAPACITY_FACTOR_FRAC,
    GPU_LEVEL_USD_PER_MTOK,
    IEA_CO2_2024_MT,
    IEA_CO2_2035_MT,
    LBNL_YEAR,
    R1_USD_PER_MTOK,
)
from energymodel.units import TWH_PER_GW_YEAR


def num(value: float, digits: int = 0) -> str:
    """A number for prose: thousands separators, ``digits`` decimals, ``n/a`` for NaN."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "n/a"
    return f"{value:,.{digits}f}"


def _pct(new: float, old: float) -> str:
    """Signed percentage change of ``new`` over ``old``."""
    if not old or math.isnan(old) or math.isnan(new):
        return "n/a"
    return f"{100 * (new / old - 1):+.0f}%"


@dataclass(frozen=True)
class Conclusion:
    """One question of the 2025 debate and the template that answers it."""

    title: str
    needs: tuple[str, ...]
    render: Callable[[pd.DataFrame, int], str]


def _first(t: pd.DataFrame) -> int:
    return int(t["first_year"].min())


def _gw_plausible(t: pd.DataFrame, year: int) -> str:
    b = t.loc["baseline"]
    new_gw = b.facility_gw - BAIN_NEW_GW_START
    text = (
        f"Serving Bain's demand takes {num(b.facility_gw)} GW of facility power in {year} "
        f"({num(b.us_facility_gw)} GW in the US) and {num(b.facility_twh)} TWh a year, "
        f"about {num(new_gw)} GW more than the 2025 stock, against Bain's "
        f"~{num(BAIN_NEW_GW)} GW: the model can serve it, at a price. "
    )
    if "supply_chain_limited" in t.index:
        s = t.loc["supply_chain_limited"]
        text += (
            f"The binding question is accelerators, not power: the baseline builds "
            f"{num(b.it_new_gw)} GW of IT in {year} alone (a supply path lifted to ~5x "
            f"today's output), while at the IEA-shipment path ({num(s.it_new_gw)} GW of IT "
            f"in {year}) only {num(s.facility_gw)} GW get built and {num(s.unserved_twh)} "
            f"TWh of IT energy goes unserved: demand is shed, so the marginal cost of "
            f"compute is the value of lost compute (what a MWh of inference earns), not a "
            f"price. "
        )
    if "ai_550twh" in t.index:
        a = t.loc["ai_550twh"]
        gw = a.facility_twh / (TWH_PER_GW_YEAR * CAPACITY_FACTOR_FRAC)
        text += (
            f"The article's 550 TWh is a smaller build: {num(a.facility_twh)} TWh in "
            f"{year} is ~{num(gw)} GW at a 50% capacity factor ({num(a.facility_gw)} GW "
            f"built), {num(100 * a.facility_gw / b.facility_gw)}% of the Bain case, so "
            f"'550 TWh' and '200 GW new' are not the same forecast"
        )
        if "supply_chain_limited" in t.index:
            s = t.loc["supply_chain_limited"]
            reach = "within" if s.facility_gw >= a.facility_gw else "beyond"
            text += f"; it is {reach} what the IEA-shipment path builds ({num(s.facility_gw)} GW)"
        text += ". "
    iea = [
        n
        for n in ("iea_base", "iea_lift_off", "iea_high_efficiency", "iea_headwinds")
        if n in t.index
    ]
    if iea:
        span = ", ".join(f"{n.removeprefix('iea_')} {num(t.loc[n].facility_twh)}" for n in iea)
        ref = t.loc[iea[0]]
        text += (
            f"Bain's AI-only {num(b.facility_twh)} TWh is "
            f"{num(100 * b.facility_twh / ref.facility_twh)}% of the IEA's {iea[0].removeprefix('iea_')} "
            f"projection for *all* data centres (TWh in {year}: {span}): 200 GW of new AI "
            f"capacity assumes AI alone grows as large as the whole sector the IEA expects."
        )
    return text


def _capex_arithmetic(t: pd.DataFrame, year: int) -> str:
    b = t.loc["baseline"]
    per_gw = b.cum_capex_busd / max(b.facility_gw - BAIN_NEW_GW_START, 1e-9)
    gap = "shortfall" if b.revenue_gap_busd > 0 else "surplus"
    return (
        f"The annualised side roughly holds: in the baseline the yearly cost to recover "
        f"(capital charges at the cost of capital plus operation) is "
        f"{num(b.break_even_busd)} $B in {year}, {num(100 * b.break_even_busd / BAIN_REVENUE_BUSD)}% "
        f"of Bain's $2T. The capex side does not: counted in the year capacity enters "
        f"service, {year}'s growth plus replacing 5-year-old accelerators costs "
        f"{num(b.capex_busd)} $B in {year} alone and {num(b.cum_capex_busd)} $B from "
        f"{_first(t)} to {year} (~{num(per_gw)} $B per GW of new facility power, replacements "
        f"included; Bernstein ~$35B, Nvidia $50-60B per GW), far above $500B a year, which "
        f"works out at $12.5-25B per GW and so leaves out most IT hardware. "
        f"Bain's capex-to-revenue rule (revenue = capex / 0.25) on the model's capex asks for "
        f"{num(b.capex_intensity_busd)} $B, {num(b.capex_intensity_busd / BAIN_REVENUE_BUSD, 1)}x "
        f"Bain's figure: the rule reads a steady state and overstates what assets must earn "
        f"in a year of ~70%/yr growth, while the annualised break-even understates the cash "
        f"needed. Tokens x the assumed market price (${num(b.price_first, 2)} -> "
        f"${num(b.price, 2)} per million tokens, falling 4x with tokens per kWh) bring "
        f"{num(b.market_revenue_busd)} $B in {year}, a {gap} of "
        f"{num(abs(b.revenue_gap_busd))} $B against break-even; that revenue is "
        f"{num(b.market_revenue_busd / BAIN_FUNDABLE_BUSD, 1)}x the ~$1.2T Bain finds "
        f"fundable. Its sign rests on the price assumption, not on the model."
    )


def _token_cost(t: pd.DataFrame, year: int) -> str:
    b = t.loc["baseline"]
    lo, hi = GPU_LEVEL_USD_PER_MTOK
    first = _first(t)

    def versus(cost: float) -> str:
        if cost < lo:
            return "below"
        return "inside" if cost <= hi else "above"

    def list_price(cost: float) -> str:
        if cost < R1_USD_PER_MTOK[0]:
            return "below"
        return "between" if cost <= R1_USD_PER_MTOK[1] else "above"

    margin = "above" if b.price > b.avg_cost else "below"
    cls = {c: b.get(f"serving_cost_{c}", math.nan) for c in ("chat", "reasoning")}
    by_class = "By model class (ML.ENERGY: a 70B-class chat model needs ~5x fewer joules "
    by_class += "per token than a reasoning model), serving a million chat tokens costs "
    by_class += f"{num(cls['chat'], 2)} $ and a million reasoning tokens "
    by_class += f"{num(cls['reasoning'], 2)} $ in {year}. "
    by_class = "" if math.isnan(sum(cls.values())) else by_class
    return (
        f"The all-in cost of a million tokens (training charged to the tokens sold) falls "
        f"from {num(b.avg_cost_first, 2)} $ in {first} to {num(b.avg_cost, 2)} $ in {year}, "
        f"serving alone from {num(b.serving_cost_first, 2)} to {num(b.serving_cost, 2)} $, "
        f"mostly because tokens per kWh rise 4x; accelerators and buildings, not energy, "
        f"are most of it. Serving cost is {versus(b.serving_cost_first)} the GPU-level "
        f"estimates of ${lo}-{hi} per million output tokens in {first} and "
        f"{versus(b.serving_cost)} them in {year}; against list prices it is "
        f"{list_price(b.serving_cost_first)} DeepSeek-R1's $0.55 in / $2.19 out per million "
        f"tokens in {first} and {list_price(b.serving_cost)} them in {year}, and below "
        f"GPT-5's $1.25 / $10 throughout. {by_class}The assumed blended market price "
        f"(${num(b.price_first, 2)} -> ${num(b.price, 2)}) ends {margin} the all-in cost in "
        f"{year}: selling tokens near cost is the baseline's premise, not a finding."
    )


def _cheap_models(t: pd.DataFrame, year: int) -> str:
    b, d = t.loc["baseline"], t.loc["deepseek_efficiency"]
    return (
        f"With 10x more tokens per kWh (and prices passed through 10x lower, "
        f"${num(d.price, 3)} per million tokens in {year}), the all-in cost falls from "
        f"{num(b.avg_cost, 2)} to {num(d.avg_cost, 3)} $/Mtok "
        f"(serving only {num(b.serving_cost, 2)} -> {num(d.serving_cost, 3)}) in {year}, "
        f"while GW ({num(b.facility_gw)} -> {num(d.facility_gw)}), energy and break-even "
        f"revenue ({num(b.break_even_busd)} -> {num(d.break_even_busd)} $B) do not move: "
        f"if the efficiency is spent on more tokens (Jevons), the power and capital "
        f"questions are unchanged; only if token demand grows less than 10x does the "
        f"build-out shrink. Cheap models cut the price of a token, not the bill for the "
        f"build-out."
    )


def _sweep_spans(values: pd.Series) -> dict[str, float]:
    """Per swept key, the largest change of ``values`` when only that key changes.

    ``values`` is indexed by run names ``<name>__<key>=<value>__<key>=<value>``.
    """
    parsed = {}
    for name, value in values.items():
        labels = dict(part.split("=", 1) for part in str(name).split("__")[1:] if "=" in part)
        parsed[tuple(sorted(labels.items()))] = float(value)
    keys = sorted({k for combo in parsed for k, _ in combo})
    spans: dict[str, float] = {}
    for key in keys:
        groups: dict[tuple, list[float]] = {}
        for combo, value in parsed.items():
            others = tuple((k, v) for k, v in combo if k != key)
            groups.setdefault(others, []).append(value)
        spans[key] = max((max(g) - min(g) for g in groups.values()), default=math.nan)
    return spans


def _dear_power(t: pd.DataFrame, year: int) -> str:
    b, p = t.loc["baseline"], t.loc["power_price_shock"]
    text = (
        f"Power and gas 50% dearer from 2026 raise the {year} all-in cost from "
        f"{num(b.avg_cost, 3)} to {num(p.avg_cost, 3)} $/Mtok ({_pct(p.avg_cost, b.avg_cost)}) "
        f"and break-even revenue by {num(p.break_even_busd - b.break_even_busd)} $B "
        f"({_pct(p.break_even_busd, b.break_even_busd)}); emissions change from "
        f"{num(b.emissions_mt)} to {num(p.emissions_mt)} MtCO2. "
    )
    if abs(p.avg_cost / b.avg_cost - 1) < 0.05:
        text += (
            "Energy is a small share of the cost of compute next to accelerators and "
            "buildings, so even a large price shock barely moves the cost of a token. "
        )
    sweep = [n for n in t.index if n.startswith("sweep_wacc_power__")]
    if sweep:
        lo, hi = t.loc[sweep, "avg_cost"].min(), t.loc[sweep, "avg_cost"].max()
        text += (
            f"Across the cost-of-capital x power-price sweep the all-in cost spans "
            f"{num(lo, 3)}-{num(hi, 3)} $/Mtok"
        )
        spans = _sweep_spans(t.loc[sweep, "avg_cost"])
        if spans:
            text += "; " + ", ".join(
                f"{key} alone moves it by up to {num(span, 3)} $/Mtok"
                for key, span in spans.items()
            )
        text += ": the cost of capital matters more than the price of power."
    return text


def _slow_grids(t: pd.DataFrame, year: int) -> str:
    b, g = t.loc["baseline"], t.loc["grid_constrained_us"]
    us, world = g.us_emissions_mt - b.us_emissions_mt, g.emissions_mt - b.emissions_mt
    abroad = " (training moves to regions whose queues allow it)" if us < 0 < world else ""
    if max(b.us_unserved_twh, g.us_unserved_twh) < 0.05:
        unserved = "leaves no US compute unserved"
    else:
        unserved = (
            f"changes US unserved compute from {num(b.us_unserved_twh, 1)} to "
            f"{num(g.us_unserved_twh, 1)} TWh"
        )
    text = (
        f"Limiting US connections to 4.5 GW/yr {unserved} and changes the {year} all-in "
        f"cost by {_pct(g.avg_cost, b.avg_cost)} ({num(b.avg_cost, 3)} -> "
        f"{num(g.avg_cost, 3)} $/Mtok). What changes is who supplies the power: US grid "
        f"connections reach {num(g.us_grid_gw)} GW in {year} instead of {num(b.us_grid_gw)}, "
        f"and on-site gas {num(g.us_gas_gw)} GW instead of {num(b.us_gas_gw)}; "
        f"US emissions change by {num(us)} MtCO2 in {year} and world emissions by "
        f"{num(world)}{abroad}. One more "
        f"GW of yearly US connection is worth up to {num(g.us_grid_value)} $/kW-yr "
        f"(baseline {num(b.us_grid_value)}; the limit's dual, a shadow value per remaining "
        "year, not a capacity-auction price), next to ~200 $/kW of connection capex. "
    )
    if abs(g.avg_cost / b.avg_cost - 1) < 0.02:
        text += (
            "Slow grids barely move the cost of compute because on-site gas, even with a "
            "1,000 $/kW behind-the-meter adder, costs about what the industrial grid tariff "
            "does (less in us_east, where the baseline already runs on gas): in this model "
            "they shift emissions and who builds power, not the economics of a token."
        )
    else:
        text += "On-site supply is dearer than the grid, so slow grids raise the cost of compute."
    return text


def _closed_china(t: pd.DataFrame, year: int) -> str:
    b, c = t.loc["baseline"], t.loc["china_closed"]
    return (
        f"Without China the {year} build-out is {num(c.facility_gw)} GW instead of "
        f"{num(b.facility_gw)} GW ({_pct(c.facility_gw, b.facility_gw)}), break-even "
        f"revenue {num(c.break_even_busd)} $B instead of {num(b.break_even_busd)} $B and "
        f"market revenue {num(c.market_revenue_busd)} $B instead of "
        f"{num(b.market_revenue_busd)} $B; the cost per token hardly changes "
        f"({num(b.avg_cost, 3)} -> {num(c.avg_cost, 3)} $/Mtok), so a closed market "
        f"shrinks the industry rather than its unit economics."
    )


def _bubble(t: pd.DataFrame, year: int) -> str:
    u, b = t.loc["bubble_burst"], t.loc["baseline"]
    gap = "short of" if u.revenue_gap_busd > 0 else "above"
    return (
        f"If announced builds go ahead while demand stays at its 2026 level, "
        f"{num(u.peak_stranded_gw)} GW of IT capacity stand idle at the worst year and "
        f"{num(u.stranded_gw)} GW in {year}, a stranded capital charge of "
        f"{num(u.stranded_cost_busd)} $B a year; the all-in cost per token is "
        f"{num(u.avg_cost, 2)} $/Mtok against the baseline's {num(b.avg_cost, 2)} and the "
        f"assumed price of {num(u.price, 2)}, so market revenue ({num(u.market_revenue_busd)} "
        f"$B) falls {num(abs(u.revenue_gap_busd))} $B {gap} break-even "
        f"({num(u.break_even_busd)} $B). The marginal cost collapses to "
        f"{num(u.marginal_cost, 2)} $/Mtok because spare capacity only needs energy: the "
        f"bubble risk is idle capital, not power."
    )


def _emissions(t: pd.DataFrame, year: int) -> str:
    b = t.loc["baseline"]
    text = (
        f"AI data centres alone emit {num(b.emissions_mt)} MtCO2 in {year} in the "
        f"baseline (from {num(b.emissions_first_mt)} in {_first(t)}), against the IEA's "
        f"{num(IEA_CO2_2024_MT)} Mt for *all* data centres in 2024 and ~{num(IEA_CO2_2035_MT)} "
        f"Mt in 2035 (Base): "
    )
    if b.emissions_mt > IEA_CO2_2035_MT:
        text += (
            "above the IEA's 2035 figure five years early. Much new supply is on-site gas "
            "(the cheapest firm power at the inputs' prices in several regions), and the "
            "inputs hold each grid's hourly carbon intensity at its measured level (2022 for "
            "the US, 2023-24 elsewhere) in every year, so grid-heavy cases are overstated. "
        )
    else:
        text += "within the IEA's path. "
    if "iea_base" in t.index:
        text += (
            f"The IEA Base demand in the model emits {num(t.loc['iea_base'].emissions_mt)} Mt "
            f"in {year}. "
        )
    if "clean_24_7" in t.index:
        text += (
            f"Hourly clean matching brings the AI figure to "
            f"{num(t.loc['clean_24_7'].emissions_mt)} Mt (see 24/7 clean power)."
        )
    return text


def _us_vs_lbnl(t: pd.DataFrame, year: int) -> str:
    b, lo, hi = t.loc["baseline"], t.loc["lbnl_low"], t.loc["lbnl_high"]
    if b.us_facility_twh > hi.us_facility_twh:
        where = "above even LBNL's high case"
    elif b.us_facility_twh > lo.us_facility_twh:
        where = "inside LBNL's range"
    else:
        where = "below LBNL's low case"
    return (
        f"Bain's US half is {num(b.us_facility_gw)} GW and {num(b.us_facility_twh)} TWh of "
        f"AI alone in {year} ({num(b.us_facility_twh_lbnl_year)} TWh in {LBNL_YEAR}), "
        f"against LBNL's {num(lo.us_facility_twh_lbnl_year)}-"
        f"{num(hi.us_facility_twh_lbnl_year)} TWh in {LBNL_YEAR} for *all* US data "
        f"centres ({num(lo.us_facility_twh)}-{num(hi.us_facility_twh)} TWh in {year} if "
        f"its growth rates continue): AI alone is already {where} in {year}, before "
        f"any conventional data-centre load is added."
    )


CONCLUSIONS: tuple[Conclusion, ...] = (
    Conclusion("Is 200 GW (or 550 TWh) by 2030 plausible?", ("baseline",), _gw_plausible),
    Conclusion(
        "Is the US half consistent with LBNL?",
        ("baseline", "lbnl_low", "lbnl_high"),
        _us_vs_lbnl,
    ),
    Conclusion(
        "Does the $500B capex -> $2T revenue arithmetic hold?", ("baseline",), _capex_arithmetic
    ),
    Conclusion("What does a token cost to make?", ("baseline",), _token_cost),
    Conclusion(
        "What do cheap (DeepSeek-style) models do?",
        ("baseline", "deepseek_efficiency"),
        _cheap_models,
    ),
    Conclusion("What does dear power do?", ("baseline", "power_price_shock"), _dear_power),
    Conclusion("What do slow grids do?", ("baseline", "grid_constrained_us"), _slow_grids),
    Conclusion("What does a closed China do?", ("baseline", "china_closed"), _closed_china),
    Conclusion("What if the bubble bursts?", ("bubble_burst", "baseline"), _bubble),
    Conclusion("How much CO2?", ("baseline",), _emissions),
)
