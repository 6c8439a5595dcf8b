"""Build ``inputs/`` from the raw measured data (``python -m energymodel.data.build``).

One module per job: :mod:`.eia930` (measured US fleets and grid mix), :mod:`.solar`
(pvlib), :mod:`.grid_estimates`, :mod:`.prices`, :mod:`.load` (inference shape),
:mod:`.profiles` (the hourly table), :mod:`.costs` (technologies in USD 2024),
:mod:`.tables` (regions, hardware, fuels), :mod:`.grid_system` (the grid
around the data centres in system mode), :mod:`.writer` (byte-stable CSV),
:mod:`.constants` (price year, deflator, exchange rates, physical factors) and
:mod:`.regions_map` (which data stands for which region, and why).

The output is byte-for-byte identical on every run: no timestamps, fixed float formats,
sorted rows, no randomness.
"""

from __future__ import annotations

import logging
from pathlib import Path

from energymodel.data.build import costs, grid_system, profiles, tables, writer
from energymodel.data.build.regions_map import REGIONS

logger = logging.getLogger(__name__)

BUILT_FILES = (
    "hourly_profiles.csv",
    "hourly_sources.csv",
    "technologies.csv",
    "regions.csv",
    "hardware.csv",
    "fuels.csv",
    "accelerators.csv",
    "grid_system.csv",
)


def build_all(raw: Path, out: Path) -> dict[str, float]:
    """Rebuild every table the build owns from ``raw`` into ``out``; return build notes."""
    raw, out = Path(raw), Path(out)
    out.mkdir(parents=True, exist_ok=True)
    built = profiles.build_profiles(raw)
    writer.write_hourly(out / "hourly_profiles.csv", built.table)
    annual = tables.us_grid_annual(built.pooled)
    writer.write_long(
        out / "hourly_sources.csv",
        profiles.source_rows(built, annual),
        ("column", "unit", "source"),
        (),
    )
    tech = costs.build_technologies(raw) + costs.read_static(
        tables.CURATED / "technologies_static.csv"
    )
    writer.write_long(
        out / "technologies.csv", tech, costs.COLUMNS, ("tech", "parameter", "region", "year")
    )
    order = {r: i for i, r in enumerate(REGIONS)}  # regions in their canonical order
    region_rows = sorted(
        tables.regions_rows(), key=lambda r: (str(r["parameter"]), order[str(r["region"])])
    )
    writer.write_long(
        out / "regions.csv", region_rows, ("region", "parameter", "value", "unit", "source"), ()
    )
    writer.write_long(
        out / "hardware.csv",
        tables.curated_rows("hardware.csv", ("year", "parameter", "unit")),
        ("year", "parameter", "value", "unit", "source"),
        ("parameter", "year"),
    )
    writer.write_long(
        out / "fuels.csv",
        tables.curated_rows("fuels.csv", ("fuel", "region", "year", "parameter", "unit")),
        ("fuel", "region", "year", "parameter", "value", "unit", "source"),
        ("fuel", "region", "parameter", "year"),
    )
    writer.write_long(
        out / "accelerators.csv",
        tables.curated_rows("accelerators.csv", ("accelerator", "parameter", "unit")),
        ("accelerator", "parameter", "value", "unit", "source"),
        ("accelerator", "parameter"),
    )
    writer.write_long(
        out / "grid_system.csv",
        grid_system.build_rows(raw, tech, built.pooled),
        grid_system.COLUMNS,
        ("region", "grid_tech", "parameter", "year"),
    )
    logger.info("wrote %s to %s", ", ".join(BUILT_FILES), out)
    return built.notes
