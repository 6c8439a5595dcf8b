"""The full-year dispatch in windows of days, one after another (a rolling horizon).

Simplex time grows much faster than the LP: the full-year check of one region (250,000
rows) takes 1.6-33 s of HiGHS on the shipped baseline; the same year as thirteen 28-day
windows, 1-2 s in all. As PyPSA's ``optimize_with_rolling_horizon``, each window is
solved with what came before it fixed, and a few days of overlap beyond its end let
storage see what comes next; only the window's own days are kept.

Rows are of two kinds, told apart by the days their columns fall on:

- **linking rows** touch at most two days (the hours of a day, a store's level from one
  day to the next, the year's last day to its first). Each is imposed in the window
  holding its latest day, with the columns of earlier days at their kept values.
- **yearly rows** (grid energy a year, a fleet's energy budget, the 24/7 share)
  touch every day. Each window gets the share of what is left of the row's right-hand
  side that its days could use (the row's coefficients times each column's upper
  bound; where a column has none, its hours), and what a window does not use passes
  on. A yearly column (the 24/7 shortfall) is summed over the windows.

The windows' solution is feasible for the whole-year LP, so its cost is an upper bound
on the whole-year optimum: a budget spread by potential is not spread by value (the
shipped baseline in 2030: 0.0-2.6% above, by region). The windows' prices of the
linking rows give a lower bound (:func:`~energymodel.solve.bound.dual_bound`, Lagrangian duality), with the
yearly rows kept and priced at their best by a small LP, and every column bounded by
what its rows leave it (:func:`implied_bounds`): where the two meet, the windows are
the year's optimum, proven, and the year need not be solved again.

Each window prices the yearly rows at its own share of them, and its hours' prices
follow, so where the bound stays more than :data:`REPRICE_GAP` below the cost, the
windows run again with the yearly rows left out and priced at the one price the
bound's small LP chose; their hours' prices then agree, and give the bound again. A
third pass gives each window what the priced pass put into its days, plus its share by
potential of what that pass left over, and is kept where it costs less. On the check
LPs of 2030 the bound then lay within 0.25% of the whole year's optimum (2.9-9.2%
before on the 24/7 runs), and the windows' cost 0.0-0.17% above it (us_texas' 24/7
run 1.06%).

A refinement round checks another plan in the same LP (``bases``): each window of each
pass starts from its basis of the round before, where only the plan's decisions (row
bounds) changed. On the baseline's round, the check's HiGHS time fell from 11.8-13.1 s to
3.8-4.0 s. (A third pass's window started from the first pass's basis took longer than
cold: without presolve, its iterations cost more.)

:func:`solve_rolling` returns None when the LP does not have this form, or a window of
the first pass does not solve; the caller then solves the year whole.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import scipy.sparse as sp

from energymodel.scenario.schema import SolverConfig
from energymodel.solve.bound import implied_bounds, lagrangian_bound
from energymodel.solve.highs import highspy, method_used, new_highs, pass_lp, termination_of
from energymodel.solve.warm import digest, iterations, remember_solved, solved

logger = logging.getLogger(__name__)

OVERLAP_DAYS = 2
"""Days each window looks beyond its end (solved, then solved again in the next window):
enough for daily storage cycles (on the baseline, 7 days of overlap changed the cost by
0.01-0.2% against 2)."""
REPRICE_GAP = 0.001
"""Where the windows' lower bound lies further than this share of their cost (with the
objective's constant) below it, and the LP has yearly rows, the windows run again at one
price of the yearly rows (the module docstring). The passes cost about as much again as
the first (us_texas 2030: 2.1 s of HiGHS against 1.1 s); on the check LPs of 2030 the
bounds above this were 0.8-10% below the cost, those under it 0.00-0.09%."""


@dataclass(frozen=True)
class RollingRun:
    """The windows' solutions put together, as one solve of the whole LP would give them."""

    col_value: np.ndarray
    row_dual: np.ndarray
    """Each linking row's dual in the window it was kept from; a yearly row's in the last
    window."""
    objective_musd: float
    highs_run_time_s: float
    windows: int
    method_used: str
    simplex_iterations: int
    lower_bound_musd: float
    """No solution of the whole LP costs less (:func:`~energymodel.solve.bound.dual_bound`)."""


