"""Sweeps: one scenario with ``sweep:`` fans out into one named run per combination."""

from __future__ import annotations

import copy
import itertools
import math
import re
from collections.abc import Sequence
from typing import Any

from pydantic import ValidationError

from energymodel.limits import SWEEP_RUNS
from energymodel.scenario.problems import KeyOrigins, ScenarioError, format_value
from energymodel.scenario.resolve import set_at_path, split_key
from energymodel.scenario.schema import NAME_MAX_CHARS, Scenario
from energymodel.scenario.validate import problems_from_validation


def _labels(keys: Sequence[str]) -> dict[str, str]:
    """Short, unique label per sweep key: its last component, longer if ambiguous."""
    parts = {k: split_key(k) for k in keys}
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
        return format_value(value)
    if isinstance(value, int | float):
        return repr(value).replace("+", "")
    text = re.sub(r"[^a-z0-9_.\-]+", "-", format_value(value, limit=40).lower()).strip("-")
    return text or "x"


def expand_sweeps(sc: Scenario, where: KeyOrigins | None = None) -> list[Scenario]:
    """Fan a scenario with ``sweep:`` out into one scenario per combination of values.

    Parameters
    ----------
    sc
        A resolved scenario.
    where
        Where its keys came from (as validation has it), to locate problems at the
        file and line of ``sweep:``; without it they name the sweep only.

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
    where = where or KeyOrigins({}, f"<sweep of {sc.name}>")
    runs_wanted = math.prod(len(v) for v in sc.sweep.values())
    if runs_wanted > SWEEP_RUNS.value():  # refused before a single run is built
        sizes = " x ".join(str(len(v)) for v in sc.sweep.values())
        found = f"a sweep of {sizes} = {runs_wanted:,} runs"
        raise ScenarioError([where.problem(("sweep",), found, SWEEP_RUNS.expected())])
    labels = _labels(keys)
    slugs: dict[str, list[str]] = {}
    for key in keys:
        seen: list[str] = []
        for value in sc.sweep[key]:
            slug = _slug(value)
            seen.append(slug if slug not in seen else f"{slug}-{len(seen) + 1}")
        slugs[key] = seen
    base = sc.model_dump()
    runs = []
    for combo in itertools.product(*(range(len(sc.sweep[k])) for k in keys)):
        data = copy.deepcopy(base)
        data["sweep"] = {}
        values = {k: sc.sweep[k][i] for k, i in zip(keys, combo, strict=True)}
        data["sweep_values"] = {**sc.sweep_values, **values}
        data["name"] = sc.name + "".join(
            f"__{labels[k]}={slugs[k][i]}" for k, i in zip(keys, combo, strict=True)
        )
        if len(data["name"]) > NAME_MAX_CHARS:
            raise ScenarioError(
                [
                    where.problem(
                        ("sweep",),
                        f"a run name of {len(data['name'])} characters ({data['name'][:40]}...)",
                        f"run names (<name>__<key>=<value>...) of at most {NAME_MAX_CHARS}",
                        "shorten the scenario's name or sweep fewer keys",
                    )
                ]
            )
        problems = []
        for key, value in values.items():
            try:
                set_at_path(data, split_key(key), value)
            except ValueError as err:
                problems.append(where.problem(("sweep", key), format_value(value), str(err)))
        if not problems:
            try:
                runs.append(Scenario.model_validate(data))
            except ValidationError as err:
                problems = [
                    where.problem(
                        ("sweep",), p.found, f"{p.key}: {p.expected}", f"in run {data['name']}"
                    )
                    for p in problems_from_validation(err, data, KeyOrigins({}, ""))
                ]
        if problems:
            raise ScenarioError(problems)
    return runs
