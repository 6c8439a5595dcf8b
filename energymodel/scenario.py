"""Scenarios: read YAML, follow ``extends``, apply overrides, expand sweeps, explain errors.

A scenario file holds only what differs from the defaults in :mod:`energymodel.schema`.
Resolution runs in a fixed order:

1. read the file (ruamel round-trip loader, so every key keeps its line number);
2. follow ``extends:`` (a name or a relative path, chains of any depth): the parent is
   resolved first and the child deep-merged on top (mappings merge, lists and scalars
   replace; ``name``, ``description`` and ``extends`` are never inherited);
3. apply the named override sets listed in ``overrides:`` (from ``overrides.yaml`` in the
   scenarios folder), in order, as deep merges. Lists replace, so a child that sets
   ``overrides:`` must repeat any set of its parent it still wants;
4. apply the ``overrides=`` given in code (dotted keys, like the CLI's ``--set``): each
   replaces the value at its path;
5. resolve ``inputs_dir`` to an absolute path and validate against the schema.

While merging, a parallel map ``key path -> (file, line)`` records where each value came
from, so every problem is reported at the file and line that set it. All problems of a
scenario are collected and raised together as one :class:`ScenarioError`.
"""

from __future__ import annotations

import argparse
import copy
import difflib
import fnmatch
import itertools
import json
import logging
import re
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from io import StringIO
from pathlib import Path
from typing import Any, get_args

from pydantic import BaseModel, ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError

from energymodel.schema import Scenario

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

OVERRIDES_FILE = "overrides.yaml"
SCHEMA_PATH = Path(__file__).resolve().parent.parent / "scenarios" / "schema.json"
SET_ORIGIN = "--set"
DICT_ORIGIN = "<dict>"
# Keys that identify a file or drive resolution: they cannot be swept.
_UNSWEEPABLE = {"name", "description", "extends", "overrides", "sweep", "sweep_values"}
_NOT_IN_OVERRIDE_SETS = {"name", "description", "extends", "overrides"}
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

Path_ = tuple[Any, ...]
Locs = dict[Path_, tuple[str, int | None]]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a scenario, located as precisely as we can.

    Attributes
    ----------
    file : str or None
        File that set the offending value (``--set`` for code overrides).
    line : int or None
        1-based line of the offending key in ``file``.
    key : str
        Dotted key path, e.g. ``finance.wacc`` or ``regions[2]`` (empty for syntax errors).
    found : str
        What was found, rendered short.
    expected : str
        What was expected.
    hint : str
        Extra help, e.g. ``did you mean 'wacc'?``.
    """

    file: str | None
    line: int | None
    key: str
    found: str
    expected: str
    hint: str = ""

    def __str__(self) -> str:
        where = self.file or "<scenario>"
        if self.line is not None:
            where = f"{where}:{self.line}"
        key = f" {self.key}:" if self.key else ""
        hint = f" ({self.hint})" if self.hint else ""
        return f"{where}:{key} found {self.found}; expected {self.expected}{hint}"


class ScenarioError(Exception):
    """A scenario that cannot be used; ``problems`` lists every reason found."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems: list[Problem] = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


@dataclass
class _Where:
    """Where values came from: key path -> (file, line), plus a fallback file."""

    locs: Locs = field(default_factory=dict)
    default_file: str = DICT_ORIGIN
    pending: list[Problem] = field(default_factory=list)
    """Problems found while merging, reported together with the schema's."""

    def find(self, path: Path_) -> tuple[str, int | None]:
        for n in range(len(path), -1, -1):
            if path[:n] in self.locs:
                return self.locs[path[:n]]
        return self.default_file, None

    def problem(
        self, path: Path_, found: str, expected: str, hint: str = "", data: Any = None
    ) -> Problem:
        file, line = self.find(path)
        return Problem(file, line, _key_str(path, data), found, expected, hint)


# --------------------------------------------------------------------------- helpers


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path.resolve())


