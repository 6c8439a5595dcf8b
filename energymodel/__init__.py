"""energymodel: least-cost buildout of AI data centres and the power that feeds them.

The public surface (kept stable)::

    import energymodel as em
    sc = em.load_scenario("scenarios/baseline.yaml")
    params = em.build_params(sc)   # xarray.Dataset of every LP parameter
    res = em.solve(params)         # xarray.Dataset: buildout, energy, costs, duals
    out = em.economics.evaluate(res, params)
    res = em.run(sc)               # all of the above in one call

Names are imported on first use, so ``import energymodel`` stays quick (worker processes
and ``--help`` do not pay for Pyomo until they solve).
"""

from __future__ import annotations

import importlib
from importlib.metadata import PackageNotFoundError, version
from typing import Any

try:
    __version__ = version("energymodel")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0"

_LAZY = {
    "run": "energymodel.api",
    "solve": "energymodel.api",
    "build_params": "energymodel.params",
    "load_scenario": "energymodel.scenario",
    "ScenarioError": "energymodel.scenario",
}
_SUBMODULES = {"economics", "scenario", "params", "results", "compare", "report", "batch"}

__all__ = [
    "ScenarioError",
    "__version__",
    "build_params",
    "economics",
    "load_scenario",
    "run",
    "solve",
]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    if name in _SUBMODULES:
        return importlib.import_module(f"energymodel.{name}")
    raise AttributeError(f"module 'energymodel' has no attribute {name!r}")
