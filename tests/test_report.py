"""Tests for the HTML report, built from a small synthetic results folder."""

from __future__ import annotations

import logging
import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import xarray as xr

from energymodel.report import FIGURES, HEADLINE_COLUMNS, headline_table, write_report
from energymodel.report import page as report
from energymodel.report import render as figure_rendering

YEARS = [2025, 2026, 2027, 2028, 2029, 2030]
REGIONS = ["us_east", "us_texas", "europe", "china"]
TECHS = ["grid", "gas_ccgt", "solar_pv", "wind_onshore", "battery"]
WORKLOADS = ["training", "inference"]
COMPONENTS = ["accelerators", "facility", "power_capex", "power_fom", "fuel", "grid_energy",
              "grid_connection", "carbon", "unserved"]  # fmt: skip
OVERVIEW_IDS = [spec.id for spec in FIGURES if not spec.optional] + ["delta-vs-baseline"]


def make_results(name: str, scale: float = 1.0, seed: int = 0) -> xr.Dataset:
    """Return a contract-shaped results Dataset (results.py + economics.py variables)."""
    rng = np.random.default_rng(seed)
    ny, nr, nt = len(YEARS), len(REGIONS), len(TECHS)
    growth = np.linspace(1.0, 3.0, ny)[:, None]
    it_cap = scale * growth * rng.uniform(2, 10, nr)[None, :]
    it_energy = np.stack([0.4 * it_cap * 7, 0.6 * it_cap * 7], axis=-1)  # TWh
    gen = scale * growth[..., None] * rng.uniform(0, 20, (nr, nt))[None]
    gen[..., TECHS.index("battery")] = -0.3  # net of losses: negative
    tokens = it_energy * np.array([0.0, 300.0])  # trillion tokens, inference only
    cost = scale * growth[..., None] * rng.uniform(50, 2000, (nr, len(COMPONENTS)))[None]
    avg_by_comp = cost / tokens.sum(-1)[..., None]
    be = cost.sum(-1) * 1.1
    market = tokens.sum(-1) * 1.2  # 1.2 $/Mtok
    ycr = ("year", "region")
    data = {
        "it_capacity_gw": (ycr, it_cap, "GW", "IT capacity alive"),
        "it_capacity_new_gw": (ycr, it_cap * 0.2, "GW", "IT capacity built"),
        "supply_capacity_gw": ((*ycr, "tech"), np.abs(gen) / 5, "GW", "supply capacity alive"),
        "generation_twh": ((*ycr, "tech"), gen, "TWh", "energy delivered"),
        "facility_energy_twh": (ycr, it_energy.sum(-1) * 1.2, "TWh", "facility energy"),
        "it_energy_twh": ((*ycr, "workload"), it_energy, "TWh", "IT energy served"),
        "unserved_it_energy_twh": ((*ycr, "workload"), it_energy * 0.02 * (scale > 1), "TWh",
                                   "IT energy not served"),
        "stranded_it_capacity_gw": (ycr, it_cap * 0.05, "GW", "stranded IT capacity"),
        "emissions_mtco2": (ycr, gen[..., 1] * 0.37, "MtCO2", "emissions"),
        "cost_musd": ((*ycr, "component"), cost, "MUSD", "yearly cost"),
        "tokens_served_tn": ((*ycr, "workload"), tokens, "1e12 tokens", "tokens served"),
        "avg_cost_usd_per_mtok": (ycr, avg_by_comp.sum(-1), "USD/Mtok", "average cost"),
        "avg_cost_by_component_usd_per_mtok": ((*ycr, "component"), avg_by_comp, "USD/Mtok",
                                               "average cost by component"),
        "world_avg_cost_usd_per_mtok": (("year",), cost.sum((1, 2)) / tokens.sum((1, 2)),
                                        "USD/Mtok", "world average cost"),
        "break_even_revenue_musd": (ycr, be, "MUSD", "break-even revenue"),
        "world_break_even_revenue_musd": (("year",), be.sum(1), "MUSD", "break-even revenue"),
        "market_revenue_musd": (("year",), market.sum(1), "MUSD", "market revenue"),
        "revenue_gap_musd": (("year",), be.sum(1) - market.sum(1), "MUSD",
                             "revenue gap (break-even minus market)"),
        "grid_connection_limit_dual_usd_per_kw_yr": (ycr, rng.uniform(0, 300, (ny, nr)), "USD/kW/yr",
                                                "value of grid connection"),
    }  # fmt: skip
    ds = xr.Dataset(
        {k: (dims, np.asarray(v, float), {"units": u, "long_name": ln})
         for k, (dims, v, u, ln) in data.items()},
        coords={"year": YEARS, "region": REGIONS, "tech": TECHS, "workload": WORKLOADS,
                "component": COMPONENTS},
    )  # fmt: skip
    yaml = f"name: {name}\ndescription: synthetic <{name}> & co\nfinance: {{wacc: 0.09}}\n"
    return ds.assign_attrs(
        scenario=name, description=f"Synthetic scenario <b>{name}</b> & friends.",
        scenario_yaml=yaml, termination="optimal", optimal=1, objective_musd=1.0e5,
        energymodel_version="0.1.0",
    )  # fmt: skip


