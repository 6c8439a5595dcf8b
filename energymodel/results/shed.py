"""Why a run sheds demand: the TWh shed and the limits or settings that caused it.

An LP with a penalty on unserved compute is always feasible, so a scenario whose limits
cannot carry its demand still ends "optimal", with part of the demand unserved. This
module reads a results Dataset (and its parameters) and says so in words: how much was
shed by year, region and workload, which limits bind (non-zero duals,
:mod:`energymodel.results.limits`) and which settings make demand impossible (an
accelerator generation available only after the last model year, training allowed in
none of the modelled regions). :func:`energymodel.api.run` logs it as a WARNING and keeps
it in ``attrs["shed_warning"]``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import xarray as xr

from energymodel.model.advice import ADVICE, _years
from energymodel.results.limits import BINDING_TOLERANCE

SHOWN_PLACES = 6
"""Most (year, region, workload) amounts listed in a warning; the rest are counted."""
SHOWN_LIMITS = 5
"""Most binding limits named in a warning."""


@dataclass(frozen=True)
class _Limit:
    """A limit dual in the results: the constraint it comes from and its words."""

    constraint: str
    what: str


LIMITS: dict[str, _Limit] = {
    "it_build_limit_dual_usd_per_kw": _Limit("it_build_limit", "the IT (accelerator) build limit"),
    "supply_build_limit_dual_usd_per_kw": _Limit("supply_build_limit", "the {tech} build limit"),
    "grid_connection_limit_dual_usd_per_kw_yr": _Limit(
        "grid_connection_limit", "the yearly grid-connection limit in {region}"
    ),
    "grid_connection_ceiling_dual_usd_per_kw_yr": _Limit(
        "grid_connection_ceiling", "the grid-connection ceiling in {region}"
    ),
    "emissions_cap_dual_usd_per_tco2": _Limit("emissions_cap", "the emissions cap"),
}
"""Result variable (a limit's dual) -> how the warning names it (:data:`ADVICE` says what
to change)."""
STORAGE_TECHS = ("battery",)


def shed_table(ds: xr.Dataset) -> list[tuple[int, str, str, float]]:
    """What was shed: ``(year, place, workload, TWh)``, largest first.

    Training is one world-wide pool, so it is one amount per year (place ``"world
    pool"``); inference is by region. Only (year, workload) pairs flagged in ``shed``.
    """
    if "unserved_it_energy_twh" not in ds or "shed" not in ds:
        return []
    unserved, flags = ds["unserved_it_energy_twh"], ds["shed"]
    rows: list[tuple[int, str, str, float]] = []
    for year in ds["year"].values:
        if float(flags.sel(year=year, workload="training").max()) > 0:
            twh = float(unserved.sel(year=year, workload="training").sum())
            rows.append((int(year), "world pool", "training", twh))
        for region in ds["region"].values:
            if float(flags.sel(year=year, region=region, workload="inference")) > 0:
                twh = float(unserved.sel(year=year, region=region, workload="inference"))
                rows.append((int(year), str(region), "inference", twh))
    return sorted(rows, key=lambda r: -r[3])


MAJOR_FRAC = 0.05
"""A binding limit is named as a cause when its dual, per MWh of IT energy it would let
the model serve, is at least this share of the value of lost compute; smaller ones bind
only slightly and are listed as such."""
EMISSIONS_TCO2_PER_MWH = 0.4
"""Rough CO2 of a MWh of gas-fired power, to put an emissions-cap dual per MWh."""


def _per_mwh(name: str, value: float, fields: dict[str, str], params: xr.Dataset) -> float:
    """A limit's dual per MWh of IT energy it would serve (a rough, documented conversion).

    A kW of IT runs ``avg_utilisation_frac x 8.76`` MWh a year for ``it_life_yr`` years; a
    kW of power supply at most 8.76 MWh a year for its ``life_yr``; a kW-yr of grid
    connection 8.76 MWh; a tonne of CO2 is ~2.5 MWh of gas-fired power.
    """
    if name == "it_build_limit_dual_usd_per_kw":
        use = float(params["avg_utilisation_frac"]) * 8.76 * float(params["it_life_yr"])
        return value / use
    if name == "supply_build_limit_dual_usd_per_kw":
        tech = fields.get("tech", "")
        life = params["life_yr"]
        years = float(life.sel(tech=tech)) if tech in life["tech"].values else 25.0
        return value / (8.76 * years)
    if name == "emissions_cap_dual_usd_per_tco2":
        return value * EMISSIONS_TCO2_PER_MWH
    return value / 8.76  # $/kW-yr of grid connection


def limit_weights(
    ds: xr.Dataset, params: xr.Dataset, until_year: int | None = None
) -> list[tuple[float, str]]:
    """The limits with a non-zero dual (up to ``until_year``), most valuable first.

    Each entry is ``(weight, text)``: the dual per MWh of IT energy over the value of lost
    compute that year (:data:`MAJOR_FRAC`), and "<limit> in <years> (dual up to <value>):
    <what to change>".
    """
    found: list[tuple[float, str]] = []
    penalty = params["unserved_penalty_usd_per_mwh"].min("workload")
    for name, limit in LIMITS.items():
        if name not in ds:
            continue
        da = ds[name]
        if until_year is not None:
            da = da.sel(year=da["year"] <= until_year)
        others = [str(d) for d in da.dims if d != "year"]
        series = da.to_series()
        binding = series[series > 0]
        groups = binding.groupby(level=others) if others else [((), binding)]
        for place, values in groups:
            years = sorted(int(y) for y in values.index.get_level_values("year"))
            if not years:
                continue
            key = place if isinstance(place, tuple) else (place,)
            fields = {d: str(v) for d, v in zip(others, key, strict=True)}
            constraint = limit.constraint
            if constraint == "supply_build_limit" and fields.get("tech") in STORAGE_TECHS:
                constraint = "storage_build_limit"
            top = float(values.max())
            at = values.idxmax()
            year = int(at[0] if isinstance(at, tuple) else at)
            weight = _per_mwh(name, top, fields, params) / float(penalty.sel(year=year))
            units = str(ds[name].attrs.get("units", ""))
            text = (
                f"{limit.what.format(**fields)} in {_years(years)} "
                f"(dual up to {top:,.4g} {units}): {ADVICE[constraint].change.format(**fields)}"
            )
            found.append((weight, text))
    return sorted(found, key=lambda f: -f[0])


def impossible_settings(params: xr.Dataset, until_year: int | None = None) -> list[str]:
    """Settings that make some demand impossible to serve, whatever the costs.

    - an accelerator generation (``hardware.accelerators``) available in no model year;
    - no generation buyable in or before a year (``until_year``: the last year shed);
    - training allowed in none of the modelled regions (``demand.training_regions``).
    """
    out: list[str] = []
    years = [int(y) for y in params["year"].values]
    if "accelerator_allowed_frac" in params:
        allowed = params["accelerator_allowed_frac"]
        never = [
            str(g) for g in allowed["accelerator"].values if not allowed.sel(accelerator=g).any()
        ]
        if never:
            out.append(
                f"hardware.accelerators {', '.join(never)} can be bought in no model year (first "
                f"available after {years[-1]}: hardware.accelerator_available_from_year or "
                "inputs/accelerators.csv): move the first year into the model years or add a "
                "later year to years"
            )
        if until_year is not None:
            buyable = allowed.sel(year=allowed["year"] <= until_year).any("accelerator")
            years_ok = zip(buyable["year"].values, buyable.values, strict=True)
            none = [int(y) for y, ok in years_ok if not ok]
            if none and len(never) < allowed.sizes["accelerator"]:
                out.append(
                    f"no accelerator generation can be bought in {_years(none)}: only the fleet in "
                    "service serves the demand there (hardware.accelerator_available_from_year)"
                )
            elif none:
                out.append(
                    "no accelerator generation can be bought in any model year: only the fleet "
                    "in service serves the demand"
                )
    training = params["demand_it_twh"].sel(workload="training")
    if float(training.sum()) > 0 and not bool((params["training_allowed_frac"] > 0).any()):
        out.append(
            "demand.training_regions names none of the modelled regions: no training can run "
            "(add one of them, or leave demand.training_regions out)"
        )
    return out


def _too_dear(params: xr.Dataset, table: list[tuple[int, str, str, float]]) -> str:
    """Why demand is shed when no limit binds: serving costs more than lost compute is worth."""
    year, _, workload, _ = table[0]
    value = float(params["unserved_penalty_usd_per_mwh"].sel(year=year, workload=workload))
    return (
        f"no limit binds much: serving the {workload} demand would cost more than the value of lost "
        f"compute ({value:,.4g} $/MWh of IT energy in {year}: market.price_usd_per_mtok"
        + (", demand.training_value_frac" if workload == "training" else "")
        + ")"
    )


def explain_shed(ds: xr.Dataset, params: xr.Dataset) -> str:
    """One paragraph saying what a run shed and why ("" when nothing was shed).

    Parameters
    ----------
    ds
        A solved results Dataset (``unserved_it_energy_twh``, ``shed``, the limit duals).
    params
        Its parameter Dataset.

    Returns
    -------
    str
        "demand shed: <TWh by year, place and workload>; cause: <binding limits and
        impossible settings>; cost per token is with demand shed", or "".
    """
    table = shed_table(ds)
    if not table:
        notes = impossible_settings(params)
        return f"no demand shed, but {notes[0]}" if notes else ""
    total = sum(row[3] for row in table)
    shown = [
        f"{twh:,.3g} TWh of {w} in {y}" + (f" in {place}" if w == "inference" else "")
        for y, place, w, twh in table[:SHOWN_PLACES]
    ]
    if len(table) > SHOWN_PLACES:
        shown.append(f"and {len(table) - SHOWN_PLACES} more")
    last = max(row[0] for row in table)
    weighed = limit_weights(ds, params, last)
    causes = impossible_settings(params, last) + [t for w, t in weighed if w >= MAJOR_FRAC]
    if not causes:
        causes = [_too_dear(params, table)]
        minor = [t for w, t in weighed if w < MAJOR_FRAC][:2]
        if minor:
            causes.append("limits that bind only slightly: " + "; ".join(minor))
    more = len(causes) - SHOWN_LIMITS
    cause = "; ".join(causes[:SHOWN_LIMITS]) + (f"; and {more} more" if more > 0 else "")
    share = params.get("world_share_frac")
    apportioned = ""
    if share is not None and not np.allclose(share.values, 1.0):
        apportioned = (
            f" (world-wide limits are apportioned to the modelled regions: "
            f"{float(share.isel(year=-1)):.3g} of world demand in {int(share['year'][-1])}; "
            "see attrs['world_limits'])"
        )
    return (
        f"demand shed: {total:,.3g} TWh in all ({', '.join(shown)}); cause: {cause}"
        f"{apportioned}; cost per token in those years is with demand shed (unserved "
        "compute costs nothing but its penalty)"
    )


__all__ = ["BINDING_TOLERANCE", "explain_shed", "impossible_settings", "limit_weights"]
