"""Scenario knobs of the cash view (issue 27): book lives, lead times, financing, contracts.

Read after the solve by :mod:`energymodel.economics.cashflow`; the LP never sees them
(it keeps ``finance.wacc`` and the economic lives of ``hardware``, ``supply`` and the
grid connection). The fields are attached to :class:`~energymodel.scenario.schema.
FinanceConfig` (``finance.depreciation_life_yr``, ``finance.build_lead_time_yr``,
``finance.financing``, ``finance.accelerator_share_of_it_capex_frac``) and to the
top-level ``contracts:`` key of a scenario.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from energymodel.scenario.ranges import (
    REVENUE_MUSD_MAX,
    ByYear,
    Year,
    _Frozen,
    _in,
)

ASSET_CLASSES = (
    "accelerators",
    "servers_networking",
    "facility",
    "power_supply",
    "grid_connection",
)
"""Asset classes of the cash view, in report order."""

BookLife = Annotated[float, _in(gt=0.0, hi=100.0)]
LeadTime = Annotated[int, Field(ge=0, le=10)]
Musd = Annotated[float, _in(0.0, REVENUE_MUSD_MAX)]


class BookLivesConfig(_Frozen):
    """Straight-line depreciation life in the accounts (yr), by asset class.

    Separate from the economic life the LP annualises over (``hardware.it_life_yr``,
    ``hardware.facility_life_yr``, ``supply.life_yr``, 40 yr for grid connections).
    """

    accelerators: BookLife = 6.0
    """6 yr: Microsoft (servers and network equipment 4 -> 6 yr from FY2023, 10-K FY2022),
    Alphabet (6 yr from Jan 2023, 10-K 2022) and Oracle; Amazon cut a subset 6 -> 5 yr
    from 1 Jan 2025 (10-K 2024); Meta 5.5 yr (2025)."""
    servers_networking: BookLife = 6.0
    """6 yr: the same server and network equipment schedules (Microsoft, Alphabet 10-Ks)."""
    facility: BookLife = 20.0
    """20 yr: our choice, equal to ``facility_life_yr`` (no published schedule for AI
    data-centre shells and M&E separated out)."""
    power_supply: BookLife = 25.0
    """25 yr: our choice (utility plant is typically depreciated over 20-40 yr)."""
    grid_connection: BookLife = 40.0
    """40 yr: our choice, equal to the economic life the LP uses for connections."""


class LeadTimesConfig(_Frozen):
    """Years between the first spend on an asset and its first year of use, by class.

    Spend is spread evenly over the ``n`` years before first use (``0``: spent in the
    year of first use). The LP's annuity (capex x CRF over the life, from the year of
    first use) has the same present value as a spend one year before first use, so a
    lead time of 1 makes the cash view and the annuity view agree exactly; longer lead
    times add the cost of capital during construction.
    """

    accelerators: LeadTime = 1
    """1 yr: estimate (paid on delivery, months before a cluster serves load)."""
    servers_networking: LeadTime = 1
    """1 yr: estimate (bought with the accelerators)."""
    facility: LeadTime = 2
    """2 yr: estimate (18-24 months from ground-breaking; Cushman & Wakefield Data Center
    Development Cost Guide 2025 lists 30-48 week lead times for switchgear, generators,
    chillers and UPS alone)."""
    power_supply: LeadTime = 2
    """2 yr: estimate (reciprocating engines and batteries 1-2 yr; large gas turbines
    have longer order books, but the LP already limits when they can be built)."""
    grid_connection: LeadTime = 2
    """2 yr: estimate (substation and line works once a connection is granted)."""


class FinancingConfig(_Frozen):
    """How capex is funded: debt, new equity, vendor financing and operating cash.

    Operating cash funds what the three shares leave (``1 - debt - equity - vendor``).
    The derived cost of capital is ``debt x debt rate + (1 - debt) x cost of equity``
    (pre-tax; vendor financing and operating cash cost what equity costs); a run warns
    when it differs from ``finance.wacc`` by more than ``wacc_tolerance_frac``.
    """

    debt_share_frac: Annotated[float, _in(0.0, 1.0)] = 0.0
    """Share of each year's capex borrowed. Default 0 (all equity). CoreWeave funds
    ~85% of loan-to-cost on contracted capacity (management, 2025)."""
    debt_rate_frac: Annotated[float, _in(0.0, 0.5)] = 0.10
    """Interest rate on that debt. CoreWeave 2030 senior notes 10%, DDTL 2.0 11%
    (10-Q, 30 Jun 2025, SEC EDGAR CIK 1769628)."""
    debt_tenor_yr: Annotated[int, Field(ge=1, le=40)] = 5
    """Years over which each year's borrowing is repaid (CoreWeave's delayed-draw term
    loans amortise over their contracts, ~5 yr)."""
    amortisation: Literal["annuity", "straight_line"] = "annuity"
    """``annuity``: level payments (interest + principal); ``straight_line``: equal
    principal each year, interest on what is outstanding."""
    equity_share_frac: Annotated[float, _in(0.0, 1.0)] = 0.0
    """Share of each year's capex raised as new external equity."""
    vendor_financing_share_frac: Annotated[float, _in(0.0, 1.0)] = 0.0
    """Share of each year's capex funded by a hardware supplier's investment in its
    customer, which returns to the supplier as purchases of its hardware."""
    cost_of_equity_frac: Annotated[float, _in(0.0, 1.0)] | None = None
    """Return equity holders require (default: ``finance.wacc``, so that an all-equity
    structure derives exactly the WACC the LP uses)."""
    wacc_tolerance_frac: Annotated[float, _in(0.0, 0.5)] = 0.005
    """Largest gap between the derived cost of capital and ``finance.wacc`` without a
    warning (0.5 percentage points)."""

    @model_validator(mode="after")
    def _shares_within_one(self) -> FinancingConfig:
        total = self.debt_share_frac + self.equity_share_frac + self.vendor_financing_share_frac
        if total > 1.0 + 1e-9:
            raise ValueError(
                "debt_share_frac + equity_share_frac + vendor_financing_share_frac <= 1 "
                f"(operating cash funds the rest); they sum to {total:g}"
            )
        return self


