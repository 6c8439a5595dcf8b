"""Grid price shape (mean 1) from hourly net load.

Mapping (a convex supply curve): ``p_t = (NL_t / mean NL) ** beta``, renormalised to mean
1, where NL is net load (demand less wind and solar; floored at 5 % of its mean). The
exponent ``beta`` is solved so that the ratio of the average on-peak price (weekdays,
07:00-22:59 local, NERC 5x16) to the average off-peak price equals
:data:`ON_OFF_PEAK_RATIO`.

Demand year: hourly demand in the raw data covers Jul 2015 - Aug 2019 (Ruggles et al.
2020) while generation, wind and solar are 2022. To keep one weather year, net load uses
2022 *total net generation* of the BA as the demand proxy (it differs from load by net
imports; PJM and ERCOT import little, CAISO imports ~25 % of its load, which flattens its
measured midday dip). The 2015-2019 demand files are used only to check that the proxy's
mean weekly shape matches measured demand (tests).
"""

from __future__ import annotations

import numpy as np

# Estimate: on-peak/off-peak average wholesale price ratio 1.3 (no hub price series is in
# the raw data; typical of PJM West / ERCOT North 5x16 vs 7x8 forwards before 2021).
ON_OFF_PEAK_RATIO = 1.3


def _on_peak(utc_offset_h: int) -> np.ndarray:
    u = np.arange(8760)
    local = u + utc_offset_h
    hour = local % 24
    weekday = ((local // 24) + 5) % 7  # 2022-01-01 was a Saturday (Monday = 0)
    return (weekday < 5) & (hour >= 7) & (hour <= 22)


def _shape(nl: np.ndarray, beta: float) -> np.ndarray:
    x = np.maximum(nl / nl.mean(), 0.05)
    p = x**beta
    return p / p.mean()


def price_shape(nl: np.ndarray, utc_offset_h: int) -> tuple[np.ndarray, float]:
    """Return the mean-1 price shape and the calibrated exponent ``beta``."""
    peak = _on_peak(utc_offset_h)
    lo, hi = 0.0, 20.0
    for _ in range(80):
        beta = 0.5 * (lo + hi)
        p = _shape(nl, beta)
        ratio = p[peak].mean() / p[~peak].mean()
        if ratio < ON_OFF_PEAK_RATIO:
            lo = beta
        else:
            hi = beta
    return _shape(nl, beta), beta


def source_text(what: str, beta: float) -> str:
    """Describe a price shape for the ``source`` text."""
    return (
        f"price = (net load / mean)^{beta:.2f}, mean 1; {what}; exponent set so on-peak "
        f"(weekday 07-23 h local) / off-peak = {ON_OFF_PEAK_RATIO} (estimate)"
    )