def solve_rolling(
    lp: Any,
    col_day: np.ndarray,
    cfg: SolverConfig,
    window_days: int,
    overlap_days: int = OVERLAP_DAYS,
    bases: dict[tuple[str, int], Any] | None = None,
) -> RollingRun | None:
    """Solve ``lp`` (a ``HighsLp``) in windows of ``window_days``; see the module docstring.

    ``col_day`` gives each column's day (-1: a yearly column). None where one window
    would hold the whole year. An LP solved so before in this process
    (:func:`~energymodel.solve.warm.solved`) takes that solution, at no HiGHS time.
    ``bases``: each window's basis by pass and first day, from an earlier solve of an LP
    of this structure (empty the first time): each window starts from its own, and
    leaves its new one there.
    """
    n_days = int(col_day.max()) + 1
    if n_days <= window_days:
        return None  # one window: the year whole
    m = lp.a_matrix_  # a HighsLp's fields convert on each read: once here
    start, index, value = np.asarray(m.start_), np.asarray(m.index_), np.asarray(m.value_)
    cost, col_lower, col_upper = (
        np.asarray(v) for v in (lp.col_cost_, lp.col_lower_, lp.col_upper_)
    )
    row_lower, row_upper = np.asarray(lp.row_lower_), np.asarray(lp.row_upper_)
    offset = float(lp.offset_)
    key = digest(start, index, value, cost, col_lower, col_upper, row_lower, row_upper,
                 np.array([offset, window_days, overlap_days]), col_day,
                 cfg.model_dump_json())  # fmt: skip
    if (before := solved(key)) is not None:
        return _copy(before, highs_run_time_s=0.0, simplex_iterations=0)
    a = sp.csc_matrix((value, index, start), shape=(lp.num_row_, lp.num_col_)).tocsr()
    last_day, yearly = _days_of_rows(a, col_day)
    yearly_col = col_day < 0
    summed = (col_lower[yearly_col] == 0).all() and np.isinf(col_upper[yearly_col]).all()
    if yearly_col.any() and (a[~yearly][:, yearly_col].nnz or not summed):
        logger.info("a column without a day is not a yearly sum: the year is solved whole")
        return None
    budget_rows = np.flatnonzero(yearly)
    budget = a[budget_rows]
    share = _potential_by_day(budget, _upper_bounds(a, col_upper, row_upper), col_day, n_days)
    bounded = implied_bounds(a, col_lower, col_upper, row_lower, row_upper)
    windows = _Windows(a, cost, col_lower, col_upper, row_lower, row_upper, col_day, yearly,
                       last_day, cfg, window_days, overlap_days, bases)  # fmt: skip
    first = windows.run(share=share)
    if first is None:
        logger.info("a window did not solve: the year is solved whole")
        return None
    x, duals, stats = first
    bound, prices = lagrangian_bound(
        a, cost, *bounded, row_lower, row_upper, duals, budget_rows, cfg
    )
    objective = float(cost @ x)
    if budget_rows.size and objective - bound > REPRICE_GAP * abs(objective + offset):
        # Each window priced the yearly rows by its own share, and its hours' prices
        # follow: again with the yearly rows at the one price the bound chose
        priced = windows.run(prices=prices, bounds=bounded, kind="priced")
        if priced is not None:
            stats = stats.plus(priced[2])
            again = lagrangian_bound(
                a, cost, *bounded, row_lower, row_upper, priced[1], budget_rows, cfg
            )[0]
            bound = max(bound, again)
            # and once more with each window given the yearly rows as the priced pass
            # used them, what that pass missed spread by potential
            shared = windows.run(
                share=share,
                follow=_activity_by_day(budget, priced[0], col_day, n_days),
                kind="follow",
            )
            if shared is not None:
                stats = stats.plus(shared[2])
                if float(cost @ shared[0]) < objective:
                    x, duals, _ = shared
                    objective = float(cost @ x)
    run = RollingRun(
        col_value=x,
        row_dual=duals,
        objective_musd=objective + offset,
        highs_run_time_s=stats.run_time,
        windows=stats.windows,
        method_used="+".join(dict.fromkeys(stats.methods)),
        simplex_iterations=stats.iterations,
        lower_bound_musd=bound + offset,
    )
    remember_solved(key, _copy(run))
    return run


