"""The grid connection a campus contracts: on nameplate, or none when it is islanded."""

from __future__ import annotations

import math

import pyomo.environ as pyo

from energymodel.model.data import ModelData
from energymodel.model.expr import lin_sum
from energymodel.model.terms import ExprLike, Terms
from energymodel.units import GWH_PER_TWH, TWH_PER_GW_YEAR

YRT = ("year", "region", "timeslice")


def add_connection(m: pyo.ConcreteModel, data: ModelData, terms: Terms) -> None:
    r"""Contract the grid connection on the nameplate of every grid-served campus.

    .. math::
        K^{G}_{y,r} \ge \mathrm{PUE}_{y,r}\,(K^{IT}_{y,r} - I_{y,r} - W_{y,r}) \qquad
        I_{y,r} + W_{y,r} \le K^{IT}_{y,r}

        P_{y,r} \le \delta\,(K^{IT}_{y,r} - W_{y,r}) \qquad
        \sum_t h_t \sum_w \ell_{y,r,w,t} / 1000 \le u\, 8.76\, (K^{IT}_{y,r} - W_{y,r})

        \sum_t h_t\, (i - e)_{y,r,t} / 1000 \le \mathrm{PUE}_{y,r}\, u\, 8.76\,
        (K^{IT}_{y,r} - I_{y,r} - W_{y,r})

        \sum_s c_s K_{y,r,s} \ge (1 + n)\,\mathrm{PUE}_{y,r}\,\delta\, I_{y,r}

    A utility connects a campus for what it may draw: its IT nameplate :math:`K^{IT}` x
    the design PUE, not the peak the dispatch happens to reach (``grid_connection_gw``
    is contracted on nameplate; the queue and its yearly limits of the grid family apply
    to it). :math:`I` (``it_islanded_gw``) is IT nameplate on islanded campuses, which
    have no connection and pay for none: their on-site firm capacity (credits
    :math:`c_s`, storage limited by its duration, grid excluded) covers their facility
    peak (highest draw :math:`\delta` of nameplate) with an extra margin :math:`n`
    (``islanded_redundancy_frac``; 0 by default, as the on-site gas credits already hold
    N+1). :math:`W` (``it_waiting_gw``) is IT nameplate built (or committed) but
    waiting for a connection: it draws no power and serves nothing, so the IT peak
    :math:`P` and the yearly IT energy are limited by the powered nameplate
    (``it_peak_powered``, ``it_energy_powered``). The load is modelled per region, not per
    campus, so the islanded campuses' energy is bounded in the year: the grid delivers
    at most what the grid-served campuses use at the average utilisation :math:`u`
    (``grid_served_energy``). Islanding is a choice of the LP where
    ``islanded_redundancy_frac`` is set (NaN: not allowed). Skipped when connections are
    sized on the dispatched peak (``connection_on_nameplate_flag`` 0 or absent), as
    before 0.3.
    """
    add_flexible_share(m, data)
    if not data.has("connection_on_nameplate_flag"):
        return
    if not float(data.ds["connection_on_nameplate_flag"]):
        return
    pue = data.param("pue_ratio")
    redundancy = (
        float(data.ds["islanded_redundancy_frac"])
        if data.has("islanded_redundancy_frac")
        else math.nan
    )
    m.it_islanded_gw = pyo.Var(m.YEAR, m.REGION, within=pyo.NonNegativeReals)
    m.it_waiting_gw = pyo.Var(m.YEAR, m.REGION, within=pyo.NonNegativeReals)
    if math.isnan(redundancy):
        m.it_islanded_gw.fix(0.0)

    @m.Constraint(m.YEAR, m.REGION)
    def grid_connection_nameplate(m: pyo.ConcreteModel, y: int, r: str) -> ExprLike:
        served = m.it_capacity_gw[y, r] - m.it_islanded_gw[y, r] - m.it_waiting_gw[y, r]
        return m.grid_capacity_gw[y, r] >= pue[(y, r)] * served

    @m.Constraint(m.YEAR, m.REGION)
    def islanded_within_it(m: pyo.ConcreteModel, y: int, r: str) -> ExprLike:
        return m.it_islanded_gw[y, r] + m.it_waiting_gw[y, r] <= m.it_capacity_gw[y, r]

    draw = float(data.ds["max_draw_frac"])

    @m.Constraint(m.YEAR, m.REGION)
    def it_peak_powered(m: pyo.ConcreteModel, y: int, r: str) -> ExprLike:
        return m.it_peak_gw[y, r] <= draw * (m.it_capacity_gw[y, r] - m.it_waiting_gw[y, r])

    am = m.arrays
    yr = data.coords_of("year", "region")
    waiting = am.pyomo(m.it_waiting_gw, ("year", "region"), yr)
    capacity = am.pyomo(m.it_capacity_gw, ("year", "region"), yr)
    load_twh = (lin_sum(terms.it_load_gw, YRT) * (data.hours / GWH_PER_TWH)).sum("timeslice")
    utilisation = float(data.ds["avg_utilisation_frac"])
    if not data.checking:  # as it_energy_limit (model/capacity.py)
        am.add_constraints(
            "it_energy_powered",
            load_twh - (capacity - waiting) * (utilisation * TWH_PER_GW_YEAR),
            "<=",
            0.0,
        )
    if math.isnan(redundancy):
        return

    @m.Constraint(m.YEAR, m.REGION)
    def islanded_firm(m: pyo.ConcreteModel, y: int, r: str) -> ExprLike:
        own = sum(term(m, y, r) for term in terms.onsite_firm_gw)
        return own >= (1 + redundancy) * pue[(y, r)] * draw * m.it_islanded_gw[y, r]

    served = capacity - waiting - am.pyomo(m.it_islanded_gw, ("year", "region"), yr)
    draw_twh = (lin_sum(terms.grid_draw_gw, YRT) * (data.hours / GWH_PER_TWH)).sum("timeslice")
    utilisation = float(data.ds["avg_utilisation_frac"])
    am.add_constraints(
        "grid_served_energy",
        draw_twh - served * (data.array("pue_ratio") * (utilisation * TWH_PER_GW_YEAR)),
        "<=",
        0.0,
    )


def add_flexible_share(m: pyo.ConcreteModel, data: ModelData) -> None:
    r"""Split the connection into a firm and a non-firm (flexible) part.

    .. math:: K^{X}_{y,r} \le \phi_r\, K^{G}_{y,r} \qquad K^{F}_{y,r} = K^G_{y,r} - K^X_{y,r}

    :math:`\phi_r` (``flexible_connection_frac``) is the largest share of the contract a
    region's utility offers as non-firm; the LP chooses how much to take
    (``grid_flexible_gw``). Only the firm part :math:`K^F` counts in the system's
    adequacy requirement (``model/grid_system.py``); the non-firm part may be curtailed
    in the system's tightest hours (``model/flexible.py``). Only in ``system`` regions;
    skipped when no region offers a share.
    """
    if not (data.has("flexible_connection_frac") and data.has("system_region_frac")):
        return
    share = data.param("flexible_connection_frac")
    system = data.param("system_region_frac")
    offered = {r: share[r] if system[r] > 0 else 0.0 for r in m.REGION}
    if not any(v > 0 for v in offered.values()):
        return
    m.grid_flexible_gw = pyo.Var(m.YEAR, m.REGION, within=pyo.NonNegativeReals)

    @m.Constraint(m.YEAR, m.REGION)
    def grid_flexible_share(m: pyo.ConcreteModel, y: int, r: str) -> ExprLike:
        return m.grid_flexible_gw[y, r] <= offered[r] * m.grid_capacity_gw[y, r]
