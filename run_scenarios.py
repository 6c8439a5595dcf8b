"""Solve energymodel scenarios: ``python run_scenarios.py [SCENARIO...] [options]``.

A thin entry point; everything lives in :mod:`energymodel.cli` (``--help`` for options).
"""

import sys

from energymodel.cli import main

if __name__ == "__main__":
    sys.exit(main())