def write_results_folder(folder: Path, scenarios: dict[str, float]) -> dict[str, xr.Dataset]:
    """Write ``<scenario>.nc``, ``all.nc`` and ``summary.csv`` as the batch runner does."""
    folder.mkdir(parents=True, exist_ok=True)
    runs = {n: make_results(n, s, seed=i) for i, (n, s) in enumerate(scenarios.items())}
    for name, ds in runs.items():
        ds.to_netcdf(folder / f"{name}.nc")
    combined = xr.concat(list(runs.values()), dim=pd.Index(list(runs), name="scenario"),
                         combine_attrs="drop")  # fmt: skip
    combined.to_netcdf(folder / "all.nc")
    headline_table(runs).to_csv(folder / "summary.csv")
    return runs


THREE = {"baseline": 1.0, "cheap_models": 0.6, "grid_constrained": 1.3}


@pytest.fixture
def results_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "results"
    write_results_folder(folder, THREE)
    return folder


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A report built once from three scenarios (read-only for the tests that use it)."""
    folder = tmp_path_factory.mktemp("built") / "results"
    write_results_folder(folder, THREE)
    return write_report(folder)


@pytest.fixture
def no_drawing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Skip matplotlib for tests of loading and page logic (every figure counts as drawn)."""

    def fake(
        out: figure_rendering.RenderedFigure, *args: object
    ) -> figure_rendering.RenderedFigure:
        out.png_b64, out.png, out.svg = "AAAA", f"figures/{out.id}.png", f"figures/{out.id}.svg"
        return out

    monkeypatch.setattr(figure_rendering, "_render", fake)


def _img_sources(html: str) -> list[str]:
    return re.findall(r"<img[^>]*\ssrc=\"([^\"]*)\"", html)


def test_report_builds_with_every_figure(built: Path) -> None:
    path, results_dir = built, built.parent
    assert path.name == "report.html"
    html = path.read_text(encoding="utf-8")
    ids = [*OVERVIEW_IDS, "scenario-baseline", "scenario-cheap-models", "scenario-grid-constrained"]
    for fig_id in ids:
        assert f'id="fig-{fig_id}"' in html, fig_id
        assert (results_dir / "figures" / f"{fig_id}.png").stat().st_size > 1000
        assert (results_dir / "figures" / f"{fig_id}.svg").read_text().lstrip().startswith("<?xml")
    assert html.count("<img") == len(ids)
    assert all(src.startswith("data:image/png;base64,") for src in _img_sources(html))
    assert "Not drawn" not in html
    assert "Left out" not in html


