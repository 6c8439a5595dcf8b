"""Validate resolved scenario data against the schema; turn pydantic errors into Problems.

Each pydantic error becomes one :class:`~energymodel.scenario.problems.Problem` at the
file and line that set the offending key, worded as "found ...; expected ...". Sweep keys
and each sweep value are checked too, so a bad value is reported at its line in ``sweep:``.
"""

from __future__ import annotations

import copy
import math
import re
from collections.abc import Mapping
from typing import Any, get_args

from pydantic import BaseModel, ValidationError

from energymodel.limits import SWEEP_RUNS
from energymodel.scenario.problems import (
    SET_ORIGIN,
    KeyOrigins,
    Path_,
    Problem,
    ScenarioError,
    did_you_mean,
    dotted_key,
    format_value,
)
from energymodel.scenario.ranges import input_range
from energymodel.scenario.resolve import set_at_path, split_key
from energymodel.scenario.schema import Scenario

# Keys that identify a file or drive resolution: they cannot be swept.
_UNSWEEPABLE = {"name", "description", "extends", "overrides", "sweep", "sweep_values"}
# ... nor sampled, and neither can the uncertain block itself
_UNSAMPLEABLE = _UNSWEEPABLE | {"uncertain", "sample", "sample_values"}
_EXPECTED = {
    "float_type": "a number",
    "float_parsing": "a number",
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "int_from_float": "a whole number",
    "dict_type": "a mapping",
    "model_type": "a mapping",
    "list_type": "a list",
    "string_type": "text",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "missing": "a value (this key is required)",
}


def _submodel(model: type[BaseModel] | None, key: Any) -> type[BaseModel] | None:
    """The sub-model behind field ``key`` of ``model`` (None past the models)."""
    if model is None or not isinstance(key, str) or key not in model.model_fields:
        return None
    ann = model.model_fields[key].annotation
    for t in (ann, *get_args(ann)):
        if isinstance(t, type) and issubclass(t, BaseModel):
            return t
    return None


def _model_at(path: Path_) -> type[BaseModel] | None:
    model: type[BaseModel] | None = Scenario
    for comp in path:
        model = _submodel(model, comp)
    return model


def _is_type_error(err: Mapping[str, Any]) -> bool:
    kind = str(err["type"])
    return kind.endswith(("_type", "_parsing")) or kind == "int_from_float"


def _real_path(err: Mapping[str, Any], data: Any) -> tuple[Path_, Path_ | None, str, bool]:
    """Split a pydantic ``loc`` into the path in the data and its union branch, if any.

    Returns the real key path, the path where a union was entered (or None), the union
    branch tag, and whether the error is about a mapping key rather than a value.
    """
    real: list[Any] = []
    cur = data
    union_at: Path_ | None = None
    tag = ""
    is_key = False
    loc = err["loc"]
    for i, comp in enumerate(loc):
        if comp == "[key]":
            is_key = True
        elif (isinstance(cur, dict) and comp in cur) or (
            isinstance(cur, list) and isinstance(comp, int) and 0 <= comp < len(cur)
        ):
            real.append(comp)
            cur = cur[comp]
        elif i == len(loc) - 1 and err["type"] == "missing":
            real.append(comp)
        elif union_at is None:  # a type tag pydantic adds for each branch of a union
            union_at, tag = tuple(real), str(comp)
    return tuple(real), union_at, tag, is_key


def _num(value: Any) -> str:
    return f"{value:g}" if isinstance(value, int | float) else str(value)


def _one_problem(
    real: Path_, err: Mapping[str, Any], is_key: bool, data: Any, where: KeyOrigins
) -> Problem:
    kind = str(err["type"])
    ctx = err.get("ctx") or {}
    found = format_value(err.get("input"))
    hint = ""
    bounds = {
        "greater_than_equal": (">=", "ge"),
        "greater_than": (">", "gt"),
        "less_than_equal": ("<=", "le"),
        "less_than": ("<", "lt"),
    }
    if kind == "extra_forbidden":
        model = _model_at(real[:-1])
        allowed = list(model.model_fields) if model else []
        section = dotted_key(real[:-1], data) or "a scenario"
        found = f"unknown key {real[-1]!r}"
        expected = f"a key of {section}"
        hint = did_you_mean(real[-1], allowed) or f"known keys: {', '.join(allowed)}"
    elif kind == "missing":
        found, expected = "nothing", _EXPECTED[kind]
    elif kind in _EXPECTED:
        expected = _EXPECTED[kind]
    elif kind in bounds:
        op, name = bounds[kind]
        expected = f"a {'key' if is_key else 'value'} {op} {_num(ctx.get(name))}"
        hint = "" if is_key else input_range(real, ctx.get(name))
    elif kind == "literal_error":
        options = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
        expected = f"one of {ctx.get('expected')}"
        hint = did_you_mean(err.get("input"), options)
    elif kind == "string_pattern_mismatch" and real == ("name",):
        expected = "a lowercase name of letters, digits, '_', '.' and '-'"
    elif kind == "string_too_long":
        found = f"{found} ({len(str(err.get('input')))} characters)"
        expected = f"at most {ctx.get('max_length')} characters (the results file is <name>.nc)"
    elif kind == "value_error":
        expected = str(err["msg"]).removeprefix("Value error, ")
    else:
        msg = str(err["msg"]).removeprefix("Input should be ")
        expected = msg[:1].lower() + msg[1:]
    return where.problem(real, found, expected, hint, data)


