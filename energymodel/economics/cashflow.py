r"""Cash flows by year: who pays, and when (issue 27). Pure xarray and numpy after the solve.

The LP charges each asset an annuity, capex x CRF(r, n) a year over its economic life.
This module puts the same builds on a cash timeline instead:

- **capex outlays** in the years they are spent: a build first used in year :math:`v` is
  paid evenly over the :math:`L` years before it (``finance.build_lead_time_yr`` by asset
  class; :math:`L = 0`: in year :math:`v`). Spend that falls before the first model year
  is added to the first model year and reported in ``capex_before_start_musd``;
- **revenue** (``market_revenue_musd``: tokens served x ``market.price_usd_per_mtok``, or
  ``market.revenue_musd``) and **operating cost** (fixed O&M, fuel, grid energy, carbon);
  EBITDA = revenue - operating cost; free cash flow = EBITDA - capex outlays (pre-tax,
  unlevered);
- the world's **cumulative cash**, its low point (the **peak funding need**), the
  **payback** time, and the **NPV** at the WACC and the **IRR** of the world's free cash
  flows plus a **terminal value**: what the builds of the horizon are still worth at its
  end, the present value of the annuities they have left to earn.

With a lead time of one year the two views agree exactly: the present value a year
before first use of :math:`n` annuities :math:`K\,\mathrm{CRF}(r, n)` is :math:`K`
(:func:`annuity_pv_ratio`). A longer lead time adds the cost of capital during
construction; none (0) makes the cash view cheaper by one year's interest.

Money is in M$ a year. A model year that stands for :math:`W` calendar years (model years
apart) holds :math:`W` years of builds: they are spread evenly over its span, and every
flow of a model year is reported as its mean per calendar year. The fleet in service
before the first year is sunk: its capex is not in the cash flows (its revenue and
operating costs are), nor in the terminal value. Builds after the horizon are unknown, so
the outlays of the last ``L`` years leave out the spend on builds first used after it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np
import xarray as xr
from scipy.optimize import brentq

from energymodel.finance import capital_recovery_factor
from energymodel.scenario.cash import ASSET_CLASSES

logger = logging.getLogger(__name__)

CONNECTION_LIFE_YR = 40.0
"""Economic life of a grid connection: the LP's (``energymodel.model.grid``)."""
DEFAULT_POWER_LIFE_YR = 25.0
"""Economic life of power supply when the results hold no builds to weight lives by."""
COMPONENT_OF_CLASS = {
    "accelerators": "accelerators",
    "servers_networking": "accelerators",
    "facility": "facility",
    "power_supply": "power_capex",
    "grid_connection": "grid_connection",
}
"""The ``capex_musd`` component each asset class is drawn from (IT capex splits in two)."""


# --- textbook functions: one series of yearly flows, first flow at t = 0 ------------------


def discount_ratio(rate: float, n_years: int) -> np.ndarray:
    r"""Return the discount factors :math:`(1+r)^{-t}` for :math:`t = 0 .. n-1`."""
    return (1.0 + rate) ** -np.arange(n_years, dtype=float)


def npv_musd(flows_musd: np.ndarray, rate: float) -> float:
    r"""Return the net present value at ``rate`` of yearly flows, the first at :math:`t=0`.

    .. math:: \mathrm{NPV} = \sum_t F_t\,(1+r)^{-t}

    E.g. -1,000 then 300 a year for 5 years at 10%: -1,000 + 300 x 3.7908 = 137.24.
    """
    flows = np.asarray(flows_musd, dtype=float)
    return float((flows * discount_ratio(rate, flows.size)).sum())


def irr_frac(flows_musd: np.ndarray) -> float:
    r"""Return the internal rate of return: the rate at which the NPV is zero.

    .. math:: \sum_t F_t\,(1+\rho)^{-t} = 0

    Found with :func:`scipy.optimize.brentq` between -99% and +1,000%; NaN where the NPV
    does not change sign there (e.g. flows that never pay back). E.g. -1,000 then 300 a
    year for 5 years: 15.24%.
    """
    flows = np.asarray(flows_musd, dtype=float)
    lo, hi = -0.99, 10.0
    f_lo, f_hi = npv_musd(flows, lo), npv_musd(flows, hi)
    if not (np.isfinite(f_lo) and np.isfinite(f_hi)) or f_lo * f_hi > 0:
        return float("nan")
    return float(brentq(lambda r: npv_musd(flows, r), lo, hi, xtol=1e-12))


