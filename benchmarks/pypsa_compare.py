"""energymodel against PyPSA 1.4 on issue 18's supply-side problem (us_texas, 2030).

The supply-side problem: the IT side fixed at energymodel's optimum (the facility load hour
by hour, after flexible load has moved within its days, and the IT peak that firm capacity
is sized on), then build and dispatch the power supply at least cost: on-site generators,
a battery cycling within each day, grid import through a connection that may grow within
the queue and the ceiling, and firm capacity
(sum_s c_s K_s + K_grid >= (1 + margin) x PUE x it_peak; a battery's credit scaled by
min(1, duration / storage_firm_hours)). Identical costs: an annuity (CRF at the WACC over
each asset's life) plus fixed O&M per GW, fuel + VOM + carbon per MWh, the hourly grid
price (+ carbon at the hourly grid intensity), the connection's annuity. Representative days
without extreme days (``time.extreme_days: off``) so both tools see the same timeslices and
snapshot weights.

Two interpreters, three steps (PyPSA lives in its own venv; nothing in ``energymodel/``
imports it):

1. ``energymodel`` (project venv): in round 0, solves the full scenario (untimed) for the
   IT optimum and writes it (``it_<variant>_<days>.npz``) with the case for PyPSA
   (``case_<variant>_<days>.nc``: the parameters, the fixed facility load, the IT peak,
   the HiGHS options energymodel sets). Then times ``--repeat`` runs of the supply-side
   problem end to end: parameters, ``build_model``, the IT side fixed (Pyomo IT variables
   fixed and their rows, which then hold no free variable, deactivated; the
   ``flexible_load_gw`` columns fixed by their bounds), ``solve_model`` (compile + HiGHS)
   and ``to_dataset`` (results).
2. ``pypsa`` (PyPSA venv): reads the case file (untimed), then times ``--repeat`` runs for
   each linopy ``io_api`` (``lp``: linopy's default, through an LP file; ``direct``:
   through highspy's API): the network, ``n.optimize.create_model()`` plus two custom
   constraints (the battery's state of charge wrapping within each day, firm capacity),
   and ``n.optimize.solve_model()`` (HiGHS with energymodel's options, the solution
   written back to the network).
3. ``report``: ``benchmarks/pypsa.md``, printed.

Each step writes ``benchmarks/out/pypsa/<step>_<variant>_<days>_r<round>.json``; every
process warms up untimed first. ``... pypsa_compare.py all [--pypsa-python
.venv-pypsa/bin/python]`` (``make bench-pypsa``) runs ``--rounds`` (3) rounds per case,
each one energymodel process then one PyPSA process, so that both see the same load on a
shared machine, then the report. Options: ``--days 4 24 365``, ``--check-days 4 24`` (the
``check`` variant, one round), ``--repeat 1`` (timed runs per process).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
import warnings
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
OUT = HERE / "out" / "pypsa"
TABLE = HERE / "pypsa.md"
DEFAULT_PYPSA_PYTHON = REPO / ".venv-pypsa" / "bin" / "python"

SUPPLY = ("power_capex", "power_fom", "fuel", "grid_energy", "grid_connection", "carbon")
"""Cost components of the supply side (the rest: accelerators, facility, unserved)."""
IT_VARS = (
    "inference_served_twh",
    "inference_unserved_twh",
    "training_mean_gw",
    "training_unserved_twh",
    "it_new_gw",
    "facility_new_gw",
    "it_capacity_gw",
    "it_peak_gw",
)
IT_BLOCKS = ("flexible_load_gw",)
"""Array columns of the IT side (fixed by their bounds)."""
IT_ROWS = (
    "inference_demand",
    "training_demand",
    "it_capacity_def",
    "it_housed",
    "it_build_limit",
    "it_peak_limit",
)
"""Pyomo rows left with no free variable once the IT side is fixed: deactivated (Pyomo's
compiler would check them as constants without a tolerance)."""
HIGHS_OPTIONS = (
    "output_flag",
    "time_limit",
    "solver",
    "run_crossover",
    "presolve",
    "threads",
    "primal_feasibility_tolerance",
    "dual_feasibility_tolerance",
)
"""The options energymodel sets (``energymodel.solve.highs.new_highs``), read back from it
and given to PyPSA unchanged."""
IO_APIS = ("lp", "direct")


VARIANTS: dict[str, dict] = {
    "issue18": {},
    # a check, not a benchmark: the optimum builds no battery or solar and prices
    # no carbon; here the battery (per-day cycling), solar and the carbon price all bind
    "check": {
        "supply": {"capex_multiplier": {"battery": 0.3, "solar_pv": 0.6}},
        "policy": {"carbon_price_usd_per_tco2": 150.0},
        "prices": {"gas_multiplier": 2.0},
    },
}


def spec(days: int, variant: str = "issue18") -> dict:
    return {
        "name": f"pypsa_compare_{variant}_{days}",
        "regions": ["us_texas"],
        "years": [2030],
        "time": {"representative_days": days, "extreme_days": "off", "link_storage": False},
        **VARIANTS[variant],
    }


def _load() -> str:
    return "/".join(f"{x:.2f}" for x in os.getloadavg())


# ---------------------------------------------------------------------------------------
# step 1: energymodel (project venv)
# ---------------------------------------------------------------------------------------


def supply_cost(ds, params) -> float:
    """Objective part of the supply side (M$): its yearly costs, discounted and weighted."""
    money = params["discount_factor_ratio"] * params["year_weight_yr"]
    cost = ds["cost_musd"].sel(component=list(SUPPLY)).sum(["component", "region"])
    return float((cost * money).sum("year"))


def it_optimum(m, result) -> dict[str, np.ndarray]:
    """The IT decisions of a solved model: Pyomo variables and array blocks."""
    fixed = {
        name: np.array([v.value for v in getattr(m, name).values()], float) for name in IT_VARS
    }
    for name in IT_BLOCKS:
        if name in m.arrays.variables:
            fixed[name] = m.arrays.values(name, result.arrays).to_numpy()
    return fixed


def fix_it(m, fixed: dict[str, np.ndarray]) -> None:
    """Fix the IT side at ``fixed``; what is left is the supply-side problem."""
    for name in IT_ROWS:
        if hasattr(m, name):
            getattr(m, name).deactivate()
    for name in IT_VARS:
        for v, x in zip(getattr(m, name).values(), fixed[name].tolist(), strict=True):
            v.set_value(x, skip_validation=True)  # a solver's -1e-13 is not a domain error
            v.fix()
    am = m.arrays
    for name in IT_BLOCKS:
        if name not in am.variables:
            continue
        # the block's bounds are stored in the order of its labels (ArrayModel.add_variables)
        k = list(am.variables).index(name)
        labels = am.variables[name].labels.to_numpy()
        kept = fixed[name][labels >= 0]
        am._lower[k], am._upper[k] = kept.copy(), kept.copy()


def _capture_highs():
    """Keep the Highs instance of each energymodel solve (for its iteration count)."""
    import importlib

    # by name: ``energymodel.solve`` is also the name of a function of the package
    run_module = importlib.import_module("energymodel.solve.run")
    captured: dict = {}
    run_lp = run_module.run_lp

    def run_and_keep(lp, cfg):
        h, termination = run_lp(lp, cfg)
        captured["h"] = h
        return h, termination

    run_module.run_lp = run_and_keep
    return captured


def _supply_side_once(sc, fixed, captured):
    """energymodel's whole run on the supply-side problem; timings, results."""
    import energymodel as em
    from energymodel.model import build_model
    from energymodel.results import to_dataset
    from energymodel.solve import solve_model

    t: dict[str, float] = {}
    start = time.perf_counter()
    params = em.build_params(sc)
    t["params"] = time.perf_counter() - start
    s = time.perf_counter()
    m = build_model(params)
    fix_it(m, fixed)
    t["build"] = time.perf_counter() - s
    s = time.perf_counter()
    r = solve_model(m, sc.solver)
    t["solve_call"] = time.perf_counter() - s
    t["compile"] = r.load_time_s
    t["highs_call"] = r.solve_time_s  # passModel + run + solution back into the model
    t["highs_run"] = r.highs_run_time_s
    s = time.perf_counter()
    ds = to_dataset(m, params, r)
    t["results"] = time.perf_counter() - s
    t["total"] = time.perf_counter() - start
    t["iterations"] = captured["h"].getInfo().simplex_iteration_count
    return t, params, r, ds


