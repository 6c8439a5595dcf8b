"""Batteries: power capacity with a fixed duration, cyclic state of charge per day."""

from __future__ import annotations

import numpy as np
import pyomo.environ as pyo

from energymodel.model.data import ModelData
from energymodel.model.technology import add_technology_capacity
from energymodel.model.terms import Terms


def add_storage(m: pyo.ConcreteModel, data: ModelData, terms: Terms) -> None:
    r"""Charge, discharge and state of charge of batteries, cyclic in each day.

    .. math::
        e_{y,r,k,t} = e_{y,r,k,t^-} + \sqrt{\eta_k}\, c_{y,r,k,t}
                      - d_{y,r,k,t} / \sqrt{\eta_k}

        e_{y,r,k,t} \le H_k K_{y,r,k} \qquad c_{y,r,k,t} \le K_{y,r,k}
        \qquad d_{y,r,k,t} \le K_{y,r,k}

    :math:`t^-` is the previous hour of the same representative day, wrapping round
    (each day starts where it ends), :math:`\eta` the round-trip efficiency and
    :math:`H` the duration in hours (capex is per kW of an :math:`H`-hour system).
    Capacity, build limits and costs as for generators; the hourly rows are built in
    bulk. Skipped when no storage technology is allowed.
    """
    stos = list(m.STO)
    if not stos:
        return
    capacity = add_technology_capacity(m, data, terms, m.STO, "storage")
    am = m.arrays
    coords = data.coords_of("year", "region", "tech", "timeslice", tech=stos)
    charge = am.add_variables("charge_gw", coords)
    discharge = am.add_variables("discharge_gw", coords)
    soc = am.add_variables("soc_gwh", coords)
    root = np.sqrt(data.array("roundtrip_efficiency_frac", tech=stos))
    before = soc.isel({"timeslice": data.previous_index}).assign_coords(
        {"timeslice": coords["timeslice"]}
    )
    am.add_constraints("soc_balance", soc - before - charge * root + discharge / root, "==", 0.0)
    am.add_constraints("soc_limit", soc - capacity * data.array("duration_h", tech=stos), "<=", 0.0)
    am.add_constraints("charge_limit", charge - capacity, "<=", 0.0)
    am.add_constraints("discharge_limit", discharge - capacity, "<=", 0.0)
    terms.supply_gw.append((discharge - charge).sum("tech"))
