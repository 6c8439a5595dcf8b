"""On-site power generation: capacity by vintage, dispatch limits, build rates, fuel."""

from __future__ import annotations

import pyomo.environ as pyo

from energymodel.model.data import ModelData
from energymodel.model.technology import add_technology_capacity
from energymodel.model.terms import Terms
from energymodel.units import GWH_PER_TWH


def add_supply(m: pyo.ConcreteModel, data: ModelData, terms: Terms) -> None:
    r"""Build and dispatch on-site generators (everything in ``tech`` but storage).

    .. math::
        K_{y,r,s} = \sum_{v \le y < v + L_s} B_{v,r,s} \qquad
        g_{y,r,s,t} \le a_{r,s,t} \, K_{y,r,s}

        \sum_r B_{y,r,s} \le \bar B_{y,s} \, W_y \qquad
        B_{y,r,s} = 0 \text{ before the technology is available}

    :math:`a` is the hourly availability (solar, wind) or the highest capacity factor
    (dispatchable plants). Where :math:`a = 0` (solar at night) there is neither a
    generation column nor a limit row. Fuel and variable O&M are paid per MWh, capex as
    an annuity per vintage alive, fixed O&M per GW alive. The hourly part
    (``generation_gw``, ``generation_limit``) is built in bulk. Skipped when no generator
    is allowed.
    """
    gens = list(m.GEN)
    if not gens:
        return
    capacity = add_technology_capacity(m, data, terms, m.GEN, "supply")
    am = m.arrays
    avail = data.array("availability_frac", tech=gens)
    coords = data.coords_of("year", "region", "tech", "timeslice", tech=gens)
    gen = am.add_variables("generation_gw", coords, mask=avail > 0)
    am.add_constraints("generation_limit", gen - capacity * avail, "<=", 0.0, mask=avail > 0)

    energy_twh = gen * (data.hours / GWH_PER_TWH)  # by year, region, tech, timeslice
    per_mwh = data.array("fuel_usd_per_mwh", tech=gens) + data.array("vom_usd_per_mwh", tech=gens)
    am.add_cost("fuel", (energy_twh * per_mwh).sum(["tech", "timeslice"]))
    emissions = data.array("emissions_tco2_per_mwh", tech=gens)
    terms.emissions_mtco2.append((energy_twh * emissions).sum(["tech", "timeslice"]))
    clean = data.array("clean_frac", tech=gens)
    terms.supply_gw.append(gen.sum("tech"))
    terms.not_clean_gw.append((gen * (1 - clean)).sum("tech"))
