"""The registries of terms that constraint families share.

Families never edit each other. A family that supplies power, emits carbon or costs money
*registers* a term here (Switch's ``Cost_Components_Per_Period.append`` idea, typed);
the balance, policy and objective families sum what was registered.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from energymodel._moved import moved_attributes
from energymodel.scenario.schema import COMPONENTS

ExprLike = Any  # Pyomo ships no type hints
TermFn = Callable[..., ExprLike]


@dataclass
class Terms:
    """Contributions that families register for others to sum.

    Each term is a function of the model and its index, returning a Pyomo expression:
    ``supply_gw(m, y, r, t)`` power into the facility bus, ``cost_musd[c](m, y, r)`` the
    yearly (undiscounted) cost of component ``c``, ``emissions_mtco2(m, y, r)``,
    ``firm_gw(m, y, r)`` firm capacity, ``fossil_gwh(m, y, r, t)`` energy that is not
    carbon-free, ``clean_potential_twh(m, y, r)`` yearly clean energy available to buy.
    """

    supply_gw: list[TermFn] = field(default_factory=list)
    cost_musd: dict[str, list[TermFn]] = field(default_factory=lambda: {c: [] for c in COMPONENTS})
    global_cost_musd: list[TermFn] = field(default_factory=list)
    emissions_mtco2: list[TermFn] = field(default_factory=list)
    firm_gw: list[TermFn] = field(default_factory=list)
    not_clean_gw: list[TermFn] = field(default_factory=list)
    clean_potential_twh: list[TermFn] = field(default_factory=list)


__getattr__ = moved_attributes(
    __name__,
    {
        "ModelData": "energymodel.model.data",
        "annualised_builds": "energymodel.model.technology",
        "add_technology_capacity": "energymodel.model.technology",
        "capital_recovery_factor": "energymodel.finance",
        "CONNECTION_LIFE_YR": "energymodel.model.grid",
        "GWH_PER_TWH": "energymodel.units",
        "HOURS_PER_YEAR": "energymodel.units",
    },
)
