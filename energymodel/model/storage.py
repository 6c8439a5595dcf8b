"""Storage: power capacity with a fixed duration; state of charge within and across days."""

from __future__ import annotations

import numpy as np
import pyomo.environ as pyo
import xarray as xr

from energymodel.model.arrays import ArrayModel
from energymodel.model.data import ModelData
from energymodel.model.expr import Expr
from energymodel.model.technology import add_technology_capacity
from energymodel.model.terms import Terms


def add_storage(m: pyo.ConcreteModel, data: ModelData, terms: Terms) -> None:
    r"""Charge, discharge and state of charge of storage, linked across days or per day.

    Within each representative day :math:`k` the state of charge moves with charge
    :math:`c` and discharge :math:`d` (round-trip efficiency :math:`\eta`):

    .. math::
        s_{k,h} = s_{k,h-1} + \sqrt{\eta}\, c_{k,h} - d_{k,h} / \sqrt{\eta}
        \qquad c_{k,h} \le K \qquad d_{k,h} \le K

    **Linked across days** (``time.link_storage``, the default; Kotzur, Markewitz,
    Robinius & Stolten 2018, "Time series aggregation for energy system design: modeling
    seasonal storage", Applied Energy 213): each calendar day :math:`\delta` of the year
    follows its representative day :math:`k(\delta)`. The intra-day state starts at
    :math:`s_{k,-1} = 0` and may go negative; a level :math:`S_\delta \ge 0` at the start
    of each calendar day carries energy from day to day, cyclic over the year:

    .. math::
        S_{\delta+1} = S_\delta + s_{k(\delta),23} \quad (S_{366} = S_1) \qquad
        0 \le S_\delta + \underline s_{k(\delta)} \qquad
        S_\delta + \overline s_{k(\delta)} \le H K

    with :math:`\underline s_k \le \min(0, s_{k,h})` and :math:`\overline s_k \ge
    \max(0, s_{k,h})` (the paper's bounds on the day's lowest and highest state, two rows
    per calendar day instead of 24). A windy day's surplus can thus feed a calm day, and
    a duration :math:`H` above 24 h is meaningful. Self-discharge is left out (batteries
    lose well under 1% a day).

    **Per day** (``link_storage: false``): :math:`0 \le s_{k,h} \le H K` and each
    representative day ends where it starts (:math:`s_{k,-1} = s_{k,23}`).

    Capacity, build limits and costs as for generators; the hourly rows are built in
    bulk. Skipped when no storage technology is allowed.
    """
    stos = list(m.STO)
    if not stos:
        return
    capacity = add_technology_capacity(m, data, terms, m.STO, "storage")
    am = m.arrays
    coords = data.coords_of("year", "region", "tech", "timeslice", tech=stos)
    charge = am.add_variables("charge_gw", coords)
    discharge = am.add_variables("discharge_gw", coords)
    root = np.sqrt(data.array("roundtrip_efficiency_frac", tech=stos))
    energy = capacity * data.array("duration_h", tech=stos)  # GWh that fit
    net_in = charge * root - discharge / root
    am.add_constraints("charge_limit", charge - capacity, "<=", 0.0)
    am.add_constraints("discharge_limit", discharge - capacity, "<=", 0.0)
    terms.supply_gw.append((discharge - charge).sum("tech"))
    if float(data.ds["link_storage_flag"]):
        _linked(am, data, coords, net_in, energy)
    else:
        soc = am.add_variables("soc_gwh", coords)
        am.add_constraints("soc_balance", soc - _before(soc, data, wrap=True) - net_in, "==", 0.0)
        am.add_constraints("soc_limit", soc - energy, "<=", 0.0)


def _before(soc: Expr, data: ModelData, *, wrap: bool) -> Expr:
    """The state one hour earlier in the same representative day; at the day's first
    hour the day's last (``wrap``, a cyclic day) or nothing (a day starting at 0)."""
    before = soc.isel({"timeslice": data.previous_index}).assign_coords(
        {"timeslice": soc.coords["timeslice"]}
    )
    if wrap:
        return before
    return before.where(data.array("timeslice_hour") > 0)


def _linked(am: ArrayModel, data: ModelData, coords: dict, net_in: Expr, energy: Expr) -> None:
    """Intra-day state per representative day and a level per calendar day (Kotzur)."""
    inf = np.inf
    intra = am.add_variables("soc_intra_gwh", coords, lower=-inf)
    am.add_constraints("soc_balance", intra - _before(intra, data, wrap=False) - net_in, "==", 0.0)
    split = data.day_split
    by_hour = intra.split("timeslice", split)  # year, region, tech, day, hour
    days = {d: coords[d] for d in ("year", "region", "tech")} | {"day": split["day"]}
    low = am.add_variables("soc_day_min_gwh", days, lower=-inf, upper=0.0)
    high = am.add_variables("soc_day_max_gwh", days)
    am.add_constraints("soc_day_min", by_hour - low, ">=", 0.0)
    am.add_constraints("soc_day_max", by_hour - high, "<=", 0.0)

    follows = data.ds["day_of_year_rep"]  # calendar_day -> representative day
    calendar = {d: coords[d] for d in ("year", "region", "tech")} | {
        "calendar_day": data.coords("calendar_day")
    }
    level = am.add_variables("soc_level_gwh", calendar)
    n_days = len(calendar["calendar_day"])
    following = level.isel({"calendar_day": (np.arange(n_days) + 1) % n_days}).assign_coords(
        {"calendar_day": calendar["calendar_day"]}
    )
    change = by_hour.isel({"hour": -1})  # the day's net change, by representative day
    picked = xr.DataArray(follows.values, dims="calendar_day")
    am.add_constraints("soc_level_balance", following - level - _of_day(change, picked), "==", 0.0)
    am.add_constraints("soc_level_low", level + _of_day(low, picked), ">=", 0.0)
    am.add_constraints("soc_level_high", level + _of_day(high, picked) - energy, "<=", 0.0)


def _of_day(by_day: Expr, picked: xr.DataArray) -> Expr:
    """A by-representative-day expression on each calendar day (its representative's)."""
    out = by_day.isel({"day": picked})
    return out.assign_coords({"calendar_day": np.arange(picked.size)})
