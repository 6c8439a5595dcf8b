"""``evaluate(res, params)``: every variable of the economics contract, on a results Dataset.

Pure xarray after the solve (``docs/contracts.md``): the formulas are in
:mod:`energymodel.economics.formulas`.
"""

from __future__ import annotations

from typing import Any

import xarray as xr
from ruamel.yaml import YAML

from energymodel.economics.cash_view import cash_view
from energymodel.economics.formulas import (
    ENERGY_COMPONENTS,
    INFERENCE,
    UNITS_MUSD,
    UNITS_TOKENS,
    UNITS_USD_PER_MTOK,
    UNSERVED,
    allocate_training_musd,
    as_da,
    blended_tokens_per_kwh,
    break_even_revenue_musd,
    capex_intensity_revenue_musd,
    component_sum,
    cost_per_gpu_hour_usd,
    cost_per_gw_yr_musd,
    cost_per_mtok,
    emissions_gco2_per_mtok,
    inference_share_frac,
    marginal_cost_per_mtok,
    operating_cost_musd,
    payback_yr,
    real_cost_musd,
    revenue_gap_musd,
    safe_div,
    stranded_cost_musd,
    tokens_by_class_tn,
)
from energymodel.scenario.cash import ContractsConfig
from energymodel.scenario.schema import FinanceConfig, Scenario

RES_NEEDS = (
    "it_energy_twh",
    "it_capacity_gw",
    "facility_capacity_gw",
    "stranded_it_capacity_gw",
    "emissions_mtco2",
    "cost_musd",
    "capex_musd",
    "marginal_cost_usd_per_mwh",
)
PARAMS_NEEDS = (
    "tokens_per_kwh",
    "inference_mix_frac",
    "price_usd_per_mtok",
    "revenue_musd",
    "capex_to_revenue_frac",
    "target_margin_frac",
    "it_kw_per_gpu",
    "wacc_frac",
    "it_capex_usd_per_kw",
    "it_life_yr",
    "facility_capex_usd_per_kw",
    "facility_life_yr",
    "it_fom_frac_per_yr",
    "facility_fom_usd_per_kw_yr",
)


def _require(ds: xr.Dataset, names: tuple[str, ...], what: str) -> None:
    missing = [n for n in names if n not in ds]
    if missing:
        raise KeyError(f"economics.evaluate: {what} lacks {missing} (docs/contracts.md)")


def scenario_sections(
    params: xr.Dataset, scenario: Scenario | None = None
) -> tuple[FinanceConfig, ContractsConfig]:
    """Return the ``finance`` and ``contracts`` sections the cash view reads.

    From ``scenario`` when given, else from the resolved scenario the parameters carry
    (``params.attrs["scenario_yaml"]``), else the schema's defaults.
    """
    if scenario is not None:
        return scenario.finance, scenario.contracts
    text = str(params.attrs.get("scenario_yaml", ""))
    data: Any = YAML(typ="safe").load(text) if text else None
    if not isinstance(data, dict):
        return FinanceConfig(), ContractsConfig()
    return (
        FinanceConfig.model_validate(data.get("finance") or {}),
        ContractsConfig.model_validate(data.get("contracts") or {}),
    )


