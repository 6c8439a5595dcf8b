"""Duals of the scenario limits that can cut demand, as results variables.

A limit that binds has a non-zero dual: what one more unit of it would save. Where
demand is shed, that is the value of the compute it would let the model serve; the shed
warning (:mod:`energymodel.results.shed`) names the limits whose dual is not zero.

Every dual is in the money of its year (the objective is discounted and weighted by the
years a model year stands for), as a positive number.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyomo.environ as pyo
import xarray as xr

from energymodel.solve import SolveResult

LIMIT_VARIABLES: dict[str, tuple[str, str]] = {
    "it_build_limit_dual_usd_per_kw": (
        "USD/kW",
        (
            "dual of the IT (accelerator) build limit: what one more kW of IT built in the year "
            "beyond the limit would save, one-off (0: not binding)"
        ),
    ),
    "supply_build_limit_dual_usd_per_kw": (
        "USD/kW",
        (
            "dual of a power technology's build limit: what one more kW built in the year "
            "beyond the limit would save, one-off (0: not binding)"
        ),
    ),
    "grid_connection_limit_dual_usd_per_kw_yr": (
        "USD/kW/yr",
        (
            "dual of the yearly grid-connection limit, per remaining model year: what one more "
            "kW connected in the year would save a year; an LP shadow value, not a "
            "capacity-market price (0: not binding)"
        ),
    ),
    "grid_connection_ceiling_dual_usd_per_kw_yr": (
        "USD/kW/yr",
        (
            "dual of the grid-connection ceiling: what one more kW of connection allowed in "
            "the year would save that year (0: not binding)"
        ),
    ),
    "emissions_cap_dual_usd_per_tco2": (
        "USD/tCO2",
        "dual of the emissions cap: the carbon price it implies (0: not binding)",
    ),
}
"""Every limit dual of the results: name -> (units, long name)."""

BINDING_TOLERANCE = 1e-3
"""A dual above this (in its units: $/kW, $/kW/yr, $/tCO2) counts as binding."""


def _duals(constraint: Any, result: SolveResult, index: list[tuple[Any, ...]]) -> np.ndarray:
    """|Duals| of ``constraint`` at ``index`` (0 where a row was skipped or no duals exist)."""
    out = np.zeros(len(index))
    if result.row_dual.size == 0:
        return out
    position = {k: i for i, k in enumerate(index)}
    for idx, con in constraint.items():
        key = idx if isinstance(idx, tuple) else (idx,)
        row = result.row.get(id(con))
        if row is not None and key in position:
            out[position[key]] = abs(result.row_dual[row])
    return out


def limit_duals(
    m: pyo.ConcreteModel, params: xr.Dataset, result: SolveResult, money: xr.DataArray
) -> dict[str, xr.DataArray]:
    """The duals of every limit that can cut demand, in each year's money (positive).

    Parameters
    ----------
    m
        The solved model.
    params
        Its parameter Dataset.
    result
        The solve (row duals).
    money
        Discount factor x years each model year stands for, by year.

    Returns
    -------
    dict
        :data:`LIMIT_VARIABLES` (those the model has) as DataArrays with units.
    """
    years, regions = list(m.YEAR), list(m.REGION)
    discount = params["discount_factor_ratio"]
    out: dict[str, xr.DataArray] = {}
    index = [(y,) for y in years]
    it = xr.DataArray(_duals(m.it_build_limit, result, index), dims=("year",), coords={"year": years})
    out["it_build_limit_dual_usd_per_kw"] = it / discount

    techs, parts = [], []
    for prefix, tech_set in (("supply", "GEN"), ("storage", "STO")):
        names = list(getattr(m, tech_set, []))
        limit = getattr(m, f"{prefix}_build_limit", None)
        if not names or limit is None:
            continue
        values = _duals(limit, result, [(y, s) for y in years for s in names])
        parts.append(values.reshape(len(years), len(names)))
        techs += names
    if techs:
        out["supply_build_limit_dual_usd_per_kw"] = (
            xr.DataArray(
                np.concatenate(parts, axis=1),
                dims=("year", "tech"),
                coords={"year": years, "tech": techs},
            )
            / discount
        )

    yr = [(y, r) for y in years for r in regions]
    coords = {"year": years, "region": regions}

    def by_region(constraint: Any) -> xr.DataArray:
        values = _duals(constraint, result, yr).reshape(len(years), len(regions))
        return xr.DataArray(values, dims=("year", "region"), coords=coords)

    remaining = money.isel(year=slice(None, None, -1)).cumsum("year").isel(year=slice(None, None, -1))
    out["grid_connection_limit_dual_usd_per_kw_yr"] = by_region(m.grid_connection_limit) / remaining
    out["grid_connection_ceiling_dual_usd_per_kw_yr"] = by_region(m.grid_connection_ceiling) / money
    am, sol = m.arrays, result.arrays
    if sol is not None and "emissions_cap" in am.constraints:
        cap = abs(am.duals("emissions_cap", sol)).fillna(0.0)
        out["emissions_cap_dual_usd_per_tco2"] = cap.reindex(year=years, fill_value=0.0) / money
    for name, da in out.items():
        units, long_name = LIMIT_VARIABLES[name]
        out[name] = da.where(da >= BINDING_TOLERANCE, 0.0).assign_attrs(
            units=units, long_name=long_name
        )
    return out