def _file(kind: str, variant: str, days: int, suffix: str = "json") -> Path:
    return OUT / f"{kind}_{variant}_{days}.{suffix}"


def _round_file(kind: str, variant: str, days: int, round_: int) -> Path:
    return OUT / f"{kind}_{variant}_{days}_r{round_}.json"


def _clear_rounds(kind: str, variant: str, days: int) -> None:
    for old in OUT.glob(f"{kind}_{variant}_{days}_r*.json"):
        old.unlink()


def _full_problem(sc, variant: str, days: int) -> None:
    """Solve the full problem; write the IT optimum and the case file for PyPSA."""
    import energymodel as em
    from energymodel.model import build_model
    from energymodel.model.grid import CONNECTION_LIFE_YR
    from energymodel.results import to_dataset
    from energymodel.solve import solve_model
    from energymodel.solve.highs import new_highs

    s = time.perf_counter()
    params = em.build_params(sc)
    m = build_model(params)
    full = solve_model(m, sc.solver)
    if not full.optimal:
        raise RuntimeError(f"full problem: {full.termination}")
    fixed = it_optimum(m, full)
    full_ds = to_dataset(m, params, full)
    it_load = m.arrays.evaluate(m.arrays.expressions["it_load_gw"], full.arrays)
    facility = (it_load.sum("workload") * params["pue_ratio"]).isel(year=0, region=0)
    full_time = time.perf_counter() - s
    if not em.build_params(sc).equals(params):  # the representative days must not move
        raise RuntimeError("build_params gave different parameters on a second call")
    h = new_highs(sc.solver)
    options = {k: h.getOptionValue(k)[1] for k in HIGHS_OPTIONS}

    OUT.mkdir(parents=True, exist_ok=True)
    np.savez(_file("it", variant, days, "npz"), **fixed)
    case = params.copy()
    case["facility_load_gw"] = facility.reset_coords(drop=True)
    case.attrs = {
        "days": days,
        "it_peak_gw": float(fixed["it_peak_gw"][0]),
        "connection_life_yr": float(CONNECTION_LIFE_YR),
        "highs_options": json.dumps(options),
    }
    case.to_netcdf(_file("case", variant, days, "nc"))
    full_info = {
        "full_supply_cost_musd": supply_cost(full_ds, params),
        "full_objective_musd": full.objective_musd,
        "full_solve_s": full_time,
        "it_peak_gw": float(fixed["it_peak_gw"][0]),
        "facility_peak_gw": float(facility.max()),
        "highs_options": options,
    }
    _file("full", variant, days).write_text(json.dumps(full_info, indent=1))


