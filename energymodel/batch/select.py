"""Which runs a batch does: the scenario files selected, checked, and their sweeps expanded.

Every selected file is checked (and its inputs) before any model is built; all problems
of all files are reported together.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from energymodel.scenario.schema import Scenario


logger = logging.getLogger(__name__)


class UsageError(Exception):
    """Bad command-line use: printed without a traceback, exit code 2."""


def parse_sets(texts: Sequence[str]) -> dict[str, Any]:
    """Turn every ``--set key.path=value`` into one overrides mapping."""
    from energymodel.scenario.load import parse_set_option

    overrides: dict[str, Any] = {}
    for text in texts:
        key, value = parse_set_option(text)
        overrides[key] = value
    return overrides


def check_file(
    path: Path, scenarios_dir: Path, overrides: dict[str, Any]
) -> tuple[list[Any], list[Scenario]]:
    """One scenario file and its inputs, checked before any model is built.

    Returns its problems (none: it is valid) and its runs (its sweep expanded).
    """
    from energymodel.scenario.load import (
        ScenarioError,
        expand_sweeps,
        load_scenario,
        validate_scenario,
    )
    from energymodel.scenario.uncertain import expand_samples

    found = validate_scenario(path, overrides=overrides or None, scenarios_dir=scenarios_dir)
    if found:
        return list(found), []
    try:  # the sweep's runs (and their samples) must validate too
        sc = load_scenario(path, overrides=overrides or None, scenarios_dir=scenarios_dir)
        return [], [run for swept in expand_sweeps(sc) for run in expand_samples(swept)]
    except ScenarioError as err:
        return list(err.problems), []


def select_runs(
    patterns: Sequence[str], scenarios_dir: Path, overrides: dict[str, Any]
) -> list[tuple[Path, Scenario]]:
    """Load the selected scenario files and expand their sweeps into runs.

    Parameters
    ----------
    patterns
        Names, globs or paths (empty: every scenario in ``scenarios_dir`` except those
        with ``uncertain:``, which run hundreds of samples: name them to run them).
    scenarios_dir
        Folder of scenario files.
    overrides
        ``--set`` values, applied to every scenario.

    Returns
    -------
    list of (path, Scenario)
        One entry per run, in file order.

    Raises
    ------
    energymodel.scenario.load.ScenarioError
        Listing every problem of every selected file.
    UsageError
        If two runs would share a name.
    """
    from energymodel.scenario.load import ScenarioError, find_scenarios

    runs: list[tuple[Path, Scenario]] = []
    problems = []
    for path in find_scenarios(list(patterns), scenarios_dir):
        found, expanded = check_file(path, scenarios_dir, overrides)
        problems.extend(found)
        if not patterns and any(run.sample is not None for run in expanded):
            logger.info("not running %s (%d sampled runs): name it to run it", path.name,
                        len(expanded))  # fmt: skip
            continue
        runs.extend((path, run) for run in expanded)
    if problems:
        raise ScenarioError(problems)
    seen: dict[str, Path] = {}
    for path, sc in runs:
        if sc.name in seen:
            raise UsageError(
                f"two runs are named {sc.name!r} ({seen[sc.name]} and {path}): "
                "each run writes <name>.nc, so names must be unique"
            )
        seen[sc.name] = path
    return runs
