"""``python -m energymodel.scenario --write-schema [PATH]``."""

from energymodel.scenario.load import main

raise SystemExit(main())
