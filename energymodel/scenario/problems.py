"""Scenario problems: what is wrong, at which file and line, and how values are shown.

Every problem of a scenario becomes a :class:`Problem` located at the file and line that
set the offending value; a :class:`KeyOrigins` maps key paths to their origin while scenarios
are merged. All problems of a scenario are raised together as one :class:`ScenarioError`.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from energymodel.limits import capped_lines

SET_ORIGIN = "--set"
DICT_ORIGIN = "<dict>"

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
    """A scenario that cannot be used; ``problems`` lists every reason found.

    Its text shows the first :data:`energymodel.limits.PROBLEMS` of them and a count of
    the rest.
    """

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems: list[Problem] = list(problems)
        super().__init__("\n".join(capped_lines(self.problems)))


@dataclass
class KeyOrigins:
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
        return Problem(file, line, dotted_key(path, data), found, expected, hint)


def display_path(path: Path) -> str:
    """``path`` as messages show it: absolute, so it reads the same from any folder."""
    return str(Path(path).resolve())


def format_value(value: Any, limit: int = 60) -> str:
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


def did_you_mean(word: Any, choices: Iterable[Any]) -> str:
    names = {str(c).lower(): str(c) for c in choices}
    match = difflib.get_close_matches(str(word).lower(), list(names), n=1, cutoff=0.6)
    return f"did you mean '{names[match[0]]}'?" if match else ""


def dotted_key(path: Path_, data: Any = None) -> str:
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
