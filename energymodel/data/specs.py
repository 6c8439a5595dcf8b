"""The building blocks of the input manifests: a table and the parameters it may hold."""

from __future__ import annotations

from dataclasses import dataclass, field

ANY_YEAR = "blank = every year"


@dataclass(frozen=True)
class ParameterSpec:
    """One parameter a long table may hold.

    ``lo``/``hi`` bound the value (``None`` = unbounded); names containing ``_frac`` are
    checked against 0..1.
    """

    unit: str
    meaning: str
    lo: float | None = 0.0
    hi: float | None = None

    def bounds(self, name: str) -> tuple[float | None, float | None]:
        """The allowed range of parameter ``name``: ``lo``..``hi``, a ``_frac`` at most 1.

        The scenario schema takes its ranges from here for the knobs that override a
        table value (``energymodel.scenario.schema``), so each bound is set once.
        """
        if "_frac" in name:
            return (0.0 if self.lo is None else self.lo), (1.0 if self.hi is None else self.hi)
        return self.lo, self.hi


@dataclass(frozen=True)
class TableSpec:
    """One CSV table: file, columns, keys and allowed parameters."""

    file: str
    description: str
    columns: dict[str, str]
    """Column name -> meaning, in file order."""
    keys: tuple[str, ...]
    """Columns that, with ``year`` (if any), identify a value (besides ``parameter``)."""
    parameters: dict[str, ParameterSpec] = field(default_factory=dict)
    required: tuple[str, ...] = ()
    """Parameters every key value (region, tech) must give."""
    required_for: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Extra parameters required for one key value, e.g. battery duration."""
    blank_year: bool = False
    """Whether ``year`` may be blank (the row then applies to every year)."""
    blank_keys: tuple[str, ...] = ()
    """Keys that may be blank: a blank ``region`` applies to every region."""
    regional: tuple[str, ...] = ()
    """Parameters that may take a named ``region`` (the others must leave it blank)."""


def parameter(
    unit: str, meaning: str, lo: float | None = 0.0, hi: float | None = None
) -> ParameterSpec:
    """A :class:`ParameterSpec` (shorthand of the manifests)."""
    return ParameterSpec(unit, meaning, lo, hi)
