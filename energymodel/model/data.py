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
    def checking(self) -> bool:
        """The full-year dispatch check (``dispatch_check_flag``, ``model/check.py``): every
        yearly decision fixed, load may go unserved, yearly limits reported."""
        return self.has("dispatch_check_flag") and bool(float(self.ds["dispatch_check_flag"]))

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

    # --- the same, as arrays, for the families built in bulk (model/arrays.py) ----------

    def coords_of(self, *dims: str, **subsets: list[Any]) -> dict[str, list[Any]]:
        """``{dim: labels}`` for ``dims``; ``subsets`` replaces a dim's labels (``tech=``)."""
        return {d: subsets[d] if d in subsets else self.coords(d) for d in dims}

    def array(self, name: str, **subsets: list[Any]) -> xr.DataArray:
        """Parameter ``name`` as a DataArray, restricted to ``subsets`` (e.g. ``tech=gens``)."""
        da = self.ds[name].reset_coords(drop=True)  # dim coordinates only
        picks = {d: v for d, v in subsets.items() if d in da.dims}
        da = da.sel(picks) if picks else da
        return da.copy(data=da.data).drop_attrs()  # no units to copy along every operation

    def alive_matrix(self, life_yr: float | xr.DataArray) -> xr.DataArray:
        """1 where a build of year ``vintage`` is alive in ``year`` (``v <= y < v + life``).

        ``life_yr`` may carry dims (e.g. ``tech``), which the result keeps.
        """
        years = np.asarray(self.years)
        year = xr.DataArray(years, dims="year", coords={"year": years})
        vintage = xr.DataArray(years, dims="vintage", coords={"vintage": years})
        return ((vintage <= year) & (year < vintage + life_yr)).astype(float)

    @cached_property
    def hours(self) -> xr.DataArray:
        """Hours of the year each timeslice stands for (DataArray on ``timeslice``)."""
        return self.ds["timeslice_weight_h"]

    @cached_property
    def day_split(self) -> dict[str, list[int]]:
        """``{"day": ..., "hour": ...}``: timeslices as representative day x hour (row-major)."""
        days = sorted(set(self.day_of.values()))
        per_day = len(self.day_of) // len(days)
        return {"day": days, "hour": list(range(per_day))}

    @cached_property
    def previous_index(self) -> np.ndarray:
        """For each timeslice position, the position of the hour before it in its day."""
        position = {t: i for i, t in enumerate(self.coords("timeslice"))}
        return np.array([position[self.previous_in_day[t]] for t in self.coords("timeslice")])


def _plain(value: Any) -> Any:
    return value.item() if hasattr(value, "item") else value
