"""Benchmark: where the time and memory of one scenario go, against HiGHS alone.

Run with ``make bench`` (``python benchmarks/bench_lp.py [--cases ...] [--before REV]``).
Each case runs in a fresh process so peak memory is its own. For each case we report

- params, model build, load into HiGHS (compile), HiGHS run, result extraction and
  economics time;
- the same LP written to MPS and solved by ``highspy`` alone in another fresh process
  (read + run), and both processes' peak resident memory;
- the ratios: our total time / HiGHS's own solve time, our peak memory / HiGHS alone;
- the objective, so two formulations of the same LP can be compared to 1e-9.

``--before REV`` also runs every case with the code of git revision ``REV`` (checked out
into a temporary worktree; new scenario keys the old code does not know are dropped), in
the same run on the same machine, and reports the two side by side.

Cases: ``small``; ``default`` (the shipped defaults: 7 regions, 2025-2030, 4 representative
days plus 2 extreme days); ``large`` (24 days); ``large_myopic`` (the same, years solved
one after another); ``full_year`` (issue 18's case: us_texas, 2030, 365 days, storage
cycling per day); ``full_year_linked`` (the same with storage linked across the year);
``full_year_check`` (the full-year dispatch check's LP, ``time.check``: us_texas 2030
planned on the default days, then its build dispatched over the 8,760 hours with storage
chronological and every yearly decision fixed; the figures are the check LP's; a
revision before the check reports the planning LP); ``full_year_check_windows``
(the same LP dispatched in 28-day windows, ``time.check_window_days``; HiGHS alone
solves it whole, so the time ratio is the windows' against the whole year's, and the
objectives differ by what the windows cost above the optimum).

Results are written to ``benchmarks/results.md`` (and printed). This is a benchmark,
not a test: numbers vary with the machine and its load.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent

CASES: dict[str, dict] = {
    "small": {
        "regions": ["us_east", "europe"],
        "years": [2025, 2030],
        "time": {"representative_days": 2, "extreme_days": "off"},
    },
    "default": {},
    "large": {"time": {"representative_days": 24, "extreme_days": "off"}},
    "large_myopic": {
        "time": {"representative_days": 24, "extreme_days": "off", "foresight": "myopic"}
    },
    "full_year": {
        "regions": ["us_texas"],
        "years": [2030],
        "time": {"representative_days": 365, "link_storage": False},
    },
    "full_year_check": {  # the full-year dispatch check of the default plan's build
        "regions": ["us_texas"],
        "years": [2030],
        "time": {"check": "none"},
    },
    "full_year_check_windows": {
        "regions": ["us_texas"],
        "years": [2030],
        "time": {"check": "none"},
    },
    "full_year_linked": {
        "regions": ["us_texas"],
        "years": [2030],
        "time": {"representative_days": 365, "link_storage": True},
    },
}
DEFAULT_CASES = [
    "small", "default", "large", "large_myopic", "full_year", "full_year_check",
    "full_year_check_windows",
]  # fmt: skip
NEW_KEYS = {"extreme_days", "link_storage", "foresight", "resolution", "check"}
"""``time:`` keys that revisions before issue 13 do not know (dropped with ``--before``
where that revision's ``TimeConfig`` lacks them: a myopic case stays myopic)."""


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # Linux: KiB


def _spec(case: str, old: bool) -> dict:
    spec = {"name": f"bench_{case}", **json.loads(json.dumps(CASES[case]))}
    if old and "time" in spec:
        known = _time_keys()
        spec["time"] = {k: v for k, v in spec["time"].items() if k not in NEW_KEYS or k in known}
    return spec


def _time_keys() -> set[str]:
    """The ``time:`` keys the energymodel of this process knows (empty where unknown)."""
    try:
        from energymodel.scenario.schema import TimeConfig
    except ImportError:  # revisions before the scenario package
        return set()
    return set(TimeConfig.model_fields)


def run_ours(case: str, mps: Path, old: bool) -> dict:
    """Time every stage of one case in this process; write the LP to ``mps``."""
    import energymodel as em
    from energymodel.model import build_model
    from energymodel.results import to_dataset
    from energymodel.solve import solve_model

    try:
        from energymodel.solve import compile_model
    except ImportError:  # revisions before the solve package
        from energymodel.solve import _compile as compile_model  # type: ignore[attr-defined]

    import tsam  # noqa: F401  # params imports it lazily; count it with the imports

    out: dict[str, float] = {"rss_start_mb": _peak_rss_mb()}
    t = time.perf_counter()
    sc = em.load_scenario(_spec(case, old), scenarios_dir=Path.cwd() / "scenarios")
    params = em.build_params(sc)
    out["params_s"] = time.perf_counter() - t
    t = time.perf_counter()
    m = build_model(params)
    out["build_s"] = time.perf_counter() - t
    foresight = getattr(sc.time, "foresight", "perfect")
    kwargs = {"foresight": foresight} if foresight != "perfect" else {}
    result = solve_model(m, sc.solver, **kwargs)
    try:  # revisions before the full-year check report the planning LP
        from energymodel.model.check import fix_decisions, yearly_decisions
    except ImportError:
        fix_decisions = None
    if case.startswith("full_year_check") and fix_decisions:  # dispatch only, at the build
        decisions = yearly_decisions(m)
        t = time.perf_counter()
        full = {"representative_days": 365, "link_storage": True, "extreme_days": "off"}
        sc = sc.model_copy(update={"time": sc.time.model_copy(update=full)})
        params = em.build_params(sc).assign(dispatch_check_flag=1.0)
        out["params_s"] += time.perf_counter() - t
        t = time.perf_counter()
        m = build_model(params)
        fix_decisions(m, decisions, float(params["max_draw_frac"]))
        out["build_s"] = time.perf_counter() - t
        windows = 28 if case.endswith("windows") else 0
        result = solve_model(
            m, sc.solver, diagnose=False, warm=False,
            window_days=windows, timeslice_day=params["timeslice_day"],
        )  # fmt: skip
    out["iterations"] = getattr(result, "simplex_iterations", 0)
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

    lp = compile_model(m).lp
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.passModel(lp)
    h.writeModel(str(mps))
    pricing = getattr(result, "dual_pricing", "")  # HiGHS alone prices as we did
    Path(f"{mps}.pricing").write_text(pricing)
    out.update(cols=lp.num_col_, rows=lp.num_row_, nonzeros=len(lp.a_matrix_.value_))
    return out


def run_highs_alone(case: str, mps: Path) -> dict:
    """Read and solve ``mps`` with highspy only, with the case's solver method and the
    dual simplex pricing our run used (``solver.dual_pricing``; HiGHS's own before it)."""
    import highspy

    out = {"rss_start_mb": _peak_rss_mb()}
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("solver", CASES[case].get("solver", {}).get("method", "choose"))
    pricing = Path(f"{mps}.pricing")
    edge_weights = {"devex": 1, "steepest_edge": 2}
    if pricing.exists() and pricing.read_text() in edge_weights:
        h.setOptionValue("simplex_dual_edge_weight_strategy", edge_weights[pricing.read_text()])
    t = time.perf_counter()
    h.readModel(str(mps))
    out["read_s"] = time.perf_counter() - t
    t = time.perf_counter()
    h.run()
    out["run_s"] = time.perf_counter() - t
    out["objective"] = h.getInfo().objective_function_value
    out["peak_rss_mb"] = _peak_rss_mb()
    return out


def _child(mode: str, case: str, mps: str, code: Path) -> dict:
    env = {**os.environ, "PYTHONPATH": str(code)}
    cmd = [sys.executable, __file__, "--child", mode, case, mps]
    if code != REPO:
        cmd.append("--old")
    done = subprocess.run(cmd, capture_output=True, text=True, check=True, cwd=code, env=env)
    return json.loads(done.stdout.strip().splitlines()[-1])


def bench(case: str, code: Path = REPO, highs_alone: bool = True) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        mps = str(Path(tmp) / f"{case}.mps")
        ours = _child("ours", case, mps, code)
        alone = _child("highs", case, mps, code) if highs_alone else None
    row = {"case": case, "size": f"{ours['cols']:,} x {ours['rows']:,} ({ours['nonzeros']:,} nz)"}
    row |= {f"ours_{k}": v for k, v in ours.items()}
    if alone is not None:
        row |= {f"highs_{k}": v for k, v in alone.items()}
        row |= {
            "time_ratio": ours["total_s"] / alone["run_s"],
            "overhead_ratio": (ours["total_s"] - ours["highs_run_s"]) / alone["run_s"],
            "memory_ratio": ours["peak_rss_mb"] / alone["peak_rss_mb"],
            "model_memory_ratio": (ours["peak_rss_mb"] - ours["rss_start_mb"])
            / (alone["peak_rss_mb"] - alone["rss_start_mb"]),
        }
    return row


def to_markdown(rows: list[dict]) -> str:
    head = (
        "| case | LP cols x rows | params s | build s | compile s | HiGHS run s | extract s | "
        "economics s | our total s | HiGHS alone s | time ratio | overhead ratio | our peak MB "
        "| HiGHS peak MB | memory ratio | model memory ratio | objective M$ |\n|" + "---|" * 17
    )
    lines = [head]
    for r in rows:
        alone = "highs_run_s" in r
        lines.append(
            f"| {r['case']} | {r['size']} | {r['ours_params_s']:.2f} | {r['ours_build_s']:.2f} "
            f"| {r['ours_load_s']:.2f} | {r['ours_highs_run_s']:.2f} | {r['ours_extract_s']:.2f} "
            f"| {r['ours_economics_s']:.2f} | {r['ours_total_s']:.2f} "
            + (
                f"| {r['highs_run_s']:.2f} | {r['time_ratio']:.2f} | {r['overhead_ratio']:.2f} "
                f"| {r['ours_peak_rss_mb']:.0f} | {r['highs_peak_rss_mb']:.0f} "
                f"| {r['memory_ratio']:.2f} | {r['model_memory_ratio']:.2f} "
                if alone
                else f"| - | - | - | {r['ours_peak_rss_mb']:.0f} | - | - | - "
            )
            + f"| {r['ours_objective']:,.6f} |"
        )
    return "\n".join(lines)


def compare(before: list[dict], after: list[dict], rev: str) -> str:
    """Before (``rev``) against now, case by case."""
    lines = [
        (
            f"| case | build + compile s, {rev} | now | ratio | HiGHS s, {rev} | now | ratio "
            f"| simplex iterations, {rev} | now | ms per iteration, {rev} | now "
            f"| peak MB, {rev} | now | objective rel. diff |"
        ),
        "|" + "---|" * 14,
    ]
    for b, a in zip(before, after, strict=True):
        bc, ac = b["ours_build_s"] + b["ours_load_s"], a["ours_build_s"] + a["ours_load_s"]
        bh, ah = b["ours_highs_run_s"], a["ours_highs_run_s"]
        rel = abs(a["ours_objective"] / b["ours_objective"] - 1)
        lines.append(
            f"| {a['case']} | {bc:.2f} | {ac:.2f} | {ac / bc:.2f} | {bh:.1f} | {ah:.1f} "
            f"| {ah / bh:.2f} | {_iterations(b)} | {_iterations(a)} | {_ms_per(b)} | {_ms_per(a)} "
            f"| {b['ours_peak_rss_mb']:.0f} | {a['ours_peak_rss_mb']:.0f} "
            f"| {rel:.1e} |"
        )
    return "\n".join(lines)


def _iterations(row: dict) -> str:
    return f"{row.get('ours_iterations', 0):,}" if row.get("ours_iterations") else "-"


def _ms_per(row: dict) -> str:
    n = row.get("ours_iterations", 0)
    return f"{1e3 * row['ours_highs_run_s'] / n:.3f}" if n else "-"


def _worktree(rev: str, folder: Path) -> Path:
    subprocess.run(
        ["git", "-C", str(REPO), "worktree", "add", "--detach", str(folder), rev],
        check=True,
        capture_output=True,
    )
    return folder


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--cases",
        nargs="+",
        default=DEFAULT_CASES,
        choices=list(CASES),
    )
    parser.add_argument("--before", metavar="REV", help="also run the code of this revision")
    parser.add_argument("--child", nargs=3, metavar=("MODE", "CASE", "MPS"), help=argparse.SUPPRESS)
    parser.add_argument("--old", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        mode, case, mps = args.child
        result = (
            run_ours(case, Path(mps), args.old)
            if mode == "ours"
            else run_highs_alone(case, Path(mps))
        )
        print(json.dumps(result))
        return 0
    rows, before = [], []
    with tempfile.TemporaryDirectory() as tmp:
        old = _worktree(args.before, Path(tmp) / "before") if args.before else None
        try:
            for case in args.cases:
                print(f"benchmarking {case} ...", file=sys.stderr, flush=True)
                rows.append(bench(case))
                print(to_markdown(rows[-1:]).splitlines()[-1], file=sys.stderr, flush=True)
                if old is not None:
                    before.append(bench(case, old, highs_alone=False))
                    print(compare(before[-1:], rows[-1:], args.before).splitlines()[-1],
                          file=sys.stderr, flush=True)  # fmt: skip
        finally:
            if old is not None:
                subprocess.run(
                    ["git", "-C", str(REPO), "worktree", "remove", "--force", str(old)],
                    check=False,
                    capture_output=True,
                )
    table = to_markdown(rows)
    stamp = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    text = f"# Benchmark results\n\nMade by `make bench` on {stamp}; 2-core machine.\n\n{table}\n\n"
    if before:
        text += f"## Against {args.before}, same machine, same run\n\n"
        text += compare(before, rows, args.before) + "\n\n"
    text += (
        "Time ratio = our total (params + build + compile + solve + extract + economics) / "
        "HiGHS's own run time on the same LP read from MPS; overhead ratio = the part of "
        "ours that is not HiGHS running / HiGHS's own run time. Memory ratio = our peak "
        "resident memory / that of a process running HiGHS alone on the same LP; model "
        "memory ratio = the same less each process's memory before the model (our imports: "
        "pandas, xarray, Pyomo, tsam and scikit-learn, ~200 MB; highspy alone, ~40 MB). "
        "HiGHS alone solves the myopic case's LP with perfect foresight, and prices as our "
        "run did (`solver.dual_pricing`: devex on the full-year plan); with devex the LP "
        "read from MPS can take another path than the same LP passed in memory (full_year "
        "on 2026-12-07: 187,697 iterations, 47.6 s, against 155,191 and 25.7 s).\n"
    )
    (HERE / "results.md").write_text(text)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
