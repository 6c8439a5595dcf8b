"""Gas rows of ``technologies.csv``: on-site gas by class, at 2025 market costs.

Five classes, each from one table so they compare like with like: EIA, *Cost and
Performance Characteristics of New Generating Technologies, Annual Energy Outlook 2023*,
Table 3 (2022 $; "AEO2023" below), which holds reciprocating engines (internal combustion
engines, 21 MW plant), aeroderivative turbines (105 MW), heavy-duty frame turbines in
simple cycle ("industrial frame", 237 MW) and combined cycle (multi-shaft, 1,083 MW):

=================  ==========  =====  ======  =====  ========  ==========================
tech               class       $/kW   FOM     VOM    HR Btu/   2025 market
                               (2022)  $/kW-yr $/MWh  kWh HHV
=================  ==========  =====  ======  =====  ========  ==========================
``gas_recip``      engines     2,240  39.57   6.40   8,295     x1 (no backlog: 12-18 mo)
``gas_ocgt``       aeroderiv.  1,428  18.35   5.29   9,124     x turbine market
``gas_industrial`` industrial  as aeroderivative     38 % LHV  x turbine market
``gas_frame``      heavy duty    867   7.88   5.06   9,905     x turbine market
``gas_ccgt``       heavy CC    NextEra 2025 (2,400 $/kW, USD 2025); ATB heat rate
=================  ==========  =====  ======  =====  ========  ==========================

The 2025 turbine market: NextEra's CEO (CERAWeek, Mar 2025) put a new combined cycle at
~2,400 $/kW, 1.87x AEO2023's 1,176 (both in USD 2024); S&P Global (May 2025) reports
turbine prices up ~2.5x in some markets. Every turbine class takes the 1.87x in 2025 and
half of it by 2030 as OEM capacity grows (estimate). No separate behind-the-meter adder:
build.inc's "+$1-3M per MW" for on-site generation is the cost of the plant itself per MW
of data centre (1.3-1.7 kW of generator per kW of IT with N+1 and PUE), which these
capex already are; getting gas to the fence is ``fuels.csv``'s delivered-gas adder.

**Part load.** A campus islanded from the grid keeps its spare unit spinning (no grid to
catch a trip), so its units share the load at about the firm share of nameplate
(``firm_credit_frac``). The heat rate written is the full-load heat rate x the part-load
ratio at that loading, ``1 + (r75 - 1) (1 - L) / 0.25`` with ``r75`` the heat-rate ratio
at 75 % load (:data:`PART_LOAD_75`). The LP has no unit commitment, so this fixed
operating point is how part load enters it.

Heat rates are HHV (Henry Hub gas is priced per MMBtu HHV); CO2 per MWh is
0.0531 tCO2/MMBtu HHV (EPA) x heat rate.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from energymodel.data.build.constants import (
    GAS_HHV_PER_LHV,
    MMBTU_PER_MWH,
    to_usd_2024,
)
from energymodel.data.build.cost_rows import Add, add_fom
from energymodel.data.build.cost_rows import rounded as _r

if TYPE_CHECKING:
    from energymodel.data.build.costs import RawCosts

AEO2023 = "EIA AEO2023 Cost and Performance Characteristics of New Generating Technologies, Table 3"
# class: (capex 2022$/kW, FOM 2022$/kW-yr, VOM 2022$/MWh, heat rate Btu/kWh HHV, row name)
AEO2023_ROWS: dict[str, tuple[float, float, float, float, str]] = {
    "gas_recip": (2240.0, 39.57, 6.40, 8295.0, "Internal combustion engine, 21 MW"),
    "gas_ocgt": (1428.0, 18.35, 5.29, 9124.0, "Combustion turbine-aeroderivative, 105 MW"),
    "gas_frame": (867.0, 7.88, 5.06, 9905.0, "Combustion turbine-industrial frame, 237 MW"),
    "gas_ccgt": (1176.0, 13.73, 2.10, 6370.0, "Combined-cycle-multi-shaft, 1,083 MW"),
}
NEXTERA_CCGT_2025 = 2400.0  # NextEra CEO, CERAWeek Mar 2025: new CCGT ~$2,400/kW (USD 2025)
INDUSTRIAL_ETA_LHV = 0.38  # Solar Turbines Titan / Siemens SGT-800 class, simple cycle
# Heat-rate ratio at 75 % load over full load (estimate from the shape of OEM part-load
# curves: engines nearly flat, simple-cycle turbines lose most, combined cycle between).
PART_LOAD_75 = {
    "gas_recip": 1.02,
    "gas_ocgt": 1.06,
    "gas_industrial": 1.07,
    "gas_frame": 1.08,
    "gas_ccgt": 1.03,
}
# Firm share of nameplate with N+1 (or N+2) spares on a ~1 GW campus (estimates): an
# islanded campus has no grid to fall back on (Uptime Institute Tier III: N+1 on power).
FIRM_SHARE = {
    "gas_recip": (0.714, "N+2 redundancy across 7 engine blocks (5/7 firm)"),
    "gas_ocgt": (0.8, "N+1 redundancy across 5 aeroderivative units (4/5 firm)"),
    "gas_industrial": (0.8, "N+1 redundancy across 5 packaged industrial turbines (4/5 firm)"),
    "gas_frame": (0.75, "N+1 redundancy across 4 heavy-duty frames of ~240 MW (3/4 firm)"),
    "gas_ccgt": (0.75, "two 2-on-1 trains ride through a unit outage at ~75% of nameplate"),
}
# Firm fuel: firm pipeline transport reserved for the plant's full daily burn (estimate:
# ~0.5 $/MMBtu-day, the range of FERC-approved long-haul reservation rates, judgement).
FIRM_TRANSPORT_USD_PER_MMBTU_DAY = 0.5
# Without it, gas plant keeps 0.60 / 0.78 of its firm credit: PJM 2026/2027 BRA ELCC class
# ratings, gas combustion turbine ~60 % against dual fuel (firm fuel on site) ~78 %.
NONFIRM_FUEL_CREDIT = round(0.60 / 0.78, 3)
CO2_T_PER_MMBTU_HHV = 0.05306  # EPA GHG emission factors hub: natural gas 53.06 kg CO2/MMBtu
USD2022 = to_usd_2024(1.0, "USD", 2022)


def part_load_ratio(tech: str) -> float:
    """Heat-rate ratio at the N+1 operating point (loading = the firm share)."""
    load = FIRM_SHARE[tech][0]
    return 1 + (PART_LOAD_75[tech] - 1) * (1 - load) / 0.25


def market_factor(year: int) -> float:
    """2025 turbine prices over AEO2023's (NextEra / AEO2023 combined cycle); half by 2030."""
    nextera = to_usd_2024(NEXTERA_CCGT_2025, "USD", 2025)
    full = nextera / (AEO2023_ROWS["gas_ccgt"][0] * USD2022)
    return full if year == 2025 else 1 + 0.5 * (full - 1)


