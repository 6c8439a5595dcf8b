"""The cash view's figures in the summary and headline tables (issue 27; ``docs/cash.md``)."""

from __future__ import annotations

CASH_LABELS: dict[str, str] = {
    "capex_outlay_musd": "Capex outlays (M$)",
    "free_cash_flow_musd": "Free cash flow (M$)",
    "cumulative_cash_musd": "Cumulative cash (M$)",
    "depreciation_book_musd": "Book depreciation (M$)",
    "depreciation_economic_musd": "Economic depreciation (M$)",
    "operating_profit_book_musd": "Reported operating profit (M$)",
    "peak_funding_need_musd": "Peak funding need (M$, run)",
    "npv_musd": "NPV at the WACC (M$, run)",
    "irr_frac": "IRR (run)",
    "payback_yr": "Payback (yr, run)",
}
"""Yearly flows, then figures of the whole run; tables show the money in $B."""
CASH_FLOWS = (
    "capex_outlay_musd",
    "free_cash_flow_musd",
    "cumulative_cash_musd",
    "depreciation_book_musd",
    "depreciation_economic_musd",
    "operating_profit_book_musd",
)
"""Cash-view figures by year, summed over regions (and asset classes)."""
CASH_RUN = ("peak_funding_need_musd", "npv_musd", "irr_frac", "payback_yr")
"""Cash-view figures of a whole run (world), repeated on every year of a table."""
CASH_SUMMARY = (
    "capex_outlay_busd",
    "free_cash_flow_busd",
    "cumulative_cash_busd",
    "depreciation_book_busd",
    "depreciation_economic_busd",
    "peak_funding_need_busd",
    "npv_busd",
    "irr_frac",
    "payback_yr",
)
"""The cash view's columns of ``summary.csv`` (money in $B)."""
