"""Gas rows of ``technologies.csv``: on-site CCGT and bridging gas (turbines, engines).

Split from :mod:`.costs` (which holds the raw-file look-ups and the arithmetic of the
bridging cost in its docstring). Heat rates are HHV: ``HR = 3.412142 / eta_LHV x 1.108``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from energymodel.data.build.constants import (
    GAS_HHV_PER_LHV,
    GAS_TCO2_PER_MWH_TH_LHV,
    MMBTU_PER_MWH,
    to_usd_2024,
)
from energymodel.data.build.cost_rows import Add, add_fom
from energymodel.data.build.cost_rows import rounded as _r

if TYPE_CHECKING:
    from energymodel.data.build.costs import RawCosts

BTM_ADDER = 1000.0  # build.inc 2025: on-site generation adds $1-3M/MW; low end, USD 2025
TURBINE_MARKET = 2.5  # S&P Platts (May 2025): turbine costs up ~2.5x in some markets
NEXTERA_CCGT_2025 = 2400.0  # NextEra CEO, CERAWeek Mar 2025: new CCGT ~$2,400/kW (USD 2025)
RECIP_ETA_LHV = 0.44


def gas_rows(c: RawCosts, add: Add) -> None:
    """Add every gas_ccgt, gas_ocgt and gas_recip cost and performance row."""

    def hr(eta: float) -> float:
        return MMBTU_PER_MWH / eta * GAS_HHV_PER_LHV

    hhv = f"x HHV/LHV {GAS_HHV_PER_LHV} (natural gas, IEA/DOE)"
    # --- gas_ccgt (on-site combined cycle, permanent)
    atb = {y: c.get("US", y, "CCGT", "investment") for y in (2025, 2030)}
    nextera = to_usd_2024(NEXTERA_CCGT_2025, "USD", 2025)
    btm = to_usd_2024(BTM_ADDER, "USD", 2025)
    premium = nextera / atb[2025].usd()
    add(
        "gas_ccgt",
        "",
        2025,
        "capex_usd_per_kw",
        _r(nextera + btm),
        f"derived: NextEra CEO (CERAWeek Mar 2025) new CCGT ~2,400 $/kW USD2025 = {nextera:.0f} "
        f"USD2024 (market; ATB reference {atb[2025].cite()} = {atb[2025].usd():.0f} USD2024, "
        f"{atb[2025].note()}) + behind-the-meter adder {btm:.0f} (build.inc 2025: on-site "
        "generation adds $1-3M/MW, low end)",
    )
    mid = 0.5 * (nextera + atb[2030].usd())
    add(
        "gas_ccgt",
        "",
        2030,
        "capex_usd_per_kw",
        _r(mid + btm),
        f"derived: estimate halfway between market {nextera:.0f} and {atb[2030].cite()} = "
        f"{atb[2030].usd():.0f} USD2024 ({atb[2030].note()}) as OEM capacity grows, + "
        f"behind-the-meter adder {btm:.0f}",
    )
    for y in (2025, 2030):
        add_fom(add, "gas_ccgt", "", y, c.get("US", y, "CCGT", "FOM"), atb[y].usd(), "ATB")
        vom = c.get("US", y, "CCGT", "VOM")
        add("gas_ccgt", "", y, "vom_usd_per_mwh", _r(vom.usd(), 2), f"{vom.cite()}; {vom.note()}")
        eta = c.get("US", y, "CCGT", "efficiency")
        add(
            "gas_ccgt",
            "",
            y,
            "heat_rate_mmbtu_per_mwh",
            _r(hr(eta.value), 3),
            f"derived: {eta.cite()} (LHV, DEA row in the ATB file) -> 3.412/{eta.value} {hhv}",
        )
        add(
            "gas_ccgt",
            "",
            y,
            "emissions_tco2_per_mwh",
            _r(GAS_TCO2_PER_MWH_TH_LHV / eta.value, 3),
            f"derived: 0.198 tCO2/MWh_th LHV (PyPSA technology-data 'gas' CO2 intensity) / {eta.value}",
        )
        dea = c.get("EU", y, "CCGT", "investment")
        prem = premium if y == 2025 else 1 + 0.5 * (premium - 1)
        add(
            "gas_ccgt",
            "europe",
            y,
            "capex_usd_per_kw",
            _r(dea.usd() * prem + btm),
            f"derived: {dea.cite()} = {dea.usd():.0f} USD2024 ({dea.note()}) x market premium "
            f"{prem:.2f} (estimate: the US NextEra/ATB ratio {premium:.2f}"
            f"{'' if y == 2025 else ', halved by 2030'}) + behind-the-meter adder {btm:.0f}",
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
    add("gas_ccgt", "", "", "life_yr", life.value, f"{life.cite()} (DEA technical lifetime)")

    # --- bridging gas: aeroderivative (gas_ocgt) and reciprocating engines (gas_recip)
    for y in (2025, 2030):
        dea = c.get("US", y, "OCGT", "investment")
        mk = TURBINE_MARKET if y == 2025 else 1 + 0.5 * (TURBINE_MARKET - 1)
        plant = dea.usd() * mk
        base = (
            f"{dea.cite()} = {dea.usd():.0f} USD2024 ({dea.note()}) x {mk} turbine-market "
            f"inflation (S&P Platts May 2025: ~2.5x{'' if y == 2025 else '; halfway eased by 2030, estimate'})"
            f" = {plant:.0f} plant + behind-the-meter adder {btm:.0f} (build.inc 2025, low end)"
        )
        add("gas_ocgt", "", y, "capex_usd_per_kw", _r(plant + btm), f"derived: {base}")
        add(
            "gas_recip",
            "",
            y,
            "capex_usd_per_kw",
            _r(plant + btm),
            f"derived: estimate, engines priced like aeroderivatives (same bridging market; no "
            f"primary $/kW for engines): {base}",
        )
        fom = c.get("US", y, "OCGT", "FOM")
        for t in ("gas_ocgt", "gas_recip"):
            add(
                t,
                "",
                y,
                "fom_usd_per_kw_yr",
                _r(fom.value / 100 * plant),
                f"derived: {fom.cite()} (DEA) x plant capex {plant:.0f} USD2024"
                + ("" if t == "gas_ocgt" else " (estimate: engines as turbines)"),
            )
        eta = c.get("US", y, "OCGT", "efficiency")
        add(
            "gas_ocgt",
            "",
            y,
            "heat_rate_mmbtu_per_mwh",
            _r(hr(eta.value), 3),
            f"derived: {eta.cite()} (LHV) -> 3.412/{eta.value} {hhv}",
        )
        add(
            "gas_ocgt",
            "",
            y,
            "emissions_tco2_per_mwh",
            _r(GAS_TCO2_PER_MWH_TH_LHV / eta.value, 3),
            f"derived: 0.198 tCO2/MWh_th LHV / {eta.value}",
        )
    vom = c.get("US", 2025, "OCGT", "VOM")
    for t in ("gas_ocgt", "gas_recip"):
        add(
            t,
            "",
            "",
            "vom_usd_per_mwh",
            _r(vom.usd(), 2),
            f"{vom.cite()}; {vom.note()}"
            + ("" if t == "gas_ocgt" else " (estimate: engines as turbines)"),
        )
        add(
            t,
            "",
            "",
            "life_yr",
            6.0,
            "estimate: cost recovery of bridging power over 6 yr (aeroderivatives/engines as 5-7 yr "
            "bridges), not the 25 yr technical life (DEA)",
        )
    add(
        "gas_recip",
        "",
        "",
        "heat_rate_mmbtu_per_mwh",
        _r(hr(RECIP_ETA_LHV), 3),
        f"estimate: large lean-burn gas engines ~44 % LHV (judgement; no engine row in ATB/DEA "
        f"raw files) -> 3.412/0.44 {hhv}",
    )
    add(
        "gas_recip",
        "",
        "",
        "emissions_tco2_per_mwh",
        _r(GAS_TCO2_PER_MWH_TH_LHV / RECIP_ETA_LHV, 3),
        "derived: 0.198 tCO2/MWh_th LHV / 0.44",
    )
