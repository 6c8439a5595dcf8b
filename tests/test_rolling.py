"""The full-year dispatch in windows of days (``energymodel.solve.rolling``), hand-worked.

Four days, one generator a day (cost 1, 2, 5, 6 per unit, at most 1) or unserved load
(100 a unit) to meet a demand of 1 a day; a ramp row that links day 1 to day 2
(g2 <= g1 + 0.5); a yearly budget (g0 + g1 + g2 + g3 <= 2); a yearly soft minimum
(g0 + g1 + g2 + g3 + z >= 3, z a yearly shortfall at 10 a unit).

The whole year: g0 = g1 = 1 (3), days 2 and 3 unserved (200), z = 1 (10): 213.

Two windows of two days, no overlap. Each day could use 1 unit of either yearly row,
so the first window gets 2/4 of each: budget 1, minimum 1.5. It runs g0 = 1 (1), sheds
day 1 (100), z = 0.5 (5): 106. The second gets what is left: budget 2 - 1 = 1, minimum
3 - 1.5 = 1.5; the ramp row holds g2 <= 0 + 0.5, so g2 = g3 = 0.5 (2.5 + 3), half of
each day shed (100), z = 0.5 (5): 110.5. In all 216.5, above the whole year's 213: the
budget went by what each window could use, not by value.
"""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

from energymodel.scenario.schema import SolverConfig
from energymodel.solve import rolling
from energymodel.solve.bound import dual_bound, implied_bounds
from energymodel.solve.highs import highspy
from energymodel.solve.rolling import _upper_bounds, solve_rolling
from energymodel.solve.warm import clear_warm_starts

INF = np.inf
# columns: g0..g3, u0..u3, z
COL_DAY = np.array([0, 1, 2, 3, 0, 1, 2, 3, -1])
COST = np.array([1, 2, 5, 6, 100, 100, 100, 100, 10], float)
ROWS = [  # (coefficients by column, lower, upper)
    *[({d: 1, 4 + d: 1}, 1, INF) for d in range(4)],  # demand of each day
    ({1: -1, 2: 1}, -INF, 0.5),  # ramp: g2 <= g1 + 0.5
    ({0: 1, 1: 1, 2: 1, 3: 1}, -INF, 2),  # yearly budget
    ({0: 1, 1: 1, 2: 1, 3: 1, 8: 1}, 3, INF),  # yearly soft minimum
]


def highs_lp(
    a: sp.csc_matrix,
    cost: np.ndarray,
    col_lower: np.ndarray,
    col_upper: np.ndarray,
    row_lower: np.ndarray,
    row_upper: np.ndarray,
):
    """The ``HighsLp`` that ``solve_rolling`` takes, as the check's compiled LP is."""
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


def _four_days(extra_row: dict[int, float] | None = None):
    rows = [*ROWS, (extra_row, -INF, 1)] if extra_row else ROWS
    a = sp.lil_matrix((len(rows), COST.size))
    for i, (coefs, _, _) in enumerate(rows):
        for j, v in coefs.items():
            a[i, j] = v
    upper = np.array([1, 1, 1, 1, INF, INF, INF, INF, INF])
    return highs_lp(
        a.tocsc(),
        COST,
        np.zeros(COST.size),
        upper,
        np.array([r[1] for r in rows], float),
        np.array([r[2] for r in rows], float),
    )


@pytest.fixture
def one_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    """The windows once, as the module docstring works them: no second pass at one price."""
    monkeypatch.setattr(rolling, "REPRICE_GAP", INF)


@pytest.mark.usefixtures("one_pass")
def test_windows_keep_every_row_and_spread_yearly_rows_by_potential() -> None:
    run = solve_rolling(_four_days(), COL_DAY, SolverConfig(), window_days=2, overlap_days=0)
    assert run is not None
    assert run.windows == 2
    assert run.simplex_iterations > 0  # summed over the windows
    np.testing.assert_allclose(run.col_value, [1, 0, 0.5, 0.5, 0, 1, 0.5, 0.5, 1], atol=1e-9)
    assert run.objective_musd == pytest.approx(216.5)


def test_a_window_as_long_as_the_year_leaves_the_year_whole() -> None:
    assert solve_rolling(_four_days(), COL_DAY, SolverConfig(), window_days=4) is None