def gas_rows(c: RawCosts, add: Add) -> None:
    """Add every on-site gas cost and performance row (five classes)."""
    nextera = to_usd_2024(NEXTERA_CCGT_2025, "USD", 2025)
    full = market_factor(2025)
    for tech, (capex, fom, vom, hr_btu, name) in AEO2023_ROWS.items():
        if tech == "gas_ccgt":
            continue
        cite = f"{AEO2023} '{name}'"
        for y in (2025, 2030):
            mk = 1.0 if tech == "gas_recip" else market_factor(y)
            value = capex * USD2022 * mk
            why = (
                "x1: engines ship in 12-18 months, no turbine-style backlog (estimate)"
                if tech == "gas_recip"
                else f"x{mk:.2f} turbine market (NextEra 2025 CCGT / AEO2023 CC = {full:.2f}"
                + ("" if y == 2025 else ", half of it eased by 2030 (estimate)")
                + "; S&P Global May 2025: ~2.5x in some markets)"
            )
            add(
                tech,
                "",
                y,
                "capex_usd_per_kw",
                _r(value),
                f"derived: {cite} {capex:,.0f} USD2022/kW x{USD2022:.4f} (US GDP deflator) {why}",
            )
            if tech == "gas_ocgt":  # the industrial class has no AEO row: priced as aero
                add(
                    "gas_industrial",
                    "",
                    y,
                    "capex_usd_per_kw",
                    _r(value),
                    f"derived: estimate, industrial turbines (15-60 MW packaged units, Solar "
                    f"Turbines Titan / Siemens SGT-800) priced as aeroderivatives per kW: "
                    f"{cite} {capex:,.0f} USD2022/kW x{USD2022:.4f} {why}",
                )
        fixed = [(tech, cite)] + (
            [("gas_industrial", f"{cite} (estimate: industrial as aero)")]
            if tech == "gas_ocgt"
            else []
        )
        for t, src in fixed:
            add(t, "", "", "fom_usd_per_kw_yr", _r(fom * USD2022), f"{src} FOM {fom} USD2022/kW-yr")
            add(t, "", "", "vom_usd_per_mwh", _r(vom * USD2022, 2), f"{src} VOM {vom} USD2022/MWh")
        _heat_rate_rows(add, tech, hr_btu / 1000, f"{cite} heat rate {hr_btu:,.0f} Btu/kWh (HHV)")
    industrial = MMBTU_PER_MWH / INDUSTRIAL_ETA_LHV * GAS_HHV_PER_LHV
    _heat_rate_rows(
        add,
        "gas_industrial",
        industrial,
        f"estimate: industrial turbines ~{INDUSTRIAL_ETA_LHV:.0%} LHV in simple cycle (Solar "
        f"Turbines Titan 250/350, Siemens SGT-800 class; judgement) -> 3.412/"
        f"{INDUSTRIAL_ETA_LHV} x HHV/LHV {GAS_HHV_PER_LHV}",
    )

    # --- gas_ccgt: heavy-duty combined cycle, at NextEra's 2025 price
    atb = {y: c.get("US", y, "CCGT", "investment") for y in (2025, 2030)}
    add(
        "gas_ccgt",
        "",
        2025,
        "capex_usd_per_kw",
        _r(nextera),
        f"derived: NextEra CEO (CERAWeek Mar 2025) new CCGT ~2,400 $/kW USD2025 = {nextera:.0f} "
        f"USD2024 (market; ATB reference {atb[2025].cite()} = {atb[2025].usd():.0f} USD2024, "
        f"{atb[2025].note()})",
    )
    add(
        "gas_ccgt",
        "",
        2030,
        "capex_usd_per_kw",
        _r(0.5 * (nextera + atb[2030].usd())),
        f"derived: estimate halfway between market {nextera:.0f} and {atb[2030].cite()} = "
        f"{atb[2030].usd():.0f} USD2024 ({atb[2030].note()}) as OEM capacity grows",
    )
    premium = nextera / atb[2025].usd()
    for y in (2025, 2030):
        add_fom(add, "gas_ccgt", "", y, c.get("US", y, "CCGT", "FOM"), atb[y].usd(), "ATB")
        vom = c.get("US", y, "CCGT", "VOM")
        add("gas_ccgt", "", y, "vom_usd_per_mwh", _r(vom.usd(), 2), f"{vom.cite()}; {vom.note()}")
        eta = c.get("US", y, "CCGT", "efficiency")
        _heat_rate_rows(
            add,
            "gas_ccgt",
            MMBTU_PER_MWH / eta.value * GAS_HHV_PER_LHV,
            f"derived: {eta.cite()} (LHV, DEA row in the ATB file) -> 3.412/{eta.value} x "
            f"HHV/LHV {GAS_HHV_PER_LHV}",
            y,
        )
        dea = c.get("EU", y, "CCGT", "investment")
        prem = premium if y == 2025 else 1 + 0.5 * (premium - 1)
        add(
            "gas_ccgt",
            "europe",
            y,
            "capex_usd_per_kw",
            _r(dea.usd() * prem),
            f"derived: {dea.cite()} = {dea.usd():.0f} USD2024 ({dea.note()}) x market premium "
            f"{prem:.2f} (estimate: the US NextEra/ATB ratio {premium:.2f}"
            f"{'' if y == 2025 else ', halved by 2030'})",
        )
        add_fom(add, "gas_ccgt", "europe", y, c.get("EU", y, "CCGT", "FOM"), dea.usd(), "DEA")
        dvom = c.get("EU", y, "CCGT", "VOM")
        add(
            "gas_ccgt",
            "europe",
            y,
            "vom_usd_per_mwh",
            _r(dvom.usd(), 2),
            f"{dvom.cite()}; {dvom.note()}",
        )
    life = c.get("US", 2025, "CCGT", "lifetime")
    for tech in ("gas_ccgt", "gas_frame"):
        add(tech, "", "", "life_yr", life.value, f"{life.cite()} (DEA technical lifetime)")
    for tech, (share, why) in FIRM_SHARE.items():
        add(tech, "", "", "firm_credit_frac", share, f"estimate: {why}")
    for tech in ("gas_recip", "gas_ocgt", "gas_industrial"):
        add(
            tech,
            "",
            "",
            "life_yr",
            6.0,
            "estimate: cost recovery of bridging power over 6 yr (engines and aeroderivative "
            "or packaged turbines as 5-7 yr bridges), not the 20-25 yr technical life",
        )


