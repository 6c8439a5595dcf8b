"""Compute demand and workload placement: inference stays home, training goes anywhere."""

from __future__ import annotations

import pyomo.environ as pyo

from energymodel.model.data import ModelData
from energymodel.model.terms import ExprLike, Terms
from energymodel.units import TWH_PER_GW_YEAR

# When capacity is short, training yields first: it can wait and serves no tokens. A
# slightly lower penalty makes that choice explicit (our choice; equal penalties would
# leave the split between workloads arbitrary).
TRAINING_PENALTY_RATIO = 0.95


def add_compute_demand(m: pyo.ConcreteModel, data: ModelData, terms: Terms) -> None:
    r"""Serve the scenario's compute demand, or report what cannot be served.

    Inference is served in its own region and follows its hourly shape :math:`s_{r,t}`
    (users do not wait). Training is one world-wide pool: it may run in any allowed
    region, and within each representative day a share :math:`f` of it may move between
    hours (load in :math:`[1-f, 1+f]` times its daily mean, the daily energy conserved;
    peer: Riepin & Brown space-time flexible load).

    .. math::
        S^{inf}_{y,r} + U^{inf}_{y,r} = D^{inf}_{y,r} \qquad
        \ell_{y,r,inf,t} = S^{inf}_{y,r} \, \tfrac{1000}{8760} \, s_{r,t}

        8.76 \sum_r \bar\ell^{tr}_{y,r} + U^{tr}_y = \sum_r D^{tr}_{y,r} \qquad
        \sum_{t \in d} \ell_{y,r,tr,t} = 24 \, \bar\ell^{tr}_{y,r} \ \forall d

        (1 - f)\,\bar\ell^{tr}_{y,r} \le \ell_{y,r,tr,t} \le (1 + f)\,\bar\ell^{tr}_{y,r}

    Unserved IT energy :math:`U` costs the scenario's value of lost compute (training
    95% of it, so training yields first), so a scenario that cannot be met still solves
    and reports its shortfall. The duals of the
    two demand constraints are the marginal cost of compute (M$ per TWh of IT energy).
    """
    demand = data.param("demand_it_twh")
    shape = data.param("inference_shape_ratio")
    allowed = data.param("training_allowed_frac")
    flex = float(data.ds["training_flexible_frac"])
    penalty = float(data.ds["unserved_penalty_usd_per_mwh"])

    m.inference_served_twh = pyo.Var(m.YEAR, m.REGION, within=pyo.NonNegativeReals)
    m.inference_unserved_twh = pyo.Var(m.YEAR, m.REGION, within=pyo.NonNegativeReals)
    m.training_mean_gw = pyo.Var(m.YEAR, m.REGION, within=pyo.NonNegativeReals)
    m.training_unserved_twh = pyo.Var(m.YEAR, within=pyo.NonNegativeReals)
    for y in m.YEAR:
        for r in m.REGION:
            if not allowed[r]:
                m.training_mean_gw[y, r].fix(0.0)

    @m.Constraint(m.YEAR, m.REGION)
    def inference_demand(m: pyo.ConcreteModel, y: int, r: str) -> ExprLike:
        served = m.inference_served_twh[y, r] + m.inference_unserved_twh[y, r]
        return served == demand[(y, r, "inference")]

    @m.Constraint(m.YEAR)
    def training_demand(m: pyo.ConcreteModel, y: int) -> ExprLike:
        served = TWH_PER_GW_YEAR * sum(m.training_mean_gw[y, r] for r in m.REGION)
        total = sum(demand[(y, r, "training")] for r in m.REGION)
        return served + m.training_unserved_twh[y] == total

    @m.Expression(m.YEAR, m.REGION, m.TIMESLICE)
    def inference_load_gw(m: pyo.ConcreteModel, y: int, r: str, t: int) -> ExprLike:
        return m.inference_served_twh[y, r] * (shape[(r, t)] / TWH_PER_GW_YEAR)

    if flex > 0:
        m.training_load_gw = pyo.Var(m.YEAR, m.REGION, m.TIMESLICE, within=pyo.NonNegativeReals)
        days = sorted(set(data.day_of.values()))
        m.DAY = pyo.Set(initialize=days, ordered=True)
        slices_of = {d: [t for t, dd in data.day_of.items() if dd == d] for d in days}

        @m.Constraint(m.YEAR, m.REGION, m.DAY)
        def training_daily_energy(m: pyo.ConcreteModel, y: int, r: str, d: int) -> ExprLike:
            if not allowed[r]:
                return pyo.Constraint.Skip
            hours = len(slices_of[d])
            return sum(m.training_load_gw[y, r, t] for t in slices_of[d]) == (
                hours * m.training_mean_gw[y, r]
            )

        @m.Constraint(m.YEAR, m.REGION, m.TIMESLICE)
        def training_flex_low(m: pyo.ConcreteModel, y: int, r: str, t: int) -> ExprLike:
            if not allowed[r] or flex >= 1:
                return pyo.Constraint.Skip
            return m.training_load_gw[y, r, t] >= (1 - flex) * m.training_mean_gw[y, r]

        @m.Constraint(m.YEAR, m.REGION, m.TIMESLICE)
        def training_flex_high(m: pyo.ConcreteModel, y: int, r: str, t: int) -> ExprLike:
            if not allowed[r]:
                return pyo.Constraint.Skip
            return m.training_load_gw[y, r, t] <= (1 + flex) * m.training_mean_gw[y, r]

        def training_load(m: pyo.ConcreteModel, y: int, r: str, t: int) -> ExprLike:
            return m.training_load_gw[y, r, t] if allowed[r] else 0.0

    else:

        def training_load(m: pyo.ConcreteModel, y: int, r: str, t: int) -> ExprLike:
            return m.training_mean_gw[y, r]

    @m.Expression(m.YEAR, m.REGION, m.TIMESLICE)
    def it_load_gw_total(m: pyo.ConcreteModel, y: int, r: str, t: int) -> ExprLike:
        return m.inference_load_gw[y, r, t] + training_load(m, y, r, t)

    terms.cost_musd["unserved"].append(lambda m, y, r: penalty * m.inference_unserved_twh[y, r])
    terms.global_cost_musd.append(
        lambda m, y: TRAINING_PENALTY_RATIO * penalty * m.training_unserved_twh[y]
    )
