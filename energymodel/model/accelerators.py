"""Accelerator generations as investment options (part of the IT capacity family).

Used when a scenario lists ``hardware.accelerators`` (params on the ``accelerator`` dim);
otherwise the IT fleet is one blended technology (``model/capacity.py``).
"""

from __future__ import annotations

import pyomo.environ as pyo

from energymodel.model.data import ModelData
from energymodel.model.expr import Expr
from energymodel.model.technology import annuity_cost
from energymodel.model.terms import ExprLike
from energymodel.units import TWH_PER_GW_YEAR

YRA = ("year", "region", "accelerator")


def add_accelerators(m: pyo.ConcreteModel, data: ModelData) -> Expr:
    r"""IT capacity by accelerator generation :math:`g`: what to buy, keep and run.

    .. math::
        A_{y,r,g} = e_g E^{IT}_{y,r} + \sum_{v \le y < v + L_g} B_{v,r,g} \qquad
        K_{y,r,g} \le A_{y,r,g} \qquad
        K^{IT}_{y,r} = \sum_g K_{y,r,g} \qquad B^{IT}_{y,r} = \sum_g B_{y,r,g}

        \sum_g x^w_{y,r,g} = S^w_{y,r} \qquad
        x^{inf}_{y,r,g} + x^{tr}_{y,r,g} \le u \, 8.76 \, K_{y,r,g} \qquad
        O^w_{y,r} = \sum_g \rho_{y,g} \, x^w_{y,r,g}

    :math:`A` is the capacity alive (the fleet in service at the start, :math:`E^{IT}`, is
    of the first generation listed, :math:`e_g = 1`), :math:`K` the capacity kept in
    service: the rest is retired early, which saves its maintenance and frees facility
    space, firm power and grid connection, while its capital charge stays (sunk; a
    retired vintage may come back later, as mothballed plant can). :math:`B` are builds,
    zero before a generation's first year; each vintage lives :math:`L_g` years.
    :math:`x^w` is the IT energy each generation spends on workload :math:`w` (of the
    inference energy :math:`S^{inf}` and the training energy :math:`S^{tr} = 8.76\,
    \bar\ell^{tr}`), :math:`\rho_g` its tokens per kWh over the reference
    (``accelerator_output_ratio``), and :math:`O^w` the reference IT energy served, which
    the demand rows count: tokens for inference, and for training the work the reference
    hardware would do with that energy (our assumption: a generation trains as much more
    per kWh as it serves more tokens per kWh, so training also buys efficient hardware
    rather than the cheapest kW).

    Returns the yearly accelerator cost (year, region): an annuity
    :math:`\mathrm{CRF}(r, L_g)\, k_{v,g}` per vintage alive (retired or not) and
    maintenance :math:`f_y k_{y,g}` per GW kept in service.
    """
    names = data.coords("accelerator")
    life = data.param("accelerator_life_yr")
    allowed = data.param("accelerator_allowed_frac")
    existing = data.param("existing_it_capacity_gw")
    first = data.param("accelerator_existing_frac")
    ratio = data.param("accelerator_output_ratio")
    energy_per_gw = float(data.ds["avg_utilisation_frac"]) * TWH_PER_GW_YEAR

    m.ACCELERATOR = pyo.Set(initialize=names, ordered=True)
    m.accelerator_new_gw = pyo.Var(m.YEAR, m.REGION, m.ACCELERATOR, within=pyo.NonNegativeReals)
    m.accelerator_capacity_gw = pyo.Var(
        m.YEAR, m.REGION, m.ACCELERATOR, within=pyo.NonNegativeReals
    )
    m.accelerator_inference_twh = pyo.Var(
        m.YEAR, m.REGION, m.ACCELERATOR, within=pyo.NonNegativeReals
    )
    m.accelerator_training_twh = pyo.Var(
        m.YEAR, m.REGION, m.ACCELERATOR, within=pyo.NonNegativeReals
    )
    for (y, g), ok in allowed.items():
        if not ok:
            for r in m.REGION:
                m.accelerator_new_gw[y, r, g].fix(0.0)

    @m.Expression(m.YEAR, m.REGION, m.ACCELERATOR)
    def accelerator_alive_gw(m: pyo.ConcreteModel, y: int, r: str, g: str) -> ExprLike:
        built = sum(m.accelerator_new_gw[v, r, g] for v in data.alive(life[g])[y])
        return first[g] * existing[(y, r)] + built

    @m.Constraint(m.YEAR, m.REGION, m.ACCELERATOR)
    def accelerator_in_service(m: pyo.ConcreteModel, y: int, r: str, g: str) -> ExprLike:
        return m.accelerator_capacity_gw[y, r, g] <= m.accelerator_alive_gw[y, r, g]

    @m.Constraint(m.YEAR, m.REGION)
    def it_capacity_def(m: pyo.ConcreteModel, y: int, r: str) -> ExprLike:
        fleet = sum(m.accelerator_capacity_gw[y, r, g] for g in m.ACCELERATOR)
        return m.it_capacity_gw[y, r] == fleet

    @m.Constraint(m.YEAR, m.REGION)
    def it_new_by_accelerator(m: pyo.ConcreteModel, y: int, r: str) -> ExprLike:
        return m.it_new_gw[y, r] == sum(m.accelerator_new_gw[y, r, g] for g in m.ACCELERATOR)

    @m.Constraint(m.YEAR, m.REGION)
    def accelerator_inference_split(m: pyo.ConcreteModel, y: int, r: str) -> ExprLike:
        split = sum(m.accelerator_inference_twh[y, r, g] for g in m.ACCELERATOR)
        return split == m.inference_served_twh[y, r]

    @m.Constraint(m.YEAR, m.REGION)
    def accelerator_training_split(m: pyo.ConcreteModel, y: int, r: str) -> ExprLike:
        split = sum(m.accelerator_training_twh[y, r, g] for g in m.ACCELERATOR)
        return split == TWH_PER_GW_YEAR * m.training_mean_gw[y, r]

    @m.Constraint(m.YEAR, m.REGION, m.ACCELERATOR)
    def accelerator_energy_limit(m: pyo.ConcreteModel, y: int, r: str, g: str) -> ExprLike:
        used = m.accelerator_inference_twh[y, r, g] + m.accelerator_training_twh[y, r, g]
        return used <= energy_per_gw * m.accelerator_capacity_gw[y, r, g]

    @m.Constraint(m.YEAR, m.REGION)
    def inference_output_def(m: pyo.ConcreteModel, y: int, r: str) -> ExprLike:
        output = sum(ratio[(y, g)] * m.accelerator_inference_twh[y, r, g] for g in m.ACCELERATOR)
        return m.inference_output_twh[y, r] == output

    @m.Constraint(m.YEAR, m.REGION)
    def training_output_def(m: pyo.ConcreteModel, y: int, r: str) -> ExprLike:
        output = sum(ratio[(y, g)] * m.accelerator_training_twh[y, r, g] for g in m.ACCELERATOR)
        return m.training_output_twh[y, r] == output

    am = m.arrays
    coords = data.coords_of(*YRA)
    capex = data.array("accelerator_capex_usd_per_kw")  # (year, accelerator)
    built = am.pyomo(m.accelerator_new_gw, YRA, coords)
    kept = am.pyomo(m.accelerator_capacity_gw, YRA, coords)
    charge = annuity_cost(data, built, capex, data.array("accelerator_life_yr"))
    upkeep = kept * (data.array("it_fom_frac_per_yr") * capex)
    return (charge + upkeep).sum("accelerator")
