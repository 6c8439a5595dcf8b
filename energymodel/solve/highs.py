"""HiGHS itself: loading highspy, its options, running an LP, reading its status."""

from __future__ import annotations

import logging
from typing import Any

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


def new_highs(cfg: SolverConfig) -> Any:
    """A HiGHS instance with the scenario's options, quiet."""
    require_highs()
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
