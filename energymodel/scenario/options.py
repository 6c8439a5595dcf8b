"""How a scenario is run, rather than what world it describes: time, HiGHS, uncertainty."""

from __future__ import annotations

import functools
import importlib.util
from typing import Annotated, Any, Literal

from pydantic import Field, field_validator, model_validator

from energymodel.scenario.ranges import NonNegative, Positive, _Frozen, _in


class TimeConfig(_Frozen):
    """Time resolution of dispatch, and how the years are optimised."""

    representative_days: Annotated[int, Field(ge=1, le=365)] = 4
    """Representative days chosen by tsam (medoid days of clusters), before the extreme
    days; 365 is the full year. 4 (+2 extreme days) keeps the default mix's supply cost
    within about 1% of the full year's on a price-list grid, not everywhere on a grid
    run as a system (the baseline's 2030, checked: within 2% in four regions, +5% to +9%
    in three); 24/7 clean supply needs 64 or more (``docs/time.md``)."""
    resolution: Literal["representative_days", "full_year"] = "representative_days"
    """``full_year`` runs the 365 days in order, unclustered (for small cases: one region,
    one or two years); the same as ``representative_days: 365``."""
    extreme_days: Literal["off", "world", "each_region"] = "world"
    """Days appended to the representative days as days of their own (tsam's extreme
    periods): the day with the least wind and solar, and the peak-load day, for the
    system as a whole (``world``) or for each region. The peak-load day is the day of the
    hour in which the residual load of the regions run as a system (other consumers'
    load less the wind and solar fleet's output, each over its peak) is highest
    together; with no region run as a system, the day of the highest inference load.
    They are the days that size 24/7 clean supply, firm capacity and the systems'
    adequacy; cluster centres average them away (``docs/time.md``). ``true``/``false``
    mean ``world``/``off``."""
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
    check: Literal["auto", "full_year", "none"] = "auto"
    """``full_year``: after the planning solve, every capacity is fixed and the year is
    dispatched hour by hour over all 8,760 hours (storage chronological), each checked
    year on its own; unserved energy, the realised supply cost and 24/7 score and the gap
    to the plan are reported (``time_check_gap_frac``, ``unserved_in_check_twh``;
    ``docs/time.md``). ``auto`` (the default): ``full_year`` where the answer is known to
    hang on the time resolution (an hourly clean share, ``policy.hourly_clean_share_frac``:
    on the default days 100% hourly matching is 16-22% off the full year; or a non-firm
    connection, ``grid.flexible_connection_frac``, curtailed in the system's tightest
    hours), ``none`` elsewhere: checking every run of the shipped batch costs about 2.3x its
    time (measured), though the default mix is not within tolerance everywhere either
    (``docs/time.md``: check a run whose regional figures you rely on). ``none``: no
    check. Every result says which it got (``time_check`` attribute)."""
    check_years: Literal["all", "last"] = "last"
    """Which model years the full-year check dispatches: ``last`` (the default: the year
    with the most load, one full-year LP per run, affordable at batch scale) or ``all``
    (one full-year LP per model year; ``docs/time.md`` gives the times)."""
    check_window_days: Annotated[int, Field(ge=0, le=365)] = 28
    """The check dispatches the year in windows of this many days, one after another
    (a rolling horizon, two days of overlap; ``docs/time.md``): on the shipped baseline
    5-30x faster than the year in one LP, at a cost 0-1.1% above the whole year's
    optimum on the check LPs of 2030 (0-0.17% but one; the yearly budgets shared by value
    after a pass at one price), with a lower bound from the windows' prices. A region-year keeps the
    windows' figures where the whole year could not change its verdict (within
    ``time_check_window_bound_frac`` of the whole year's), and is dispatched again as
    one LP elsewhere. ``0``: always the year as one LP."""
    refine: Literal["auto", "none"] = "auto"
    """``auto`` (the default; with the check on): the days where the full-year dispatch
    fails or costs most are added as critical days and the plan solved again, until the
    realised cost is within ``tolerance`` of the plan and the IT energy unserved beyond
    the load the plan sheds itself within a reliability standard (0.002% of the
    region-year's, as Australia's NEM), or after
    ``max_refine_rounds`` (Teichgraeber & Brandt 2019; Hilbers, Brayshaw & Gandy 2019).
    A round re-plans the checked years (``check_years``) with perfect foresight; the
    years before them are solved one by one on the new days, each building at least
    what the plan built in it, and their builds may still grow for the checked year.
    ``clean_24_7`` (7 regions, 6 years): 3 rounds in 6 min, against 42 min
    re-planning every year at once (HiPO; simplex slower; measured). ``none``: the check
    reports its gap and hardest days, the plan stands."""
    tolerance: Annotated[float, Field(gt=0, le=1)] = 0.02
    """Largest accepted gap between the full-year dispatch's realised supply cost and the
    plan's, as a share of the plan's (per year and region)."""
    max_refine_rounds: Annotated[int, Field(ge=0, le=20)] = 3
    """Most re-plans the refinement makes before it stops and reports the gap left."""
    refine_days_per_round: Literal["auto"] | Annotated[int, Field(ge=1, le=32)] = "auto"
    """Most critical days one refinement round adds: the hardest day of every failing
    year and region first, then the second hardest, and so on. ``auto``: 16 where the
    scenario asks an hourly clean share (``policy.hourly_clean_share_frac``), 4
    elsewhere, divided among the plan's regions x years down to 4 (``clean_24_7``, 7 x 6:
    a round's re-plan took 62 s of HiGHS a solve with 16 more days, 20 s with 4).
    Unserved energy and cost gaps fall on a few hard days, which four a round find; a
    24/7 score falls short in hours spread over the year: 16 a round brought us_texas'
    98%-hourly premium within 6% of the full year's in 3 rounds, against 21% with 4
    (``docs/time.md``). Every day adds rows in every region and model year."""
    critical_days: tuple[Annotated[int, Field(ge=0, le=364)], ...] = ()
    """Calendar days (0 = 1 January) kept as days of their own beside the representative
    days (weight one day each, taken from the cluster they belonged to). The refinement
    adds to these; they may also be set by hand. With critical days, storage is linked
    across days (as ``link_storage``): a hard day's storage would otherwise have to end
    where it started, and the plan overbuild for it (``docs/time.md``)."""

    @field_validator("extreme_days", mode="before")
    @classmethod
    def _extremes_from_bool(cls, value: Any) -> Any:
        return {True: "world", False: "off"}.get(value, value) if isinstance(value, bool) else value

    @property
    def days(self) -> int:
        """Representative days to cluster to (365: the whole year in order)."""
        return 365 if self.resolution == "full_year" else self.representative_days


