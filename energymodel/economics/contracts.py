r"""Take-or-pay compute contracts against their buyers' revenue (issue 27).

Contracts are scenario inputs (``contracts.compute``), not results of the LP: a buyer
pays ``payment_musd_per_yr`` in every year of the term whatever it uses. The coverage of
a contract in a year is its buyer's revenue over everything that buyer owes that year:

.. math:: \mathrm{cov}_{k,y} = \frac{R_{b(k),y}}{\sum_{k' : b(k') = b(k)} P_{k',y}}

(NaN in years without payments); below 1, the buyer's revenue does not cover its
contracts. The revenue growth needed is the buyer's highest yearly payments over the
whole term of its contracts (not only the model years) over its revenue in the first
model year. A contract that names its capacity also gives its implied price per
accelerator-hour: the payment over the GPU-hours of that capacity.
"""

from __future__ import annotations

import numpy as np
import xarray as xr

from energymodel.economics.formulas import gpu_hours
from energymodel.params.series import trajectory
from energymodel.scenario.cash import ContractsConfig
from energymodel.units import USD_PER_MUSD


def contract_payments_musd(cfg: ContractsConfig, years: list[int]) -> xr.DataArray:
    """Return each contract's payment in each calendar year of ``years`` (M$), 0 outside."""
    names = list(cfg.compute)
    values = np.zeros((len(years), len(names)))
    for j, name in enumerate(names):
        c = cfg.compute[name]
        for i, y in enumerate(years):
            if c.start_year <= y < c.start_year + c.years:
                values[i, j] = c.payment_musd_per_yr
    return xr.DataArray(
        values, dims=("year", "contract"), coords={"year": list(years), "contract": names}
    )


def buyer_revenue_musd(cfg: ContractsConfig, years: list[int]) -> xr.DataArray:
    """Return each buyer's revenue path on ``years`` (M$ a year)."""
    buyers = list(cfg.buyer_revenue_musd)
    values = np.stack(
        [trajectory(cfg.buyer_revenue_musd[b], years) for b in buyers], axis=1
    ).reshape(len(years), len(buyers))
    return xr.DataArray(
        values, dims=("year", "buyer"), coords={"year": list(years), "buyer": buyers}
    )


def contract_view(
    cfg: ContractsConfig, years: list[int], it_kw_per_gpu: float
) -> dict[str, xr.DataArray]:
    """Return the contracts' payments, coverage and what they imply (empty without contracts).

    Returns
    -------
    dict
        ``contract_payment_musd`` (year, contract), ``buyer_revenue_musd`` (year, buyer),
        ``contract_coverage_frac`` (year, contract), ``contract_revenue_growth_ratio``
        (contract), ``contract_usd_per_gpu_hour`` (contract; NaN without a capacity).
        ``contract`` carries ``buyer``, ``seller``, ``start_year`` and ``term_yr``.
    """
    if not cfg.compute:
        return {}
    names = list(cfg.compute)
    meta = {
        "buyer": ("contract", [cfg.compute[n].buyer for n in names]),
        "seller": ("contract", [cfg.compute[n].seller for n in names]),
        "start_year": ("contract", [cfg.compute[n].start_year for n in names]),
        "term_yr": ("contract", [cfg.compute[n].years for n in names]),
    }
    payments = contract_payments_musd(cfg, years)
    revenue = buyer_revenue_musd(cfg, years)
    buyer_of = xr.DataArray(meta["buyer"][1], dims="contract", coords={"contract": names})
    owed = payments.groupby(buyer_of.rename("buyer")).sum()  # (year, buyer)
    owed_by_contract = owed.sel(buyer=buyer_of, drop=True)
    revenue_by_contract = revenue.sel(buyer=buyer_of, drop=True)
    coverage = revenue_by_contract / owed_by_contract.where(payments > 0)

    # growth needed: the buyer's peak payments over every year of its contracts
    last = max(c.start_year + c.years for c in cfg.compute.values())
    every = list(range(min(years[0], *(c.start_year for c in cfg.compute.values())), last))
    peak = contract_payments_musd(cfg, every).groupby(buyer_of.rename("buyer")).sum().max("year")
    first_revenue = revenue.isel(year=0, drop=True)
    growth = (peak / first_revenue.where(first_revenue > 0)).sel(buyer=buyer_of, drop=True)

    capacity = np.array(
        [
            np.nan if cfg.compute[n].capacity_gw is None else cfg.compute[n].capacity_gw
            for n in names
        ]
    )
    payment = np.array([cfg.compute[n].payment_musd_per_yr for n in names])
    hours = xr.DataArray(gpu_hours(xr.DataArray(capacity, dims="contract"), it_kw_per_gpu))
    per_gpu_hour = payment * USD_PER_MUSD / hours.values
    out = {
        "contract_payment_musd": payments,
        "buyer_revenue_musd": revenue,
        "contract_coverage_frac": coverage,
        "contract_revenue_growth_ratio": growth,
        "contract_usd_per_gpu_hour": xr.DataArray(
            per_gpu_hour, dims="contract", coords={"contract": names}
        ),
    }
    return {k: v.assign_coords(meta) if "contract" in v.dims else v for k, v in out.items()}
