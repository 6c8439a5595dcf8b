"""Parameters of how a campus connects: nameplate contracts, islanding, flexible
connections (``model/connection.py``, ``model/flexible.py``)."""

from __future__ import annotations

from typing import Any

import numpy as np

from energymodel.scenario.schema import Scenario


def connection_params(sc: Scenario, regions: list[str]) -> dict[str, Any]:
    """The scenario's connection settings as LP parameters.

    ``islanded_redundancy_frac`` is NaN where islanding is not allowed; a single
    ``grid.flexible_connection_frac`` holds in every region (the LP uses it in ``system``
    regions only).
    """
    g = sc.grid
    share = g.flexible_connection_frac
    return {
        "connection_on_nameplate_flag": float(g.connection_basis == "nameplate"),
        "islanded_redundancy_frac": (
            sc.supply.islanded_redundancy_frac if g.islanding else float("nan")
        ),
        "flexible_connection_frac": (
            ("region",),
            np.array(
                [share.get(r, 0.0) if isinstance(share, dict) else share for r in regions], float
            ),
        ),
        "curtailment_budget_frac": g.curtailment_budget_frac,
    }
