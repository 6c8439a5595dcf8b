import importlib

import energymodel as em


def test_version_is_set():
    assert em.__version__ != "0.0.0"


def test_public_functions_survive_the_submodule_of_the_same_name():
    # `energymodel.solve` is also a module; the package attribute must stay the function
    module = importlib.import_module("energymodel.solve")
    assert callable(em.solve)
    assert em.solve is em.api.solve
    assert module.solve_model is not None
