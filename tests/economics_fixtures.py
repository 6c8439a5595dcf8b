"""Hand-made results and params Datasets for the economics tests (docs/contracts.md).

One year (2030); region ``us`` holds round numbers worked by hand in test_economics.py.
More regions are ``us`` scaled: ``{"eu": {"cost": 0.5, "inference": 0.5, "training": 0}}``
multiplies each of us's costs, capex, capacities and emissions by ``cost``, and its IT
energy of each workload by the named factor.
"""

from __future__ import annotations

import numpy as np
import xarray as xr

from energymodel.scenario.schema import COMPONENTS as SCHEMA_COMPONENTS

COMPONENTS = list(SCHEMA_COMPONENTS)
WORKLOADS = ["training", "inference"]
CLASSES = ["chat", "reasoning"]

# Region "us", 2030. Real cost = 30,000 M$ (unserved 9,999 is a penalty, not a cost).
US_COST_MUSD = {
    "accelerators": 18_000.0,
    "facility": 4_500.0,
    "power_capex": 3_000.0,
    "power_fom": 600.0,
    "fuel": 1_500.0,
    "grid_energy": 1_800.0,
    "grid_connection": 300.0,
    "carbon": 300.0,
    "unserved": 9_999.0,
}
US_CAPEX_MUSD = {"accelerators": 60_000.0, "facility": 30_000.0, "power_capex": 10_000.0}
US_IT_ENERGY_TWH = {"training": 5.0, "inference": 10.0}
US_MARGINAL_USD_PER_MWH = {"training": 1_000.0, "inference": 3_000.0}
US_IT_CAPACITY_GW = 3.0
US_STRANDED_GW = 0.5
US_EMISSIONS_MTCO2 = 2.0


def make_results(
    regions: dict[str, dict[str, float]] | None = None, years: tuple[int, ...] = (2030,)
) -> xr.Dataset:
    """Build a results Dataset with ``us`` and optional scaled regions, equal every year."""
    scales = {"us": {"cost": 1.0, "inference": 1.0, "training": 1.0}, **(regions or {})}
    names = list(scales)
    ny, nr = len(years), len(names)
    cost_f = np.array([scales[r]["cost"] for r in names])
    wl_f = np.array([[scales[r][w] for w in WORKLOADS] for r in names])

    def per_region(value: float) -> np.ndarray:
        return np.broadcast_to(value * cost_f, (ny, nr)).copy()

    cost = np.array([US_COST_MUSD.get(c, 0.0) for c in COMPONENTS])
    capex = np.array([US_CAPEX_MUSD.get(c, 0.0) for c in COMPONENTS])
    energy = np.array([US_IT_ENERGY_TWH[w] for w in WORKLOADS])
    marginal = np.array([US_MARGINAL_USD_PER_MWH[w] for w in WORKLOADS])
    yrc = ("year", "region", "component")
    yrw = ("year", "region", "workload")
    ds = xr.Dataset(
        {
            "it_energy_twh": (yrw, np.broadcast_to(energy * wl_f, (ny, nr, 2)).copy()),
            "cost_musd": (
                yrc,
                np.broadcast_to(np.outer(cost_f, cost), (ny, nr, len(COMPONENTS))).copy(),
            ),
            "capex_musd": (
                yrc,
                np.broadcast_to(np.outer(cost_f, capex), (ny, nr, len(COMPONENTS))).copy(),
            ),
            "marginal_cost_usd_per_mwh": (yrw, np.broadcast_to(marginal, (ny, nr, 2)).copy()),
            "it_capacity_gw": (("year", "region"), per_region(US_IT_CAPACITY_GW)),
            "facility_capacity_gw": (("year", "region"), per_region(US_IT_CAPACITY_GW)),
            "stranded_it_capacity_gw": (("year", "region"), per_region(US_STRANDED_GW)),
            "emissions_mtco2": (("year", "region"), per_region(US_EMISSIONS_MTCO2)),
        },
        coords={
            "year": list(years),
            "region": names,
            "workload": WORKLOADS,
            "component": COMPONENTS,
        },
        attrs={"scenario": "hand_made"},
    )
    for name in ds.data_vars:
        ds[name].attrs.update(units="as named", long_name=name)
    return ds


def make_params(years: tuple[int, ...] = (2030,), **overrides: float) -> xr.Dataset:
    """Build the params variables economics reads; scalars may be overridden by name.

    Tokens per kWh are 2e6 for both model classes and the mix half and half (blended
    2e6), unless ``tokens_per_kwh_<class>`` or ``mix_<class>`` are given.
    """
    by_year = {
        "price_usd_per_mtok": 2.0,
        "revenue_musd": np.nan,
        "it_capex_usd_per_kw": 25_000.0,
        "facility_capex_usd_per_kw": 10_000.0,
        "it_fom_frac_per_yr": 0.04,
        "facility_fom_usd_per_kw_yr": 100.0,
    }
    scalars = {
        "capex_to_revenue_frac": 0.25,
        "target_margin_frac": 0.2,
        "it_kw_per_gpu": 1.752,
        "wacc_frac": 0.1,
        "it_life_yr": 5.0,
        "facility_life_yr": 20.0,
    }
    for key, value in overrides.items():
        (by_year if key in by_year else scalars)[key] = value
    rates = {c: overrides.get(f"tokens_per_kwh_{c}", 2e6) for c in CLASSES}
    mix = {c: overrides.get(f"mix_{c}", 0.5) for c in CLASSES}
    for key in [k for k in by_year if k.startswith(("tokens_per_kwh_", "mix_"))]:
        by_year.pop(key)
    for key in [k for k in scalars if k.startswith(("tokens_per_kwh_", "mix_"))]:
        scalars.pop(key)
    yc = ("year", "model_class")
    ds = xr.Dataset(
        {k: ("year", np.full(len(years), v)) for k, v in by_year.items()}
        | {k: ((), v) for k, v in scalars.items()}
        | {
            "tokens_per_kwh": (yc, np.tile([rates[c] for c in CLASSES], (len(years), 1))),
            "inference_mix_frac": (yc, np.tile([mix[c] for c in CLASSES], (len(years), 1))),
        },
        coords={"year": list(years), "model_class": list(CLASSES)},
    )
    for name in ds.data_vars:
        ds[name].attrs.update(units="as named", long_name=name)
    return ds
