"""Carbon price, emissions cap and clean-energy shares (annual and hourly)."""

from __future__ import annotations

from typing import Any

import pyomo.environ as pyo

from energymodel.model.data import ModelData
from energymodel.model.expr import Expr, lin_sum
from energymodel.model.terms import Terms
from energymodel.units import GWH_PER_TWH

YR = ("year", "region")


def add_policy(m: pyo.ConcreteModel, data: ModelData, terms: Terms) -> None:
    r"""Price and limit emissions; require clean supply yearly or hour by hour.

    .. math::
        \text{carbon cost}_{y,r} = p^{CO_2}_y \, Q_{y,r} \qquad
        \sum_r Q_{y,r} \le \bar Q_y

        N_{y,r} = \sum_t w_t \Big(\sum_{s\,fossil} g_{y,r,s,t}
        + (1 - \gamma_{y,r,t})\, i_{y,r,t}\Big) \qquad
        G_{y,r} = F_{y,r} + \sum_t w_t\, e_{y,r,t} - N_{y,r}

        \text{annual: } G_{y,r} \ge x_y \, F_{y,r} \qquad
        \text{hourly (24/7): } N_{y,r} \le (1 - x_y) \, F_{y,r}

    :math:`Q` are emissions (Mt), :math:`F` facility energy, :math:`N` the energy used
    that is not carbon-free, :math:`\gamma` the grid's hourly clean share, :math:`e`
    energy exported to the grid (only when an annual share is set). :math:`G` is the
    clean energy actually used or sold: clean generation dispatched (after curtailment)
    plus the grid's clean share of imports, less storage losses (the balance gives
    :math:`F + e = ` generation + imports - storage losses). Annual matching counts clean
    energy produced in any hour, used on site or exported (certificates), never energy
    curtailed; the hourly score counts only clean energy consumed in the same hour (PyPSA
    247-cfe, Riepin & Brown 2024). Without exports the two coincide. Each constraint is
    left out in years where the scenario sets no value, and in the full-year check
    (``dispatch_check_flag``), which dispatches a fixed build and reports the shares it
    reaches. ``emissions_mtco2``,
    ``facility_energy_twh`` and ``clean_energy_twh`` are named expressions of the model
    (``m.arrays``).
    """
    am = m.arrays
    emissions = lin_sum(terms.emissions_mtco2, YR)
    assert terms.facility_load_gw is not None  # set by the power balance
    energy = (terms.facility_load_gw * (data.hours / GWH_PER_TWH)).sum("timeslice")
    am.add_expression("emissions_mtco2", emissions)
    am.add_expression("facility_energy_twh", energy)
    am.add_cost("carbon", emissions * data.array("carbon_price_usd_per_tco2"))

    yrt = ("year", "region", "timeslice")
    not_clean = (lin_sum(terms.not_clean_gw, yrt) * data.hours).sum("timeslice") / GWH_PER_TWH
    am.add_expression("not_clean_energy_twh", not_clean)
    clean = energy - not_clean
    if terms.export_gw:
        clean = clean + (lin_sum(terms.export_gw, yrt) * data.hours).sum("timeslice") / GWH_PER_TWH
    am.add_expression("clean_energy_twh", clean)
    if data.checking:
        _hourly_clean_shortfall(am, data, energy, not_clean)
        return  # the full-year check dispatches the build and reports what it reaches
    cap = data.array("emissions_cap_mtco2")
    am.add_constraints("emissions_cap", emissions.sum("region"), "<=", cap, mask=cap.notnull())
    annual = data.array("annual_clean_share_frac")
    am.add_constraints(
        "annual_clean_share",
        clean - energy * annual.fillna(0.0),
        ">=",
        0.0,
        mask=annual.notnull(),
    )
    hourly = data.array("hourly_clean_share_frac")
    am.add_constraints(
        "hourly_clean_share",
        not_clean - energy * (1 - hourly.fillna(0.0)),
        "<=",
        0.0,
        mask=hourly.notnull(),
    )


CLEAN_SHORTFALL_USD_PER_MWH = 1000.0
"""Price of a MWh short of the hourly clean share in the full-year check: a device that
makes the check's dispatch meet the share wherever the fixed build can, ~10x the plan's
cost of clean supply (~100 $/MWh) and below the value of compute (~4,000 $/MWh at 2 $ per
million tokens), so it never sheds load to meet it."""


def _hourly_clean_shortfall(am: Any, data: ModelData, energy: Expr, not_clean: Expr) -> None:
    r"""The full-year check's hourly clean share, met where the build can.

    .. math:: N_{y,r} - (1 - h_{y,r})\, E_{y,r} \le S_{y,r}, \qquad S \ge 0

    at :data:`CLEAN_SHORTFALL_USD_PER_MWH` per MWh of shortfall :math:`S`
    (``clean_shortfall_twh``, cost component ``clean_shortfall``, outside the check's
    realised cost). Without it the check's dispatch would swap clean storage for cheaper
    fossil power and report a lower cost at a lower 24/7 score: not the plan's answer.
    """
    hourly = data.array("hourly_clean_share_frac")
    if not bool(hourly.notnull().any()):
        return
    where = hourly.notnull()
    shortfall = am.add_variables(
        "clean_shortfall_twh", data.coords_of("year", "region"), mask=where
    )
    am.add_constraints(
        "hourly_clean_share_check",
        not_clean - energy * (1 - hourly.fillna(0.0)) - shortfall,
        "<=",
        0.0,
        mask=where,
    )
    am.add_cost("clean_shortfall", shortfall * CLEAN_SHORTFALL_USD_PER_MWH)
