"""What one solve returns to the rest of the package."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from energymodel.model.arrays import Solution as ArraySolution
from energymodel.solve.diagnose import Violation


@dataclass(frozen=True)
class SolveResult:
    """What the rest of the package needs to know about one solve.

    ``col_value`` and ``row_dual`` are HiGHS's own arrays; ``column`` and ``row`` map a
    Pyomo variable or constraint (by ``id``) to its position in them, so results can be
    read without asking Pyomo for every value.
    """

    termination: str
    optimal: bool
    objective_musd: float | None
    load_time_s: float
    solve_time_s: float
    highs_run_time_s: float
    col_value: np.ndarray = field(repr=False)
    row_dual: np.ndarray = field(repr=False)
    column: dict[int, int] = field(repr=False)
    row: dict[int, int] = field(repr=False)
    diagnosis: tuple[str, ...] = ()
    highs_version: str = ""
    arrays: ArraySolution | None = field(default=None, repr=False)
    """How to read the bulk-built blocks (``m.arrays``) from ``col_value`` and ``row_dual``."""
    violations: tuple[Violation, ...] = ()
    warm_start: bool = False
    """True when HiGHS started from a stored basis (:mod:`energymodel.solve.warm`)."""
    simplex_iterations: int = 0
    method_used: str = ""
    """The LP method HiGHS used (``simplex``, ``ipx``, ``hipo``, ``pdlp``, ``presolve``)."""
    dual_pricing: str = ""
    """Dual simplex pricing asked of HiGHS (``solver.dual_pricing``, ``auto`` resolved)."""
    windows: int = 0
    """Windows of days the year was solved in (:mod:`energymodel.solve.rolling`); 0: whole."""
    objective_bound_musd: float | None = None
    """Solved in windows: no solution of the whole LP costs less (the windows' duals'
    bound, :func:`~energymodel.solve.bound.dual_bound`, yearly rows kept). None: solved whole."""