def problems_from_validation(err: ValidationError, data: Any, where: KeyOrigins) -> list[Problem]:
    """Convert every pydantic error to a located :class:`Problem`, one per offending key.

    A value that fails every branch of a union (``number | {year: number}``) gives one
    problem: the branches it did not even match by type are dropped, and if it matched
    none, their expectations are joined ("a number or a mapping").
    """
    problems: list[Problem] = []
    unions: dict[Path_, dict[str, list[tuple[Path_, Any, bool]]]] = {}
    for e in err.errors(include_url=False):
        real, union_at, tag, is_key = _real_path(e, data)
        if union_at is None:
            problems.append(_one_problem(real, e, is_key, data, where))
        else:
            unions.setdefault(union_at, {}).setdefault(tag, []).append((real, e, is_key))
    for at, branches in unions.items():

        def mismatch(entries: list[tuple[Path_, Any, bool]], at: Path_ = at) -> bool:
            return all(_is_type_error(e) and real == at for real, e, _ in entries)

        kept = [x for entries in branches.values() if not mismatch(entries) for x in entries]
        if kept:
            problems += [_one_problem(real, e, is_key, data, where) for real, e, is_key in kept]
        else:
            errors = [e for entries in branches.values() for _, e, _ in entries]
            expected = " or ".join(dict.fromkeys(_EXPECTED.get(e["type"], "?") for e in errors))
            problems.append(
                where.problem(at, format_value(errors[0].get("input")), expected, "", data)
            )
    return problems


def _bad_sweep_key(key: Any, refused: set[str] = _UNSWEEPABLE) -> tuple[str, str] | None:
    """Why ``key`` cannot be swept (or sampled), as (expected, hint), or None if it can."""
    try:
        path = split_key(str(key))
    except ValueError:
        return "a dotted key such as finance.wacc", ""
    if path[0] in refused:
        names = ", ".join(sorted(refused))
        return f"a scenario setting ({names} cannot be swept or sampled)", ""
    model: type[BaseModel] | None = Scenario
    prefix: list[str] = []
    for comp in path:
        if model is None:
            break  # inside a free-form mapping, e.g. a region or a year
        if comp not in model.model_fields:
            cands = [".".join([*prefix, f]) for f in model.model_fields if f not in refused]
            return "a dotted path to a scenario setting", did_you_mean(
                ".".join([*prefix, str(comp)]), cands
            )
        prefix.append(str(comp))
        model = _submodel(model, comp)
    return None


def _sweep_key_problems(data: dict[str, Any], where: KeyOrigins) -> list[Problem]:
    sweep = data.get("sweep")
    if not isinstance(sweep, dict):
        return []
    problems = []
    for key, values in sweep.items():
        bad = _bad_sweep_key(key)
        if bad:
            problems.append(where.problem(("sweep", key), repr(key), bad[0], bad[1], data))
        elif isinstance(values, list) and not values:
            problems.append(where.problem(("sweep", key), "[]", "at least one value", "", data))
    runs = math.prod(len(v) for v in sweep.values() if isinstance(v, list))
    if runs > SWEEP_RUNS.value():
        sizes = " x ".join(str(len(v)) for v in sweep.values() if isinstance(v, list))
        found = f"a sweep of {sizes} = {runs:,} runs"
        hint = "sweep fewer keys or values, or split the sweep into several scenarios"
        problems.append(where.problem(("sweep",), found, SWEEP_RUNS.expected(), hint, data))
    return problems


