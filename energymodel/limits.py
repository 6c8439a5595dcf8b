"""Limits on what one file may cost: size, YAML aliases and depth, sweeps, problem lists.

Foundation stage: the scenario reader, the input checks and the command line read the
same limits, so a hostile or mistaken file is refused early, with a message that names
the limit and how to raise it, instead of using all the memory of the machine.

Each limit has a default that is far above what a real scenario or input table needs,
and an environment variable that raises (or lowers) it:

=================================  ==================================  ===========
environment variable               what it bounds                      default
=================================  ==================================  ===========
``ENERGYMODEL_MAX_SCENARIO_BYTES``  size of one scenario YAML file      1,000,000
``ENERGYMODEL_MAX_YAML_ALIASES``    aliases (``*name``) in one file     1,000
``ENERGYMODEL_MAX_YAML_NODES``      values once aliases are expanded    200,000
``ENERGYMODEL_MAX_YAML_DEPTH``      nesting of mappings and lists       50
``ENERGYMODEL_MAX_SWEEP_RUNS``      runs one ``sweep:`` expands to      10,000
``ENERGYMODEL_MAX_PROBLEMS``        problems printed in one message     50
=================================  ==================================  ===========

``ENERGYMODEL_ALLOWED_PATHS`` (folders separated by ``os.pathsep``) is the allow-list of
folders beyond the scenario folders and the project from which ``extends:`` and
``inputs_dir`` may read (:func:`allowed_paths`).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Limit:
    """One limit: its environment variable, default and what it bounds."""

    env: str
    default: int
    what: str

    def value(self) -> int:
        """The limit in force: the environment variable if set, else the default.

        Raises
        ------
        LimitSettingError
            If the variable is set to something that is not a whole number >= 1.
        """
        raw = os.environ.get(self.env)
        if raw is None or not raw.strip():
            return self.default
        text = raw.strip().replace("_", "").replace(",", "")
        if not text.isdigit() or int(text) < 1:
            raise LimitSettingError(
                f"environment variable {self.env}={raw!r}: expected a whole number >= 1 "
                f"({self.what}; default {self.default:,})"
            )
        return int(text)

    def expected(self) -> str:
        """What a message expects: the limit, its name and how to raise it."""
        return f"at most {self.value():,} {self.what} (limit {self.env}; set it to raise the limit)"


class LimitSettingError(ValueError):
    """An environment variable of a limit that is not a whole number >= 1."""


SCENARIO_BYTES = Limit("ENERGYMODEL_MAX_SCENARIO_BYTES", 1_000_000, "bytes per scenario file")
YAML_ALIASES = Limit("ENERGYMODEL_MAX_YAML_ALIASES", 1_000, "YAML aliases per file")
YAML_NODES = Limit("ENERGYMODEL_MAX_YAML_NODES", 200_000, "YAML values per file, aliases expanded")
YAML_DEPTH = Limit("ENERGYMODEL_MAX_YAML_DEPTH", 50, "levels of nested mappings and lists")
SWEEP_RUNS = Limit("ENERGYMODEL_MAX_SWEEP_RUNS", 10_000, "runs per sweep")
PROBLEMS = Limit("ENERGYMODEL_MAX_PROBLEMS", 50, "problems shown per message")

ALL: tuple[Limit, ...] = (
    SCENARIO_BYTES,
    YAML_ALIASES,
    YAML_NODES,
    YAML_DEPTH,
    SWEEP_RUNS,
    PROBLEMS,
)
ALLOWED_PATHS_ENV = "ENERGYMODEL_ALLOWED_PATHS"


def problems_cap() -> int:
    """:data:`PROBLEMS` in force (its default when the variable is malformed)."""
    try:
        return PROBLEMS.value()
    except LimitSettingError:
        return PROBLEMS.default


def shown(items: Sequence[T]) -> tuple[list[T], int]:
    """The items a message shows (at most :data:`PROBLEMS`) and how many are left out."""
    cap = problems_cap()
    return list(items[:cap]), max(0, len(items) - cap)


def more_line(left_out: int) -> str:
    """``and 199,950 more problems (...)``: the line that ends a capped list."""
    noun = "problem" if left_out == 1 else "problems"
    return (
        f"and {left_out:,} more {noun} (the first {problems_cap():,} are shown; "
        f"set {PROBLEMS.env} to see more)"
    )


def capped_lines(items: Sequence[object], prefix: str = "") -> list[str]:
    """Each shown item as ``prefix + str(item)``, then the ``and N more`` line if any."""
    head, left_out = shown(items)
    lines = [f"{prefix}{item}" for item in head]
    if left_out:
        lines.append(f"{prefix}{more_line(left_out)}")
    return lines


def allowed_paths() -> list[Path]:
    """Folders of :data:`ALLOWED_PATHS_ENV` (absolute, resolved); empty when unset."""
    raw = os.environ.get(ALLOWED_PATHS_ENV, "")
    return [Path(p).expanduser().resolve() for p in raw.split(os.pathsep) if p.strip()]


def is_within(path: Path, folders: Sequence[Path]) -> bool:
    """True if ``path`` (resolved, symlinks followed) is inside one of ``folders``."""
    real = path.resolve()
    return any(real == f or real.is_relative_to(f) for f in (x.resolve() for x in folders))
