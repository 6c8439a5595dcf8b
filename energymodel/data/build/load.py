"""Inference load shape (mean 1) from the Google cluster trace.

``google_cluster_cpu_hourly.csv`` is a ~4-week trace (it repeats every 672 h) of a Google
production cluster (2011), hourly CPU use. The trace began on Sunday 1 May 2011 at
19:00 US Eastern daylight time (Reiss, Wilkes & Hellerstein, "Google cluster-usage traces:
format + schema", 2011), so file hour ``h`` is local week-hour ``(163 + h) mod 168``
(Monday 00:00 = 0): the weekend dip then falls on Saturday and Sunday, as it should. The
mean weekly (168 h) shape is placed in each region's local standard time and expressed in
UTC over the 2022 calendar. General compute, not AI inference: a real diurnal and weekly
shape, no seasons.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

TRACE_START_WEEK_HOUR = 6 * 24 + 19  # Sunday 19:00 local
SOURCE = (
    "Google cluster-usage trace 2011 (CC BY 4.0; hourly CPU via HewlettPackard/dc-rl): "
    "mean weekly shape, trace clock US Eastern, placed in local time UTC{off:+d}, mean 1"
)


def weekly_shape(raw: Path) -> np.ndarray:
    """Mean load by local week-hour (168 values, mean 1)."""
    cpu = pd.read_csv(raw / "google_cluster_cpu_hourly.csv", index_col=0)["cpu_load"]
    week_hour = (TRACE_START_WEEK_HOUR + np.arange(len(cpu))) % 168
    weekly = cpu.groupby(week_hour).mean().reindex(range(168)).to_numpy(float)
    return weekly / weekly.mean()


def place(weekly: np.ndarray, utc_offset_h: int) -> np.ndarray:
    """The weekly shape on 2022 UTC hours for a region (mean exactly 1 before rounding)."""
    local = np.arange(8760) + utc_offset_h
    week_hour = (((local // 24) + 5) % 7) * 24 + local % 24  # 2022-01-01 was a Saturday
    out = weekly[week_hour]
    return out / out.mean()
