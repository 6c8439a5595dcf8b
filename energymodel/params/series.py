"""Year trajectories and year weights, shared by the parameter builders."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np


def trajectory(value: float | Mapping[int, float] | None, years: list[int]) -> np.ndarray:
    """A year trajectory on ``years``: linear between given years, flat outside them.

    ``None`` gives NaN (no value set), a number gives that number in every year.
    """
    if value is None:
        return np.full(len(years), np.nan)
    if not isinstance(value, Mapping):
        return np.full(len(years), float(value))
    given = sorted((int(y), float(v)) for y, v in value.items())
    xs, ys = zip(*given, strict=True)
    return np.interp(years, xs, ys)


def year_weights(years: list[int]) -> np.ndarray:
    """Calendar years each model year stands for: the gap to the next one; the last is 1."""
    gaps = np.diff(years)
    return np.append(gaps, 1).astype(float)
