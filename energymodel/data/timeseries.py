"""Hourly profiles for one year -> representative days (tsam) with weights in hours."""

from __future__ import annotations

import hashlib
import logging
import threading
from collections import OrderedDict
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from energymodel.units import DAYS_PER_YEAR, HOURS_PER_DAY

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Timeslices:
    """Representative days, hour by hour.

    ``profiles`` has one row per timeslice (``day * 24 + hour``) and the input columns;
    ``weight_h`` is how many hours of the year each timeslice stands for (they sum to
    8,760); ``day`` and ``hour`` locate each timeslice.
    """

    profiles: pd.DataFrame
    weight_h: np.ndarray
    day: np.ndarray
    hour: np.ndarray


# Runs of a sweep or an uncertainty analysis share their hourly profiles and number of
# days: the clustering (~0.25 s) is done once per process and reused.
_CACHE: OrderedDict[bytes, Timeslices] = OrderedDict()
_CACHE_SIZE = 4
_LOCK = threading.Lock()  # Dask workers may run several scenarios in threads


def representative_days(hourly: pd.DataFrame, n_days: int, ratio_columns: list[str]) -> Timeslices:
    """Reduce a year of hourly profiles to ``n_days`` representative days.

    Clustering is tsam's hierarchical clustering with medoid days, on all columns at once
    so that the days are the same calendar days for every region; each column's yearly
    mean is preserved. ``ratio_columns`` (shapes with mean 1) are renormalised to a
    weighted mean of exactly 1 afterwards. With 365 days or more the year is kept whole.
    The same profiles and days give the same result from a per-process cache.
    """
    digest = hashlib.blake2b(digest_size=16)
    digest.update(repr((n_days, list(hourly.columns), sorted(ratio_columns))).encode())
    digest.update(np.ascontiguousarray(hourly.to_numpy(dtype=float)).tobytes())
    key = digest.digest()
    with _LOCK:
        cached = _CACHE.get(key)
    if cached is None:
        cached = _representative_days(hourly, n_days, ratio_columns)
    with _LOCK:
        _CACHE[key] = cached
        _CACHE.move_to_end(key)
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return replace(cached, profiles=cached.profiles.copy(), weight_h=cached.weight_h.copy())


def _representative_days(hourly: pd.DataFrame, n_days: int, ratio_columns: list[str]) -> Timeslices:
    if len(hourly) != DAYS_PER_YEAR * HOURS_PER_DAY:
        raise ValueError(f"hourly profiles need 8760 rows, got {len(hourly)}")
    if n_days >= DAYS_PER_YEAR:
        profiles = hourly.reset_index(drop=True)
        counts = np.ones(DAYS_PER_YEAR)
    else:
        import tsam  # heavy (scikit-learn): only when days are clustered

        indexed = hourly.copy()
        indexed.index = pd.date_range("2025-01-01", periods=len(hourly), freq="h")
        result = tsam.aggregate(indexed, n_days, period_duration=HOURS_PER_DAY)
        profiles = result.cluster_representatives.reset_index(drop=True)[list(hourly.columns)]
        counts = np.array([result.cluster_counts[d] for d in range(n_days)], dtype=float)
        n_days = len(counts)
    day = np.repeat(np.arange(len(counts)), HOURS_PER_DAY)
    hour = np.tile(np.arange(HOURS_PER_DAY), len(counts))
    weight_h = counts[day]
    profiles = profiles.clip(lower=0.0)
    shares = [c for c in profiles.columns if c not in ratio_columns]
    profiles[shares] = profiles[shares].clip(upper=1.0)  # availabilities stay within 0..1
    for col in ratio_columns:
        mean = float(np.average(profiles[col], weights=weight_h))
        if mean > 0:
            profiles[col] = profiles[col] / mean
    logger.debug("%d representative days, weights %s", len(counts), counts)
    return Timeslices(profiles=profiles, weight_h=weight_h, day=day, hour=hour)
