"""IT and facility capacity: vintages, lifetimes, committed builds, supply-chain limits."""

from __future__ import annotations

import math

import pyomo.environ as pyo

from energymodel.finance import capital_recovery_factor
from energymodel.model.data import ModelData
from energymodel.model.technology import annualised_builds
from energymodel.model.terms import ExprLike, Terms


def add_it_capacity(m: pyo.ConcreteModel, data: ModelData, terms: Terms) -> None:
    r"""Build IT capacity by vintage; house it in facilities with their own, longer life.

    .. math::
        K^{IT}_{y,r} = E^{IT}_{y,r} + \sum_{v \le y < v + L^{IT}} B^{IT}_{v,r}

        \sum_w \ell_{y,r,w,t} \le \delta \, K^{IT}_{y,r} \quad \forall t
        \qquad K^{IT}_{y,r} \le K^{F}_{y,r}
        \qquad K^{F}_{y,r} = E^{F}_{r} + \sum_{v \le y < v + L^{F}} B^{F}_{v,r}

        B^{IT}_{y,r} \ge C_{y,r} \ (\text{committed}) \qquad
        \sum_r B^{IT}_{y,r} \le \bar B^{IT}_y \, W_y

    :math:`\delta` is the highest share of nameplate power drawn in any hour
    (``max_draw_frac``). Existing capacity retires linearly over the IT life; its
    capital charge is a constant in the cost so that cost per token stays all-in.
    Accelerators cost ``it_capex x CRF(wacc, it_life)`` per year alive plus a yearly
    maintenance share; facilities ``facility_capex x CRF(wacc, facility_life)`` plus FOM.
    """
    it_life = float(data.ds["it_life_yr"])
    fac_life = float(data.ds["facility_life_yr"])
    existing = data.param("existing_it_capacity_gw")
    committed = data.param("committed_it_new_gw")
    it_capex = data.param("it_capex_usd_per_kw")
    fac_capex = data.param("facility_capex_usd_per_kw")
    it_fom = data.param("it_fom_frac_per_yr")
    fac_fom = data.param("facility_fom_usd_per_kw_yr")
    build_limit = data.param("it_max_build_gw_per_yr")
    y0 = data.years[0]
    existing_facility = {r: existing[(y0, r)] for r in m.REGION}

    m.it_new_gw = pyo.Var(m.YEAR, m.REGION, within=pyo.NonNegativeReals)
    m.facility_new_gw = pyo.Var(m.YEAR, m.REGION, within=pyo.NonNegativeReals)
    for (y, r), gw in committed.items():
        m.it_new_gw[y, r].setlb(gw)

    @m.Expression(m.YEAR, m.REGION)
    def it_capacity_gw(m: pyo.ConcreteModel, y: int, r: str) -> ExprLike:
        alive = data.alive(it_life)[y]
        return existing[(y, r)] + sum(m.it_new_gw[v, r] for v in alive)

    @m.Expression(m.YEAR, m.REGION)
    def facility_capacity_gw(m: pyo.ConcreteModel, y: int, r: str) -> ExprLike:
        alive = data.alive(fac_life)[y]
        return existing_facility[r] + sum(m.facility_new_gw[v, r] for v in alive)

    @m.Constraint(m.YEAR, m.REGION, m.TIMESLICE)
    def it_load_limit(m: pyo.ConcreteModel, y: int, r: str, t: int) -> ExprLike:
        return (
            m.it_load_gw_total[y, r, t] <= float(data.ds["max_draw_frac"]) * m.it_capacity_gw[y, r]
        )

    @m.Constraint(m.YEAR, m.REGION)
    def it_housed(m: pyo.ConcreteModel, y: int, r: str) -> ExprLike:
        return m.it_capacity_gw[y, r] <= m.facility_capacity_gw[y, r]

    @m.Constraint(m.YEAR)
    def it_build_limit(m: pyo.ConcreteModel, y: int) -> ExprLike:
        if math.isnan(build_limit[y]):  # NaN: no limit
            return pyo.Constraint.Skip
        return sum(m.it_new_gw[y, r] for r in m.REGION) <= build_limit[y] * data.weight[y]

    it_crf = capital_recovery_factor(data.wacc, it_life)
    fac_crf = capital_recovery_factor(data.wacc, fac_life)

    def accelerators(m: pyo.ConcreteModel, y: int, r: str) -> ExprLike:
        new = annualised_builds(m, m.it_new_gw, data, y, it_capex, it_life, (r,))
        sunk = existing[(y, r)] * it_capex[y0] * it_crf
        return new + sunk + it_fom[y] * it_capex[y] * m.it_capacity_gw[y, r]

    def facility(m: pyo.ConcreteModel, y: int, r: str) -> ExprLike:
        new = annualised_builds(m, m.facility_new_gw, data, y, fac_capex, fac_life, (r,))
        sunk = existing_facility[r] * fac_capex[y0] * fac_crf
        return new + sunk + fac_fom[y] * m.facility_capacity_gw[y, r]

    terms.cost_musd["accelerators"].append(accelerators)
    terms.cost_musd["facility"].append(facility)
