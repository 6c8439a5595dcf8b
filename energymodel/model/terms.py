"""What the constraint families share: the parameter view, and the registries of terms.

Families never edit each other. A family that supplies power, emits carbon or costs money
*registers* a term here (Switch's ``Cost_Components_Per_Period.append`` idea, typed);
the balance, policy and objective families sum what was registered.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
import pyomo.environ as pyo
import xarray as xr

from energymodel.schema import COMPONENTS

ExprLike = Any  # Pyomo ships no type hints
TermFn = Callable[..., ExprLike]

GWH_PER_TWH = 1000.0
HOURS_PER_YEAR = 8760.0
CONNECTION_LIFE_YR = 40  # substations and lines outlive the horizon; our choice


def capital_recovery_factor(rate: float, life_yr: float) -> float:
    """Annuity that repays 1 over ``life_yr`` years at ``rate``: r / (1 - (1 + r)^-n)."""
    if rate == 0:
        return 1.0 / life_yr
    return rate / (1.0 - (1.0 + rate) ** -life_yr)


class ModelData:
    """A Pyomo-friendly view of the parameter Dataset: plain dicts, built once.

    Pyomo never sees xarray: ``.sel()`` inside a rule is slow, a dict look-up is not.
    """

    def __init__(self, params: xr.Dataset) -> None:
        self.ds = params
        self._cache: dict[str, Any] = {}

    def coords(self, dim: str) -> list[Any]:
        """Coordinate labels of ``dim`` as plain Python values."""
        return [v.item() if hasattr(v, "item") else v for v in self.ds[dim].to_numpy()]

    def param(self, name: str) -> Any:
        """``{index: value}`` for an array, or a float for a scalar; NaN kept."""
        if name not in self._cache:
            da = self.ds[name]
            if da.ndim == 0:
                self._cache[name] = float(da)
            else:
                series = da.to_series()
                keys = (
                    [tuple(_plain(k) for k in idx) for idx in series.index]
                    if da.ndim > 1
                    else [_plain(k) for k in series.index]
                )
                self._cache[name] = dict(zip(keys, series.to_numpy(dtype=float), strict=True))
        return self._cache[name]

    def has(self, name: str) -> bool:
        """Whether the Dataset holds ``name`` with at least one finite value."""
        return name in self.ds and bool(np.isfinite(self.ds[name].to_numpy()).any())

    @cached_property
    def years(self) -> list[int]:
        return [int(y) for y in self.coords("year")]

    @cached_property
    def weight(self) -> dict[int, float]:
        """Calendar years each model year stands for."""
        return self.param("year_weight_yr")

    @cached_property
    def discount(self) -> dict[int, float]:
        return self.param("discount_factor_ratio")

    @cached_property
    def wacc(self) -> float:
        return float(self.ds["wacc_frac"])

    @cached_property
    def timeslice_hours(self) -> dict[int, float]:
        return self.param("timeslice_weight_h")

    @cached_property
    def day_of(self) -> dict[int, int]:
        return {
            int(t): int(d)
            for t, d in zip(self.ds.timeslice.values, self.ds.timeslice_day.values, strict=True)
        }

    @cached_property
    def previous_in_day(self) -> dict[int, int]:
        """The timeslice before ``t`` in its representative day, wrapping around (cyclic)."""
        by_day: dict[int, list[int]] = {}
        for t, d in self.day_of.items():
            by_day.setdefault(d, []).append(t)
        prev = {}
        for slices in by_day.values():
            for i, t in enumerate(slices):
                prev[t] = slices[i - 1]
        return prev

    def alive(self, life_yr: float) -> dict[int, list[int]]:
        """For each model year, the build years (vintages) still inside ``life_yr``."""
        return {y: [v for v in self.years if v <= y < v + life_yr] for y in self.years}


def _plain(value: Any) -> Any:
    return value.item() if hasattr(value, "item") else value


@dataclass
class Terms:
    """Contributions that families register for others to sum.

    Each term is a function of the model and its index, returning a Pyomo expression:
    ``supply_gw(m, y, r, t)`` power into the facility bus, ``cost_musd[c](m, y, r)`` the
    yearly (undiscounted) cost of component ``c``, ``emissions_mtco2(m, y, r)``,
    ``firm_gw(m, y, r)`` firm capacity, ``fossil_gwh(m, y, r, t)`` energy that is not
    carbon-free, ``clean_potential_twh(m, y, r)`` yearly clean energy available to buy.
    """

    supply_gw: list[TermFn] = field(default_factory=list)
    cost_musd: dict[str, list[TermFn]] = field(default_factory=lambda: {c: [] for c in COMPONENTS})
    global_cost_musd: list[TermFn] = field(default_factory=list)
    emissions_mtco2: list[TermFn] = field(default_factory=list)
    firm_gw: list[TermFn] = field(default_factory=list)
    not_clean_gw: list[TermFn] = field(default_factory=list)
    clean_potential_twh: list[TermFn] = field(default_factory=list)


def annualised_builds(
    m: pyo.ConcreteModel,
    var: pyo.Var,
    data: ModelData,
    y: int,
    capex: dict[int, float],
    life_yr: float,
    index: tuple[Any, ...] = (),
) -> ExprLike:
    """Capital charge in year ``y`` of every vintage of ``var`` still alive.

    Each vintage ``v`` pays ``capex[v] x CRF(wacc, life)`` in every year of its life, so
    no build is charged beyond the horizon (no end-of-horizon distortion).
    """
    crf = capital_recovery_factor(data.wacc, life_yr)
    return sum(crf * capex[v] * var[(v, *index)] for v in data.years if v <= y < v + life_yr)


def add_technology_capacity(
    m: pyo.ConcreteModel, data: ModelData, terms: Terms, techs: pyo.Set, prefix: str
) -> None:
    r"""Capacity by vintage of power technologies ``techs``, shared by supply and storage.

    .. math::
        K_{y,r,s} = \sum_{v \le y < v + L_s} B_{v,r,s} \qquad
        \sum_r B_{y,r,s} \le \bar B_{y,s} \, W_y \qquad
        B_{y,r,s} = 0 \text{ before the technology is available}

    Adds ``<prefix>_new_gw``, ``<prefix>_capacity_gw`` and ``<prefix>_build_limit``, and
    registers capex (an annuity per vintage alive), fixed O&M and firm capacity.
    """
    life = data.param("life_yr")
    capex = data.param("capex_usd_per_kw")
    fom = data.param("fom_usd_per_kw_yr")
    build_limit = data.param("max_build_gw_per_yr")
    allowed = data.param("build_allowed_frac")
    firm = data.param("firm_credit_frac")

    new = pyo.Var(m.YEAR, m.REGION, techs, within=pyo.NonNegativeReals)
    m.add_component(f"{prefix}_new_gw", new)
    for y in m.YEAR:
        for s in techs:
            if not allowed[(y, s)]:
                for r in m.REGION:
                    new[y, r, s].fix(0.0)

    def capacity_rule(m: pyo.ConcreteModel, y: int, r: str, s: str) -> ExprLike:
        return sum(new[v, r, s] for v in data.alive(life[s])[y])

    capacity = pyo.Expression(m.YEAR, m.REGION, techs, rule=capacity_rule)
    m.add_component(f"{prefix}_capacity_gw", capacity)

    def limit_rule(m: pyo.ConcreteModel, y: int, s: str) -> ExprLike:
        limit = build_limit[(y, s)]
        if math.isnan(limit):  # NaN: no limit
            return pyo.Constraint.Skip
        return sum(new[y, r, s] for r in m.REGION) <= limit * data.weight[y]

    m.add_component(f"{prefix}_build_limit", pyo.Constraint(m.YEAR, techs, rule=limit_rule))

    def power_capex(m: pyo.ConcreteModel, y: int, r: str) -> ExprLike:
        return sum(
            annualised_builds(
                m, new, data, y, {v: capex[(v, s)] for v in data.years}, life[s], (r, s)
            )
            for s in techs
        )

    terms.cost_musd["power_capex"].append(power_capex)
    terms.cost_musd["power_fom"].append(
        lambda m, y, r: sum(fom[(y, s)] * capacity[y, r, s] for s in techs)
    )
    terms.firm_gw.append(lambda m, y, r: sum(firm[s] * capacity[y, r, s] for s in techs if firm[s]))
