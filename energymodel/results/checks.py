"""Checks of a solved results Dataset: inf or NaN where a solution cannot hold them."""

from __future__ import annotations

import numpy as np
import xarray as xr

NEVER_NAN = ("it_capacity_gw", "facility_energy_twh", "emissions_mtco2", "cost_musd")
"""Variables every solved scenario has in full: a NaN in them means a broken solve."""


def nonfinite_variables(ds: xr.Dataset) -> list[str]:
    """What makes a solved results Dataset nonsense: inf anywhere, NaN where never expected.

    Returns the names (``objective_musd`` for the objective), empty when all is finite.
    Derived variables may hold NaN where they are undefined (a price with no load), never
    inf; with every setting in its range (the schema, the input manifest) this is empty.
    """
    bad = [
        str(name)
        for name, da in ds.data_vars.items()
        if da.dtype.kind == "f"
        and (np.isinf(da.values).any() or (name in NEVER_NAN and da.isnull().any()))
    ]
    objective = ds.attrs.get("objective_musd")
    if objective is not None and not np.isfinite(float(objective)):
        bad.insert(0, "objective_musd")
    return bad


def flag_nonfinite(ds: xr.Dataset) -> xr.Dataset:
    """Mark an "optimal" results Dataset holding inf or NaN as not optimal, saying where.

    ``termination`` becomes ``"nonfinite"`` and ``advice`` names the variables, so no
    caller (``api.run``, the batch) reports or writes it as an optimum.
    """
    if not int(ds.attrs.get("optimal", 0)):
        return ds
    bad = nonfinite_variables(ds)
    if not bad:
        return ds
    shown = ", ".join(bad[:5]) + (f" and {len(bad) - 5} more" if len(bad) > 5 else "")
    advice = (
        f"the solution holds inf or NaN ({shown}): a number in the scenario or inputs/ is "
        "out of its physical range; run_scenarios.py --validate names the ones it knows"
    )
    return ds.assign_attrs(optimal=0, termination="nonfinite", advice=advice)