def _warm_up_energymodel(sc) -> None:
    """First calls, untimed: reading the inputs (cached per process), build, compile."""
    import energymodel as em
    from energymodel.model import build_model
    from energymodel.solve import compile_model

    compile_model(build_model(em.build_params(sc)))


def run_energymodel(days: int, repeat: int, variant: str = "issue18", round_: int = 0) -> dict:
    sys.path.insert(0, str(REPO))  # this checkout's energymodel, not an installed one
    import energymodel as em

    load_before = _load()
    sc = em.load_scenario(spec(days, variant), scenarios_dir=REPO / "scenarios")
    if round_ == 0 or not _file("it", variant, days, "npz").exists():
        _clear_rounds("energymodel", variant, days)
        _full_problem(sc, variant, days)  # not timed; warms the process up
    else:
        _warm_up_energymodel(sc)
    fixed = dict(np.load(_file("it", variant, days, "npz")))
    captured = _capture_highs()

    runs = [_supply_side_once(sc, fixed, captured) for _ in range(repeat)]
    t, p, r, ds = min(runs, key=lambda run: run[0]["total"])
    if not r.optimal:
        raise RuntimeError(f"supply-side problem: {r.termination}")
    supply = supply_cost(ds, p)
    capacity = ds["supply_capacity_gw"].isel(year=0, region=0)
    out = {
        "days": days,
        "variant": variant,
        "round": round_,
        "runs": [run[0] for run in runs],
        "supply_cost_musd": supply,
        "objective_musd": r.objective_musd,
        "it_constant_musd": float(r.objective_musd) - supply,  # the fixed IT side
        "lp_size": [int(r.col_value.size), int(r.row_dual.size)],
        "capacity_gw": {
            str(k): float(v) for k, v in zip(capacity.tech.values, capacity.values, strict=True)
        },
        "load": [load_before, _load()],
    }
    _round_file("energymodel", variant, days, round_).write_text(json.dumps(out, indent=1))
    print(json.dumps({"energymodel": days, "round": round_, **t}), flush=True)
    return out


# ---------------------------------------------------------------------------------------
# step 2: PyPSA (PyPSA venv)
# ---------------------------------------------------------------------------------------


