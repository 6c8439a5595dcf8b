"""The published figures the scenario-library page compares the model with, and their sources.

Each constant names the document it comes from (the shared ``ai-datacenter-facts.md``
holds the full references); the sentences that use them are in
:mod:`energymodel.report.conclusions`.
"""

from __future__ import annotations

LBNL_YEAR = 2028
"""Horizon of the LBNL 2024 US projections (Shehabi et al., Dec 2024: 325-580 TWh in 2028)."""
CAPACITY_FACTOR_FRAC = 0.5
"""Energy -> power identity for the text (LBNL 2024: 325 TWh / 74 GW / 8,760 h = 0.50;
the schema default ``demand.capacity_factor_frac``)."""
BAIN_NEW_GW = 200.0
"""Bain Technology Report 2025: ~200 GW of new AI compute power by 2030."""
BAIN_NEW_GW_START = 15.0
"""Facility power of AI data centres in 2025 in the bain_2025 trajectory (GW): Epoch/EPRI
~5 GW US AI IT x PUE, SemiAnalysis >10 GW of accelerator load early 2025."""
BAIN_CAPEX_BUSD = 500.0
BAIN_REVENUE_BUSD = 2000.0
BAIN_FUNDABLE_BUSD = 1200.0
"""Bain TR2025: $500B of yearly capex needs $2T of revenue, of which ~$1.2T is fundable
($0.8T short)."""
IEA_CO2_2024_MT = 180.0
IEA_CO2_2035_MT = 300.0
"""IEA Energy and AI (2025): CO2 from all data-centre electricity, 2024 and 2035 (Base)."""
GPU_LEVEL_USD_PER_MTOK = (0.1, 0.7)
"""Facts 5.2: GPU-level cost per million output tokens (H100/GB200 estimates)."""
R1_USD_PER_MTOK = (0.55, 2.19)
"""Facts 5.1: DeepSeek-R1 list prices per million input / output tokens (Jan 2025)."""
O1_USD_PER_MTOK = (15.0, 60.0)
"""Facts 5.1: OpenAI o1 list prices per million input / output tokens (2025); DeepSeek-R1
listed 27x below on both."""
IEA_2030_TWH = {"base": 945.0, "high_efficiency": 868.0}
"""IEA Energy and AI: all data centres in 2030, Base and High Efficiency (2026 edition,
Annex A): the IEA's efficiency case uses 8% less electricity."""
BOOK_LIFE_YR = {"Microsoft, Alphabet, Oracle": 6, "Amazon (subset from 2025), LBNL": 5}
"""Facts 3.3: useful lives of servers in company books, and LBNL 2025's accelerator life."""
BURRY_UNDERSTATED_BUSD = 176.0
BURRY_YEARS = (2026, 2028)
"""Facts 3.3: Burry (Nov 2025): a 2-3 year economic life, ~$176B of depreciation
understated by the hyperscalers over 2026-2028."""
RIEPIN_BROWN_EUR_PER_MWH = {0.0: 215.0, 0.2: 195.0, 0.4: 137.0}
"""Cost of 100% hourly clean (24/7 CFE) supply for a European data centre against the share
of its load that may move (EUR/MWh of load; Riepin, Brown & Zavala, "Spatio-temporal load
shifting for truly clean computing", Advances in Applied Energy 2025, as quoted in issue 14
and ``scenarios/flexible_load.yaml``; the middle point's share is our reading)."""
USD_PER_EUR_2024 = 1.0824
"""ECB reference rate, 2024 average (the rate ``make inputs`` converts EUR costs with)."""
BIG4_CAPEX_2025_BUSD = 405.0
"""Alphabet, Amazon, Meta and Microsoft capex in 2025, ~$405B (company guidance and
results as compiled by FactSet and platformonomics.com, Q3 2025)."""
IEA_DC_INVESTMENT_2025_BUSD = 580.0
"""IEA World Energy Outlook 2025: global data-centre investment of ~$580B in 2025."""
GPU_RENTAL_USD_PER_H = (1.70, 2.35)
"""SemiAnalysis H100 rental index: $1.70 per GPU-hour (Oct 2025) and $2.35 (Mar 2026)."""
BERNSTEIN_RACK_USD = {"compute": 3.4e6, "infrastructure": 2.5e6, "gpus": 72, "kw": 120.0}
"""Bernstein (Oct 2025, via investing.com): a GB200 NVL72 rack costs ~$5.9M all-in, $3.4M
of compute and $2.5M of physical infrastructure, for 72 GPUs and ~120 kW of IT."""
NVIDIA_BUSD_PER_GW = (50.0, 60.0)
"""Nvidia, FQ2 FY2026 earnings call (Aug 2025): $50-60B of AI infrastructure per GW."""
ORACLE_OPENAI = {"total_busd": 300.0, "years": 5, "gw": 4.5, "start_year": 2027}
"""WSJ (10 Sep 2025): OpenAI's contract with Oracle, $300B over ~5 years from 2027 for
4.5 GW (Oracle's SEC filing of 30 Jun 2025 disclosed a >$30B-a-year cloud contract)."""
