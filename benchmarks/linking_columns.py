"""Benchmark: what makes a simplex iteration of the full-year planning LP dear (issue 25, 5).

Run with ``python benchmarks/linking_columns.py [--days N]``. It builds the ``full_year``
case of ``bench_lp.py`` (us_texas, 2030, the 365 days in order, storage cycling per day),
solves it with HiGHS's dual simplex, then solves the same LP again from scratch with
groups of columns fixed at that optimum (their bounds set to their values; every other
column and row as it was), and with HiGHS's interior point. The optimum is the same in
every solve; what changes is the number of iterations and their cost.

The groups: the IT peak ``it_peak_gw`` (a column in the 8,760 ``it_peak`` rows); the
yearly IT columns that scale the hourly load, ``inference_served_twh`` and
``training_mean_gw`` (each in the 8,760 balance rows, the ``it_peak`` rows and the 365
``flexible_daily_energy`` rows); both; and the flexible load (one column an hour and
workload). The capacities, also in every hour's rows, stay free throughout. Then the
shipped LP, and the LP with the three IT columns fixed, with devex pricing (HiGHS's
default is dual steepest edge; ``solver.dual_pricing: auto`` takes devex for full-year
plans).

Results are printed as a Markdown table (copied into ``docs/performance.md``). A
benchmark, not a test: the times vary with the machine and its load; the iteration
counts do not.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import highspy
import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import energymodel as em
from energymodel.model import build_model
from energymodel.solve import compile_model

YEARLY_IT = ("inference_served_twh", "training_mean_gw")


def _solve(
    lp, fixed: np.ndarray, x: np.ndarray | None, method: str = "simplex", devex: bool = False
) -> dict:
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("solver", method)
    if devex:  # solver.dual_pricing: devex (auto's choice for a full-year plan)
        h.setOptionValue("simplex_dual_edge_weight_strategy", 1)
    h.passModel(lp)
    if len(fixed):
        h.changeColsBounds(len(fixed), fixed, x[fixed], x[fixed])
    t = time.perf_counter()
    h.run()
    seconds = time.perf_counter() - t
    info = h.getInfo()
    iterations = info.simplex_iteration_count if method == "simplex" else info.ipm_iteration_count
    return {
        "s": seconds,
        "iterations": iterations,
        "ms": 1000 * seconds / max(iterations, 1),
        "objective": info.objective_function_value,
        "x": np.asarray(h.getSolution().col_value),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=365, help="days of the year, in order")
    args = parser.parse_args()
    spec = {
        "name": "linking_columns",
        "regions": ["us_texas"],
        "years": [2030],
        "time": {"representative_days": args.days, "link_storage": False},
    }
    sc = em.load_scenario(spec, scenarios_dir=REPO / "scenarios")
    m = build_model(em.build_params(sc))
    compiled = compile_model(m)
    lp = compiled.lp
    names = [v.parent_component().local_name for v in compiled.columns]

    def pyomo_columns(*wanted: str) -> np.ndarray:
        return np.array([i for i, n in enumerate(names) if n in wanted], dtype=np.int32)

    flexible = m.arrays.variables["flexible_load_gw"].labels.values
    first_own = lp.num_col_ - m.arrays.n_col  # the array blocks' own columns come last
    groups = {
        "nothing fixed": np.array([], dtype=np.int32),
        "IT peak fixed": pyomo_columns("it_peak_gw"),
        "yearly IT columns fixed": pyomo_columns(*YEARLY_IT),
        "IT peak and yearly IT columns fixed": pyomo_columns("it_peak_gw", *YEARLY_IT),
        "flexible load fixed": (flexible[flexible >= 0] + first_own).astype(np.int32),
    }
    print(f"LP: {lp.num_col_:,} columns x {lp.num_row_:,} rows ({args.days} days)", flush=True)
    print("| fixed at the optimum | simplex iterations | HiGHS s | ms per iteration | objective |")
    print("|---|---|---|---|---|")
    runs = [(label, fixed, False) for label, fixed in groups.items()] + [
        ("nothing fixed, devex pricing", groups["nothing fixed"], True),
        ("IT peak and yearly IT columns fixed, devex pricing",
         groups["IT peak and yearly IT columns fixed"], True),
    ]  # fmt: skip
    x = None
    for label, fixed, devex in runs:
        out = _solve(lp, fixed, x, devex=devex)
        x = out["x"] if x is None else x
        print(
            f"| {label} | {out['iterations']:,} | {out['s']:.1f} | {out['ms']:.3f} "
            f"| {out['objective']:,.6f} |",
            flush=True,
        )
    out = _solve(lp, np.array([], dtype=np.int32), None, method="ipm")
    print(
        f"| nothing fixed, interior point (with crossover) | {out['iterations']} IPM "
        f"| {out['s']:.1f} | | {out['objective']:,.6f} |"
    )


if __name__ == "__main__":
    main()