def build_network(ds):
    """The supply side as a PyPSA network on one bus; power in GW, money in M$.

    Capital costs go in as PyPSA's ``overnight_cost`` ($/kW = M$/GW), ``discount_rate``
    (the WACC), ``lifetime`` and ``fom_cost``: PyPSA annuitises them itself.
    """
    import pandas as pd
    import pypsa

    (y,), (r,) = ds.year.values.tolist(), ds.region.values.tolist()
    sel = {"year": y, "region": r}
    money = float(ds["discount_factor_ratio"].sel(year=y) * ds["year_weight_yr"].sel(year=y))
    if abs(money - 1.0) > 1e-12:  # one year: PyPSA's capital costs are per year modelled
        raise ValueError("the comparison is one year with weight 1 and no discounting")
    for name in ("emissions_cap_mtco2", "annual_clean_share_frac", "hourly_clean_share_frac"):
        if np.isfinite(ds[name].to_numpy()).any():
            raise ValueError(f"{name} is set: not part of the supply-side comparison")
    wacc = float(ds["wacc_frac"])
    weight = float(ds["year_weight_yr"].sel(year=y))
    carbon_price = float(ds["carbon_price_usd_per_tco2"].sel(year=y))

    n = pypsa.Network()
    snapshots = pd.RangeIndex(ds.sizes["timeslice"], name="snapshot")
    n.set_snapshots(snapshots)
    hours = ds["timeslice_weight_h"].to_numpy()
    n.snapshot_weightings.loc[:, "objective"] = hours * money
    n.snapshot_weightings.loc[:, "generators"] = hours
    n.snapshot_weightings.loc[:, "stores"] = 1.0  # hourly steps within each day
    if abs(n.nyears - 1.0) > 1e-12:
        raise ValueError(f"the snapshots stand for {n.nyears} years, not 1")
    n.add("Bus", "dc")
    n.add("Load", "facility", bus="dc", p_set=pd.Series(ds["facility_load_gw"].values, snapshots))

    for s in ds.tech.values.tolist():
        t = {"tech": s}
        if not float(ds["build_allowed_frac"].sel(year=y, tech=s)):
            continue  # never built (energymodel fixes its builds at 0)
        limit = float(ds["max_build_gw_per_yr"].sel(year=y, tech=s)) * weight
        common = {
            "bus": "dc",
            "p_nom_extendable": True,
            "p_nom_max": limit if np.isfinite(limit) else np.inf,
            "overnight_cost": float(ds["capex_usd_per_kw"].sel(**sel, **t)),
            "discount_rate": wacc,
            "lifetime": float(ds["life_yr"].sel(**t)),
            "fom_cost": float(ds["fom_usd_per_kw_yr"].sel(**sel, **t)),
        }
        if float(ds["duration_h"].sel(**t)) > 0:
            eta = np.sqrt(float(ds["roundtrip_efficiency_frac"].sel(**t)))
            n.add(
                "StorageUnit",
                s,
                max_hours=float(ds["duration_h"].sel(**t)),
                efficiency_store=eta,
                efficiency_dispatch=eta,
                cyclic_state_of_charge=True,  # the balance is replaced: cyclic per day
                **common,
            )
            continue
        per_mwh = (
            float(ds["fuel_usd_per_mwh"].sel(**sel, **t))
            + float(ds["vom_usd_per_mwh"].sel(**sel, **t))
            + carbon_price * float(ds["emissions_tco2_per_mwh"].sel(year=y, **t))
        )
        avail = pd.Series(ds["availability_frac"].sel(region=r, **t).values, snapshots)
        n.add("Generator", s, marginal_cost=per_mwh / 1000.0, p_max_pu=avail, **common)

    # the grid: the existing connection (no capital cost) and new connection (annuity,
    # the yearly queue and the ceiling as p_nom_max), both at the hourly price
    existing = float(ds["existing_connection_gw"].sel(region=r))
    ceiling = max(float(ds["connection_ceiling_gw"].sel(**sel)), existing)
    queue = float(ds["max_new_connection_gw_per_yr"].sel(**sel)) * weight
    room = min(queue if np.isfinite(queue) else np.inf, ceiling - existing)
    price = (
        ds["grid_price_usd_per_mwh"].sel(**sel).values
        + carbon_price * ds["grid_carbon_tco2_per_mwh"].sel(**sel).values
    ) / 1000.0
    grid_price = pd.Series(price, snapshots)
    n.add("Generator", "grid_existing", bus="dc", p_nom=existing, marginal_cost=grid_price)
    n.add(
        "Generator",
        "grid_new",
        bus="dc",
        p_nom_extendable=True,
        p_nom_max=room,
        overnight_cost=float(ds["connection_capex_usd_per_kw"].sel(region=r)),
        discount_rate=wacc,
        lifetime=float(ds.attrs["connection_life_yr"]),
        marginal_cost=grid_price,
    )
    return n


def firm_credit(ds) -> dict[str, float]:
    """Firm credit of each technology; storage's scaled by min(1, duration / firm hours)."""
    hours = float(ds["storage_firm_hours"])
    out = {}
    for s in ds.tech.values.tolist():
        credit = float(ds["firm_credit_frac"].sel(tech=s))
        duration = float(ds["duration_h"].sel(tech=s))
        out[s] = credit * min(1.0, duration / hours) if duration > 0 else credit
    return out


