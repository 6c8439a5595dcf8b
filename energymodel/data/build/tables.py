"""Write the long tables (regions, technologies, hardware, fuels) in USD 2024.

Curated rows (``curated/*.csv``) carry the published value, its ``currency`` and
``currency_year``; money is converted to USD 2024 here (:mod:`.constants`) and the
conversion is appended to the source. ``regions.csv`` gets the US grid carbon and clean
share as 2022 generation-weighted means of the hourly EIA-930 series, and the other
regions' annual figures from :mod:`.grid_estimates`.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd

from energymodel.data.build import grid_estimates
from energymodel.data.build.constants import conversion_note, to_usd_2024

CURATED = Path(__file__).resolve().parent / "curated"


def _money(row: dict[str, str]) -> tuple[float, str]:
    value, source = float(row["value"]), row["source"]
    cur, year = row.get("currency", ""), row.get("currency_year", "")
    if cur and not (cur == "USD" and year == "2024"):
        value = to_usd_2024(value, cur, int(year))
        source = f"{source}; {conversion_note(cur, int(year))}"
    elif cur:
        source = f"{source}; USD 2024"
    return value, source


def curated_rows(name: str, columns: tuple[str, ...]) -> list[dict[str, object]]:
    """Rows of ``curated/<name>`` with money converted to USD 2024."""
    out: list[dict[str, object]] = []
    with (CURATED / name).open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            value, source = _money(row)
            rec: dict[str, object] = {c: row[c] for c in columns if c in row}
            rec["value"], rec["source"] = value, source
            out.append(rec)
    return out


def regions_rows(us_grid: dict[str, tuple[float, float, str]]) -> list[dict[str, object]]:
    """``regions.csv``: curated rows plus annual grid carbon and clean share."""
    cols = ("region", "parameter", "value", "unit", "source")
    rows = curated_rows("regions.csv", cols)
    for region, (carbon, clean, src) in us_grid.items():
        rows.append({"region": region, "parameter": "grid_carbon_tco2_per_mwh", "value": carbon,
                     "unit": "tCO2/MWh", "source": f"derived: {src}, generation-weighted 2022 mean"})
        rows.append({"region": region, "parameter": "grid_clean_frac", "value": clean,
                     "unit": "fraction", "source": f"derived: {src}, 2022 share of generation"})
    for region, g in grid_estimates.SHARES.items():
        rows.append({"region": region, "parameter": "grid_carbon_tco2_per_mwh",
                     "value": g.carbon_tco2_per_mwh, "unit": "tCO2/MWh", "source": g.source})
        rows.append({"region": region, "parameter": "grid_clean_frac", "value": g.clean_frac,
                     "unit": "fraction", "source": g.source})
    return rows


def us_grid_annual(pooled: dict[str, pd.DataFrame]) -> dict[str, tuple[float, float, str]]:
    """Generation-weighted annual carbon and clean share of the pooled US BAs."""
    from energymodel.data.build import eia930
    from energymodel.data.build.regions_map import GRID_BAS

    out = {}
    for region, gen in pooled.items():
        total = gen.sum(axis=1)
        carbon = float((eia930.grid_carbon(gen) * total).sum() / total.sum())
        clean = float((eia930.clean_share(gen) * total).sum() / total.sum())
        out[region] = (carbon, clean, "EIA-930 2022 hourly mix of " + "+".join(GRID_BAS[region])
                       + " (EIA 2022 direct CO2 factors)")
    return out
