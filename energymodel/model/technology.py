"""Power technologies by vintage: capacity, build limits, annualised capex and O&M.

Shared by the supply (generators) and storage families, and by the IT, facility and grid
capacity of other families (:func:`annuity_cost`).
"""

from __future__ import annotations

import math

import pyomo.environ as pyo
import xarray as xr

from energymodel.finance import capital_recovery_factor
from energymodel.model.data import ModelData
from energymodel.model.expr import Expr
from energymodel.model.terms import ExprLike, Terms


def annuity_cost(
    data: ModelData, new: Expr, capex: xr.DataArray, life_yr: float | xr.DataArray
) -> Expr:
    r"""Capital charge in each year of every vintage still alive (M$ a year).

    .. math:: C_y = \sum_{v \le y < v + L} \mathrm{CRF}(r, L)\, k_v\, B_v

    ``new`` holds the builds by build year (dim ``year``), ``capex`` the overnight cost
    by build year. Each vintage pays its annuity in every year of its life and no build
    is charged beyond it (no end-of-horizon distortion).
    """
    crf = capital_recovery_factor(data.wacc, life_yr)
    charge = data.alive_matrix(life_yr) * crf * capex.rename({"year": "vintage"})
    return (new.rename({"year": "vintage"}) * charge).sum("vintage")


def effective_firm_credit(data: ModelData) -> dict[str, float]:
    r"""Firm credit of each technology, storage limited by its energy.

    .. math:: c^{eff}_s = c_s \, \min(1, H_s / H^{firm}) \quad (H_s > 0)

    :math:`H_s` is the storage duration (h) and :math:`H^{firm}` the hours a storage
    plant must sustain its output to count in full (``storage_firm_hours``): a 4-hour
    battery cannot firm a flat load round the clock. Generators keep their credit.
    """
    firm = data.param("firm_credit_frac")
    duration = data.param("duration_h")
    hours = float(data.ds["storage_firm_hours"])
    return {
        s: c * (min(1.0, duration[s] / hours) if duration[s] > 0 else 1.0) for s, c in firm.items()
    }


def add_technology_capacity(
    m: pyo.ConcreteModel, data: ModelData, terms: Terms, index: pyo.Set, prefix: str
) -> Expr:
    r"""Capacity by vintage of power technologies ``techs``, shared by supply and storage.

    .. math::
        K_{y,r,s} = \sum_{v \le y < v + L_s} B_{v,r,s} \qquad
        \sum_r B_{y,r,s} \le \bar B_{y,s} \, W_y \qquad
        B_{y,r,s} = 0 \text{ before the technology is available}

    Capacity ordered in year :math:`y` is available from :math:`y + \lambda_s`
    (``lead_time_yr``, e.g. the turbine backlog): orders are placed from the first model
    year on, so no build comes online before the first year + its lead time, nor before
    the technology is available. Adds the Pyomo variables ``<prefix>_new_gw`` and ``<prefix>_capacity_gw`` (one per
    year: hourly rows then use one column, not a sum of vintages), the rows
    ``<prefix>_capacity_def`` and ``<prefix>_build_limit``; registers capex (an annuity per
    vintage alive), fixed O&M and firm capacity (:func:`effective_firm_credit`). Returns the capacity as an array
    expression (year, region, tech) for the hourly rows.
    """
    life = data.param("life_yr")
    build_limit = data.param("max_build_gw_per_yr")
    allowed = data.param("build_allowed_frac")
    firm = effective_firm_credit(data)
    techs = list(index)

    lead = data.param("lead_time_yr") if data.has("lead_time_yr") else {}
    ordered_from = data.years[0]  # orders are placed from the first model year on

    new = pyo.Var(m.YEAR, m.REGION, index, within=pyo.NonNegativeReals)
    m.add_component(f"{prefix}_new_gw", new)
    for y in m.YEAR:
        for s in techs:
            if not allowed[(y, s)] or y < ordered_from + lead.get(s, 0.0):
                for r in m.REGION:
                    new[y, r, s].fix(0.0)
    capacity = pyo.Var(m.YEAR, m.REGION, index, within=pyo.NonNegativeReals)
    m.add_component(f"{prefix}_capacity_gw", capacity)

    def definition(m: pyo.ConcreteModel, y: int, r: str, s: str) -> ExprLike:
        return capacity[y, r, s] == sum(new[v, r, s] for v in data.alive(life[s])[y])

    m.add_component(
        f"{prefix}_capacity_def", pyo.Constraint(m.YEAR, m.REGION, index, rule=definition)
    )

    def limit_rule(m: pyo.ConcreteModel, y: int, s: str) -> ExprLike:
        limit = build_limit[(y, s)]
        if math.isnan(limit):  # NaN: no limit
            return pyo.Constraint.Skip
        return sum(new[y, r, s] for r in m.REGION) <= limit * data.weight[y]

    m.add_component(f"{prefix}_build_limit", pyo.Constraint(m.YEAR, index, rule=limit_rule))

    am = m.arrays
    coords = data.coords_of("year", "region", "tech", tech=techs)
    dims = ("year", "region", "tech")
    built = am.pyomo(new, dims, coords)
    alive = am.pyomo(capacity, dims, coords)
    capex = data.array("capex_usd_per_kw", tech=techs)
    am.add_cost(
        "power_capex",
        annuity_cost(data, built, capex, data.array("life_yr", tech=techs)).sum("tech"),
    )
    am.add_cost("power_fom", (alive * data.array("fom_usd_per_kw_yr", tech=techs)).sum("tech"))
    terms.onsite_firm_gw.append(
        lambda m, y, r: sum(firm[s] * capacity[y, r, s] for s in techs if firm[s])
    )
    return alive
