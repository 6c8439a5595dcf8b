"""Combined results: concat along scenario, sweep coordinates, differences, summaries."""

import json
import os
import time

import numpy as np
import pytest
import xarray as xr
from fake_runner import fake_run

from energymodel.compare import (
    combine_datasets,
    difference,
    headline,
    markdown_table,
    open_results,
    summary_table,
)
from energymodel.scenario.schema import Scenario

SUMMARY_COLUMNS = [
    "scenario",
    "year",
    "it_capacity_gw",
    "facility_energy_twh",
    "world_avg_cost_usd_per_mtok",
    "marginal_cost_usd_per_mtok",
    "break_even_revenue_busd",
    "revenue_gap_busd",
    "capex_busd",
    "power_cost_usd_per_mwh",
    "cost_per_gpu_hour_usd",
    "unserved_it_energy_twh",
    "emissions_mtco2",
]


def _scenario(name, **kw):
    return Scenario(name=name, **kw)


def _runs():
    base = fake_run(_scenario("base", years=[2025, 2030], regions=["us_east", "europe"]))
    cheap = fake_run(
        _scenario(
            "cheap",
            years=[2025, 2030],
            regions=["us_east", "europe"],
            prices={"electricity_multiplier": 0.5},
        )
    )
    cheap.attrs["sweep__prices.electricity_multiplier"] = 0.5
    # Another region and year: the outer join fills NaN.
    china = fake_run(_scenario("china", years=[2025, 2028], regions=["china"]))
    china.attrs["sweep__demand.trajectory"] = "low"
    return {"base": base, "cheap": cheap, "china": china}


def test_combine_outer_joins_and_keeps_sweeps_and_units():
    ds = combine_datasets(_runs())

    assert ds["scenario"].values.tolist() == ["base", "cheap", "china"]
    assert ds.sizes["year"] == 3  # 2025, 2028, 2030
    assert ds.sizes["region"] == 3
    assert np.isnan(ds["it_capacity_gw"].sel(scenario="base", region="china", year=2025))
    sweep = ds["sweep__prices.electricity_multiplier"]
    assert sweep.dims == ("scenario",)
    assert np.isnan(sweep.sel(scenario="base"))
    assert float(sweep.sel(scenario="cheap")) == 0.5
    assert ds["sweep__demand.trajectory"].values.tolist() == ["", "", "low"]
    assert ds["it_capacity_gw"].attrs["units"] == "GW"
    attrs = json.loads(ds.attrs["scenario_attrs"])
    assert attrs["cheap"]["termination"] == "optimal"


def test_checked_and_unchecked_runs_combine():
    # time.check: auto checks some runs only: the hardest days (a dimension of the
    # checked runs alone, 2 days here and 3 there) join outer, NaN where not checked
    runs = _runs()
    runs["base"] = (
        runs["base"]
        .assign(time_check_hardest_day=("hardest", [200.0, 201.0]))
        .assign_coords(hardest=[0, 1])
    )
    runs["china"] = (
        runs["china"]
        .assign(time_check_hardest_day=("hardest", [5.0, 6.0, 7.0]))
        .assign_coords(hardest=[0, 1, 2])
    )

    ds = combine_datasets(runs)

    assert ds.sizes["hardest"] == 3
    days = ds["time_check_hardest_day"]
    assert days.sel(scenario="base").values.tolist()[:2] == [200.0, 201.0]
    assert np.isnan(days.sel(scenario="base", hardest=2))
    assert np.isnan(days.sel(scenario="cheap")).all()
    assert days.sel(scenario="china").values.tolist() == [5.0, 6.0, 7.0]


def test_combined_round_trips_through_netcdf(tmp_path):
    ds = combine_datasets(_runs())
    ds.to_netcdf(tmp_path / "all.nc")

    back = xr.load_dataset(tmp_path / "all.nc")

    xr.testing.assert_allclose(back["it_capacity_gw"], ds["it_capacity_gw"])


