"""World-wide limits apportioned to the regions a scenario models.

Some limits in the inputs and the schema are world-wide: the accelerator supply chain
(``hardware.max_build_gw_per_yr``, ``hardware.csv``), the build limit of each power
technology (``supply.max_build_gw_per_yr``, ``technologies.csv``) and the emissions cap
(``policy.emissions_cap_mtco2``). A scenario that models only some regions (a US-only
study) gets the share of each that its regions would take of the world: their share of
world demand in the scenario's demand trajectory of ``inputs/demand.csv``, by year.

.. math:: s_y = \\sum_{r \\in R} D_{y,r} \\Big/ \\sum_{r \\in R^{world}} D_{y,r}

where :math:`D` is the trajectory's demand (as tabulated, before the scenario's scale
factors) and :math:`R^{world}` every region the trajectory has. Modelling every region
of the trajectory gives :math:`s = 1`: the limits apply as given.
"""

from __future__ import annotations

import logging

import numpy as np

from energymodel.data.tables import Inputs
from energymodel.params.series import trajectory
from energymodel.scenario.schema import Scenario

logger = logging.getLogger(__name__)

WORLD_LIMITS = ("it_max_build_gw_per_yr", "max_build_gw_per_yr", "emissions_cap_mtco2")
"""Parameters that hold a world-wide limit (year first), scaled by :func:`world_share`."""


def world_share(sc: Scenario, inputs: Inputs, years: list[int]) -> np.ndarray:
    """The modelled regions' share of world demand, by year (1 when all are modelled).

    Parameters
    ----------
    sc
        The scenario: its regions and ``demand.trajectory``.
    inputs
        The input tables (``demand.csv``).
    years
        Model years.

    Returns
    -------
    numpy.ndarray
        One share per year in (0, 1]; 1 where the trajectory has no demand that year.
    """
    rows = inputs.demand[inputs.demand["trajectory"] == sc.demand.trajectory]
    world = sorted(set(rows["region"]))
    if not world or set(world) <= set(sc.regions):
        return np.ones(len(years))

    def total(regions: list[str]) -> np.ndarray:
        out = np.zeros(len(years))
        for r in regions:
            g = rows[rows["region"] == r]
            if len(g):
                out += trajectory(dict(zip(g["year"], g["value"], strict=True)), years)
        return out

    modelled, everywhere = total([r for r in sc.regions if r in world]), total(world)
    share = np.where(everywhere > 0, modelled / np.where(everywhere > 0, everywhere, 1.0), 1.0)
    return np.clip(share, 0.0, 1.0)


def describe(sc: Scenario, years: list[int], share: np.ndarray) -> str:
    """One line saying how the world-wide limits were apportioned ("" when not at all)."""
    if np.allclose(share, 1.0):
        return ""
    values = ", ".join(f"{y}: {s:.3g}" for y, s in zip(years, share, strict=True))
    return (
        f"world-wide limits (hardware.max_build_gw_per_yr, supply.max_build_gw_per_yr, "
        f"policy.emissions_cap_mtco2) apportioned to {', '.join(sc.regions)} by their share "
        f"of world demand in demand trajectory {sc.demand.trajectory!r} ({values})"
    )


def apportion(data: dict, share: np.ndarray) -> None:
    """Scale the :data:`WORLD_LIMITS` in ``data`` (``name -> (dims, values)``) in place."""
    for name in WORLD_LIMITS:
        dims, values = data[name]
        values = np.asarray(values, dtype=float)
        data[name] = (dims, values * share.reshape((-1,) + (1,) * (values.ndim - 1)))
