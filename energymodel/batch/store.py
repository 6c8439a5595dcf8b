"""The files of a results folder: content hashes, atomic writes, stale temporary files.

- ``<name>.nc`` is written as ``<name>.nc.tmp-<pid>`` and then renamed with
  :func:`os.replace`, so a killed batch never leaves a half-written ``.nc``; stale
  temporary files are removed when the next batch starts.
- Every fault while writing (permissions, a full disk, a path that is not a folder) is
  raised as :class:`~energymodel.fileio.ResultsWriteError`, naming the path and the
  cause; the file it would have replaced is kept. :func:`prepare_out_dir` checks the
  folder before any run is solved.
- Each file carries ``attrs["input_hash"]``: a sha256 of the resolved scenario, the bytes
  of every file in its ``inputs_dir`` and the energymodel version. Where the inputs are
  does not count (only what they hold), so a results folder moved or cloned with its
  inputs stays up to date. A re-run skips a scenario whose file opens, names the run in
  ``attrs["scenario"]`` and carries the same hash (unless ``force``).
  ``attrs["inputs_hash"]`` holds the inputs' part alone, to tell runs made from other
  inputs apart (:func:`energymodel.compare.folder.read_results` warns about them).
- One batch at a time writes a results folder: :mod:`energymodel.batch.lock`.
- Nothing is written through a symbolic link inside the folder: temporary files are
  created afresh, a link at ``<name>.nc`` is replaced by the file (never followed), and a
  linked sub-folder (``samples/``, ``figures/``) is refused
  (:func:`energymodel.compare.folder.results_subdir`).
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

import xarray as xr

from energymodel.fileio import ResultsWriteError

if TYPE_CHECKING:
    from energymodel.scenario.schema import Scenario

logger = logging.getLogger(__name__)

TMP_MARK = ".tmp-"


def _scenario_text(sc: Scenario) -> str:
    """Canonical text of the resolved scenario, without where its files are.

    ``inputs_dir`` (an absolute path once resolved) and ``extends`` (already applied) are
    left out: the inputs count by their content (:func:`inputs_digest`), so the same
    scenario and inputs at another path hash the same.
    """
    from energymodel.scenario.load import scenario_to_yaml

    return scenario_to_yaml(sc.model_copy(update={"inputs_dir": None, "extends": None}))


def _inputs_digest(inputs_dir: str | Path | None) -> str:
    """Sha256 over the relative path and bytes of every file under ``inputs_dir``.

    Hidden files and folders (``.git``, ``.DS_Store``) are left out.
    """
    digest = hashlib.sha256()
    if inputs_dir is not None and Path(inputs_dir).is_dir():
        root = Path(inputs_dir)
        for path in sorted(root.rglob("*")):
            rel = path.relative_to(root)
            if not path.is_file() or any(part.startswith(".") for part in rel.parts):
                continue
            digest.update(rel.as_posix().encode() + b"\0")
            digest.update(path.read_bytes())
            digest.update(b"\0")
    return digest.hexdigest()


def inputs_digest(sc: Scenario, *, cache: dict[str, str] | None = None) -> str:
    """Return the sha256 of what ``sc.inputs_dir`` holds (relative paths and bytes).

    Parameters
    ----------
    sc
        A resolved scenario.
    cache
        Inputs folder -> digest, shared between the runs of one batch.

    Returns
    -------
    str
        Hex sha256; the same for a copy of the folder at another path.
    """
    key = str(sc.inputs_dir)
    if cache is not None and key in cache:
        return cache[key]
    digest = _inputs_digest(sc.inputs_dir)
    if cache is not None:
        cache[key] = digest
    return digest


def input_hash(sc: Scenario, *, cache: dict[str, str] | None = None) -> str:
    """Return the content hash that decides whether a result is up to date.

    Parameters
    ----------
    sc
        A resolved scenario (``inputs_dir`` absolute, as ``load_scenario`` gives it).
    cache
        Inputs folder -> digest, shared between the runs of one batch (a sweep reads
        its inputs once).

    Returns
    -------
    str
        Hex sha256 of the energymodel version, the resolved scenario YAML (without the
        path of its inputs) and the bytes of every file in ``sc.inputs_dir``.
    """
    from energymodel import __version__

    inputs = inputs_digest(sc, cache=cache)
    digest = hashlib.sha256()
    for part in (f"energymodel {__version__}", _scenario_text(sc), inputs):
        digest.update(part.encode() + b"\0")
    return digest.hexdigest()


# --- files ------------------------------------------------------------------------------


SAMPLES_DIR = "samples"
"""Sub-folder of a results folder holding the sampled runs of uncertain scenarios."""


def result_path(out_dir: Path, name: str) -> Path:
    """Return the result file of one run: ``<out_dir>/<name>.nc``.

    Sampled runs (``<name>__sample=0007``) go to ``<out_dir>/samples/``, so a results
    folder lists scenarios, not a thousand samples.
    """
    from energymodel.scenario.uncertain import is_sample

    if is_sample(name):
        return Path(out_dir) / SAMPLES_DIR / f"{name}.nc"
    return Path(out_dir) / f"{name}.nc"


MIN_FREE_BYTES = 1 << 20
"""A results folder on a device with less free space than this is reported full."""


def prepare_out_dir(out_dir: str | Path) -> Path:
    """Create the results folder if needed and check that files can be written in it.

    Called before any run is solved, so a bad ``--out`` costs no solve time.

    Returns
    -------
    pathlib.Path
        The folder.

    Raises
    ------
    ResultsWriteError
        Naming the folder and the cause: a file in the way, no permission, a read-only
        or full file system.
    """
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise ResultsWriteError(out, "it is a file, not a folder (choose another --out)")
    probe = out / f".energymodel-write-test-{os.getpid()}"
    try:
        out.mkdir(parents=True, exist_ok=True)
        fd = os.open(probe, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        try:
            os.write(fd, b"x")
        finally:
            os.close(fd)
        free = shutil.disk_usage(out).free
    except OSError as err:
        raise ResultsWriteError.wrap(out, err) from None
    finally:
        with contextlib.suppress(OSError):
            probe.unlink()
    if free < MIN_FREE_BYTES:
        raise ResultsWriteError(out, f"no space left on the device ({free // 1024} kB free)")
    return out


def _fresh_tmp(path: Path) -> Path:
    """The temporary file for ``path``: ``<name>.tmp-<pid>``, never a link left in its place.

    A file or symbolic link already at that name (left by a killed run, or planted) is
    removed first, so writing it can never write through a link.
    """
    tmp = path.with_name(f"{path.name}{TMP_MARK}{os.getpid()}")
    if os.path.lexists(tmp):
        tmp.unlink()
    return tmp


def write_atomic(ds: xr.Dataset, path: Path) -> Path:
    """Write a Dataset to netCDF through a temporary file and an atomic rename.

    Parameters
    ----------
    ds
        The Dataset.
    path
        Final path; ``<path>.tmp-<pid>`` is written first, then renamed over it (a
        symbolic link at ``path`` is replaced, not followed).

    Returns
    -------
    pathlib.Path
        ``path``.

    Raises
    ------
    ResultsWriteError
        If the file cannot be written (naming it and the cause); a file already at
        ``path`` is left as it was.
    """
    tmp = path.with_name(f"{path.name}{TMP_MARK}{os.getpid()}")
    try:
        tmp = _fresh_tmp(path)
        ds.to_netcdf(tmp)
        os.replace(tmp, path)
    except (OSError, RuntimeError) as err:  # netCDF4 reports a full disk as RuntimeError
        raise ResultsWriteError.wrap(path, err) from err
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()
    return path


def write_text_atomic(text: str, path: Path) -> Path:
    """Write a text file through a temporary file and an atomic rename (as netCDF files)."""
    tmp = path.with_name(f"{path.name}{TMP_MARK}{os.getpid()}")
    try:
        tmp = _fresh_tmp(path)
        flags = os.O_CREAT | os.O_EXCL | os.O_WRONLY | getattr(os, "O_NOFOLLOW", 0)
        with os.fdopen(os.open(tmp, flags, 0o644), "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except OSError as err:
        raise ResultsWriteError.wrap(path, err) from err
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()
    return path


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        return True
    return True


def clean_stale_tmp(out_dir: Path) -> list[Path]:
    """Remove temporary files left by killed runs (``*.nc.tmp-<pid>``, pid not running).

    A ``samples/`` that is a symbolic link is not looked into.

    Parameters
    ----------
    out_dir
        The results folder.

    Returns
    -------
    list of pathlib.Path
        The files removed.
    """
    removed = []
    folder = Path(out_dir)
    tmps = list(folder.glob(f"*.nc{TMP_MARK}*"))
    if not (folder / SAMPLES_DIR).is_symlink():
        tmps += (folder / SAMPLES_DIR).glob(f"*.nc{TMP_MARK}*")
    for tmp in tmps:
        pid_text = tmp.name.rsplit(TMP_MARK, 1)[-1]
        if pid_text.isdigit() and int(pid_text) != os.getpid() and pid_alive(int(pid_text)):
            continue  # another batch may be writing it right now
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
            removed.append(tmp)
    if removed:
        logger.info("removed %d stale temporary file(s) in %s", len(removed), out_dir)
    return removed


def is_up_to_date(path: Path, expected_hash: str, name: str | None = None) -> bool:
    """Return True if ``path`` is our current result file for run ``name``.

    That is: a file (not a symbolic link) that opens as netCDF, carries
    ``input_hash == expected_hash`` and, when ``name`` is given, names that run in
    ``attrs["scenario"]`` (a renamed copy of another run is not up to date).
    """
    if path.is_symlink() or not path.is_file():
        return False
    try:
        with xr.open_dataset(path) as ds:
            if name is not None and str(ds.attrs.get("scenario", "")) != name:
                return False
            return bool(ds.attrs.get("input_hash") == expected_hash)
    except Exception as err:  # noqa: BLE001  # any unreadable file is simply redone
        logger.debug("cannot read %s (%s): running it again", path, err)
        return False
