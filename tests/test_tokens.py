"""Tokens as the service: token demand, the elastic-demand steps, accelerator generations
(parameters, scenario checks and the report's figures). The hand-worked LP cases are in
``test_model_families.py``."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from pydantic import ValidationError
from tiny import tiny_params

from energymodel.data.tables import load_inputs
from energymodel.economics import evaluate
from energymodel.model import build_model
from energymodel.params import build_params
from energymodel.params.tokens import CHOKE_RATIO, average_wtp, step_grid
from energymodel.report.figures import FIGURES, figure_context
from energymodel.report.render import render_figure
from energymodel.results import to_dataset
from energymodel.scenario import check_against_inputs
from energymodel.scenario.schema import Scenario
from energymodel.solve import solve_model

REPO = Path(__file__).resolve().parents[1]
INPUTS = load_inputs(REPO / "inputs")
SMALL = {"name": "t", "years": [2025, 2030], "regions": ["us_east", "europe"]}


def params_of(**sections) -> object:
    return build_params(Scenario(**SMALL, **sections), INPUTS)


# --- the willingness-to-pay steps --------------------------------------------------------


def test_steps_cover_a_tenth_to_a_hundredfold_in_twelfths_of_a_decade():
    near, far, direction = step_grid()
    assert (direction == -1).sum() == 12
    assert (direction == 1).sum() == 24
    assert far.min() == pytest.approx(0.1)
    assert far.max() == pytest.approx(100.0)
    # each step starts where the one before it ends, from Q0 outwards
    up, down = direction > 0, direction < 0
    np.testing.assert_allclose(near[up][1:], far[up][:-1])
    np.testing.assert_allclose(near[down][1:], far[down][:-1])
    np.testing.assert_allclose(far / near, 10 ** (direction / 12))


def test_step_value_is_the_mean_of_the_curve_over_the_step():
    # e = 1: mean of 1/q over [1, r] = ln r / (r - 1); e = 0.5: mean of q^-2 = 1 / (a b).
    r = 10 ** (1 / 12)
    one = average_wtp(np.array([1.0]), np.array([r]), 1.0)
    assert one[0] == pytest.approx(np.log(r) / (r - 1), rel=1e-12)
    half = average_wtp(np.array([0.5]), np.array([0.6]), 0.5)
    assert half[0] == pytest.approx(1 / (0.5 * 0.6), rel=1e-12)
    # below the choke quantity 100^-e the price is capped at 100 P0
    assert average_wtp(np.array([0.1]), np.array([0.12]), 0.1)[0] == pytest.approx(CHOKE_RATIO)


# --- token demand ---------------------------------------------------------------------------


def test_zero_elasticity_token_demand_is_todays_fixed_demand():
    energy = params_of()
    tokens = params_of(demand={"service": "tokens", "elasticity": 0.0})
    np.testing.assert_allclose(tokens["demand_it_twh"], energy["demand_it_twh"], rtol=1e-12)
    np.testing.assert_allclose(tokens["demand_tokens_tn"], energy["demand_tokens_tn"])
    assert "demand_step" not in tokens.dims
    assert (tokens["demand_elasticity"] == 0).all()


def test_efficiency_cuts_the_energy_of_token_demand_not_of_energy_demand():
    base = params_of(demand={"service": "tokens"})
    tenfold = params_of(demand={"service": "tokens"}, hardware={"efficiency_multiplier": 10})
    held = params_of(hardware={"efficiency_multiplier": 10})  # energy held (the default)
    it, it10 = base["demand_it_twh"], tenfold["demand_it_twh"]
    np.testing.assert_allclose(it10.sel(workload="inference"), it.sel(workload="inference") / 10)
    np.testing.assert_allclose(it10.sel(workload="training"), it.sel(workload="training"))
    np.testing.assert_allclose(tenfold["demand_tokens_tn"], base["demand_tokens_tn"])
    np.testing.assert_allclose(held["demand_it_twh"], base["demand_it_twh"])
    np.testing.assert_allclose(held["demand_tokens_tn"], 10 * base["demand_tokens_tn"])


def test_demand_given_in_tokens():
    # 1,000 and 3,000 trillion tokens; 40 TWh of training facility energy shared 1:3.
    p = params_of(
        demand={
            "unit": "tokens",
            "values": {"us_east": {2025: 1000.0}, "europe": {2025: 3000.0}},
            "training_twh": 40.0,
        }
    )
    rate = float((p["tokens_per_kwh"] * p["inference_mix_frac"]).sum("model_class")[0])
    it = p["demand_it_twh"].sel(year=2025)
    assert float(p["demand_tokens_tn"].sel(year=2025, region="europe")) == pytest.approx(3000)
    # a TWh holds rate / 1000 trillion tokens
    assert float(it.sel(region="us_east", workload="inference")) == pytest.approx(1e6 / rate)
    pue = float(p["pue_ratio"].sel(year=2025, region="europe"))
    assert float(it.sel(region="europe", workload="training")) == pytest.approx(30 / pue)


def test_elastic_demand_makes_steps_around_the_reference():
    p = params_of(demand={"service": "tokens", "elasticity": 1.0})
    width = p["demand_step_twh"].sel(year=2030, region="us_east")
    inference = float(p["demand_it_twh"].sel(year=2030, region="us_east", workload="inference"))
    up = p["demand_step_direction"] > 0
    assert float(width.where(up).sum()) == pytest.approx(99 * inference)  # Q0 .. 100 Q0
    assert float(width.where(~up).sum()) == pytest.approx(0.9 * inference)  # Q0 .. Q0 / 10
    # the last tokens below the steps are worth 10 P0 at elasticity 1: the value of lost
    # compute rises to that where it was lower
    price, rate = (
        float(p["price_usd_per_mtok"][-1]),
        1e-3 * float((p["tokens_per_kwh"] * p["inference_mix_frac"]).sum("model_class")[-1]),
    )
    penalty = float(p["unserved_penalty_usd_per_mwh"].sel(year=2030, workload="inference"))
    assert penalty == pytest.approx(10 * price * rate)


@pytest.mark.parametrize(
    ("demand", "hardware", "says"),
    [
        ({"elasticity": 1.0}, {}, "demand.service: tokens"),
        ({}, {"accelerators": ["h100"]}, "demand.service: tokens"),
        ({"unit": "tokens", "values": {"us_east": {2025: 1.0}}}, {}, "demand.training_twh"),
        ({"training_twh": 5.0}, {}, "only with demand.unit: tokens"),
    ],
)
def test_token_settings_that_do_not_go_together_are_refused(demand, hardware, says):
    with pytest.raises(ValidationError, match=says):
        Scenario(**SMALL, demand=demand, hardware=hardware)


def test_unknown_accelerators_are_named():
    sc = Scenario(
        **SMALL,
        demand={"service": "tokens"},
        hardware={"accelerators": ["h100", "b300"], "accelerator_life_yr": {"gb200": 4}},
    )
    problems = " ".join(str(p) for p in check_against_inputs(sc, INPUTS))
    assert "'b300'" in problems
    assert "accelerator_life_yr.gb200" in problems


# --- accelerator generations ----------------------------------------------------------------


def test_accelerator_parameters_come_from_the_table():
    p = params_of(
        demand={"service": "tokens"},
        hardware={
            "accelerators": ["h100", "gb200", "next_gen"],
            "efficiency_multiplier": 10,
            "accelerator_life_yr": {"next_gen": 4},
        },
    )
    capex = p["accelerator_capex_usd_per_kw"].sel(year=2025)
    # GB200: Bernstein's $3.4M compute / 120 kW per rack = the hardware.csv IT capex
    hardware_csv = float(p["it_capex_usd_per_kw"].sel(year=2025))
    assert float(capex.sel(accelerator="gb200")) == pytest.approx(hardware_csv, rel=1e-3)
    assert list(p["accelerator_life_yr"].values) == [5, 5, 4]
    assert list(p["accelerator_existing_frac"].values) == [1, 0, 0]
    assert list(p["accelerator_allowed_frac"].sel(year=2025).values) == [1, 1, 0]
    # the output ratio is hardware only: the efficiency multiplier cancels out
    plain = params_of(demand={"service": "tokens"}, hardware={"accelerators": ["h100", "gb200"]})
    np.testing.assert_allclose(
        p["accelerator_output_ratio"].sel(accelerator=["h100", "gb200"]),
        plain["accelerator_output_ratio"],
    )


# --- the report's figures --------------------------------------------------------------------


def _solved(**kwargs):
    params = tiny_params(**kwargs)
    m = build_model(params)
    return evaluate(to_dataset(m, params, solve_model(m)), params)


@pytest.mark.parametrize("figure", ["jevons", "fleet-by-generation"])
def test_token_figures_draw(tmp_path, figure):
    spec = next(s for s in FIGURES if s.id == figure)
    runs = {}
    if figure == "jevons":
        for gain in (1.0, 10.0):
            for e in (0.0, 1.5):
                ds = _solved(price_usd_per_mtok=0.037, efficiency=gain, elasticity=e)
                ds.attrs |= {"sweep__hardware.efficiency_multiplier": gain}
                ds.attrs |= {"sweep__demand.elasticity": e}
                runs[f"jevons__{gain}__{e}"] = ds
    else:
        generations = {"old": {"ratio": 1, "capex": 1000, "first": 2000}}
        generations["new"] = {"ratio": 2, "capex": 1000, "first": 2026}
        runs["choice"] = _solved(
            years=(2025, 2026), existing_it_gw=1.0, it_fom_frac=0.05, accelerators=generations
        )
    out = render_figure(spec, figure_context(runs), next(iter(runs)), tmp_path, "test")
    assert not out.notes
    assert (tmp_path / f"{figure}.png").stat().st_size > 1000


# --- the sentences of the scenario-library page ------------------------------------------------


def _row(**figures: float) -> dict[str, float]:
    base = {"first_year": 2025.0, "avg_cost": 0.4, "capex_busd": 3000.0}
    return {**base, **figures}


def test_jevons_sentence_reads_the_sweep():
    from energymodel.report.conclusions_tokens import TOKEN_CONCLUSIONS

    rows = {}
    for e, twh in ((0.0, 390.0), (1.0, 940.0), (1.5, 1750.0)):
        for gain, energy in ((1.0, 940.0), (10.0, twh)):
            rows[f"jevons_efficiency__efficiency_multiplier={gain}__elasticity={e}"] = _row(
                facility_gw=energy / 4.38,
                facility_twh=energy,
                tokens_tn=4.28e6 * (10**e if gain == 10 else 1),
                token_price=0.27 / gain,
                token_revenue_busd=1000.0,
                break_even_busd=1800.0,
            )
    table = pd.DataFrame.from_dict(rows, orient="index")
    jevons = next(c for c in TOKEN_CONCLUSIONS if c.needs == ("jevons_efficiency",))
    text = jevons.render(table, 2030)
    assert "energy falls at elasticity 0.0" in text
    assert "energy holds at elasticity 1.0" in text
    assert "energy rises at elasticity 1.5" in text
    assert "in 6 of 6 runs" in text
