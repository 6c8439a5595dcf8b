"""Token economics, formula by formula: small pure functions, each tested by hand.

Units follow DESIGN.md: GW, TWh per year, million USD (M$). Two identities keep the
arithmetic short: 1 M$ / 1 trillion tokens = 1 USD per million tokens, and
1 USD/kW = 1 M$/GW.

Divisions by zero (no tokens, no capacity) give NaN, never inf, and never a warning:
every division goes through :func:`safe_div`, which masks zero denominators first.
"""

from __future__ import annotations

from typing import TypeVar

import numpy as np
import numpy.typing as npt
import xarray as xr

from energymodel.finance import capital_recovery_factor
from energymodel.units import (
    G_PER_MT,
    GWH_PER_TWH,
    HOURS_PER_YEAR,
    KW_PER_GW,
    KWH_PER_TWH,
    MTOK_PER_TRILLION,
    TOKENS_PER_TRILLION,
    USD_PER_MUSD,
)

INFERENCE = "inference"
UNSERVED = "unserved"
"""The unserved-compute penalty is a modelling device, not a cost anyone pays."""
ENERGY_COMPONENTS = ("fuel", "grid_energy", "grid_capacity", "carbon", "power_capex", "power_fom")
"""Cost components that make up the energy share of cost (power supply, on-site or grid)."""
OPERATING_COMPONENTS = ("power_fom", "fuel", "grid_energy", "grid_capacity", "carbon")
"""Cost components with no capital charge in them (for the payback margin)."""

UNITS_TOKENS = "trillion tokens"
UNITS_USD_PER_MTOK = "USD/Mtok"
UNITS_MUSD = "M$"

Num = TypeVar("Num", float, npt.NDArray[np.float64], xr.DataArray)
Operand = float | xr.DataArray


def as_da(x: Operand) -> xr.DataArray:
    return x if isinstance(x, xr.DataArray) else xr.DataArray(float(x))