def custom_constraints(n, ds) -> None:
    """Per-day battery cycling and firm capacity, added to PyPSA's linopy model."""
    import xarray as xr

    m = n.model
    if not n.storage_units.empty:
        # PyPSA's balance wraps the last snapshot to the first (cyclic over the horizon);
        # replace it by one that wraps within each representative day
        m.remove_constraints("StorageUnit-energy_balance")
        day = ds["timeslice_day"].to_numpy()
        idx = np.arange(day.size)
        last = {d: idx[day == d][-1] for d in np.unique(day)}
        first = np.r_[True, day[1:] != day[:-1]]
        prev = np.where(first, [last[d] for d in day], idx - 1)
        soc = m["StorageUnit-state_of_charge"]
        soc_prev = soc.isel(snapshot=prev).assign_coords(snapshot=soc.indexes["snapshot"])
        su = n.storage_units
        names = su.index.rename(soc.dims[1] if soc.dims[0] == "snapshot" else soc.dims[0])
        eta_s = xr.DataArray(su.efficiency_store.values, coords={names.name: names})
        eta_d = xr.DataArray(su.efficiency_dispatch.values, coords={names.name: names})
        lhs = (
            soc
            - soc_prev
            - eta_s * m["StorageUnit-p_store"]
            + (1 / eta_d) * m["StorageUnit-p_dispatch"]
        )
        m.add_constraints(lhs == 0, name="StorageUnit-energy_balance_daily")

    # firm capacity: sum_s c_s K_s + grid_existing + grid_new >= (1 + margin) PUE it_peak
    (y,), (r,) = ds.year.values.tolist(), ds.region.values.tolist()
    credit = firm_credit(ds) | {"grid_new": 1.0}
    rhs = (1 + float(ds["reserve_margin_frac"])) * float(
        ds["pue_ratio"].sel(year=y, region=r)
    ) * float(ds.attrs["it_peak_gw"]) - float(n.generators.p_nom["grid_existing"])
    lhs = 0
    for var in ("Generator-p_nom", "StorageUnit-p_nom"):
        if var not in m.variables:
            continue
        p_nom = m[var]
        (dim,) = p_nom.dims
        labels = p_nom.indexes[dim]
        c = xr.DataArray([credit.get(s, 0.0) for s in labels], coords={dim: labels})
        lhs = lhs + (c * p_nom).sum()
    m.add_constraints(lhs >= rhs, name="firm_capacity")


def _pypsa_once(ds, options: dict, io_api: str):
    t: dict[str, float] = {}
    start = time.perf_counter()
    n = build_network(ds)
    t["network"] = time.perf_counter() - start
    s = time.perf_counter()
    n.optimize.create_model(include_objective_constant=False)  # no constant: none exists
    t["create_model"] = time.perf_counter() - s
    s = time.perf_counter()
    custom_constraints(n, ds)
    t["custom"] = time.perf_counter() - s
    t["model"] = t["create_model"] + t["custom"]
    s = time.perf_counter()
    status, condition = n.optimize.solve_model(
        solver_name="highs", solver_options=dict(options), io_api=io_api, progress=False
    )
    t["solve"] = time.perf_counter() - s
    t["total"] = time.perf_counter() - start
    h = n.model.solver.solver_model
    t["highs_run"] = h.getRunTime()
    t["iterations"] = h.getInfo().simplex_iteration_count
    return t, n, f"{status}/{condition}"


def _warm_up_pypsa(ds, options: dict, io_apis: tuple[str, ...]) -> None:
    """First calls, untimed: the first day alone (weighted as the year) through every step."""
    day = ds.isel(timeslice=slice(0, 24))
    day["timeslice_weight_h"] = day["timeslice_weight_h"] * 0 + 8760 / 24
    day["timeslice_day"] = day["timeslice_day"] * 0
    for io_api in io_apis:
        _pypsa_once(day, options, io_api)


