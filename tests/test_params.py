"""build_params: the parameter Dataset that the LP reads, on the shipped inputs."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import xarray as xr

import energymodel as em
from energymodel.data import load_inputs
from energymodel.params import UNITS, trajectory, year_weights

SMALL = {
    "name": "small",
    "regions": ["us_east", "europe"],
    "years": [2025, 2026, 2030],
    "time": {"representative_days": 3},
    "grid": {"mode": "tariff"},  # the price list of 0.2 (system mode: test_system_params)
}


@pytest.fixture(scope="module")
def params():
    return em.build_params(em.load_scenario(SMALL))


def test_system_params_where_the_inputs_have_a_fleet():
    # auto: us_east (PJM) and europe run as systems, china as a tariff; in a system region
    # the data centres' LP grid price is the network adder and their grid carbon is 0
    sc = em.load_scenario({**SMALL, "regions": ["us_east", "europe", "china"], "grid": {}})
    p = em.build_params(sc)
    assert p.system_region_frac.values.tolist() == [1.0, 1.0, 0.0]
    inputs = load_inputs(sc.inputs_dir)
    table = inputs.grid_system.query("region == 'us_east' and parameter == 'other_load_twh'")
    twh = float(table.query("year == 2030")["value"].iloc[0])
    w = p.timeslice_weight_h
    other = (p.other_load_gw.sel(year=2030, region="us_east") * w).sum() / 1e3
    assert float(other) == pytest.approx(twh, rel=1e-3)  # the shape keeps its mean
    adder = float(p.network_adder_usd_per_mwh.sel(region="us_east"))
    np.testing.assert_allclose(p.grid_price_usd_per_mwh.sel(region="us_east"), adder)
    assert float(abs(p.grid_carbon_tco2_per_mwh.sel(region="us_east")).max()) == 0.0
    assert float(p.grid_price_usd_per_mwh.sel(region="china").mean()) > 50  # the tariff
    # the adequacy requirement: (1 + reserve margin) x the pool's accreditation of 2025
    fleet = p.fleet_existing_gw.sel(year=2025, region="us_east")
    pool = float((fleet * p.fleet_accreditation_frac.sel(region="us_east")).sum() / fleet.sum())
    margin = float(p.system_reserve_margin_frac.sel(year=2030, region="us_east"))
    ratio = float(p.system_requirement_ratio.sel(year=2030, region="us_east"))
    assert ratio == pytest.approx((1 + margin) * pool)


def test_the_requirement_can_keep_the_first_year_adequacy():
    # ERCOT 2025: 85.7 GW accredited (nuclear 4.9 x 0.95, coal 13.0 and gas 58.3 x 0.85,
    # wind 39.0 x 0.2, solar 22.8 x 0.3, storage 7.6 x 0.6, ...) for a 91.2 GW peak of
    # other load: first_year asks 0.94 GW accredited per GW of peak in every year, where
    # the pool's rule asks (1 + 0.1375) x 0.582 = 0.66; us_east keeps the pool's rule
    base = {**SMALL, "regions": ["us_east", "us_texas"], "years": [2025, 2030], "grid": {}}
    pool = em.build_params(em.load_scenario(base))
    first = em.build_params(
        em.load_scenario({**base, "grid": {"requirement_basis": {"us_texas": "first_year"}}})
    )
    ratio = first.system_requirement_ratio.sel(region="us_texas")
    assert ratio.values.tolist() == pytest.approx([0.94, 0.94], abs=0.005)
    fleet = first.fleet_existing_gw.sel(year=2025, region="us_texas")
    accredited = float((fleet * first.fleet_accreditation_frac.sel(region="us_texas")).sum())
    peak = float(first.other_peak_gw.sel(year=2025, region="us_texas"))
    assert (accredited, peak) == pytest.approx((85.7, 91.2), abs=0.05)
    assert float(ratio.sel(year=2030)) == pytest.approx(accredited / peak)
    assert float(pool.system_requirement_ratio.sel(year=2030, region="us_texas")) == (
        pytest.approx(0.66, abs=0.005)
    )
    xr.testing.assert_equal(
        first.system_requirement_ratio.sel(region="us_east"),
        pool.system_requirement_ratio.sel(region="us_east"),
    )
    with pytest.raises(em.ScenarioError, match=r"grid\.requirement_basis\.mars"):
        em.build_params(
            em.load_scenario({**base, "grid": {"requirement_basis": {"mars": "first_year"}}})
        )


def test_system_mode_without_data_is_refused():
    sc = em.load_scenario({**SMALL, "regions": ["china"], "grid": {"mode": "system"}})
    with pytest.raises(em.ScenarioError, match=r"grid\.mode.*system regions: europe"):
        em.build_params(sc)


def test_trajectory_interpolates_and_holds_flat():
    years = [2024, 2025, 2026, 2030, 2031]
    np.testing.assert_allclose(trajectory({2025: 1.0, 2030: 5.0}, years), [1, 1, 1.8, 5, 5])
    np.testing.assert_allclose(trajectory(2.0, years), [2] * 5)
    assert np.isnan(trajectory(None, years)).all()


def test_year_weights_are_the_gaps():
    np.testing.assert_allclose(year_weights([2025, 2026, 2030]), [1, 4, 1])


def test_every_parameter_has_units(params):
    for name in UNITS:
        assert params[name].attrs["units"], name
        assert params[name].attrs["long_name"], name


def test_timeslices_cover_the_year(params):
    assert float(params.timeslice_weight_h.sum()) == pytest.approx(8760.0)
    assert params.sizes["timeslice"] == (3 + 2) * 24  # + the two extreme days (time.extreme_days)


def test_shapes_keep_their_mean(params):
    w = params.timeslice_weight_h
    mean = (params.inference_shape_ratio * w).sum("timeslice") / w.sum()
    np.testing.assert_allclose(mean, 1.0, rtol=1e-9)
    price = params.grid_price_usd_per_mwh.sel(year=2025, region="us_east")
    # EIA 2023 Virginia industrial 89.2 $/MWh (91.41 in USD 2024) is the yearly mean
    assert float((price * w).sum() / w.sum()) == pytest.approx(91.4141, rel=1e-6)


def test_demand_splits_into_workloads(params):
    # training share 50% in 2025 -> 35% in 2030 (schema default), linear in between
    share = params.demand_it_twh.sel(workload="training") / params.demand_it_twh.sum("workload")
    np.testing.assert_allclose(share.sel(region="us_east"), [0.5, 0.47, 0.35])


def test_gw_demand_becomes_energy_at_the_capacity_factor(params):
    # bain_2025 rows are GW of facility power: TWh = GW x 0.5 x 8.76, then / PUE -> IT
    facility_twh = (params.demand_it_twh.sum("workload") * params.pue_ratio).sel(year=2030)
    inputs = load_inputs(em.load_scenario(SMALL).inputs_dir)
    rows = inputs.demand.query("trajectory == 'bain_2025' and year == 2030").set_index("region")
    expected = rows.loc[["us_east", "europe"], "value"].to_numpy() * 0.5 * 8.76
    np.testing.assert_allclose(facility_twh, expected, rtol=1e-9)


def test_availability_profiles_stay_within_bounds(params):
    avail = params.availability_frac
    assert float(avail.min()) >= 0.0
    assert float(avail.max()) <= 1.0
    solar = avail.sel(tech="solar_pv", region="us_east")
    assert float(solar.min()) == 0.0  # nights


def test_scenario_knobs_reach_the_parameters():
    sc = em.load_scenario(
        SMALL,
        overrides={
            "prices.electricity_multiplier": {2025: 1.0, 2026: 1.5},
            "hardware.efficiency_multiplier": 10,
            "grid.max_new_connection_gw_per_yr": {"us_east": 1.5},
            "policy.committed_it_capacity_gw": {"europe": {2027: 3.0}},
            "supply.available_from_year": {"nuclear": 2026},
        },
    )
    base = em.build_params(em.load_scenario(SMALL))
    p = em.build_params(sc)
    ratio = p.grid_price_usd_per_mwh / base.grid_price_usd_per_mwh
    np.testing.assert_allclose(ratio.sel(year=[2026, 2030]), 1.5)
    np.testing.assert_allclose(p.tokens_per_kwh / base.tokens_per_kwh, 10.0)
    assert float(p.max_new_connection_gw_per_yr.sel(year=2025, region="us_east")) == 1.5
    # a 2027 commitment lands in the model year whose span (2026-2029) holds it
    assert float(p.committed_it_new_gw.sel(year=2026, region="europe")) == 3.0
    assert p.build_allowed_frac.sel(tech="nuclear").to_numpy().tolist() == [0.0, 1.0, 1.0]


def test_full_year_keeps_every_hour():
    p = em.build_params(
        em.load_scenario({**SMALL, "years": [2030], "time": {"representative_days": 365}})
    )
    assert p.sizes["timeslice"] == 8760
    np.testing.assert_allclose(p.timeslice_weight_h, 1.0)


def test_supply_build_limit_override_reaches_the_parameters():
    sc = em.load_scenario(SMALL, overrides={"supply.max_build_gw_per_yr": {"solar_pv": 120.0}})
    p = em.build_params(sc)
    # a world-wide limit, apportioned to the modelled regions by their share of demand
    np.testing.assert_allclose(
        p.max_build_gw_per_yr.sel(tech="solar_pv"), 120.0 * p.world_share_frac
    )


def test_a_demand_unit_that_contradicts_the_trajectory_is_reported():
    sc = em.load_scenario({**SMALL, "demand": {"unit": "TWh"}})  # bain_2025 rows are GW
    with pytest.raises(em.ScenarioError, match=r"demand\.unit: found 'TWh'; expected 'GW'"):
        em.build_params(sc)


def test_costs_differ_by_region_and_grid_carbon_by_hour(params):
    capex = params.capex_usd_per_kw.sel(year=2025, tech="solar_pv")
    assert capex.dims == ("region",)
    assert float(capex.sel(region="europe")) == 808.7  # Danish Energy Agency row
    assert float(capex.sel(region="us_east")) == 1706.2  # NREL ATB (blank region)
    for name in ("fom_usd_per_kw_yr", "vom_usd_per_mwh"):
        assert params[name].dims == ("year", "region", "tech")
    for name in ("grid_carbon_tco2_per_mwh", "grid_clean_frac"):
        assert params[name].dims == ("year", "region", "timeslice")
    carbon = params.grid_carbon_tco2_per_mwh.sel(year=2025, region="us_east")
    assert float(carbon.std()) > 0.005  # varies hour by hour
    w = params.timeslice_weight_h
    inputs = load_inputs(em.load_scenario(SMALL).inputs_dir)
    # the representative days keep the yearly mean (tsam rescales each column)
    assert float((carbon * w).sum() / w.sum()) == pytest.approx(
        inputs.hourly["grid_carbon:us_east"].mean(), rel=0.02
    )
    clean = params.grid_clean_frac
    assert float(clean.min()) >= 0.0
    assert float(clean.max()) <= 1.0


def test_grid_carbon_is_not_clipped_at_one():
    from energymodel.data.timeseries import representative_days

    hourly = load_inputs(em.load_scenario(SMALL).inputs_dir).hourly[["grid_carbon:us_east"]] * 4
    ts = representative_days(hourly, 2, ratio_columns=[], level_columns=["grid_carbon:us_east"])
    assert float(ts.profiles["grid_carbon:us_east"].max()) > 1.0
    clipped = representative_days(hourly, 2, ratio_columns=[])
    assert float(clipped.profiles["grid_carbon:us_east"].max()) <= 1.0


@pytest.mark.parametrize(
    ("key", "value", "param", "check"),
    [
        ("supply.life_yr", {"gas_recip": 12.0}, "life_yr", 12.0),
        ("supply.fom_usd_per_kw_yr", {"solar_pv": 30.0}, "fom_usd_per_kw_yr", 30.0),
        ("supply.firm_credit_frac", {"wind_onshore": 0.2}, "firm_credit_frac", 0.2),
    ],
)
def test_per_technology_settings_reach_the_parameters(key, value, param, check):
    base = em.build_params(em.load_scenario(SMALL))
    p = em.build_params(em.load_scenario(SMALL, overrides={key: value}))
    (tech,) = value
    np.testing.assert_allclose(p[param].sel(tech=tech), check)  # every region and year
    others = [t for t in p.tech.values if t != tech]
    np.testing.assert_allclose(p[param].sel(tech=others), base[param].sel(tech=others))


def test_kw_per_gpu_setting_reaches_the_parameters():
    base = em.build_params(em.load_scenario(SMALL))
    assert float(base.it_kw_per_gpu) == pytest.approx(1.667)  # inputs/hardware.csv
    p = em.build_params(em.load_scenario(SMALL, overrides={"hardware.kw_per_gpu": 1.2}))
    assert float(p.it_kw_per_gpu) == 1.2


def test_per_technology_settings_are_checked():
    with pytest.raises(em.ScenarioError, match="firm_credit_frac"):
        em.load_scenario(SMALL, overrides={"supply.firm_credit_frac": {"battery": 1.5}})
    with pytest.raises(em.ScenarioError, match="life_yr"):
        em.load_scenario(SMALL, overrides={"supply.life_yr": {"battery": 0.5}})
    with pytest.raises(em.ScenarioError, match="kw_per_gpu"):
        em.load_scenario(SMALL, overrides={"hardware.kw_per_gpu": 0})
    sc = em.load_scenario(SMALL, overrides={"supply.fom_usd_per_kw_yr": {"fusion": 10.0}})
    with pytest.raises(em.ScenarioError, match="fusion"):
        em.build_params(sc)


# --- load and power semantics (issue 14) ------------------------------------------------


def test_value_of_lost_compute_is_what_inference_earns(params):
    # default: price x the energy-weighted tokens per kWh / 1000; training 80% of it.
    # 2025: $2/Mtok x (0.4 x 4.293e6 + 0.6 x 0.776e6) / 1e3 = 2 x 2.1828e6 / 1e3 = 4,365.6
    penalty = params.unserved_penalty_usd_per_mwh.sel(year=2025)
    assert float(penalty.sel(workload="inference")) == pytest.approx(4365.6, rel=1e-6)
    assert float(penalty.sel(workload="training")) == pytest.approx(0.8 * 4365.6, rel=1e-6)
    override = em.build_params(
        em.load_scenario({**SMALL, "demand": {"unserved_penalty_usd_per_mwh": 9000.0}})
    ).unserved_penalty_usd_per_mwh.sel(year=2030)
    np.testing.assert_allclose(override.sel(workload=["inference", "training"]), [9000, 7200])


def test_flexible_shares_tokens_by_class_and_connection_trajectories_reach_the_parameters():
    sc = em.load_scenario(
        {
            **SMALL,
            "demand": {
                "flexible_frac": 0.3,
                "inference_mix_frac": {
                    "chat": {2025: 0.5, 2030: 0.3},
                    "reasoning": {2025: 0.5, 2030: 0.7},
                },
            },
            "hardware": {"tokens_per_kwh": {"chat": 5e6, "reasoning": {2025: 1e6, 2030: 2e6}}},
            "grid": {
                "max_new_connection_gw_per_yr": {"us_east": {2025: 2, 2030: 8}},
                "connection_ceiling_gw": {"europe": {2025: 10, 2030: 20}},
            },
            "supply": {"storage_firm_hours": 8},
        }
    )
    p = em.build_params(sc)
    np.testing.assert_allclose(p.flexible_frac.sel(workload=["training", "inference"]), [0.3, 0.3])
    rates = p.tokens_per_kwh.sel(year=2030)
    np.testing.assert_allclose(rates.sel(model_class=["chat", "reasoning"]), [5e6, 2e6])
    mix = p.inference_mix_frac.sel(model_class="reasoning")
    np.testing.assert_allclose(mix.sel(year=[2025, 2026, 2030]), [0.5, 0.54, 0.7])
    limit = p.max_new_connection_gw_per_yr.sel(region="us_east")
    np.testing.assert_allclose(limit.sel(year=[2025, 2026, 2030]), [2.0, 3.2, 8.0])
    ceiling = p.connection_ceiling_gw.sel(region="europe")
    np.testing.assert_allclose(ceiling.sel(year=[2025, 2030]), [10.0, 20.0])
    assert float(p.storage_firm_hours) == 8.0
    # one rate for every class keeps the blended behaviour
    one = em.build_params(em.load_scenario({**SMALL, "hardware": {"tokens_per_kwh": 3e6}}))
    np.testing.assert_allclose(one.tokens_per_kwh, 3e6)


@pytest.mark.parametrize(
    ("demand", "says"),
    [
        ({"training_flexible_frac": 0.5}, "demand.flexible_frac instead of"),
        ({"inference_mix_frac": {"chat": 0.5, "reasoning": 0.6}}, "summing to 1"),
        ({"inference_mix_frac": {"chat": 1.0}}, "with every model class"),
    ],
)
def test_demand_settings_are_checked(demand, says):
    with pytest.raises(em.ScenarioError, match=says):
        em.load_scenario({**SMALL, "demand": demand})


def test_world_limits_apply_in_full_when_every_region_is_modelled():
    every = em.build_params(em.load_scenario({"name": "w", "years": [2025, 2030]}))
    np.testing.assert_allclose(every.world_share_frac, 1.0)
    assert every.attrs["world_limits"] == ""
    np.testing.assert_allclose(every.it_max_build_gw_per_yr, [14.5, 31.9])


def test_world_limits_are_apportioned_to_the_modelled_regions_by_their_demand_share():
    us = ["us_east", "us_texas", "us_west"]
    sc = em.load_scenario(
        {"name": "us", "regions": us, "years": [2025, 2030], "policy": {"emissions_cap_mtco2": 100}}
    )
    p = em.build_params(sc)
    inputs = load_inputs(Path(str(sc.inputs_dir)))
    rows = inputs.demand[inputs.demand["trajectory"] == "bain_2025"]
    by_year = rows.groupby("year")["value"]
    in_us = rows[rows["region"].isin(us)].groupby("year")["value"].sum()
    share = (in_us / by_year.sum()).loc[[2025, 2030]].to_numpy()
    np.testing.assert_allclose(p.world_share_frac, share)
    assert 0.3 < share[-1] < 0.7  # about half of Bain's demand is in the US
    np.testing.assert_allclose(p.it_max_build_gw_per_yr, np.array([14.5, 31.9]) * share)
    np.testing.assert_allclose(p.emissions_cap_mtco2, 100 * share)
    wind = p.max_build_gw_per_yr.sel(tech="wind_onshore")
    np.testing.assert_allclose(wind, 15.0 * share)
    assert "apportioned to us_east, us_texas, us_west" in p.attrs["world_limits"]
    assert "bain_2025" in p.attrs["world_limits"]


def test_a_flexible_connection_brings_the_systems_tightest_days():
    # Offered in us_east (a system region), the curtailment budget's hours of PJM's
    # highest measured load add 1-3 days of their own (each hour weighs 1 h: the day
    # stands for itself) to the 3 representative + 2 extreme days; not offered, none.
    base = {**SMALL, "regions": ["us_east"], "grid": {}}
    plain = em.build_params(em.load_scenario(base))
    flexible = em.build_params(
        em.load_scenario({**base, "grid": {"flexible_connection_frac": 0.5}})
    )
    days = int(flexible.timeslice_day.max()) + 1
    assert int(plain.timeslice_day.max()) + 1 == 5
    assert 6 <= days <= 8
    weight = flexible.timeslice_weight_h.where(flexible.timeslice_day >= 5, drop=True)
    np.testing.assert_allclose(weight, 1.0)
    assert float(flexible.timeslice_weight_h.sum()) == pytest.approx(8760.0)


def test_the_peak_load_day_is_the_systems_residual_peak():
    # One region, a year of flat profiles: the inference load's highest daily mean on day
    # 100, the least wind and solar on day 300, and (given) the system's residual load
    # peaking in one hour of day 200, whose daily mean is not the highest. Without the
    # residual the extreme days are 100 and 300; with it 200 and 300 (tsam's max_value:
    # the day of the peak hour). Each extreme day stands for itself (weight 24 h).
    from energymodel.data.timeseries import cluster_days

    hours = np.arange(8760)
    day = hours // 24
    rng = np.random.default_rng(0)
    hourly = pd.DataFrame(
        {
            "solar_pv:a": np.where(day == 300, 0.0, 0.2 + 0.01 * rng.random(8760)),
            "wind_onshore:a": np.where(day == 300, 0.0, 0.3 + 0.01 * rng.random(8760)),
            "inference_load:a": np.where(day == 100, 1.2, 1.0),
        }
    )
    residual = pd.DataFrame({"a": np.where(day == 50, 0.8, 0.5)})
    residual.loc[200 * 24 + 18, "a"] = 1.0  # the peak hour: 18:00 of day 200

    def single_days(ts) -> set[int]:
        counts = np.bincount(ts.day_of_year)
        return {int(d) for d in np.where(counts[ts.day_of_year] == 1)[0]}

    ratio = ["inference_load:a"]
    assert single_days(cluster_days(hourly, 2, ratio, extremes="world")) == {100, 300}
    with_residual = cluster_days(hourly, 2, ratio, extremes="world", residual=residual)
    assert single_days(with_residual) == {200, 300}
    assert with_residual.weight_h.sum() == pytest.approx(8760.0)


def test_residual_load_by_hand():
    # ERCOT in 2030 (grid_system.csv): other load 515.8 TWh, i.e. 58.88 GW on average x
    # the measured shape; less 38.97 GW of wind and 22.814 GW of solar in service (no
    # build) x their hourly availability (the site profiles: ERCOT gives no
    # profile_scale_ratio); over its peak.
    from energymodel.params.grid_system import region_modes, residual_load

    sc = em.load_scenario({**SMALL, "regions": ["us_texas", "china"], "grid": {}})
    inputs = load_inputs(sc.inputs_dir)
    modes, _ = region_modes(sc, inputs)
    residual = residual_load(sc, inputs, modes)
    assert list(residual.columns) == ["us_texas"]  # china is a price list
    h = inputs.hourly
    table = pd.read_csv(Path(sc.inputs_dir) / "grid_system.csv")
    texas = table[(table.region == "us_texas") & (table.parameter == "profile_scale_ratio")]
    scale = dict(zip(texas.grid_tech, texas.value, strict=True))
    gw = (
        515.8e3 / 8760 * h["other_load:us_texas"]
        - 38.97 * (h["wind_onshore:us_texas"] * scale.get("wind", 1.0)).clip(0, 1)
        - 22.814 * (h["solar_pv:us_texas"] * scale.get("solar", 1.0)).clip(0, 1)
    ).to_numpy()
    np.testing.assert_allclose(residual["us_texas"].to_numpy(), gw / gw.max(), rtol=1e-9)
    assert float(residual["us_texas"].max()) == 1.0
