"""Stage 7, token economics: results + parameters in, cost per token and revenue out.

Pure xarray functions after the solve; nothing here knows Pyomo.

- :mod:`~energymodel.economics.formulas`: each formula as a small tested function
  (tokens served, cost per million tokens, break-even revenue, stranded cost, ...);
- :mod:`~energymodel.economics.evaluate`: ``evaluate(res, params)`` adds every variable of
  the economics contract (``docs/contracts.md``) to a results Dataset;
- the cash view (``docs/cash.md``): :mod:`~energymodel.economics.cashflow` (outlays over
  lead times, NPV, IRR, payback, depreciation schedules), :mod:`~energymodel.economics.
  financing` (debt, equity, vendor financing), :mod:`~energymodel.economics.contracts`
  (take-or-pay compute contracts) and :mod:`~energymodel.economics.cash_view` (all of it
  on one results Dataset).
"""

from energymodel.economics.cash_view import cash_view
from energymodel.economics.cashflow import (
    annuity_pv_ratio,
    irr_frac,
    npv_musd,
    payback_years,
)
from energymodel.economics.contracts import contract_view
from energymodel.economics.evaluate import PARAMS_NEEDS, RES_NEEDS, evaluate
from energymodel.economics.financing import amortisation_table, derived_wacc_frac
from energymodel.economics.formulas import (
    ENERGY_COMPONENTS,
    INFERENCE,
    OPERATING_COMPONENTS,
    UNSERVED,
    allocate_training_musd,
    blended_tokens_per_kwh,
    break_even_revenue_musd,
    cagr,
    capacity_from_energy,
    capex_intensity_revenue_musd,
    cost_per_gpu_hour_usd,
    cost_per_gw_yr_musd,
    cost_per_mtok,
    emissions_gco2_per_mtok,
    energy_capacity_identity,
    gpu_hours,
    grow,
    inference_share_frac,
    marginal_cost_per_mtok,
    operating_cost_musd,
    payback_yr,
    real_cost_musd,
    revenue_gap_musd,
    serving_cost_by_class_usd_per_mtok,
    stranded_cost_musd,
    tokens_by_class_tn,
    tokens_served_tn,
)
from energymodel.finance import capital_recovery_factor

__all__ = [
    "ENERGY_COMPONENTS",
    "INFERENCE",
    "OPERATING_COMPONENTS",
    "PARAMS_NEEDS",
    "RES_NEEDS",
    "UNSERVED",
    "allocate_training_musd",
    "amortisation_table",
    "annuity_pv_ratio",
    "blended_tokens_per_kwh",
    "break_even_revenue_musd",
    "cagr",
    "capacity_from_energy",
    "capex_intensity_revenue_musd",
    "capital_recovery_factor",
    "cash_view",
    "contract_view",
    "cost_per_gpu_hour_usd",
    "cost_per_gw_yr_musd",
    "cost_per_mtok",
    "derived_wacc_frac",
    "emissions_gco2_per_mtok",
    "energy_capacity_identity",
    "evaluate",
    "gpu_hours",
    "grow",
    "inference_share_frac",
    "irr_frac",
    "marginal_cost_per_mtok",
    "npv_musd",
    "operating_cost_musd",
    "payback_years",
    "payback_yr",
    "real_cost_musd",
    "revenue_gap_musd",
    "serving_cost_by_class_usd_per_mtok",
    "stranded_cost_musd",
    "tokens_by_class_tn",
    "tokens_served_tn",
]
