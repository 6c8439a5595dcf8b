"""Annuities and discounting, shared by the LP (floats) and economics (DataArrays)."""

from __future__ import annotations

from typing import Any, overload

import numpy as np
import xarray as xr


def _crf(rate: Any, life_yr: Any) -> Any:
    r = np.asarray(rate, dtype=float)
    n = np.asarray(life_yr, dtype=float)
    growth = (1.0 + r) ** n
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(r == 0, 1.0 / n, r * growth / (growth - 1.0))


@overload
def capital_recovery_factor(rate: float, life_yr: float) -> float: ...
@overload
def capital_recovery_factor(rate: float | xr.DataArray, life_yr: xr.DataArray) -> xr.DataArray: ...
@overload
def capital_recovery_factor(rate: xr.DataArray, life_yr: float | xr.DataArray) -> xr.DataArray: ...
def capital_recovery_factor(rate: Any, life_yr: Any) -> Any:
    r"""Return the annuity that repays 1 of capex evenly over an asset's life.

    .. math::
        \mathrm{CRF}(r, n) = \frac{r (1+r)^n}{(1+r)^n - 1}, \qquad
        \mathrm{CRF}(0, n) = 1/n

    E.g. CRF(10%, 5 yr) = 0.263797. Floats give a float; a DataArray in gives a DataArray
    (no warning where the rate is 0).
    """
    if isinstance(rate, xr.DataArray) or isinstance(life_yr, xr.DataArray):
        return xr.apply_ufunc(_crf, rate, life_yr)
    return float(_crf(rate, life_yr))
