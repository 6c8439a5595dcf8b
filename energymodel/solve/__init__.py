"""Stage 5, the solve: a Pyomo model in, a :class:`SolveResult` out. The only package that
talks to HiGHS.

- :mod:`~energymodel.solve.compile`: the model as one sparse LP (the compiled Pyomo part,
  then the blocks built in bulk);
- :mod:`~energymodel.solve.highs`: loading highspy, options, running an LP;
- :mod:`~energymodel.solve.run`: ``solve_model`` (perfect foresight, or the years one by
  one: myopic);
- :mod:`~energymodel.solve.warm`: warm starts from the last basis of the same LP structure;
- :mod:`~energymodel.solve.diagnose`: why a scenario is infeasible, in its settings' words;
- :mod:`~energymodel.solve.result`: what a solve returns.
"""

from energymodel.solve.compile import Compiled, compile_model
from energymodel.solve.diagnose import (
    RELAXABLE,
    Violation,
    diagnose_infeasibility,
    find_violations,
)
from energymodel.solve.highs import (
    INFEASIBLE,
    TERMINATION,
    SolverUnavailableError,
    highs_version,
)
from energymodel.solve.result import SolveResult
from energymodel.solve.run import solve_model
from energymodel.solve.warm import clear_warm_starts, set_warm_start

__all__ = [
    "INFEASIBLE",
    "RELAXABLE",
    "TERMINATION",
    "Compiled",
    "SolveResult",
    "SolverUnavailableError",
    "Violation",
    "clear_warm_starts",
    "compile_model",
    "diagnose_infeasibility",
    "find_violations",
    "highs_version",
    "set_warm_start",
    "solve_model",
]
