"""Every variable of the cash view on one results Dataset (issue 27; ``docs/contracts.md``).

:func:`cash_view` is called by :func:`energymodel.economics.evaluate` after the cost
view: cash flows (:mod:`~energymodel.economics.cashflow`), accounting depreciation,
financing (:mod:`~energymodel.economics.financing`) and compute contracts
(:mod:`~energymodel.economics.contracts`).
"""

from __future__ import annotations

import numpy as np
import xarray as xr

from energymodel.economics.cashflow import (
    Calendar,
    capex_by_class_musd,
    economic_lives_yr,
    irr_frac,
    npv_musd,
    payback_years,
    spend_musd,
    straight_line_musd,
    terminal_value_musd,
)
from energymodel.economics.contracts import contract_view
from energymodel.economics.financing import check_wacc, financing_view
from energymodel.economics.formulas import UNITS_MUSD, operating_cost_musd
from energymodel.scenario.cash import ASSET_CLASSES, ContractsConfig
from energymodel.scenario.schema import FinanceConfig

Variables = dict[str, tuple[xr.DataArray, str, str]]
IT_CLASSES = ["accelerators", "servers_networking"]


def cash_view(
    res: xr.Dataset,
    params: xr.Dataset,
    revenue_musd: xr.DataArray,
    finance: FinanceConfig,
    contracts: ContractsConfig,
) -> Variables:
    """Return the cash-view variables: name -> (DataArray, units, long name).

    Parameters
    ----------
    res
        Results Dataset (``capex_musd``, ``cost_musd``, capacities).
    params
        Parameters it was solved from (``wacc_frac``, lives, O&M rates, weights).
    revenue_musd
        Market revenue by year and region (``market_revenue_musd`` of the cost view).
    finance, contracts
        The scenario's ``finance`` and ``contracts`` sections.
    """
    cal = Calendar.of(res, params)
    first = int(cal.years[0])
    rate = float(params["wacc_frac"])
    lives = economic_lives_yr(res, params)
    leads = finance.build_lead_time_yr
    book = finance.depreciation_life_yr

    builds = cal.expand(
        capex_by_class_musd(res["capex_musd"], finance.accelerator_share_of_it_capex_frac),
        spread=True,
    )  # calendar year of first use
    outlays, before, dep_book, dep_econ, terminal = [], [], [], [], []
    work_in_progress: list[xr.DataArray] = []
    for cls in ASSET_CLASSES:
        build = builds.sel(asset_class=cls, drop=True)
        lead = getattr(leads, cls)
        spent = spend_musd(build, lead)
        if finance.builds_after_horizon == "repeat_last" and lead > 0:
            # builds first used after the horizon, as many as in its last year: their
            # spend inside it is work in progress, worth its cost plus the cost of capital
            last = int(build["year"][-1])
            after = build.isel(year=[-1] * lead).assign_coords(
                year=np.arange(last + 1, last + 1 + lead)
            )
            wip = spend_musd(xr.concat([build * 0.0, after], "year"), lead)
            wip = wip.sel(year=(wip["year"] <= last) & (wip["year"] >= int(spent["year"][0])))
            spent = spent + wip.reindex_like(spent, fill_value=0.0)
            growth = (1.0 + rate) ** (last - wip["year"])
            work_in_progress.append((wip * growth).sum())
        early = spent.sel(year=spent["year"] < first).sum("year")
        on_time = spent.sel(year=spent["year"] >= first)
        on_time = xr.concat(
            [on_time.sel(year=[first]) + early, on_time.sel(year=on_time["year"] > first)], "year"
        )
        outlays.append(on_time)
        before.append(early)
        life = float(lives.sel(asset_class=cls))
        dep_book.append(straight_line_musd(build, getattr(book, cls)))
        dep_econ.append(straight_line_musd(build, life))
        terminal.append(terminal_value_musd(build, life, rate))
    classes = xr.DataArray(list(ASSET_CLASSES), dims="asset_class")
    outlay = xr.concat(outlays, dim=classes)  # (asset_class, year, region) by calendar year

    revenue = cal.expand(revenue_musd, spread=False)
    opex = cal.expand(operating_cost_musd(res, params), spread=False)
    ebitda = revenue - opex
    fcf = ebitda - outlay.sum("asset_class")
    world_fcf = fcf.sum("region")
    cumulative = world_fcf.cumsum("year")
    low = int(cumulative.argmin("year"))
    peak_need = max(0.0, -float(cumulative.isel(year=low)))
    tv = float(xr.concat(terminal, dim=classes).sum()) + float(sum(work_in_progress, 0.0))
    flows = world_fcf.values.copy()
    flows[-1] += tv
    span_end = cal.years + cal.weights.astype(int) - 1  # cumulative at the end of each span
    book_dep = xr.concat(dep_book, dim=classes).sum("asset_class")
    econ_dep = xr.concat(dep_econ, dim=classes).sum("asset_class")
    derived = check_wacc(finance.financing, rate, str(res.attrs.get("scenario", "")))
    fin = financing_view(
        outlay.sum(["asset_class", "region"]),
        outlay.sel(asset_class=IT_CLASSES).sum(["asset_class", "region"]),
        ebitda.sum("region"),
        finance.financing,
    )
    # flows of a model year: their mean per calendar year over its span
    per_year = cal.collapse
    out: Variables = {
        "capex_outlay_musd": (
            per_year(outlay).transpose("year", "region", "asset_class"),
            UNITS_MUSD,
            (
                "capex spent in the year (builds paid over their lead time before first use; "
                "spend before the first year added to it)"
            ),
        ),
        "capex_before_start_musd": (
            xr.concat(before, dim=classes).transpose("region", "asset_class"),
            UNITS_MUSD,
            (
                "spend on the first years' builds that falls before the first model year "
                "(included in its capex_outlay_musd)"
            ),
        ),
        "operating_cost_musd": (
            per_year(opex),
            UNITS_MUSD,
            "operating cost (O&M, fuel, grid energy, carbon; no capital charges)",
        ),
        "ebitda_musd": (per_year(ebitda), UNITS_MUSD, "market revenue - operating cost"),
        "free_cash_flow_musd": (
            per_year(fcf),
            UNITS_MUSD,
            "EBITDA - capex outlays (pre-tax, unlevered)",
        ),
        "cumulative_cash_musd": (
            cumulative.sel(year=span_end).assign_coords(year=cal.years),
            UNITS_MUSD,
            "world cumulative free cash flow from the first model year (end of each year)",
        ),
        "peak_funding_need_musd": (
            xr.DataArray(peak_need).assign_attrs(year=int(cumulative["year"][low])),
            UNITS_MUSD,
            "deepest world cumulative cash position (external funding needed; year in attrs)",
        ),
        "terminal_value_musd": (
            xr.DataArray(tv),
            UNITS_MUSD,
            (
                "value of the horizon's builds at its end: the LP's annuities they have left, "
                "discounted at the WACC to the last year, plus spend on later builds at cost "
                "plus the cost of capital"
            ),
        ),
        "npv_musd": (
            xr.DataArray(npv_musd(flows, rate)).assign_attrs(rate_frac=rate, base_year=first),
            UNITS_MUSD,
            "NPV at the WACC of world free cash flows plus the terminal value, to the first year",
        ),
        "irr_frac": (
            xr.DataArray(irr_frac(flows)),
            "1",
            "internal rate of return of world free cash flows plus the terminal value",
        ),
        "payback_yr": (
            xr.DataArray(payback_years(world_fcf.values)).assign_attrs(base_year=first),
            "yr",
            (
                "years from the first model year until world cumulative cash is back to zero for "
                "good (NaN: not within the horizon)"
            ),
        ),
        "depreciation_book_musd": (
            per_year(book_dep),
            UNITS_MUSD,
            (
                "straight-line depreciation over the book lives (finance.depreciation_life_yr) "
                "of the horizon's builds"
            ),
        ),
        "depreciation_economic_musd": (
            per_year(econ_dep),
            UNITS_MUSD,
            "straight-line depreciation over the economic lives the LP uses",
        ),
        "depreciation_gap_musd": (
            per_year(econ_dep - book_dep),
            UNITS_MUSD,
            "economic - book depreciation: what the book lives add to reported profit",
        ),
        "operating_profit_book_musd": (
            per_year(ebitda - book_dep),
            UNITS_MUSD,
            "EBITDA - book depreciation (reported operating profit)",
        ),
        "operating_profit_economic_musd": (
            per_year(ebitda - econ_dep),
            UNITS_MUSD,
            "EBITDA - economic depreciation",
        ),
        "cash_break_even_revenue_musd": (
            per_year(opex.sum("region") + outlay.sum(["asset_class", "region"])),
            UNITS_MUSD,
            (
                "world revenue that makes the year's free cash flow zero (operating cost + capex "
                "outlays)"
            ),
        ),
        "wacc_derived_frac": (
            xr.DataArray(derived).assign_attrs(wacc_frac=rate),
            "1",
            "cost of capital implied by finance.financing (pre-tax)",
        ),
    }
    fin_units = {"_ratio": "1", "_frac": "1", "_musd": UNITS_MUSD}
    fin_names = {
        "capex_funding_musd": "capex outlays by source of funding",
        "debt_outstanding_musd": "debt outstanding at the end of the year",
        "interest_musd": "interest paid",
        "debt_service_musd": "interest + principal repaid",
        "dscr_ratio": "debt service coverage: EBITDA / debt service",
        "interest_coverage_ratio": "interest coverage: EBITDA / interest",
        "vendor_financing_musd": "capex funded by hardware suppliers' investment in customers",
        "vendor_exposure_musd": "suppliers' cumulative investment in their customers",
        "vendor_share_of_supplier_revenue_frac": (
            "share of suppliers' hardware sales (accelerators, servers, networking) paid with "
            "their own investment"
        ),
    }
    for name, da in fin.items():
        units = next(u for s, u in fin_units.items() if name.endswith(s))
        out[name] = (per_year(da), units, fin_names[name])
    if "it_capacity_new_gw" in res:
        built_gw = cal.expand(res["it_capacity_new_gw"].sum("region"), spread=True)
        spend = builds.sum(["asset_class", "region"])
        out["capex_usd_per_kw_built"] = (
            per_year(spend / built_gw.where(built_gw > 0)),
            "USD/kW",
            (
                "the year's capex on every asset class (IT, facility, power supply, grid "
                "connection) per kW of IT capacity built (= M$/GW)"
            ),
        )
        per_kw = builds.sum("region") / built_gw.where(built_gw > 0)
        out["capex_per_gpu_built_usd"] = (
            per_year(per_kw * float(params["it_kw_per_gpu"].mean())).transpose(
                "year", "asset_class"
            ),
            "USD/GPU",
            (
                "the year's capex by asset class per accelerator built (capex per kW of IT built "
                "x IT kW per GPU)"
            ),
        )
    if contracts.compute:
        years = [int(y) for y in cal.cal]
        kw_per_gpu = float(params["it_kw_per_gpu"].mean())
        view = contract_view(contracts, years, kw_per_gpu)
        long_names = {
            "contract_payment_musd": "take-or-pay payments due under each contract",
            "buyer_revenue_musd": "each contract buyer's revenue (scenario input)",
            "contract_coverage_frac": (
                "buyer revenue / everything the buyer owes under its contracts that year"
            ),
            "contract_revenue_growth_ratio": (
                "buyer's peak yearly contract payments / its revenue in the first model year"
            ),
            "contract_cost_per_gpu_hour_usd": (
                "contract payment per accelerator-hour of the capacity it buys"
            ),
        }
        view["contract_cost_per_gpu_hour_usd"] = view.pop("contract_usd_per_gpu_hour")
        contract_units = {"_musd": UNITS_MUSD, "_frac": "1", "_ratio": "1", "_usd": "USD/GPU-h"}
        for name, da in view.items():
            unit = next(u for s, u in contract_units.items() if name.endswith(s))
            out[name] = (per_year(da) if "year" in da.dims else da, unit, long_names[name])
    return out