def payback_years(flows_musd: np.ndarray) -> float:
    r"""Return the years from :math:`t=0` until the cumulative cash is back to zero for good.

    The cumulative cash after year :math:`t` is :math:`S_t = \sum_{t' \le t} F_{t'}`;
    payback is the last year :math:`t` with :math:`S_{t-1} < 0 \le S_t`, interpolated
    linearly within it: :math:`(t - 1) - S_{t-1} / F_t`. 0 when the cash never goes
    negative; NaN when it ends negative (no payback within the flows). E.g. -1,000 then
    300 a year: 3 + 100 / 300 = 3.33 years.
    """
    cumulative = np.cumsum(np.asarray(flows_musd, dtype=float))
    if cumulative[-1] < 0:
        return float("nan")
    negative = np.flatnonzero(cumulative < 0)
    if negative.size == 0:
        return 0.0
    t = int(negative[-1]) + 1
    return float((t - 1) - cumulative[t - 1] / (cumulative[t] - cumulative[t - 1]))


def annuity_factor(rate: float, n_years: float) -> float:
    r"""Return the present value of 1 a year for ``n_years``, paid at the end of each.

    .. math:: \mathrm{AF}(r, n) = \frac{1 - (1+r)^{-n}}{r}, \qquad \mathrm{AF}(0, n) = n
    """
    if n_years <= 0:
        return 0.0
    if rate == 0:
        return float(n_years)
    return float((1.0 - (1.0 + rate) ** -n_years) / rate)


def annuity_pv_ratio(rate: float, life_yr: float) -> float:
    r"""Return the LP's annuities over an asset's life, discounted to a year before first use.

    .. math:: \mathrm{CRF}(r, n)\,\mathrm{AF}(r, n) = 1

    per unit of capex: the identity that ties the cash view (capex spent a year before
    first use) to the annuity view (capex x CRF a year over the life).
    """
    return float(capital_recovery_factor(rate, life_yr)) * annuity_factor(rate, life_yr)


# --- calendar years ----------------------------------------------------------------------


@dataclass(frozen=True)
class Calendar:
    """Model years, the calendar years they stand for and the span each one covers."""

    years: np.ndarray  # model years
    weights: np.ndarray  # calendar years each stands for

    @property
    def cal(self) -> np.ndarray:
        """Every calendar year from the first model year to the end of the last one's span."""
        return np.arange(self.years[0], self.years[-1] + self.weights[-1], dtype=int)

    @property
    def span(self) -> np.ndarray:
        """For each calendar year, the position of the model year whose span holds it."""
        return np.repeat(np.arange(self.years.size), self.weights.astype(int))

    @classmethod
    def of(cls, ds: xr.Dataset, params: xr.Dataset) -> Calendar:
        """Read the model years of ``ds`` and their weights (``year_weight_yr``; else 1)."""
        years = np.asarray(ds["year"].values, dtype=int)
        if "year_weight_yr" in params:
            weights = np.asarray(params["year_weight_yr"].values, dtype=float)
        else:
            weights = np.append(np.diff(years), 1).astype(float)
        return cls(years, np.maximum(np.rint(weights), 1.0))

    def expand(self, da: xr.DataArray, *, spread: bool) -> xr.DataArray:
        """Put a model-year array on calendar years (``spread``: a stock divided over the span)."""
        out = da.isel(year=xr.DataArray(self.span, dims="year"))
        if spread:
            out = out / xr.DataArray(self.weights[self.span], dims="year")
        return out.assign_coords(year=self.cal)

    def collapse(self, da: xr.DataArray) -> xr.DataArray:
        """Return a calendar-year array as the mean per calendar year of each model year."""
        if bool((self.weights == 1).all()):
            return da  # one calendar year per model year: nothing to average
        span = xr.DataArray(self.years[self.span], dims="year", coords={"year": self.cal})
        return da.groupby(span.rename("model_year")).mean().rename(model_year="year")


# --- asset classes ---------------------------------------------------------------------


def capex_by_class_musd(capex_musd: xr.DataArray, accelerator_share_frac: float) -> xr.DataArray:
    r"""Return the overnight capex of each year's builds by asset class (M$).

    IT capex (component ``accelerators``) splits into accelerators (share :math:`a`) and
    servers and networking (:math:`1 - a`); ``power_capex`` is power supply.
    """
    parts = []
    for cls in ASSET_CLASSES:
        component = COMPONENT_OF_CLASS[cls]
        if component in capex_musd["component"].values:
            part = capex_musd.sel(component=component, drop=True)
        else:
            part = xr.zeros_like(capex_musd.isel(component=0, drop=True))
        if cls == "accelerators":
            part = part * accelerator_share_frac
        elif cls == "servers_networking":
            part = part * (1.0 - accelerator_share_frac)
        parts.append(part)
    return xr.concat(parts, dim=xr.DataArray(list(ASSET_CLASSES), dims="asset_class"))