def test_report_is_self_contained_and_escaped(built: Path) -> None:
    html = built.read_text(encoding="utf-8")
    assert not re.search(r"(?:src|href)\s*=\s*[\"']?\s*(?:https?:)?//", html, re.IGNORECASE)
    assert "@import" not in html
    assert "url(" not in html
    assert "<b>baseline</b>" not in html  # autoescape is on
    assert "Synthetic scenario &lt;b&gt;baseline&lt;/b&gt; &amp; friends." in html
    assert html.count("<details><summary>Resolved scenario settings") == 3
    assert html.count("<details><summary>The power side, ") == 3  # one per scenario
    assert "description: synthetic &lt;baseline&gt; &amp; co" in html


def test_headline_table_matches_inputs(results_dir: Path) -> None:
    ds = xr.load_dataset(results_dir / "baseline.nc")
    table = headline_table(ds)
    assert list(table.columns) == ["year", *HEADLINE_COLUMNS]
    row = table.loc["baseline"]
    last = ds.sel(year=2030)
    assert row["year"] == 2030
    assert row["it_capacity_gw"] == pytest.approx(float(last["it_capacity_gw"].sum()))
    assert row["break_even_revenue_busd"] == pytest.approx(
        float(last["world_break_even_revenue_musd"]) / 1e3
    )
    assert row["world_avg_cost_usd_per_mtok"] == pytest.approx(
        float(last["world_avg_cost_usd_per_mtok"])
    )
    combined = headline_table(xr.load_dataset(results_dir / "all.nc"))
    assert list(combined.index) == ["baseline", "cheap_models", "grid_constrained"]
    pd.testing.assert_series_equal(combined.loc["baseline"], table.loc["baseline"])


def test_world_cost_fallback_agrees_with_reported_average(results_dir: Path) -> None:
    ds = xr.load_dataset(results_dir / "baseline.nc")
    reported = headline_table(ds)["world_avg_cost_usd_per_mtok"].iloc[0]
    derived = headline_table(ds.drop_vars("world_avg_cost_usd_per_mtok"))
    assert derived["world_avg_cost_usd_per_mtok"].iloc[0] == pytest.approx(reported)


def test_report_builds_from_partial_results(tmp_path: Path) -> None:
    results_dir = tmp_path / "results"
    write_results_folder(results_dir, {"baseline": 1.0, "cheap_models": 0.6})
    partial = xr.load_dataset(results_dir / "cheap_models.nc")
    partial = partial.drop_vars(
        ["generation_twh", "grid_connection_limit_dual_usd_per_kw_yr", "revenue_gap_musd",
         "world_avg_cost_usd_per_mtok", "avg_cost_by_component_usd_per_mtok"]
    )  # fmt: skip
    partial.to_netcdf(results_dir / "cheap_models.nc")
    (results_dir / "all.nc").unlink()  # the batch combines what it has; here: files only
    html = write_report(results_dir).read_text(encoding="utf-8")
    assert "Left out (missing generation_twh): cheap_models." in html
    assert "Not in these results: generation_twh" in html
    assert 'id="fig-scenario-cheap-models"' in html  # drawn from what is there
    # cost falls back to cost_musd / tokens
    assert "Left out (missing avg_cost" not in html


@pytest.mark.usefixtures("no_drawing")
def test_report_without_baseline_and_variables(tmp_path: Path) -> None:
    folder = tmp_path / "results"
    ds = make_results("only_one").drop_vars(["emissions_mtco2", "generation_twh"])
    folder.mkdir()
    ds.to_netcdf(folder / "only_one.nc")
    html = write_report(folder).read_text(encoding="utf-8")
    assert "No scenario named &#39;baseline&#39;" in html
    assert "Not drawn: only_one lack emissions_mtco2." in html
    assert "Only the baseline is in these results." in html


@pytest.mark.usefixtures("no_drawing")
def test_report_from_combined_file_only(results_dir: Path) -> None:
    for p in results_dir.glob("*.nc"):
        if p.name != "all.nc":
            p.unlink()
    html = write_report(results_dir).read_text(encoding="utf-8")
    assert 'id="scenario-grid-constrained"' in html
    assert html.count("<img") == len(OVERVIEW_IDS) + 3


