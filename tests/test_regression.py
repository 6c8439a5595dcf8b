"""Regression: small scenarios end to end against stored references.

Regenerate on purpose only, with ``make update-reference``, and give the reason in
CHANGELOG.md under "Model behaviour". Capacities and costs are compared tightly; dispatch
is not compared (equal-cost dispatch may move between solver versions).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import xarray as xr

import energymodel as em

HERE = Path(__file__).parent
REFERENCE = HERE / "reference"
COMPARED = ["it_capacity_gw", "supply_capacity_gw", "cost_musd", "unserved_it_energy_twh"]


@pytest.mark.parametrize("scenario", ["small_baseline", "small_constrained", "small_committed"])
def test_scenario_matches_reference(scenario: str, update_reference: bool) -> None:
    res = em.run(HERE / "regression" / f"{scenario}.yaml")
    assert res.attrs["termination"] == "optimal"
    actual = res[COMPARED].assign_attrs(objective_musd=res.attrs["objective_musd"])
    path = REFERENCE / f"{scenario}.nc"
    if update_reference:
        actual.to_netcdf(path)
    expected = xr.load_dataset(path)
    assert actual.attrs["objective_musd"] == pytest.approx(
        expected.attrs["objective_musd"], rel=1e-6
    )
    for name in COMPARED:
        xr.testing.assert_allclose(actual[name], expected[name], rtol=1e-5, atol=1e-5)
