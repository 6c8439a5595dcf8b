"""Compute parameters: demand by workload, flexible shares, tokens per kWh by model class
and the value of lost compute (``build_params`` calls these)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from energymodel.data.tables import Inputs
from energymodel.params.series import trajectory
from energymodel.scenario.schema import MODEL_CLASSES, WORKLOADS, Scenario
from energymodel.units import TWH_PER_GW_YEAR


def per_workload(value: float | Mapping[str, float]) -> list[float]:
    """A share per workload (in :data:`WORKLOADS` order): one number for all, or a mapping
    (a workload it leaves out: 0)."""
    if isinstance(value, Mapping):
        return [float(value.get(w, 0.0)) for w in WORKLOADS]
    return [float(value)] * len(WORKLOADS)


def tokens_per_kwh(
    sc: Scenario, years: list[int], table: Callable[[str], np.ndarray]
) -> np.ndarray:
    """Tokens per kWh of IT energy by year and model class (before the efficiency multiplier).

    The scenario's one rate (number or trajectory) holds for every class; its mapping by
    class replaces the inputs' ``tokens_per_kwh_<class>`` for the classes it names.
    """
    given = sc.hardware.tokens_per_kwh
    if given is None:
        by_class: Mapping[str, Any] = {}
    elif isinstance(given, Mapping) and not _is_trajectory(given):
        by_class = given
    else:
        by_class = dict.fromkeys(MODEL_CLASSES, given)
    columns = [
        trajectory(by_class[c], years) if c in by_class else table(f"tokens_per_kwh_{c}")
        for c in MODEL_CLASSES
    ]
    return np.stack(columns, axis=1)


def _is_trajectory(value: Any) -> bool:
    """A ``{year: number}`` mapping (not a mapping by model class)."""
    return isinstance(value, Mapping) and all(isinstance(k, int) for k in value)


def penalty(
    sc: Scenario, years: list[int], tokens_per_kwh: np.ndarray, mix: np.ndarray
) -> np.ndarray:
    """Value of lost compute by year and workload (USD per MWh of IT energy).

    Inference: the scenario's override, else what a MWh of inference earns, the market
    price x the energy-weighted tokens per kWh / 1000 ($/Mtok x tokens/kWh x 1,000 kWh/MWh
    / 1e6 tokens/Mtok). Training: ``demand.training_value_frac`` of it.
    """
    d = sc.demand
    if d.unserved_penalty_usd_per_mwh is not None:
        inference = trajectory(d.unserved_penalty_usd_per_mwh, years)
    else:
        blended = (tokens_per_kwh * mix).sum(axis=1)
        inference = trajectory(sc.market.price_usd_per_mtok, years) * blended / 1e3
    by_workload = {"training": inference * d.training_value_frac, "inference": inference}
    return np.stack([by_workload[w] for w in WORKLOADS], axis=1)


def demand(
    sc: Scenario, inputs: Inputs, years: list[int], regions: list[str], pue: np.ndarray
) -> np.ndarray:
    """IT energy demanded by year, region and workload (TWh).

    Facility energy (TWh) becomes IT energy by dividing by PUE; facility power (GW)
    becomes facility energy at the scenario's capacity factor (IEA/LBNL identity).
    """
    d = sc.demand
    if d.unit == "tokens":  # no energy: params/tokens.py reads the tokens
        return np.zeros((len(years), len(regions), len(WORKLOADS)))
    if d.values is not None:
        table = {r: d.values.get(r, {}) for r in regions}
        unit: str = d.unit or "TWh"
        facility = np.stack(
            [trajectory(table[r], years) if table[r] else np.zeros(len(years)) for r in regions],
            axis=1,
        )
    else:
        rows = inputs.demand[inputs.demand["trajectory"] == d.trajectory]
        unit = str(rows["unit"].iloc[0])
        facility = np.stack(
            [
                trajectory(dict(zip(g["year"], g["value"], strict=True)), years)
                if len(g := rows[rows["region"] == r])
                else np.zeros(len(years))
                for r in regions
            ],
            axis=1,
        )
    if unit == "GW":
        facility = facility * d.capacity_factor_frac * TWH_PER_GW_YEAR
    facility = facility * trajectory(d.scale, years)[:, None]
    for r, scale in d.region_scale.items():
        if r in regions:
            facility[:, regions.index(r)] *= trajectory(scale, years)
    it = facility / pue
    training = trajectory(d.training_share_frac, years)[:, None]
    return np.stack([it * training, it * (1 - training)], axis=2)


def committed(sc: Scenario, years: list[int], regions: list[str]) -> np.ndarray:
    """Announced builds on the model years whose span holds them.

    A model year stands for itself up to the next one (see :func:`year_weights`), so a
    build announced for 2027 with model years [2025, 2030] is built in the 2025 span;
    one before the first model year is built in the first.
    """
    out = np.zeros((len(years), len(regions)))
    for region, builds in sc.policy.committed_it_capacity_gw.items():
        if region not in regions:
            continue
        for year, gw in builds.items():
            span = max([i for i, y in enumerate(years) if y <= year], default=0)
            out[span, regions.index(region)] += gw
    return out
