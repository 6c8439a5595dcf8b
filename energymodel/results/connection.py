"""How each region's campuses get power: the contracted connection, its use, on-site plant."""

from __future__ import annotations

from typing import Any

import numpy as np
import pyomo.environ as pyo
import xarray as xr

CONNECTION_VARIABLES: dict[str, tuple[str, str]] = {
    "grid_connection_utilisation_frac": (
        "1",
        "highest hourly grid draw / contracted connection (how much of it the dispatch uses)",
    ),
    "grid_connection_load_factor_frac": (
        "1",
        "grid energy drawn / (contracted connection x 8,760 h)",
    ),
    "it_islanded_gw": ("GW", "IT nameplate on islanded campuses (no grid connection)"),
    "onsite_capacity_gw": ("GW", "on-site (behind-the-meter) power capacity alive"),
}


def connection_results(m: pyo.ConcreteModel, ds: xr.Dataset) -> dict[str, xr.DataArray]:
    """Use of the contracted connection, islanded IT and on-site capacity by technology.

    Reads ``grid_connection_gw``, ``dispatch_gw`` and ``supply_capacity_gw`` of ``ds``;
    ``it_islanded_gw`` is 0 where connections are sized on the dispatched peak.
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
    islanded = xr.zeros_like(ds["it_capacity_gw"])
    if hasattr(m, "it_islanded_gw"):
        values = np.array([v.value or 0.0 for v in m.it_islanded_gw.values()], float)
        values[np.abs(values) < 1e-9] = 0.0
        islanded = islanded.copy(data=values.reshape(islanded.shape))
    out["it_islanded_gw"] = islanded
    return out