def _copy(run: RollingRun, **changes: Any) -> RollingRun:
    """``run`` with arrays of its own: a kept solution is never changed by its user."""
    return replace(run, col_value=run.col_value.copy(), row_dual=run.row_dual.copy(), **changes)


@dataclass(frozen=True)
class _Stats:
    run_time: float
    windows: int
    methods: tuple[str, ...]
    iterations: int

    def plus(self, other: _Stats) -> _Stats:
        """Both passes' time, methods and iterations; the windows of one pass."""
        return _Stats(self.run_time + other.run_time, self.windows,
                      self.methods + other.methods, self.iterations + other.iterations)  # fmt: skip


@dataclass(frozen=True)
class _Windows:
    """One pass of windows over the year."""

    a: sp.csr_matrix
    cost: np.ndarray
    col_lower: np.ndarray
    col_upper: np.ndarray
    row_lower: np.ndarray
    row_upper: np.ndarray
    col_day: np.ndarray
    yearly: np.ndarray
    last_day: np.ndarray
    cfg: SolverConfig
    window_days: int
    overlap_days: int
    bases: dict[tuple[str, int], Any] | None = None
    """Each window's basis by pass and first day (``solve_rolling``'s ``bases``)."""

    def run(
        self,
        share: np.ndarray | None = None,
        prices: np.ndarray | None = None,
        bounds: tuple[np.ndarray, np.ndarray] | None = None,
        follow: np.ndarray | None = None,
        kind: str = "share",
    ) -> tuple[np.ndarray, np.ndarray, _Stats] | None:
        """The windows in turn: with the yearly rows imposed by ``share`` (row x day: each
        window its share of what is left; with ``follow``, a row x day activity, what
        that activity puts into its days plus its share of what it leaves over), or left
        out and priced at ``prices`` (their columns within ``bounds``, the yearly
        columns at 0). Returns the kept solution, the rows' duals and the pass's figures."""
        a, col_day, cfg = self.a, self.col_day, self.cfg
        budget_rows = np.flatnonzero(self.yearly)
        budget = a[budget_rows]
        yearly_col = col_day < 0
        n_days = int(col_day.max()) + 1
        cost, lower, upper = self.cost, self.col_lower, self.col_upper
        if prices is not None:
            cost = cost - budget.T @ prices
            lower, upper = bounds
            yearly_col = np.zeros_like(yearly_col)
        x = np.zeros(a.shape[1])
        duals = np.zeros(a.shape[0])
        run_time, methods, windows, n_iterations = 0.0, [], 0, 0
        for start in range(0, n_days, self.window_days):
            end = min(start + self.window_days, n_days)
            horizon = min(end + self.overlap_days, n_days)
            cols = np.flatnonzero(((col_day >= start) & (col_day < horizon)) | yearly_col)
            links = np.flatnonzero(
                ~self.yearly & (self.last_day >= start) & (self.last_day < horizon)
            )
            shift = a[links] @ x  # x: the kept days before this window
            rows, row_lower, row_upper = (
                a[links][:, cols],
                self.row_lower[links] - shift,
                self.row_upper[links] - shift,
            )
            if share is not None:  # each yearly row: its share of what is left of it
                used = budget @ x  # with the yearly columns' sum so far
                left = share[:, start:].sum(axis=1)
                ahead = share[:, start:horizon].sum(axis=1)
                frac = np.divide(ahead, left, out=np.ones_like(left), where=left > 0)
                own = np.zeros_like(used)
                if follow is not None:  # what it puts into these days, and into all left
                    own = follow[:, start:horizon].sum(axis=1)
                    used = used + follow[:, start:].sum(axis=1)
                rows = sp.vstack([rows, budget[:, cols]])
                row_lower = np.concatenate(
                    [row_lower, _part(self.row_lower[budget_rows], used, frac, own)]
                )
                row_upper = np.concatenate(
                    [row_upper, _part(self.row_upper[budget_rows], used, frac, own)]
                )
            window = rows.tocsc(), cost[cols], lower[cols], upper[cols], row_lower, row_upper
            h, termination = self._solve(window, (kind, start))
            run_time += h.getRunTime()
            n_iterations += iterations(h)
            methods.append(method_used(h, cfg))
            windows += 1
            if termination != "optimal":
                logger.debug("days %d-%d ended %s", start, end - 1, termination)
                return None
            solution = h.getSolution()
            values, row_dual = np.asarray(solution.col_value), np.asarray(solution.row_dual)
            kept = (col_day[cols] >= start) & (col_day[cols] < end)
            x[cols[kept]] = values[kept]
            x[cols[yearly_col[cols]]] += values[yearly_col[cols]]
            own_rows = self.last_day[links] < end
            duals[links[own_rows]] = row_dual[: links.size][own_rows]
            if share is not None:
                duals[budget_rows] = row_dual[links.size :]
        stats = _Stats(run_time, windows, tuple(methods), n_iterations)
        return x, duals, stats

    def _solve(self, window: tuple[Any, ...], key: tuple[str, int]) -> tuple[Any, str]:
        """HiGHS on one window, from its basis in ``bases`` where there is one (solved
        again cold if that start does not end optimal: a basis only saves time)."""
        h = new_highs(self.cfg)
        pass_lp(h, *window)
        basis = self.bases.get(key) if self.bases is not None else None
        warm = basis is not None and h.setBasis(basis) == highspy.HighsStatus.kOk
        h.run()
        termination = termination_of(h)
        if warm and termination != "optimal":
            logger.debug("window %s from its basis ended %s: again cold", key, termination)
            h = new_highs(self.cfg)
            pass_lp(h, *window)
            h.run()
            termination = termination_of(h)
        if self.bases is not None and termination == "optimal":
            self.bases[key] = h.getBasis()
        return h, termination


