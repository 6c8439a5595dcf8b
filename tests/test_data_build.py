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
    prefixes = ("grid_price:", "inference_load:", "other_load:")
    for col in [c for c in hourly.columns if c.startswith(prefixes)]:
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


# --------------------------------------------------------------------------- grid system

SYSTEM_REGIONS = ("us_east", "us_texas", "us_west", "europe")
FLEET = ("nuclear", "coal", "gas_cc", "gas_ct", "oil", "hydro", "wind", "solar", "storage", "other")
FLEET_PARAMS = (
    "existing_gw",
    "max_cf_frac",
    "vom_usd_per_mwh",
    "accreditation_frac",
    "clean_frac",
    "emissions_tco2_per_mwh",
)
NEW_BUILD = ("gas_cc", "gas_ct", "wind", "solar", "storage", "nuclear")
NEW_BUILD_PARAMS = (
    "capex_usd_per_kw",
    "fom_usd_per_kw_yr",
    "life_yr",
    "available_from_year",
    "max_build_gw_per_yr",
)
SYSTEM_PARAMS = (
    "other_load_twh",
    "reserve_margin_frac",
    "network_adder_usd_per_mwh",
    "carbon_price_usd_per_tco2",
)


@pytest.fixture(scope="module")
def grid() -> pd.DataFrame:
    return pd.read_csv(INPUTS / "grid_system.csv", keep_default_na=False)


def _given(grid: pd.DataFrame) -> set[tuple[str, str, str]]:
    return set(zip(grid["region"], grid["grid_tech"], grid["parameter"], strict=True))


@pytest.mark.parametrize("region", SYSTEM_REGIONS)
def test_grid_system_holds_every_parameter(grid: pd.DataFrame, region: str) -> None:
    given = _given(grid)
    need = {(region, "system", p) for p in SYSTEM_PARAMS}
    need |= {(region, t, p) for t in FLEET for p in FLEET_PARAMS}
    need |= {(region, t, p) for t in NEW_BUILD for p in NEW_BUILD_PARAMS}
    need |= {(region, t, "heat_rate_mmbtu_per_mwh") for t in ("coal", "gas_cc", "gas_ct", "oil")}
    need |= {(region, t, "fuel_usd_per_mmbtu") for t in ("coal", "oil")}
    need |= {(region, "hydro", "energy_budget_frac")}
    need |= {(region, "storage", p) for p in ("duration_h", "roundtrip_efficiency_frac")}
    assert need - given == set()
    # gas is priced from fuels.csv x the region's multiplier, never here
    assert not {(region, t, "fuel_usd_per_mmbtu") for t in ("gas_cc", "gas_ct")} & given
    rows = grid[grid["region"] == region]
    for param in ("existing_gw", "other_load_twh"):
        years = set(rows.loc[rows["parameter"] == param, "year"])
        assert {"2025", "2030"} <= years, param
    assert (rows["source"].str.len() > 10).all()
    money = rows[rows["unit"].str.startswith("USD")]
    assert money["source"].str.contains("USD2024|USD 2024").all()


# Sums of the built table against published totals (GW, end-2024; TWh, 2025):
# PJM ~180-200 GW installed (PJM: "about 180,000 MW"; EIA-860M nameplate is higher, the
# table holds net summer capacity); ERCOT ~150 GW; EU-27 load 2,441 TWh in 2023
# (Energy-Charts/ENTSO-E), PJM ~800, ERCOT ~450-460, CAISO ~220 + BPA ~60 TWh.
CAPACITY_GW = {"us_east": (180, 210), "us_texas": (135, 160), "us_west": (95, 125)}
OTHER_LOAD_TWH = {
    "us_east": (770, 840),
    "us_texas": (420, 490),
    "us_west": (250, 300),
    "europe": (2400, 2550),
}


def _value(grid: pd.DataFrame, region: str, param: str, year: str) -> pd.Series:
    rows = grid[(grid["region"] == region) & (grid["parameter"] == param)]
    return rows[rows["year"] == year].set_index("grid_tech")["value"].astype(float)


@pytest.mark.parametrize("region", sorted(CAPACITY_GW))
def test_grid_system_base_capacity_near_published_totals(grid: pd.DataFrame, region: str) -> None:
    lo, hi = CAPACITY_GW[region]
    assert lo <= _value(grid, region, "existing_gw", "2025").sum() <= hi


@pytest.mark.parametrize("region", sorted(OTHER_LOAD_TWH))
def test_grid_system_other_load_near_published(grid: pd.DataFrame, region: str) -> None:
    lo, hi = OTHER_LOAD_TWH[region]
    load_2025 = float(_value(grid, region, "other_load_twh", "2025").iloc[0])
    assert lo <= load_2025 <= hi
    assert float(_value(grid, region, "other_load_twh", "2030").iloc[0]) > load_2025


def test_grid_system_retirements_only_shrink_the_fleet(grid: pd.DataFrame) -> None:
    for region in SYSTEM_REGIONS:
        base = _value(grid, region, "existing_gw", "2025")
        later = _value(grid, region, "existing_gw", "2030")
        assert (later <= base + 1e-9).all(), region
    eu_coal = _value(grid, "europe", "existing_gw", "2030")["coal"]
    assert eu_coal < 0.8 * _value(grid, "europe", "existing_gw", "2025")["coal"]


def test_other_load_profiles_follow_measured_demand(hourly: pd.DataFrame) -> None:
    for region in ("us_east", "us_texas", "us_west", "europe"):
        x = hourly[f"other_load:{region}"].to_numpy()
        assert x.mean() == pytest.approx(1.0, abs=1e-6)
        assert 1.3 < x.max() < 2.0, region
        assert 0.5 < x.min() < 0.8, region
    # weekdays aligned to 2022 (Saturday 1 January): weekend days use less than weekdays
    daily = hourly["other_load:us_east"].to_numpy().reshape(365, 24).mean(axis=1)
    weekday = (np.arange(365) + 5) % 7  # Monday = 0
    assert daily[weekday >= 5].mean() < 0.97 * daily[weekday < 5].mean()


@needs_raw
def test_weekday_alignment_of_a_measured_year() -> None:
    from energymodel.data.build.grid_raw import to_2022_calendar

    x = np.arange(8760, dtype=float)
    out, shift = to_2022_calendar(x, "2018-01-01")  # a Monday: the first Saturday is 6 Jan
    assert shift == 5 * 24
    assert out[0] == 120
    out, shift = to_2022_calendar(x, "2022-12-31 23:00")  # EU file: first UTC midnight 1 Jan 23
    assert shift == 145  # 2023-01-07 00:00 UTC, a Saturday


@needs_raw
def test_grid_system_rebuilds_exactly(tmp_path: Path) -> None:
    # grid_system.csv alone (the whole-build test above also needs every other raw file)
    from energymodel.data.build import costs, eia930, grid_system, tables, writer
    from energymodel.data.build.regions_map import GRID_BAS

    tech = costs.build_technologies(RAW) + costs.read_static(
        tables.CURATED / "technologies_static.csv"
    )
    pooled = {r: sum(eia930.read_ba(RAW, b) for b in bas) for r, bas in GRID_BAS.items()}
    rows = grid_system.build_rows(RAW, tech, pooled)
    order = ("region", "grid_tech", "parameter", "year")
    writer.write_long(tmp_path / "grid_system.csv", rows, grid_system.COLUMNS, order)
    assert filecmp.cmp(tmp_path / "grid_system.csv", INPUTS / "grid_system.csv", shallow=False)
