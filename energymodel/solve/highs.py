"""HiGHS itself: loading highspy, its options, running an LP, reading its status."""

from __future__ import annotations

import logging
from typing import Any

import numpy as np
import scipy.sparse as sp

from energymodel.scenario.options import hipo_available
from energymodel.scenario.schema import SolverConfig

try:
    import highspy
except ImportError:  # reported when a solve is asked for, not at import
    highspy = None  # type: ignore[assignment]

logger = logging.getLogger(__name__)

# HiGHS model status names -> our termination names
TERMINATION = {
    "kOptimal": "optimal",
    "kInfeasible": "infeasible",
    "kUnboundedOrInfeasible": "infeasibleOrUnbounded",
    "kUnbounded": "unbounded",
    "kTimeLimit": "maxTimeLimit",
    "kIterationLimit": "maxIterations",
    "kModelEmpty": "empty",
}
INFEASIBLE = {"infeasible", "infeasibleOrUnbounded"}


class SolverUnavailableError(RuntimeError):
    """HiGHS (the ``highspy`` package) cannot be loaded."""


def require_highs() -> None:
    if highspy is None:
        raise SolverUnavailableError(
            "HiGHS is not available: install the highspy package "
            "(`make test` or `pip install -r requirements.lock` does)"
        )


def highs_version() -> str:
    """The HiGHS version, e.g. ``1.15.1``."""
    require_highs()
    h = highspy.Highs()
    return f"{h.versionMajor()}.{h.versionMinor()}.{h.versionPatch()}"


DUAL_PRICING = {"auto": -1, "choose": -1, "devex": 1, "steepest_edge": 2}
"""``solver.dual_pricing`` -> HiGHS's ``simplex_dual_edge_weight_strategy`` (``auto`` is
resolved per LP by :func:`resolve_pricing`; left unresolved, HiGHS chooses)."""


def resolve_pricing(cfg: SolverConfig, full_year_plan: bool) -> SolverConfig:
    """``cfg`` with ``dual_pricing: auto`` made concrete: ``devex`` for a plan that holds
    every hour of the year (``full_year_plan``), ``choose`` elsewhere (the option's
    docstring says why)."""
    if cfg.dual_pricing != "auto":
        return cfg
    return cfg.model_copy(update={"dual_pricing": "devex" if full_year_plan else "choose"})


def new_highs(cfg: SolverConfig) -> Any:
    """A HiGHS instance with the scenario's options, quiet.

    Raises
    ------
    SolverUnavailableError
        For ``method: hipo`` where HiPO cannot run (HiGHS would run simplex instead).
    """
    require_highs()
    if cfg.method == "hipo" and not hipo_available():
        raise SolverUnavailableError(
            "solver.method hipo needs the highspy-extras package, which is not installed: "
            "pip install highspy-extras, or choose ipm, ipx or simplex"
        )
    h = highspy.Highs()
    for option, value in {
        "output_flag": False,
        "time_limit": float(cfg.time_limit_s),
        "solver": cfg.method,
        "run_crossover": "on" if cfg.crossover else "off",
        "presolve": "on" if cfg.presolve else "off",
        "threads": cfg.threads,
        "primal_feasibility_tolerance": cfg.primal_feasibility_tolerance,
        "dual_feasibility_tolerance": cfg.dual_feasibility_tolerance,
        "simplex_dual_edge_weight_strategy": DUAL_PRICING[cfg.dual_pricing],
    }.items():
        h.setOptionValue(option, value)
    return h


def run_lp(lp: Any | None, cfg: SolverConfig) -> tuple[Any, str]:
    """Run HiGHS on ``lp`` (a ``HighsLp``; None: compiling found a row that cannot hold)."""
    h = new_highs(cfg)
    if lp is None:  # a row with no free variable left cannot hold
        return h, "infeasible"
    if lp.num_col_ == 0:
        return h, "empty"
    h.passModel(lp)
    h.run()
    return h, termination_of(h)


def termination_of(h: Any) -> str:
    """Our name for the model status HiGHS ended with."""
    status = h.getModelStatus()
    return TERMINATION.get(status.name, h.modelStatusToString(status))


def method_used(h: Any, cfg: SolverConfig, *, warm: bool = False) -> str:
    """The LP method HiGHS's last run used, from its iteration counts.

    ``simplex``, ``ipx``, ``hipo`` (an interior point; which one follows from the method
    asked and :func:`hipo_available`), ``pdlp``, or ``presolve`` when presolve alone
    solved the LP (no iterations). A warm start that needed no iteration is ``simplex``.
    """
    info = h.getInfo()
    if info.pdlp_iteration_count > 0:
        return "pdlp"
    if info.ipm_iteration_count > 0:
        hipo = cfg.method == "hipo" or (cfg.method == "ipm" and hipo_available())
        return "hipo" if hipo else "ipx"
    if info.simplex_iteration_count > 0 or warm:
        return "simplex"
    return "presolve"


def check_method(asked: str, used: str, name: str) -> None:
    """Warn when HiGHS did not use the method the scenario asked for."""
    fits = {"choose": None, "ipm": {"ipx", "hipo"}}.get(asked, {asked})
    if fits is not None and used not in fits and used != "presolve":
        logger.warning("%s: solver.method %s was asked for, but HiGHS used %s", name, asked, used)


def pass_lp(
    h: Any,
    a: sp.csc_matrix,
    cost: np.ndarray,
    col_lower: np.ndarray,
    col_upper: np.ndarray,
    row_lower: np.ndarray,
    row_upper: np.ndarray,
) -> None:
    """Hand ``h`` the LP minimising ``cost`` over ``row_lower <= a x <= row_upper`` and
    the column bounds (``a`` by columns) as arrays: a ``HighsLp``'s fields are copied
    element by element (31 ms against 3 ms for 250,000 nonzeros, measured). An LP HiGHS
    refuses leaves the model empty: its run then ends ``empty``, not optimal."""
    h.passModel(
        a.shape[1], a.shape[0], a.nnz,
        int(highspy.MatrixFormat.kColwise), int(highspy.ObjSense.kMinimize), 0.0,
        *(np.ascontiguousarray(v, dtype=float)
          for v in (cost, col_lower, col_upper, row_lower, row_upper)),
        a.indptr.astype(np.int32), a.indices.astype(np.int32),
        np.ascontiguousarray(a.data, dtype=float), np.zeros(a.shape[1], dtype=np.int32),
    )  # fmt: skip
