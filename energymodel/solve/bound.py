"""Lower bounds on an LP's optimum from any prices of its rows (Lagrangian duality).

The full-year check dispatches a year in windows (:mod:`energymodel.solve.rolling`);
their cost is an upper bound on the year's optimum, and these bounds, from the windows'
row prices, a lower one: where the two meet, the windows are the year's optimum, proven
(``docs/time.md``).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import scipy.sparse as sp

from energymodel.scenario.schema import SolverConfig
from energymodel.solve.highs import new_highs, pass_lp, termination_of

_ROUND_OFF = 1e-9  # a reduced cost this small (relative to the cost) is 0


def dual_bound(*args: Any, **kwargs: Any) -> float:
    """:func:`lagrangian_bound`'s bound alone."""
    return lagrangian_bound(*args, **kwargs)[0]


def lagrangian_bound(
    a: sp.csr_matrix,
    cost: np.ndarray,
    col_lower: np.ndarray,
    col_upper: np.ndarray,
    row_lower: np.ndarray,
    row_upper: np.ndarray,
    row_dual: np.ndarray,
    kept_rows: np.ndarray | None = None,
    cfg: SolverConfig | None = None,
) -> tuple[float, np.ndarray]:
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
    Returns the bound and the prices its small LP chose for ``kept_rows`` (0 where it
    gave none).
    """
    kept = np.asarray([] if kept_rows is None else kept_rows, dtype=int)
    none = np.zeros(kept.size)
    y = np.where(np.isfinite(row_lower), np.maximum(row_dual, 0.0), 0.0) + np.where(
        np.isfinite(row_upper), np.minimum(row_dual, 0.0), 0.0
    )
    y[kept] = 0.0
    reduced = cost - a.T @ y
    reduced[np.abs(reduced) <= _ROUND_OFF * np.maximum(1.0, np.abs(cost))] = 0.0
    in_kept = np.zeros(a.shape[1], dtype=bool)
    in_kept[a[kept].indices] = True
    alone = ~in_kept & (reduced != 0)
    bound = np.where(reduced > 0, col_lower, np.where(reduced < 0, col_upper, 0.0))[alone]
    if not np.isfinite(bound).all():
        return -np.inf, none
    rows = np.where(y > 0, row_lower, np.where(y < 0, row_upper, 0.0))
    priced = float(reduced[alone] @ bound + y[y != 0] @ rows[y != 0])
    if not kept.size:
        return priced, none
    cols = np.flatnonzero(in_kept)
    h = new_highs(cfg or SolverConfig())
    h.setOptionValue("presolve", "off")  # presolve took 33 s on 5 rows x 88,000 columns
    pass_lp(h, a[kept][:, cols].tocsc(), reduced[cols], col_lower[cols], col_upper[cols],
            row_lower[kept], row_upper[kept])  # fmt: skip
    h.run()
    if termination_of(h) != "optimal":
        return -np.inf, none
    return priced + h.getInfo().objective_function_value, np.asarray(h.getSolution().row_dual)


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
