"""Where a scenario file may read from: the scenario folders, the project, an allow-list.

A scenario file names other files in two keys: ``extends:`` (a scenario) and
``inputs_dir`` (a folder of input tables), and in the values of ``sweep:`` and
``uncertain:`` for ``inputs_dir``. A file from somewhere else (a colleague, a download)
must not make the model read, and quote in its messages, arbitrary files of the machine.
So a path written in a scenario file must lie, symlinks followed, under

- the folder of the scenario file that was asked for (and of each file it extends),
- the scenarios folder in use (``scenarios_dir``) and the project that holds it (its
  parent folder),
- the project the package was installed from (the folder holding its ``scenarios/``),
- or a folder of the allow-list :data:`energymodel.limits.ALLOWED_PATHS_ENV`.

Values given in code (a mapping, ``overrides=``) or on the command line (``--set``) are
the user's own and are not confined.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from energymodel.limits import ALLOWED_PATHS_ENV, allowed_paths, is_within
from energymodel.scenario.problems import DICT_ORIGIN, SET_ORIGIN, KeyOrigins, Path_

PACKAGE_PROJECT = Path(__file__).resolve().parents[2]
"""The folder holding the package (the repository in an editable install)."""

SCENARIO_SUFFIXES = (".yaml", ".yml")


def project_roots(scenarios_dir: Path) -> list[Path]:
    """The scenarios folder in use, its project and the package's project (if it has one)."""
    roots = [scenarios_dir.resolve(), scenarios_dir.resolve().parent]
    if (PACKAGE_PROJECT / "scenarios").is_dir():
        roots.append(PACKAGE_PROJECT)
    return list(dict.fromkeys(roots))


def roots_for(file_dir: Path | None, scenarios_dir: Path, more: Sequence[Path] = ()) -> list[Path]:
    """Every folder a scenario file in ``file_dir`` may read from (allow-list included).

    ``more``: the folders of the files that led to it (the file asked for, the files
    extending it).
    """
    roots = [file_dir, *more] if file_dir is not None else list(more)
    return list(
        dict.fromkeys(
            [*(r.resolve() for r in roots), *project_roots(scenarios_dir), *allowed_paths()]
        )
    )


def outside(path: Path, roots: Sequence[Path]) -> tuple[str, str] | None:
    """Why ``path`` may not be read, as (found, expected); None when it may."""
    if is_within(path, roots):
        return None
    listing = ", ".join(str(r) for r in roots)
    allow = f"to allow it, add its folder to {ALLOWED_PATHS_ENV} (separator {os.pathsep!r})"
    found = f"{str(path.resolve())!r}, outside the scenario folders and the project"
    return found, f"a path under {listing} ({allow})"


def not_a_scenario(path: Path) -> tuple[str, str] | None:
    """Why ``path`` is not a scenario file by its name (not .yaml/.yml), or None."""
    if path.suffix.lower() in SCENARIO_SUFFIXES:
        return None
    return (
        f"{str(path.resolve())!r}, not a .yaml or .yml file",
        "a scenario file (its contents are not read)",
    )


def resolve_dir(
    value: Any, at: Path_, where: KeyOrigins, roots: list[Path], data: Any = None
) -> Any:
    """A folder written at ``at``, absolute; a problem if a file put it out of bounds.

    Relative to the scenario file that wrote it (the current folder for ``--set`` and
    mappings given in code); only values written in a file are confined.
    """
    if not isinstance(value, str):
        return value  # the schema reports the type
    origin = where.find(at)[0]
    from_file = origin not in (DICT_ORIGIN, SET_ORIGIN)
    rel_to = Path(origin).parent if from_file else Path.cwd()
    folder = (rel_to / value).resolve()
    refused = outside(folder, [rel_to, *roots]) if from_file else None
    if refused is not None:
        where.pending.append(where.problem(at, *refused, "", data))
    return str(folder)


def resolve_swept_dirs(data: dict[str, Any], where: KeyOrigins, roots: list[Path]) -> None:
    """Resolve and confine the values of ``inputs_dir`` in ``sweep:`` and ``uncertain:``."""
    sweep = data.get("sweep")
    if isinstance(sweep, dict) and isinstance(sweep.get("inputs_dir"), list):
        sweep["inputs_dir"] = [
            resolve_dir(v, ("sweep", "inputs_dir", i), where, roots, data)
            for i, v in enumerate(sweep["inputs_dir"])
        ]
    uncertain = data.get("uncertain")
    dists = uncertain.get("distributions") if isinstance(uncertain, dict) else None
    dist = dists.get("inputs_dir") if isinstance(dists, dict) else None
    if isinstance(dist, dict) and isinstance(dist.get("values"), list):
        at = ("uncertain", "distributions", "inputs_dir", "values")
        dist["values"] = [
            resolve_dir(v, (*at, i), where, roots, data) for i, v in enumerate(dist["values"])
        ]