def test_summary_table_rows_and_columns():
    table = summary_table(combine_datasets(_runs()))

    for column in SUMMARY_COLUMNS:
        assert column in table.columns
    assert len(table) == 3 * 3  # scenario x year (outer join)
    base = table.set_index(["scenario", "year"]).loc[("base", 2030)]
    # fake_run: capacity 10 x growth(2030 = 2) x (1 + 2) over two regions.
    assert base["it_capacity_gw"] == pytest.approx(60.0)
    assert base["break_even_revenue_busd"] == pytest.approx(2 * 3 * 1.09)  # one unit: $B
    assert base["marginal_cost_usd_per_mtok"] == pytest.approx(0.5)
    assert "sweep__prices.electricity_multiplier" in table.columns


def test_summary_table_of_one_scenario():
    table = summary_table(_runs()["base"])

    assert table["scenario"].unique().tolist() == ["base"]
    assert table["year"].tolist() == [2025, 2030]


def test_headline_is_last_year_in_billions():
    table = headline(combine_datasets(_runs()))

    assert table.attrs["year"] == 2030
    assert table.loc["cheap", "world_avg_cost_usd_per_mtok"] == pytest.approx(0.75)
    assert table.loc["base", "break_even_revenue_busd"] == pytest.approx(2 * 3 * 1.09)
    text = markdown_table(table)
    assert text.splitlines()[0].startswith("| scenario | IT capacity (GW)")
    assert "| cheap |" in text


def test_difference_subtracts_the_reference():
    ds = combine_datasets(_runs())

    diff = difference(ds, "base")

    assert float(abs(diff["it_capacity_gw"].sel(scenario="base")).max()) == 0.0
    assert float(diff["world_avg_cost_usd_per_mtok"].sel(scenario="cheap", year=2030)) == (
        pytest.approx(-0.75)
    )
    assert diff["it_capacity_gw"].attrs["units"] == "GW"
    with pytest.raises(KeyError, match="nope"):
        difference(ds, "nope")


def test_open_results_uses_current_all_nc_and_recombines_when_stale(tmp_path):
    runs = _runs()
    for name, ds in runs.items():
        ds.to_netcdf(tmp_path / f"{name}.nc")
    combine_datasets(runs).assign_attrs(marker="from all.nc").to_netcdf(tmp_path / "all.nc")

    assert open_results(tmp_path).attrs["marker"] == "from all.nc"

    later = time.time() + 5
    os.utime(tmp_path / "base.nc", (later, later))  # a scenario re-run after all.nc
    fresh = open_results(tmp_path)
    assert "marker" not in fresh.attrs
    assert fresh["scenario"].values.tolist() == ["base", "cheap", "china"]


def test_cost_of_power_per_mwh_counts_supply_fuel_grid_and_connection_only():
    # Two regions, one year. Power components: r1 40 + 10 + 20 + 5 = 75 M$; r2 25 + 0 + 0
    # + 0 = 25 M$; accelerators and the unserved penalty are left out. Facility energy
    # 0.4 + 0.1 TWh, so (75 + 25) M$ / 0.5 TWh = 200 $/MWh.
    from energymodel.compare import world_figures

    components = ["accelerators", "power_capex", "fuel", "grid_energy", "grid_connection",
                  "unserved"]  # fmt: skip
    cost = [[[900.0, 40.0, 10.0, 20.0, 5.0, 1e6], [500.0, 25.0, 0.0, 0.0, 0.0, 0.0]]]
    ds = xr.Dataset(
        {
            "cost_musd": (("year", "region", "component"), cost),
            "facility_energy_twh": (("year", "region"), [[0.4, 0.1]]),
        },
        coords={"year": [2030], "region": ["r1", "r2"], "component": components},
    )
    assert float(world_figures(ds)["power_cost_usd_per_mwh"].sel(year=2030)) == pytest.approx(200)
