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
from energymodel.results.counterfactual import counterfactual_params, with_counterfactual
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


CLEAN_SHARE_ROUNDS = 2
"""Solves that make a system grid's hourly clean share consistent with clean matching
(Riepin & Brown iterate twice): the first on the measured share, then on the dispatch's."""


def _consistent_clean_share(
    res: xr.Dataset, params: xr.Dataset, sc: Scenario
) -> tuple[xr.Dataset, xr.Dataset]:
    """Re-solve a run that matches clean energy on a ``system`` grid with that grid's
    hourly clean share from its own dispatch (the LP takes the share as a number).

    Runs without a clean-share policy or a ``system`` region are returned as they are.
    """
    matching = any(
        bool(params[k].notnull().any())
        for k in ("annual_clean_share_frac", "hourly_clean_share_frac")
    )
    if not (matching and "grid_clean_share_frac" in res and res.attrs["optimal"]):
        return res, params
    system = params["system_region_frac"] > 0
    for rounds in range(2, CLEAN_SHARE_ROUNDS + 1):
        share = res["grid_clean_share_frac"].transpose(*params["grid_clean_frac"].dims)
        params = params.copy()
        params["grid_clean_frac"] = share.where(system, params["grid_clean_frac"])
        res = solve(params, sc.solver).assign_attrs(grid_clean_share_rounds=rounds)
        if not res.attrs["optimal"]:
            break
    return res, params


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
    res, params = _consistent_clean_share(res, params, sc)
    if not res.attrs["optimal"]:
        advice = res.attrs.get("advice") or res.attrs["diagnosis"]
        logger.warning("%s: %s%s", sc.name, res.attrs["termination"], f": {advice}" * bool(advice))
        if res.attrs.get("violations"):
            logger.info("%s: limits that must give: %s", sc.name, res.attrs["violations"])
        return res
    if params.attrs.get("grid_counterfactual") and "system_region_frac" in params:
        cf_params = counterfactual_params(params)
        cf = solve(cf_params, sc.solver)
        if cf.attrs["optimal"]:
            res = with_counterfactual(res, cf)
        else:
            logger.warning(
                "%s: the counterfactual without new data-centre load did not solve (%s); "
                "no other-consumer figures",
                sc.name,
                cf.attrs["termination"],
            )
    out = flag_nonfinite(economics.evaluate(res, params, sc))
    if not out.attrs["optimal"]:
        logger.warning("%s: %s: %s", sc.name, out.attrs["termination"], out.attrs["advice"])
    elif out.attrs.get("shed_warning"):  # optimal, but not all demand served: say why
        logger.warning("%s: %s", sc.name, out.attrs["shed_warning"])
    return out
