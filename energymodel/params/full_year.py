"""What the full-year check dispatches: its model years, and the scenario's parameters
over the 8,760 hours of the year (``time.check``; ``docs/time.md``)."""

from __future__ import annotations

import time
from typing import Any

import xarray as xr

from energymodel.params.build import build_params
from energymodel.scenario.schema import Scenario


def checked_years(sc: Scenario, years: Any) -> list[int]:
    """The model years the full-year check dispatches (``time.check_years``)."""
    years = [int(y) for y in years]
    return years[-1:] if sc.time.check_years == "last" else years


def full_year_params(sc: Scenario) -> xr.Dataset:
    """The parameters of ``sc`` over the full year, as the check dispatches them: alike in
    every refinement round (no critical days), so built once a run (``params_time_s``)."""
    start = time.perf_counter()
    days = {"representative_days": 365, "resolution": "full_year", "extreme_days": "off"}
    time_full = sc.time.model_copy(update=days | {"link_storage": True, "critical_days": ()})
    full = build_params(sc.model_copy(update={"time": time_full})).assign(dispatch_check_flag=1.0)
    return full.assign_attrs(params_time_s=time.perf_counter() - start)
