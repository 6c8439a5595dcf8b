"""Uncertain settings: sampling, combining along ``sample``, sensitivity indices, the
IAMC table and the command line (with the fake runner: no LP)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import xarray as xr
from fake_runner import fake_run

from energymodel.batch.cli import main
from energymodel.compare.iamc import COLUMNS, samples_to_iamc, to_iamc
from energymodel.compare.samples import combine_samples, quantile_table
from energymodel.compare.sensitivity import drivers, sensitivity
from energymodel.scenario import ScenarioError, load_scenario
from energymodel.scenario.schema import Scenario, UncertainConfig
from energymodel.scenario.uncertain import (
    expand_samples,
    sample_count,
    sample_design,
)

TWO = {
    "prices.electricity_multiplier": {"dist": "uniform", "low": 0.5, "high": 1.5},
    "finance.wacc": {"dist": "triangular", "low": 0.05, "mode": 0.08, "high": 0.15},
}


def _cfg(method="sobol", samples=40, **dists):
    return UncertainConfig(method=method, samples=samples, distributions=dists or TWO)


# --- sampling ---------------------------------------------------------------------------


@pytest.mark.parametrize(("method", "runs"), [("latin", 40), ("sobol", 40), ("morris", 39)])
def test_each_method_draws_whole_groups_in_range(method, runs):
    design = sample_design(_cfg(method))
    assert len(design.values) == runs == sample_count(_cfg(method))
    assert design.groups == {"latin": 1, "sobol": 4, "morris": 3}[method]
    price = np.array([v["prices.electricity_multiplier"] for v in design.values])
    wacc = np.array([v["finance.wacc"] for v in design.values])
    assert price.min() >= 0.5
    assert price.max() <= 1.5
    assert wacc.min() >= 0.05
    assert wacc.max() <= 0.15
    assert design.unit.shape == (runs, 2)


def test_distributions_follow_their_quantiles():
    dists = {
        "a": {"dist": "uniform", "low": 2.0, "high": 4.0},
        "b": {"dist": "triangular", "low": 0.0, "mode": 0.0, "high": 1.0},
        "c": {"dist": "normal", "mean": 10.0, "sd": 1.0, "low": 9.0},
        "d": {"dist": "lognormal", "median": 0.5, "sigma": 0.6, "high": 1.0},
        "e": {"dist": "choice", "values": [4, 5, 6]},
    }
    design = sample_design(UncertainConfig(method="latin", samples=3000, distributions=dists))
    column = {k: np.array([v[k] for v in design.values]) for k in dists}
    assert column["a"].mean() == pytest.approx(3.0, abs=0.01)
    assert column["b"].mean() == pytest.approx(1 / 3, abs=0.01)  # triangle (0, 0, 1)
    assert column["c"].min() >= 9.0  # cut below at 9
    assert column["d"].max() <= 1.0
    assert np.median(column["d"]) < 0.5
    assert sorted(set(column["e"])) == [4, 5, 6]
    assert [(column["e"] == n).mean() for n in (4, 5, 6)] == pytest.approx([1 / 3] * 3, abs=0.01)


def test_the_same_seed_draws_the_same_runs():
    assert sample_design(_cfg()).values == sample_design(_cfg()).values
    other = UncertainConfig(method="sobol", samples=40, seed=2, distributions=TWO)
    assert sample_design(other).values != sample_design(_cfg()).values


def test_expand_names_runs_and_sets_the_values():
    sc = Scenario(
        name="unc",
        uncertain=_cfg(
            "latin",
            12,
            **{"market.price_usd_per_mtok.2030": {"dist": "choice", "values": [0.3, 0.9]}},
        ),
    )
    runs = expand_samples(sc)
    assert [r.name for r in runs[:2]] == ["unc__sample=0000", "unc__sample=0001"]
    assert [r.sample for r in runs] == list(range(12))
    for run in runs:
        price = run.sample_values["market.price_usd_per_mtok.2030"]
        assert run.market.price_usd_per_mtok == {2025: 2.0, 2030: price}  # one year changed
    assert expand_samples(runs[0]) == [runs[0]]  # a sample is not sampled again


def test_a_distribution_outside_the_schema_range_is_one_problem():
    sc = Scenario(
        name="bad",
        uncertain={
            "samples": 50,
            "distributions": {
                "finance.wacc": {"dist": "normal", "mean": 0.4, "sd": 0.2},
                "finance.wac": {"dist": "uniform", "low": 0, "high": 1},
            },
        },
    )
    with pytest.raises(ScenarioError) as err:
        expand_samples(sc)
    texts = [str(p) for p in err.value.problems]
    assert len(texts) == 2  # once per setting, not once per sample
    assert any("finance.wacc: a value <= 0.5" in t and "narrow" in t for t in texts)
    assert any("unknown key 'wac'" in t for t in texts)


def test_bad_distributions_are_schema_problems():
    with pytest.raises(ScenarioError, match="low < high"):
        load_scenario(
            {
                "name": "x",
                "uncertain": {
                    "distributions": {"finance.wacc": {"dist": "uniform", "low": 1, "high": 0}}
                },
            }
        )
    with pytest.raises(ScenarioError):
        load_scenario(
            {"name": "x", "uncertain": {"distributions": {"finance.wacc": {"dist": "beta"}}}}
        )


def test_the_shipped_uncertainty_scenario_expands_to_about_1000_runs():
    sc = load_scenario("uncertainty")
    runs = expand_samples(sc)
    assert 990 <= len(runs) <= 1010
    assert sc.uncertain.method == "sobol"
    assert len(sc.uncertain.distributions) >= 10
    assert {r.hardware.it_life_yr for r in runs} == {4, 5, 6}


# --- combining and analysing ------------------------------------------------------------


def _fake_samples(cfg, drop=()):
    runs = {}
    for sc in expand_samples(
        Scenario(name="unc", years=[2025, 2030], regions=["us_east", "europe"], uncertain=cfg)
    ):
        if sc.sample in drop:
            continue
        ds = fake_run(sc)
        ds.attrs["sample"] = sc.sample
        for key, value in sc.sample_values.items():
            ds.attrs[f"sample__{key}"] = value
        runs[sc.name] = ds
    return runs


def test_combine_stacks_runs_along_sample_with_values_and_world_figures():
    ds = combine_samples(_fake_samples(_cfg("latin", 10)), scenario="unc")
    assert ds.sizes["sample"] == 10
    assert list(ds["sample"].values) == list(range(10))
    assert ds["run"].values[3] == "unc__sample=0003"
    assert ds["sample__finance.wacc"].dims == ("sample",)
    assert ds["world_emissions_mtco2"].dims == ("sample", "year")
    expected = ds["emissions_mtco2"].sum("region")
    xr.testing.assert_allclose(ds["world_emissions_mtco2"], expected, check_dim_order=False)
    table = quantile_table(ds)
    row = table[(table.output == "world_emissions_mtco2") & (table.year == 2030)].iloc[0]
    assert row["p05"] <= row["p50"] <= row["p95"]
    assert row["samples"] == 10


@pytest.mark.parametrize("method", ["sobol", "morris", "latin"])
def test_indices_find_the_only_input_each_output_depends_on(method):
    # fake runs: emissions follow the power price only, break-even the cost of capital only
    cfg = _cfg(method, 120)
    samples = combine_samples(_fake_samples(cfg))
    indices = sensitivity(samples, sample_design(cfg))
    assert indices.attrs["method"] == method
    by_emissions = drivers(indices, "world_emissions_mtco2", 2030)
    by_break_even = drivers(indices, "world_break_even_revenue_musd", 2030)
    assert by_emissions.index[0] == "prices.electricity_multiplier"
    assert by_break_even.index[0] == "finance.wacc"
    if method == "sobol":
        assert by_break_even.loc["finance.wacc", "sobol_st_frac"] == pytest.approx(1.0, abs=0.1)
        assert abs(by_break_even.loc["prices.electricity_multiplier", "sobol_st_frac"]) < 0.05
    # an output no input moves has no indices
    assert np.isnan(indices["sobol_s1_frac" if method == "sobol" else indices.attrs["ranked_by"]]
                    .sel(output="world_revenue_gap_musd")).all()  # fmt: skip


def test_a_failed_run_drops_its_sobol_group_only():
    cfg = _cfg("sobol", 40)
    full = sensitivity(combine_samples(_fake_samples(cfg)), sample_design(cfg))
    holed = sensitivity(combine_samples(_fake_samples(cfg, drop={5})), sample_design(cfg))
    one = holed["sobol_st_frac"].sel(output="world_break_even_revenue_musd", input="finance.wacc")
    assert np.isfinite(one).all()
    assert not np.allclose(one, full["sobol_st_frac"].sel(output="world_break_even_revenue_musd",
                                                          input="finance.wacc"))  # fmt: skip


# --- IAMC -------------------------------------------------------------------------------


def _results():
    sc = Scenario(name="base", years=[2025, 2030], regions=["us_east", "europe"])
    return fake_run(sc)


def test_iamc_table_has_the_columns_world_and_native_regions():
    table = to_iamc(_results(), model="energymodel test")
    assert list(table.columns) == COLUMNS
    assert set(table["region"]) == {"World", "energymodel|us_east", "energymodel|europe"}
    world = table[(table.region == "World") & (table.variable == "Emissions|CO2|Data Centres")]
    assert world.set_index("year")["value"].to_dict() == pytest.approx({2025: 15.0, 2030: 30.0})
    assert (table["variable"].str.count("\\|") >= 1).all()


def test_iamc_quantiles_of_an_uncertain_scenario():
    samples = combine_samples(_fake_samples(_cfg("latin", 20)), scenario="unc")
    table = samples_to_iamc(samples, "unc", model="energymodel test")
    assert set(table["scenario"]) == {
        "unc [5th percentile]",
        "unc [median]",
        "unc [95th percentile]",
    }
    emis = table[(table.variable == "Emissions|CO2|Data Centres") & (table.region == "World")
                 & (table.year == 2030)].set_index("scenario")["value"]  # fmt: skip
    assert emis["unc [5th percentile]"] < emis["unc [median]"] < emis["unc [95th percentile]"]
    # a label by sample and region (grid_mode, as system regions' runs carry) is left
    # out, not a failure of the whole table (the 1,001-sample analysis lost its iamc.csv)
    labels = xr.DataArray(
        np.full((samples.sizes["sample"], samples.sizes["region"]), "system"),
        dims=("sample", "region"),
    )
    with_labels = samples_to_iamc(samples.assign(grid_mode=labels), "unc")
    assert len(with_labels) == len(table)


def test_pyam_reads_the_iamc_csv_as_it_is(tmp_path):
    pyam = pytest.importorskip("pyam")
    path = tmp_path / "iamc.csv"
    to_iamc(_results()).to_csv(path, index=False)
    df = pyam.IamDataFrame(path)
    assert "Emissions|CO2|Data Centres" in df.variable
    assert "World" in df.region
    assert df.filter(variable="Emissions|CO2|Data Centres", region="World", year=2030).data[
        "value"
    ].item() == pytest.approx(30.0)


# --- command line -----------------------------------------------------------------------


REPO = Path(__file__).resolve().parent.parent
UNCERTAIN_YAML = (
    f"inputs_dir: {REPO / 'inputs'}\n"
    + """