def _days_of_rows(a: sp.csr_matrix, col_day: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each row's latest day (-1: none), and whether it touches more than two days (a
    yearly row): a day neither its first nor its last. In bulk, without sorting."""
    n_row = a.shape[0]
    nnz = np.diff(a.indptr)
    day = col_day[a.indices]
    first, last = np.full(n_row, -1), np.full(n_row, -1)
    if day.size:
        starts = a.indptr[:-1][nnz > 0]
        first[nnz > 0] = np.minimum.reduceat(day, starts)
        last[nnz > 0] = np.maximum.reduceat(day, starts)
    row = np.repeat(np.arange(n_row), nnz)
    third = (day != first[row]) & (day != last[row])
    return last, np.bincount(row[third], minlength=n_row) > 0


def _part(bound: np.ndarray, used: np.ndarray, frac: np.ndarray, own: np.ndarray) -> np.ndarray:
    """A window's part of a yearly row's bound: ``own``, plus its share ``frac`` of what
    is left once ``used`` (infinite stays)."""
    finite = np.isfinite(bound)
    return np.where(finite, (np.where(finite, bound, 0.0) - used) * frac + own, bound)


def _upper_bounds(a: sp.csr_matrix, col_upper: np.ndarray, row_upper: np.ndarray) -> np.ndarray:
    """Each column's upper bound, tightened by the rows that hold it alone (x <= u)."""
    upper = col_upper.copy()
    alone = np.flatnonzero(np.diff(a.indptr) == 1)
    one = a[alone].tocoo()
    positive = one.data > 0
    np.minimum.at(
        upper, one.col[positive], row_upper[alone[one.row[positive]]] / one.data[positive]
    )
    return upper


def _activity_by_day(
    budget: sp.csr_matrix, x: np.ndarray, col_day: np.ndarray, n_days: int
) -> np.ndarray:
    """What each day's columns put into each yearly row at ``x``, by row and day."""
    coo = budget.tocoo()
    dated = col_day[coo.col] >= 0
    out = np.zeros((budget.shape[0], n_days))
    np.add.at(out, (coo.row[dated], col_day[coo.col[dated]]), (coo.data * x[coo.col])[dated])
    return out


def _potential_by_day(
    budget: sp.csr_matrix, upper: np.ndarray, col_day: np.ndarray, n_days: int
) -> np.ndarray:
    """What each day could put into each yearly row: |coefficient| x upper bound (1 where
    a column has none: the row's hours), by row and day."""
    coo = budget.tocoo()
    dated = col_day[coo.col] >= 0
    bound = upper[coo.col[dated]]
    bound = np.where(np.isfinite(bound), np.maximum(bound, 0.0), 1.0)
    out = np.zeros((budget.shape[0], n_days))
    np.add.at(out, (coo.row[dated], col_day[coo.col[dated]]), np.abs(coo.data[dated]) * bound)
    return out
