"""Compute demand and workload placement: inference stays home, training goes anywhere."""

from __future__ import annotations

from collections.abc import Callable

import pyomo.environ as pyo
import xarray as xr

from energymodel.model.data import ModelData
from energymodel.model.expr import Expr
from energymodel.model.terms import ExprLike, Terms
from energymodel.units import GWH_PER_TWH, TWH_PER_GW_YEAR


def add_compute_demand(m: pyo.ConcreteModel, data: ModelData, terms: Terms) -> None:
    r"""Serve the scenario's compute demand, or report what cannot be served.

    Inference is served in its own region; its baseline follows the hourly shape
    :math:`s_{r,t}` (weighted mean 1). Training is one world-wide pool: it may run in
    any allowed region, its baseline flat at its mean there. A share :math:`f_w` of each
    workload is flexible: it may go to any hour of its representative day (within the
    hourly draw limit of the IT capacity family, no other band), its daily energy kept
    (peer: Riepin & Brown's space-time flexible load).

    .. math::
        S^{inf}_{y,r} + U^{inf}_{y,r} = D^{inf}_{y,r} \qquad
        8.76 \sum_r \bar\ell^{tr}_{y,r} + U^{tr}_y = \sum_r D^{tr}_{y,r}

        b_{y,r,inf,t} = S^{inf}_{y,r} \, s_{r,t} / 8.76 \qquad
        b_{y,r,tr,t} = \bar\ell^{tr}_{y,r}

        \ell_{y,r,w,t} = (1 - f_w)\, b_{y,r,w,t} + x_{y,r,w,t}, \quad x \ge 0, \qquad
        \sum_{t \in d} x_{y,r,w,t} = f_w \sum_{t \in d} b_{y,r,w,t} \ \forall d

    Inference is measured in reference IT energy (TWh at the reference tokens per kWh,
    ``params/tokens.py``): with accelerator generations, the served energy :math:`S` is
    replaced in the demand row by what it serves, :math:`O = \sum_g \rho_g x_g` (the
    IT capacity family links the two). With elastic demand (``demand_step_twh``), steps
    :math:`z_k` of the willingness-to-pay curve move the quantity served away from the
    reference :math:`D` (the TIMES elastic-demand method):

    .. math::
        O_{y,r} + U^{inf}_{y,r} = D^{inf}_{y,r} + \sum_k d_k z_{y,r,k}, \qquad
        0 \le z_{y,r,k} \le \bar z_{y,r,k}

    and the objective gains :math:`-\sum_k d_k v_{y,k} z_{y,r,k}` (cost ``demand_response``):
    a step beyond the reference (:math:`d_k = 1`) adds the value :math:`v_k` buyers put on
    its tokens, a step given up (:math:`d_k = -1`) costs the value lost. Minimising cost
    minus that value maximises welfare; the dual of ``inference_demand`` is then the price
    that clears the market. Without steps the row is the fixed demand above.

    Unserved IT energy :math:`U` costs the value of lost compute of its workload
    (``unserved_penalty_usd_per_mwh`` by year and workload: by default what a MWh of
    inference earns, and training a stated share of it), so a scenario that cannot be
    met still solves and reports its shortfall. The duals of the two demand constraints
    are the marginal cost of compute (M$ per TWh of IT energy). The hourly part is built
    in bulk: ``flexible_load_gw`` and ``flexible_daily_energy``; ``it_load_gw`` (year,
    region, workload, timeslice) is a named expression for results.
    """
    demand = data.param("demand_it_twh")
    allowed = data.param("training_allowed_frac")
    penalty = data.array("unserved_penalty_usd_per_mwh")

    m.inference_served_twh = pyo.Var(m.YEAR, m.REGION, within=pyo.NonNegativeReals)
    m.inference_unserved_twh = pyo.Var(m.YEAR, m.REGION, within=pyo.NonNegativeReals)
    m.training_mean_gw = pyo.Var(m.YEAR, m.REGION, within=pyo.NonNegativeReals)
    m.training_unserved_twh = pyo.Var(m.YEAR, within=pyo.NonNegativeReals)
    for y in m.YEAR:
        for r in m.REGION:
            if not allowed[r]:
                m.training_mean_gw[y, r].fix(0.0)

    served = m.inference_served_twh
    if "accelerator" in data.ds.dims:  # what the generations serve (model/accelerators.py)
        served = m.inference_output_twh = pyo.Var(m.YEAR, m.REGION, within=pyo.NonNegativeReals)
    response = _demand_steps(m, data)

    @m.Constraint(m.YEAR, m.REGION)
    def inference_demand(m: pyo.ConcreteModel, y: int, r: str) -> ExprLike:
        return served[y, r] + m.inference_unserved_twh[y, r] == demand[
            (y, r, "inference")
        ] + response(y, r)

    def trained(y: int, r: str) -> ExprLike:
        return TWH_PER_GW_YEAR * m.training_mean_gw[y, r]

    if "accelerator" in data.ds.dims:  # training work by generation, as inference
        m.training_output_twh = pyo.Var(m.YEAR, m.REGION, within=pyo.NonNegativeReals)

        def trained(y: int, r: str) -> ExprLike:
            return m.training_output_twh[y, r]

    @m.Constraint(m.YEAR)
    def training_demand(m: pyo.ConcreteModel, y: int) -> ExprLike:
        served = sum(trained(y, r) for r in m.REGION)
        total = sum(demand[(y, r, "training")] for r in m.REGION)
        return served + m.training_unserved_twh[y] == total

    am = m.arrays
    yr = data.coords_of("year", "region")
    workloads = data.coords("workload")
    served = am.pyomo(m.inference_served_twh, ("year", "region"), yr)
    mean = am.pyomo(m.training_mean_gw, ("year", "region"), yr)
    one = {w: _one_hot(workloads, w) for w in workloads}
    baseline = (
        mean * one["training"]
        + served * (data.array("inference_shape_ratio") / TWH_PER_GW_YEAR) * one["inference"]
    )  # (year, region, workload, timeslice)
    flex = data.array("flexible_frac")
    where = (flex > 0) & (
        (data.array("training_allowed_frac") > 0) | (flex["workload"] != "training")
    )
    load = baseline * (1 - flex)
    if bool(where.any()):
        coords = data.coords_of("year", "region", "workload", "timeslice")
        moved = am.add_variables("flexible_load_gw", coords, mask=where)
        by_day = moved.split("timeslice", data.day_split).sum("hour")
        base_day = baseline.split("timeslice", data.day_split).sum("hour")
        am.add_constraints("flexible_daily_energy", by_day - base_day * flex, "==", 0.0, mask=where)
        load = load + moved
    am.add_expression("it_load_gw", load)
    terms.it_load_gw.append(load.sum("workload"))
    if data.checking:
        _hourly_unserved(m, data, terms, baseline.sum("workload"))

    unserved = am.pyomo(m.inference_unserved_twh, ("year", "region"), yr)
    am.add_cost("unserved", unserved * penalty.sel(workload="inference", drop=True))
    training_unserved = am.pyomo(m.training_unserved_twh, ("year",), yr)
    am.add_cost("unserved", training_unserved * penalty.sel(workload="training", drop=True))