def run_pypsa(
    days: int, repeat: int, io_apis: tuple[str, ...], variant: str = "issue18", round_: int = 0
) -> dict:
    import logging

    import linopy
    import pypsa
    import xarray as xr

    for name in ("pypsa", "linopy"):  # their INFO lines, and a warning on the bus carrier
        logging.getLogger(name).setLevel(logging.ERROR)
    warnings.filterwarnings("ignore", category=FutureWarning, module="pypsa")
    load_before = _load()
    if round_ == 0:
        _clear_rounds("pypsa", variant, days)
    ds = xr.load_dataset(_file("case", variant, days, "nc"))
    options = json.loads(ds.attrs["highs_options"])
    _warm_up_pypsa(ds, options, io_apis)
    out: dict = {
        "days": days,
        "variant": variant,
        "round": round_,
        "versions": {"pypsa": pypsa.__version__, "linopy": linopy.__version__},
    }
    for io_api in io_apis:
        runs = [_pypsa_once(ds, options, io_api) for _ in range(repeat)]
        _, n, status = min(runs, key=lambda run: run[0]["total"])
        if status != "ok/optimal":
            raise RuntimeError(f"PyPSA ({io_api}): {status}")
        capacity = {
            **n.generators.p_nom_opt.to_dict(),
            **n.storage_units.p_nom_opt.to_dict(),
        }
        capacity["grid"] = capacity.pop("grid_existing") + capacity.pop("grid_new")
        out[io_api] = {
            "runs": [run[0] for run in runs],
            "objective_musd": float(n.objective) + float(n.objective_constant or 0.0),
            "status": status,
            "lp_size": [int(n.model.nvars), int(n.model.ncons)],
            "capacity_gw": {k: float(v) for k, v in capacity.items()},
        }
        h = n.model.solver.solver_model
        out["versions"]["highs"] = f"{h.versionMajor()}.{h.versionMinor()}.{h.versionPatch()}"
    out["load"] = [load_before, _load()]
    _round_file("pypsa", variant, days, round_).write_text(json.dumps(out, indent=1))
    best = {a: min(out[a]["runs"], key=lambda t: t["total"]) for a in io_apis}
    print(json.dumps({"pypsa": days, "round": round_, **best}), flush=True)
    return out


# ---------------------------------------------------------------------------------------
# step 3: the table
# ---------------------------------------------------------------------------------------


def _read(variant: str, days: int) -> tuple[dict, dict]:
    """Both tools' rounds merged: every run, the best, the load of each round."""

    def rounds(kind: str) -> list[dict]:
        files = sorted(OUT.glob(f"{kind}_{variant}_{days}_r*.json"))
        if not files:
            raise FileNotFoundError(f"no {kind} results for {variant}, {days} days in {OUT}")
        return [json.loads(f.read_text()) for f in files]

    def best(runs: list[dict]) -> dict:
        return min(runs, key=lambda t: t["total"])

    em_rounds, ps_rounds = rounds("energymodel"), rounds("pypsa")
    em = {k: v for k, v in em_rounds[0].items() if k not in ("runs", "load", "round")}
    em |= json.loads(_file("full", variant, days).read_text())
    em["runs"] = [t for r in em_rounds for t in r["runs"]]
    em["best"] = best(em["runs"])
    em["objectives"] = [r["supply_cost_musd"] for r in em_rounds]
    em["load"] = [r["load"] for r in em_rounds]
    ps = {"versions": ps_rounds[0]["versions"], "load": [r["load"] for r in ps_rounds]}
    for a in IO_APIS:
        if a not in ps_rounds[0]:
            continue
        ps[a] = {k: v for k, v in ps_rounds[0][a].items() if k != "runs"}
        ps[a]["runs"] = [t for r in ps_rounds for t in r[a]["runs"]]
        ps[a]["best"] = best(ps[a]["runs"])
        ps[a]["objectives"] = [r[a]["objective_musd"] for r in ps_rounds]
    return em, ps


def _rel(a: float, b: float) -> float:
    return abs(a - b) / abs(b)


def _capacity_diff(em: dict, ps: dict) -> float:
    """Largest difference of a supply capacity (GW) between the two optima."""
    return max(
        abs(em["capacity_gw"].get(k, 0.0) - v)
        for a in IO_APIS
        if a in ps
        for k, v in ps[a]["capacity_gw"].items()
    )


def _objective_diff(em: dict, ps: dict) -> float:
    """Largest relative difference of the supply cost over every round and io_api."""
    return max(
        _rel(e, p)
        for e in em["objectives"]
        for a in IO_APIS
        if a in ps
        for p in ps[a]["objectives"]
    )


def _apis(ps: dict) -> list[str]:
    return [a for a in IO_APIS if a in ps]


def _median(runs: list[dict]) -> float:
    return float(np.median([t["total"] for t in runs]))


def _main_row(em: dict, ps: dict) -> str:
    t = em["best"]
    cells = [
        str(em["days"]),
        (
            f"**{t['total']:.2f}** ({t['params'] + t['build']:.2f} / {t['compile']:.2f} / "
            f"{t['highs_call']:.2f} [{t['highs_run']:.2f}] / {t['results']:.2f})"
        ),
    ]
    for a in IO_APIS:
        p = ps[a]["best"] if a in ps else None
        cells.append(
            f"**{p['total']:.2f}** ({p['network']:.2f} / {p['model']:.2f} / "
            f"{p['solve']:.2f} [{p['highs_run']:.2f}])"
            if p
            else ""
        )
    cells += [
        " / ".join(f"{t['total'] / ps[a]['best']['total']:.2f}" for a in _apis(ps)),
        f"{em['supply_cost_musd']:,.6f}",
        " / ".join(f"{ps[a]['objective_musd']:,.6f}" for a in _apis(ps)),
        f"{_objective_diff(em, ps):.1e}",
    ]
    return "| " + " | ".join(cells) + " |"


