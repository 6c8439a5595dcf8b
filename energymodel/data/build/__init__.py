"""Build ``inputs/`` from the raw measured data (``python -m energymodel.data.build``).

One module per job: :mod:`.eia930` (measured US fleets and grid mix), :mod:`.solar`
(pvlib), :mod:`.grid_estimates`, :mod:`.prices`, :mod:`.load` (inference shape),
:mod:`.profiles` (the hourly table), :mod:`.costs` (technologies in USD 2024),
:mod:`.tables` (regions, hardware, fuels), :mod:`.grid_system` (the grid
around the data centres in system mode), :mod:`.writer` (byte-stable CSV),
:mod:`.constants` (price year, deflator, exchange rates, physical factors) and
:mod:`.regions_map` (which data stands for which region, and why); :mod:`.rawcheck`
checks and fingerprints every raw file first.

The output is byte-for-byte identical on every run: no timestamps, fixed float formats,
sorted rows, no randomness.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from pathlib import Path

from energymodel.data.build import costs, grid_system, profiles, tables, writer
from energymodel.data.build.rawcheck import (
    MANIFEST_COLUMNS,
    MANIFEST_FILE,
    RawDataError,
    changes,
    check_raw,
    fingerprint,
    read_manifest,
)
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
    """Rebuild every table the build owns from ``raw`` into ``out``; return build notes.

    All or nothing: every raw file is checked first (:func:`.rawcheck.check_raw`); the
    tables are written to a temporary folder beside ``out``, checked with
    :func:`energymodel.data.tables.load_inputs` (when ``out`` holds ``demand.csv``), and
    only then moved into ``out`` together, each by an atomic rename. Files of ``out`` the
    build does not own (``demand.csv``, ``README.md``) are never touched. The fingerprints
    of the raw files go to ``raw_manifest.csv``; a raw file that changed since the last
    build is logged as a WARNING.

    Raises
    ------
    RawDataError
        Listing every problem of the raw files (or of the built tables); ``out`` is
        then left as it was.
    """
    raw, out = Path(raw).resolve(), Path(out).resolve()
    problems = check_raw(raw)
    if problems:
        raise RawDataError(problems)
    manifest = fingerprint(raw)
    old = read_manifest(out / MANIFEST_FILE)
    for line in changes(old, manifest) if old else []:
        logger.warning("raw file %s", line)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.build-", dir=out.parent))
    try:
        try:
            notes = _write_tables(raw, tmp)
        except (ValueError, KeyError, IndexError, OSError) as err:  # not caught by the checks
            logger.debug("build failed", exc_info=True)
            raise RawDataError(
                [f"{raw}: the build stopped ({type(err).__name__}: {err})"]
            ) from None
        writer.write_long(tmp / MANIFEST_FILE, manifest, MANIFEST_COLUMNS, ("file",))
        _check_built(tmp, out)
        out.mkdir(parents=True, exist_ok=True)
        for name in (*BUILT_FILES, MANIFEST_FILE):
            os.replace(tmp / name, out / name)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    logger.info("wrote %s to %s", ", ".join((*BUILT_FILES, MANIFEST_FILE)), out)
    return notes


def _check_built(tmp: Path, out: Path) -> None:
    """The built tables must load with the hand-kept ``demand.csv`` of ``out``."""
    from energymodel.data.tables import InputError, load_inputs

    if not (out / "demand.csv").is_file():
        return  # a fresh folder: nothing to check the tables with
    shutil.copy2(out / "demand.csv", tmp / "demand.csv")
    try:
        load_inputs(tmp)
    except InputError as err:
        raise RawDataError([f"built table {p}" for p in err.problems]) from None


def _write_tables(raw: Path, out: Path) -> dict[str, float]:
    """Write every built table into ``out`` (a fresh folder)."""
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
    return built.notes
