"""Stage 1, the data: the CSV tables of ``inputs/`` in, checked tables and time series out.

- :mod:`~energymodel.data.manifest`: what each table holds (columns, units, ranges): the
  data dictionary;
- :mod:`~energymodel.data.checks`: reading one table and checking it against the manifest;
- :mod:`~energymodel.data.tables`: ``load_inputs(dir) -> Inputs``, or one ``InputError``
  listing every problem with its file, line and column;
- :mod:`~energymodel.data.timeseries`: a year of hourly profiles -> representative days
  with their weights in hours (tsam).
"""

from energymodel.data.tables import InputError, Inputs, check_inputs, load_inputs
from energymodel.data.timeseries import Timeslices, representative_days

__all__ = [
    "InputError",
    "Inputs",
    "Timeslices",
    "check_inputs",
    "load_inputs",
    "representative_days",
]
