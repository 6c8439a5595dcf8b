"""Input tables: load the CSV files in ``inputs/`` into one checked :class:`Inputs`.

:func:`load_inputs` reads every table, checks it against the manifest :data:`TABLES` (the
data dictionary, in :mod:`energymodel.data.manifest`; the readers and checks are in
:mod:`energymodel.data.checks`) and either returns an :class:`Inputs` or raises one
:class:`InputError` listing *every* problem found, each with the file, the line, the
column, the value found and what was expected.

Line numbers are 1-based and count the header, so the first data row is line 2.
"""

from __future__ import annotations

import dataclasses
import functools
import logging
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from energymodel.data.checks import (
    check_keys_and_references,
    read_long_table,
    regions_wide,
    wide_by_key,
)
from energymodel.data.hourly import read_hourly_profiles
from energymodel.data.manifest import (
    DEMAND_UNITS,
    FUEL_HUBS,
    HOURLY_FILE,
    HOURLY_PROFILES,
    HOURS_PER_YEAR,
    LEVEL_PROFILES,
    PROFILE_YEAR,
    RATIO_PROFILES,
    README_BEGIN,
    README_END,
    TABLES,
    ParameterSpec,
    TableSpec,
    data_dictionary_markdown,
    readme_block,
    update_readme,
)
from energymodel.limits import capped_lines

__all__ = [
    "DEMAND_UNITS",
    "FUEL_HUBS",
    "HOURLY_FILE",
    "HOURLY_PROFILES",
    "HOURS_PER_YEAR",
    "LEVEL_PROFILES",
    "PROFILE_YEAR",
    "RATIO_PROFILES",
    "README_BEGIN",
    "README_END",
    "TABLES",
    "InputError",
    "Inputs",
    "ParameterSpec",
    "TableSpec",
    "check_inputs",
    "data_dictionary_markdown",
    "load_inputs",
    "readme_block",
    "update_readme",
]

logger = logging.getLogger(__name__)


class InputError(Exception):
    """Raised by :func:`load_inputs` with every problem found in the input tables.

    ``problems`` holds them all; the text shows the first
    :data:`energymodel.limits.PROBLEMS` and a count of the rest.
    """

    def __init__(self, problems: list[str], folder: Path | None = None) -> None:
        self.problems = list(problems)
        self.folder = folder
        lines = "\n".join(capped_lines(self.problems, "  - "))
        where = f" in {folder}" if folder is not None else ""
        super().__init__(f"{len(self.problems):,} problem(s) in the input tables{where}:\n{lines}")


@dataclass(frozen=True)
class Inputs:
    """Every input table, checked. Treat the frames as read-only.

    ``regions`` and ``accelerators`` are wide (index ``region`` or ``accelerator``, one
    float column per parameter); the other tables are long, with ``unit`` and ``source``
    kept beside ``value``.
    """

    regions: pd.DataFrame
    technologies: pd.DataFrame
    fuels: pd.DataFrame
    hardware: pd.DataFrame
    demand: pd.DataFrame
    hourly: pd.DataFrame
    accelerators: pd.DataFrame
    grid_system: pd.DataFrame

    def series(
        self, table: str, parameter: str, years: list[int], region: str | None = None
    ) -> pd.DataFrame:
        """Return one parameter as a year x key table.

        Parameters
        ----------
        table
            ``regions``, ``technologies``, ``fuels``, ``hardware``, ``demand`` (for
            ``demand`` the parameter is the trajectory name) or ``grid_system``.
        parameter
            Parameter name (or trajectory).
        years
            Years wanted (the index of the result).
        region
            ``technologies``: the values that hold in this region (its own rows of a
            tech and parameter where it has any, else the blank-region rows). ``None``
            gives the blank-region rows (what holds wherever no region overrides).
            ``grid_system``: required, the region whose rows are returned (columns are
            its ``grid_tech`` values).

        Returns
        -------
        pandas.DataFrame
            Index ``year``; columns the key (region, tech; ``(fuel, region)`` pairs for
            fuels; one column ``value`` for hardware). Values are interpolated linearly
            between given years and held flat outside them; rows with a blank year apply
            to every year. Keys without the parameter are left out.
        """
        index = pd.Index(list(years), name="year")
        if table == "regions":
            if parameter not in self.regions.columns:
                raise KeyError(f"regions has no parameter {parameter!r}")
            col = self.regions[parameter]
            return pd.DataFrame({r: [float(v)] * len(index) for r, v in col.items()}, index=index)
        if table == "grid_system":
            return self._grid_system_series(parameter, index, region)
        if table not in ("technologies", "fuels", "hardware", "demand"):
            raise KeyError(f"unknown table {table!r}; expected one of {sorted(TABLES)}")
        df = getattr(self, table)
        if table == "demand":
            rows, keys = df[df["trajectory"] == parameter], ["region"]
        else:
            rows, keys = df[df["parameter"] == parameter], list(TABLES[table].keys)
        if rows.empty:
            raise KeyError(f"{table} has no parameter {parameter!r}")
        if "region" in TABLES[table].blank_keys:
            keys = [k for k in keys if k != "region"]
            own = rows[rows["region"] == region] if region else rows.iloc[0:0]
            rows = pd.concat(
                [own, rows[(rows["region"] == "") & ~rows[keys[0]].isin(own[keys[0]])]]
            )
        return _interpolate(rows, keys, index)

    def _grid_system_series(
        self, parameter: str, index: pd.Index, region: str | None
    ) -> pd.DataFrame:
        """``grid_system`` rows of one region as a year x grid_tech table."""
        if region is None:
            raise ValueError("grid_system: name the region (series(..., region='us_east'))")
        df = self.grid_system
        rows = df[(df["parameter"] == parameter) & (df["region"] == region)]
        if rows.empty:
            raise KeyError(f"grid_system has no parameter {parameter!r} for region {region!r}")
        return _interpolate(rows, ["grid_tech"], index)


