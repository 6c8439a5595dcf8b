"""Stage 7, results: primal values and duals of a solved model -> the results Dataset.

- :mod:`~energymodel.results.dataset`: :func:`to_dataset`, the contract's variables with
  units (``VARIABLES``);
- :mod:`~energymodel.results.checks`: the checks of a solved Dataset (inf, NaN);
- :mod:`~energymodel.results.tokens`: tokens demanded and the price response, and the IT
  fleet by accelerator generation.
"""

from energymodel.results.checks import NEVER_NAN, flag_nonfinite, nonfinite_variables
from energymodel.results.dataset import (
    SHED_TOLERANCE,
    VARIABLES,
    ZERO_TOLERANCE,
    shed_flags,
    to_dataset,
)

__all__ = [
    "NEVER_NAN",
    "SHED_TOLERANCE",
    "VARIABLES",
    "ZERO_TOLERANCE",
    "flag_nonfinite",
    "nonfinite_variables",
    "shed_flags",
    "to_dataset",
]