def _fmt(value: Any, limit: int = 60) -> str:
    """Render a value short, in YAML flow style."""

    def render(v: Any) -> str:
        if v is None:
            return "null"
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, str):
            return repr(v)
        if isinstance(v, Mapping):
            return "{" + ", ".join(f"{render(k)}: {render(x)}" for k, x in v.items()) + "}"
        if isinstance(v, list | tuple):
            return "[" + ", ".join(render(x) for x in v) + "]"
        return str(v)

    text = render(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _suggest(word: Any, choices: Iterable[Any]) -> str:
    names = {str(c).lower(): str(c) for c in choices}
    match = difflib.get_close_matches(str(word).lower(), list(names), n=1, cutoff=0.6)
    return f"did you mean '{names[match[0]]}'?" if match else ""


def _key_str(path: Path_, data: Any = None) -> str:
    out = ""
    cur = data
    for comp in path:
        if isinstance(cur, list) and isinstance(comp, int):
            out += f"[{comp}]"
        else:
            out += f".{comp}" if out else str(comp)
        if isinstance(cur, dict):
            cur = cur.get(comp)
        elif isinstance(cur, list) and isinstance(comp, int) and 0 <= comp < len(cur):
            cur = cur[comp]
        else:
            cur = None
    return out


def _split_key(key: str) -> Path_:
    """Split a dotted key into path components; all-digit parts become int (as YAML)."""
    parts = [p.strip() for p in key.split(".")]
    if not key.strip() or any(not p for p in parts):
        msg = f"bad key {key!r}"
        raise ValueError(msg)
    if parts[0] in ("sweep", "sweep_values") and len(parts) > 1:
        return (parts[0], ".".join(parts[1:]))  # sweep keys are dotted themselves
    return tuple(int(p) if p.isdigit() else p for p in parts)


class _SetError(ValueError):
    """A dotted key that cannot be set (it goes through a value that is not a mapping)."""


def _default_at(path: Path_) -> Any:
    """The schema's default at ``path`` (None where there is none)."""
    cur: Any = Scenario.model_construct(name="_").model_dump()
    for comp in path:
        cur = cur.get(comp) if isinstance(cur, dict) else None
    return cur


def _set_path(data: dict[str, Any], path: Path_, value: Any) -> None:
    """Set ``value`` at ``path``; a missing mapping on the way starts from its default.

    So ``market.price_usd_per_mtok.2030=1.5`` changes one year of the default
    trajectory and keeps the others.
    """
    cur: Any = data
    for i, comp in enumerate(path[:-1]):
        if comp not in cur:
            cur[comp] = copy.deepcopy(_default_at(path[: i + 1]))
        nxt = cur[comp]
        if nxt is None:
            nxt = cur[comp] = {}
        if not isinstance(nxt, dict):
            msg = f"{_key_str(path[: i + 1])} holds {_fmt(nxt)}, not a mapping"
            raise _SetError(msg)
        cur = nxt
    cur[path[-1]] = copy.deepcopy(value)


def _drop_locs(locs: Locs, prefix: Path_) -> None:
    for p in [p for p in locs if p[: len(prefix)] == prefix]:
        del locs[p]


def _merge(base: dict[str, Any], over: dict[str, Any], locs: Locs, over_locs: Locs) -> dict:
    """Deep-merge ``over`` onto ``base`` (mappings merge; the rest replaces), with locs."""

    def rec(b: dict[str, Any], o: dict[str, Any], prefix: Path_) -> dict[str, Any]:
        out = dict(b)
        for k, v in o.items():
            p = (*prefix, k)
            if isinstance(v, dict) and isinstance(out.get(k), dict):
                out[k] = rec(out[k], v, p)
                if p in over_locs:
                    locs[p] = over_locs[p]
            else:
                out[k] = copy.deepcopy(v)
                _drop_locs(locs, p)
                locs.update({q: loc for q, loc in over_locs.items() if q[: len(p)] == p})
        return out

    return rec(base, over, ())


def _plain(node: Any, file: str, path: Path_, locs: Locs) -> Any:
    """Turn a ruamel node into plain Python, recording the line of every key and item."""
    if isinstance(node, Mapping):
        out: dict[Any, Any] = {}
        for k, v in node.items():
            key = _plain(k, file, path, {})
            try:
                line: int | None = node.lc.key(k)[0] + 1  # type: ignore[attr-defined]
            except (AttributeError, KeyError, TypeError):
                line = locs.get(path, (file, None))[1]
            locs[(*path, key)] = (file, line)
            out[key] = _plain(v, file, (*path, key), locs)
        return out
    if isinstance(node, list):
        items = []
        for i, v in enumerate(node):
            try:
                line = node.lc.item(i)[0] + 1  # type: ignore[attr-defined]
            except (AttributeError, KeyError, TypeError):
                line = locs.get(path, (file, None))[1]
            locs[(*path, i)] = (file, line)
            items.append(_plain(v, file, (*path, i), locs))
        return items
    if isinstance(node, bool) or type(node).__name__ == "ScalarBoolean":
        return bool(node)
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        return float(node)
    if isinstance(node, str):
        return str(node)
    return node


def _read_yaml(path: Path) -> tuple[Any, Locs]:
    """Read one YAML file into plain Python and its key locations."""
    file = _display(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as err:
        raise ScenarioError(
            [Problem(file, None, "", f"an unreadable file ({err.strerror})", "a YAML file")]
        ) from None
    try:
        node = YAML(typ="rt").load(text)
    except YAMLError as err:
        mark = getattr(err, "problem_mark", None) or getattr(err, "context_mark", None)
        reason = getattr(err, "problem", None) or str(err).splitlines()[0]
        found = f"{reason} at column {mark.column + 1}" if mark else str(reason)
        line = mark.line + 1 if mark else None
        context = getattr(err, "context", None) or ""
        raise ScenarioError([Problem(file, line, "", found, "valid YAML", context)]) from None
    locs: Locs = {(): (file, None)}
    return _plain(node, file, (), locs), locs


def _default_scenarios_dir() -> Path:
    here = Path.cwd() / "scenarios"
    return here if here.is_dir() else Path(__file__).resolve().parent.parent / "scenarios"


def _available(folder: Path) -> list[Path]:
    """Scenario files in ``folder``: every ``*.yaml`` but overrides and ``_*`` files."""
    if not folder.is_dir():
        return []
    return sorted(
        p for p in folder.glob("*.yaml") if p.name != OVERRIDES_FILE and not p.name.startswith("_")
    )


def _by_name(name: str, folders: Sequence[Path]) -> Path | None:
    for folder in folders:
        for suffix in (".yaml", ".yml"):
            cand = folder / f"{name}{suffix}"
            if cand.is_file():
                return cand.resolve()
    return None


def _looks_like_path(text: str) -> bool:
    return "/" in text or "\\" in text or text.endswith((".yaml", ".yml"))


def _not_found(where: _Where, path: Path_, name: str, folders: Sequence[Path]) -> Problem:
    names = sorted({p.stem for f in folders for p in _available(f)})
    listing = ", ".join(names) if names else "none"
    folder = ", ".join(_display(f) for f in dict.fromkeys(folders))
    return where.problem(
        path, repr(name), f"a scenario in {folder} (available: {listing})", _suggest(name, names)
    )


# ------------------------------------------------------------------ reading and merging


def _extend(
    data: dict[str, Any],
    locs: Locs,
    base_dir: Path,
    scenarios_dir: Path,
    chain: list[Path],
) -> tuple[dict[str, Any], Locs]:
    """Merge ``data`` over the resolved scenario its ``extends:`` names (if any)."""
    parent = data.get("extends")
    if parent is None:
        return data, locs
    where = _Where(locs, locs[()][0])
    if not isinstance(parent, str) or not parent.strip():
        raise ScenarioError([where.problem(("extends",), _fmt(parent), "a scenario name")])
    folders = list(dict.fromkeys([base_dir, scenarios_dir]))
    if _looks_like_path(parent):
        target: Path | None = (base_dir / parent).resolve()
        target = target if target.is_file() else None  # type: ignore[union-attr]
    else:
        target = _by_name(parent, folders)
    if target is None:
        raise ScenarioError([_not_found(where, ("extends",), parent, folders)])
    if target in chain:
        cycle = " -> ".join(p.stem for p in [*chain[chain.index(target) :], target])
        raise ScenarioError([where.problem(("extends",), f"a cycle {cycle}", "a chain that ends")])
    pdata, plocs = _load_file(target, scenarios_dir, chain)
    for key in ("name", "description", "extends"):
        pdata.pop(key, None)
        _drop_locs(plocs, (key,))
    plocs[()] = locs[()]
    return _merge(pdata, data, plocs, locs), plocs


def _load_file(path: Path, scenarios_dir: Path, chain: list[Path]) -> tuple[dict, Locs]:
    """Read ``path`` and everything it extends, merged, with the origin of every key."""
    data, locs = _read_yaml(path)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        where = _Where(locs, _display(path))
        raise ScenarioError(
            [where.problem((), _fmt(data), "a mapping of scenario keys (name: ..., years: ...)")]
        )
    return _extend(data, locs, path.parent, scenarios_dir, [*chain, path])


def _apply_override_sets(data: dict, scenarios_dir: Path, where: _Where) -> dict:
    names = data.get("overrides") or []
    if not isinstance(names, list) or not names:
        return data  # a wrong type is reported by the schema
    path = scenarios_dir / OVERRIDES_FILE
    if not path.is_file():
        expected = f"a set defined in {_display(path)}, which does not exist"
        where.pending.append(where.problem(("overrides",), _fmt(names), expected))
        return data
    sets, set_locs = _read_yaml(path)
    sets = sets or {}
    problems = []
    for i, name in enumerate(names):
        ok = isinstance(sets, dict) and isinstance(name, str)
        body = sets.get(name) if ok else None
        if not isinstance(body, dict):
            available = ", ".join(sets) if isinstance(sets, dict) else "none"
            problems.append(
                where.problem(
                    ("overrides", i),
                    _fmt(name),
                    f"an override set of {_display(path)} (available: {available})",
                    _suggest(name, sets if isinstance(sets, dict) else []),
                    data,
                )
            )
            continue
        sub = {p[1:]: loc for p, loc in set_locs.items() if p[:1] == (name,) and len(p) > 1}
        for bad in _NOT_IN_OVERRIDE_SETS & set(body):
            problems.append(
                _Where(sub, _display(path)).problem(
                    (bad,), f"{bad!r} in override set '{name}'", "only scenario settings"
                )
            )
        data = _merge(data, body, where.locs, sub)
    where.pending += problems
    return data


def _apply_code_overrides(data: dict, where: _Where, overrides: Mapping[str, Any]) -> dict:
    for key, value in overrides.items():
        try:
            path = _split_key(key)
            _set_path(data, path, value)
        except ValueError as err:
            problem = Problem(SET_ORIGIN, None, str(key), _fmt(value), f"a settable key ({err})")
            where.pending.append(problem)
            continue
        _drop_locs(where.locs, path)
        where.locs[path] = (SET_ORIGIN, None)
    return data


def _gather(
    source: str | Path | Mapping[str, Any],
    overrides: Mapping[str, Any] | None,
    scenarios_dir: Path | None,
) -> tuple[dict[str, Any], _Where]:
    """Read, extend and override ``source`` into plain data; no schema validation yet."""
    sdir = (scenarios_dir or _default_scenarios_dir()).resolve()
    if isinstance(source, Mapping):
        data = copy.deepcopy(dict(source))
        locs: Locs = dict.fromkeys([(), *_all_paths(data)], (DICT_ORIGIN, None))
        data, locs = _extend(data, locs, sdir, sdir, [])
    else:
        text = str(source)
        path = Path(text)
        if not path.is_file():
            if _looks_like_path(text):
                raise ScenarioError([Problem(text, None, "", "no such file", "a scenario file")])
            found = _by_name(text, [sdir])
            if found is None:
                raise ScenarioError([_not_found(_Where({}, "<name>"), (), text, [sdir])])
            path = found
        path = path.resolve()
        if scenarios_dir is None:
            sdir = path.parent
        data, locs = _load_file(path, sdir, [])
        data.setdefault("name", path.stem)
    where = _Where(locs, locs[()][0])
    overrides = dict(overrides or {})
    if "overrides" in overrides:  # a replaced list of sets must apply before --set values
        data = _apply_code_overrides(data, where, {"overrides": overrides.pop("overrides")})
    data = _apply_override_sets(data, sdir, where)
    data = _apply_code_overrides(data, where, overrides)
    inputs_dir = data.get("inputs_dir")
    if inputs_dir is None:
        data["inputs_dir"] = str((sdir.parent / "inputs").resolve())
    elif isinstance(inputs_dir, str):
        origin = Path(where.find(("inputs_dir",))[0])
        rel_to = origin.parent if origin.suffix in (".yaml", ".yml") else Path.cwd()
        data["inputs_dir"] = str((rel_to / inputs_dir).resolve())
    return data, where


def _all_paths(data: Any, prefix: Path_ = ()) -> list[Path_]:
    out = []
    if isinstance(data, dict):
        for k, v in data.items():
            out += [(*prefix, k), *_all_paths(v, (*prefix, k))]
    elif isinstance(data, list):
        for i, v in enumerate(data):
            out += [(*prefix, i), *_all_paths(v, (*prefix, i))]
    return out


# ------------------------------------------------------------------------ validation


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
    real: Path_, err: Mapping[str, Any], is_key: bool, data: Any, where: _Where
) -> Problem:
    kind = str(err["type"])
    ctx = err.get("ctx") or {}
    found = _fmt(err.get("input"))
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
        section = _key_str(real[:-1], data) or "a scenario"
        found = f"unknown key {real[-1]!r}"
        expected = f"a key of {section}"
        hint = _suggest(real[-1], allowed) or f"known keys: {', '.join(allowed)}"
    elif kind == "missing":
        found, expected = "nothing", _EXPECTED[kind]
    elif kind in _EXPECTED:
        expected = _EXPECTED[kind]
    elif kind in bounds:
        op, name = bounds[kind]
        expected = f"a {'key' if is_key else 'value'} {op} {_num(ctx.get(name))}"
    elif kind == "literal_error":
        options = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
        expected = f"one of {ctx.get('expected')}"
        hint = _suggest(err.get("input"), options)
    elif kind == "string_pattern_mismatch" and real == ("name",):
        expected = "a lowercase name of letters, digits, '_', '.' and '-'"
    elif kind == "value_error":
        expected = str(err["msg"]).removeprefix("Value error, ")
    else:
        msg = str(err["msg"]).removeprefix("Input should be ")
        expected = msg[:1].lower() + msg[1:]
    return where.problem(real, found, expected, hint, data)


def _problems_from(err: ValidationError, data: Any, where: _Where) -> list[Problem]:
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
            problems.append(where.problem(at, _fmt(errors[0].get("input")), expected, "", data))
    return problems


def _bad_sweep_key(key: Any) -> tuple[str, str] | None:
    """Why ``key`` cannot be swept, as (expected, hint), or None if it can."""
    try:
        path = _split_key(str(key))
    except ValueError:
        return "a dotted key such as finance.wacc", ""
    if path[0] in _UNSWEEPABLE:
        return "a scenario setting (name, extends, overrides and sweep cannot be swept)", ""
    model: type[BaseModel] | None = Scenario
    prefix: list[str] = []
    for comp in path:
        if model is None:
            break  # inside a free-form mapping, e.g. a region or a year
        if comp not in model.model_fields:
            cands = [".".join([*prefix, f]) for f in model.model_fields if f not in _UNSWEEPABLE]
            return "a dotted path to a scenario setting", _suggest(
                ".".join([*prefix, str(comp)]), cands
            )
        prefix.append(str(comp))
        model = _submodel(model, comp)
    return None


def _sweep_key_problems(data: dict[str, Any], where: _Where) -> list[Problem]:
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
    return problems


def _sweep_value_problems(sc: Scenario, data: dict[str, Any], where: _Where) -> list[Problem]:
    """Check each sweep value on its own, located at its line in ``sweep:``."""
    problems = []
    for key, values in sc.sweep.items():
        path = _split_key(key)
        for i, value in enumerate(values):
            trial = copy.deepcopy(data)
            trial["sweep"] = {}
            at = ("sweep", key, i)
            try:
                _set_path(trial, path, value)
                Scenario.model_validate(trial)
            except ValueError as err:  # pydantic's ValidationError is a ValueError too
                found = (
                    _problems_from(err, trial, where)
                    if isinstance(err, ValidationError)
                    else [Problem(None, None, key, _fmt(value), str(err))]
                )
                problems += [
                    where.problem(at, _fmt(value), f"{p.key}: {p.expected}", p.hint, data)
                    for p in found
                ]
    return problems


def _validate(data: dict[str, Any], where: _Where) -> Scenario:
    problems = where.pending + _sweep_key_problems(data, where)
    try:
        sc = Scenario.model_validate(data)
    except ValidationError as err:
        problems = _problems_from(err, data, where) + problems
    else:
        if not problems:
            problems = _sweep_value_problems(sc, data, where)
    if problems:
        order = sorted(problems, key=lambda p: (p.file == SET_ORIGIN, p.file or "", p.line or 0))
        raise ScenarioError(order)
    return sc


# ------------------------------------------------------------------------ public API


def load_scenario(
    source: str | Path | Mapping[str, Any],
    *,
    overrides: Mapping[str, Any] | None = None,
    scenarios_dir: Path | None = None,
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
    data, where = _gather(source, overrides, scenarios_dir)
    return _validate(data, where)


def _labels(keys: Sequence[str]) -> dict[str, str]:
    """Short, unique label per sweep key: its last component, longer if ambiguous."""
    parts = {k: _split_key(k) for k in keys}
    labels = {}
    for k, comps in parts.items():
        for n in range(1, len(comps) + 1):
            label = ".".join(map(str, comps[-n:]))
            others = [".".join(map(str, c[-n:])) for o, c in parts.items() if o != k]
            if label not in others:
                break
        labels[k] = label
    return labels


def _slug(value: Any) -> str:
    if isinstance(value, bool) or value is None:
        return _fmt(value)
    if isinstance(value, int | float):
        return repr(value).replace("+", "")
    text = re.sub(r"[^a-z0-9_.\-]+", "-", _fmt(value, limit=40).lower()).strip("-")
    return text or "x"


def expand_sweeps(sc: Scenario) -> list[Scenario]:
    """Fan a scenario with ``sweep:`` out into one scenario per combination of values.

    Parameters
    ----------
    sc
        A resolved scenario.

    Returns
    -------
    list of Scenario
        ``[sc]`` without a sweep; else the Cartesian product in the order of the sweep
        keys, each named ``<name>__<label>=<value>...`` (label: the key's last component),
        with ``sweep={}`` and ``sweep_values`` holding the values it took.

    Raises
    ------
    ScenarioError
        If a combination does not validate; the problem names the sweep key.
    """
    if not sc.sweep:
        return [sc]
    keys = list(sc.sweep)
    labels = _labels(keys)
    slugs: dict[str, list[str]] = {}
    for key in keys:
        seen: list[str] = []
        for value in sc.sweep[key]:
            slug = _slug(value)
            seen.append(slug if slug not in seen else f"{slug}-{len(seen) + 1}")
        slugs[key] = seen
    base = sc.model_dump()
    where = _Where({}, f"<sweep of {sc.name}>")
    runs = []
    for combo in itertools.product(*(range(len(sc.sweep[k])) for k in keys)):
        data = copy.deepcopy(base)
        data["sweep"] = {}
        values = {k: sc.sweep[k][i] for k, i in zip(keys, combo, strict=True)}
        data["sweep_values"] = {**sc.sweep_values, **values}
        data["name"] = sc.name + "".join(
            f"__{labels[k]}={slugs[k][i]}" for k, i in zip(keys, combo, strict=True)
        )
        problems = []
        for key, value in values.items():
            try:
                _set_path(data, _split_key(key), value)
            except ValueError as err:
                problems.append(where.problem(("sweep", key), _fmt(value), str(err)))
        if not problems:
            try:
                runs.append(Scenario.model_validate(data))
            except ValidationError as err:
                problems = [
                    Problem(
                        p.file, None, f"sweep {data['name']}", p.found, f"{p.key}: {p.expected}"
                    )
                    for p in _problems_from(err, data, where)
                ]
        if problems:
            raise ScenarioError(problems)
    return runs


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
        _split_key(key)
    except ValueError:
        raise ScenarioError(
            [Problem(SET_ORIGIN, None, "", repr(text), example, "the key is empty")]
        ) from None
    try:
        value = YAML(typ="safe", pure=True).load(raw) if raw.strip() else None
    except YAMLError as err:
        reason = getattr(err, "problem", None) or str(err).splitlines()[0]
        raise ScenarioError(
            [Problem(SET_ORIGIN, None, key, repr(raw), "a YAML value", str(reason))]
        ) from None
    return key, value


def find_scenarios(patterns: Sequence[str], scenarios_dir: Path | None = None) -> list[Path]:
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
    folder = (scenarios_dir or _default_scenarios_dir()).resolve()
    available = _available(folder)
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
            by_name = None if _looks_like_path(pattern) else _by_name(pattern, [folder])
            matches = [by_name] if by_name else []
        if not matches:
            names = [p.stem for p in available]
            problems.append(
                Problem(
                    _display(folder),
                    None,
                    "",
                    f"no scenario matching {pattern!r}",
                    f"a name, glob or path (available: {', '.join(names) or 'none'})",
                    _suggest(pattern, names),
                )
            )
        found += matches
    if problems:
        raise ScenarioError(problems)
    return list(dict.fromkeys(found))


def _input_checks(sc: Scenario, inputs: Any) -> list[tuple[Path_, str, str, str]]:
    regions = [str(r) for r in inputs.regions.index]
    techs = sorted({str(t) for t in inputs.technologies["tech"]})
    trajectories = sorted({str(t) for t in inputs.demand["trajectory"]})
    out: list[tuple[Path_, str, str, str]] = []

    def check(path: Path_, name: Any, known: list[str], what: str) -> None:
        if str(name) not in known:
            expected = f"{what} (known: {', '.join(known)})"
            out.append((path, repr(name), expected, _suggest(name, known)))

    region, tech = "a region of the inputs' regions.csv", "a technology of technologies.csv"
    for i, name in enumerate(sc.regions):
        check(("regions", i), name, regions, region)
    for i, name in enumerate(sc.demand.training_regions or []):
        check(("demand", "training_regions", i), name, regions, region)
    if sc.demand.values is None:
        check(("demand", "trajectory"), sc.demand.trajectory, trajectories, "a demand trajectory")
    by_region: dict[Path_, Mapping[str, Any]] = {
        ("demand", "values"): sc.demand.values or {},
        ("demand", "region_scale"): sc.demand.region_scale,
        ("grid", "max_new_connection_gw_per_yr"): sc.grid.max_new_connection_gw_per_yr,
        ("grid", "connection_ceiling_gw"): sc.grid.connection_ceiling_gw,
        ("grid", "existing_connection_gw"): sc.grid.existing_connection_gw,
        ("policy", "committed_it_capacity_gw"): sc.policy.committed_it_capacity_gw,
    }
    for path, mapping in by_region.items():
        for name in mapping:
            check((*path, name), name, regions, region)
    for i, name in enumerate(sc.supply.techs or []):
        check(("supply", "techs", i), name, techs, tech)
    for attr in ("max_build_gw_per_yr", "available_from_year", "capex_multiplier"):
        for name in getattr(sc.supply, attr):
            check(("supply", attr, name), name, techs, tech)
    return out


def check_against_inputs(sc: Scenario, inputs: Any) -> list[Problem]:
    """Regions, technologies and demand trajectories the scenario names but inputs lack.

    Parameters
    ----------
    sc
        A resolved scenario.
    inputs
        An :class:`energymodel.inputs.Inputs` (``regions`` indexed by region,
        ``technologies`` with a ``tech`` column, ``demand`` with a ``trajectory`` column).

    Returns
    -------
    list of Problem
        Empty when everything named exists. Without file and line (see
        :func:`validate_scenario` for located problems).
    """
    dump = sc.model_dump()
    return [
        Problem(None, None, _key_str(path, dump), found, expected, hint)
        for path, found, expected, hint in _input_checks(sc, inputs)
    ]


_INPUT_LINE = re.compile(
    r"^(?P<file>[^:\s]+\.csv): (?:line (?P<line>\d+): )?(?P<rest>.*)$", re.DOTALL
)
_EXPECTED_FOUND = re.compile(r"^expected (?P<exp>.*), found (?P<found>[^,]*)$", re.DOTALL)
_FOUND_EXPECTED = re.compile(
    r"^(?:(?P<key>[^:;]+): )?found (?P<found>.*?); expected (?P<exp>.*)$", re.DOTALL
)


def _input_problem(text: str, inputs_dir: Path) -> Problem:
    """Turn one of ``InputError.problems`` (``file: line N: ...``) into a Problem."""
    file, line, rest = _display(inputs_dir), None, text
    rest = rest.removeprefix(f"{inputs_dir}: ")
    if m := _INPUT_LINE.match(text):
        file = _display(inputs_dir / m["file"])
        line = int(m["line"]) if m["line"] else None
        rest = m["rest"]
    if m := _FOUND_EXPECTED.match(rest):
        return Problem(file, line, m["key"] or "", m["found"], m["exp"])
    if m := _EXPECTED_FOUND.match(rest):
        return Problem(file, line, "", m["found"], m["exp"])
    found, _, expected = rest.partition("; expected ")
    return Problem(file, line, "", found, expected or "valid input tables")


def _input_error_problems(err: Exception, inputs_dir: Path) -> list[Problem]:
    items = getattr(err, "problems", None)
    if not isinstance(items, list) or not items:
        items = [str(err)]
    return [
        item if isinstance(item, Problem) else _input_problem(str(item), inputs_dir)
        for item in items
    ]


def validate_scenario(
    source: str | Path | Mapping[str, Any],
    *,
    overrides: Mapping[str, Any] | None = None,
    scenarios_dir: Path | None = None,
) -> list[Problem]:
    """Every problem of a scenario and of the inputs it uses; solve nothing.

    Runs :func:`load_scenario`, then :func:`energymodel.inputs.load_inputs` on its
    ``inputs_dir`` and :func:`check_against_inputs`. Never raises for bad input.

    Returns
    -------
    list of Problem
        Empty when the scenario can be run.
    """
    try:
        data, where = _gather(source, overrides, scenarios_dir)
        sc = _validate(data, where)
    except ScenarioError as err:
        return err.problems
    try:
        from energymodel.inputs import InputError, load_inputs
    except ImportError:
        logger.warning("energymodel.inputs is not available: input tables not checked")
        return []
    try:
        inputs = load_inputs(Path(str(sc.inputs_dir)))
    except InputError as err:
        return _input_error_problems(err, Path(str(sc.inputs_dir)))
    except (OSError, ValueError, KeyError) as err:
        return [Problem(str(sc.inputs_dir), None, "", str(err), "readable input tables")]
    dump = sc.model_dump()
    problems = [
        where.problem(path, found, expected, hint, dump)
        for path, found, expected, hint in _input_checks(sc, inputs)
    ]
    return sorted(problems, key=lambda p: (p.file or "", p.line or 0))


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
        header.append(f"# overrides: {_fmt(sc.overrides, limit=200)}")
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
