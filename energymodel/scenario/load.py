"""Scenarios: the public API to load, sweep, find, validate and export scenarios.

A scenario file holds only what differs from the defaults in :mod:`energymodel.scenario.schema`.
:func:`load_scenario` reads it, follows ``extends``, applies override sets and ``--set``
values (:mod:`energymodel.scenario.resolve`), then validates it against the schema
(:mod:`energymodel.scenario.validate`). Every problem is reported at the file and line
that set it (:mod:`energymodel.scenario.problems`), all together as one
:class:`ScenarioError`. :func:`validate_scenario` also checks the input tables the
scenario names (:mod:`energymodel.scenario.against_inputs`).
"""

from __future__ import annotations

import argparse
import copy
import fnmatch
import json
import logging
import sys
from collections.abc import Mapping, Sequence
from io import StringIO
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from energymodel.scenario.against_inputs import (
    check_against_inputs,
    input_checks,
    input_error_problems,
)
from energymodel.scenario.options import ChoiceDist
from energymodel.scenario.problems import (
    SET_ORIGIN,
    Problem,
    ScenarioError,
    did_you_mean,
    display_path,
    dotted_key,
    format_value,
)
from energymodel.scenario.reading import load_text
from energymodel.scenario.resolve import (
    default_scenarios_dir,
    find_by_name,
    gather,
    looks_like_path,
    scenario_files,
    set_at_path,
    split_key,
)
from energymodel.scenario.schema import Scenario
from energymodel.scenario.sweeps import expand_sweeps
from energymodel.scenario.validate import validate_data

logger = logging.getLogger(__name__)

__all__ = [
    "Problem",
    "ScenarioError",
    "check_against_inputs",
    "expand_sweeps",
    "find_scenarios",
    "load_scenario",
    "parse_set_option",
    "scenario_to_yaml",
    "validate_scenario",
    "write_json_schema",
]

SCHEMA_PATH = Path(__file__).resolve().parents[2] / "scenarios" / "schema.json"


def load_scenario(
    source: str | Path | Mapping[str, Any],
    *,
    overrides: Mapping[str, Any] | None = None,
    scenarios_dir: str | Path | None = None,
) -> Scenario:
    """Read, extend, override and validate a scenario.

    Parameters
    ----------
    source
        A path to a YAML file, a scenario name (``baseline`` for
        ``<scenarios_dir>/baseline.yaml``) or a mapping of scenario keys.
    overrides
        Dotted keys and values applied last, e.g. ``{"finance.wacc": 0.12}``; each replaces
        the value at its path (as the CLI's ``--set``).
    scenarios_dir
        Where names, ``extends`` targets and ``overrides.yaml`` are looked up. Default: the
        folder of the file, else ``./scenarios``, else the repository's ``scenarios/``.

    Returns
    -------
    Scenario
        The validated scenario, ``inputs_dir`` absolute.

    Raises
    ------
    ScenarioError
        With every problem found, each at its file and line.
    """
    data, where = gather(source, overrides, scenarios_dir)
    return validate_data(data, where)


def parse_set_option(text: str) -> tuple[str, Any]:
    """Parse a ``--set`` option: ``"finance.wacc=0.12"`` -> ``("finance.wacc", 0.12)``.

    The value is read as YAML: numbers, ``true``, ``null``, ``[0.8, 1.0]``, ``{a: 1}``;
    anything else is text.

    Raises
    ------
    ScenarioError
        For a missing ``=``, an empty key or a value that is not valid YAML.
    """
    example = "key=value, e.g. finance.wacc=0.12"
    if "=" not in text:
        raise ScenarioError([Problem(SET_ORIGIN, None, "", repr(text), example, "no '=' in it")])
    key, _, raw = text.partition("=")
    key = key.strip()
    try:
        split_key(key)
    except ValueError:
        raise ScenarioError(
            [Problem(SET_ORIGIN, None, "", repr(text), example, "the key is empty")]
        ) from None
    try:
        value = load_text(raw, SET_ORIGIN, typ="safe") if raw.strip() else None
    except ScenarioError as err:
        first = err.problems[0]
        shown = raw if len(raw) <= 60 else raw[:57] + "..."
        raise ScenarioError(
            [Problem(SET_ORIGIN, None, key, repr(shown), first.expected, first.found)]
        ) from None
    return key, value


