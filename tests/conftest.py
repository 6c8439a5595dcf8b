"""Shared pytest options."""

from __future__ import annotations

import pytest


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-reference",
        action="store_true",
        help="rewrite tests/reference/*.nc from the current model (say why in CHANGELOG)",
    )


@pytest.fixture
def update_reference(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-reference"))


@pytest.fixture(autouse=True)
def _cold_solver():
    """Each test starts with no stored basis: a warm start never carries across tests."""
    from energymodel.solve import clear_warm_starts, set_warm_start

    clear_warm_starts()
    set_warm_start(True)
    yield
    clear_warm_starts()