def _conditions_row(em: dict, ps: dict) -> str:
    def totals(runs: list[dict]) -> str:
        return " / ".join(f"{t['total']:.2f}" for t in runs)

    def iterations(runs: list[dict]) -> str:
        return " / ".join(f"{t['iterations']:,}" for t in runs)

    loads = " ; ".join(
        f"{e[0].split('/')[0]}-{e[1].split('/')[0]}, {p[0].split('/')[0]}-{p[1].split('/')[0]}"
        for e, p in zip(em["load"], ps["load"], strict=True)
    )
    median = " / ".join(f"{_median(em['runs']) / _median(ps[a]['runs']):.2f}" for a in _apis(ps))
    sizes = " / ".join(
        "{:,} x {:,}".format(*size)
        for size in (em["lp_size"], *(ps[a]["lp_size"] for a in _apis(ps)))
    )
    return (
        f"| {em['days']} | {loads} | {totals(em['runs'])} | "
        + " ; ".join(f"{a}: {totals(ps[a]['runs'])}" for a in _apis(ps))
        + f" | {median} | {iterations(em['runs'])} | "
        + " ; ".join(f"{a}: {iterations(ps[a]['runs'])}" for a in _apis(ps))
        + f" | {sizes} | {em['full_solve_s']:.1f} | "
        f"{_rel(em['full_supply_cost_musd'], em['supply_cost_musd']):.1e} | "
        f"{_capacity_diff(em, ps):.1e} |"
    )


def _check_row(em: dict, ps: dict) -> str:
    built = ", ".join(f"{k} {v:.2f}" for k, v in em["capacity_gw"].items() if v > 1e-6)
    return (
        f"| {em['days']} | {em['supply_cost_musd']:,.6f} | "
        + " / ".join(f"{ps[a]['objective_musd']:,.6f}" for a in _apis(ps))
        + f" | {_objective_diff(em, ps):.1e} | {built} | {_capacity_diff(em, ps):.1e} |"
    )