def test_overlap_lets_a_window_see_past_its_end() -> None:
    # window [0, 2) looks at days 2-3 too: it is given the whole year's rows and keeps
    # the whole year's days 0-1 (g0 = g1 = 1); the second window then finds the rest
    run = solve_rolling(_four_days(), COL_DAY, SolverConfig(), window_days=2, overlap_days=2)
    assert run is not None
    assert run.objective_musd == pytest.approx(213.0)


def test_a_yearly_column_in_an_hourly_row_leaves_the_year_whole() -> None:
    lp = _four_days(extra_row={0: 1, 8: 1})  # z beside one day's generator: not a yearly sum
    assert solve_rolling(lp, COL_DAY, SolverConfig(), window_days=2, overlap_days=0) is None


def test_dual_bound_by_hand() -> None:
    # min x1 + 2 x2, x1 + x2 >= 1 (row 0), x1 <= 4 (row 1), x >= 0: the optimum is 1.
    # y = (1, 0): reduced costs (0, 1) at their lower bounds 0, plus 1 x 1: 1, the optimum.
    # y = (0.5, 0): (0.5, 1.5) at 0, plus 0.5: 0.5. y = (-1, 0): row 0 has no upper side,
    # so its price counts 0: (1, 2) at 0: 0. y = (3, -1): x1's reduced cost 1 - 3 + 1 = -1
    # at its bound 4 (row 1 holds it alone): -4, x2's 2 - 3 = -1 with no bound: -inf.
    # y = (1.5, -0.5): x1 -> 1 - 1.5 + 0.5 = 0, x2 -> 0.5 at 0, plus 1.5 x 1 - 0.5 x 4: -0.5
    a = sp.csr_matrix(np.array([[1.0, 1.0], [1.0, 0.0]]))
    cost, lower, upper = np.array([1.0, 2.0]), np.zeros(2), np.full(2, INF)
    rl, ru = np.array([1.0, -INF]), np.array([INF, 4.0])

    def bound(y: list[float]) -> float:
        return dual_bound(a, cost, lower, _upper_bounds(a, upper, ru), rl, ru, np.array(y))

    assert bound([1.0, 0.0]) == pytest.approx(1.0)
    assert bound([0.5, 0.0]) == pytest.approx(0.5)
    assert bound([-1.0, 0.0]) == 0.0
    assert bound([3.0, -1.0]) == -INF
    assert bound([1.5, -0.5]) == pytest.approx(-0.5)


def test_kept_rows_choose_their_own_price() -> None:
    # min x1 + 2 x2, x1 + x2 >= 1 (row 0, kept), x1 <= 0.5 (row 1, priced): the optimum
    # is x1 = x2 = 0.5, 1.5. Row 1 at y = -1: x1's reduced cost 1 + 1 = 2, x2's 2; the
    # kept row's LP, min 2 x1 + 2 x2 with x1 + x2 >= 1, gives 2; plus -1 x 0.5: 1.5, the
    # optimum. At y = 0: min x1 + 2 x2 with x1 + x2 >= 1 is 1 (x1 = 1). Pricing row 0 as
    # well at 0 leaves nothing to hold x1 and x2 up: 0.
    a = sp.csr_matrix(np.array([[1.0, 1.0], [1.0, 0.0]]))
    cost, lower, upper = np.array([1.0, 2.0]), np.zeros(2), np.full(2, INF)
    rl, ru = np.array([1.0, -INF]), np.array([INF, 0.5])

    def bound(y: list[float], kept: list[int]) -> float:
        return dual_bound(a, cost, lower, upper, rl, ru, np.array(y), kept_rows=np.array(kept))

    assert bound([0.0, -1.0], [0]) == pytest.approx(1.5)
    assert bound([0.0, 0.0], [0]) == pytest.approx(1.0)
    assert bound([0.0, 0.0], []) == 0.0


def test_implied_bounds_by_hand() -> None:
    # x1, x2 >= 0 and s free; x1 + x2 <= 4 bounds x1 and x2 by 4; s = x1 then holds s
    # at or above 0 (x1's least) in the first round, and at or below 4 only in the
    # second, once x1's bound is known
    a = sp.csr_matrix(np.array([[1.0, 1.0, 0.0], [-1.0, 0.0, 1.0]]))
    lower, upper = np.array([0.0, 0.0, -INF]), np.full(3, INF)
    rl, ru = np.array([-INF, 0.0]), np.array([4.0, 0.0])
    lo, up = implied_bounds(a, lower, upper, rl, ru, rounds=1)
    np.testing.assert_array_equal(lo, [0, 0, 0])
    np.testing.assert_array_equal(up, [4, 4, INF])
    lo, up = implied_bounds(a, lower, upper, rl, ru, rounds=2)
    np.testing.assert_array_equal(up, [4, 4, 4])