def economic_lives_yr(res: xr.Dataset, params: xr.Dataset) -> xr.DataArray:
    """Return the economic life the LP annualises each asset class over (yr).

    IT (accelerators, servers and networking): ``it_life_yr``; facility:
    ``facility_life_yr``; power supply: the technologies' lives weighted by the capex of
    their builds (25 yr without builds); grid connection: the LP's 40 yr.
    """
    it_life = float(params["it_life_yr"].mean())
    power = DEFAULT_POWER_LIFE_YR
    needs = ("supply_capacity_new_gw", "capex_usd_per_kw", "life_yr")
    if all(n in (res if n == needs[0] else params) for n in needs):
        techs = list(params["life_yr"]["tech"].values)
        spend = (
            res["supply_capacity_new_gw"].sel(tech=techs)
            * params["capex_usd_per_kw"].sel(tech=techs)
        ).sum([d for d in ("year", "region") if d in res["supply_capacity_new_gw"].dims])
        total = float(spend.sum())
        if total > 0:
            power = float((spend * params["life_yr"]).sum()) / total
    lives = [it_life, it_life, float(params["facility_life_yr"]), power, CONNECTION_LIFE_YR]
    return xr.DataArray(lives, dims="asset_class", coords={"asset_class": list(ASSET_CLASSES)})


# --- outlays, depreciation, terminal value (on calendar years) ---------------------------


def spend_musd(build_musd: xr.DataArray, lead_time_yr: int) -> xr.DataArray:
    r"""Return the outlays of builds, spread evenly over the ``lead_time_yr`` years before use.

    .. math:: O_c = \frac{1}{L} \sum_{k=1}^{L} K_{c+k} \qquad (L = 0: O_c = K_c)

    ``build_musd`` is by calendar year of first use (dim ``year``); the result runs from
    ``L`` years before its first year to its last.
    """
    if lead_time_yr == 0:
        return build_musd
    da = build_musd.transpose("year", ...)
    years, n = da["year"].values, da.sizes["year"]
    out = np.zeros((n + lead_time_yr, *da.shape[1:]))
    for k in range(1, lead_time_yr + 1):
        out[lead_time_yr - k : lead_time_yr - k + n] += da.values / lead_time_yr
    ext = np.arange(years[0] - lead_time_yr, years[-1] + 1)
    return xr.DataArray(out, dims=da.dims, coords={**da.coords, "year": ext})


def straight_line_musd(build_musd: xr.DataArray, life_yr: float) -> xr.DataArray:
    r"""Return straight-line depreciation of builds over ``life_yr`` from their first use.

    .. math:: D_t = \sum_{c \le t} \frac{K_c}{n}\, a(t - c), \quad
        a(g) = \min(1, \max(0, n - g))

    (a fractional life takes its last part-year at the remaining fraction). Only years of
    ``build_musd`` are returned: what is left after the last is not depreciated here.
    """
    years = build_musd["year"].values
    age = years[:, None] - years[None, :]  # (t, c)
    weight = np.clip(life_yr - age, 0.0, 1.0) * (age >= 0) / life_yr
    da = build_musd.transpose("year", ...)
    values = np.tensordot(weight, da.values, axes=(1, 0))
    return da.copy(data=values)


def terminal_value_musd(build_musd: xr.DataArray, life_yr: float, rate: float) -> xr.DataArray:
    r"""Return what builds are still worth at the end of the last year: their annuities left.

    .. math:: V_T = \sum_c K_c\,\mathrm{CRF}(r, n)\,\mathrm{AF}(r, c + n - 1 - T)

    A build of year :math:`c` earns its annuity in :math:`c .. c+n-1`; those after
    :math:`T` (the last year) are discounted to :math:`T`. Sums over ``year``.
    """
    years = build_musd["year"].values
    crf = float(capital_recovery_factor(rate, life_yr))
    left = [annuity_factor(rate, float(c + life_yr - 1 - years[-1])) for c in years]
    return (build_musd * xr.DataArray(np.array(left) * crf, dims="year")).sum("year")
