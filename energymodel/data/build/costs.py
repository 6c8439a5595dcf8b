"""``technologies.csv``: technology costs in USD 2024 from NREL ATB and the DEA catalogue.

Format (new): ``tech,region,year,parameter,value,unit,source``. ``region`` blank = every
region; a row with a region name overrides the blank row of the same tech, parameter and
year for that region. Blank-region cost rows are **NREL ATB 2024, Market / Moderate**
(US); ``europe`` rows are the **Danish Energy Agency** catalogue (both via
PyPSA/technology-data in the raw folder). china, asia_pacific and rest_of_world use the
blank (US ATB) rows: an estimate, stated in each row.

Every cost row names its raw row (file, technology, parameter, currency year) and the
conversion to USD 2024 (:mod:`.constants`). Heat rates are **HHV** (Henry Hub gas is
priced per MMBtu HHV): ``HR = 3.412142 / eta_LHV x 1.108``. CO2 per MWh uses the LHV
efficiency with 0.198 tCO2/MWh_th (LHV, stoichiometric; PyPSA technology-data).

On-site gas (engines, aeroderivative, industrial and heavy-duty turbines, combined cycle)
is built in :mod:`.costs_gas` from EIA's AEO2023 table at 2025 market prices, with N+1
firm shares, part-load heat rates and a 6-year cost recovery for bridging plant. Arithmetic
for ``gas_recip`` in 2025, WACC 9 % (scenario default), Henry Hub 3.51 $/MMBtu x 0.8 (Waha)
+ 0.75 delivered (2024 $):

    capex            = AEO2023 2,240 USD2022/kW x 1.0627 = 2,380 $/kW (no market uplift)
    CRF(9 %, 6 yr)   = 0.09 / (1 - 1.09**-6) = 0.2229
    fixed            = 2,380 x 0.2229 + FOM 42.1 = 573 $/kW-yr installed
    per kW firm      = 573 / 0.714 (N+2 of 7)  = 803 $/kW-yr
    at 85 % load     = 803 / (8.76 x 0.85)     = 108 $/MWh
    fuel             = 8.49 MMBtu/MWh HHV x (2.81 + 0.75) = 30.2 $/MWh;  VOM 6.8 $/MWh
    all-in           = 108 + 30.2 + 6.8 = ~145 $/MWh  (BNP Paribas, 2025: ~175)
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from energymodel.data.build.constants import (
    conversion_note,
    to_usd_2024,
)
from energymodel.data.build.cost_rows import add_fom
from energymodel.data.build.cost_rows import rounded as _r
from energymodel.data.build.costs_gas import gas_rows

# Texas builds solar and wind for less than the US average: EIA, Assumptions to the Annual
# Energy Outlook 2026, Electricity Market Module, Tables 3-4 (Apr 2026, post-article; the
# regional multipliers of NEMS), region TRE (ERCOT) over the capacity-weighted national cost.
_AEO2026 = "EIA AEO2026 EMM Tables 3-4, {}: TRE {} / national {} 2025$/kW; post-article vintage"
ERCOT_FACTOR = {
    "solar_pv": (1342 / 1484, _AEO2026.format("solar PV with tracking", "1,342", "1,484")),
    "wind_onshore": (1562 / 1712, _AEO2026.format("onshore wind", "1,562", "1,712")),
}

COLUMNS = ("tech", "region", "year", "parameter", "value", "unit", "source")
UNITS = {
    "capex_usd_per_kw": "USD/kW",
    "fom_usd_per_kw_yr": "USD/kW/yr",
    "vom_usd_per_mwh": "USD/MWh",
    "heat_rate_mmbtu_per_mwh": "MMBtu/MWh",
    "emissions_tco2_per_mwh": "tCO2/MWh",
    "life_yr": "yr",
    "firm_credit_frac": "fraction",
    "firm_fuel_usd_per_kw_yr": "USD/kW/yr",
    "nonfirm_fuel_credit_frac": "fraction",
    "roundtrip_efficiency_frac": "fraction",
}


@dataclass(frozen=True)
class RawRow:
    """One row of a PyPSA technology-data file."""

    file: str
    technology: str
    parameter: str
    value: float
    unit: str
    currency_year: int | None

    def cite(self) -> str:
        """Short citation of the raw row."""
        cur = f", {self.unit} {self.currency_year}" if self.currency_year else f", {self.unit}"
        return f"{self.file} '{self.technology}' {self.parameter} = {self.value:g}{cur}"

    def usd(self) -> float:
        """The value in USD 2024 (money rows only)."""
        assert self.currency_year is not None
        currency = "EUR" if self.unit.startswith("EUR") else "USD"
        return to_usd_2024(self.value, currency, self.currency_year)

    def note(self) -> str:
        """Conversion note."""
        assert self.currency_year is not None
        currency = "EUR" if self.unit.startswith("EUR") else "USD"
        return conversion_note(currency, self.currency_year)


class RawCosts:
    """Look-ups in the four technology_costs files."""

    def __init__(self, raw: Path) -> None:
        self.rows: dict[tuple[str, int, str, str], RawRow] = {}
        for prefix, label in (("us_atb_costs", "US"), ("eu_costs", "EU")):
            for year in (2025, 2030):
                name = f"{prefix}_{year}.csv"
                with (raw / "technology_costs" / name).open(encoding="utf-8") as fh:
                    for r in csv.DictReader(fh):
                        fc, sc = r.get("financial_case", ""), r.get("scenario", "")
                        if fc not in ("", "Market") or sc not in ("", "Moderate"):
                            continue
                        cy = r["currency_year"]
                        self.rows[(label, year, r["technology"], r["parameter"])] = RawRow(
                            f"technology_costs/{name}",
                            r["technology"],
                            r["parameter"],
                            float(r["value"]),
                            r["unit"],
                            int(float(cy)) if cy else None,
                        )

    def get(self, label: str, year: int, tech: str, parameter: str) -> RawRow:
        """Return one raw row."""
        return self.rows[(label, year, tech, parameter)]


def build_technologies(raw: Path) -> list[dict[str, object]]:
    """Every row of ``technologies.csv`` (cost rows built here, the rest curated)."""
    c = RawCosts(raw)
    rows: list[dict[str, object]] = []

    def add(
        tech: str, region: str, year: int | str, parameter: str, value: float, source: str
    ) -> None:
        if UNITS[parameter].startswith("USD") and "USD2024" not in source:
            source = f"{source}; in USD2024"
        rows.append(
            {
                "tech": tech,
                "region": region,
                "year": year,
                "parameter": parameter,
                "value": value,
                "unit": UNITS[parameter],
                "source": source,
            }
        )

    gas_rows(c, add)

    # --- renewables and storage
    spec = {
        "solar_pv": ("solar-utility", "solar-utility"),
        "wind_onshore": ("onwind", "onwind"),
    }
    for tech, (us_name, eu_name) in spec.items():
        for y in (2025, 2030):
            inv = c.get("US", y, us_name, "investment")
            add(tech, "", y, "capex_usd_per_kw", _r(inv.usd()), f"{inv.cite()}; {inv.note()}")
            add_fom(add, tech, "", y, c.get("US", y, us_name, "FOM"), inv.usd(), "ATB")
            dea = c.get("EU", y, eu_name, "investment")
            add(tech, "europe", y, "capex_usd_per_kw", _r(dea.usd()), f"{dea.cite()}; {dea.note()}")
            add_fom(add, tech, "europe", y, c.get("EU", y, eu_name, "FOM"), dea.usd(), "DEA")
            factor, why = ERCOT_FACTOR[tech]
            add(
                tech,
                "us_texas",
                y,
                "capex_usd_per_kw",
                _r(inv.usd() * factor),
                f"derived: {inv.cite()} = {inv.usd():.0f} USD2024 ({inv.note()}) x ERCOT "
                f"regional factor {factor:.3f} ({why})",
            )
        add(tech, "", "", "vom_usd_per_mwh", 0.0, "NREL ATB 2024 (raw files): no variable O&M row")
        add(tech, "", "", "emissions_tco2_per_mwh", 0.0, "no combustion")
        life = c.get("US", 2025, us_name, "lifetime")
        add(tech, "", "", "life_yr", life.value, f"{life.cite()}")
    for y in (2025, 2030):
        dvom = c.get("EU", y, "onwind", "VOM")
        add(
            "wind_onshore",
            "europe",
            y,
            "vom_usd_per_mwh",
            _r(dvom.usd(), 2),
            f"{dvom.cite()}; {dvom.note()}",
        )
        inv = c.get("US", y, "Utility-Scale Battery Storage - 4Hr", "investment")
        add(
            "battery",
            "",
            y,
            "capex_usd_per_kw",
            _r(inv.usd()),
            f"{inv.cite()} (per kW of a 4 h system); {inv.note()}",
        )
        fom = c.get("US", y, "Utility-Scale Battery Storage - 4Hr", "FOM")
        add_fom(add, "battery", "", y, fom, inv.usd(), "ATB")
        st, iv = (
            c.get("EU", y, "battery storage", "investment"),
            c.get("EU", y, "battery inverter", "investment"),
        )
        eu = 4 * st.usd() + iv.usd()
        add(
            "battery",
            "europe",
            y,
            "capex_usd_per_kw",
            _r(eu),
            f"derived: 4 h x {st.cite()} + {iv.cite()}; {st.note()}",
        )
        add(
            "battery",
            "europe",
            y,
            "fom_usd_per_kw_yr",
            _r(fom.value / 100 * eu),
            f"estimate: ATB share {fom.value} %/yr x DEA capex {eu:.0f} (DEA gives FOM for the "
            "inverter only)",
        )
    add("battery", "", "", "vom_usd_per_mwh", 0.0, "NREL ATB 2024 (raw files): no variable O&M row")
    add(
        "battery",
        "",
        "",
        "emissions_tco2_per_mwh",
        0.0,
        "storage: emissions belong to the energy charged",
    )
    life = c.get("US", 2025, "battery storage", "lifetime")
    add("battery", "", "", "life_yr", life.value, life.cite())
    add(
        "battery",
        "",
        "",
        "roundtrip_efficiency_frac",
        0.85,
        "NREL ATB 2024 Utility-Scale Battery Storage documentation: 85 % round trip (raw files: "
        "DEA inverter 0.955 per conversion)",
    )

    # --- nuclear (ATB gives large nuclear for 2030 only; held flat before)
    inv = c.get("US", 2030, "nuclear", "investment")
    add("nuclear", "", 2030, "capex_usd_per_kw", _r(inv.usd()), f"{inv.cite()}; {inv.note()}")
    add_fom(add, "nuclear", "", 2030, c.get("US", 2030, "nuclear", "FOM"), inv.usd(), "ATB")
    vom, fuel = c.get("US", 2030, "nuclear", "VOM"), c.get("US", 2030, "nuclear", "fuel")
    add(
        "nuclear",
        "",
        2030,
        "vom_usd_per_mwh",
        _r(vom.usd() + fuel.usd(), 2),
        f"derived: {vom.cite()} + {fuel.cite()} (fuel carried in VOM); {vom.note()}",
    )
    einv = c.get("EU", 2030, "nuclear", "investment")
    add(
        "nuclear",
        "europe",
        2030,
        "capex_usd_per_kw",
        _r(einv.usd()),
        f"{einv.cite()} (Lazard LCOE+ 2023, US-specific incl. Vogtle, as listed in the EU file); {einv.note()}",
    )
    add_fom(add, "nuclear", "europe", 2030, c.get("EU", 2030, "nuclear", "FOM"), einv.usd())
    evom, efuel, eeta = (c.get("EU", 2030, "nuclear", p) for p in ("VOM", "fuel", "efficiency"))
    add(
        "nuclear",
        "europe",
        2030,
        "vom_usd_per_mwh",
        _r(evom.usd() + efuel.usd() / eeta.value, 2),
        f"derived: {evom.cite()} + {efuel.cite()} / efficiency {eeta.value}; {evom.note()}, {efuel.note()}",
    )
    add("nuclear", "", "", "emissions_tco2_per_mwh", 0.0, "no combustion")
    life = c.get("US", 2030, "nuclear", "lifetime")
    add("nuclear", "", "", "life_yr", life.value, f"{life.cite()} (Lazard LCOE+ 2023)")
    return rows


def read_static(path: Path) -> list[dict[str, object]]:
    """Curated non-cost rows (build limits, availability, firm credit), region blank."""
    with path.open(encoding="utf-8") as fh:
        return [{**r, "region": ""} for r in csv.DictReader(fh)]
