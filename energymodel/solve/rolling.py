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
- **yearly rows** (IT and grid energy a year, a fleet's energy budget, the 24/7 share)
  touch every day. Each window gets the share of what is left of the row's right-hand
  side that its days could use (the row's coefficients times each column's upper
  bound; where a column has none, its hours), and what a window does not use passes
  on. A yearly column (the 24/7 shortfall) is summed over the windows.

The windows' solution is feasible for the whole-year LP, so its cost is an upper bound
on the whole-year optimum: a budget spread by potential is not spread by value (the
shipped baseline in 2030: 0.0-2.6% above, by region). The windows' prices of the
linking rows give a lower bound (:func:`dual_bound`, Lagrangian duality), with the
yearly rows kept and priced at their best by a small LP, and every column bounded by
what its rows leave it (:func:`implied_bounds`): where the two meet, the windows are
the year's optimum, proven, and the year need not be solved again. On the shipped
baseline in 2030 they met within 0.02% of the plan's cost in five regions of seven
(us_texas 5.3%, failing whatever the whole year does; us_west solved whole).
:func:`solve_rolling`
returns None when the LP does not have this form, or a window does not solve; the
caller then solves the year whole.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp

from energymodel.scenario.schema import SolverConfig
from energymodel.solve.highs import highspy, method_used, new_highs, termination_of
from energymodel.solve.warm import iterations

logger = logging.getLogger(__name__)

OVERLAP_DAYS = 2
"""Days each window looks beyond its end (solved, then solved again in the next window):
enough for daily storage cycles (on the baseline, 7 days of overlap changed the cost by
0.01-0.2% against 2)."""
_LINK_DAYS = 2  # a row touching more days than this is a yearly row
_ROUND_OFF = 1e-9  # a reduced cost this small (relative to the cost) is 0


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
    """No solution of the whole LP costs less (:func:`dual_bound` at ``row_dual``)."""


def solve_rolling(
    lp: Any,
    col_day: np.ndarray,
    cfg: SolverConfig,
    window_days: int,
    overlap_days: int = OVERLAP_DAYS,
) -> RollingRun | None:
    """Solve ``lp`` (a ``HighsLp``) in windows of ``window_days``; see the module docstring.

    ``col_day`` gives each column's day (-1: a yearly column). None where one window
    would hold the whole year.
    """
    a = sp.csc_matrix(
        (np.asarray(lp.a_matrix_.value_), np.asarray(lp.a_matrix_.index_),
         np.asarray(lp.a_matrix_.start_)),
        shape=(lp.num_row_, lp.num_col_),
    ).tocsr()  # fmt: skip
    col_lower, col_upper = np.asarray(lp.col_lower_), np.asarray(lp.col_upper_)
    row_lower, row_upper = np.asarray(lp.row_lower_), np.asarray(lp.row_upper_)
    cost = np.asarray(lp.col_cost_)
    n_days = int(col_day.max()) + 1
    if n_days <= window_days:
        return None  # one window: the year whole
    coo = a.tocoo()
    day = col_day[coo.col]
    last_day = np.full(a.shape[0], -1)
    np.maximum.at(last_day, coo.row, day)
    pairs = np.unique(np.stack([coo.row, day]), axis=1)
    yearly = np.bincount(pairs[0], minlength=a.shape[0]) > _LINK_DAYS
    yearly_col = col_day < 0
    summed = (col_lower[yearly_col] == 0).all() and np.isinf(col_upper[yearly_col]).all()
    if yearly_col.any() and (a[~yearly][:, yearly_col].nnz or not summed):
        logger.info("a column without a day is not a yearly sum: the year is solved whole")
        return None
    budget_rows = np.flatnonzero(yearly)
    budget = a[budget_rows]
    upper = _upper_bounds(a, col_upper, row_upper)
    share = _potential_by_day(budget, upper, col_day, n_days)
    x = np.zeros(a.shape[1])
    duals = np.zeros(a.shape[0])
    run_time, methods, windows, n_iterations = 0.0, [], 0, 0
    for start in range(0, n_days, window_days):
        end = min(start + window_days, n_days)
        horizon = min(end + overlap_days, n_days)
        cols = np.flatnonzero(((col_day >= start) & (col_day < horizon)) | yearly_col)
        links = np.flatnonzero(~yearly & (last_day >= start) & (last_day < horizon))
        # x holds the kept days before this window (and the yearly columns' sum so far)
        shift, used = a[links] @ x, budget @ x
        left = share[:, start:].sum(axis=1)
        ahead = share[:, start:horizon].sum(axis=1)
        frac = np.divide(ahead, left, out=np.ones_like(left), where=left > 0)
        h = new_highs(cfg)
        h.passModel(
            _lp(
                sp.vstack([a[links][:, cols], budget[:, cols]]).tocsc(),
                cost[cols],
                col_lower[cols],  # a yearly column: this window's part of the sum
                col_upper[cols],
                np.concatenate(
                    [row_lower[links] - shift, _part(row_lower[budget_rows], used, frac)]
                ),
                np.concatenate(
                    [row_upper[links] - shift, _part(row_upper[budget_rows], used, frac)]
                ),
            )
        )
        h.run()
        run_time += h.getRunTime()
        n_iterations += iterations(h)
        methods.append(method_used(h, cfg))
        windows += 1
        termination = termination_of(h)
        if termination != "optimal":
            logger.info(
                "days %d-%d ended %s: the year is solved whole", start, end - 1, termination
            )
            return None
        solution = h.getSolution()
        values, row_dual = np.asarray(solution.col_value), np.asarray(solution.row_dual)
        kept = (col_day[cols] >= start) & (col_day[cols] < end)
        x[cols[kept]] = values[kept]
        x[cols[yearly_col[cols]]] += values[yearly_col[cols]]
        own = last_day[links] < end
        duals[links[own]] = row_dual[: links.size][own]
        duals[budget_rows] = row_dual[links.size :]
    return RollingRun(
        col_value=x,
        row_dual=duals,
        objective_musd=float(cost @ x + lp.offset_),
        highs_run_time_s=run_time,
        windows=windows,
        method_used="+".join(dict.fromkeys(methods)),
        simplex_iterations=n_iterations,
        lower_bound_musd=dual_bound(
            a,
            cost,
            *implied_bounds(a, col_lower, col_upper, row_lower, row_upper),
            row_lower,
            row_upper,
            duals,
            kept_rows=budget_rows,
            cfg=cfg,
        )
        + lp.offset_,
    )


def dual_bound(
    a: sp.csr_matrix,
    cost: np.ndarray,
    col_lower: np.ndarray,
    col_upper: np.ndarray,
    row_lower: np.ndarray,
    row_upper: np.ndarray,
    row_dual: np.ndarray,
    kept_rows: np.ndarray | None = None,
    cfg: SolverConfig | None = None,
) -> float:
    """A lower bound on ``min cost x`` over ``row_lower <= a x <= row_upper``,
    ``col_lower <= x <= col_upper``, from any row prices (Lagrangian duality; -inf where
    they leave a column unbounded below).

    With prices y (HiGHS's signs: >= 0 on a row at its lower side, <= 0 at its upper;
    a price of the wrong sign for the row's bounds counts 0), every feasible x costs at
    least y's price of the row bounds plus the least each column can cost at its reduced
    cost c - a'y within its bounds. Reduced costs within round-off of 0 count 0.
    ``kept_rows`` (a few rows, the yearly ones) are not priced but kept: their columns'
    least cost is a small LP, which chooses their prices best for the others' (a
    Lagrangian relaxation of the other rows only), solved with ``cfg``'s options.
    """
    y = np.where(np.isfinite(row_lower), np.maximum(row_dual, 0.0), 0.0) + np.where(
        np.isfinite(row_upper), np.minimum(row_dual, 0.0), 0.0
    )
    kept = np.asarray([] if kept_rows is None else kept_rows, dtype=int)
    y[kept] = 0.0
    reduced = cost - a.T @ y
    reduced[np.abs(reduced) <= _ROUND_OFF * np.maximum(1.0, np.abs(cost))] = 0.0
    in_kept = np.zeros(a.shape[1], dtype=bool)
    in_kept[a[kept].indices] = True
    alone = ~in_kept & (reduced != 0)
    bound = np.where(reduced > 0, col_lower, np.where(reduced < 0, col_upper, 0.0))[alone]
    if not np.isfinite(bound).all():
        return -np.inf
    rows = np.where(y > 0, row_lower, np.where(y < 0, row_upper, 0.0))
    priced = float(reduced[alone] @ bound + y[y != 0] @ rows[y != 0])
    if not kept.size:
        return priced
    cols = np.flatnonzero(in_kept)
    h = new_highs(cfg or SolverConfig())
    h.setOptionValue("presolve", "off")  # presolve took 33 s on 5 rows x 88,000 columns
    h.passModel(
        _lp(a[kept][:, cols].tocsc(), reduced[cols], col_lower[cols], col_upper[cols],
            row_lower[kept], row_upper[kept])
    )  # fmt: skip
    h.run()
    if termination_of(h) != "optimal":
        return -np.inf
    return priced + h.getInfo().objective_function_value


def implied_bounds(
    a: sp.csr_matrix,
    col_lower: np.ndarray,
    col_upper: np.ndarray,
    row_lower: np.ndarray,
    row_upper: np.ndarray,
    rounds: int = 3,
) -> tuple[np.ndarray, np.ndarray]:
    """Column bounds implied by the rows: a column of a row whose other columns all have a
    finite least activity is bounded by what the row leaves it (bound propagation, as a
    presolve does). The check's free and unbounded columns (a store's level within the
    day, grid energy) are bounded so; without it the windows' duals, which disagree a
    little where two windows meet, gave no finite :func:`dual_bound`."""
    lower, upper = col_lower.astype(float), col_upper.astype(float)
    coo = a.tocoo()
    for _ in range(rounds):
        for sign, side in ((1.0, row_upper), (-1.0, -row_lower)):  # sign * a x <= side
            v = sign * coo.data
            least = v * np.where(v > 0, lower[coo.col], upper[coo.col])
            unbounded = ~np.isfinite(least)
            least = np.where(unbounded, 0.0, least)
            total = np.bincount(coo.row, least, a.shape[0])
            n_unbounded = np.bincount(coo.row, unbounded, a.shape[0])
            ok = np.isfinite(side[coo.row]) & (n_unbounded[coo.row] == unbounded) & (v != 0)
            limit = (side[coo.row] - (total[coo.row] - least)) / np.where(v != 0, v, 1.0)
            np.minimum.at(upper, coo.col[ok & (v > 0)], limit[ok & (v > 0)])
            np.maximum.at(lower, coo.col[ok & (v < 0)], limit[ok & (v < 0)])
    return np.minimum(lower, upper), upper  # round-off may cross them


def _part(bound: np.ndarray, used: np.ndarray, frac: np.ndarray) -> np.ndarray:
    """A window's share ``frac`` of what is left of a yearly row's bound (infinite stays)."""
    finite = np.isfinite(bound)
    return np.where(finite, (np.where(finite, bound, 0.0) - used) * frac, bound)


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


def _lp(
    a: sp.csc_matrix,
    cost: np.ndarray,
    col_lower: np.ndarray,
    col_upper: np.ndarray,
    row_lower: np.ndarray,
    row_upper: np.ndarray,
) -> Any:
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = a.shape[1], a.shape[0]
    lp.col_cost_, lp.col_lower_, lp.col_upper_ = cost, col_lower, col_upper
    lp.row_lower_, lp.row_upper_ = row_lower, row_upper
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = a.indptr.astype(np.int32)
    lp.a_matrix_.index_ = a.indices.astype(np.int32)
    lp.a_matrix_.value_ = a.data.astype(float)
    lp.sense_ = highspy.ObjSense.kMinimize
    return lp
