"""Numbers formatted for readers, and the power side in the summary (issue 28, items 4, 8)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import xarray as xr

from energymodel.compare import combine_datasets, markdown_table, summary_table
from energymodel.compare.headline import mark_shed, natural_key
from energymodel.compare.power import cost_per_gpu_hour, power_cost_by_component, power_details
from energymodel.compare.tables import _format_number

YEARS = [2025, 2030]


def _run(name: str, *, shed: float = 0.0, sweep: float | None = None) -> xr.Dataset:
    """A results-shaped Dataset: two regions, a grid and solar, costs by component."""
    regions, techs = ["r1", "r2"], ["solar_pv", "wind_onshore", "grid"]
    components = ["accelerators", "facility", "power_capex", "grid_energy", "unserved"]
    yr = ("year", "region")
    coords = {"year": YEARS, "region": regions, "tech": techs, "component": components}
    cost = np.zeros((2, 2, len(components)))
    cost[:, :, components.index("power_capex")] = 100.0  # M$
    cost[:, :, components.index("grid_energy")] = 300.0
    built = np.zeros((2, 2, 3))
    built[:, :, 0] = 1.0  # solar, GW
    built[:, :, 2] = 4e-14  # floating-point noise on the grid: not a build
    ds = xr.Dataset(
        {
            "it_capacity_gw": (yr, [[1.0, 3.0], [1.0, 3.0]]),
            "facility_energy_twh": (yr, np.full((2, 2), 5.0)),  # 400 M$ / 5 TWh = 80 $/MWh
            "cost_musd": (("year", "region", "component"), cost),
            "capex_musd": (("year", "region", "component"), cost * 10),
            "supply_capacity_new_gw": (("year", "region", "tech"), built),
            "generation_twh": (("year", "region", "tech"), built * 2),
            "cost_per_gpu_hour_usd": (yr, [[2.0, 4.0], [2.0, 4.0]]),
            "world_avg_cost_usd_per_mtok": (("year",), [0.4190, 0.4191]),
            "shed": (yr, [[0.0, 0.0], [shed, 0.0]]),
        },
        coords=coords,
        attrs={"scenario": name, "optimal": 1, "termination": "optimal"},
    )
    if sweep is not None:
        ds.attrs["sweep__finance.wacc"] = sweep
    return ds


def test_power_side_figures_are_averages_by_component_and_technology():
    ds = _run("a")
    by_component = power_cost_by_component(ds)
    # (100 + 300) M$ x 2 regions / 10 TWh = 80 $/MWh: capex 20, grid energy 60
    assert float(by_component.sel(year=2030, component="power_capex")) == pytest.approx(20.0)
    assert float(by_component.sel(year=2030, component="grid_energy")) == pytest.approx(60.0)
    details = power_details(ds)
    assert float(details["built__solar_pv_gw"].sel(year=2030)) == pytest.approx(2.0)
    assert "built__wind_onshore_gw" not in details  # never built: left out
    assert float(details["capex__accelerators_busd"].sel(year=2030)) == 0.0
    assert float(details["capex__power_capex_busd"].sel(year=2030)) == pytest.approx(2.0)
    # (2 x 1 + 4 x 3) / 4 GW = 3.5 $ per GPU-hour
    assert float(cost_per_gpu_hour(ds).sel(year=2030)) == pytest.approx(3.5)


def test_summary_has_the_power_side_in_billions_and_sorts_sweeps_as_numbers():
    runs = {
        n: _run(n, sweep=v) for n, v in [("s__x=10.0", 10.0), ("s__x=3.0", 3.0), ("s__x=1.0", 1.0)]
    }
    table = summary_table(combine_datasets(runs))
    assert table["scenario"].drop_duplicates().tolist() == ["s__x=1.0", "s__x=3.0", "s__x=10.0"]
    row = table.set_index(["scenario", "year"]).loc[("s__x=3.0", 2030)]
    assert row["power_cost_usd_per_mwh"] == pytest.approx(80.0)
    assert row["power_cost__grid_energy_usd_per_mwh"] == pytest.approx(60.0)
    assert row["capex_busd"] == pytest.approx(8.0)  # 4,000 M$ in two regions
    assert row["cost_per_gpu_hour_usd"] == pytest.approx(3.5)
    assert row["built__solar_pv_gw"] == pytest.approx(2.0)
    assert not [c for c in table.columns if str(c).endswith("_musd")]  # one money unit
    assert natural_key("a__w=2.5") < natural_key("a__w=10")


def test_markdown_shows_integer_years_three_figures_and_no_noise():
    assert _format_number(2025, "year") == "2025"
    assert _format_number(3.0, "shed") == "3"  # regions shedding: a count
    assert _format_number(0.4190, "world_avg_cost_usd_per_mtok") == "0.419"
    assert _format_number(0.4245, "marginal_cost_usd_per_mtok") == "0.424"
    assert _format_number(4e-14, "it_capacity_gw") == "0"
    text = markdown_table(summary_table(_run("a")))
    assert "| 2025 |" in text
    assert "2,025" not in text
    assert "Avg cost of power ($/MWh of facility energy)" in text
    assert "Built solar_pv (GW)" in text  # the details keep readable headers


def test_shed_years_mark_cost_per_token_and_unused_columns_are_hidden():
    runs = {
        "plain": _run("plain"),
        "shedding": _run("shedding", shed=1.0),
        "sw": _run("sw", sweep=1),
    }
    table = summary_table(combine_datasets(runs))
    shown = mark_shed(table).set_index(["scenario", "year"])
    assert shown.loc[("shedding", 2030), "world_avg_cost_usd_per_mtok"] == (
        "0.419 (with demand shed)"
    )
    assert shown.loc[("shedding", 2030), "marginal_cost_usd_per_mtok"] == "shed"
    assert shown.loc[("shedding", 2025), "world_avg_cost_usd_per_mtok"] == pytest.approx(0.419)
    assert shown.loc[("plain", 2030), "world_avg_cost_usd_per_mtok"] == pytest.approx(0.4191)
    assert not [c for c in shown.columns if str(c).startswith(("built__", "capex__"))]
    assert "sweep__finance.wacc" in shown.columns  # one run sweeps it
    only_plain = mark_shed(summary_table(combine_datasets({"plain": _run("plain")})))
    assert not [c for c in only_plain.columns if str(c).startswith("sweep__")]


def test_mark_shed_leaves_a_table_without_shed_alone():
    table = pd.DataFrame({"scenario": ["a"], "year": [2030], "it_capacity_gw": [1.0]})
    pd.testing.assert_frame_equal(mark_shed(table), table)


def test_report_marks_cost_per_token_with_demand_shed_and_shows_the_power_side():
    from energymodel.compare import HEADLINE_COLUMNS
    from energymodel.report.page import _power_rows, _table_rows

    table = pd.DataFrame(
        [[1.0] * len(HEADLINE_COLUMNS), [1.0] * len(HEADLINE_COLUMNS)],
        index=pd.Index(["plain", "shedding"], name="scenario"),
        columns=list(HEADLINE_COLUMNS),
    )
    table["world_avg_cost_usd_per_mtok"] = [0.4190, 0.3851]
    rows = {r["name"]: r["cells"] for r in _table_rows(table, shed={"shedding": True})}
    at = list(HEADLINE_COLUMNS).index("world_avg_cost_usd_per_mtok")
    assert rows["plain"][at] == "0.419"
    assert rows["shedding"][at] == "0.385 (with demand shed)"
    power = dict(_power_rows(_run("a")))
    assert power["Avg cost of power ($/MWh of facility energy)"] == "80"
    assert power["Cost per GPU-hour ($)"] == "3.5"
    assert power["Built solar_pv (GW)"] == "2"
    assert "Built grid (GW)" not in power  # 4e-14 GW of round-off is no build