description: ''
years: [2025, 2030]
regions: [us_east, europe]
uncertain:
  method: sobol
  samples: 24
  distributions:
    prices.electricity_multiplier: {dist: uniform, low: 0.5, high: 1.5}
    finance.wacc: {dist: uniform, low: 0.05, high: 0.15}
"""
)


def test_cli_runs_an_uncertain_scenario_into_samples_indices_and_iamc(
    tmp_path, monkeypatch, capsys
):
    from energymodel.batch.store import SAMPLES_DIR

    (tmp_path / "scenarios").mkdir()
    (tmp_path / "scenarios" / "unc.yaml").write_text(UNCERTAIN_YAML)
    (tmp_path / "scenarios" / "base.yaml").write_text(
        f"inputs_dir: {REPO / 'inputs'}\ndescription: ''\nyears: [2025, 2030]\n"
    )
    monkeypatch.chdir(tmp_path)
    args = ["--scenarios-dir", "scenarios", "--runner", "fake_runner:fake_run", "--cold"]
    assert main([*args, "unc", "base"]) == 0

    out = capsys.readouterr().out
    assert "what drives world break-even revenue in 2030" in out
    assert len(list((tmp_path / "results" / SAMPLES_DIR).glob("unc__sample=*.nc"))) == 24
    assert not list((tmp_path / "results").glob("unc__sample=*.nc"))  # scenarios only at the top
    ds = xr.load_dataset(tmp_path / "results" / "uncertainty" / "unc.nc")
    assert ds.sizes["sample"] == 24
    assert ds.attrs["method"] == "sobol"
    top = drivers(ds, "world_break_even_revenue_musd", 2030, 1)
    assert top.index[0] == "finance.wacc"
    sens = pd.read_csv(tmp_path / "results" / "uncertainty" / "unc_sensitivity.csv")
    assert {"output", "year", "input", "sobol_s1_frac", "sobol_st_frac"} <= set(sens.columns)
    iamc = pd.read_csv(tmp_path / "results" / "iamc.csv")
    assert list(iamc.columns) == COLUMNS
    assert {"base", "unc [median]"} <= set(iamc["scenario"])
    assert (tmp_path / "results" / "report.html").is_file()
    html = (tmp_path / "results" / "report.html").read_text()
    assert "Uncertainty: unc" in html
    assert "fan-unc" in html

    # a re-run skips every sample that is up to date
    assert main([*args, "unc", "--no-report"]) == 0
    assert xr.load_dataset(tmp_path / "results" / "uncertainty" / "unc.nc").sizes["sample"] == 24


def test_report_of_a_folder_with_only_an_uncertainty_analysis(tmp_path, monkeypatch):
    (tmp_path / "scenarios").mkdir()
    (tmp_path / "scenarios" / "unc.yaml").write_text(UNCERTAIN_YAML)
    monkeypatch.chdir(tmp_path)
    assert main(["--scenarios-dir", "scenarios", "--runner", "fake_runner:fake_run", "unc"]) == 0
    html = (tmp_path / "results" / "report.html").read_text()
    assert "Uncertainty: unc" in html
    assert "Headline numbers" not in html


def test_every_scenario_leaves_out_uncertain_ones_unless_named(tmp_path, monkeypatch, capsys):
    (tmp_path / "scenarios").mkdir()
    (tmp_path / "scenarios" / "unc.yaml").write_text(UNCERTAIN_YAML)
    (tmp_path / "scenarios" / "base.yaml").write_text(
        f"inputs_dir: {REPO / 'inputs'}\ndescription: ''\nyears: [2025, 2030]\n"
    )
    monkeypatch.chdir(tmp_path)
    assert main(["--scenarios-dir", "scenarios", "--list"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "1 run(s)"
    assert main(["--scenarios-dir", "scenarios", "--list", "unc"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[-1] == "24 run(s)"
    assert "finance.wacc=" in out  # the values each sample drew


def test_progress_counts_failures_and_prints_only_failed_samples():
    import io

    from rich.console import Console
    from rich.progress import Progress

    from energymodel.batch import RunSummary
    from energymodel.batch.progress import LogProgress, RichProgress

    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=False, width=120)
    with Progress(console=console) as bar:
        progress = RichProgress(bar, total=3)
        progress.finished(RunSummary("unc__sample=0000", "optimal", None, None, 1.0))
        progress.finished(RunSummary("unc__sample=0001", "failed", None, "RuntimeError: x", 1.0))
        progress.finished(RunSummary("base", "optimal", None, None, 1.0))
        assert "1 failed" in bar.tasks[0].description
    text = buffer.getvalue()
    assert "unc__sample=0001" in text
    assert "unc__sample=0000" not in text  # a successful sample prints no line
    assert "base" in text

    log = LogProgress(total=2)
    log.finished(RunSummary("unc__sample=0000", "failed", None, "boom", 1.0))
    log.finished(RunSummary("unc__sample=0001", "optimal", None, None, 1.0))
    assert (log.count, log.failed) == (2, 1)
