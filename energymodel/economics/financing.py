r"""Who funds the capex: debt, equity, vendor financing, operating cash (issue 27).

Each year's capex outlays are funded in fixed shares (``finance.financing``): debt
(borrowed that year, repaid over ``debt_tenor_yr`` at ``debt_rate_frac``, level annuity
or straight-line principal), new equity, vendor financing (a hardware supplier's
investment in its customer, which returns to it as purchases of its hardware) and, for
the rest, operating cash. Pure numpy and xarray; world totals by calendar year.

The cost of capital these shares imply is

.. math:: r^{derived} = s_D\, i_D + (1 - s_D)\, r_E

(pre-tax; vendor financing and operating cash cost what equity costs). A run warns when
it differs from the ``finance.wacc`` the LP annualises at by more than
``wacc_tolerance_frac``.

Vendor financing changes who holds the risk, not what the system costs: free cash flow,
NPV and the funding need of the project are the same; the supplier holds
``vendor_exposure_musd`` of it, and ``vendor_share_of_supplier_revenue_frac`` of what it
sells (accelerators, servers and networking) was paid for with its own money.
"""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd
import xarray as xr

from energymodel.finance import capital_recovery_factor
from energymodel.scenario.cash import FinancingConfig

logger = logging.getLogger(__name__)

FUNDING_SOURCES = ("debt", "equity", "vendor", "operating_cash")
"""Sources of capex funding, in report order."""


def amortisation_table(
    principal_musd: float, rate_frac: float, tenor_yr: int, kind: str = "annuity"
) -> pd.DataFrame:
    r"""Return a loan's repayment schedule: one row per year after the draw.

    ``annuity``: level payments :math:`P\,\mathrm{CRF}(i, T)`; ``straight_line``: equal
    principal :math:`P/T` a year. Interest is :math:`i` on what was outstanding at the
    start of the year. Columns ``year`` (1..T), ``payment_musd``, ``interest_musd``,
    ``principal_musd``, ``outstanding_musd`` (at the end of the year).

    E.g. 1,000 at 10% over 3 years (annuity): payment 402.11 a year; interest 100.00,
    69.79, 36.56; principal 302.11, 332.33, 365.56; outstanding 697.89, 365.56, 0.
    """
    if kind not in ("annuity", "straight_line"):
        raise ValueError(f"amortisation {kind!r}: expected 'annuity' or 'straight_line'")
    rows = []
    outstanding = float(principal_musd)
    level = principal_musd * float(capital_recovery_factor(rate_frac, tenor_yr))
    for year in range(1, tenor_yr + 1):
        interest = outstanding * rate_frac
        principal = level - interest if kind == "annuity" else principal_musd / tenor_yr
        outstanding -= principal
        rows.append((year, interest + principal, interest, principal, max(outstanding, 0.0)))
    return pd.DataFrame(
        rows,
        columns=["year", "payment_musd", "interest_musd", "principal_musd", "outstanding_musd"],
    )


def debt_schedule(
    draws_musd: np.ndarray, rate_frac: float, tenor_yr: int, kind: str = "annuity"
) -> dict[str, np.ndarray]:
    """Return interest, principal and debt outstanding of a series of yearly draws.

    A draw in year :math:`t` is repaid in :math:`t+1 .. t+T` (:func:`amortisation_table`
    per unit, scaled). Arrays have the length of ``draws_musd``; what falls after its last
    year is not returned (``outstanding_musd`` at the end holds it).
    """
    n = len(draws_musd)
    unit = amortisation_table(1.0, rate_frac, tenor_yr, kind)
    interest, principal = np.zeros(n), np.zeros(n)
    outstanding = np.cumsum(draws_musd).astype(float)
    for t, draw in enumerate(draws_musd):
        if draw == 0:
            continue
        for _, row in unit.iterrows():
            k = t + int(row["year"])
            if k < n:
                interest[k] += draw * row["interest_musd"]
                principal[k] += draw * row["principal_musd"]
    outstanding -= np.cumsum(principal)
    return {"interest_musd": interest, "principal_musd": principal, "outstanding_musd": outstanding}


