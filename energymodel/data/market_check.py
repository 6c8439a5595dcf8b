"""On-site power costs of ``inputs/`` beside 2025 market evidence (issue 24).

``python -m energymodel.data.market_check [--inputs inputs] [--year 2025]`` prints, per
technology and US region, the levelised cost the input tables imply and the published
range it should be read against:

- solar and wind: Lazard, *Levelized Cost of Energy+* (June 2025, v18), unsubsidised:
  utility solar 38-78 $/MWh, onshore wind 37-86, at Lazard's own financing (60 % debt at
  8 %, 40 % equity at 12 %: a pre-tax WACC of ~9.6 %, after tax ~7.7 %);
- bridging gas behind the meter (engines, aeroderivative and industrial turbines, costed
  over a 6-year bridge): ~175 $/MWh reported for 2025 (BNP Paribas; 150-180 across
  reports), for an islanded campus that holds N+1 spares and runs at ~85 % of its peak;
- permanent heavy-duty gas (frames, combined cycle, 25-year life) at that load: Lazard's
  gas combined cycle, 48-109 $/MWh.

The cost of a technology is its annualised capex and fixed O&M per kW, divided by the
energy a kW delivers (capacity factor x 8.76 MWh), plus fuel and variable O&M per MWh.
Gas behind the meter is costed per kW of *firm* supply (installed / firm credit), with
firm fuel, at the delivered gas price of the region. The LP does the same sums with the
scenario's cost of capital; this check is how to see whether an edit of ``inputs/``
keeps the defaults inside published evidence.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path

from energymodel.data.tables import Inputs, load_inputs
from energymodel.finance import capital_recovery_factor
from energymodel.units import HOURS_PER_YEAR

LAZARD_WACC = 0.077  # Lazard LCOE+ 2025: 60 % debt at 8 %, 40 % equity at 12 %, after tax
MODEL_WACC = 0.09  # the scenario default, finance.wacc
BRIDGING = (150.0, 180.0, "behind-the-meter gas, 2025 (BNP Paribas ~175)")
HEAVY_DUTY = (48.0, 109.0, "Lazard LCOE+ 2025, gas combined cycle")
PUBLISHED = {
    "solar_pv": (38.0, 78.0, "Lazard LCOE+ 2025, utility solar"),
    "wind_onshore": (37.0, 86.0, "Lazard LCOE+ 2025, onshore wind"),
    "gas_recip": BRIDGING,
    "gas_industrial": BRIDGING,
    "gas_ocgt": BRIDGING,
    "gas_frame": HEAVY_DUTY,
    "gas_ccgt": HEAVY_DUTY,
}
US_REGIONS = ("us_east", "us_texas", "us_west")
ONSITE_GAS = ("gas_recip", "gas_industrial", "gas_ocgt", "gas_frame", "gas_ccgt")
CAMPUS_LOAD_FACTOR = 0.85  # an AI campus runs at ~85 % of its peak on average


@dataclass(frozen=True)
class Check:
    """One levelised cost beside its published range."""

    tech: str
    region: str
    usd_per_mwh: float
    low: float
    high: float
    source: str
    wacc: float

    @property
    def inside(self) -> bool:
        return self.low <= self.usd_per_mwh <= self.high


def levelised_cost(
    capex: float, fom: float, per_mwh: float, life: float, wacc: float, energy_per_kw: float
) -> float:
    """$/MWh: (capex x CRF + FOM) per kW over the MWh a kW delivers in a year, + per MWh."""
    return (capex * capital_recovery_factor(wacc, life) + fom) / energy_per_kw + per_mwh


def market_checks(inputs: Inputs, year: int = 2025) -> list[Check]:
    """Solar and wind at Lazard's financing, on-site gas at the model's, per US region."""
    out: list[Check] = []
    gas_hub = float(inputs.series("fuels", "price_usd_per_mmbtu", [year]).iloc[0, 0])
    static = inputs.series("technologies", "life_yr", [year]).iloc[0]
    for region in US_REGIONS:

        def value(parameter: str, tech: str, region: str = region) -> float:
            table = inputs.series("technologies", parameter, [year], region=region)
            return float(table[tech].iloc[0])

        for tech in ("solar_pv", "wind_onshore"):
            cf = float(inputs.hourly[f"{tech}:{region}"].mean())
            low, high, source = PUBLISHED[tech]
            cost = levelised_cost(
                value("capex_usd_per_kw", tech),
                value("fom_usd_per_kw_yr", tech),
                value("vom_usd_per_mwh", tech),
                float(static[tech]),
                LAZARD_WACC,
                cf * HOURS_PER_YEAR / 1000,
            )
            out.append(Check(tech, region, cost, low, high, source, LAZARD_WACC))
        gas = gas_hub * float(inputs.regions.loc[region, "gas_price_multiplier_ratio"])
        gas += float(inputs.regions.loc[region, "onsite_gas_adder_usd_per_mmbtu"])
        for tech in ONSITE_GAS:
            firm = value("firm_credit_frac", tech)
            fixed = value("fom_usd_per_kw_yr", tech) + value("firm_fuel_usd_per_kw_yr", tech)
            per_mwh = value("vom_usd_per_mwh", tech) + gas * value("heat_rate_mmbtu_per_mwh", tech)
            low, high, source = PUBLISHED[tech]
            cost = levelised_cost(
                value("capex_usd_per_kw", tech) / firm,
                fixed / firm,
                per_mwh,
                float(static[tech]),
                MODEL_WACC,
                CAMPUS_LOAD_FACTOR * HOURS_PER_YEAR / 1000,
            )
            out.append(Check(tech, region, cost, low, high, source, MODEL_WACC))
    return out


def markdown(checks: list[Check]) -> str:
    """The checks as a markdown table."""
    lines = [
        "| tech | region | inputs imply $/MWh | WACC | published | inside |",
        "|---|---|---:|---:|---|---|",
    ]
    for c in checks:
        lines.append(
            f"| {c.tech} | {c.region} | {c.usd_per_mwh:.0f} | {c.wacc:.1%} | "
            f"{c.low:.0f}-{c.high:.0f} ({c.source}) | {'yes' if c.inside else 'no'} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Print the checks for ``--inputs`` in ``--year``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inputs", type=Path, default=Path("inputs"))
    parser.add_argument("--year", type=int, default=2025)
    args = parser.parse_args(argv)
    print(markdown(market_checks(load_inputs(args.inputs), args.year)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
