"""The unit constants, once (DESIGN.md "Units").

Capacity in GW, energy in TWh a year or GWh a timeslice, money in million USD (M$), so
that 1 $/kW = 1 M$/GW and 1 $/MWh = 1 M$/TWh. Every module takes its conversions from
here; none defines its own.
"""

from __future__ import annotations

HOURS_PER_DAY = 24
DAYS_PER_YEAR = 365
HOURS_PER_YEAR = DAYS_PER_YEAR * HOURS_PER_DAY
"""8,760: a model year has 365 days of 24 h (leap days are left out, as in the profiles)."""

GWH_PER_TWH = 1e3
KWH_PER_TWH = 1e9
TWH_PER_GW_YEAR = HOURS_PER_YEAR / GWH_PER_TWH
"""Energy of 1 GW held for a year: 8.76 TWh."""
KW_PER_GW = 1e6

USD_PER_MUSD = 1e6
MUSD_PER_BUSD = 1e3
"""Million USD per billion USD (tables show money in $B: ``_busd``)."""

TOKENS_PER_TRILLION = 1e12
MTOK_PER_TRILLION = 1e6
"""Million tokens per trillion tokens: 1 M$ / trillion tokens = 1 $ per million tokens."""

G_PER_MT = 1e12
"""Grams per million tonnes."""