def _sweep_value_problems(sc: Scenario, data: dict[str, Any], where: KeyOrigins) -> list[Problem]:
    """Check each sweep value on its own, located at its line in ``sweep:``."""
    problems = []
    for key, values in sc.sweep.items():
        path = split_key(key)
        for i, value in enumerate(values):
            trial = copy.deepcopy(data)
            trial["sweep"] = {}
            at = ("sweep", key, i)
            try:
                set_at_path(trial, path, value)
                Scenario.model_validate(trial)
            except ValueError as err:  # pydantic's ValidationError is a ValueError too
                found = (
                    problems_from_validation(err, trial, where)
                    if isinstance(err, ValidationError)
                    else [Problem(None, None, key, format_value(value), str(err))]
                )
                problems += [
                    where.problem(at, format_value(value), f"{p.key}: {p.expected}", p.hint, data)
                    for p in found
                ]
    return problems


def _distributions(data: Mapping[str, Any]) -> dict[Any, Any]:
    """The raw ``uncertain.distributions`` mapping (empty when absent or malformed)."""
    uncertain = data.get("uncertain")
    dists = uncertain.get("distributions") if isinstance(uncertain, Mapping) else None
    return dists if isinstance(dists, dict) else {}


def _overlap(a: Path_, b: Path_) -> bool:
    n = min(len(a), len(b))
    return a[:n] == b[:n]


def _uncertain_key_problems(data: dict[str, Any], where: KeyOrigins) -> list[Problem]:
    """Keys of ``uncertain.distributions`` checked as sweep keys are, and not also swept."""
    sweep = data.get("sweep") if isinstance(data.get("sweep"), dict) else {}
    problems = []
    for key in _distributions(data):
        at = ("uncertain", "distributions", key)
        bad = _bad_sweep_key(key, _UNSAMPLEABLE)
        if bad:
            problems.append(where.problem(at, repr(key), bad[0], bad[1], data))
            continue
        path = split_key(str(key))
        for swept in sweep:
            try:
                both = _overlap(path, split_key(str(swept)))
            except ValueError:
                continue
            if both:
                hint = "a run would take the drawn value and silently drop the swept one"
                expected = f"a setting that is not also swept (sweep: sets {swept})"
                problems.append(where.problem(at, repr(key), expected, hint, data))
    return problems


def distribution_points(dist: Mapping[str, Any]) -> list[tuple[Path_, Any]]:
    """Values a distribution can give that must each be valid: every ``choice`` value;
    the bounds, mode, mean or median of the others."""
    if dist.get("dist") == "choice":
        values = dist.get("values")
        return (
            [(("values", i), v) for i, v in enumerate(values)] if isinstance(values, list) else []
        )
    fields = ("low", "mode", "high", "mean", "median")
    return [((f,), dist[f]) for f in fields if isinstance(dist.get(f), int | float)]


def _uncertain_value_problems(data: dict[str, Any], where: KeyOrigins) -> list[Problem]:
    """Check each value a distribution can give, located at its line in ``uncertain:``."""
    problems = []
    for key, dist in _distributions(data).items():
        path = split_key(str(key))
        for sub, value in distribution_points(dist):
            trial = copy.deepcopy(data)
            trial["sweep"], trial["uncertain"] = {}, None
            at = ("uncertain", "distributions", key, *sub)
            try:
                set_at_path(trial, path, value)
                Scenario.model_validate(trial)
            except ValueError as err:
                found = (
                    problems_from_validation(err, trial, where)
                    if isinstance(err, ValidationError)
                    else [Problem(None, None, str(key), format_value(value), str(err))]
                )
                problems += [
                    where.problem(at, format_value(value), f"{p.key}: {p.expected}", p.hint, data)
                    for p in found
                ]
    return problems


def validate_data(data: dict[str, Any], where: KeyOrigins) -> Scenario:
    problems = where.pending + _sweep_key_problems(data, where)
    problems += _uncertain_key_problems(data, where)
    try:
        sc = Scenario.model_validate(data)
    except ValidationError as err:
        schema = problems_from_validation(err, data, where)
        if any(p.key == "name" for p in where.pending):  # "name must be the file's": enough
            schema = [p for p in schema if p.key != "name"]
        problems = schema + problems
    else:
        if not problems:
            problems = _sweep_value_problems(sc, data, where)
            problems += _uncertain_value_problems(data, where)
    if problems:
        order = sorted(problems, key=lambda p: (p.file == SET_ORIGIN, p.file or "", p.line or 0))
        raise ScenarioError(order)
    return sc
