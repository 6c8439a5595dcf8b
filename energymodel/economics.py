"""Token economics after the solve: pure xarray functions on the results Dataset.

``evaluate(res, params)`` adds every variable of the economics contract
(``docs/contracts.md``) to a results Dataset. The building blocks below are small,
named and tested one by one; each docstring carries its formula.

Units follow DESIGN.md: GW, TWh per year, million USD (M$). Two identities keep the
arithmetic short: 1 M$ / 1 trillion tokens = 1 USD per million tokens, and
1 USD/kW = 1 M$/GW.

Divisions by zero (no tokens, no capacity) give NaN, never inf, and never a warning:
every division goes through :func:`_safe_div`, which masks zero denominators first.
"""

from __future__ import annotations

from typing import TypeVar, overload

import numpy as np
import numpy.typing as npt
import xarray as xr

HOURS_PER_YEAR = 8760.0
KWH_PER_TWH = 1e9
GWH_PER_TWH = 1e3
KW_PER_GW = 1e6
USD_PER_MUSD = 1e6
TOKENS_PER_TRILLION = 1e12
MTOK_PER_TRILLION = 1e6  # million tokens per trillion tokens
G_PER_MT = 1e12  # grams per million tonnes

INFERENCE = "inference"
UNSERVED = "unserved"
"""The unserved-compute penalty is a modelling device, not a cost anyone pays."""
ENERGY_COMPONENTS = ("fuel", "grid_energy", "carbon", "power_capex", "power_fom")
"""Cost components that make up the energy share of cost (power supply, on-site or grid)."""
OPERATING_COMPONENTS = ("power_fom", "fuel", "grid_energy", "carbon")
"""Cost components with no capital charge in them (for the payback margin)."""

UNITS_TOKENS = "trillion tokens"
UNITS_USD_PER_MTOK = "USD/Mtok"
UNITS_MUSD = "M$"

Num = TypeVar("Num", float, npt.NDArray[np.float64], xr.DataArray)
Operand = float | xr.DataArray


def _as_da(x: Operand) -> xr.DataArray:
    return x if isinstance(x, xr.DataArray) else xr.DataArray(float(x))


def _safe_div(num: Operand, den: Operand) -> xr.DataArray:
    """Divide, giving NaN (and no warning) where the denominator is zero."""
    den_da = _as_da(den)
    return _as_da(num) / den_da.where(den_da != 0)


# --- growth and the energy/capacity identity ------------------------------------------


def cagr(start: Num, end: Num, years: float) -> Num:
    r"""Return the compound annual growth rate from ``start`` to ``end``.

    .. math:: g = (E / S)^{1/n} - 1
    """
    return (end / start) ** (1.0 / years) - 1.0


def grow(start: Num, rate: Num | float, years: float) -> Num:
    r"""Return ``start`` grown at ``rate`` per year for ``years`` years.

    .. math:: E = S\,(1 + g)^n
    """
    return start * (1.0 + rate) ** years


def energy_capacity_identity(
    capacity_gw: Num, capacity_factor_frac: Num | float, pue_ratio: Num | float
) -> tuple[Num, Num]:
    r"""Return yearly facility and IT energy (TWh) of grid-side capacity at a utilisation.

    .. math::
        E^{fac} = C \cdot 8760 \cdot CF / 1000, \qquad E^{IT} = E^{fac} / \mathrm{PUE}

    The IEA reading (facts §1.2): its "capacity" is grid-side facility capacity and the
    fleet capacity factor applies to it (226 GW x 8,760 h x 0.48 = 950 TWh).

    Returns
    -------
    (facility_twh, it_twh)
    """
    facility_twh = capacity_gw * HOURS_PER_YEAR * capacity_factor_frac / GWH_PER_TWH
    return facility_twh, facility_twh / pue_ratio


def capacity_from_energy(twh: Num, capacity_factor_frac: Num | float) -> Num:
    r"""Return the capacity (GW) that delivers ``twh`` a year at a capacity factor.

    .. math:: C = E \cdot 1000 / (8760 \cdot CF)

    LBNL 2024 converts energy to power at CF 0.5 (325 TWh -> 74 GW).
    """
    return twh * GWH_PER_TWH / (HOURS_PER_YEAR * capacity_factor_frac)


# --- finance ---------------------------------------------------------------------------


