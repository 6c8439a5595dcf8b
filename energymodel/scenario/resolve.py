"""Resolve a scenario source into plain data, recording where every value came from.

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
5. resolve ``inputs_dir`` to an absolute path (schema validation comes next, in
   :mod:`energymodel.scenario.validate`).

While merging, a parallel map ``key path -> (file, line)`` records where each value came
from, so every problem is reported at the file and line that set it.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from energymodel.scenario.confine import (
    not_a_scenario,
    outside,
    resolve_dir,
    resolve_swept_dirs,
    roots_for,
)
from energymodel.scenario.problems import (
    DICT_ORIGIN,
    SET_ORIGIN,
    KeyOrigins,
    Locs,
    Path_,
    Problem,
    ScenarioError,
    did_you_mean,
    display_path,
    dotted_key,
    format_value,
)
from energymodel.scenario.reading import describe, read_yaml_node
from energymodel.scenario.schema import Scenario

OVERRIDES_FILE = "overrides.yaml"
_NOT_IN_OVERRIDE_SETS = {"name", "description", "extends", "overrides"}


def split_key(key: str) -> Path_:
    """Split a dotted key into path components; all-digit parts become int (as YAML)."""
    parts = [p.strip() for p in key.split(".")]
    if not key.strip() or any(not p for p in parts):
        msg = f"bad key {key!r}"
        raise ValueError(msg)
    if parts[0] in ("sweep", "sweep_values", "sample_values") and len(parts) > 1:
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


def set_at_path(data: dict[str, Any], path: Path_, value: Any) -> None:
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
            msg = f"{dotted_key(path[: i + 1])} holds {format_value(nxt)}, not a mapping"
            raise _SetError(msg)
        cur = nxt
    cur[path[-1]] = copy.deepcopy(value)


def drop_locs(locs: Locs, prefix: Path_) -> None:
    for p in [p for p in locs if p[: len(prefix)] == prefix]:
        del locs[p]


def deep_merge(base: dict[str, Any], over: dict[str, Any], locs: Locs, over_locs: Locs) -> dict:
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
                drop_locs(locs, p)
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


def read_yaml(path: Path) -> tuple[Any, Locs]:
    """Read one YAML file into plain Python and its key locations (within the limits)."""
    file = display_path(path)
    node = read_yaml_node(path, file)
    locs: Locs = {(): (file, None)}
    return _plain(node, file, (), locs), locs


def default_scenarios_dir() -> Path:
    here = Path.cwd() / "scenarios"
    return here if here.is_dir() else Path(__file__).resolve().parents[2] / "scenarios"


def scenario_files(folder: Path) -> list[Path]:
    """Scenario files in ``folder``: every ``*.yaml`` but overrides and ``_*`` files."""
    if not folder.is_dir():
        return []
    return sorted(
        p
        for p in folder.glob("*.yaml")
        if p.name != OVERRIDES_FILE and not p.name.startswith("_") and p.is_file()
    )


def find_by_name(name: str, folders: Sequence[Path]) -> Path | None:
    for folder in folders:
        for suffix in (".yaml", ".yml"):
            cand = folder / f"{name}{suffix}"
            if cand.is_file():
                return cand.resolve()
    return None


def looks_like_path(text: str) -> bool:
    return "/" in text or "\\" in text or text.endswith((".yaml", ".yml"))


def not_found_problem(
    where: KeyOrigins, path: Path_, name: str, folders: Sequence[Path]
) -> Problem:
    names = sorted({p.stem for f in folders for p in scenario_files(f)})
    listing = ", ".join(names) if names else "none"
    folder = ", ".join(display_path(f) for f in dict.fromkeys(folders))
    return where.problem(
        path,
        repr(name),
        f"a scenario in {folder} (available: {listing})",
        did_you_mean(name, names),
    )


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
    where = KeyOrigins(locs, locs[()][0])
    if not isinstance(parent, str) or not parent.strip():
        raise ScenarioError([where.problem(("extends",), format_value(parent), "a scenario name")])
    folders = list(dict.fromkeys([base_dir, scenarios_dir]))
    if looks_like_path(parent):
        target: Path | None = (base_dir / parent).resolve()
        target = target if target.is_file() else None  # type: ignore[union-attr]
    else:
        target = find_by_name(parent, folders)
    if target is None:
        raise ScenarioError([not_found_problem(where, ("extends",), parent, folders)])
    origin = where.find(("extends",))[0]
    refused = not_a_scenario(target)
    if refused is None and origin not in (DICT_ORIGIN, SET_ORIGIN):
        chain_dirs = [p.parent for p in chain]  # the files that led here
        refused = outside(target, roots_for(base_dir, scenarios_dir, chain_dirs))
    if refused is not None:  # never read, so never quoted
        raise ScenarioError([where.problem(("extends",), *refused)])
    if target in chain:
        cycle = " -> ".join(p.stem for p in [*chain[chain.index(target) :], target])
        raise ScenarioError([where.problem(("extends",), f"a cycle {cycle}", "a chain that ends")])
    pdata, plocs = _load_file(target, scenarios_dir, chain)
    for key in ("name", "description", "extends"):
        pdata.pop(key, None)
        drop_locs(plocs, (key,))
    plocs[()] = locs[()]
    return deep_merge(pdata, data, plocs, locs), plocs


def _load_file(path: Path, scenarios_dir: Path, chain: list[Path]) -> tuple[dict, Locs]:
    """Read ``path`` and everything it extends, merged, with the origin of every key."""
    data, locs = read_yaml(path)
    expected = "a mapping of scenario keys (name: ..., years: ...)"
    if data is None:
        hint = "a scenario that keeps every default says so, e.g. 'description: defaults'"
        raise ScenarioError(
            [Problem(display_path(path), None, "", "an empty file", expected, hint)]
        )
    if not isinstance(data, dict):
        raise ScenarioError([Problem(display_path(path), None, "", describe(data), expected)])
    return _extend(data, locs, path.parent, scenarios_dir, [*chain, path])


def _apply_override_sets(data: dict, folders: Sequence[Path], where: KeyOrigins) -> dict:
    """Apply the sets ``overrides:`` names, from the first ``overrides.yaml`` of ``folders``."""
    names = data.get("overrides") or []
    if not isinstance(names, list) or not names:
        return data  # a wrong type is reported by the schema
    candidates = [folder / OVERRIDES_FILE for folder in dict.fromkeys(folders)]
    path = next((p for p in candidates if p.is_file()), candidates[-1])
    if not path.is_file():
        tried = " or ".join(display_path(p) for p in candidates)
        expected = f"a set defined in {tried}, which does not exist"
        where.pending.append(where.problem(("overrides",), format_value(names), expected))
        return data
    sets, set_locs = read_yaml(path)
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
                    format_value(name),
                    f"an override set of {display_path(path)} (available: {available})",
                    did_you_mean(name, sets if isinstance(sets, dict) else []),
                    data,
                )
            )
            continue
        sub = {p[1:]: loc for p, loc in set_locs.items() if p[:1] == (name,) and len(p) > 1}
        for bad in _NOT_IN_OVERRIDE_SETS & set(body):
            problems.append(
                KeyOrigins(sub, display_path(path)).problem(
                    (bad,), f"{bad!r} in override set '{name}'", "only scenario settings"
                )
            )
        data = deep_merge(data, body, where.locs, sub)
    where.pending += problems
    return data


def _apply_code_overrides(data: dict, where: KeyOrigins, overrides: Mapping[str, Any]) -> dict:
    for key, value in overrides.items():
        try:
            path = split_key(key)
            set_at_path(data, path, value)
        except ValueError as err:
            problem = Problem(
                SET_ORIGIN, None, str(key), format_value(value), f"a settable key ({err})"
            )
            where.pending.append(problem)
            continue
        drop_locs(where.locs, path)
        where.locs[path] = (SET_ORIGIN, None)
    return data


def gather(
    source: str | Path | Mapping[str, Any],
    overrides: Mapping[str, Any] | None,
    scenarios_dir: str | Path | None,
) -> tuple[dict[str, Any], KeyOrigins]:
    """Read, extend and override ``source`` into plain data; no schema validation yet.

    The API and the command line resolve alike: names in ``extends:`` are looked up in
    the folder of the file that names them, then in ``scenarios_dir`` (default: the
    project's ``scenarios/``, :func:`default_scenarios_dir`); ``overrides.yaml`` likewise;
    ``inputs_dir`` defaults to the ``inputs/`` beside the file's folder when there is one,
    else to ``inputs/`` beside ``scenarios_dir``.
    """
    sdir = Path(scenarios_dir or default_scenarios_dir()).resolve()  # a str is a path too
    file_dir: Path | None = None
    if isinstance(source, Mapping):
        data = copy.deepcopy(dict(source))
        locs: Locs = dict.fromkeys([(), *_all_paths(data)], (DICT_ORIGIN, None))
        data, locs = _extend(data, locs, sdir, sdir, [])
    else:
        text = str(source)
        path = Path(text)
        if not path.is_file():
            if looks_like_path(text):
                raise ScenarioError(
                    [Problem(display_path(path), None, "", "no such file", "a scenario file")]
                )
            found = find_by_name(text, [sdir])
            if found is None:
                raise ScenarioError([not_found_problem(KeyOrigins({}, "<name>"), (), text, [sdir])])
            path = found
        path = path.resolve()
        file_dir = path.parent
        data, locs = _load_file(path, sdir, [])
        data.setdefault("name", path.stem)
    where = KeyOrigins(locs, locs[()][0])
    overrides = dict(overrides or {})
    if "overrides" in overrides:  # a replaced list of sets must apply before --set values
        data = _apply_code_overrides(data, where, {"overrides": overrides.pop("overrides")})
    folders = [file_dir, sdir] if file_dir is not None else [sdir]
    data = _apply_override_sets(data, folders, where)
    data = _apply_code_overrides(data, where, overrides)
    if not isinstance(source, Mapping):
        where.pending += _name_problems(data, where, path)
    roots = roots_for(file_dir, sdir)
    if data.get("inputs_dir") is None:  # the inputs/ of the file's project, else sdir's
        beside = file_dir.parent / "inputs" if file_dir is not None else None
        default = beside if beside is not None and beside.is_dir() else sdir.parent / "inputs"
        data["inputs_dir"] = str(default.resolve())
    else:
        data["inputs_dir"] = resolve_dir(data["inputs_dir"], ("inputs_dir",), where, roots)
    resolve_swept_dirs(data, where, roots)
    return data, where


def _name_problems(data: dict[str, Any], where: KeyOrigins, path: Path) -> list[Problem]:
    """A scenario file's ``name`` must be its file name: results go to ``<name>.nc``.

    So two files can never write the same results file, and the name a run is selected
    by (``run_scenarios.py baseline``) is the name its results carry.
    """
    name = data.get("name")
    if name == path.stem or not isinstance(name, str):
        return []
    by_set = where.find(("name",))[0] == SET_ORIGIN
    hint = "a file's name cannot be --set" if by_set else "leave out name: or rename the file"
    expected = f"{path.stem!r}, the file's name (results are written to <name>.nc)"
    return [where.problem(("name",), repr(name), expected, hint)]


def _all_paths(data: Any, prefix: Path_ = ()) -> list[Path_]:
    out = []
    if isinstance(data, dict):
        for k, v in data.items():
            out += [(*prefix, k), *_all_paths(v, (*prefix, k))]
    elif isinstance(data, list):
        for i, v in enumerate(data):
            out += [(*prefix, i), *_all_paths(v, (*prefix, i))]
    return out
