"""The full-year dispatch check and its critical days, hand-worked (``docs/time.md``).

One region supplied by its grid connection alone, flat load and flat prices, except one
day of the year (day 200) whose inference load is 1.5x its mean at 03:00 and 0.5x at
15:00 (the day's energy unchanged). Two representative days without extreme days miss
that day, so the plan sizes the connection for the flat load, PUE x L. The full year
then fails in exactly one hour, by half the inference load; adding day 200 as a
critical day sizes the connection for the spike, and the check passes.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

import energymodel as em
from energymodel.units import HOURS_PER_DAY, TWH_PER_GW_YEAR

REGION, YEAR, DAY = "us_east", 2030, 200
INPUTS = Path(__file__).resolve().parent.parent / "inputs"


@pytest.fixture(scope="module")
def spike_inputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("inputs")
    for path in INPUTS.iterdir():
        if path.is_file():
            shutil.copy(path, folder / path.name)
    hourly = pd.read_csv(INPUTS / "hourly_profiles.csv")
    shape = pd.Series(1.0, index=hourly.index)
    shape[DAY * HOURS_PER_DAY + 3] = 1.5
    shape[DAY * HOURS_PER_DAY + 15] = 0.5
    hourly[f"inference_load:{REGION}"] = shape
    hourly[f"grid_price:{REGION}"] = 1.0
    hourly.to_csv(folder / "hourly_profiles.csv", index=False)
    return folder


def _scenario(inputs: Path, **time: object) -> em.Scenario:
    return em.load_scenario(
        {
            "name": "spike",
            "regions": [REGION],
            "years": [YEAR],
            "inputs_dir": str(inputs),
            "time": {"representative_days": 2, "extreme_days": "off", "check": "full_year", **time},
            "supply": {"techs": [], "reserve_margin_frac": 0.0},
            "grid": {
                "mode": "tariff",
                "connection_basis": "peak",  # sized on the plan's peak, as the spike needs
                "existing_connection_gw": {REGION: 0.0},
                "max_new_connection_gw_per_yr": {REGION: 1000.0},
            },
            "demand": {"flexible_frac": 0.0},
        }
    )


def _inference_gw(res) -> float:
    served = res["it_energy_twh"].sel(year=YEAR, region=REGION, workload="inference")
    return float(served) / TWH_PER_GW_YEAR


def test_check_finds_the_hour_the_plan_missed(spike_inputs: Path) -> None:
    res = em.run(_scenario(spike_inputs, refine="none"))
    d = res.sel(year=YEAR, region=REGION)
    assert float(d["unserved_hours_in_check"]) == 1
    # the spike hour lacks half the inference load: 0.5 L for one hour
    assert float(d["unserved_in_check_twh"]) == pytest.approx(0.5 * _inference_gw(res) / 1e3)
    assert int(d["time_check_hardest_day"].isel(hardest=0)) == DAY
    assert res.attrs["time_check_passed"] == 0
    assert res.attrs["time_refine_rounds"] == 0
    assert float(d["time_check_gap_frac"]) > 0  # unserved compute costs its value


def test_critical_day_removes_the_unserved_hour(spike_inputs: Path) -> None:
    res = em.run(_scenario(spike_inputs))
    d = res.sel(year=YEAR, region=REGION)
    assert res.attrs["time_days_added"] == str(DAY)
    assert res.attrs["time_refine_rounds"] == 1
    assert float(d["unserved_in_check_twh"]) == 0.0
    assert res.attrs["time_check_passed"] == 1
    assert abs(float(d["time_check_gap_frac"])) < 1e-6  # flat prices: the plan is exact
    pue = float(em.build_params(_scenario(spike_inputs))["pue_ratio"].sel(year=YEAR, region=REGION))
    load = float(res["it_load_gw"].sel(year=YEAR, region=REGION).sum("workload").max())
    grid = float(res["supply_capacity_gw"].sel(year=YEAR, region=REGION, tech="grid"))
    assert grid == pytest.approx(pue * load)


def test_check_off_leaves_the_results_as_they_were(spike_inputs: Path) -> None:
    res = em.run(_scenario(spike_inputs, check="none"))
    assert "unserved_in_check_twh" not in res
    assert "time_check" not in res.attrs