def safe_div(num: Operand, den: Operand) -> xr.DataArray:
    """Divide, giving NaN (and no warning) where the denominator is zero."""
    den_da = as_da(den)
    return as_da(num) / den_da.where(den_da != 0)


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
    return safe_div(cumulative_capex_musd, margin_musd.where(margin_musd > 0))


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
    it_charge = as_da(it_capex_usd_per_kw) * capital_recovery_factor(as_da(wacc_frac), it_life_yr)
    facility_charge = as_da(facility_capex_usd_per_kw) * capital_recovery_factor(
        as_da(wacc_frac), facility_life_yr
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


def blended_tokens_per_kwh(
    tokens_per_kwh: xr.DataArray, inference_mix_frac: xr.DataArray
) -> xr.DataArray:
    r"""Return the tokens per kWh of inference energy over every model class.

    .. math:: \bar\tau = \sum_c m_c \, \tau_c

    :math:`m_c` is class :math:`c`'s share of inference IT energy. E.g. 40% chat at 4.3e6
    and 60% reasoning at 0.78e6 tokens/kWh: 1.72e6 + 0.47e6 = 2.19e6 tokens/kWh.
    """
    return (tokens_per_kwh * inference_mix_frac).sum("model_class")


def tokens_by_class_tn(
    inference_twh: Operand, tokens_per_kwh: xr.DataArray, inference_mix_frac: xr.DataArray
) -> xr.DataArray:
    r"""Return the tokens served (trillion) by each model class.

    .. math:: T_c = E^{IT}_{inf} \, m_c \cdot 10^9 \cdot \tau_c / 10^{12}

    The classes share the inference fleet: class :math:`c` uses the share :math:`m_c` of
    its energy. E.g. 10 TWh, 60% reasoning at 0.78e6 tokens/kWh: 6 TWh x 0.78e6 / 1e3 =
    4,680 trillion tokens.
    """
    return tokens_served_tn(as_da(inference_twh) * inference_mix_frac, tokens_per_kwh)


def serving_cost_by_class_usd_per_mtok(
    serving_cost_musd: Operand, inference_twh: Operand, tokens_per_kwh: xr.DataArray
) -> xr.DataArray:
    r"""Return each model class's serving cost per million tokens.

    .. math:: c_c = \frac{C^{serve}}{E^{IT}_{inf}} \cdot \frac{1000}{\tau_c}

    Serving cost is shared among the classes by their inference energy (they run on the
    same fleet), so a class's cost per MWh is the fleet's and its cost per token is that
    over its tokens per MWh: a reasoning token costs :math:`\tau_{chat} / \tau_{reasoning}`
    times a chat token. E.g. 20,000 M$ over 10 TWh = 2,000 $/MWh; at 2e6 tokens/kWh
    (2e9 per MWh) that is 1.0 $/Mtok.
    """
    per_mwh = safe_div(serving_cost_musd, inference_twh)  # M$/TWh = $/MWh
    return safe_div(per_mwh * 1e3, tokens_per_kwh)


def allocate_training_musd(
    training_cost_musd: xr.DataArray, tokens_tn: xr.DataArray
) -> xr.DataArray:
    r"""Return training cost allocated to regions by their share of world tokens (M$).

    .. math:: A_r = \Big(\sum_{r'} C^{tr}_{r'}\Big) \, T_r / \sum_{r'} T_{r'}

    Training serves the models every region sells, wherever the optimiser placed it;
    each region carries the world's training cost in proportion to the tokens it sells.
    Where no region sells tokens, training stays where it ran.
    """
    world = training_cost_musd.sum("region")
    share = safe_div(tokens_tn, tokens_tn.sum("region"))
    return (world * share).fillna(training_cost_musd)


def cost_per_mtok(cost_musd: Operand, tokens_tn: Operand) -> xr.DataArray:
    r"""Return the average cost per million tokens (USD/Mtok); NaN without tokens.

    .. math:: c = C / T \quad (\text{M\$ per trillion tokens} = \text{USD per Mtok})
    """
    return safe_div(cost_musd, tokens_tn)


def marginal_cost_per_mtok(
    marginal_cost_usd_per_mwh: Operand, tokens_per_kwh: Operand
) -> xr.DataArray:
    r"""Return the marginal cost per million tokens from a cost per MWh of IT energy.

    .. math:: c^{mg} = \lambda / (1000\,\tau) \cdot 10^6 = 1000\,\lambda / \tau

    (1 MWh = 1,000 kWh holds 1000 tau tokens.)
    """
    return safe_div(as_da(marginal_cost_usd_per_mwh) * 1e3, tokens_per_kwh)


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
    return safe_div(as_da(cost_musd) * USD_PER_MUSD, gpu_hours(it_capacity_gw, it_kw_per_gpu))


def cost_per_gw_yr_musd(cost_musd: Operand, it_capacity_gw: Operand) -> xr.DataArray:
    r"""Return the yearly cost per GW of IT capacity (M$ per GW-year).

    .. math:: c^{GW} = C / C^{IT}
    """
    return safe_div(cost_musd, it_capacity_gw)


def emissions_gco2_per_mtok(emissions_mtco2: Operand, tokens_tn: Operand) -> xr.DataArray:
    r"""Return emissions per million tokens (gCO2/Mtok).

    .. math:: e = M \cdot 10^{12} / (T \cdot 10^6)
    """
    return safe_div(as_da(emissions_mtco2) * G_PER_MT, as_da(tokens_tn) * MTOK_PER_TRILLION)


# --- aggregates of the results Dataset -------------------------------------------------


def component_sum(cost: xr.DataArray, names: tuple[str, ...]) -> xr.DataArray:
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
    return safe_div(inference, it_energy_twh.sum("workload"))


def operating_cost_musd(res: xr.Dataset, params: xr.Dataset) -> xr.DataArray:
    r"""Return the yearly cost without capital charges (M$), by year and region.

    .. math::
        C^{op} = \sum_{k \in \text{opex}} C_k + f^{IT} k^{IT} C^{IT} + F^{fac} C^{fac}

    ``cost_musd`` bundles IT and facility fixed O&M with their capital charges, so
    that O&M is re-estimated from the year's capex and the capacity alive (with
    accelerator generations, each generation's capacity in service at its own capex).
    """
    if "accelerator_capacity_gw" in res and "accelerator_capex_usd_per_kw" in params:
        kept = res["accelerator_capacity_gw"] * params["accelerator_capex_usd_per_kw"]
        it_fom = params["it_fom_frac_per_yr"] * kept.sum("accelerator")  # each at its capex
    else:
        it_fom = (
            params["it_fom_frac_per_yr"] * params["it_capex_usd_per_kw"] * res["it_capacity_gw"]
        )
    facility_fom = params["facility_fom_usd_per_kw_yr"] * res["facility_capacity_gw"]
    return component_sum(res["cost_musd"], OPERATING_COMPONENTS) + it_fom + facility_fom
