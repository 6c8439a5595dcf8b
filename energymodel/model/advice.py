"""What to change when a scenario is infeasible, in the words of its settings.

The solver names the rows of scenario limits that have to give (see
:func:`energymodel.solve.find_violations`: constraint, index, amount). :data:`ADVICE`
turns each constraint into a sentence and the scenario keys that feed it, so
"infeasible; firm_capacity" becomes "firm supply in us_texas 2025-2026 falls up to 120 GW
short ...: raise grid.max_new_connection_gw_per_yr.us_texas or ...".
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Advice:
    """One constraint explained: its index dimensions, what went wrong, what to change.

    ``what`` and ``change`` may use ``{where}`` (region or technology and years),
    ``{amount}``, and the index values by dimension name (``{region}``, ``{tech}``).
    """

    dims: tuple[str, ...]
    what: str
    change: str
    unit: str = "GW"


_FIRM_SUPPLY = "supply.max_build_gw_per_yr, supply.techs"
_CLEAN_SUPPLY = "supply.techs, supply.max_build_gw_per_yr, supply.available_from_year"

ADVICE: dict[str, Advice] = {
    "it_build_limit": Advice(
        ("year",),
        "IT builds in {where} need up to {amount} more than the accelerator supply chain delivers",
        "raise hardware.max_build_gw_per_yr or lower policy.committed_it_capacity_gw",
    ),
    "firm_capacity": Advice(
        ("year", "region"),
        "firm supply in {where} falls up to {amount} short of the peak facility load "
        "plus the reserve margin",
        "raise grid.max_new_connection_gw_per_yr.{region} or grid.connection_ceiling_gw."
        f"{{region}}, allow more firm on-site plants ({_FIRM_SUPPLY}), or lower "
        "supply.reserve_margin_frac or the IT capacity there "
        "(hardware.existing_it_capacity_gw.{region}, policy.committed_it_capacity_gw.{region})",
    ),
    "grid_connection_limit": Advice(
        ("year", "region"),
        "new grid connection in {where} needs up to {amount} more than the queue allows",
        "raise grid.max_new_connection_gw_per_yr.{region} or grid.connection_limit_multiplier",
    ),
    "grid_connection_ceiling": Advice(
        ("year", "region"),
        "grid connection in {where} needs up to {amount} above its ceiling",
        "raise grid.connection_ceiling_gw.{region}",
    ),
    "supply_build_limit": Advice(
        ("year", "tech"),
        "on-site {tech} builds in {where} need up to {amount} more than allowed",
        "raise supply.max_build_gw_per_yr.{tech} or allow other technologies "
        "(supply.techs, supply.available_from_year)",
    ),
    "storage_build_limit": Advice(
        ("year", "tech"),
        "{tech} storage builds in {where} need up to {amount} more than allowed",
        "raise supply.max_build_gw_per_yr.{tech} or allow other technologies (supply.techs)",
    ),
    "emissions_cap": Advice(
        ("year",),
        "emissions in {where} exceed the cap by up to {amount}",
        f"raise policy.emissions_cap_mtco2 or allow more clean supply ({_CLEAN_SUPPLY})",
        "Mt CO2",
    ),
    "annual_clean_share": Advice(
        ("year", "region"),
        "clean energy in {where} falls up to {amount} short of the annual clean share",
        f"lower policy.annual_clean_share_frac or allow more clean supply ({_CLEAN_SUPPLY})",
        "TWh",
    ),
    "hourly_clean_share": Advice(
        ("year", "region"),
        "hour-by-hour clean energy in {where} falls up to {amount} short of the 24/7 share",
        "lower policy.hourly_clean_share_frac or allow more clean supply and storage "
        f"({_CLEAN_SUPPLY})",
        "TWh",
    ),
}
"""Constraint -> advice, for every constraint the solver may relax (``solve.RELAXABLE``)."""

FAMILY_ADVICE: dict[str, str] = {
    "compute_demand": "check demand.* and hardware.existing_it_capacity_gw",
    "it_capacity": "raise hardware.max_build_gw_per_yr or lower policy.committed_it_capacity_gw",
    "supply": f"allow more on-site supply ({_CLEAN_SUPPLY})",
    "storage": "allow more storage (supply.techs, supply.max_build_gw_per_yr)",
    "firm_fuel": "set supply.firm_fuel: choice, or allow more on-site gas (supply.*)",
    "grid": "raise grid.max_new_connection_gw_per_yr or grid.connection_ceiling_gw",
    "connection": (
        "raise grid.max_new_connection_gw_per_yr or grid.connection_ceiling_gw, allow "
        "grid.islanding with on-site firm supply, or set grid.connection_basis: peak"
    ),
    "flexible_connection": "raise grid.curtailment_budget_frac or grid.flexible_connection_frac",
    "grid_system": (
        "check grid.* of the system regions (clean_standard_frac, coal_retirement_year, "
        "other_load_multiplier) or run the region as grid.mode: tariff"
    ),
    "power_balance": "allow more supply (grid.*, supply.*) or lower demand.*",
    "firm_capacity": ADVICE["firm_capacity"].change.replace(".{region}", ""),
    "policy": "relax policy.emissions_cap_mtco2 or the clean shares (policy.*_clean_share_frac)",
    "objective": "check prices.* and finance.* for extreme values",
}
"""Family -> what to change, when only the family is known (``diagnosis``)."""

MAX_SENTENCES = 3


def _years(years: Iterable[int]) -> str:
    """``2025-2027, 2030`` for consecutive runs of years."""
    ys = sorted(set(years))
    runs: list[list[int]] = []
    for y in ys:
        if runs and y == runs[-1][-1] + 1:
            runs[-1].append(y)
        else:
            runs.append([y])
    return ", ".join(f"{r[0]}-{r[-1]}" if len(r) > 1 else str(r[0]) for r in runs)


def _amount(value: float, unit: str) -> str:
    return f"{value:,.3g} {unit}"


def explain(violations: Iterable[Any], families: Iterable[str] = ()) -> str:
    """Advice for an infeasible scenario, one sentence per limit and place (largest first).

    Parameters
    ----------
    violations
        Objects with ``constraint``, ``index`` and ``amount`` (``solve.Violation``).
    families
        Constraint families named by the diagnosis; used when no violation is known.

    Returns
    -------
    str
        Sentences joined by ``"; "`` (at most :data:`MAX_SENTENCES`, then how many more);
        ``""`` when nothing is known.
    """
    groups: dict[tuple[str, tuple[Any, ...]], list[tuple[int | None, float]]] = {}
    for v in violations:
        advice = ADVICE.get(v.constraint)
        if advice is None:
            continue
        named = dict(zip(advice.dims, v.index, strict=False))
        rest = tuple((d, named[d]) for d in advice.dims if d != "year" and d in named)
        groups.setdefault((v.constraint, rest), []).append((named.get("year"), v.amount))
    sentences = []
    for (constraint, rest), items in sorted(groups.items(), key=lambda g: -max(a for _, a in g[1])):
        advice = ADVICE[constraint]
        fields = {d: str(value) for d, value in rest}
        years = [y for y, _ in items if y is not None]
        place = [fields[d] for d in ("region",) if d in fields]
        where = " ".join([*place, _years(years)]) if years else " ".join(place) or "every year"
        fields |= {"where": where, "amount": _amount(max(a for _, a in items), advice.unit)}
        sentences.append(f"{advice.what.format(**fields)}: {advice.change.format(**fields)}")
    if not sentences:
        sentences = [
            f"{family.replace('_', ' ')}: {FAMILY_ADVICE[family]}"
            for family in families
            if family in FAMILY_ADVICE
        ]
    more = len(sentences) - MAX_SENTENCES
    text = "; ".join(sentences[:MAX_SENTENCES])
    return text + (f"; and {more} more" if more > 0 else "")
