"""The input build: reproducibility, published capacity factors, grid carbon, price year."""

from __future__ import annotations

import csv
import filecmp
import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

REPO = Path(__file__).resolve().parents[1]
INPUTS = REPO / "inputs"
RAW = Path(os.environ.get("ENERGYMODEL_RAW_DATA", REPO.parent / "shared" / "data"))
needs_raw = pytest.mark.skipif(
    not (RAW / "eia930_generation_2022").is_dir(),
    reason=f"raw data folder not found at {RAW} (set ENERGYMODEL_RAW_DATA)",
)

# Published annual capacity factors (fraction) the built profiles must fall within.
# wind: EIA Electric Power Annual Table 4.08.B, US fleet 2014-2021 32.2-35.3 %; S&P Global
#   Market Intelligence (Mar 2022) 2020 ISO range up to SPP 42 %; EWEA Europe 25-30 %;
#   China NEA 2023 26.4 %; lower bound 0.24 for weaker fleets (estimate).
# solar: LBNL Utility-Scale Solar 2023 (2022 plants 9-35 % AC, median 24 %); EIA US fleet
#   24-26 %; NEA China 15.6 %; Europe 10-20 % per kW AC (Germany to Spain, estimate).
CF_RANGES: dict[str, tuple[float, float]] = {
    "wind_onshore:us_east": (0.24, 0.36),
    "wind_onshore:us_texas": (0.32, 0.42),
    "wind_onshore:us_west": (0.24, 0.36),
    "wind_onshore:europe": (0.22, 0.30),
    "wind_onshore:china": (0.22, 0.30),
    "wind_onshore:asia_pacific": (0.22, 0.39),
    "wind_onshore:rest_of_world": (0.25, 0.42),
    "solar_pv:us_east": (0.15, 0.26),
    "solar_pv:us_texas": (0.20, 0.30),
    "solar_pv:us_west": (0.22, 0.32),
    "solar_pv:europe": (0.10, 0.22),
    "solar_pv:china": (0.12, 0.20),
    "solar_pv:asia_pacific": (0.12, 0.22),
    "solar_pv:rest_of_world": (0.17, 0.28),
}
BAS = {"us_east": ("PJM",), "us_texas": ("ERCO",), "us_west": ("CISO", "BPAT")}
MONEY_UNITS = ("USD/kW", "USD/kW/yr", "USD/MWh", "USD/MMBtu")


@pytest.fixture(scope="module")
def hourly() -> pd.DataFrame:
    return pd.read_csv(INPUTS / "hourly_profiles.csv")


@pytest.mark.slow
@needs_raw
def test_build_reproduces_inputs_exactly(tmp_path: Path) -> None:
    from energymodel.data.build import BUILT_FILES, build_all

    build_all(RAW, tmp_path)
    for name in BUILT_FILES:
        assert filecmp.cmp(tmp_path / name, INPUTS / name, shallow=False), (
            f"{name} differs from a fresh build: run python -m energymodel.data.build "
            f"--raw {RAW} --out inputs"
        )


@pytest.mark.parametrize("column", sorted(CF_RANGES))
def test_annual_capacity_factor_in_published_range(hourly: pd.DataFrame, column: str) -> None:
    lo, hi = CF_RANGES[column]
    assert lo <= hourly[column].mean() <= hi


def test_wind_calm_days_are_realistic(hourly: pd.DataFrame) -> None:
    # Measured ERCOT 2022: ~13 days with a daily fleet CF < 0.1; the old synthetic had 95.
    for col in [c for c in hourly.columns if c.startswith("wind_onshore:")]:
        daily = hourly[col].to_numpy().reshape(365, 24).mean(axis=1)
        assert (daily < 0.1).sum() <= 60, col


def test_ratio_columns_have_mean_one(hourly: pd.DataFrame) -> None:
    for col in [c for c in hourly.columns if c.startswith(("grid_price:", "inference_load:"))]:
        assert hourly[col].mean() == pytest.approx(1.0, abs=1e-6), col


@needs_raw
@pytest.mark.parametrize("region", sorted(BAS))
def test_us_grid_carbon_within_eia930_range(hourly: pd.DataFrame, region: str) -> None:
    # avg_CI in the raw files uses IPCC lifecycle factors (gas 490, coal 820 g/kWh); ours is
    # direct combustion (EIA 2022: gas 440, coal 1,044): the same hours, a bounded difference.
    frames = [pd.read_csv(RAW / "eia930_generation_2022" / f"{b}.csv") for b in BAS[region]]
    fuels = ["WND", "SUN", "WAT", "OIL", "NG", "COL", "NUC", "OTH"]
    gen = sum(f[fuels].fillna(0.0) for f in frames)
    weighted = sum(f["avg_CI"].fillna(0.0) * f[fuels].sum(axis=1) for f in frames)
    lifecycle = (weighted / gen.sum(axis=1)).to_numpy() / 1000.0
    built = hourly[f"grid_carbon:{region}"].to_numpy()
    assert 0.8 * np.nanmin(lifecycle) <= built.min()
    assert built.max() <= 1.3 * np.nanmax(lifecycle)
    ok = np.isfinite(lifecycle) & (lifecycle > 0)
    assert np.corrcoef(built[ok], lifecycle[ok])[0, 1] > 0.9
    clean = hourly[f"grid_clean:{region}"]
    assert clean.between(0, 1).all()
    assert clean.std() > 0.02  # clean share moves hour by hour


