"""Benchmark: where the time and memory of one scenario go, against HiGHS alone.

Run with ``make bench`` (``python benchmarks/bench_lp.py [--cases small default large]``).
Each case runs in a fresh process so peak memory is its own. For each case we report

- params, model build, load into HiGHS, HiGHS run, result extraction and economics time;
- the same LP written to MPS and solved by ``highspy`` alone in another fresh process
  (read + run), and both processes' peak resident memory;
- the ratios: our total time / HiGHS's own solve time, our peak memory / HiGHS alone.

Results are written to ``benchmarks/results.md`` (and printed). This is a benchmark,
not a test: numbers vary with the machine and its load.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent

CASES: dict[str, dict] = {
    # 2 regions, 2 years, 2 representative days
    "small": {
        "regions": ["us_east", "europe"],
        "years": [2025, 2030],
        "time": {"representative_days": 2},
    },
    # the shipped defaults: 7 regions, 2025-2030, 4 representative days
    "default": {"time": {"representative_days": 4}},
    # 7 regions, 2025-2030, 24 representative days (576 timeslices a year)
    "large": {"time": {"representative_days": 24}},
    # one region, 2025-2030, every hour of the year: run on request (long)
    "full_year": {
        "regions": ["us_texas"],
        "time": {"representative_days": 365},
        "solver": {"method": "ipm", "time_limit_s": 7200},
    },
}


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # Linux: KiB


def run_ours(case: str, mps: Path) -> dict:
    """Time every stage of one case in this process; write the LP to ``mps``."""
    import energymodel as em
    from energymodel.model import build_model
    from energymodel.results import to_dataset
    from energymodel.solve import solve_model

    spec = {"name": f"bench_{case}", **CASES[case]}
    import tsam  # noqa: F401  # params imports it lazily; count it with the imports

    out: dict[str, float] = {"rss_start_mb": _peak_rss_mb()}
    t = time.perf_counter()
    sc = em.load_scenario(spec, scenarios_dir=REPO / "scenarios")
    params = em.build_params(sc)
    out["params_s"] = time.perf_counter() - t
    t = time.perf_counter()
    m = build_model(params)
    out["build_s"] = time.perf_counter() - t
    result = solve_model(m, sc.solver)
    out["load_s"] = result.load_time_s
    out["highs_run_s"] = result.highs_run_time_s
    out["solve_call_s"] = result.solve_time_s
    t = time.perf_counter()
    res = to_dataset(m, params, result)
    out["extract_s"] = time.perf_counter() - t
    t = time.perf_counter()
    em.economics.evaluate(res, params)
    out["economics_s"] = time.perf_counter() - t
    out["total_s"] = sum(
        out[k]
        for k in ("params_s", "build_s", "load_s", "solve_call_s", "extract_s", "economics_s")
    )
    out["objective"] = result.objective_musd or float("nan")
    out["peak_rss_mb"] = _peak_rss_mb()
    # the very same LP, for HiGHS alone (written after our peak has been recorded)
    import highspy

    from energymodel.solve import compile_model as _compile

    lp = _compile(m).lp
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.passModel(lp)
    h.writeModel(str(mps))
    out.update(cols=lp.num_col_, rows=lp.num_row_, nonzeros=len(lp.a_matrix_.value_))
    return out


def run_highs_alone(case: str, mps: Path) -> dict:
    """Read and solve ``mps`` with highspy only, with the case's solver method."""
    import highspy

    out = {"rss_start_mb": _peak_rss_mb()}
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("solver", CASES[case].get("solver", {}).get("method", "choose"))
    t = time.perf_counter()
    h.readModel(str(mps))
    out["read_s"] = time.perf_counter() - t
    t = time.perf_counter()
    h.run()
    out["run_s"] = time.perf_counter() - t
    out["objective"] = h.getInfo().objective_function_value
    out["peak_rss_mb"] = _peak_rss_mb()
    return out


def _child(mode: str, case: str, mps: str) -> dict:
    cmd = [sys.executable, __file__, "--child", mode, case, mps]
    done = subprocess.run(cmd, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def bench(case: str) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        mps = str(Path(tmp) / f"{case}.mps")
        ours = _child("ours", case, mps)
        alone = _child("highs", case, mps)
    return {
        "case": case,
        "size": f"{ours['cols']:,} x {ours['rows']:,} ({ours['nonzeros']:,} nz)",
        **{f"ours_{k}": v for k, v in ours.items()},
        **{f"highs_{k}": v for k, v in alone.items()},
        "time_ratio": ours["total_s"] / alone["run_s"],
        "overhead_ratio": (ours["total_s"] - ours["highs_run_s"]) / alone["run_s"],
        "memory_ratio": ours["peak_rss_mb"] / alone["peak_rss_mb"],
        "model_memory_ratio": (ours["peak_rss_mb"] - ours["rss_start_mb"])
        / (alone["peak_rss_mb"] - alone["rss_start_mb"]),
    }


def to_markdown(rows: list[dict]) -> str:
    head = (
        "| case | LP cols x rows | params s | build s | load s | HiGHS run s | extract s | "
        "economics s | our total s | HiGHS alone s | time ratio | overhead ratio | our peak MB "
        "| HiGHS peak MB | memory ratio | model memory ratio |\n|" + "---|" * 16
    )
    lines = [head]
    for r in rows:
        lines.append(
            f"| {r['case']} | {r['size']} | {r['ours_params_s']:.2f} | {r['ours_build_s']:.2f} "
            f"| {r['ours_load_s']:.2f} | {r['ours_highs_run_s']:.2f} | {r['ours_extract_s']:.2f} "
            f"| {r['ours_economics_s']:.2f} | {r['ours_total_s']:.2f} | {r['highs_run_s']:.2f} "
            f"| {r['time_ratio']:.2f} | {r['overhead_ratio']:.2f} | {r['ours_peak_rss_mb']:.0f} "
            f"| {r['highs_peak_rss_mb']:.0f} | {r['memory_ratio']:.2f} "
            f"| {r['model_memory_ratio']:.2f} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--cases", nargs="+", default=["small", "default", "large"], choices=list(CASES)
    )
    parser.add_argument("--child", nargs=3, metavar=("MODE", "CASE", "MPS"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        mode, case, mps = args.child
        result = run_ours(case, Path(mps)) if mode == "ours" else run_highs_alone(case, Path(mps))
        print(json.dumps(result))
        return 0
    rows = []
    for case in args.cases:
        print(f"benchmarking {case} ...", file=sys.stderr, flush=True)
        rows.append(bench(case))
        print(to_markdown(rows[-1:]).splitlines()[-1], file=sys.stderr, flush=True)
    table = to_markdown(rows)
    stamp = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    text = (
        f"# Benchmark results\n\nMade by `make bench` on {stamp}; 2-core machine.\n\n{table}\n\n"
        "Time ratio = our total (params + build + load + solve + extract + economics) / "
        "HiGHS's own run time on the same LP read from MPS; overhead ratio = the part of "
        "ours that is not HiGHS running / HiGHS's own run time. Memory ratio = our peak "
        "resident memory / that of a process running HiGHS alone on the same LP; model "
        "memory ratio = the same less each process's memory before the model (our imports: "
        "pandas, xarray, Pyomo, tsam and scikit-learn, ~200 MB; highspy alone, ~40 MB).\n"
    )
    (HERE / "results.md").write_text(text)
    print(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
