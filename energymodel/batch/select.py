"""Which runs a batch does: the scenario files selected, checked, and their sweeps expanded.

Every selected file is checked (and its inputs) before any model is built; all problems
of all files are reported together.

A run changed by ``--set key=value`` gets its own name, ``<scenario>__<key>=<value>``
(before any sweep or sample part: ``grid__finance.wacc=0.12__multiplier=0.8``), so it
never replaces the unmodified run's results; the values are recorded like swept values
(``sweep__<key>`` attributes). ``--set name=<run name>`` names the run instead (one
scenario file only).
"""

from __future__ import annotations

import logging
import re
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


RUN_NAME = re.compile(r"^[a-z0-9][a-z0-9_.=\-]*$")
"""What a run name may hold (the scenario schema's ``Slug``)."""


def _slug(value: Any) -> str:
    """A value as it appears in a run name (as sweeps write it)."""
    if isinstance(value, bool) or value is None:
        return str(value).lower()
    if isinstance(value, int | float):
        return repr(value).replace("+", "")
    text = re.sub(r"[^a-z0-9_.\-]+", "-", str(value).lower()).strip("-")
    return text[:40] or "x"


def check_run_name(name: Any) -> str:
    """Check a ``--set name=...`` value; return it.

    Raises
    ------
    UsageError
        Saying what a run name may hold.
    """
    from energymodel.scenario.schema import NAME_MAX_CHARS, RESERVED_NAMES

    text = "" if name is None else str(name)
    if not RUN_NAME.match(text) or len(text) > NAME_MAX_CHARS or ".tmp-" in text:
        raise UsageError(
            f"--set name={text}: a run name is lower-case letters, digits and _ . = - "
            f"(starting with a letter or digit, at most {NAME_MAX_CHARS} characters), "
            "e.g. --set name=baseline_high_wacc"
        )
    if text in RESERVED_NAMES or "__sample=" in text:
        raise UsageError(f"--set name={text}: that name is taken by the files a batch "
                         "writes; choose another")  # fmt: skip
    return text


def name_run(sc: Scenario, base: str, overrides: dict[str, Any], run_name: str | None) -> Scenario:
    """Rename one run of scenario ``base`` for its ``--set`` values.

    Parameters
    ----------
    sc
        A run of the scenario file named ``base`` (its sweep or sample part follows).
    base
        The scenario's own name.
    overrides
        The ``--set`` values (without ``name``).
    run_name
        ``--set name=...``, replacing ``<base>__<key>=<value>...``.

    Returns
    -------
    Scenario
        ``sc`` renamed, its ``--set`` values added to ``sweep_values``; ``sc`` itself
        without ``--set`` values or name.
    """
    from energymodel.scenario.schema import NAME_MAX_CHARS

    sets = {k: v for k, v in overrides.items() if k not in sc.sweep_values}
    if not sets and run_name is None:
        return sc
    new_base = run_name or base + "".join(
        f"__{re.sub(r'[^a-z0-9_.]+', '-', key.lower())}={_slug(value)}"
        for key, value in sets.items()
    )
    name = new_base + sc.name[len(base) :]
    if len(name) > NAME_MAX_CHARS:
        raise UsageError(
            f"the run name {name[:40]}... would be {len(name)} characters (at most "
            f"{NAME_MAX_CHARS}): name the run with --set name=..."
        )
    return sc.model_copy(update={"name": name, "sweep_values": {**sc.sweep_values, **sets}})


def split_run_name(overrides: dict[str, Any]) -> tuple[dict[str, Any], str | None]:
    """Take ``name`` (``--set name=...``, the run name) out of the ``--set`` values."""
    rest = dict(overrides)
    if "name" not in rest:
        return rest, None
    return rest, check_run_name(rest.pop("name"))


def check_file(
    path: Path, scenarios_dir: Path, overrides: dict[str, Any], run_name: str | None = None
) -> tuple[list[Any], list[Scenario]]:
    """One scenario file and its inputs, checked before any model is built.

    Returns its problems (none: it is valid) and its runs (its sweep expanded, named for
    the ``--set`` values: :func:`name_run`).
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
        runs = [run for swept in expand_sweeps(sc) for run in expand_samples(swept)]
    except ScenarioError as err:
        return list(err.problems), []
    if swept := sorted(set(overrides) & set(sc.sweep)):
        logger.warning("--set %s: %s sweeps that key, so its sweep values are used",
                       ", ".join(swept), path.name)  # fmt: skip
    if run_name is not None and run_name == sc.name and overrides:
        raise UsageError(
            f"--set name={run_name} is the unmodified scenario's own name: its results "
            "would be replaced by the changed run's; choose another name"
        )
    return [], [name_run(run, sc.name, overrides, run_name) for run in runs]


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
        ``--set`` values, applied to every scenario (``name``: the run name, for one
        scenario file only).

    Returns
    -------
    list of (path, Scenario)
        One entry per run, in file order.

    Raises
    ------
    energymodel.scenario.load.ScenarioError
        Listing every problem of every selected file.
    UsageError
        If two runs would share a name, or ``--set name=`` is given for several files.
    """
    from energymodel.scenario.load import ScenarioError, find_scenarios

    overrides, run_name = split_run_name(overrides)
    runs: list[tuple[Path, Scenario]] = []
    problems = []
    paths = find_scenarios(list(patterns), scenarios_dir)
    if run_name is not None and len(paths) != 1:
        raise UsageError(
            f"--set name={run_name} names one run, but {len(paths)} scenario files are "
            "selected: select one (e.g. run_scenarios.py baseline --set name=...)"
        )
    taken = [p for p in find_scenarios([], scenarios_dir) if p.stem == run_name] if run_name else []
    if run_name is not None and taken and taken[0].resolve() != paths[0].resolve():
        raise UsageError(
            f"--set name={run_name} is the name of another scenario ({taken[0]}): its "
            "results would be replaced; choose another name"
        )
    for path in paths:
        found, expanded = check_file(path, scenarios_dir, overrides, run_name)
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
