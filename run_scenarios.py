"""Solve energymodel scenarios: ``python run_scenarios.py [SCENARIO...] [options]``.

A thin entry point; everything lives in :mod:`energymodel.batch.cli` (``--help`` for options).
"""

import sys

from energymodel.batch.cli import main

if __name__ == "__main__":
    sys.exit(main())