@functools.lru_cache(maxsize=1)
def hipo_available() -> bool:
    """True if HiGHS can run HiPO here: the ``highspy-extras`` package loads its libraries.

    Without it HiGHS runs dual simplex when asked for ``hipo``, without a word (HiGHS
    1.15), so the scenario is refused instead (:class:`SolverConfig`).
    """
    if importlib.util.find_spec("highspy_extras") is None:
        return False
    try:
        import highspy_extras

        features = highspy_extras.library.features
    except (ImportError, OSError, RuntimeError, AttributeError):  # a broken install
        return False
    return bool(features.get("blas") and features["blas"].enabled)


class SolverConfig(_Frozen):
    """HiGHS options."""

    time_limit_s: Annotated[float, _in(gt=0.0, hi=1e7)] = 600.0
    method: Literal["choose", "simplex", "ipm", "ipx", "hipo", "pdlp"] = "choose"
    """HiGHS's LP method: ``choose`` (HiGHS decides: dual simplex on these LPs),
    ``simplex``, ``ipm`` (interior point: HiPO where the highspy-extras package is
    installed, else IPX), ``ipx``, ``hipo`` (HiGHS's newer interior point; needs
    highspy-extras), ``pdlp`` (first-order; loose optima). ``docs/performance.md`` says
    which is fastest for which size."""

    @field_validator("method")
    @classmethod
    def _hipo_needs_extras(cls, value: str) -> str:
        if value == "hipo" and not hipo_available():
            raise ValueError(
                "a method HiGHS can run here: hipo needs the highspy-extras package, which is "
                "not installed (pip install highspy-extras), or choose ipm, ipx or simplex"
            )
        return value

    dual_pricing: Literal["auto", "devex", "steepest_edge", "choose"] = "auto"
    """How dual simplex picks the row that leaves the basis: ``devex`` (Harris' reference
    framework), ``steepest_edge`` (dual steepest edge: fewer iterations, each dearer),
    ``choose`` (HiGHS's own: steepest edge, switching to devex only where its weights go
    astray), or ``auto`` (the default): devex for a plan that holds every hour of the
    year, ``choose`` elsewhere. On the full-year plan the yearly IT columns, in every
    hour's rows, make each steepest-edge update dear: devex solves us_texas 2030 in
    25.6 s against 100.6 s, at the same optimum and prices (2026-12-07, HiGHS 1.15;
    ``docs/performance.md``). On the default days devex is 1.2-1.5x faster but, where the
    optimal prices are not unique, lands on others (the baseline's us_east 2025: 76.1
    against 42.6 $/MWh), and on the full-year check's windows a little slower, so those
    keep HiGHS's choice. The result says which ran (``solver_dual_pricing``)."""
    crossover: bool = True
    """After an interior-point solve, cross over to a basic solution (exact duals, a basis
    that warm starts later solves). Off: faster; duals within about 1e-8."""
    presolve: bool = True
    threads: Annotated[int, Field(ge=0, le=1024)] = 0
    """0 lets HiGHS choose."""
    primal_feasibility_tolerance: Annotated[float, _in(1e-10, 1e-3)] = 1e-7
    dual_feasibility_tolerance: Annotated[float, _in(1e-10, 1e-3)] = 1e-7


