"""Write the long tables (regions, technologies, hardware, fuels) in USD 2024.

Curated rows (``curated/*.csv``) carry the published value, its ``currency`` and
``currency_year``; money is converted to USD 2024 here (:mod:`.constants`) and the
conversion is appended to the source. Grid carbon and clean share are not here: they are
hourly columns of ``hourly_profiles.csv`` (:mod:`.profiles`); :func:`us_grid_annual` gives
their generation-weighted annual means for the sources file and the checks.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd

from energymodel.data.build.constants import PRICE_YEAR, conversion_note, to_usd_2024

CURATED = Path(__file__).resolve().parent / "curated"


def _money(row: dict[str, str]) -> tuple[float, str]:
    """The row's value in USD 2024 and its source with the conversion.

    Only a row in USD of the price year itself is left as it is; every other currency
    and year is converted. A money row must name its currency and currency year.
    """
    value, source = float(row["value"]), row["source"]
    cur, year = row.get("currency", ""), row.get("currency_year", "")
    if row.get("unit", "").startswith("USD") and not (cur and year):
        raise ValueError(f"curated money row without currency and currency_year: {row}")
    if not cur:
        return value, source
    if cur == "USD" and year == str(PRICE_YEAR):
        return value, f"{source}; USD 2024"
    value = to_usd_2024(value, cur, int(year))
    return value, f"{source}; {conversion_note(cur, int(year))}"


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


def regions_rows() -> list[dict[str, object]]:
    """``regions.csv``: the curated rows (grid carbon and clean share are hourly)."""
    return curated_rows("regions.csv", ("region", "parameter", "value", "unit", "source"))


def us_grid_annual(pooled: dict[str, pd.DataFrame]) -> dict[str, tuple[float, float, str]]:
    """Generation-weighted annual carbon and clean share of the pooled US BAs."""
    from energymodel.data.build import eia930
    from energymodel.data.build.regions_map import GRID_BAS

    out = {}
    for region, gen in pooled.items():
        total = gen.sum(axis=1)
        carbon = float((eia930.grid_carbon(gen) * total).sum() / total.sum())
        clean = float((eia930.clean_share(gen) * total).sum() / total.sum())
        out[region] = (
            carbon,
            clean,
            "EIA-930 2022 hourly mix of "
            + "+".join(GRID_BAS[region])
            + " (EIA 2022 direct CO2 factors)",
        )
    return out