def _interpolate(rows: pd.DataFrame, keys: list[str], index: pd.Index) -> pd.DataFrame:
    """Year x key table of long ``rows``: linear between given years, flat outside."""
    out: dict[object, np.ndarray] = {}
    groups = rows.groupby(keys, sort=False) if keys else [(("value",), rows)]
    for key, grp in groups:
        name: object = key[0] if len(key) == 1 else key
        undated = grp[grp["year"].isna()]
        if len(undated):
            out[name] = np.full(len(index), float(undated["value"].iloc[0]))
            continue
        grp = grp.sort_values("year")
        xs = grp["year"].astype(float).to_numpy()
        out[name] = np.interp(index.to_numpy(dtype=float), xs, grp["value"].to_numpy(float))
    result = pd.DataFrame(out, index=index)
    if len(keys) > 1:
        result.columns = pd.MultiIndex.from_tuples(list(out), names=keys)
    return result


# --------------------------------------------------------------------------- loading


def _mtimes(inputs_dir: Path) -> tuple[float | None, ...]:
    files = [spec.file for spec in TABLES.values()] + [HOURLY_FILE]
    out: list[float | None] = []
    for name in files:
        try:
            out.append((inputs_dir / name).stat().st_mtime_ns)
        except OSError:
            out.append(None)
    return tuple(out)


def load_inputs(inputs_dir: Path) -> Inputs:
    """Read and check every input table in ``inputs_dir``.

    Parameters
    ----------
    inputs_dir
        Folder holding the CSV files of :data:`TABLES` and ``hourly_profiles.csv``.

    Returns
    -------
    Inputs
        The checked tables (a fresh copy; results are cached per folder and file times).

    Raises
    ------
    InputError
        With every problem found, never a traceback for bad data.
    """
    inputs_dir = Path(inputs_dir).resolve()
    cached = _load_cached(str(inputs_dir), _mtimes(inputs_dir))
    return Inputs(**{f.name: getattr(cached, f.name).copy() for f in dataclasses.fields(cached)})


def check_inputs(inputs_dir: Path) -> list[str]:
    """Return every problem in the input tables of ``inputs_dir`` (empty when clean)."""
    try:
        load_inputs(inputs_dir)
    except InputError as err:
        return err.problems
    return []


@functools.lru_cache(maxsize=8)
def _load_cached(inputs_dir: str, mtimes: tuple[float | None, ...]) -> Inputs:
    del mtimes  # part of the cache key only
    folder = Path(inputs_dir)
    problems: list[str] = []
    if not folder.is_dir():
        what = "a file, not a folder" if folder.exists() else "no such folder"
        raise InputError(
            [f"{folder}: found {what}; expected the input folder (the scenario's inputs_dir)"]
        )
    # ``mentioned``: (keys..., parameter) of every row naming a known parameter; a row dropped
    # for a bad value still counts as given, so it is not reported as missing as well.
    long: dict[str, pd.DataFrame] = {}
    mentioned: dict[str, set[tuple[str, ...]]] = {}
    for name, spec in TABLES.items():
        long[name], mentioned[name] = read_long_table(folder, spec, problems)
    regions = regions_wide(long["regions"])
    # regions.csv unreadable (bad header, encoding): its one problem is enough; do not
    # also report every region named elsewhere as unknown
    known = sorted(regions.index) if not long["regions"].empty else None
    check_keys_and_references(long, mentioned, set(known) if known else None, problems)
    hourly = read_hourly_profiles(folder / HOURLY_FILE, known, problems)
    if problems:
        raise InputError(problems, folder)
    logger.debug("loaded inputs from %s", folder)
    return Inputs(
        regions=regions,
        technologies=long["technologies"],
        fuels=long["fuels"],
        hardware=long["hardware"],
        demand=long["demand"],
        hourly=hourly,
        accelerators=wide_by_key(long["accelerators"], "accelerators"),
        grid_system=long["grid_system"],
    )
