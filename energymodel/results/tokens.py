"""Results of token demand and accelerator generations (read by :func:`to_dataset`)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pyomo.environ as pyo
import xarray as xr

TOKEN_VARIABLES: dict[str, tuple[str, str]] = {
    "demand_tokens_tn": (
        "trillion tokens",
        "inference tokens demanded at the reference price (the reference quantity)",
    ),
    "demand_response_tn": (
        "trillion tokens",
        "tokens bought beyond (+) or given up below (-) the reference by the price response",
    ),
    "consumer_value_musd": (
        "M$",
        (
            "buyers' value of the tokens beyond the reference less the value of those given "
            "up (the welfare term of the objective; 0 with fixed demand)"
        ),
    ),
    "accelerator_capacity_gw": ("GW", "IT capacity kept in service, by accelerator generation"),
    "accelerator_new_gw": ("GW", "IT capacity bought in the year, by accelerator generation"),
    "accelerator_retired_gw": (
        "GW",
        "IT capacity alive but retired early (its capital charge stays), by generation",
    ),
    "accelerator_inference_twh": ("TWh", "inference IT energy served, by accelerator generation"),
    "accelerator_training_twh": ("TWh", "training IT energy, by accelerator generation"),
}


def _values(component: Any, dims: tuple[str, ...], coords: dict[str, Any]) -> xr.DataArray:
    """A dense indexed Pyomo Var or Expression on ``dims`` (index in product order)."""
    shape = tuple(len(coords[d]) for d in dims)
    flat = np.fromiter(
        (
            (v.value if v.value is not None else np.nan)
            if component.ctype is pyo.Var
            else pyo.value(v)
            for v in component.values()
        ),
        float,
        count=len(component),
    )
    flat[np.abs(flat) < 1e-9] = 0.0  # solver round-off
    return xr.DataArray(flat.reshape(shape), dims=dims, coords={d: coords[d] for d in dims})


def token_results(
    m: pyo.ConcreteModel, params: xr.Dataset, value_by_region: xr.DataArray | None
) -> dict[str, xr.DataArray]:
    """Tokens demanded and the price response; the fleet by generation when there is one.

    ``value_by_region`` is the model's ``demand_response`` cost (M$, year and region) at
    the solution, None without elastic demand. Tokens of a reference TWh: the blended
    ``tokens_per_kwh`` / 1000 (trillion).
    """
    per_twh = (params["tokens_per_kwh"] * params["inference_mix_frac"]).sum("model_class") / 1e3
    demand = params["demand_tokens_tn"]
    out = {"demand_tokens_tn": demand}
    if "demand_step" in params.dims:
        coords = {d: params[d].values for d in ("year", "region", "demand_step")}
        steps = _values(m.demand_step_twh, ("year", "region", "demand_step"), coords)
        net = (steps * params["demand_step_direction"]).sum("demand_step")
        out["demand_response_tn"] = net * per_twh
        out["consumer_value_musd"] = -value_by_region if value_by_region is not None else net * 0
    else:
        out["demand_response_tn"] = xr.zeros_like(demand)
        out["consumer_value_musd"] = xr.zeros_like(demand)
    if "accelerator" in params.dims:
        dims = ("year", "region", "accelerator")
        coords = {d: params[d].values for d in dims}
        kept = _values(m.accelerator_capacity_gw, dims, coords)
        out["accelerator_capacity_gw"] = kept
        out["accelerator_new_gw"] = _values(m.accelerator_new_gw, dims, coords)
        retired = _values(m.accelerator_alive_gw, dims, coords) - kept
        out["accelerator_retired_gw"] = retired.where(retired > 1e-6, 0.0)
        out["accelerator_inference_twh"] = _values(m.accelerator_inference_twh, dims, coords)
        out["accelerator_training_twh"] = _values(m.accelerator_training_twh, dims, coords)
    return out