@overload
def capital_recovery_factor(rate: float, life_yr: float) -> float: ...
@overload
def capital_recovery_factor(rate: Operand, life_yr: xr.DataArray) -> xr.DataArray: ...
@overload
def capital_recovery_factor(rate: xr.DataArray, life_yr: Operand) -> xr.DataArray: ...
def capital_recovery_factor(rate: Operand, life_yr: Operand) -> float | xr.DataArray:
    r"""Return the annuity factor that spreads 1 of capex evenly over an asset's life.

    .. math::
        \mathrm{CRF}(r, n) = \frac{r (1+r)^n}{(1+r)^n - 1}, \qquad
        \mathrm{CRF}(0, n) = 1/n

    E.g. CRF(10%, 5 yr) = 0.263797.
    """
    r, n = _as_da(rate), _as_da(life_yr)
    growth = (1.0 + r) ** n
    crf = xr.where(r == 0, 1.0 / n, r * growth / (growth - 1.0).where(r != 0))
    if isinstance(rate, xr.DataArray) or isinstance(life_yr, xr.DataArray):
        return crf
    return float(crf)


def capex_intensity_revenue_musd(capex_musd: Operand, capex_to_revenue_frac: Operand) -> Operand:
    r"""Return the revenue that sustains a capex rate at a capex-to-revenue ratio (M$).

    .. math:: R = K / \kappa

    Bain TR2025: $500B/yr capex at a sustainable 25% -> $2T/yr revenue.
    """
    return capex_musd / capex_to_revenue_frac


def break_even_revenue_musd(cost_musd: Operand, target_margin_frac: Operand) -> Operand:
    r"""Return the yearly revenue that covers a yearly cost plus a margin (M$).

    .. math:: R^{BE} = C\,(1 + m)

    ``cost_musd`` already holds the annualised capital charges at the cost of capital;
    pass it without the unserved penalty (:func:`real_cost_musd`).
    """
    return cost_musd * (1.0 + target_margin_frac)


def revenue_gap_musd(required_musd: Operand, available_musd: Operand) -> Operand:
    r"""Return required minus available revenue (M$); positive means a shortfall.

    .. math:: G = R^{BE} - R^{mkt}
    """
    return required_musd - available_musd


def payback_yr(cumulative_capex_musd: xr.DataArray, margin_musd: xr.DataArray) -> xr.DataArray:
    r"""Return the years of operating margin that repay the capex spent so far.

    .. math:: P = \frac{\sum_{y' \le y} K_{y'}}{R^{mkt}_y - C^{op}_y}
        \quad\text{(NaN where the margin is not positive)}
    """
    return _safe_div(cumulative_capex_musd, margin_musd.where(margin_musd > 0))


def stranded_cost_musd(
    stranded_it_capacity_gw: xr.DataArray,
    it_capex_usd_per_kw: Operand,
    it_life_yr: Operand,
    facility_capex_usd_per_kw: Operand,
    facility_life_yr: Operand,
    wacc_frac: Operand,
) -> xr.DataArray:
    r"""Return the yearly capital charge carried by idle IT capacity (M$).

    .. math::
        C^{str} = S \left(k^{IT}\,\mathrm{CRF}(r, n^{IT})
                  + k^{fac}\,\mathrm{CRF}(r, n^{fac})\right)

    Capex per kW is that year's (1 USD/kW = 1 M$/GW), not the stranded vintage's.
    """
    it_charge = _as_da(it_capex_usd_per_kw) * capital_recovery_factor(_as_da(wacc_frac), it_life_yr)
    facility_charge = _as_da(facility_capex_usd_per_kw) * capital_recovery_factor(
        _as_da(wacc_frac), facility_life_yr
    )
    return stranded_it_capacity_gw * (it_charge + facility_charge)


# --- tokens and unit costs -------------------------------------------------------------


def tokens_served_tn(it_energy_twh: Num, tokens_per_kwh: Num | float) -> Num:
    r"""Return the tokens served (trillion) by inference IT energy.

    .. math:: T = E^{IT}_{inf} \cdot 10^9 \cdot \tau / 10^{12}

    With a ``workload`` dim, only ``inference`` serves tokens; training serves none (0).
    E.g. 10 TWh at 2e6 tokens/kWh = 1e10 kWh x 2e6 / 1e12 = 20,000 trillion tokens.
    """
    tokens = it_energy_twh * tokens_per_kwh * KWH_PER_TWH / TOKENS_PER_TRILLION
    if isinstance(tokens, xr.DataArray) and "workload" in tokens.dims:
        tokens = tokens.where(tokens["workload"] == INFERENCE, 0.0)
    return tokens


def cost_per_mtok(cost_musd: Operand, tokens_tn: Operand) -> xr.DataArray:
    r"""Return the average cost per million tokens (USD/Mtok); NaN without tokens.

    .. math:: c = C / T \quad (\text{M\$ per trillion tokens} = \text{USD per Mtok})
    """
    return _safe_div(cost_musd, tokens_tn)


