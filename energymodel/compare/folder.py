"""Read a results folder (the one reader of it), combine scenarios, and compare them.

Readers: nothing here solves or writes results (writing ``all.nc`` and the summary files
is :mod:`energymodel.batch`'s job; :func:`results_subdir` only makes a sub-folder, never
through a symbolic link). A results folder is a store: :func:`read_results` finds every
run in it and says which files it leaves out and why. A notebook can start here::

    from energymodel.compare import open_results, difference, headline
    ds = open_results("results")
    headline(ds)                         # one row per scenario, last model year
    difference(ds, "baseline")           # every numeric variable minus baseline's

The combined Dataset (:mod:`energymodel.compare.combine`) carries each run's swept values as non-index coordinates on
``scenario`` named ``sweep__<key>`` (NaN, or ``""`` for text, where a run did not sweep
that key) and every run's own attributes as JSON in the ``scenario_attrs`` attribute.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import xarray as xr

from energymodel.compare.combine import (  # concat_runs: re-exported (compare.samples)
    combine_datasets,
    concat_runs,  # noqa: F401
)
from energymodel.fileio import ResultsWriteError

logger = logging.getLogger(__name__)

COMBINED_NAME = "all.nc"
"""File name of the combined Dataset in a results folder."""


def result_files(folder: str | Path, names: Iterable[str] | None = None) -> dict[str, Path]:
    """List the per-scenario result files of a folder.

    Parameters
    ----------
    folder
        A results folder holding ``<scenario>.nc`` files.
    names
        Scenarios to take, in this order; default every ``*.nc`` except ``all.nc`` and
        symbolic links (never followed), sorted by name.

    Returns
    -------
    dict
        File stem -> path (the stem is the run's name when the file is a run's own:
        :func:`read_results` checks that).

    Raises
    ------
    FileNotFoundError
        If a named scenario has no file.
    """
    folder = Path(folder)
    if names is None:
        paths = sorted(
            p for p in folder.glob("*.nc") if p.name != COMBINED_NAME and not p.is_symlink()
        )
        return {p.stem: p for p in paths}
    files = {name: folder / f"{name}.nc" for name in names}
    missing = [name for name, path in files.items() if not path.is_file()]
    if missing:
        raise FileNotFoundError(f"no results in {folder} for: {', '.join(missing)}")
    return files


def results_subdir(folder: str | Path, name: str, *, drop_links: bool = False) -> Path:
    """Return the sub-folder ``name`` of a results folder, created if needed.

    Nothing is written through a symbolic link inside a results folder: a link in the
    sub-folder's place is refused (it may point anywhere on the machine).

    Parameters
    ----------
    folder
        The results folder.
    name
        The sub-folder (``samples``, ``uncertainty``, ``figures``).
    drop_links
        Also remove symbolic links inside the sub-folder, with a warning (for a folder
        whose files are all written afresh by name, as ``figures/``).

    Raises
    ------
    energymodel.fileio.ResultsWriteError
        If ``<folder>/<name>`` is a symbolic link or a file, naming it and what to do.
    """
    path = Path(folder) / name
    if path.is_symlink():
        raise ResultsWriteError(
            path,
            "it is a symbolic link, and results are never written through one "
            f"(remove the link; {name}/ is then made as a plain folder)",
        )
    if path.exists() and not path.is_dir():
        raise ResultsWriteError(path, f"it is a file, not a folder (move it away: {name}/ "
                                      "is written here)")  # fmt: skip
    try:
        path.mkdir(exist_ok=True)
        links = [p for p in path.iterdir() if p.is_symlink()] if drop_links else []
        for link in links:
            link.unlink()
            logger.warning("removed the symbolic link %s: results are never written "
                           "through one", link)  # fmt: skip
    except OSError as err:
        raise ResultsWriteError.wrap(path, err) from None
    return path


def is_our_run(ds: xr.Dataset) -> bool:
    """Whether a Dataset is one energymodel run: it names its run and its version or hash."""
    return _is_ours(ds.attrs)


def _is_ours(attrs: Mapping[str, Any]) -> bool:
    named = isinstance(attrs.get("scenario"), str) and bool(attrs["scenario"])
    return named and ("energymodel_version" in attrs or "input_hash" in attrs)


def read_results(results_dir: str | Path) -> dict[str, xr.Dataset]:
    """Read every run of a results folder: the one reader of a results folder.

    A results folder is a store: each run has its own ``<name>.nc``, and the runs of
    every batch written into the folder accumulate. What this returns is what
    ``all.nc``, ``summary.*``, ``iamc.csv`` and the report describe.

    Parameters
    ----------
    results_dir : Path
        Folder with ``<scenario>.nc`` files (their attrs hold ``scenario``,
        ``description`` and ``scenario_yaml``). A folder holding only ``all.nc`` (as
        shared) is read from that.

    Returns
    -------
    dict[str, xr.Dataset]
        Run name to its results, sorted by name.

    Raises
    ------
    FileNotFoundError
        When the folder holds no readable results file.

    Notes
    -----
    Files are left out with a warning naming them and why: a file that cannot be read
    (truncated, not netCDF); a netCDF file that is not an energymodel run (no
    ``scenario`` attribute); a run's file under another run's name (matched by the file
    name and the ``scenario`` attribute together, so a renamed older copy never replaces
    a run's numbers); a symbolic link (never followed). Runs made from other inputs or
    another energymodel version than the newest run are kept, with a warning naming
    them (stale: re-run them to compare like with like).
    """
    results_dir = Path(results_dir)
    return _load(results_dir, _scan(results_dir))


@dataclass(frozen=True)
class _RunFile:
    """A run's own file, as found by :func:`_scan` (its attributes read, not its data)."""

    path: Path
    mtime: float
    version: str
    inputs: str


def _scan(results_dir: Path) -> dict[str, _RunFile]:
    """The runs' own files in a folder, by name; every other ``*.nc`` left out with a warning."""
    found: dict[str, _RunFile] = {}
    for path in sorted(results_dir.glob("*.nc")):
        if path.name == COMBINED_NAME:
            continue
        if path.is_symlink():
            logger.warning("skipping %s: a symbolic link (links in a results folder are "
                           "never followed)", path)  # fmt: skip
            continue
        try:
            with xr.open_dataset(path) as lazy:
                attrs = dict(lazy.attrs)
        except (OSError, ValueError) as err:
            _skip(path, err)
            continue
        if not _is_ours(attrs):
            logger.warning("skipping %s: not an energymodel result (no scenario and "
                           "energymodel_version attributes)", path)  # fmt: skip
            continue
        name = str(attrs["scenario"])
        if name != path.stem:
            logger.warning(
                "skipping %s: it holds run %r, not %r (a renamed or copied file?); runs are "
                "matched by file name and scenario attribute together: delete or move it",
                path, name, path.stem,
            )  # fmt: skip
            continue
        version, inputs = _provenance(attrs)
        found[name] = _RunFile(path, path.stat().st_mtime, version, inputs)
    return found


def _load(results_dir: Path, found: Mapping[str, _RunFile]) -> dict[str, xr.Dataset]:
    """Load the runs :func:`_scan` found (``all.nc`` when there are none); warn if stale."""
    out: dict[str, xr.Dataset] = {}
    for name, run in found.items():
        try:
            out[name] = xr.load_dataset(run.path)
        except (OSError, ValueError) as err:
            _skip(run.path, err)
    out |= _from_combined(results_dir, out)
    if not out:
        msg = f"no results (*.nc) in {results_dir} that can be read"
        raise FileNotFoundError(msg)
    _warn_stale(results_dir, {n: r for n, r in found.items() if n in out})
    return dict(sorted(out.items()))


def _from_combined(results_dir: Path, runs: Mapping[str, xr.Dataset]) -> dict[str, xr.Dataset]:
    """The runs of ``all.nc`` when the folder has no run file (a shared ``all.nc``)."""
    combined = results_dir / COMBINED_NAME
    if combined.is_symlink():
        logger.warning("skipping %s: a symbolic link (never followed)", combined)
        return {}
    if not combined.is_file():
        return {}
    try:
        if runs:  # the runs' own files are the store: all.nc only gets a check
            with xr.open_dataset(combined) as lazy:
                held = [str(s) for s in lazy["scenario"].values]
            if gone := sorted(set(held) - set(runs)):
                logger.warning(
                    "%s holds run(s) without a file of their own (removed?), left out: %s; "
                    "all.nc is rebuilt by the next batch or --report-only",
                    combined, ", ".join(gone),
                )  # fmt: skip
            return {}
        return _split_combined(xr.load_dataset(combined))
    except (OSError, ValueError, KeyError) as err:
        _skip(combined, err)
        return {}


def _provenance(attrs: Mapping[str, Any]) -> tuple[str, str]:
    return str(attrs.get("energymodel_version", "")), str(attrs.get("inputs_hash", ""))


def _warn_stale(results_dir: Path, runs: Mapping[str, _RunFile]) -> None:
    """Warn about runs made from other inputs or another version than the newest run."""
    if not runs:
        return
    newest = max(runs, key=lambda n: runs[n].mtime)
    version, inputs = runs[newest].version, runs[newest].inputs
    stale = [
        name
        for name, run in runs.items()
        if run.version != version or (inputs and run.inputs and run.inputs != inputs)
    ]
    if stale:
        shown = ", ".join(stale[:10]) + (f" and {len(stale) - 10} more" if len(stale) > 10 else "")
        logger.warning(
            "%d run(s) in %s were made from other inputs or another energymodel version "
            "than the newest run (%s, energymodel %s), so they may not compare like with "
            "like: %s; re-run them to bring them up to date",
            len(stale), results_dir, newest, version or "?", shown,
        )  # fmt: skip


def _skip(path: Path, err: Exception) -> None:
    """Warn that a results file is left out, naming it and why."""
    if isinstance(err, KeyError):
        why = f"no {err} in it"
    elif isinstance(err, ValueError):
        why = "not a netCDF file"
    else:  # netCDF's "HDF error" and the like
        why = f"truncated or corrupt ({getattr(err, 'strerror', None) or err})"
    logger.warning("skipping unreadable results file %s: %s", path, why)


def _split_combined(ds: xr.Dataset) -> dict[str, xr.Dataset]:
    """Split ``all.nc`` into per-scenario Datasets; drop variables that are all NaN."""
    out: dict[str, xr.Dataset] = {}
    for name in ds["scenario"].values:
        sub = ds.sel(scenario=name, drop=True)
        attrs = {k: v for k, v in ds.attrs.items() if k not in ("description", "scenario_yaml")}
        attrs["scenario"] = str(name)
        for key in ("description", "scenario_yaml"):  # per-scenario text stored as variables
            if key in sub.data_vars:
                attrs[key] = str(sub[key].item())
                sub = sub.drop_vars(key)
        empty = [v for v in sub.data_vars if sub[v].dtype.kind == "f" and sub[v].isnull().all()]
        out[str(name)] = sub.drop_vars(empty).assign_attrs(attrs)
    return out


def load_combined(folder: str | Path, names: Iterable[str] | None = None) -> xr.Dataset:
    """Load the per-scenario files of a folder and combine them (in memory only).

    Parameters
    ----------
    folder
        A results folder.
    names
        Scenarios to take, in this order (default: :func:`read_results`'s).

    Returns
    -------
    xarray.Dataset
        See :func:`combine_datasets`.
    """
    if names is None:
        return combine_datasets(read_results(folder))
    files = result_files(folder, names)
    runs = {}
    for name, path in files.items():
        try:
            runs[name] = xr.load_dataset(path)
        except (OSError, ValueError) as err:
            _skip(path, err)
    if not runs:
        raise FileNotFoundError(f"no readable scenario results (*.nc) in {folder}")
    return combine_datasets(runs)


def open_results(folder: str | Path) -> xr.Dataset:
    """Open a results folder as one Dataset along ``scenario``.

    Parameters
    ----------
    folder
        A results folder with ``<scenario>.nc`` files (and maybe ``all.nc``).

    Returns
    -------
    xarray.Dataset
        Every run :func:`read_results` finds: ``all.nc`` when it is current (written
        after every run file and holding exactly those runs; the runs' data are then not
        read), otherwise those runs combined afresh. Files that are not runs are left out
        with a warning.
    """
    folder = Path(folder)
    found = _scan(folder)
    combined = folder / COMBINED_NAME
    newest = max((run.mtime for run in found.values()), default=0.0)
    if (
        found
        and combined.is_file()
        and not combined.is_symlink()
        and combined.stat().st_mtime >= newest
    ):
        try:
            ds = xr.load_dataset(combined)
        except (OSError, ValueError) as err:
            _skip(combined, err)
        else:
            if "scenario" in ds.dims and ds["scenario"].values.tolist() == sorted(found):
                _warn_stale(folder, found)
                return ds
    return combine_datasets(_load(folder, found))


def difference(ds: xr.Dataset, reference: str) -> xr.Dataset:
    """Subtract the reference scenario from every scenario, variable by variable.

    Parameters
    ----------
    ds
        A combined Dataset (``scenario`` dimension).
    reference
        Name of the scenario to subtract.

    Returns
    -------
    xarray.Dataset
        Every numeric variable with a ``scenario`` dimension, minus the reference's
        values (the reference's own row is zero). Units are kept; ``attrs["reference"]``
        names the reference.

    Raises
    ------
    KeyError
        If ``reference`` is not one of the scenarios.
    """
    scenarios = ds["scenario"].values.tolist()
    if reference not in scenarios:
        raise KeyError(f"reference {reference!r} is not a scenario; have {scenarios}")
    base = ds.sel(scenario=reference, drop=True)
    out = {}
    for name, var in ds.data_vars.items():
        if "scenario" not in var.dims or not np.issubdtype(var.dtype, np.number):
            continue
        diff = var - base[name]
        diff.attrs = dict(var.attrs)
        diff.attrs["long_name"] = f"{var.attrs.get('long_name', name)}, minus {reference}"
        out[name] = diff
    result = xr.Dataset(out, coords=ds.coords)
    result.attrs = {"reference": reference, "title": f"difference from {reference}"}
    return result
