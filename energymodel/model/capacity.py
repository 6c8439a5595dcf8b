"""IT and facility capacity: vintages, lifetimes, committed builds, supply-chain limits."""

from __future__ import annotations

import math

import pyomo.environ as pyo

from energymodel.finance import capital_recovery_factor
from energymodel.model.accelerators import add_accelerators
from energymodel.model.data import ModelData
from energymodel.model.expr import lin_sum
from energymodel.model.technology import annuity_cost
from energymodel.model.terms import ExprLike, Terms
from energymodel.units import GWH_PER_TWH, TWH_PER_GW_YEAR

YRT = ("year", "region", "timeslice")


def add_it_capacity(m: pyo.ConcreteModel, data: ModelData, terms: Terms) -> None:
    r"""Build IT capacity by vintage; house it in facilities with their own, longer life.

    .. math::
        K^{IT}_{y,r} = E^{IT}_{y,r} + \sum_{v \le y < v + L^{IT}} B^{IT}_{v,r}
        \qquad K^{IT}_{y,r} \le K^{F}_{y,r}
        \qquad K^{F}_{y,r} = E^{F}_{r} + \sum_{v \le y < v + L^{F}} B^{F}_{v,r}

        \sum_w \ell_{y,r,w,t} \le P_{y,r} \ \forall t \qquad
        P_{y,r} \le \delta \, K^{IT}_{y,r} \qquad
        \sum_t h_t \sum_w \ell_{y,r,w,t} / 1000 \le u \, 8.76 \, K^{IT}_{y,r}

        B^{IT}_{y,r} \ge C_{y,r} \ (\text{committed}) \qquad
        \sum_r B^{IT}_{y,r} \le \bar B^{IT}_y \, W_y

    :math:`P` is the IT peak the dispatch reaches (``it_peak_gw``), at most the highest
    hourly draw :math:`\delta` (``max_draw_frac``) of the nameplate; the firm-capacity
    family sizes firm supply and grid connection on it. The yearly IT energy is at most
    the average utilisation :math:`u` (``avg_utilisation_frac``, LBNL's 50%) of the
    nameplate: an average, not an hourly ceiling, so load may exceed it in some hours
    (flexible load moving into cheap or clean ones). Existing capacity retires linearly
    over the IT life; its capital charge is a constant in the cost so that cost per
    token stays all-in. Accelerators cost ``it_capex x CRF(wacc, it_life)`` per year
    alive plus a yearly maintenance share; facilities ``facility_capex x
    CRF(wacc, facility_life)`` plus FOM. The hourly rows ``it_peak`` and the yearly
    ``it_energy_limit`` (not in the full-year check) are built in bulk. With accelerator
    generations (``hardware.accelerators``) the IT capacity, its builds and its cost are
    by generation and vintage, with early retirement
    (:func:`~energymodel.model.accelerators.add_accelerators`).
    """
    it_life = float(data.ds["it_life_yr"])
    fac_life = float(data.ds["facility_life_yr"])
    existing = data.param("existing_it_capacity_gw")
    committed = data.param("committed_it_new_gw")
    build_limit = data.param("it_max_build_gw_per_yr")
    y0 = data.years[0]
    existing_facility = {r: existing[(y0, r)] for r in m.REGION}

    m.it_new_gw = pyo.Var(m.YEAR, m.REGION, within=pyo.NonNegativeReals)
    m.facility_new_gw = pyo.Var(m.YEAR, m.REGION, within=pyo.NonNegativeReals)
    m.it_capacity_gw = pyo.Var(m.YEAR, m.REGION, within=pyo.NonNegativeReals)
    for (y, r), gw in committed.items():
        m.it_new_gw[y, r].setlb(gw)

    generations = "accelerator" in data.ds.dims
    if not generations:  # one blended fleet; else by generation (model/accelerators.py)

        @m.Constraint(m.YEAR, m.REGION)
        def it_capacity_def(m: pyo.ConcreteModel, y: int, r: str) -> ExprLike:
            alive = data.alive(it_life)[y]
            new = sum(m.it_new_gw[v, r] for v in alive)
            return m.it_capacity_gw[y, r] == existing[(y, r)] + new

    @m.Expression(m.YEAR, m.REGION)
    def facility_capacity_gw(m: pyo.ConcreteModel, y: int, r: str) -> ExprLike:
        alive = data.alive(fac_life)[y]
        return existing_facility[r] + sum(m.facility_new_gw[v, r] for v in alive)

    @m.Constraint(m.YEAR, m.REGION)
    def it_housed(m: pyo.ConcreteModel, y: int, r: str) -> ExprLike:
        return m.it_capacity_gw[y, r] <= m.facility_capacity_gw[y, r]

    @m.Constraint(m.YEAR)
    def it_build_limit(m: pyo.ConcreteModel, y: int) -> ExprLike:
        if math.isnan(build_limit[y]):  # NaN: no limit
            return pyo.Constraint.Skip
        return sum(m.it_new_gw[y, r] for r in m.REGION) <= build_limit[y] * data.weight[y]

    draw = float(data.ds["max_draw_frac"])
    m.it_peak_gw = pyo.Var(m.YEAR, m.REGION, within=pyo.NonNegativeReals)

    @m.Constraint(m.YEAR, m.REGION)
    def it_peak_limit(m: pyo.ConcreteModel, y: int, r: str) -> ExprLike:
        return m.it_peak_gw[y, r] <= draw * m.it_capacity_gw[y, r]

    am = m.arrays
    yr = data.coords_of("year", "region")
    it_capacity = am.pyomo(m.it_capacity_gw, ("year", "region"), yr)
    load = lin_sum(terms.it_load_gw, YRT)
    am.add_constraints("it_peak", load - am.pyomo(m.it_peak_gw, ("year", "region"), yr), "<=", 0.0)
    utilisation = float(data.ds["avg_utilisation_frac"])
    energy_twh = (load * (data.hours / GWH_PER_TWH)).sum("timeslice")
    # Not in the full-year check: the year's IT energy there is the plan's (the served
    # energy is fixed, flexible load moves within its day), which met this row, less what
    # goes unserved; a yearly row would only be shared out among the check's windows by
    # potential, and a window given too little would shed load the year could serve.
    if not data.checking:
        am.add_constraints(
            "it_energy_limit", energy_twh - it_capacity * (utilisation * TWH_PER_GW_YEAR), "<=", 0.0
        )

    it_capex = data.array("it_capex_usd_per_kw")
    fac_capex = data.array("facility_capex_usd_per_kw")
    existing_it = data.array("existing_it_capacity_gw")
    sunk_it = (
        existing_it * float(it_capex.sel(year=y0)) * capital_recovery_factor(data.wacc, it_life)
    )
    if generations:
        fleet = add_accelerators(m, data)
    else:
        new_it = am.pyomo(m.it_new_gw, ("year", "region"), yr)
        fom = it_capacity * (data.array("it_fom_frac_per_yr") * it_capex)
        fleet = annuity_cost(data, new_it, it_capex, it_life) + fom
    am.add_cost("accelerators", fleet + sunk_it)
    sunk_facility = (
        existing_it.sel(year=y0, drop=True)
        * float(fac_capex.sel(year=y0))
        * (capital_recovery_factor(data.wacc, fac_life))
    )
    facility = am.pyomo(m.facility_capacity_gw, ("year", "region"), yr)
    am.add_cost(
        "facility",
        annuity_cost(data, am.pyomo(m.facility_new_gw, ("year", "region"), yr), fac_capex, fac_life)
        + sunk_facility
        + facility * data.array("facility_fom_usd_per_kw_yr"),
    )