@pytest.mark.usefixtures("one_pass")
def test_the_windows_bound_the_whole_year_from_both_sides() -> None:
    # the windows' cost (216.5, the module docstring) is above the whole year's 213, and
    # the bound below it. The windows' prices: 100 on each day's demand, -1 on the ramp
    # (g2 <= g1 + 0.5). The yearly rows are kept: reduced costs g0 1 - 100 = -99,
    # g1 2 - 100 - 1 = -99, g2 5 - 100 + 1 = -94, g3 -94, u 0, z 10; the kept rows'
    # LP takes g0 = g1 = 1 and z = 1: -188; plus 4 x 100 - 0.5 x 1: 211.5. Overlapping
    # the whole year, the two meet
    run = solve_rolling(_four_days(), COL_DAY, SolverConfig(), window_days=2, overlap_days=0)
    assert run is not None
    assert run.lower_bound_musd == pytest.approx(211.5)
    assert run.objective_musd >= 213.0
    whole = solve_rolling(_four_days(), COL_DAY, SolverConfig(), window_days=2, overlap_days=2)
    assert whole is not None
    assert whole.lower_bound_musd <= whole.objective_musd + 1e-9


def test_windows_again_at_one_price_close_the_bound_and_follow_its_use() -> None:
    # The first pass (216.5, bound 211.5: above) is 2.3% above its bound, so the windows
    # run again. The bound's small LP priced the yearly rows at -104 (budget: one more
    # unit lets g2 replace the shortfall, -94 - 10) and 10 (the soft minimum: z). At those
    # prices, without the yearly rows, each unit of g costs c + 104 - 10: g0 95, g1 96,
    # g2 99 (ramp g2 <= 1.5), g3 100 against shedding at 100, a tie HiGHS leaves at
    # shedding: g = (1, 1, 1, 0). The bound from those windows' prices: each day's demand
    # 100, the ramp 0; reduced costs g0 -99, g1 -98, g2 -95, g3 -94, z 10; the kept rows'
    # LP takes g0 = g1 = 1, z = 1: -187; plus 400: 213, the whole year's optimum. A third
    # pass gives each window what that pass put into its days (g: 2 on days 0-1, 1 on
    # days 2-3, both rows), plus its share by potential (1/2, then all) of what it left
    # over: budget (2 - 3) / 2 + 2 = 1.5 and minimum (3 - 3) / 2 + 2 = 2 on days 0-1:
    # g0 = 1, g1 = 0.5, shed 0.5, z = 0.5: 57. Then budget 2 - 1.5 - 1 + 1 = 0.5 and
    # minimum 3 - 2 - 1 + 1 = 1 (z's 0.5 counts), g2 <= 0.5 + 0.5: g2 = 0.5, shed 0.5 and
    # 1, z = 0.5: 157.5. In all 214.5, below the first pass's 216.5, so it is kept.
    run = solve_rolling(_four_days(), COL_DAY, SolverConfig(), window_days=2, overlap_days=0)
    assert run is not None
    assert run.windows == 2  # a pass's windows; time and iterations are the passes'
    assert run.lower_bound_musd == pytest.approx(213.0)
    assert run.objective_musd == pytest.approx(214.5)
    np.testing.assert_allclose(run.col_value, [1, 0.5, 0.5, 0, 0, 0.5, 0.5, 1, 1], atol=1e-9)


def test_the_same_lp_in_windows_is_solved_once_per_process() -> None:
    # book_life's three runs share a plan, and so every check LP: the second solve of
    # the same LP (same windows, same options) takes the first's solution, at no HiGHS
    # time; a changed window, or warm starts off (run_scenarios.py --cold), solves again
    from energymodel.solve import set_warm_start

    first = solve_rolling(_four_days(), COL_DAY, SolverConfig(), window_days=2, overlap_days=0)
    again = solve_rolling(_four_days(), COL_DAY, SolverConfig(), window_days=2, overlap_days=0)
    assert first is not None
    assert again is not None
    assert first.simplex_iterations > 0
    assert again.simplex_iterations == 0
    assert again.highs_run_time_s == 0.0
    assert again.objective_musd == first.objective_musd
    assert again.lower_bound_musd == first.lower_bound_musd
    np.testing.assert_array_equal(again.col_value, first.col_value)
    again.col_value[:] = -1.0  # a caller's copy: what is kept does not change
    third = solve_rolling(_four_days(), COL_DAY, SolverConfig(), window_days=2, overlap_days=0)
    assert third is not None
    np.testing.assert_array_equal(third.col_value, first.col_value)
    overlap = solve_rolling(_four_days(), COL_DAY, SolverConfig(), window_days=2, overlap_days=2)
    assert overlap is not None
    assert overlap.simplex_iterations > 0
    set_warm_start(False)
    cold = solve_rolling(_four_days(), COL_DAY, SolverConfig(), window_days=2, overlap_days=0)
    assert cold is not None
    assert cold.simplex_iterations > 0


