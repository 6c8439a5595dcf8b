"""Scenario knobs of how a campus gets power (issue 24; ``docs/connections.md``).

Bases of :class:`~energymodel.scenario.schema.GridConfig` (``grid.*``) and
:class:`~energymodel.scenario.schema.SupplyConfig` (``supply.*``).
"""

from __future__ import annotations

from typing import Annotated, Literal

from energymodel.scenario.ranges import Fraction, _Frozen, _in


class ConnectionConfig(_Frozen):
    """``grid.*``: connections on nameplate, islanding, flexible connections, headroom."""

    connection_basis: Literal["nameplate", "peak"] = "nameplate"
    """What a campus's grid connection is contracted on: ``nameplate`` (IT nameplate x
    PUE, as utilities contract large loads; the queue applies to it) or ``peak`` (the
    peak the dispatch reaches x PUE x (1 + reserve margin), the behaviour before 0.3)."""
    islanding: bool = True
    """Whether a campus may run islanded (no grid connection, its own firm supply with
    ``supply.islanded_redundancy_frac``); the LP chooses how much (``it_islanded_gw``).
    Needs ``connection_basis: nameplate``."""
    flexible_connection_frac: Fraction | dict[str, Fraction] = {}
    """The largest share of a campus's contracted connection the utility offers as
    non-firm (the curtailable share), one share for every ``system`` region or one per
    region; none by default. The LP takes
    as much of it as pays: the non-firm part does not count in the system's adequacy
    requirement and is curtailed in the system's tightest hours (``model/flexible.py``).
    Norris et al. (2025, "Rethinking Load Growth", Duke University) size such
    headroom at 76-126 GW in the US for curtailment of 0.25-1% of the load's energy."""
    curtailment_budget_frac: Annotated[float, _in(0.0, 0.2)] = 0.005
    """Most a flexible connection may be curtailed in a year, as a share of the
    contract's full-load energy (connection x 8,760 h): Duke's 0.25%, 0.5% and 1%
    cases; 0.5%, their middle case, by default."""
    headroom_budgets_frac: list[Annotated[float, _in(gt=0.0, hi=0.2)]] = []
    """Curtailment budgets at which to measure each ``system`` region's headroom for
    flexible load on its measured hourly load (the load-duration method of Norris et al.
    2025, Duke: ``[0.0025, 0.005, 0.01]``); written to the results as ``headroom_gw``
    (region, curtailment_budget). None by default."""


FIRM_FUEL_OPTIONS = ("choice", "always", "never")


class OnsiteConfig(_Frozen):
    """``supply.*``: lead times, fuel and the redundancy of islanded campuses."""

    lead_time_yr: dict[str, Annotated[int, _in(0, 15)]] = {}
    """Years from order to service per technology, overriding ``technologies.csv``:
    capacity ordered in a year is available that many years later, and orders start in
    the first model year. The table's defaults: reciprocating engines and packaged
    industrial turbines 1 yr (12-18 months), aeroderivatives 2 yr, heavy-duty frames and
    combined cycles 5 yr (S&P Global Commodity Insights, May 2025: 5-7 yr, slots sold out
    to 2029-30); others 0 (``available_from_year`` alone)."""
    firm_fuel: Literal["choice", "always", "never"] = "choice"
    """Firm fuel for on-site gas (firm pipeline transport at ``firm_fuel_usd_per_kw_yr``
    of ``technologies.csv``). Without it a gas plant counts for only
    ``nonfirm_fuel_credit_frac`` (0.77: PJM's ELCC of gas turbines against dual fuel)
    of its firm credit, in the reserve margin and in an islanded campus's redundancy.
    ``choice`` (default): the LP buys it where it pays; ``always``; ``never``."""
    onsite_gas_adder_usd_per_mmbtu: Annotated[float, _in(0.0, 50.0)] | None = None
    """Cost of delivering gas from the hub to an on-site plant's fence, in every region
    (default: ``regions.csv``, 0.75 $/MMBtu)."""
    islanded_redundancy_frac: Annotated[float, _in(0.0, 2.0)] = 0.0
    """Firm on-site capacity an islanded campus holds beyond its facility peak, on top of
    the firm credits. 0 by default: the on-site gas credits of ``technologies.csv``
    already hold N+1 (aeroderivatives 4/5, engines 5/7, CCGT 2-on-1), as a campus with
    no grid to fall back on must (Uptime Institute Tier III: N+1 on power). 0.2 is one
    more spare unit in five."""
