"""Headroom for flexible load on each region's measured hourly load (the Duke method).

Norris, Profeta, Patino-Echeverri & Cowie-Haskell (2025), "Rethinking Load Growth:
Assessing the Potential for Integration of Large Flexible Loads in US Power Systems",
Nicholas Institute, Duke University: add a constant new load :math:`L` to a system's
hourly load; wherever load + :math:`L` exceeds the system's peak (the planning threshold),
curtail the excess. The headroom at a curtailment budget :math:`b` is the largest
:math:`L` whose curtailed energy is at most :math:`b \\times L \\times 8760` h.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import xarray as xr

BISECTION_STEPS = 60  # halves the bracket to far below 1 MW


@dataclass(frozen=True)
class Headroom:
    """The headroom of one system at one budget, and the curtailment it implies."""

    headroom_gw: float
    curtailed_hours_h: float  # hours with any curtailment
    events: int  # runs of consecutive curtailed hours
    event_mean_h: float
    event_max_h: float


def _curtailed_gw(load_gw: np.ndarray, added_gw: float, threshold_gw: float) -> np.ndarray:
    return np.clip(load_gw + added_gw - threshold_gw, 0.0, None)


def headroom(load_gw: np.ndarray, budget_frac: float) -> Headroom:
    """The largest constant load a system absorbs within a curtailment budget.

    Parameters
    ----------
    load_gw
        The system's load in each hour of a year, in chronological order (GW).
    budget_frac
        Curtailed energy allowed, as a share of the new load's full-load energy
        (0.005 for Duke's 0.5%).

    Returns
    -------
    Headroom
        The headroom (GW) and the hours, number and lengths of curtailment events at it.
        The curtailed energy less the budget is convex in the added load and negative just
        above zero, so its largest root is found by bisection.
    """
    load = np.asarray(load_gw, float)
    threshold = float(load.max())
    hours = load.size

    def over_budget(added: float) -> bool:
        return float(_curtailed_gw(load, added, threshold).sum()) > budget_frac * added * hours

    low, high = 0.0, threshold  # a load the size of the peak needs far more than 20%
    for _ in range(BISECTION_STEPS):
        mid = 0.5 * (low + high)
        low, high = (low, mid) if over_budget(mid) else (mid, high)
    curtailed = _curtailed_gw(load, low, threshold) > 1e-9
    edges = np.diff(np.concatenate([[0], curtailed.astype(int), [0]]))
    lengths = np.flatnonzero(edges == -1) - np.flatnonzero(edges == 1)
    return Headroom(
        headroom_gw=low,
        curtailed_hours_h=float(curtailed.sum()),
        events=int(lengths.size),
        event_mean_h=float(lengths.mean()) if lengths.size else 0.0,
        event_max_h=float(lengths.max()) if lengths.size else 0.0,
    )


HEADROOM_FIELDS = {
    "headroom_gw": "headroom_gw",
    "headroom_curtailed_hours_h": "curtailed_hours_h",
    "headroom_events": "events",
    "headroom_event_mean_h": "event_mean_h",
    "headroom_event_max_h": "event_max_h",
}
"""Parameter name -> field of :class:`Headroom`."""


def headroom_params(
    budgets_frac: list[float],
    regions: list[str],
    system: np.ndarray,
    mean_gw: np.ndarray,
    hourly: dict[str, np.ndarray],
) -> dict[str, xr.DataArray]:
    """Headroom by region and curtailment budget on the first model year's other load.

    ``hourly`` holds the measured year of each system region's other load (any unit;
    its shape is scaled to the region's mean other load ``mean_gw``). NaN where a region
    is not a ``system`` region. Empty without budgets.
    """
    if not budgets_frac:
        return {}
    out = {name: np.full((len(regions), len(budgets_frac)), np.nan) for name in HEADROOM_FIELDS}
    for i, r in enumerate(regions):
        if not system[i]:
            continue
        shape = np.asarray(hourly[r], float)
        load = shape / shape.mean() * mean_gw[i]
        for j, budget in enumerate(budgets_frac):
            found = headroom(load, budget)
            for name, field in HEADROOM_FIELDS.items():
                out[name][i, j] = getattr(found, field)
    coords = {"region": regions, "curtailment_budget": list(budgets_frac)}
    return {
        name: xr.DataArray(values, dims=("region", "curtailment_budget"), coords=coords)
        for name, values in out.items()
    }


TIGHTEST_DAYS_PER_REGION = 3
"""At most this many of a region's highest-load days join the representative days."""


def tightest_days(
    hourly: dict[str, np.ndarray], budget_frac: float, most: int = TIGHTEST_DAYS_PER_REGION
) -> list[int]:
    """Days of the year (0-based) that hold each system's tightest hours.

    A flexible connection is curtailed in the hours of highest other load, and the
    representative days rarely hold them (they are chosen for the data centres' profiles).
    The hours a curtailment budget spans (``budget_frac`` x 8,760, at full depth) are
    found on each measured year in ``hourly`` (region -> 8,760 values); the days that hold
    them, highest load first, at most ``most`` per region, are returned sorted.
    """
    days: set[int] = set()
    for load in hourly.values():
        load = np.asarray(load, float)
        n_hours = max(1, int(np.ceil(budget_frac * load.size)))
        region_days: list[int] = []
        for hour in np.argsort(load)[::-1][:n_hours]:
            day = int(hour) // 24
            if day not in region_days:
                region_days.append(day)
            if len(region_days) == most:
                break
        days.update(region_days)
    return sorted(days)
