"""Carbon price, emissions cap and clean-energy shares (annual and hourly)."""

from __future__ import annotations

import pyomo.environ as pyo

from energymodel.model.data import ModelData
from energymodel.model.expr import lin_sum
from energymodel.model.terms import Terms
from energymodel.units import GWH_PER_TWH

YR = ("year", "region")


def add_policy(m: pyo.ConcreteModel, data: ModelData, terms: Terms) -> None:
    r"""Price and limit emissions; require clean supply yearly or hour by hour.

    .. math::
        \text{carbon cost}_{y,r} = p^{CO_2}_y \, Q_{y,r} \qquad
        \sum_r Q_{y,r} \le \bar Q_y

        \text{annual: } \sum_{s\,clean} \sum_t w_t a_{r,s,t} K_{y,r,s}
        + \gamma_{y,r} I_{y,r} \ge x_y \, F_{y,r}

        \text{hourly (24/7): } \sum_t w_t \big(\sum_{s\,fossil} g_{y,r,s,t}
        + (1 - \gamma_{y,r})\, i_{y,r,t}\big) \le (1 - x_y) \, F_{y,r}

    :math:`Q` are emissions (Mt), :math:`F` facility energy, :math:`\gamma` the grid's
    clean share. Annual matching counts every clean MWh the buyer's plants could make,
    used or not (certificates); the hourly score counts only clean energy consumed in
    the same hour (PyPSA 247-cfe, Riepin & Brown 2024). Each constraint is left out in
    years where the scenario sets no value. ``emissions_mtco2`` and
    ``facility_energy_twh`` are named expressions of the model (``m.arrays``).
    """
    am = m.arrays
    emissions = lin_sum(terms.emissions_mtco2, YR)
    assert terms.facility_load_gw is not None  # set by the power balance
    energy = (terms.facility_load_gw * (data.hours / GWH_PER_TWH)).sum("timeslice")
    am.add_expression("emissions_mtco2", emissions)
    am.add_expression("facility_energy_twh", energy)
    am.add_cost("carbon", emissions * data.array("carbon_price_usd_per_tco2"))

    cap = data.array("emissions_cap_mtco2")
    am.add_constraints("emissions_cap", emissions.sum("region"), "<=", cap, mask=cap.notnull())
    annual = data.array("annual_clean_share_frac")
    am.add_constraints(
        "annual_clean_share",
        lin_sum(terms.clean_twh, YR) - energy * annual.fillna(0.0),
        ">=",
        0.0,
        mask=annual.notnull(),
    )
    hourly = data.array("hourly_clean_share_frac")
    not_clean = (lin_sum(terms.not_clean_gw, ("year", "region", "timeslice")) * data.hours).sum(
        "timeslice"
    ) / GWH_PER_TWH
    am.add_constraints(
        "hourly_clean_share",
        not_clean - energy * (1 - hourly.fillna(0.0)),
        "<=",
        0.0,
        mask=hourly.notnull(),
    )
