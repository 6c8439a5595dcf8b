"""Stage 11, batches: scenario files in, a results folder out (``run_scenarios.py``).

- :mod:`~energymodel.batch.runner`: ``run_one`` (one scenario -> ``<name>.nc``) and
  ``run_batch`` (in this process, a process pool or a Dask cluster);
- :mod:`~energymodel.batch.pool`: process pools and Dask; workers that die;
- :mod:`~energymodel.batch.store`: content hashes, atomic writes, stale temporary files;
- :mod:`~energymodel.batch.lock`: one batch per results folder;
- :mod:`~energymodel.batch.combine`: ``all.nc`` and ``summary.csv`` / ``summary.md``;
- :mod:`~energymodel.batch.progress`: progress bar and log lines;
- :mod:`~energymodel.batch.cli`: the command line.
"""

from energymodel.batch.combine import combine, write_summary
from energymodel.batch.runner import RunSummary, run_batch, run_one
from energymodel.batch.store import clean_stale_tmp, input_hash, result_path, write_atomic

__all__ = [
    "RunSummary",
    "clean_stale_tmp",
    "combine",
    "input_hash",
    "result_path",
    "run_batch",
    "run_one",
    "write_atomic",
    "write_summary",
]
