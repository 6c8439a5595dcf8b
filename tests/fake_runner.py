"""A fake scenario runner for the batch and CLI tests: no LP, contract-shaped results.

Module-level functions, so a process pool or a Dask worker can import them (the tests
put this folder on the workers' ``sys.path``; the CLI takes them as
``--runner fake_runner:fake_run``).

The scenario's ``description`` steers the outcome:

- ``fail``: raise ``RuntimeError("boom")``;
- ``infeasible``: return results with ``optimal = 0``, ``termination = "infeasible"``;
- ``sleep=<s>``: sleep that many seconds first;
- ``die-once``: the first time (per ``$FAKE_RUNNER_DIR``), leave a half-written temporary
  file in ``$FAKE_RUNNER_DIR`` and SIGKILL this process, as a killed batch would;
- ``die``: SIGKILL this process every time (a worker killed, e.g. out of memory);
- ``inf``: return "optimal" results holding inf (as an out-of-range setting would give);
- ``check-fails``: a full-year check above tolerance, logged as :func:`energymodel.run`
  logs it.

With ``$FAKE_RUNNER_DIR`` set, every run first writes its process id to
``$FAKE_RUNNER_DIR/pid-<name>`` (to check that a stopped batch leaves no worker behind).
"""

from __future__ import annotations

import logging
import os
import signal
import time
from pathlib import Path

import numpy as np
import xarray as xr

WORKLOADS = ["training", "inference"]
COMPONENTS = ["accelerators", "facility", "power_capex", "grid_energy"]


def _attrs(sc, optimal: bool) -> dict:
    return {
        "scenario": sc.name,
        "description": sc.description,
        "termination": "optimal" if optimal else "infeasible",
        "optimal": int(optimal),
        "objective_musd": 1000.0,
        "energymodel_version": "test",
    }


def fake_run(sc) -> xr.Dataset:
    """Return a small results Dataset whose numbers follow the scenario's knobs."""
    steer = sc.description
    if "FAKE_RUNNER_DIR" in os.environ:
        (Path(os.environ["FAKE_RUNNER_DIR"]) / f"pid-{sc.name}").write_text(str(os.getpid()))
    if steer.startswith("sleep="):
        time.sleep(float(steer.removeprefix("sleep=")))
    if steer == "fail":
        raise RuntimeError("boom")
    if steer == "die":
        os.kill(os.getpid(), signal.SIGKILL)
    if steer == "die-once":
        folder = Path(os.environ["FAKE_RUNNER_DIR"])
        marker = folder / f"died-{sc.name}"
        if not marker.exists():
            marker.touch()
            (folder / f"{sc.name}.nc.tmp-{os.getpid()}").write_bytes(b"\x89HDF\r\n half")
            os.kill(os.getpid(), signal.SIGKILL)
    years = np.array(sc.years)
    regions = list(sc.regions)
    price = float(sc.prices.electricity_multiplier)  # a scalar in the tests
    wacc = float(sc.finance.wacc)
    ny, nr = len(years), len(regions)
    growth = np.linspace(1.0, 2.0, ny)[:, None] * np.arange(1, nr + 1)[None, :]
    yr = ("year", "region")
    ds = xr.Dataset(
        {
            "it_capacity_gw": (yr, 10.0 * growth, {"units": "GW", "long_name": "IT capacity"}),
            "facility_energy_twh": (yr, 50.0 * growth, {"units": "TWh", "long_name": "energy"}),
            "emissions_mtco2": (yr, 5.0 * growth * price, {"units": "MtCO2", "long_name": "CO2"}),
            "it_energy_twh": (
                ("year", "region", "workload"),
                np.stack([20.0 * growth, 30.0 * growth], axis=-1),
                {"units": "TWh", "long_name": "IT energy"},
            ),
            "unserved_it_energy_twh": (
                ("year", "region", "workload"),
                np.zeros((ny, nr, 2)),
                {"units": "TWh", "long_name": "unserved"},
            ),
            "marginal_cost_usd_per_mtok": (
                ("year", "region", "workload"),
                np.full((ny, nr, 2), 0.5 * price),
                {"units": "USD/Mtok", "long_name": "marginal cost"},
            ),
            "cost_musd": (
                ("year", "region", "component"),
                np.full((ny, nr, len(COMPONENTS)), 100.0 * (1 + wacc)),
                {"units": "M$", "long_name": "cost"},
            ),
            "world_avg_cost_usd_per_mtok": (
                ("year",),
                np.full(ny, 1.5 * price),
                {"units": "USD/Mtok", "long_name": "average cost"},
            ),
            "break_even_revenue_musd": (
                yr,
                1000.0 * growth * (1 + wacc),
                {"units": "M$", "long_name": "break-even revenue"},
            ),
            "revenue_gap_musd": (
                ("year",),
                np.full(ny, 200.0),
                {"units": "M$", "long_name": "gap"},
            ),
        },
        coords={"year": years, "region": regions, "workload": WORKLOADS, "component": COMPONENTS},
        attrs=_attrs(sc, optimal=steer != "infeasible"),
    )
    if steer == "inf":
        ds["cost_musd"][0, 0, 0] = np.inf
    if steer == "check-fails":
        ds.attrs.update(
            time_check_passed=0,
            time_check_max_gap_frac=0.05,
            time_tolerance_frac=0.02,
            time_check_max_data_centre_gap_frac=0.01,
            time_check_unserved_twh=0.0,
            time_refine_rounds=0,
        )
        logging.getLogger("energymodel.check").warning("%s: check above tolerance", sc.name)
    ds["world_break_even_revenue_musd"] = ds["break_even_revenue_musd"].sum("region")
    ds["world_break_even_revenue_musd"].attrs = {"units": "M$", "long_name": "world"}
    return ds
