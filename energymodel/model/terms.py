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
from energymodel.model.expr import Expr

ExprLike = Any  # Pyomo ships no type hints
TermFn = Callable[..., ExprLike]


@dataclass
class Terms:
    """Contributions that families register for others to sum.

    Array expressions (:class:`~energymodel.model.arrays.Expr`, on the dims named):

    - ``it_load_gw``: IT load (year, region, timeslice); the flexible-connection family
      adds the curtailed compute it loses as a negative term, after the IT capacity
      family has sized on the load served;
    - ``supply_gw``: power into the facility bus (year, region, timeslice);
    - ``emissions_mtco2``: yearly emissions (year, region);
    - ``not_clean_gw``: power that is not carbon-free (year, region, timeslice);
    - ``export_gw``: power sent from the facility bus to the grid (year, region,
      timeslice), which the annual clean share counts;
    - ``grid_draw_gw``: the data centres' net draw from the regional grid (import less
      export; year, region, timeslice), which the regional system balance serves.

    Pyomo terms, functions of the model and its index: ``firm_gw(m, y, r)`` firm capacity
    (the on-site terms below and the grid connection), ``onsite_firm_gw(m, y, r)`` the
    firm capacity of on-site plant alone (what an islanded campus may count).
    Costs are registered on the model's :class:`~energymodel.model.arrays.ArrayModel`
    (``m.arrays.add_cost``). Shared results of one family for later ones:
    ``facility_load_gw`` (set by the power balance).
    """

    it_load_gw: list[Expr] = field(default_factory=list)
    supply_gw: list[Expr] = field(default_factory=list)
    emissions_mtco2: list[Expr] = field(default_factory=list)
    not_clean_gw: list[Expr] = field(default_factory=list)
    export_gw: list[Expr] = field(default_factory=list)
    grid_draw_gw: list[Expr] = field(default_factory=list)
    firm_gw: list[TermFn] = field(default_factory=list)
    onsite_firm_gw: list[TermFn] = field(default_factory=list)
    facility_load_gw: Expr | None = None


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