def report(days: list[int], check_days: list[int]) -> str:
    """``benchmarks/pypsa.md`` from the JSON files of the two steps."""
    runs = [_read("issue18", d) for d in days]
    checks = [_read("check", d) for d in check_days]
    em0, ps0 = runs[0]
    options = ", ".join(f"`{k}={v}`" for k, v in em0["highs_options"].items())
    versions = ps0["versions"]
    n_runs = len(em0["runs"])
    header = (
        "| days | energymodel total s (params + build / compile / HiGHS [run] / results) "
        "| PyPSA total s, LP file (network / model / solve [HiGHS run]) "
        "| PyPSA total s, direct (network / model / solve [HiGHS run]) "
        "| ratio energymodel / PyPSA (LP file / direct) | supply cost M$, energymodel "
        "| PyPSA (LP file / direct) | rel. diff |"
    )
    lines = [
        "# energymodel against PyPSA (issue 18)",
        "",
        (
            f"Made by `make bench-pypsa` on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on a "
            f"{os.cpu_count()}-core machine shared with other jobs (load averages below). "
            f"Best of {n_runs} runs per tool, taken in {len(em0['load'])} rounds that "
            "alternate the two tools (one energymodel process, then one PyPSA process) so "
            "that both see the same load. Each process warms up first, untimed (energymodel: "
            "the full problem in the first round, one build and compile in the others; "
            "PyPSA: the first day alone through every step), so no time includes imports or "
            "first calls, such as energymodel reading `inputs/` or PyPSA its case file. "
            f"PyPSA {versions['pypsa']}, linopy {versions['linopy']}, HiGHS "
            f"{versions.get('highs', '?')} in both venvs. Code: `benchmarks/pypsa_compare.py`."
        ),
        "",
        (
            "The problem: issue 18's supply side. us_texas, 2030, representative days without "
            "extreme days (both tools see the same timeslices and weights), the battery cycling "
            "within each day (`time.link_storage: false`), the IT side fixed at energymodel's "
            "optimum of the full problem (the hourly facility load after flexible load has "
            "moved, and the IT peak firm capacity is sized on). Objective: the supply cost "
            "(power capex annuities and fixed O&M, fuel + VOM, grid energy, connection annuity, "
            f"carbon). HiGHS options on both sides: {options}."
        ),
        "",
        header,
        "|" + "---|" * (header.count("|") - 1),
        *(_main_row(em, ps) for em, ps in runs),
        "",
        (
            "energymodel: params (inputs -> parameters, representative days) + build "
            "(`build_model`, fixing the IT side) / compile (model -> `HighsLp`) / HiGHS "
            "(`solve_model`'s pass, run and solution back into the model; [HiGHS's own run "
            "time]) / results (`to_dataset`). PyPSA: network (`pypsa.Network` from the "
            "parameters) / model (`n.optimize.create_model()` + the two custom constraints) / "
            "solve (`n.optimize.solve_model()`: linopy -> HiGHS -> solution and duals back into "
            "the network; [HiGHS's own run time]); LP file: linopy's default `io_api`, direct: "
            "`io_api='direct'` (highspy's API). Ratio: best energymodel total / best PyPSA "
            "total, below 1 energymodel is faster. Rel. diff: largest |energymodel - PyPSA| / "
            "|PyPSA| over every run."
        ),
        "",
        "Every run, and the checks:",
        "",
        (
            "| days | load average (1 min) at the start-end of each round's energymodel, "
            "PyPSA step | energymodel totals s | PyPSA totals s | median ratio (LP file / "
            "direct) | energymodel simplex iterations | PyPSA simplex iterations | LP cols x "
            "rows: energymodel / PyPSA | full problem solve s (untimed) | full problem's "
            "supply cost vs supply-side optimum, rel. | largest capacity difference GW |"
        ),
        "|---|---|---|---|---|---|---|---|---|---|---|",
        *(_conditions_row(em, ps) for em, ps in runs),
        "",
        (
            "energymodel's LP keeps the fixed IT columns and rows, which HiGHS's presolve "
            "removes; PyPSA's has the dispatch limits of extendable assets as rows and two "
            "grid columns per hour (existing and new connection). The simplex iteration "
            "counts show how much of a difference in HiGHS's time is the LP and how much is "
            "the machine."
        ),
    ]
    if checks:
        lines += [
            "",
            (
                "A check of the parts the issue's optimum leaves at zero (no battery, no solar, "
                "no carbon price): the same comparison with battery capex x 0.3, solar capex "
                "x 0.6, gas x 2 and a carbon price of 150 $/t (one run each):"
            ),
            "",
            (
                "| days | supply cost M$, energymodel | PyPSA (LP file / direct) | rel. diff | "
                "built GW (energymodel) | largest capacity difference GW |"
            ),
            "|---|---|---|---|---|---|",
            *(_check_row(em, ps) for em, ps in checks),
        ]
    text = "\n".join([*lines, ""])
    TABLE.write_text(text)
    return text


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("step", choices=["energymodel", "pypsa", "report", "all"])
    ap.add_argument("--days", type=int, nargs="+", default=[4, 24, 365])
    ap.add_argument("--check-days", type=int, nargs="*", default=[4, 24])
    ap.add_argument("--rounds", type=int, default=3, help="alternating rounds (all)")
    ap.add_argument("--repeat", type=int, default=1, help="timed runs per step")
    ap.add_argument("--round", type=int, default=0, help="0: solve the full problem first")
    ap.add_argument("--variant", choices=list(VARIANTS), default="issue18")
    ap.add_argument("--io-api", nargs="+", default=list(IO_APIS), choices=IO_APIS)
    ap.add_argument(
        "--pypsa-python", default=str(DEFAULT_PYPSA_PYTHON), help="python of the PyPSA venv"
    )
    a = ap.parse_args(argv)
    if a.step == "all":
        jobs = [("issue18", d, a.rounds) for d in a.days]
        jobs += [("check", d, 1) for d in a.check_days]
        for variant, d, rounds in jobs:
            for k in range(rounds):
                common = ["--variant", variant, "--days", str(d), "--round", str(k)]
                common += ["--repeat", str(a.repeat)]
                for python, step, extra in (
                    (sys.executable, "energymodel", []),
                    (a.pypsa_python, "pypsa", ["--io-api", *a.io_api]),
                ):
                    cmd = [python, __file__, step, *common, *extra]
                    subprocess.run(cmd, check=True, cwd=REPO)
    if a.step in ("all", "report"):
        print(report(a.days, a.check_days))
        return 0
    for d in a.days:
        if a.step == "energymodel":
            run_energymodel(d, a.repeat, a.variant, a.round)
        else:
            run_pypsa(d, a.repeat, tuple(a.io_api), a.variant, a.round)
    return 0


if __name__ == "__main__":
    sys.exit(main())