def evaluate(res: xr.Dataset, params: xr.Dataset, scenario: Scenario | None = None) -> xr.Dataset:
    """Return ``res`` plus every variable of the economics contract.

    Parameters
    ----------
    res
        Results Dataset (``docs/contracts.md``, results.py).
    params
        Parameter Dataset the results were solved from (``build_params``).
    scenario
        The scenario, for the cash view's ``finance`` and ``contracts`` sections (default:
        the one ``params`` carries in its ``scenario_yaml`` attribute).

    Returns
    -------
    xr.Dataset
        A new Dataset; each added variable has ``units`` and ``long_name``.

    Notes
    -----
    - Costs are ``cost_musd`` without the ``unserved`` penalty (not a real cost).
    - A region's cost splits into serving (the inference share of its IT energy) and
      training. Training serves the models every region sells, so the world's training
      cost is allocated to regions by their share of world tokens, not by where it ran:
      regional all-in cost per token = regional serving cost per token + the world's
      training cost per token. Regional break-even revenue and revenue gap use the same
      allocation (world totals are unchanged by it).
    - Tokens are by inference model class (``model_class``): each class uses its share
      of inference IT energy (``inference_mix_frac``) at its tokens per kWh; serving cost
      per token by class shares the fleet's cost by energy.
    - Market revenue is tokens x price, or ``revenue_musd`` (world, per year) when set,
      shared among regions by their tokens. With elastic demand (``demand_elasticity`` >
      0) the price is the equilibrium token price, the dual of the demand row, so the
      break-even check compares cost with what the market clears at, not an assumed price.
    - With accelerator generations, tokens are each generation's inference energy at its
      own tokens per kWh; serving cost by class is the class's energy share of the cost
      over its tokens.
    - Simple payback and capex intensity are world-wide; cumulative capex starts at the
      first modelled year.
    - The cash view (capex outlays by asset class, free cash flow, NPV, IRR, payback,
      book and economic depreciation, financing, contracts) is
      :func:`energymodel.economics.cash_view.cash_view`.
    """
    _require(res, RES_NEEDS, "results")
    _require(params, PARAMS_NEEDS, "params")
    cost = res["cost_musd"]
    real = real_cost_musd(cost)
    rates, mix = params["tokens_per_kwh"], params["inference_mix_frac"]
    inference_twh = res["it_energy_twh"].sel(workload=INFERENCE, drop=True)
    if "accelerator_inference_twh" in res:  # each generation at its own tokens per kWh
        by_generation = res["accelerator_inference_twh"]
        tokens = tokens_by_class_tn(by_generation, params["accelerator_tokens_per_kwh"], mix).sum(
            "accelerator"
        )
    else:
        tokens = tokens_by_class_tn(inference_twh, rates, mix)
    region_tokens = tokens.sum("model_class")
    world_tokens = region_tokens.sum("region")
    share = inference_share_frac(res["it_energy_twh"])
    serving = real * share
    training = real - serving.fillna(0.0)  # where no IT energy is served: all training
    training_allocated = allocate_training_musd(training, region_tokens)
    allocated = serving.fillna(0.0) + training_allocated
    margin = params["target_margin_frac"]

    # Market revenue: an explicit (world) trajectory wins over tokens x price; with elastic
    # demand the price is the equilibrium one (the dual), not the reference price.
    blended = blended_tokens_per_kwh(rates, mix)
    marginal = marginal_cost_per_mtok(res["marginal_cost_usd_per_mwh"], blended)
    token_price = marginal.sel(workload=INFERENCE, drop=True)
    equilibrium_revenue = region_tokens * token_price
    given = params["revenue_musd"]
    token_revenue = region_tokens * params["price_usd_per_mtok"]
    if "demand_elasticity" in params and bool((params["demand_elasticity"] > 0).any()):
        token_revenue = equilibrium_revenue
    world_revenue = xr.where(given.notnull(), given, token_revenue.sum("region"))
    region_revenue = xr.where(
        given.notnull(), given * safe_div(region_tokens, world_tokens), token_revenue
    )
    break_even = as_da(break_even_revenue_musd(allocated, margin))
    # a model year standing for W calendar years holds W years of builds
    built = res["capex_musd"].sum(["component", "region"])
    world_capex = built / params["year_weight_yr"] if "year_weight_yr" in params else built
    world_margin = world_revenue - operating_cost_musd(res, params).sum("region")

    marginal_inference = res["marginal_cost_usd_per_mwh"].sel(workload=INFERENCE, drop=True)
    real_by_component = cost.where(cost["component"] != UNSERVED, 0.0)
    serving_by_component = real_by_component * share.fillna(0.0)
    allocated_by_component = serving_by_component + allocate_training_musd(
        real_by_component - serving_by_component, region_tokens
    )
    world_serving = serving.sum("region")
    out = {
        "tokens_served_tn": (
            tokens,
            UNITS_TOKENS,
            "tokens served by inference model class",
        ),
        "avg_cost_usd_per_mtok": (
            cost_per_mtok(allocated, region_tokens),
            UNITS_USD_PER_MTOK,
            (
                "all-in average cost per million tokens: the region's serving cost plus the "
                "world's training cost allocated by tokens"
            ),
        ),
        "avg_cost_by_component_usd_per_mtok": (
            cost_per_mtok(allocated_by_component, region_tokens),
            UNITS_USD_PER_MTOK,
            (
                "all-in average cost per million tokens by component (training allocated by "
                "tokens; unserved = 0)"
            ),
        ),
        "avg_serving_cost_usd_per_mtok": (
            cost_per_mtok(serving, region_tokens),
            UNITS_USD_PER_MTOK,
            "serving-only average cost per million tokens (inference share of cost)",
        ),
        "serving_cost_by_class_usd_per_mtok": (
            cost_per_mtok(serving * mix, tokens),
            UNITS_USD_PER_MTOK,
            "serving-only average cost per million tokens of each model class",
        ),
        "training_cost_musd": (
            training,
            UNITS_MUSD,
            "cost of the training run in the region (the non-inference share of its cost)",
        ),
        "world_training_cost_usd_per_mtok": (
            cost_per_mtok(training.sum("region"), world_tokens),
            UNITS_USD_PER_MTOK,
            "world training cost per million tokens sold (added to every region's serving cost)",
        ),
        "world_avg_cost_usd_per_mtok": (
            cost_per_mtok(real.sum("region"), world_tokens),
            UNITS_USD_PER_MTOK,
            "world all-in average cost per million tokens",
        ),
        "world_serving_cost_usd_per_mtok": (
            cost_per_mtok(world_serving, world_tokens),
            UNITS_USD_PER_MTOK,
            "world serving-only average cost per million tokens",
        ),
        "world_serving_cost_by_class_usd_per_mtok": (
            cost_per_mtok(world_serving * mix, tokens.sum("region")),
            UNITS_USD_PER_MTOK,
            "world serving-only average cost per million tokens of each model class",
        ),
        "marginal_cost_usd_per_mtok": (
            marginal.where(marginal["workload"] == INFERENCE),
            UNITS_USD_PER_MTOK,
            (
                "marginal cost per million tokens from the compute-demand dual, at the "
                "energy-weighted tokens per kWh (training: NaN; where demand is shed: the value "
                "of lost compute, see shed)"
            ),
        ),
        "marginal_cost_by_class_usd_per_mtok": (
            marginal_cost_per_mtok(marginal_inference, rates),
            UNITS_USD_PER_MTOK,
            "marginal cost per million tokens of each model class (inference dual)",
        ),
        "token_price_usd_per_mtok": (
            token_price,
            UNITS_USD_PER_MTOK,
            (
                "equilibrium token price: the dual of the token demand row, where the marginal "
                "cost of a token meets what buyers pay (fixed demand: the marginal cost; where "
                "demand is shed: the value of lost compute)"
            ),
        ),
        "token_revenue_musd": (
            equilibrium_revenue,
            UNITS_MUSD,
            "tokens served x the equilibrium token price",
        ),
        "cost_per_gpu_hour_usd": (
            cost_per_gpu_hour_usd(real, res["it_capacity_gw"], _kw_per_gpu(res, params)),
            "USD/GPU-h",
            "yearly cost per accelerator-hour of IT capacity alive",
        ),
        "cost_per_gw_yr_musd": (
            cost_per_gw_yr_musd(real, res["it_capacity_gw"]),
            "M$/GW/yr",
            "yearly cost per GW of IT capacity alive",
        ),
        "break_even_revenue_musd": (
            break_even,
            UNITS_MUSD,
            (
                "break-even revenue per year (cost incl. capital charges, training allocated by "
                "tokens, plus target margin)"
            ),
        ),
        "world_break_even_revenue_musd": (
            as_da(break_even_revenue_musd(real, margin)).sum("region"),
            UNITS_MUSD,
            "world break-even revenue per year",
        ),
        "market_revenue_musd": (region_revenue, UNITS_MUSD, "market revenue per year"),
        "revenue_gap_musd": (
            revenue_gap_musd(break_even, region_revenue),
            UNITS_MUSD,
            "break-even minus market revenue (positive = shortfall)",
        ),
        "capex_intensity_revenue_musd": (
            capex_intensity_revenue_musd(world_capex, params["capex_to_revenue_frac"]),
            UNITS_MUSD,
            "revenue needed to sustain the year's capex (yearly capex / capex-to-revenue)",
        ),
        "stranded_cost_musd": (
            stranded_cost_musd(
                res["stranded_it_capacity_gw"],
                params["it_capex_usd_per_kw"],
                params["it_life_yr"],
                params["facility_capex_usd_per_kw"],
                params["facility_life_yr"],
                params["wacc_frac"],
            ),
            UNITS_MUSD,
            "annualised IT and facility capital charge of stranded IT capacity",
        ),
        "simple_payback_yr": (
            payback_yr(built.cumsum("year"), world_margin),
            "yr",
            "cumulative world capex / yearly (market revenue - operating cost)",
        ),
        "energy_share_of_cost_frac": (
            safe_div(component_sum(cost, ENERGY_COMPONENTS), real),
            "1",
            "energy share of cost (fuel, grid energy, carbon, power capex and FOM)",
        ),
        "emissions_gco2_per_mtok": (
            emissions_gco2_per_mtok(res["emissions_mtco2"], region_tokens),
            "gCO2/Mtok",
            "emissions per million tokens (all of the region's emissions)",
        ),
    }
    finance, contracts = scenario_sections(params, scenario)
    out |= cash_view(res, params, region_revenue, finance, contracts)
    return res.assign(
        {
            name: _leading(da).assign_attrs(units=units, long_name=long_name)
            for name, (da, units, long_name) in out.items()
        }
    )


def _kw_per_gpu(res: xr.Dataset, params: xr.Dataset) -> xr.DataArray:
    """IT kW per accelerator: the input's, or with generations the fleet's in service
    (capacity over accelerators, each generation at its own kW per GPU)."""
    if "accelerator_capacity_gw" not in res or "accelerator_kw_per_gpu" not in params:
        return params["it_kw_per_gpu"]
    kept = res["accelerator_capacity_gw"]
    gpus = (kept / params["accelerator_kw_per_gpu"]).sum("accelerator")
    return safe_div(kept.sum("accelerator"), gpus).fillna(params["it_kw_per_gpu"])


def _leading(da: xr.DataArray) -> xr.DataArray:
    """Put ``year`` and ``region`` first, in that order, when present."""
    return da.transpose(*[d for d in ("year", "region") if d in da.dims], ...)
