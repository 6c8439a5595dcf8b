import importlib
import re
import tomllib
from pathlib import Path

import energymodel as em

REPO = Path(__file__).resolve().parents[1]


def test_version_is_set():
    assert em.__version__ != "0.0.0"


def test_version_is_the_same_in_pyproject_the_package_and_its_fallback():
    declared = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["version"]
    assert em.__version__ == declared
    init = (REPO / "energymodel" / "__init__.py").read_text()
    assert re.search(r'__version__ = "([^"]+)"', init).group(1) == declared  # not installed


def test_public_functions_survive_the_submodule_of_the_same_name():
    # `energymodel.solve` is also a module; the package attribute must stay the function
    module = importlib.import_module("energymodel.solve")
    assert callable(em.solve)
    assert em.solve is em.api.solve
    assert module.solve_model is not None
