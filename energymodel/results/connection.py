"""How each region's campuses get power: the contracted connection, its use, on-site plant."""

from __future__ import annotations

from typing import Any

import numpy as np
import pyomo.environ as pyo
import xarray as xr

from energymodel.units import GWH_PER_TWH

CONNECTION_VARIABLES: dict[str, tuple[str, str]] = {
    "grid_connection_utilisation_frac": (
        "1",
        "highest hourly grid draw / contracted connection (how much of it the dispatch uses)",
    ),
    "grid_connection_load_factor_frac": (
        "1",
        "grid energy drawn / (contracted connection x 8,760 h)",
    ),
    "grid_connection_firm_gw": ("GW", "firm part of the contracted connection"),
    "grid_connection_flexible_gw": (
        "GW",
        "non-firm part of the contracted connection, curtailed in the system's tightest hours",
    ),
    "curtailed_it_energy_twh": (
        "TWh",
        "IT energy of the flexible connections curtailed by the grid (at the contract's draw)",
    ),
    "curtailment_hours_h": ("h", "hours of the year in which the grid curtails"),
    "headroom_gw": (
        "GW",
        "flat new load the system absorbs within the curtailment budget (Duke's method)",
    ),
    "headroom_curtailed_hours_h": ("h", "hours curtailed at the headroom"),
    "headroom_events": ("1", "curtailment events (runs of consecutive hours) at the headroom"),
    "headroom_event_mean_h": ("h", "mean length of a curtailment event at the headroom"),
    "headroom_event_max_h": ("h", "longest curtailment event at the headroom"),
    "it_islanded_gw": ("GW", "IT nameplate on islanded campuses (no grid connection)"),
    "it_waiting_gw": (
        "GW",
        "IT nameplate built or committed but waiting for a grid connection (unpowered)",
    ),
    "onsite_capacity_gw": ("GW", "on-site (behind-the-meter) power capacity alive"),
    "onsite_firm_fuel_gw": ("GW", "on-site gas capacity with firm fuel (firm transport)"),
}


def _pyomo(component: Any, like: xr.DataArray) -> xr.DataArray:
    """Values of a Pyomo variable indexed (year, region), in the shape of ``like``."""
    values = np.array([v.value or 0.0 for v in component.values()], float)
    values[np.abs(values) < 1e-9] = 0.0
    return like.copy(data=values.reshape(like.shape))


def connection_results(
    m: pyo.ConcreteModel, params: xr.Dataset, ds: xr.Dataset
) -> dict[str, xr.DataArray]:
    """Use of the contracted connection, its firm and flexible parts, curtailment,
    islanded IT and on-site capacity by technology.

    Reads ``grid_connection_gw``, ``dispatch_gw`` and ``supply_capacity_gw`` of ``ds``
    (and, with flexible connections, ``fleet_capacity_gw`` and
    ``system_capacity_short_gw``); ``it_islanded_gw`` is 0 where connections are sized on
    the dispatched peak. The curtailment is what the system imposes (the excess of
    other load and the full contract over the load the system carries, at most the
    non-firm part), not what the dispatch would have drawn.
    """
    connection = ds["grid_connection_gw"]
    draw = ds["dispatch_gw"].sel(tech="grid", drop=True)
    contracted = connection.where(connection > 0)
    hours = ds["timeslice_weight_h"]
    out: dict[str, Any] = {
        "grid_connection_utilisation_frac": (draw.max("timeslice") / contracted).fillna(0.0),
        "grid_connection_load_factor_frac": (
            (draw * hours).sum("timeslice") / (contracted * float(hours.sum()))
        ).fillna(0.0),
        "onsite_capacity_gw": ds["supply_capacity_gw"].drop_sel(tech="grid"),
    }
    zero = xr.zeros_like(ds["it_capacity_gw"])
    out["it_islanded_gw"] = _pyomo(m.it_islanded_gw, zero) if hasattr(m, "it_islanded_gw") else zero
    out["it_waiting_gw"] = _pyomo(m.it_waiting_gw, zero) if hasattr(m, "it_waiting_gw") else zero
    onsite = out["onsite_capacity_gw"]
    firm_fuel = xr.zeros_like(onsite)
    if hasattr(m, "firm_fuel_gw"):
        for (y, r, s), var in m.firm_fuel_gw.items():
            firm_fuel.loc[{"year": y, "region": r, "tech": s}] = var.value or 0.0
    out["onsite_firm_fuel_gw"] = firm_fuel.where(np.abs(firm_fuel) > 1e-9, 0.0)
    flexible = zero
    curtailed = xr.zeros_like(ds["dispatch_gw"].sel(tech="grid", drop=True))
    if hasattr(m, "grid_flexible_gw"):
        flexible = _pyomo(m.grid_flexible_gw, zero)
        accredited = (ds["fleet_capacity_gw"] * params["fleet_accreditation_frac"]).sum(
            "grid_tech"
        )
        carried = (accredited + ds["system_capacity_short_gw"]) / params[
            "system_requirement_ratio"
        ]
        excess = params["other_load_gw"] + connection - carried
        system = params["system_region_frac"] > 0
        curtailed = excess.clip(min=0.0).clip(max=flexible).where(system, 0.0)
        curtailed = curtailed.where(curtailed > 1e-6, 0.0)
    out["grid_connection_flexible_gw"] = flexible
    out["grid_connection_firm_gw"] = connection - flexible
    out["curtailed_it_energy_twh"] = (curtailed * hours).sum("timeslice") / (
        GWH_PER_TWH * params["pue_ratio"]
    )
    out["curtailment_hours_h"] = (hours * (curtailed > 0)).sum("timeslice")
    for name in params.data_vars:  # measured on the inputs (params/headroom.py)
        if str(name).startswith("headroom_"):
            out[str(name)] = params[name]
    return out
