"""Power technologies by vintage: capacity, build limits, annualised capex and O&M.

Shared by the supply (generators) and storage families.
"""

from __future__ import annotations

import math
from typing import Any

import pyomo.environ as pyo

from energymodel.finance import capital_recovery_factor
from energymodel.model.data import ModelData
from energymodel.model.terms import ExprLike, Terms


def annualised_builds(
    m: pyo.ConcreteModel,
    var: pyo.Var,
    data: ModelData,
    y: int,
    capex: dict[int, float],
    life_yr: float,
    index: tuple[Any, ...] = (),
) -> ExprLike:
    """Capital charge in year ``y`` of every vintage of ``var`` still alive.

    Each vintage ``v`` pays ``capex[v] x CRF(wacc, life)`` in every year of its life, so
    no build is charged beyond the horizon (no end-of-horizon distortion).
    """
    crf = capital_recovery_factor(data.wacc, life_yr)
    return sum(crf * capex[v] * var[(v, *index)] for v in data.years if v <= y < v + life_yr)


def add_technology_capacity(
    m: pyo.ConcreteModel, data: ModelData, terms: Terms, techs: pyo.Set, prefix: str
) -> None:
    r"""Capacity by vintage of power technologies ``techs``, shared by supply and storage.

    .. math::
        K_{y,r,s} = \sum_{v \le y < v + L_s} B_{v,r,s} \qquad
        \sum_r B_{y,r,s} \le \bar B_{y,s} \, W_y \qquad
        B_{y,r,s} = 0 \text{ before the technology is available}

    Adds ``<prefix>_new_gw``, ``<prefix>_capacity_gw`` and ``<prefix>_build_limit``, and
    registers capex (an annuity per vintage alive), fixed O&M and firm capacity.
    """
    life = data.param("life_yr")
    capex = data.param("capex_usd_per_kw")
    fom = data.param("fom_usd_per_kw_yr")
    build_limit = data.param("max_build_gw_per_yr")
    allowed = data.param("build_allowed_frac")
    firm = data.param("firm_credit_frac")

    new = pyo.Var(m.YEAR, m.REGION, techs, within=pyo.NonNegativeReals)
    m.add_component(f"{prefix}_new_gw", new)
    for y in m.YEAR:
        for s in techs:
            if not allowed[(y, s)]:
                for r in m.REGION:
                    new[y, r, s].fix(0.0)

    def capacity_rule(m: pyo.ConcreteModel, y: int, r: str, s: str) -> ExprLike:
        return sum(new[v, r, s] for v in data.alive(life[s])[y])

    capacity = pyo.Expression(m.YEAR, m.REGION, techs, rule=capacity_rule)
    m.add_component(f"{prefix}_capacity_gw", capacity)

    def limit_rule(m: pyo.ConcreteModel, y: int, s: str) -> ExprLike:
        limit = build_limit[(y, s)]
        if math.isnan(limit):  # NaN: no limit
            return pyo.Constraint.Skip
        return sum(new[y, r, s] for r in m.REGION) <= limit * data.weight[y]

    m.add_component(f"{prefix}_build_limit", pyo.Constraint(m.YEAR, techs, rule=limit_rule))

    def power_capex(m: pyo.ConcreteModel, y: int, r: str) -> ExprLike:
        return sum(
            annualised_builds(
                m, new, data, y, {v: capex[(v, r, s)] for v in data.years}, life[s], (r, s)
            )
            for s in techs
        )

    terms.cost_musd["power_capex"].append(power_capex)
    terms.cost_musd["power_fom"].append(
        lambda m, y, r: sum(fom[(y, r, s)] * capacity[y, r, s] for s in techs)
    )
    terms.firm_gw.append(lambda m, y, r: sum(firm[s] * capacity[y, r, s] for s in techs if firm[s]))
