"""Constants of the input build: price year, deflator, exchange rates, physical factors.

Every number here has its source beside it. Money in the shipped tables is **USD 2024**
(``PRICE_YEAR``): a value in currency ``C`` of year ``y`` becomes USD 2024 as

    usd_2024 = value x FX_USD_PER[C][y] x GDP_DEFLATOR[2024] / GDP_DEFLATOR[y]

i.e. convert at the average exchange rate of the currency year, then inflate with the US
GDP implicit price deflator (the "convert, then inflate" convention of PyPSA
technology-data). USD values skip the first step.
"""

from __future__ import annotations

PRICE_YEAR = 2024

# US GDP implicit price deflator, index 2017 = 100, annual averages: U.S. Bureau of Economic
# Analysis, NIPA Table 1.1.9 line 1, FRED series A191RD3A086NBEA (annual). Verified
# (issue 12) against a FRED download of that series stored in a public repository
# (github.com/ChowchowWorks/Macroeconomics, data/A191RD3A086NBEA.csv; the vintage that
# includes the full year 2025, i.e. after BEA's annual update of September 2025); an older
# vintage (github.com/jdelacm/Production-Functions, same file) agrees within 0.2 % for
# 2020-2024 (2023 122.273, 2024 125.230). Phase 1 had entered 2015 = 98.2 from memory;
# the series gives 97.316. Years after 2025 (EIA forecasts in nominal dollars): +2.0 %/yr
# (estimate).
GDP_DEFLATOR: dict[int, float] = {
    2015: 97.316,
    2020: 105.377,
    2021: 110.186,
    2022: 118.023,
    2023: 122.390,
    2024: 125.428,
    2025: 128.986,
}
DEFLATOR_SOURCE = (
    "US GDP implicit price deflator (BEA NIPA Table 1.1.9, FRED A191RD3A086NBEA, "
    "2017=100: 2015 97.316, 2020 105.377, 2021 110.186, 2022 118.023, 2023 122.390, "
    "2024 125.428, 2025 128.986)"
)

# USD per EUR, annual average of the daily ECB euro foreign exchange reference rates
# (ECB Data Portal series EXR.A.USD.EUR.SP00.A). The ECB series itself could not be
# opened from this project's machines; all six values were checked against an
# independent public table of the ECB annual averages (compiled from ECB / Deutsche
# Bundesbank daily reference rates, updated Feb 2026, found by code search) and agree to
# the fourth decimal.
USD_PER_EUR: dict[int, float] = {
    2015: 1.1095,
    2020: 1.1422,
    2021: 1.1827,
    2022: 1.0530,
    2023: 1.0813,
    2024: 1.0824,
}
FX_SOURCE = (
    "ECB euro reference rate, annual average USD per EUR (EXR.A.USD.EUR.SP00.A: "
    "2015 1.1095, 2020 1.1422, 2021 1.1827, 2022 1.0530, 2023 1.0813, 2024 1.0824)"
)


def deflator(year: int) -> float:
    """GDP deflator of ``year``; beyond the last published year +2 %/yr (estimate)."""
    if year in GDP_DEFLATOR:
        return GDP_DEFLATOR[year]
    last = max(GDP_DEFLATOR)
    return GDP_DEFLATOR[last] * 1.02 ** (year - last)


def to_usd_2024(value: float, currency: str, year: int) -> float:
    """Convert ``value`` in ``currency`` (``USD`` or ``EUR``) of ``year`` to USD 2024."""
    if currency == "EUR":
        value = value * USD_PER_EUR[year]
    elif currency != "USD":
        raise ValueError(f"unknown currency {currency!r}")
    return value * GDP_DEFLATOR[PRICE_YEAR] / deflator(year)


def conversion_note(currency: str, year: int) -> str:
    """Return the conversion factor text written into a row's source."""
    factor = to_usd_2024(1.0, currency, year)
    if currency == "EUR":
        return (
            f"EUR{year} -> USD2024 x{factor:.4f} (x{USD_PER_EUR[year]} USD/EUR ECB {year} "
            f"avg, x{GDP_DEFLATOR[PRICE_YEAR] / deflator(year):.4f} US GDP deflator)"
        )
    return f"USD{year} -> USD2024 x{factor:.4f} (US GDP deflator)"


# Heat content: natural gas HHV/LHV ~ 1.108 (gross/net calorific value ratio).
# Source: IEA, "Energy Statistics Manual" (2005), gross-to-net ratio 0.9 for natural gas
# (1/0.9 = 1.11); US DOE Hydrogen Analysis Resource Center "Lower and Higher Heating
# Values": natural gas LHV 47.1 MJ/kg, HHV 52.2 MJ/kg -> 1.108.
GAS_HHV_PER_LHV = 1.108
MMBTU_PER_MWH = 3.412142  # 1 MWh = 3.412142 MMBtu (definition of the Btu_IT)

# Direct CO2 per MWh generated, US 2022 (EIA FAQ "How much carbon dioxide is produced per
# kilowatthour of U.S. electricity generation?", from State Electricity Profiles tables 5
# and 7): coal 868 Mt / 831,512 GWh, natural gas 743 Mt / 1,687,067 GWh, petroleum
# 25 Mt / 22,931 GWh. EIA treats biomass, hydro, solar, wind (and nuclear) as zero.
DIRECT_TCO2_PER_MWH: dict[str, float] = {
    "COL": 868 / 831.512,
    "NG": 743 / 1687.067,
    "OIL": 25 / 22.931,
    "OTH": 0.0,
    "WND": 0.0,
    "SUN": 0.0,
    "WAT": 0.0,
    "NUC": 0.0,
}
EMISSION_FACTOR_SOURCE = (
    "EIA FAQ 74 (2022 US utility-scale): coal 1.044, gas 0.440, oil 1.090 tCO2/MWh direct; "
    "wind, solar, hydro, nuclear, other (mostly biomass) 0"
)
CLEAN_FUELS = ("WND", "SUN", "WAT", "NUC")
GAS_TCO2_PER_MWH_TH_LHV = 0.198  # PyPSA technology-data 'gas' CO2 intensity (stoichiometric)

# The reference year of the hourly profiles: hour 0 = 2022-01-01 00:00 UTC.
PROFILE_YEAR = 2022
