"""Hourly profiles for one year -> representative days (tsam) with weights in hours."""

from __future__ import annotations

import hashlib
import logging
import threading
import warnings
from collections import OrderedDict
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from energymodel.data.manifest import HOURLY_PROFILES
from energymodel.units import DAYS_PER_YEAR, HOURS_PER_DAY

logger = logging.getLogger(__name__)


EXTREMES = ("off", "world", "each_region")
"""Which extreme days are appended to the representative days (``time.extreme_days``)."""
_HELPER = "_extreme_"  # prefix of the helper columns that locate extreme days


@dataclass(frozen=True)
class Timeslices:
    """Representative days, hour by hour, and the calendar days they stand for.

    ``profiles`` has one row per timeslice (``day * 24 + hour``) and the input columns;
    ``weight_h`` is how many hours of the year each timeslice stands for (they sum to
    8,760); ``day`` and ``hour`` locate each timeslice; ``day_of_year`` gives, for each
    calendar day of the year in order, the representative day that stands for it (the
    chronology that storage linked across days follows).
    """

    profiles: pd.DataFrame
    weight_h: np.ndarray
    day: np.ndarray
    hour: np.ndarray
    day_of_year: np.ndarray


def _helper_columns(
    hourly: pd.DataFrame, extremes: str, residual: pd.DataFrame | None
) -> tuple[pd.DataFrame, dict[str, list]]:
    """Columns that locate the extreme days, by tsam's criterion for each.

    ``world`` sums them over regions (one calm, dark day and one peak-load day for the
    system); ``each_region`` keeps them per region (two extreme days per region). The
    calm, dark day has the least wind and solar (``min_period``: the lowest daily mean).
    The peak-load day has the highest inference load (``max_period``), or where
    ``residual`` has the residual load of regions whose grid is run as a system (each
    over its peak), the hour in which those are highest together (``max_value``): the
    hour their adequacy turns on, which the inference load's flat shape does not find.
    """
    regions = sorted({c.split(":", 1)[1] for c in hourly.columns if ":" in c})
    groups = {"world": regions} if extremes == "world" else {r: [r] for r in regions}
    helpers: dict[str, pd.Series] = {}
    criteria: dict[str, list] = {"min_period": [], "max_period": [], "max_value": []}
    for name, members in groups.items():
        clean = [c for c in hourly.columns for r in members
                 if c in (f"wind_onshore:{r}", f"solar_pv:{r}")]  # fmt: skip
        load = [f"inference_load:{r}" for r in members if f"inference_load:{r}" in hourly]
        systems = [r for r in members if residual is not None and r in residual]
        if clean:
            helpers[f"{_HELPER}clean:{name}"] = hourly[clean].sum(axis=1)
            criteria["min_period"].append(f"{_HELPER}clean:{name}")
        if systems:
            total = residual[systems].sum(axis=1).to_numpy()  # type: ignore[index]
            helpers[f"{_HELPER}load:{name}"] = pd.Series(total, index=hourly.index)
            criteria["max_value"].append(f"{_HELPER}load:{name}")
        elif load:
            helpers[f"{_HELPER}load:{name}"] = hourly[load].sum(axis=1)
            criteria["max_period"].append(f"{_HELPER}load:{name}")
    return pd.DataFrame(helpers, index=hourly.index), criteria


def _with_critical(
    hourly: pd.DataFrame,
    profiles: pd.DataFrame,
    counts: np.ndarray,
    day_of_year: np.ndarray,
    critical: tuple[int, ...],
) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """Append each critical day as a cluster of its own, its weight taken from its cluster.

    A day alone in its cluster already stands for itself and is left as it is.
    """
    counts, day_of_year = counts.copy(), day_of_year.copy()
    added = []
    for d in sorted({int(d) for d in critical}):
        k = day_of_year[d]
        if counts[k] <= 1:
            continue
        counts[k] -= 1
        day_of_year[d] = len(counts) + len(added)
        added.append(hourly.iloc[d * HOURS_PER_DAY : (d + 1) * HOURS_PER_DAY])
    if not added:
        return profiles, counts, day_of_year
    extra = pd.concat(added, ignore_index=True)[list(profiles.columns)]
    profiles = pd.concat([profiles, extra], ignore_index=True)
    return profiles, np.concatenate([counts, np.ones(len(added))]), day_of_year


# Runs of a sweep or an uncertainty analysis share their hourly profiles and time settings:
# the clustering (~0.25 s) is done once per process and reused.
_CACHE: OrderedDict[bytes, Timeslices] = OrderedDict()
_CACHE_SIZE = 4
_LOCK = threading.Lock()  # Dask workers may run several scenarios in threads