@pytest.mark.parametrize("name", ["technologies.csv", "regions.csv", "hardware.csv", "fuels.csv"])
def test_every_monetary_row_is_in_usd_2024(name: str) -> None:
    with (INPUTS / name).open(encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if r["unit"] in MONEY_UNITS]
    assert rows
    for r in rows:
        assert "USD2024" in r["source"] or "USD 2024" in r["source"], (name, r)


def test_at_most_five_unsourced_rows() -> None:
    count = sum(
        (INPUTS / name).read_text(encoding="utf-8").count("[U]")
        for name in ("technologies.csv", "regions.csv", "hardware.csv", "fuels.csv", "demand.csv")
    )
    assert count <= 5


# Annual mean grid carbon (tCO2/MWh) the hourly columns must fall within.
# US: EIA-930 2022 direct-combustion means (PJM ~0.38, ERCOT ~0.36-0.40, CAISO+BPA pooled
#   is hydro-heavy, 0.10-0.25); Europe: Ember EU 2023 ~0.24; China: Ember 2024 0.56;
#   Asia-Pacific between Japan (~0.45) and India (0.71); rest of world: Ember world 0.473.
CARBON_RANGES: dict[str, tuple[float, float]] = {
    "us_east": (0.33, 0.43),
    "us_texas": (0.32, 0.42),
    "us_west": (0.10, 0.25),
    "europe": (0.20, 0.30),
    "china": (0.50, 0.62),
    "asia_pacific": (0.45, 0.71),
    "rest_of_world": (0.40, 0.55),
}


@pytest.mark.parametrize("region", sorted(CARBON_RANGES))
def test_annual_grid_carbon_in_published_range(hourly: pd.DataFrame, region: str) -> None:
    lo, hi = CARBON_RANGES[region]
    carbon = hourly[f"grid_carbon:{region}"]
    assert lo <= carbon.mean() <= hi
    assert carbon.min() >= 0
    assert carbon.max() <= 1.2  # no hour dirtier than an all-coal grid (~1.04 t/MWh)


def test_every_hourly_column_has_a_unit_and_a_source(hourly: pd.DataFrame) -> None:
    with (INPUTS / "hourly_sources.csv").open(encoding="utf-8") as fh:
        sources = {r["column"]: r for r in csv.DictReader(fh)}
    assert list(sources) == list(hourly.columns)
    for column, row in sources.items():
        assert row["unit"], column
        assert row["source"], column
        if not column.startswith(("hour", "solar_pv:us", "wind_onshore:us", "grid_carbon:us")):
            continue
        assert "EIA-930" in row["source"] or column == "hour", column


def test_deflator_and_exchange_rates_are_the_verified_values() -> None:
    from energymodel.data.build import constants

    # BEA NIPA 1.1.9 / FRED A191RD3A086NBEA, 2017 = 100 (see constants.py for the check)
    assert constants.GDP_DEFLATOR == {
        2015: 97.316,
        2020: 105.377,
        2021: 110.186,
        2022: 118.023,
        2023: 122.390,
        2024: 125.428,
        2025: 128.986,
    }
    assert constants.USD_PER_EUR[2015] == 1.1095
    assert constants.to_usd_2024(1.0, "USD", 2024) == 1.0
    assert constants.to_usd_2024(1.0, "USD", 2022) == pytest.approx(125.428 / 118.023)
    assert constants.to_usd_2024(1.0, "EUR", 2020) == pytest.approx(1.1422 * 125.428 / 105.377)


def test_only_usd_of_the_price_year_is_left_unconverted() -> None:
    from energymodel.data.build.tables import _money

    row = {"value": "100", "unit": "USD/kW", "source": "s", "currency": "USD"}
    assert _money({**row, "currency_year": "2024"}) == (100.0, "s; USD 2024")
    value, source = _money({**row, "currency_year": "2025"})  # e.g. the IT capex row
    assert value == pytest.approx(100 * 125.428 / 128.986)
    assert "USD2025 -> USD2024" in source
    with pytest.raises(ValueError, match="without currency"):
        _money({**row, "currency": "", "currency_year": ""})