def find_scenarios(patterns: Sequence[str], scenarios_dir: str | Path | None = None) -> list[Path]:
    """Scenario files named by ``patterns``: names, globs (``grid_*``) or paths.

    Parameters
    ----------
    patterns
        Empty for every scenario in ``scenarios_dir`` (all ``*.yaml`` but
        ``overrides.yaml`` and files starting with ``_``).
    scenarios_dir
        Folder for names and globs (default ``./scenarios``).

    Returns
    -------
    list of Path
        Absolute paths, in the order of the patterns, without repeats.

    Raises
    ------
    ScenarioError
        Listing every pattern that matched nothing, with the available names.
    """
    folder = Path(scenarios_dir or default_scenarios_dir()).resolve()
    available = scenario_files(folder)
    if not patterns:
        return available
    found: list[Path] = []
    problems = []
    for pattern in patterns:
        path = Path(pattern)
        if path.is_file():
            matches = [path.resolve()]
        elif any(c in pattern for c in "*?["):
            if "/" in pattern or "\\" in pattern:
                matches = sorted(p.resolve() for p in path.parent.glob(path.name) if p.is_file())
            else:
                matches = [
                    p for p in available if fnmatch.fnmatch(p.stem, pattern) or p.name == pattern
                ]
                matches += [p for p in available if fnmatch.fnmatch(p.name, pattern)]
        else:
            by_name = None if looks_like_path(pattern) else find_by_name(pattern, [folder])
            matches = [by_name] if by_name else []
        if not matches and looks_like_path(pattern) and not any(c in pattern for c in "*?["):
            problems.append(
                Problem(display_path(path), None, "", "no such file", "a scenario file")
            )
        elif not matches:
            names = [p.stem for p in available]
            problems.append(
                Problem(
                    display_path(folder),
                    None,
                    "",
                    f"no scenario matching {pattern!r}",
                    f"a name, glob or path (available: {', '.join(names) or 'none'})",
                    did_you_mean(pattern, names),
                )
            )
        found += matches
    if problems:
        raise ScenarioError(problems)
    return list(dict.fromkeys(found))


def validate_scenario(
    source: str | Path | Mapping[str, Any],
    *,
    overrides: Mapping[str, Any] | None = None,
    scenarios_dir: str | Path | None = None,
) -> list[Problem]:
    """Every problem of a scenario and of the inputs it uses; solve nothing.

    Runs :func:`load_scenario`, then :func:`energymodel.data.tables.load_inputs` on its
    ``inputs_dir`` and :func:`check_against_inputs`. Never raises for bad input.

    Returns
    -------
    list of Problem
        Empty when the scenario can be run.
    """
    try:
        data, where = gather(source, overrides, scenarios_dir)
        sc = validate_data(data, where)
    except ScenarioError as err:
        return err.problems
    try:
        from energymodel.data.tables import InputError, load_inputs
    except ImportError:
        logger.warning("energymodel.data.tables is not available: input tables not checked")
        return []
    try:
        inputs = load_inputs(Path(str(sc.inputs_dir)))
    except InputError as err:
        return input_error_problems(err, Path(str(sc.inputs_dir)))
    except (OSError, ValueError, KeyError) as err:
        return [Problem(str(sc.inputs_dir), None, "", str(err), "readable input tables")]
    try:
        runs = expand_sweeps(sc, where)
    except ScenarioError as err:
        return err.problems
    found = [p for run in runs for p in _run_input_problems(sc, run, inputs, where)]
    found += _choice_input_problems(sc, inputs, where)
    problems = {str(p): p for p in found}
    return sorted(problems.values(), key=lambda p: (p.file or "", p.line or 0))