def test_the_report_covers_every_run_of_the_store(results_dir: Path, caplog) -> None:
    make_results("old_run").to_netcdf(results_dir / "old_run.nc")
    os.utime(results_dir / "old_run.nc", (1.0e9, 1.0e9))  # an earlier batch's run
    (results_dir / "grid_constrained.nc").unlink()  # removed: in the old all.nc only
    with caplog.at_level(logging.WARNING):
        runs = report.load_results(results_dir)
    assert list(runs) == ["baseline", "cheap_models", "old_run"]
    assert runs["baseline"].attrs["scenario_yaml"].startswith("name: baseline")
    assert "without a file of their own (removed?), left out: grid_constrained" in caplog.text


def test_no_results_raises(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="no results"):
        write_report(tmp_path)


@pytest.mark.slow
def test_fifteen_scenarios_under_a_minute(tmp_path: Path) -> None:
    folder = tmp_path / "results"
    names = {"baseline": 1.0} | {f"sweep__prices.electricity_multiplier={i}": 0.5 + i / 10
                                 for i in range(14)}  # fmt: skip
    write_results_folder(folder, names)
    start = time.perf_counter()
    write_report(folder)
    assert time.perf_counter() - start < 60


def _chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return found
    if os.geteuid() == 0 and shutil.which("apt-get"):
        env = os.environ | {"DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], check=False, env=env, timeout=600)
        subprocess.run(["apt-get", "install", "-y", "-qq", "chromium"], check=False, env=env,
                       timeout=1200)  # fmt: skip
        if found := shutil.which("chromium"):
            return found
    pytest.skip("headless Chromium not found (/usr/bin/chromium); install Debian `chromium`")


@pytest.mark.slow
def test_report_renders_in_headless_chromium(built: Path, tmp_path: Path) -> None:
    import matplotlib.image

    browser = _chromium()
    path = built
    shot = tmp_path / "report.png"
    cmd = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
           "--no-first-run", "--disable-background-networking", "--disable-component-update",
           "--disable-sync", f"--user-data-dir={tmp_path / 'profile'}", f"--screenshot={shot}",
           "--window-size=1280,2400", path.resolve().as_uri()]  # fmt: skip
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)
    assert shot.exists(), f"no screenshot; chromium said:\n{proc.stderr[-2000:]}"
    pixels = matplotlib.image.imread(shot)
    assert pixels.shape[0] >= 2000
    assert pixels.shape[1] >= 1200
    assert float(np.std(pixels[..., :3])) > 0.05, "screenshot is blank"
    html = path.read_text(encoding="utf-8")
    sources = _img_sources(html)
    assert sources
    assert all(src.startswith("data:image") for src in sources)


def test_the_report_says_where_a_run_fails_its_full_year_check() -> None:
    from energymodel.report.page import _status

    attrs = {
        "time_check_passed": 0,
        "time_check_max_gap_frac": 1.142,
        "time_tolerance_frac": 0.02,
        "time_check_unserved_twh": 3.64,
        "time_check_years": "2030",
        "time_refine_rounds": 0,
        "time_days_added": "",
        "time_check_failed": "us_texas 2030 (+114.2%, 3.6 TWh unserved), europe 2030 (+7.1%)",
    }
    status = _status(xr.Dataset(attrs=attrs))["full-year check"]
    assert status == (
        "ABOVE TOLERANCE: cost gap +114.2% (tolerance 2%), 3.64 TWh unserved, years 2030, "
        "0 refinement rounds, days added: none; fails in us_texas 2030 (+114.2%, 3.6 TWh "
        "unserved), europe 2030 (+7.1%)"
    )
    passed = _status(xr.Dataset(attrs=attrs | {"time_check_passed": 1, "time_check_failed": ""}))
    assert "fails in" not in passed["full-year check"]
