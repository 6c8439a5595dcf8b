"""Read one YAML file of a scenario, within the limits of :mod:`energymodel.limits`.

Before anything is built from the text, its size is checked and its YAML events are
scanned (the event parser keeps its own stack, so it does not recurse): the nesting
depth, the number of aliases and the number of values once every alias is expanded are
counted and refused past their limits. So a "billion laughs" file (aliases of aliases) is
refused after reading a few hundred bytes of events, and a list nested 100,000 deep gives
a message at its line, not a ``RecursionError``.

Messages about a file never quote what it holds beyond a key name: a file reached by
``extends:`` may be anything the user can read.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError
from ruamel.yaml.events import (
    AliasEvent,
    CollectionEndEvent,
    CollectionStartEvent,
    ScalarEvent,
)

from energymodel.fileio import TextDecodeError, os_error_cause, read_text
from energymodel.limits import SCENARIO_BYTES, YAML_ALIASES, YAML_DEPTH, YAML_NODES, Limit
from energymodel.scenario.problems import Problem, ScenarioError


def _too_costly(file: str, line: int | None, found: str, limit: Limit) -> ScenarioError:
    return ScenarioError([Problem(file, line, "", found, limit.expected())])


def check_yaml_cost(text: str, file: str) -> None:
    """Refuse YAML text nested too deep or holding too many (expanded) values.

    Parameters
    ----------
    text
        The YAML text.
    file
        The file it came from, for messages.

    Raises
    ------
    ScenarioError
        Naming the limit passed, the line where it was passed and how to raise it; or
        the YAML syntax error met while scanning.
    """
    max_depth, max_aliases, max_nodes = YAML_DEPTH.value(), YAML_ALIASES.value(), YAML_NODES.value()
    sizes: dict[str, int] = {}  # anchor -> values under it, expanded
    starts: list[tuple[int, str | None]] = []  # open collections: (count at start, anchor)
    count = aliases = 0
    try:
        for event in YAML(typ="rt").parse(text):
            line = event.start_mark.line + 1 if event.start_mark else None
            if isinstance(event, CollectionStartEvent):
                if len(starts) >= max_depth:
                    raise _too_costly(
                        file, line, f"mappings or lists nested {len(starts) + 1} deep", YAML_DEPTH
                    )
                starts.append((count, event.anchor))
                count += 1
            elif isinstance(event, CollectionEndEvent):
                start, anchor = starts.pop()
                if anchor is not None:
                    sizes[anchor] = count - start
            elif isinstance(event, ScalarEvent):
                count += 1
                if event.anchor is not None:
                    sizes[event.anchor] = 1
            elif isinstance(event, AliasEvent):
                aliases += 1
                if aliases > max_aliases:
                    raise _too_costly(file, line, f"{aliases:,} aliases", YAML_ALIASES)
                count += sizes.get(event.anchor, 1)
            if count > max_nodes:
                raise _too_costly(
                    file,
                    line,
                    f"more than {max_nodes:,} values once its aliases are expanded",
                    YAML_NODES,
                )
    except YAMLError as err:
        raise syntax_error(err, file) from None


def syntax_error(err: YAMLError, file: str) -> ScenarioError:
    """A YAML syntax error as a located problem (the reason and column, not the text)."""
    mark = getattr(err, "problem_mark", None) or getattr(err, "context_mark", None)
    reason = getattr(err, "problem", None) or str(err).splitlines()[0]
    reason = str(reason).removeprefix("found ")  # "found ...; expected ..." reads once
    found = f"{reason} at column {mark.column + 1}" if mark else reason
    line = mark.line + 1 if mark else None
    context = getattr(err, "context", None) or ""
    return ScenarioError([Problem(file, line, "", found, "valid YAML", context)])


def read_yaml_node(path: Path, file: str) -> Any:
    """The YAML of ``path`` as ruamel round-trip nodes (lines kept), within the limits.

    Raises
    ------
    ScenarioError
        For a file that cannot be read, is too large, is not UTF-8, is not YAML or
        passes a limit of :func:`check_yaml_cost`.
    """
    max_bytes = SCENARIO_BYTES.value()
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise _too_costly(file, None, f"a file of {size:,} bytes", SCENARIO_BYTES)
        text = read_text(path)  # UTF-8, with or without a byte-order mark
    except TextDecodeError as err:
        raise ScenarioError([Problem(file, err.line, "", err.found, err.expected)]) from None
    except OSError as err:
        raise ScenarioError(
            [Problem(file, None, "", f"an unreadable file ({os_error_cause(err)})", "a YAML file")]
        ) from None
    return load_text(text, file)


def load_text(text: str, file: str, *, typ: str = "rt") -> Any:
    """Load YAML ``text`` after :func:`check_yaml_cost` (``typ="safe"``: plain Python)."""
    if len(text.encode("utf-8", "surrogatepass")) > SCENARIO_BYTES.value():
        raise _too_costly(file, None, f"a text of {len(text):,} characters", SCENARIO_BYTES)
    check_yaml_cost(text, file)
    try:
        return YAML(typ=typ, pure=True).load(text)
    except YAMLError as err:
        raise syntax_error(err, file) from None


def describe(value: Any) -> str:
    """What a YAML document holds, without quoting it (``text of 1,204 characters``)."""
    if isinstance(value, str):
        return f"text ({len(value):,} characters), not a mapping"
    if isinstance(value, list):
        return f"a list of {len(value):,} items, not a mapping"
    return f"a single {type(value).__name__} value, not a mapping"
