"""Token parameters: demand as tokens, the willingness-to-pay steps of elastic demand, and
accelerator generations (``build_params`` calls these).

The LP measures inference in *reference IT energy*: TWh at the reference tokens per kWh
:math:`\\bar\\tau_y` (``tokens_per_kwh`` blended over the model classes by
``inference_mix_frac``, after ``hardware.efficiency_multiplier``). One TWh of it holds
:math:`\\bar\\tau_y / 1000` trillion tokens. With one blended fleet a TWh of IT energy
is a TWh of reference energy; an accelerator generation serves
:math:`\\bar\\tau_{g,y} / \\bar\\tau_y` reference TWh per TWh (``accelerator_output_ratio``).
The rows stay near 1 and the dual of the demand row stays a cost per MWh of IT energy.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from energymodel.data.tables import Inputs
from energymodel.params.series import trajectory
from energymodel.scenario.schema import MODEL_CLASSES, Scenario

TN_PER_TWH_PER_TOKEN_PER_KWH = 1e-3
"""Trillion tokens in one TWh at one token per kWh: 1e9 kWh / 1e12."""
STEPS_PER_DECADE = 12
"""Willingness-to-pay steps per tenfold change of quantity (each step 21% wide)."""
LOWEST_RATIO, HIGHEST_RATIO = 0.1, 100.0
"""The steps cover Q0 / 10 .. 100 Q0: a tenfold efficiency gain at elasticity 1.5 wants
10 ** 1.5 = 32 Q0, with room for a reference price above the marginal cost."""
CHOKE_RATIO = 100.0
"""Willingness to pay is capped at 100 times the reference price (the curve's choke)."""


def blended(rates: np.ndarray, mix: np.ndarray) -> np.ndarray:
    """Tokens per kWh over the model classes (last axis), weighted by energy share."""
    return (rates * mix).sum(axis=-1)


def token_demand(
    sc: Scenario,
    it_twh: np.ndarray,
    pue: np.ndarray,
    reference: np.ndarray,
    base: np.ndarray,
    years: list[int],
    regions: list[str],
) -> tuple[np.ndarray, np.ndarray]:
    """IT energy demanded (year, region, workload; inference in reference TWh) and the
    inference tokens it stands for (year, region; trillion).

    ``it_twh`` is the energy demand of :func:`~energymodel.params.compute.demand` (zero for
    demand given in tokens), ``reference`` and ``base`` the blended tokens per kWh after
    and before ``efficiency_multiplier``. Held energy: tokens = inference TWh x reference
    / 1000. Held tokens from energy: tokens = inference TWh x base / 1000 (what the energy
    serves on the reference hardware), then reference TWh = tokens x 1000 / reference.
    Given in tokens: the scenario's values, scaled; training is ``training_twh`` of
    facility energy shared among regions like the tokens, over each region's PUE.
    """
    d = sc.demand
    per = TN_PER_TWH_PER_TOKEN_PER_KWH
    it = np.array(it_twh, dtype=float)
    if d.unit == "tokens":
        values = d.values or {}
        tokens = (
            np.stack(
                [
                    trajectory(values[r], years) if values.get(r) else np.zeros(len(years))
                    for r in regions
                ],
                axis=1,
            )
            * trajectory(d.scale, years)[:, None]
        )
        for r, scale in d.region_scale.items():
            if r in regions:
                tokens[:, regions.index(r)] *= trajectory(scale, years)
        world = tokens.sum(axis=1, keepdims=True)
        share = np.divide(tokens, world, out=np.zeros_like(tokens), where=world > 0)
        training = trajectory(d.training_twh, years) * trajectory(d.scale, years)
        it[:, :, 0] = training[:, None] * share / pue
    elif d.holds_tokens:
        tokens = it[:, :, 1] * base[:, None] * per
    else:
        return it, it[:, :, 1] * reference[:, None] * per
    it[:, :, 1] = tokens / (reference[:, None] * per)
    return it, tokens


def step_grid() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The steps of the demand curve in units of Q0: near end, far end, direction.

    Direction +1: tokens beyond Q0 (from ``near`` up to ``far``); -1: tokens given up below
    Q0 (from ``near`` down to ``far``). Quantities are 10 ** (k / 12).
    """
    k = np.arange(round(np.log10(LOWEST_RATIO) * STEPS_PER_DECADE), 0)
    down_far = 10.0 ** (k / STEPS_PER_DECADE)
    down_near = 10.0 ** ((k + 1) / STEPS_PER_DECADE)
    k = np.arange(1, round(np.log10(HIGHEST_RATIO) * STEPS_PER_DECADE) + 1)
    up_far = 10.0 ** (k / STEPS_PER_DECADE)
    up_near = 10.0 ** ((k - 1) / STEPS_PER_DECADE)
    near = np.concatenate([down_near[::-1], up_near])
    far = np.concatenate([down_far[::-1], up_far])
    direction = np.concatenate([-np.ones(down_far.size), np.ones(up_far.size)])
    return near, far, direction


def average_wtp(lo: np.ndarray, hi: np.ndarray, elasticity: float) -> np.ndarray:
    r"""Mean willingness to pay over quantities ``lo..hi`` (units of Q0), in units of P0.

    .. math::
        \bar p = \frac{1}{b - a} \int_a^b \min(C, q^{-1/\varepsilon})\, dq

    :math:`C` is :data:`CHOKE_RATIO`. The mean (not an end point) makes each step's value
    the exact area under the curve: the consumer surplus the step adds (TIMES).
    """
    choke = CHOKE_RATIO ** (-elasticity)  # quantity where the curve meets the cap
    capped = np.clip(np.minimum(hi, choke) - lo, 0.0, None) * CHOKE_RATIO
    a, b = np.maximum(lo, choke), hi
    if abs(elasticity - 1.0) < 1e-9:
        area = np.log(b / a)
    else:
        power = 1.0 - 1.0 / elasticity
        with np.errstate(under="ignore", over="ignore"):
            area = (b**power - a**power) / power
    return (capped + np.where(b > a, area, 0.0)) / (hi - lo)


def elastic_steps(
    elasticity: np.ndarray, price: np.ndarray, reference: np.ndarray, inference_twh: np.ndarray
) -> dict[str, Any]:
    """Widths (reference TWh) and values (USD per reference MWh) of the demand steps.

    ``elasticity``, ``price`` (USD/Mtok) and ``reference`` (tokens/kWh) by year,
    ``inference_twh`` the reference quantity (year, region). A MWh of reference energy
    holds ``reference / 1000`` Mtok, so a step worth p USD/Mtok is worth p x reference /
    1000 USD/MWh. A year of elasticity 0 has steps of width 0 (no columns).
    """
    near, far = step_grid()[:2]
    lo, hi = np.minimum(near, far), np.maximum(near, far)
    value = np.stack(
        [average_wtp(lo, hi, e) if e > 0 else np.zeros(lo.size) for e in elasticity]
    )  # (year, step), units of P0
    value = value * (price * reference / 1e3)[:, None]
    width = inference_twh[:, :, None] * (hi - lo)[None, None, :]
    width = np.where((elasticity > 0)[:, None, None], width, 0.0)
    return {
        "demand_step_twh": (("year", "region", "demand_step"), width),
        "demand_step_value_usd_per_mwh": (("year", "demand_step"), value),
        "demand_step_direction": (("demand_step",), step_grid()[2]),
    }


def lowest_step_wtp(elasticity: np.ndarray) -> np.ndarray:
    """Willingness to pay at Q0 / 10 in units of P0 (capped): what the last token below
    the steps is worth, the value of lost compute under elastic demand."""
    with np.errstate(divide="ignore", over="ignore"):
        wtp = np.where(elasticity > 0, LOWEST_RATIO ** (-1.0 / np.maximum(elasticity, 1e-9)), 0.0)
    return np.minimum(wtp, CHOKE_RATIO)


def accelerator_params(
    sc: Scenario,
    inputs: Inputs,
    years: list[int],
    it_life_yr: float,
    multiplier: np.ndarray,
    mix: np.ndarray,
    reference: np.ndarray,
) -> dict[str, Any]:
    """Parameters of the accelerator generations a scenario may buy (dim ``accelerator``).

    Capex per kW of IT = capex per GPU / kW per GPU, x ``it_capex_multiplier``; tokens per
    kWh by model class x ``efficiency_multiplier``; output ratio = the generation's blended
    tokens per kWh / the reference (reference TWh per TWh); life: the scenario's, else the
    table's, else ``it_life_yr``. The fleet in service before the first year is of the
    first generation listed.
    """
    hw = sc.hardware
    names = list(hw.accelerators or [])
    table = inputs.accelerators.loc[names]
    capex = (table["capex_usd_per_gpu"] / table["kw_per_gpu"]).to_numpy(float)
    capex = capex[None, :] * trajectory(hw.it_capex_multiplier, years)[:, None]
    table_life = table["life_yr"] if "life_yr" in table else np.full(len(names), np.nan)
    life = np.array(
        [
            hw.accelerator_life_yr.get(g, it_life_yr if np.isnan(x) else x)
            for g, x in zip(names, np.asarray(table_life, float), strict=True)
        ],
        dtype=float,
    )
    first = np.array(
        [
            hw.accelerator_available_from_year.get(g, table.at[g, "available_from_year"])
            for g in names
        ],
        dtype=float,
    )
    rates = np.stack([table[f"tokens_per_kwh_{c}"].to_numpy(float) for c in MODEL_CLASSES], axis=1)
    rates = multiplier[:, None, None] * rates[None, :, :]  # (year, accelerator, class)
    ratio = blended(rates, mix[:, None, :]) / reference[:, None]
    ya = ("year", "accelerator")
    return {
        "accelerator_capex_usd_per_kw": (ya, capex),
        "accelerator_life_yr": (("accelerator",), life),
        "accelerator_allowed_frac": (ya, (np.array(years)[:, None] >= first).astype(float)),
        "accelerator_tokens_per_kwh": (("year", "accelerator", "model_class"), rates),
        "accelerator_output_ratio": (ya, ratio),
        "accelerator_existing_frac": (("accelerator",), (np.arange(len(names)) == 0) * 1.0),
        "accelerator_kw_per_gpu": (("accelerator",), table["kw_per_gpu"].to_numpy(float)),
    }