def derived_wacc_frac(cfg: FinancingConfig, wacc_frac: float) -> float:
    r"""Return the cost of capital the financing shares imply (see the module's formula)."""
    equity = wacc_frac if cfg.cost_of_equity_frac is None else cfg.cost_of_equity_frac
    return cfg.debt_share_frac * cfg.debt_rate_frac + (1.0 - cfg.debt_share_frac) * equity


def check_wacc(cfg: FinancingConfig, wacc_frac: float, scenario: str = "") -> float:
    """Return the derived cost of capital; log a warning when it is off ``finance.wacc``."""
    derived = derived_wacc_frac(cfg, wacc_frac)
    if abs(derived - wacc_frac) > cfg.wacc_tolerance_frac:
        logger.warning(
            "%s: finance.financing implies a cost of capital of %.2f%% (debt %.0f%% at "
            "%.2f%%, equity at %.2f%%) but the LP annualises at finance.wacc = %.2f%%; set "
            "finance.wacc or the financing shares so they agree (tolerance %.2f points)",
            scenario or "scenario",
            100 * derived,
            100 * cfg.debt_share_frac,
            100 * cfg.debt_rate_frac,
            100 * (wacc_frac if cfg.cost_of_equity_frac is None else cfg.cost_of_equity_frac),
            100 * wacc_frac,
            100 * cfg.wacc_tolerance_frac,
        )
    return derived


def financing_view(
    outlay_musd: xr.DataArray,
    supplier_revenue_musd: xr.DataArray,
    ebitda_musd: xr.DataArray,
    cfg: FinancingConfig,
) -> dict[str, xr.DataArray]:
    """Return the world's funding by source and its debt, by calendar year (dim ``year``).

    Parameters
    ----------
    outlay_musd
        World capex outlays by year (all asset classes).
    supplier_revenue_musd
        What hardware suppliers sell that year (accelerators, servers and networking).
    ebitda_musd
        World EBITDA by year, for the coverage ratios.
    cfg
        ``finance.financing``.

    Returns
    -------
    dict
        ``capex_funding_musd`` (year, funding_source), ``debt_outstanding_musd``,
        ``interest_musd``, ``debt_service_musd``, ``dscr_ratio`` (EBITDA / debt
        service), ``interest_coverage_ratio`` (EBITDA / interest),
        ``vendor_financing_musd``, ``vendor_exposure_musd`` (cumulative),
        ``vendor_share_of_supplier_revenue_frac``; each by ``year``.
    """
    shares = {
        "debt": cfg.debt_share_frac,
        "equity": cfg.equity_share_frac,
        "vendor": cfg.vendor_financing_share_frac,
    }
    shares["operating_cash"] = 1.0 - sum(shares.values())
    funding = xr.concat(
        [outlay_musd * shares[s] for s in FUNDING_SOURCES],
        dim=xr.DataArray(list(FUNDING_SOURCES), dims="funding_source"),
    )
    draws = funding.sel(funding_source="debt").values
    debt = debt_schedule(draws, cfg.debt_rate_frac, cfg.debt_tenor_yr, cfg.amortisation)

    def by_year(values: np.ndarray) -> xr.DataArray:
        return xr.DataArray(values, dims="year", coords={"year": outlay_musd["year"].values})

    interest = by_year(debt["interest_musd"])
    service = by_year(debt["interest_musd"] + debt["principal_musd"])
    vendor = funding.sel(funding_source="vendor", drop=True)
    return {
        "capex_funding_musd": funding,
        "debt_outstanding_musd": by_year(debt["outstanding_musd"]),
        "interest_musd": interest,
        "debt_service_musd": service,
        "dscr_ratio": ebitda_musd / service.where(service > 0),
        "interest_coverage_ratio": ebitda_musd / interest.where(interest > 0),
        "vendor_financing_musd": vendor,
        "vendor_exposure_musd": vendor.cumsum("year"),
        "vendor_share_of_supplier_revenue_frac": vendor
        / supplier_revenue_musd.where(supplier_revenue_musd > 0),
    }