class UniformDist(_Frozen):
    """Every value between ``low`` and ``high`` equally likely."""

    dist: Literal["uniform"]
    low: float
    high: float

    @model_validator(mode="after")
    def _ordered(self) -> UniformDist:
        if not self.low < self.high:
            raise ValueError("low < high")
        return self


class TriangularDist(_Frozen):
    """Most likely ``mode``, falling linearly to zero at ``low`` and ``high``."""

    dist: Literal["triangular"]
    low: float
    mode: float
    high: float

    @model_validator(mode="after")
    def _ordered(self) -> TriangularDist:
        if not (self.low <= self.mode <= self.high and self.low < self.high):
            raise ValueError("low <= mode <= high, low < high")
        return self


class NormalDist(_Frozen):
    """Normal with ``mean`` and standard deviation ``sd``, cut to [low, high] if given."""

    dist: Literal["normal"]
    mean: float
    sd: Positive
    low: float | None = None
    high: float | None = None

    @model_validator(mode="after")
    def _ordered(self) -> NormalDist:
        if self.low is not None and self.high is not None and not self.low < self.high:
            raise ValueError("low < high")
        return self


class LognormalDist(_Frozen):
    """Log-normal: ln(value) is normal with median ``median`` and sd ``sigma``; cut to
    [low, high] if given. Suits positive quantities known within a factor (x2: sigma 0.42
    puts 90% of the values within a factor of 2 of the median)."""

    dist: Literal["lognormal"]
    median: Positive
    sigma: Positive
    low: NonNegative | None = None
    high: Positive | None = None

    @model_validator(mode="after")
    def _ordered(self) -> LognormalDist:
        if self.low is not None and self.high is not None and not self.low < self.high:
            raise ValueError("low < high")
        return self


class ChoiceDist(_Frozen):
    """One of ``values``, each equally likely (e.g. an integer life in years)."""

    dist: Literal["choice"]
    values: Annotated[list[Any], Field(min_length=1)]


Distribution = Annotated[
    UniformDist | TriangularDist | NormalDist | LognormalDist | ChoiceDist,
    Field(discriminator="dist"),
]


class UncertainConfig(_Frozen):
    """Uncertain settings: each drawn from a distribution, one run per sample.

    The scenario fans out into runs ``<name>__sample=0000``... along a ``sample``
    dimension (:mod:`energymodel.scenario.uncertain`); the analysis gives Sobol, Morris or
    RBD-FAST sensitivity indices of the headline outputs (SALib).
    """

    method: Literal["latin", "sobol", "morris"] = "latin"
    """``latin``: Latin hypercube, ``samples`` runs, first-order indices by RBD-FAST.
    ``sobol``: Saltelli's scheme on a scrambled Sobol' sequence, N (k + 2) runs for k
    settings with N = round(samples / (k + 2)): first-order and total Sobol indices.
    ``morris``: r (k + 1) runs in r = round(samples / (k + 1)) one-at-a-time trajectories:
    the elementary-effect screening (mu*, sigma)."""
    samples: Annotated[int, Field(ge=2, le=100_000)] = 100
    """Runs wanted; ``sobol`` and ``morris`` round to whole groups (see ``method``)."""
    seed: Annotated[int, Field(ge=0)] = 1
    """Seed of the sampling: the same seed, the same runs."""
    morris_levels: Annotated[int, Field(ge=2, le=20)] = 4
    """Grid levels of the Morris design; values are taken at the levels' mid-quantiles."""
    distributions: Annotated[dict[str, Distribution], Field(min_length=1)]
    """Dotted setting -> its distribution, e.g. ``finance.wacc: {dist: uniform, low:
    0.07, high: 0.13}``; a year of a trajectory is ``market.price_usd_per_mtok.2030``."""
