"""energymodel: least-cost buildout of AI data centres and the power that feeds them.

The public surface (kept stable)::

    import energymodel as em
    sc = em.load_scenario("scenarios/baseline.yaml")
    params = em.build_params(sc)   # xarray.Dataset of every LP parameter
    res = em.solve(params)         # xarray.Dataset: buildout, energy, costs, duals
    out = em.economics.evaluate(res, params)
    res = em.run(sc)               # all of the above in one call
    em.compare.open_results("results")

The sub-packages follow the data flow (``docs/architecture.md``): ``data`` and
``scenario`` -> ``params`` -> ``model`` -> ``solve`` -> ``results`` -> ``economics`` ->
``compare`` -> ``report`` -> ``batch``; a module imports only from its own stage or an
earlier one.
"""

from importlib.metadata import PackageNotFoundError, version

from energymodel import _moved

try:
    __version__ = version("energymodel")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.3.0.dev1"  # as in pyproject.toml

_moved.install()

# Imported after the submodule `energymodel.solve`, so `em.solve` is the function.
from energymodel import compare, economics
from energymodel.api import run, solve
from energymodel.params import build_params
from energymodel.scenario import ScenarioError, load_scenario

__all__ = [
    "ScenarioError",
    "__version__",
    "build_params",
    "compare",
    "economics",
    "load_scenario",
    "run",
    "solve",
]