def _run_input_problems(sc: Scenario, run: Scenario, inputs: Any, where: Any) -> list[Problem]:
    """One run of ``sc`` checked against the inputs.

    A problem under a swept key is located at the swept value's line in ``sweep:``.
    """
    swept = {key: split_key(key) for key in sc.sweep}
    dump, run_dump = sc.model_dump(), run.model_dump()
    out = []
    for path, found, expected, hint in input_checks(run, inputs):
        at: tuple[Any, ...] = path
        what = expected
        for key, key_path in swept.items():
            if tuple(path[: len(key_path)]) == key_path:
                index = next(
                    i for i, v in enumerate(sc.sweep[key]) if v == run.sweep_values.get(key)
                )
                at = ("sweep", key, index)
                what = f"{dotted_key(path, run_dump)}: {expected}"
                break
        out.append(where.problem(at, found, what, hint, dump))
    return out


def _choice_input_problems(sc: Scenario, inputs: Any, where: Any) -> list[Problem]:
    """Each ``choice`` value of ``uncertain:`` checked against the inputs, as sweep values.

    So a choice of an unknown demand trajectory is found by ``--validate``, at its line,
    not by half the samples at run time. Choices of ``inputs_dir`` name other inputs:
    their folders are checked when their runs load them.
    """
    if sc.uncertain is None:
        return []
    dump = sc.model_dump()
    base = {**dump, "uncertain": None, "sweep": {}}
    out = []
    for key, dist in sc.uncertain.distributions.items():
        path = split_key(key)
        if not isinstance(dist, ChoiceDist) or path[0] == "inputs_dir":
            continue
        for i, value in enumerate(dist.values):
            trial_data = copy.deepcopy(base)
            try:
                set_at_path(trial_data, path, value)
                trial = Scenario.model_validate(trial_data)
            except ValueError:
                continue  # reported by the schema checks of validate_data
            for at, found, expected, hint in input_checks(trial, inputs):
                if tuple(at[: len(path)]) == path:
                    what = f"{dotted_key(at, trial_data)}: {expected}"
                    loc = ("uncertain", "distributions", key, "values", i)
                    out.append(where.problem(loc, found, what, hint, dump))
    return out


def schema_text() -> str:
    """The JSON schema of :class:`Scenario`, pretty and with sorted keys."""
    schema = Scenario.model_json_schema()
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def write_json_schema(path: Path | str = SCHEMA_PATH) -> Path:
    """Write the scenario JSON schema (for editor completion) to ``path``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(schema_text(), encoding="utf-8")
    logger.info("wrote %s", path)
    return path


def _styled(value: Any, depth: int) -> Any:
    """Sections in block style, values (lists, {year: value} mappings) inline."""
    if isinstance(value, dict):
        out = CommentedMap((k, _styled(v, depth + 1)) for k, v in value.items())
        if depth >= 2:
            out.fa.set_flow_style()
        else:
            out.fa.set_block_style()
        return out
    if isinstance(value, list):
        seq = CommentedSeq(_styled(v, depth + 1) for v in value)
        seq.fa.set_flow_style()
        return seq
    return value


def scenario_to_yaml(sc: Scenario) -> str:
    """Render the fully resolved scenario as YAML text (provenance for results).

    ``extends`` and ``overrides`` are already applied, so they appear as comments only:
    the text loads back (``load_scenario(yaml_dict)``) into the same settings.
    """
    data = sc.model_dump()
    header = [f"# resolved scenario {sc.name}"]
    if data.pop("extends"):
        header.append(f"# extends: {sc.extends}")
    if data.pop("overrides"):
        header.append(f"# overrides: {format_value(sc.overrides, limit=200)}")
    yaml = YAML(typ="rt")
    yaml.width = 100
    yaml.representer.add_representer(
        type(None), lambda rep, _: rep.represent_scalar("tag:yaml.org,2002:null", "null")
    )
    buf = StringIO()
    yaml.dump(_styled(data, 0), buf)
    return "\n".join(header) + "\n" + buf.getvalue()


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: ``python -m energymodel.scenario --write-schema [PATH]``."""
    parser = argparse.ArgumentParser(
        prog="python -m energymodel.scenario", description="Scenario schema tools."
    )
    parser.add_argument(
        "--write-schema",
        nargs="?",
        const=SCHEMA_PATH,
        type=Path,
        metavar="PATH",
        help=f"write the scenario JSON schema (default {SCHEMA_PATH})",
    )
    args = parser.parse_args(argv)
    if args.write_schema is None:
        parser.print_help()
        return 2
    write_json_schema(args.write_schema)
    return 0


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    sys.exit(main())
