"""Stage 3, the parameters: a scenario + the input tables in, one ``xarray.Dataset`` out.

Every number the LP uses passes through :func:`build_params`, by year, region, tech,
workload and timeslice, with its units (``docs/contracts.md``, "params/").
"""

from energymodel._moved import moved_attributes
from energymodel.params.build import UNITS, build_params, trajectory, year_weights

__all__ = ["UNITS", "build_params", "trajectory", "year_weights"]

__getattr__ = moved_attributes(
    __name__, {"HOURS_PER_YEAR": "energymodel.units", "TWH_PER_GW_YEAR": "energymodel.units"}
)
