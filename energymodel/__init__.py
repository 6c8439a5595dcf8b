"""energymodel: least-cost buildout of AI data centres and the power that feeds them.

The public surface (kept stable)::

    import energymodel as em
    sc = em.load_scenario("scenarios/baseline.yaml")
    res = em.run(sc)   # xarray.Dataset: buildout, energy, costs, duals, token economics
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("energymodel")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0"

__all__ = ["__version__"]
