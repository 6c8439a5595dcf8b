"""Flexible (non-firm) grid connections, curtailed in the tightest hours of the system."""

from __future__ import annotations

import pyomo.environ as pyo

from energymodel.model.data import ModelData
from energymodel.model.expr import lin_sum
from energymodel.model.terms import Terms
from energymodel.units import GWH_PER_TWH, HOURS_PER_YEAR

YRT = ("year", "region", "timeslice")
YRG = ("year", "region", "grid_tech")


def add_flexible_connection(m: pyo.ConcreteModel, data: ModelData, terms: Terms) -> None:
    r"""Curtail the non-firm part of the connection where the system has no room for it.

    .. math::
        C_{y,r} = \Big(\sum_g \alpha_{r,g} K^F_{y,r,g} + S_{y,r}\Big) / \rho^S_{y,r}

        c_{y,r,t} \ge L^o_{y,r,t} + K^G_{y,r} - C_{y,r} \qquad
        0 \le c_{y,r,t} \le K^X_{y,r} \qquad
        (i - e)_{y,r,t} + c_{y,r,t} \le K^G_{y,r}

        \sum_t h_t\, c_{y,r,t} \le b\, 8760\, K^G_{y,r} \qquad
        \mathrm{PUE}_{y,r}\, x_{y,r,t} \le c_{y,r,t}

    :math:`C` is the load the system is built to carry: its accredited capacity (and
    shortfall :math:`S`) over its requirement ratio, at least the other consumers' peak
    plus the firm connections (``system_adequacy``). Where the other load :math:`L^o` and
    the full connection :math:`K^G` exceed it, the grid curtails the data centres by the
    excess :math:`c` (``grid_curtailment_gw``), at most the non-firm part :math:`K^X`:
    these are the system's tightest hours, as in the load-duration method of Norris et
    al. (2025, "Rethinking Load Growth", Duke University). Curtailment is limited to a
    share :math:`b` of the contract's full-load energy (``curtailment_budget_frac``,
    Duke's 0.25-1%): the LP takes a non-firm part only as large as that budget allows,
    or builds more system capacity (which enlarges :math:`C`). Curtailed compute is
    served by on-site supply, deferred within its day (the flexible share of the
    workload), or lost at the value of lost inference compute (:math:`x`,
    ``curtailed_lost_it_gw``, at most the curtailment). Skipped without a non-firm part.
    In the full-year check the budget is not imposed but reported
    (``curtailment_in_check_frac``): the year may curtail more than the plan's days did.
    """
    if not hasattr(m, "grid_flexible_gw"):
        return
    am = m.arrays
    yr = data.coords_of("year", "region")
    system = data.array("system_region_frac") > 0
    contract = am.pyomo(m.grid_capacity_gw, ("year", "region"), yr)
    flexible = am.pyomo(m.grid_flexible_gw, ("year", "region"), yr)
    fleet = am.pyomo(m.fleet_capacity_gw, YRG, data.coords_of(*YRG))
    accredited = (fleet * data.array("fleet_accreditation_frac")).sum("grid_tech")
    short = am.pyomo(m.system_capacity_short_gw, ("year", "region"), yr)
    carried = (accredited + short) / data.array("system_requirement_ratio")
    other = data.array("other_load_gw")

    coords = data.coords_of(*YRT)
    curtail = am.add_variables("grid_curtailment_gw", coords, mask=system)
    am.add_constraints("curtailment_needed", curtail - contract + carried, ">=", other, mask=system)
    am.add_constraints("curtailment_limit", curtail - flexible, "<=", 0.0, mask=system)
    draw = lin_sum(terms.grid_draw_gw, YRT)
    am.add_constraints("curtailed_draw", draw + curtail - contract, "<=", 0.0, mask=system)
    budget = float(data.ds["curtailment_budget_frac"])
    if not data.checking:
        # the full-year check reports the year's curtailment against the budget
        # (results/check.py): the system's tightest hours are not the contract's to refuse
        am.add_constraints(
            "curtailment_budget",
            (curtail * data.hours).sum("timeslice") - contract * (budget * HOURS_PER_YEAR),
            "<=",
            0.0,
            mask=system,
        )
    lost = am.add_variables("curtailed_lost_it_gw", coords, mask=system)
    am.add_constraints(
        "curtailed_lost_limit", lost * data.array("pue_ratio") - curtail, "<=", 0.0, mask=system
    )
    terms.it_load_gw.append(-lost)
    value = data.array("unserved_penalty_usd_per_mwh").sel(workload="inference", drop=True)
    am.add_cost("unserved", (lost * (data.hours / GWH_PER_TWH) * value).sum("timeslice"))