def _heat_rate_rows(add: Add, tech: str, full: float, src: str, year: int | str = "") -> None:
    """Heat rate at the N+1 operating point, the CO2 it implies, and the firm-fuel option."""
    ratio = part_load_ratio(tech)
    hr = full * ratio
    load = FIRM_SHARE[tech][0]
    if year in ("", 2025):
        add(
            tech,
            "",
            "",
            "firm_fuel_usd_per_kw_yr",
            _r(FIRM_TRANSPORT_USD_PER_MMBTU_DAY * full * 24 * 365 / 1000),
            f"derived: firm transport for the full daily burn, {FIRM_TRANSPORT_USD_PER_MMBTU_DAY} "
            f"$/MMBtu-day (estimate: FERC-approved long-haul reservation rates, judgement) x "
            f"{full:.3f} MMBtu/MWh x 24 h x 365 / 1000",
        )
        add(
            tech,
            "",
            "",
            "nonfirm_fuel_credit_frac",
            NONFIRM_FUEL_CREDIT,
            "derived: PJM 2026/2027 Base Residual Auction ELCC class ratings, gas combustion "
            "turbine ~0.60 against dual fuel ~0.78: 0.60 / 0.78 of the firm credit without "
            "firm fuel",
        )
    add(
        tech,
        "",
        year,
        "heat_rate_mmbtu_per_mwh",
        _r(hr, 3),
        f"derived: full load {full:.3f} MMBtu/MWh ({src}) x part-load ratio {ratio:.3f} at "
        f"{load:.0%} load (N+1 units spinning; {PART_LOAD_75[tech]} at 75 % load, estimate "
        "from OEM part-load curves)",
    )
    add(
        tech,
        "",
        year,
        "emissions_tco2_per_mwh",
        _r(CO2_T_PER_MMBTU_HHV * hr, 3),
        f"derived: 53.06 kg CO2/MMBtu HHV (EPA GHG emission factors hub, natural gas) x "
        f"heat rate {hr:.3f} MMBtu/MWh",
    )
