"""Import paths of release 0.1 that moved in 0.2; each still works, with a warning.

``import energymodel.schema`` gives :mod:`energymodel.scenario.schema` itself (the same
module object, so ``isinstance`` checks hold) and a ``DeprecationWarning`` naming the new
path. Remove this module, and its import in ``energymodel/__init__.py``, in 0.3.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import sys
import warnings
from collections.abc import Callable
from types import ModuleType
from typing import Any

MOVED: dict[str, str] = {
    "energymodel.schema": "energymodel.scenario.schema",
    "energymodel.scenario_problems": "energymodel.scenario.problems",
    "energymodel.scenario_resolve": "energymodel.scenario.resolve",
    "energymodel.scenario_validation": "energymodel.scenario.validate",
    "energymodel.scenario_inputs": "energymodel.scenario.against_inputs",
    "energymodel.inputs": "energymodel.data.tables",
    "energymodel.input_checks": "energymodel.data.checks",
    "energymodel.input_manifest": "energymodel.data.manifest",
    "energymodel.timeseries": "energymodel.data.timeseries",
    "energymodel.headline": "energymodel.compare.headline",
    "energymodel.figures": "energymodel.report.figures",
    "energymodel.figure_rendering": "energymodel.report.render",
    "energymodel.plotting": "energymodel.report.plotting",
    "energymodel.library": "energymodel.report.docs_page",
    "energymodel.cli": "energymodel.batch.cli",
}
"""Old module path -> new module path."""


class _MovedModules(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Resolve an old module path to the module at its new path."""

    def find_spec(
        self, fullname: str, path: object = None, target: object = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname not in MOVED:
            return None
        return importlib.machinery.ModuleSpec(fullname, self)

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType:
        new = MOVED[spec.name]
        warnings.warn(
            f"{spec.name} is now {new}; the old import path goes in energymodel 0.3",
            DeprecationWarning,
            stacklevel=2,
        )
        return importlib.import_module(new)

    def exec_module(self, module: ModuleType) -> None:
        """Nothing to run: the module at the new path is already loaded."""


def install() -> None:
    """Put the finder on ``sys.meta_path`` once."""
    if not any(isinstance(f, _MovedModules) for f in sys.meta_path):
        sys.meta_path.append(_MovedModules())


def moved_attributes(module: str, moved: dict[str, str]) -> Callable[[str], Any]:
    """A module ``__getattr__`` for names that moved out of ``module``, with a warning.

    ``moved`` maps each old name to the module that now holds it.
    """

    def __getattr__(name: str) -> Any:
        if name not in moved:
            raise AttributeError(f"module {module!r} has no attribute {name!r}")
        warnings.warn(
            f"{module}.{name} is now {moved[name]}.{name}; the old path goes in energymodel 0.3",
            DeprecationWarning,
            stacklevel=2,
        )
        return getattr(importlib.import_module(moved[name]), name)

    return __getattr__