def _hourly_unserved(m: pyo.ConcreteModel, data: ModelData, terms: Terms, asked: Expr) -> None:
    r"""The full-year check's lost load: IT load not served in an hour (dispatch only).

    .. math::
        \ell^{net}_{y,r,t} = \sum_w \ell_{y,r,w,t} - u_{y,r,t}, \qquad
        0 \le u_{y,r,t} \le \sum_w \bar\ell_{y,r,w,t}

    at the value of lost inference compute per MWh of IT energy. In the check every
    yearly decision is fixed, so an hour the built supply or IT cannot carry shows here
    (``unserved_check_gw``, ``energymodel/results/check.py``) instead of making the LP
    infeasible. At most the load the hour asks before any moves (:math:`\bar\ell`,
    ``asked``; ``unserved_check_limit``): a day's flexible load could otherwise be moved
    into one hour and shed there at the same cost, and the hours and depth of the
    shortfall would mean nothing (the day's energy is the same either way).
    """
    am = m.arrays
    unserved = am.add_variables("unserved_check_gw", data.coords_of("year", "region", "timeslice"))
    am.add_constraints("unserved_check_limit", unserved - asked, "<=", 0.0)
    terms.it_load_gw.append(-unserved)
    penalty = data.array("unserved_penalty_usd_per_mwh").sel(workload="inference", drop=True)
    energy_twh = (unserved * (data.hours / GWH_PER_TWH)).sum("timeslice")
    am.add_cost("unserved", energy_twh * penalty)
    am.add_expression("unserved_check_gw", unserved)


def _demand_steps(m: pyo.ConcreteModel, data: ModelData) -> Callable[[int, str], ExprLike]:
    """The steps of elastic demand, their value in the objective, and their net quantity."""
    if "demand_step" not in data.ds.dims:
        return lambda y, r: 0.0
    width = data.param("demand_step_twh")
    direction = data.param("demand_step_direction")
    m.DEMAND_STEP = pyo.Set(initialize=list(direction), ordered=True)
    m.demand_step_twh = pyo.Var(
        m.YEAR, m.REGION, m.DEMAND_STEP, bounds=lambda m, y, r, k: (0.0, width[(y, r, k)])
    )
    for (y, r, k), w in width.items():
        if w <= 0:
            m.demand_step_twh[y, r, k].fix(0.0)
    coords = data.coords_of("year", "region", "demand_step")
    steps = m.arrays.pyomo(m.demand_step_twh, ("year", "region", "demand_step"), coords)
    value = data.array("demand_step_value_usd_per_mwh") * data.array("demand_step_direction")
    m.arrays.add_cost("demand_response", -(steps * value).sum("demand_step"))
    return lambda y, r: sum(direction[k] * m.demand_step_twh[y, r, k] for k in m.DEMAND_STEP)


def _one_hot(labels: list[str], label: str) -> xr.DataArray:
    """1 at ``label`` on a ``workload`` dim, 0 elsewhere."""
    return xr.DataArray(
        [float(x == label) for x in labels], dims="workload", coords={"workload": labels}
    )
