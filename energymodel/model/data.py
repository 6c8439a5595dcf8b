"""A Pyomo-friendly view of the parameter Dataset, shared by every constraint family."""

from __future__ import annotations

from functools import cached_property
from typing import Any

import numpy as np
import xarray as xr


class ModelData:
    """A Pyomo-friendly view of the parameter Dataset: plain dicts, built once.

    Pyomo never sees xarray: ``.sel()`` inside a rule is slow, a dict look-up is not.
    """

    def __init__(self, params: xr.Dataset) -> None:
        self.ds = params
        self._cache: dict[str, Any] = {}

    def coords(self, dim: str) -> list[Any]:
        """Coordinate labels of ``dim`` as plain Python values."""
        return [v.item() if hasattr(v, "item") else v for v in self.ds[dim].to_numpy()]

    def param(self, name: str) -> Any:
        """``{index: value}`` for an array, or a float for a scalar; NaN kept."""
        if name not in self._cache:
            da = self.ds[name]
            if da.ndim == 0:
                self._cache[name] = float(da)
            else:
                series = da.to_series()
                keys = (
                    [tuple(_plain(k) for k in idx) for idx in series.index]
                    if da.ndim > 1
                    else [_plain(k) for k in series.index]
                )
                self._cache[name] = dict(zip(keys, series.to_numpy(dtype=float), strict=True))
        return self._cache[name]

    def has(self, name: str) -> bool:
        """Whether the Dataset holds ``name`` with at least one finite value."""
        return name in self.ds and bool(np.isfinite(self.ds[name].to_numpy()).any())

    @cached_property
    def years(self) -> list[int]:
        return [int(y) for y in self.coords("year")]

    @cached_property
    def weight(self) -> dict[int, float]:
        """Calendar years each model year stands for."""
        return self.param("year_weight_yr")

    @cached_property
    def discount(self) -> dict[int, float]:
        return self.param("discount_factor_ratio")

    @cached_property
    def wacc(self) -> float:
        return float(self.ds["wacc_frac"])

    @cached_property
    def timeslice_hours(self) -> dict[int, float]:
        return self.param("timeslice_weight_h")

    @cached_property
    def day_of(self) -> dict[int, int]:
        return {
            int(t): int(d)
            for t, d in zip(self.ds.timeslice.values, self.ds.timeslice_day.values, strict=True)
        }

    @cached_property
    def previous_in_day(self) -> dict[int, int]:
        """The timeslice before ``t`` in its representative day, wrapping around (cyclic)."""
        by_day: dict[int, list[int]] = {}
        for t, d in self.day_of.items():
            by_day.setdefault(d, []).append(t)
        prev = {}
        for slices in by_day.values():
            for i, t in enumerate(slices):
                prev[t] = slices[i - 1]
        return prev

    def alive(self, life_yr: float) -> dict[int, list[int]]:
        """For each model year, the build years (vintages) still inside ``life_yr``."""
        return {y: [v for v in self.years if v <= y < v + life_yr] for y in self.years}


def _plain(value: Any) -> Any:
    return value.item() if hasattr(value, "item") else value