def marginal_cost_per_mtok(
    marginal_cost_usd_per_mwh: Operand, tokens_per_kwh: Operand
) -> xr.DataArray:
    r"""Return the marginal cost per million tokens from a cost per MWh of IT energy.

    .. math:: c^{mg} = \lambda / (1000\,\tau) \cdot 10^6 = 1000\,\lambda / \tau

    (1 MWh = 1,000 kWh holds 1000 tau tokens.)
    """
    return _safe_div(_as_da(marginal_cost_usd_per_mwh) * 1e3, tokens_per_kwh)


def gpu_hours(it_capacity_gw: Operand, it_kw_per_gpu: Operand) -> Operand:
    r"""Return accelerator-hours a year held by IT capacity (SemiAnalysis frame).

    .. math:: H = C^{IT} \cdot 10^6 / k^{GPU} \cdot 8760
    """
    return it_capacity_gw * KW_PER_GW / it_kw_per_gpu * HOURS_PER_YEAR


def cost_per_gpu_hour_usd(
    cost_musd: Operand, it_capacity_gw: Operand, it_kw_per_gpu: Operand
) -> xr.DataArray:
    r"""Return the yearly cost per accelerator-hour of IT capacity (USD).

    .. math:: c^{GPU} = C \cdot 10^6 / H
    """
    return _safe_div(_as_da(cost_musd) * USD_PER_MUSD, gpu_hours(it_capacity_gw, it_kw_per_gpu))


def cost_per_gw_yr_musd(cost_musd: Operand, it_capacity_gw: Operand) -> xr.DataArray:
    r"""Return the yearly cost per GW of IT capacity (M$ per GW-year).

    .. math:: c^{GW} = C / C^{IT}
    """
    return _safe_div(cost_musd, it_capacity_gw)


def emissions_gco2_per_mtok(emissions_mtco2: Operand, tokens_tn: Operand) -> xr.DataArray:
    r"""Return emissions per million tokens (gCO2/Mtok).

    .. math:: e = M \cdot 10^{12} / (T \cdot 10^6)
    """
    return _safe_div(_as_da(emissions_mtco2) * G_PER_MT, _as_da(tokens_tn) * MTOK_PER_TRILLION)


# --- aggregates of the results Dataset -------------------------------------------------


def _components(cost: xr.DataArray, names: tuple[str, ...]) -> xr.DataArray:
    present = [c for c in names if c in cost["component"].values]
    return cost.sel(component=present).sum("component", min_count=1).fillna(0.0)


def real_cost_musd(cost_musd: xr.DataArray) -> xr.DataArray:
    r"""Return the yearly cost summed over components, without the unserved penalty.

    .. math:: C = \sum_{k \ne \text{unserved}} C_k
    """
    real = cost_musd.where(cost_musd["component"] != UNSERVED, 0.0)
    return real.sum("component", min_count=1)


def inference_share_frac(it_energy_twh: xr.DataArray) -> xr.DataArray:
    r"""Return the inference share of IT energy; NaN where no IT energy is served.

    .. math:: s = E^{IT}_{inf} / \sum_w E^{IT}_w
    """
    inference = it_energy_twh.sel(workload=INFERENCE, drop=True)
    return _safe_div(inference, it_energy_twh.sum("workload"))


def operating_cost_musd(res: xr.Dataset, params: xr.Dataset) -> xr.DataArray:
    r"""Return the yearly cost without capital charges (M$), by year and region.

    .. math::
        C^{op} = \sum_{k \in \text{opex}} C_k + f^{IT} k^{IT} C^{IT} + F^{fac} C^{fac}

    ``cost_musd`` bundles IT and facility fixed O&M with their capital charges, so
    that O&M is re-estimated from the year's capex and the capacity alive.
    """
    it_fom = params["it_fom_frac_per_yr"] * params["it_capex_usd_per_kw"] * res["it_capacity_gw"]
    facility_fom = params["facility_fom_usd_per_kw_yr"] * res["facility_capacity_gw"]
    return _components(res["cost_musd"], OPERATING_COMPONENTS) + it_fom + facility_fom


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