def representative_days(
    hourly: pd.DataFrame,
    n_days: int,
    ratio_columns: list[str],
    level_columns: list[str] = (),  # type: ignore[assignment]
    extremes: str = "off",
    critical: tuple[int, ...] = (),
    residual: pd.DataFrame | None = None,
) -> Timeslices:
    """:func:`cluster_days`, from a per-process cache for the same profiles and settings."""
    digest = hashlib.blake2b(digest_size=16)
    settings = (
        n_days,
        list(hourly.columns),
        sorted(ratio_columns),
        sorted(level_columns),
        extremes,
        sorted(critical),
    )
    digest.update(repr(settings).encode())
    digest.update(np.ascontiguousarray(hourly.to_numpy(dtype=float)).tobytes())
    if residual is not None:
        digest.update(repr(list(residual.columns)).encode())
        digest.update(np.ascontiguousarray(residual.to_numpy(dtype=float)).tobytes())
    key = digest.digest()
    with _LOCK:
        cached = _CACHE.get(key)
    if cached is None:
        cached = cluster_days(
            hourly, n_days, ratio_columns, level_columns, extremes, critical, residual
        )
    with _LOCK:
        _CACHE[key] = cached
        _CACHE.move_to_end(key)
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return replace(cached, profiles=cached.profiles.copy(), weight_h=cached.weight_h.copy())


def cluster_days(
    hourly: pd.DataFrame,
    n_days: int,
    ratio_columns: list[str],
    level_columns: list[str] = (),  # type: ignore[assignment]
    extremes: str = "off",
    critical: tuple[int, ...] = (),
    residual: pd.DataFrame | None = None,
) -> Timeslices:
    """Reduce a year of hourly profiles to ``n_days`` representative days.

    Clustering is tsam's hierarchical clustering with medoid days, on all columns at once
    so that the days are the same calendar days for every region; each column's yearly
    mean is preserved. ``extremes`` (:data:`EXTREMES`) appends the day with the least
    wind and solar and the peak-load day (the highest inference load, or the hour of the
    highest ``residual`` load where regions are run as a system) as days of their own
    (weight: one day each; tsam's extreme periods, "append"), for the system as a whole
    or for each region; the weights still sum to 8,760 h. ``ratio_columns`` (shapes with
    mean 1) are renormalised to a weighted mean of exactly 1 afterwards. ``level_columns``
    are absolute values (grid carbon in tCO2/MWh): clipped at 0 only. Every other column
    is a share (availability, clean share) and stays within 0..1. ``critical`` calendar
    days (0 = 1 January) become days of their own, with their own hours, each taking
    one day of weight from the cluster it belonged to (critical periods added by the
    full-year check's refinement, ``docs/time.md``). With 365 days or more the year is
    kept whole, in order.
    """
    if len(hourly) != DAYS_PER_YEAR * HOURS_PER_DAY:
        raise ValueError(f"hourly profiles need 8760 rows, got {len(hourly)}")
    if extremes not in EXTREMES:
        raise ValueError(f"extremes must be one of {EXTREMES}, not {extremes!r}")
    if n_days >= DAYS_PER_YEAR:
        profiles = hourly.reset_index(drop=True)
        counts = np.ones(DAYS_PER_YEAR)
        day_of_year = np.arange(DAYS_PER_YEAR)
    else:
        import tsam  # heavy (scikit-learn): only when days are clustered

        indexed = hourly.copy()
        indexed.index = pd.date_range("2025-01-01", periods=len(hourly), freq="h")
        options: dict = {}
        weights = {c: _cluster_weight(str(c)) for c in indexed.columns}
        if extremes != "off":
            helpers, criteria = _helper_columns(indexed, extremes, residual)
            indexed = pd.concat([indexed, helpers], axis=1)
            # the helpers only locate the extremes: (almost) no weight in the clustering
            weights.update(dict.fromkeys(helpers, 1e-06))
            options["extremes"] = tsam.ExtremeConfig(method="append", **criteria)
        if any(w != 1.0 for w in weights.values()):
            options["weights"] = weights
        with warnings.catch_warnings():  # tsam notes the near-zero weights it raises
            warnings.filterwarnings("ignore", message="weight of", category=UserWarning)
            result = tsam.aggregate(indexed, n_days, period_duration=HOURS_PER_DAY, **options)
        n_days = len(result.cluster_counts)
        profiles = result.cluster_representatives.reset_index(drop=True)[list(hourly.columns)]
        counts = np.array([result.cluster_counts[d] for d in range(n_days)], dtype=float)
        day_of_year = np.asarray(result.cluster_assignments, dtype=int)
        profiles, counts, day_of_year = _with_critical(
            hourly, profiles, counts, day_of_year, critical
        )
    day = np.repeat(np.arange(len(counts)), HOURS_PER_DAY)
    hour = np.tile(np.arange(HOURS_PER_DAY), len(counts))
    weight_h = counts[day]
    profiles = profiles.clip(lower=0.0)
    shares = [c for c in profiles.columns if c not in ratio_columns and c not in level_columns]
    profiles[shares] = profiles[shares].clip(upper=1.0)  # availabilities stay within 0..1
    for col in ratio_columns:
        mean = float(np.average(profiles[col], weights=weight_h))
        if mean > 0:
            profiles[col] = profiles[col] / mean
    logger.debug("%d representative days, weights %s", len(counts), counts)
    return Timeslices(profiles, weight_h, day, hour, day_of_year)


def _cluster_weight(column: str) -> float:
    """Weight of an hourly column in the clustering (manifest ``cluster_weight``; else 1)."""
    spec = HOURLY_PROFILES.get(column.split(":", 1)[0])
    return 1.0 if spec is None else spec.cluster_weight