class ComputeContract(_Frozen):
    """A take-or-pay compute contract: the buyer pays the seller every year of its term."""

    buyer: Annotated[str, Field(min_length=1)]
    seller: Annotated[str, Field(min_length=1)]
    payment_musd_per_yr: Annotated[float, _in(gt=0.0, hi=REVENUE_MUSD_MAX)]
    """What the buyer pays a year (M$ a year, the contract's average)."""
    start_year: Year
    years: Annotated[int, Field(ge=1, le=50)]
    """Length of the term: payments in ``start_year`` .. ``start_year + years - 1``."""
    capacity_gw: Annotated[float, _in(gt=0.0, hi=10_000.0)] | None = None
    """Power capacity the contract buys (GW of IT), for its implied cost per GPU-hour."""
    source: str = ""
    """Where the figures come from."""


class ContractsConfig(_Frozen):
    """Named compute contracts and their buyers' revenue paths (scenario inputs)."""

    compute: dict[Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_\-]*$")], ComputeContract] = {}
    """Contracts by name (lower case, digits, ``_``, ``-``)."""
    buyer_revenue_musd: dict[str, ByYear[Musd]] = {}
    """Each buyer's revenue (M$ a year): a number or a year trajectory (linear between
    given years, flat outside). Every buyer of a contract needs one."""

    @model_validator(mode="after")
    def _buyers_have_revenue(self) -> ContractsConfig:
        missing = sorted({c.buyer for c in self.compute.values()} - set(self.buyer_revenue_musd))
        if missing:
            raise ValueError(
                f"a revenue path for every buyer in contracts.buyer_revenue_musd; "
                f"missing: {', '.join(missing)}"
            )
        return self
