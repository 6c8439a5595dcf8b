"""The full-year check's figures in the summary (issue 25; ``docs/time.md``)."""

from __future__ import annotations

import xarray as xr


def checked_total(ds: xr.Dataset, name: str) -> xr.DataArray | None:
    """A full-year check figure summed over regions; NaN in the years not checked."""
    if name not in ds:
        return None
    da = ds[name]
    checked = da.notnull().any("region")
    total = da.sum([d for d in da.dims if d not in ("scenario", "year")], min_count=1)
    return total.where(checked)


def largest_gap(ds: xr.Dataset) -> xr.DataArray | None:
    """The full-year check's gap of largest size over regions, with its sign."""
    if "time_check_gap_frac" not in ds:
        return None
    gap = ds["time_check_gap_frac"]
    size = abs(gap).max("region", skipna=True)
    return xr.where(gap.max("region", skipna=True) >= size, size, -size).where(size.notnull())
