"""Benchmark: warm-started batches, the 1,000-sample uncertainty analysis, Dask scaling.

Run with ``make bench-sweep`` (``python benchmarks/bench_sweep.py [--parts ...]``):

- ``sweep``: a cost sweep of the default case (the baseline: 7 regions, 2025-2030, 4
  representative days), ``hardware.it_capex_multiplier`` 0.7-1.6 in ``--runs`` steps (50),
  run by ``run_batch`` in this process, first cold (``--cold``), then warm, in one run of
  this script; the wall times, HiGHS times and iterations, and the largest difference in
  objective between the two;
- ``uncertainty``: ``run_scenarios.py uncertainty -j 2`` (``scenarios/uncertainty.yaml``,
  ~1,000 Sobol samples at its coarse resolution, report included), wall time;
- ``dask``: the first ``--dask-runs`` samples of ``uncertainty`` on a local Dask cluster
  of 1 and of 2 single-threaded worker processes, wall time and speed-up.

Results go to ``benchmarks/results_sweep.md`` (and are printed), with the machine's load
average before and after each part: the machine may be shared, so say what it was. This
is a benchmark, not a test.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))  # this checkout, before any installed energymodel


def _load() -> str:
    return "{:.2f} {:.2f} {:.2f}".format(*os.getloadavg())


def _attrs(summaries: list) -> list[dict]:
    import xarray as xr

    out = []
    for s in summaries:
        if s.path is None:
            out.append({})
            continue
        with xr.open_dataset(s.path) as ds:
            out.append(dict(ds.attrs))
    return out


def bench_sweep(runs: int, out_root: Path) -> dict:
    """A cost sweep of the default case, cold then warm, in this process."""
    import energymodel as em
    from energymodel.batch import run_batch
    from energymodel.solve import clear_warm_starts

    values = np.round(np.linspace(0.7, 1.6, runs), 4)
    base = em.load_scenario("baseline", scenarios_dir=REPO / "scenarios")
    scenarios = [
        base.model_copy(
            update={
                "name": f"cost_sweep__it_capex_multiplier={v}",
                "hardware": base.hardware.model_copy(update={"it_capex_multiplier": float(v)}),
            }
        )
        for v in values
    ]
    result: dict = {"runs": runs, "load_before": _load()}
    for mode in ("cold", "warm"):
        clear_warm_starts()
        start = time.perf_counter()
        summaries = run_batch(scenarios, out_root / mode, force=True, warm=mode == "warm")
        result[f"{mode}_s"] = time.perf_counter() - start
        attrs = _attrs(summaries)
        result[f"{mode}_ok"] = sum(s.ok for s in summaries)
        result[f"{mode}_highs_s"] = sum(a.get("highs_run_time_s", 0.0) for a in attrs)
        result[f"{mode}_iterations"] = sum(a.get("simplex_iterations", 0) for a in attrs)
        result[f"{mode}_warm_runs"] = sum(a.get("warm_start", 0) for a in attrs)
        result[f"{mode}_objective"] = [a.get("objective_musd", np.nan) for a in attrs]
        print(f"sweep {mode}: {result[f'{mode}_s']:.0f} s", file=sys.stderr, flush=True)
    cold, warm = np.array(result["cold_objective"]), np.array(result["warm_objective"])
    result["max_rel_objective_diff"] = float(np.nanmax(np.abs(warm - cold) / np.abs(cold)))
    result["speedup"] = result["cold_s"] / result["warm_s"]
    result["load_after"] = _load()
    return result


def bench_uncertainty(out_root: Path, jobs: int) -> dict:
    """``run_scenarios.py uncertainty -j <jobs>`` end to end (report included)."""
    import xarray as xr

    out = out_root / "uncertainty"
    result: dict = {"jobs": jobs, "load_before": _load()}
    cmd = [sys.executable, "run_scenarios.py", "uncertainty", "--out", str(out), "-j", str(jobs)]
    cmd += ["--log-level", "WARNING"]
    start = time.perf_counter()
    done = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, check=False)
    result["wall_s"] = time.perf_counter() - start
    result["exit_code"] = done.returncode
    result["stdout"] = done.stdout
    result["load_after"] = _load()
    with xr.open_dataset(out / "uncertainty" / "uncertainty.nc") as ds:
        result["samples"] = int(ds.sizes["sample"])
        result["planned"] = int(ds.attrs["planned_runs"])
        result["failed"] = int(ds.attrs["failed_runs"])
    return result


def bench_dask(out_root: Path, n_runs: int) -> dict:
    """The first ``n_runs`` samples on a local Dask cluster of 1 and of 2 workers."""
    import distributed

    from energymodel.batch import run_batch
    from energymodel.batch.select import select_runs

    runs = [sc for _, sc in select_runs(["uncertainty"], REPO / "scenarios", {})][:n_runs]
    result: dict = {"runs": n_runs, "load_before": _load()}
    for workers in (1, 2):
        with distributed.LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
        ) as cluster:
            start = time.perf_counter()
            summaries = run_batch(
                runs, out_root / f"dask{workers}", scheduler=cluster.scheduler_address, force=True
            )
            result[f"workers{workers}_s"] = time.perf_counter() - start
            result[f"workers{workers}_ok"] = sum(s.ok for s in summaries)
        print(f"dask {workers}: {result[f'workers{workers}_s']:.0f} s", file=sys.stderr, flush=True)
    result["speedup"] = result["workers1_s"] / result["workers2_s"]
    result["load_after"] = _load()
    return result


def to_markdown(results: dict) -> str:
    lines = [
        "# Sweep and uncertainty benchmarks",
        "",
        (
            f"Made by `make bench-sweep` on {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; "
            f"{os.cpu_count()}-core machine, shared (load average: 1, 5, 15 min)."
        ),
        "",
    ]
    if "sweep" in results:
        r = results["sweep"]
        lines += [
            f"## Cost sweep of the default case, {r['runs']} runs, one process",
            "",
            (
                "| mode | wall s | per run s | HiGHS s | simplex iterations | warm-started runs "
                "| optimal |"
            ),
            "|---|---|---|---|---|---|---|",
        ]
        for mode in ("cold", "warm"):
            lines.append(
                f"| {mode} | {r[f'{mode}_s']:.0f} | {r[f'{mode}_s'] / r['runs']:.2f} "
                f"| {r[f'{mode}_highs_s']:.0f} | {r[f'{mode}_iterations']:,} "
                f"| {r[f'{mode}_warm_runs']} | {r[f'{mode}_ok']} |"
            )
        lines += [
            "",
            (
                f"Warm / cold speed-up: **{r['speedup']:.1f}x** (whole runs: params, build, "
                f"solve, results, economics, file). Largest relative difference in objective: "
                f"{r['max_rel_objective_diff']:.1e}. Load {r['load_before']} before, "
                f"{r['load_after']} after."
            ),
            "",
        ]
    if "uncertainty" in results:
        r = results["uncertainty"]
        lines += [
            "## `run_scenarios.py uncertainty`",
            "",
            (
                f"{r['samples']} of {r['planned']} runs finished ({r['failed']} failed) in "
                f"**{r['wall_s'] / 60:.1f} min** with `-j {r['jobs']}` (sampling, runs, analysis, "
                f"IAMC table and report; exit code {r['exit_code']}). Load {r['load_before']} "
                f"before, {r['load_after']} after."
            ),
            "",
            "```",
            r["stdout"].strip()[-2500:],
            "```",
            "",
        ]
    if "dask" in results:
        r = results["dask"]
        lines += [
            f"## Local Dask cluster, first {r['runs']} samples of `uncertainty`",
            "",
            "| workers | wall s | optimal |",
            "|---|---|---|",
            f"| 1 | {r['workers1_s']:.0f} | {r['workers1_ok']} |",
            f"| 2 | {r['workers2_s']:.0f} | {r['workers2_ok']} |",
            "",
            (
                f"Speed-up 1 -> 2 workers: **{r['speedup']:.2f}x**. Load {r['load_before']} "
                f"before, {r['load_after']} after."
            ),
            "",
        ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--parts", nargs="+", default=["sweep", "uncertainty", "dask"],
        choices=["sweep", "uncertainty", "dask"],
    )  # fmt: skip
    parser.add_argument("--runs", type=int, default=50, help="runs of the cost sweep")
    parser.add_argument("--jobs", type=int, default=2, help="processes for uncertainty")
    parser.add_argument("--dask-runs", type=int, default=156, help="samples on Dask")
    parser.add_argument("--keep", type=Path, help="keep the results folders here")
    args = parser.parse_args(argv)
    out_root = args.keep or Path(tempfile.mkdtemp(prefix="bench_sweep_"))
    results: dict = {}
    try:
        if "sweep" in args.parts:
            results["sweep"] = bench_sweep(args.runs, out_root)
        if "uncertainty" in args.parts:
            results["uncertainty"] = bench_uncertainty(out_root, args.jobs)
        if "dask" in args.parts:
            results["dask"] = bench_dask(out_root, args.dask_runs)
    finally:
        if args.keep is None:
            shutil.rmtree(out_root, ignore_errors=True)
    text = to_markdown(results)
    (HERE / "results_sweep.md").write_text(text + "\n")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
