"""How a scenario is run, rather than what world it describes: time resolution and HiGHS."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field, field_validator

from energymodel.scenario.ranges import _Frozen, _in


class TimeConfig(_Frozen):
    """Time resolution of dispatch, and how the years are optimised."""

    representative_days: Annotated[int, Field(ge=1, le=365)] = 4
    """Representative days chosen by tsam (medoid days of clusters), before the extreme
    days; 365 is the full year. 4 (+2 extreme days) keeps the default mix's supply cost
    within about 1% of the full year's; 24/7 clean supply needs 64 or more
    (``docs/time.md``)."""
    resolution: Literal["representative_days", "full_year"] = "representative_days"
    """``full_year`` runs the 365 days in order, unclustered (for small cases: one region,
    one or two years); the same as ``representative_days: 365``."""
    extreme_days: Literal["off", "world", "each_region"] = "world"
    """Days appended to the representative days as days of their own (tsam's extreme
    periods): the day with the least wind and solar and the day with the highest
    inference load, for the system as a whole (``world``) or for each region. They are
    the days that size 24/7 clean supply and firm capacity; cluster centres average them
    away. ``true``/``false`` mean ``world``/``off``."""
    link_storage: bool = False
    """Carry storage state of charge across the chronological sequence of days (each
    calendar day follows its representative day; Kotzur et al. 2018), so energy moves
    between days and storage of more than 24 h is worth something. Off by default: on a
    few representative days it doubles the solve and moves costs away from the full
    year's, not towards them (``docs/time.md``); on 64 days or more, or the full year,
    turn it on. ``false``: each representative day's storage ends where it starts."""
    foresight: Literal["perfect", "myopic"] = "perfect"
    """``myopic`` optimises the years one after another, each inheriting what was built
    before it and blind to later years (as PyPSA-Eur's myopic mode); ``perfect`` optimises
    every year at once."""

    @field_validator("extreme_days", mode="before")
    @classmethod
    def _extremes_from_bool(cls, value: Any) -> Any:
        return {True: "world", False: "off"}.get(value, value) if isinstance(value, bool) else value

    @property
    def days(self) -> int:
        """Representative days to cluster to (365: the whole year in order)."""
        return 365 if self.resolution == "full_year" else self.representative_days


class SolverConfig(_Frozen):
    """HiGHS options."""

    time_limit_s: Annotated[float, _in(gt=0.0, hi=1e7)] = 600.0
    method: Literal["choose", "simplex", "ipm", "ipx", "hipo", "pdlp"] = "choose"
    """HiGHS's LP method: ``choose`` (HiGHS decides: dual simplex on these LPs),
    ``simplex``, ``ipm`` (interior point: HiPO where the highspy-extras package is
    installed, else IPX), ``ipx``, ``hipo`` (HiGHS's newer interior point; needs
    highspy-extras), ``pdlp`` (first-order; loose optima). ``docs/performance.md`` says
    which is fastest for which size."""
    crossover: bool = True
    """After an interior-point solve, cross over to a basic solution (exact duals, a basis
    that warm starts later solves). Off: faster; duals within about 1e-8."""
    presolve: bool = True
    threads: Annotated[int, Field(ge=0, le=1024)] = 0
    """0 lets HiGHS choose."""
    primal_feasibility_tolerance: Annotated[float, _in(1e-10, 1e-3)] = 1e-7
    dual_feasibility_tolerance: Annotated[float, _in(1e-10, 1e-3)] = 1e-7
