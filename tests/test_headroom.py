"""Headroom for flexible load (``params/headroom.py``, the Duke load-duration method)."""

from __future__ import annotations

import numpy as np
import pytest

from energymodel.params.headroom import headroom


def test_headroom_on_a_two_level_load_is_worked_by_hand():
    # 100 hours: 90 at 9 GW, 10 at 10 GW (the peak). Adding L <= 1 GW curtails L in the 10
    # peak hours: 10 L <= b x 100 L needs b >= 10%. At b = 20% the 9 GW hours join when L >
    # 1: 10 L + 90 (L - 1) <= 20 L -> L <= 90 / 80 = 1.125 GW, curtailed in all 100 hours.
    load = np.array([9.0] * 45 + [10.0] * 10 + [9.0] * 45)
    found = headroom(load, 0.2)
    assert found.headroom_gw == pytest.approx(1.125, rel=1e-9)
    assert found.curtailed_hours_h == 100
    assert found.events == 1
    # at b = 5%, 10 L <= 5 L is never met: no headroom
    assert headroom(load, 0.05).headroom_gw == pytest.approx(0.0, abs=1e-9)


def test_headroom_events_are_runs_of_consecutive_hours():
    # 1,000 hours at 5 GW but for two 5-hour spells at 9 GW, each with a 10 GW peak hour in
    # its middle. L <= 1 GW curtails the 2 peaks: 2 L; above 1 GW the shoulders join:
    # 2 L + 8 (L - 1) <= 0.5% x 1000 L -> L <= 8 / 5 = 1.6 GW: two events of 5 hours each.
    load = np.full(1000, 5.0)
    for start in (100, 700):
        load[start : start + 5] = [9.0, 9.0, 10.0, 9.0, 9.0]
    found = headroom(load, 0.005)
    assert found.headroom_gw == pytest.approx(1.6, rel=1e-9)
    assert found.curtailed_hours_h == 10
    assert found.events == 2
    assert found.event_mean_h == 5.0
    assert found.event_max_h == 5.0
    # 0.1%: 2 L <= L is never met, no headroom
    assert headroom(load, 0.001).headroom_gw == pytest.approx(0.0, abs=1e-9)


def test_tightest_days_hold_the_hours_a_budget_spans():
    # Three days of 24 h at 10 GW, one hour of day 1 at 14, two of day 2 at 13 and 12.
    # A budget of 3/72 spans the 3 highest hours: days 1 and 2, highest first; at most
    # one day per region keeps day 1 only. Two regions: the union, sorted.
    from energymodel.params.headroom import tightest_days

    load = np.full(72, 10.0)
    load[30], load[50], load[60] = 14.0, 13.0, 12.0
    assert tightest_days({"a": load}, 3 / 72) == [1, 2]
    assert tightest_days({"a": load}, 3 / 72, most=1) == [1]
    other = np.full(72, 5.0)
    other[5] = 9.0
    assert tightest_days({"a": load, "b": other}, 1 / 72) == [0, 1]