def test_rows_days_and_yearly_rows_by_hand() -> None:
    # columns on days 0, 1, 2, 364 and a yearly column (-1). Rows: one day (0); the
    # year's last day to its first (364, 0: two days, a linking row); three days (0-2:
    # yearly); a yearly column beside day 2 (-1 and 2: two "days", linking);
    # an empty row (no day)
    from energymodel.solve.rolling import _days_of_rows

    col_day = np.array([0, 1, 2, 364, -1])
    a = sp.csr_matrix(
        np.array(
            [
                [1.0, 0, 0, 0, 0],
                [1.0, 0, 0, -1.0, 0],
                [1.0, 1.0, 1.0, 0, 0],
                [0, 0, 1.0, 0, 1.0],
                [0, 0, 0, 0, 0],
            ]
        )
    )
    last, yearly = _days_of_rows(a, col_day)
    np.testing.assert_array_equal(last, [0, 364, 2, 2, -1])
    np.testing.assert_array_equal(yearly, [False, False, True, False, False])


@pytest.mark.usefixtures("one_pass")
def test_a_later_solve_starts_each_window_from_its_basis() -> None:
    # A refinement round checks another plan in the same LP: only row bounds change.
    # Day 3's demand falls to 0.5: the first window is as before (106); the second
    # has budget 1 and minimum 1.5 as before, g2 <= 0.5 (ramp) and g3 = 0.5 serve day
    # 2 by half (shed 0.5: 50) and day 3 whole (2.5 + 3), z = 0.5 (5): 60.5; in all
    # 166.5. From the first solve's bases, each window gives what a cold solve gives.
    bases: dict = {}
    cfg = SolverConfig()
    first = solve_rolling(_four_days(), COL_DAY, cfg, window_days=2, overlap_days=0, bases=bases)
    assert first is not None
    assert first.objective_musd == pytest.approx(216.5)
    assert set(bases) == {("share", 0), ("share", 2)}
    kept = dict(bases)
    lp = _four_days()
    lp.row_lower_ = np.array([1, 1, 1, 0.5, -INF, -INF, 3], float)
    warm = solve_rolling(lp, COL_DAY, cfg, window_days=2, overlap_days=0, bases=bases)
    assert warm is not None
    assert warm.objective_musd == pytest.approx(166.5)
    assert bases[("share", 2)] is not kept[("share", 2)]  # each window leaves its new basis
    clear_warm_starts()  # else the same LP's solution is taken, not solved again
    cold = solve_rolling(lp, COL_DAY, cfg, window_days=2, overlap_days=0, bases={})
    assert cold is not None
    np.testing.assert_allclose(warm.col_value, cold.col_value, atol=1e-9)
    assert warm.simplex_iterations < cold.simplex_iterations  # 0 against 3: still optimal


@pytest.mark.usefixtures("one_pass")
def test_a_basis_that_does_not_fit_its_window_is_not_used() -> None:
    # a basis of another LP (one column, one row) cannot start a window: HiGHS refuses
    # it and the window is solved cold, to the module docstring's 216.5, in as many
    # iterations as without it
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.passModel(highs_lp(sp.csc_matrix(np.ones((1, 1))), np.ones(1), np.zeros(1),
                         np.ones(1), np.ones(1), np.ones(1)))  # fmt: skip
    h.run()
    other = h.getBasis()
    bases = {("share", 0): other, ("share", 2): other}
    run = solve_rolling(
        _four_days(), COL_DAY, SolverConfig(), window_days=2, overlap_days=0, bases=bases
    )
    assert run is not None
    assert run.objective_musd == pytest.approx(216.5)
    clear_warm_starts()  # else the same LP's solution is taken, not solved again
    cold = solve_rolling(_four_days(), COL_DAY, SolverConfig(), window_days=2, overlap_days=0)
    assert cold is not None
    assert run.simplex_iterations == cold.simplex_iterations > 0  # solved cold, as this