def evaluate(res: xr.Dataset, params: xr.Dataset) -> xr.Dataset:
    """Return ``res`` plus every variable of the economics contract.

    Parameters
    ----------
    res
        Results Dataset (``docs/contracts.md``, results.py).
    params
        Parameter Dataset the results were solved from (params.py).

    Returns
    -------
    xr.Dataset
        A new Dataset; each added variable has ``units`` and ``long_name``.

    Notes
    -----
    - Costs are ``cost_musd`` without the ``unserved`` penalty (not a real cost).
    - All-in cost per token puts the region's whole cost (training included) on its
      inference tokens; serving-only cost takes the inference share of its IT energy.
    - Market revenue is tokens x price, or ``revenue_musd`` (world, per year) when set,
      shared among regions by their tokens.
    - Payback and capex intensity are world-wide; cumulative capex starts at the first
      modelled year.
    """
    _require(res, RES_NEEDS, "results")
    _require(params, PARAMS_NEEDS, "params")
    cost = res["cost_musd"]
    real = real_cost_musd(cost)
    tokens = tokens_served_tn(res["it_energy_twh"], params["tokens_per_kwh"])
    region_tokens = tokens.sum("workload")
    world_tokens = region_tokens.sum("region")
    share = inference_share_frac(res["it_energy_twh"])
    serving = real * share
    margin = params["target_margin_frac"]

    # Market revenue: an explicit (world) trajectory wins over tokens x price.
    given = params["revenue_musd"]
    token_revenue = region_tokens * params["price_usd_per_mtok"]
    world_revenue = xr.where(given.notnull(), given, token_revenue.sum("region"))
    region_revenue = xr.where(
        given.notnull(), given * _safe_div(region_tokens, world_tokens), token_revenue
    )
    break_even = _as_da(break_even_revenue_musd(real, margin))
    # a model year standing for W calendar years holds W years of builds
    built = res["capex_musd"].sum(["component", "region"])
    world_capex = built / params["year_weight_yr"] if "year_weight_yr" in params else built
    world_margin = world_revenue - operating_cost_musd(res, params).sum("region")

    marginal = marginal_cost_per_mtok(res["marginal_cost_usd_per_mwh"], params["tokens_per_kwh"])
    by_component = cost_per_mtok(cost.where(cost["component"] != UNSERVED, 0.0), region_tokens)
    out = {
        "tokens_served_tn": (tokens, UNITS_TOKENS, "tokens served (inference only)"),
        "avg_cost_usd_per_mtok": (
            cost_per_mtok(real, region_tokens),
            UNITS_USD_PER_MTOK,
            "all-in average cost per million tokens (training cost included)",
        ),
        "avg_cost_by_component_usd_per_mtok": (
            by_component,
            UNITS_USD_PER_MTOK,
            "all-in average cost per million tokens by component (unserved = 0)",
        ),
        "avg_serving_cost_usd_per_mtok": (
            cost_per_mtok(serving, region_tokens),
            UNITS_USD_PER_MTOK,
            "serving-only average cost per million tokens (inference share of cost)",
        ),
        "world_avg_cost_usd_per_mtok": (
            cost_per_mtok(real.sum("region"), world_tokens),
            UNITS_USD_PER_MTOK,
            "world all-in average cost per million tokens",
        ),
        "world_serving_cost_usd_per_mtok": (
            cost_per_mtok(serving.sum("region"), world_tokens),
            UNITS_USD_PER_MTOK,
            "world serving-only average cost per million tokens",
        ),
        "marginal_cost_usd_per_mtok": (
            marginal.where(marginal["workload"] == INFERENCE),
            UNITS_USD_PER_MTOK,
            "marginal cost per million tokens from the compute-demand dual (training: NaN)",
        ),
        "cost_per_gpu_hour_usd": (
            cost_per_gpu_hour_usd(real, res["it_capacity_gw"], params["it_kw_per_gpu"]),
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
            "break-even revenue per year (cost incl. capital charges, plus target margin)",
        ),
        "world_break_even_revenue_musd": (
            break_even.sum("region"),
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
        "payback_yr": (
            payback_yr(built.cumsum("year"), world_margin),
            "yr",
            "cumulative world capex / yearly (market revenue - operating cost)",
        ),
        "energy_share_of_cost_frac": (
            _safe_div(_components(cost, ENERGY_COMPONENTS), real),
            "1",
            "energy share of cost (fuel, grid energy, carbon, power capex and FOM)",
        ),
        "emissions_gco2_per_mtok": (
            emissions_gco2_per_mtok(res["emissions_mtco2"], region_tokens),
            "gCO2/Mtok",
            "emissions per million tokens (all of the region's emissions)",
        ),
    }
    return res.assign(
        {
            name: _leading(da).assign_attrs(units=units, long_name=long_name)
            for name, (da, units, long_name) in out.items()
        }
    )


def _leading(da: xr.DataArray) -> xr.DataArray:
    """Put ``year`` and ``region`` first, in that order, when present."""
    return da.transpose(*[d for d in ("year", "region") if d in da.dims], ...)
