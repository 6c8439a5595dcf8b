"""How a row of ``technologies.csv`` is written: the ``add`` callback, rounding, and fixed
O&M from a raw file's %/yr share of capex (shared by :mod:`.costs` and :mod:`.costs_gas`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

Add = Callable[[str, str, "int | str", str, float, str], None]


class Cited(Protocol):
    value: float

    def cite(self) -> str: ...


def rounded(x: float, nd: int = 1) -> float:
    return round(x, nd)


def add_fom(
    add: Add, tech: str, region: str, year: int, fom: Cited, capex: float, basis: str = ""
) -> None:
    """Fixed O&M = the raw %/yr share x ``capex`` (USD 2024/kW; ``basis`` names its source)."""
    add(
        tech,
        region,
        year,
        "fom_usd_per_kw_yr",
        rounded(fom.value / 100 * capex),
        f"derived: {fom.cite()} x {basis + ' ' if basis else ''}capex {capex:.0f} USD2024",
    )
