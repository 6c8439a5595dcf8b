"""One scenario end to end: params -> model -> solve -> results -> economics."""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import xarray as xr

from energymodel import economics
from energymodel.model import build_model
from energymodel.params.build import build_params
from energymodel.results import flag_nonfinite, to_dataset
from energymodel.scenario.load import load_scenario
from energymodel.scenario.schema import Scenario, SolverConfig
from energymodel.solve import solve_model

logger = logging.getLogger(__name__)


def solve(params: xr.Dataset, solver: SolverConfig | None = None) -> xr.Dataset:
    """Build the LP from a parameter Dataset, solve it, and return the results Dataset.

    A scenario that cannot be solved still returns a Dataset: its attributes say why
    (``termination``, ``diagnosis``) and it holds no primal values.
    """
    start = time.perf_counter()
    m = build_model(params)
    build_time_s = time.perf_counter() - start
    result = solve_model(m, solver, foresight=str(params.attrs.get("foresight", "perfect")))
    start = time.perf_counter()
    ds = to_dataset(m, params, result)
    extract_time_s = time.perf_counter() - start
    return ds.assign_attrs(
        build_time_s=build_time_s,
        extract_time_s=extract_time_s,
        foresight=str(params.attrs.get("foresight", "perfect")),
    )


def run(sc: Scenario | str | Path | Mapping[str, Any]) -> xr.Dataset:
    """Run one scenario and return its results with token economics.

    ``sc`` is a loaded :class:`Scenario`, or anything :func:`load_scenario` accepts (a
    path, a scenario name, a dict).
    """
    if not isinstance(sc, Scenario):
        sc = load_scenario(sc)
    start = time.perf_counter()
    params = build_params(sc)
    params_time_s = time.perf_counter() - start
    res = solve(params, sc.solver).assign_attrs(params_time_s=params_time_s)
    if not res.attrs["optimal"]:
        advice = res.attrs.get("advice") or res.attrs["diagnosis"]
        logger.warning("%s: %s%s", sc.name, res.attrs["termination"], f": {advice}" * bool(advice))
        if res.attrs.get("violations"):
            logger.info("%s: limits that must give: %s", sc.name, res.attrs["violations"])
        return res
    out = flag_nonfinite(economics.evaluate(res, params))
    if not out.attrs["optimal"]:
        logger.warning("%s: %s: %s", sc.name, out.attrs["termination"], out.attrs["advice"])
    elif out.attrs.get("shed_warning"):  # optimal, but not all demand served: say why
        logger.warning("%s: %s", sc.name, out.attrs["shed_warning"])
    return out
