"""Convergence study: how many representative days does a region-year need? (issue 13)

One region (us_texas), one year (2030), the baseline's demand there. Two supply cases:

- ``clean``: 100% hourly clean supply from solar, wind and batteries alone (no grid, no
  gas: the hard case, decided by calm, dark days);
- ``default``: the default mix (grid, gas, solar, wind, batteries; no policy).

Build limits (power and accelerators) are lifted so that time resolution, not a limit, decides the answer. Each
case runs at 4, 8, 16 and 32 representative days, with and without extreme days and with
and without storage linked across days, and at the full year (365 days in order, storage
linked: the reference). Reported: system cost (the LP objective), the supply cost per MWh
of facility energy (power capex, fixed O&M, fuel, grid), the 24/7 premium (clean minus
default supply cost per MWh), battery and gas capacity, and the wall time of the solve.

Beside the fixed days, the refined method (issue 25): the default days checked against the
full year and critical days added until the check passes (``time.refine``), plotted at
the number of days it ends with.

Run with ``make convergence`` (``python benchmarks/convergence.py [--days 4 8 16 32]``);
writes ``benchmarks/convergence.md`` and ``benchmarks/convergence.png``. ``--regions``:
the full year, the old default and the refined default in us_texas, us_east, europe and
china (``benchmarks/convergence_regions.md``).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
REGION, YEAR = "us_texas", 2030
SUPPLY = ("power_capex", "power_fom", "fuel", "grid_energy", "grid_connection")
TECHS = ("solar_pv", "wind_onshore", "battery", "gas_recip", "gas_industrial", "gas_ocgt",
         "gas_frame", "gas_ccgt", "nuclear")  # fmt: skip
UNLIMITED = dict.fromkeys(TECHS, 5000.0)


def cases(region: str) -> dict[str, dict]:
    """The supply cases in ``region``. The accelerator supply chain is lifted too: a
    one-year model would otherwise get one year's world build limit for the whole fleet
    and leave most of the demand unserved. ``clean`` and ``default`` are the study's;
    ``hourly_98`` and ``annual`` the 24/7 premium's (``--premium``): the default mix with
    98% hourly or 100% annual clean matching, the grid a price list (``tariff``: its
    measured hourly clean share, so that no grid-share iteration enters the times)."""
    it = {"hardware": {"max_build_gw_per_yr": 1000.0}}
    matching = {
        **it,
        "supply": {"max_build_gw_per_yr": UNLIMITED},
        "grid": {"mode": {region: "tariff"}, "max_new_connection_gw_per_yr": {region: 1000}},
    }
    return {
        "hourly_98": {**matching, "policy": {"hourly_clean_share_frac": 0.98}},
        "annual": {**matching, "policy": {"annual_clean_share_frac": 1.0}},
        "clean": {
            **it,
            "supply": {
                "techs": ["solar_pv", "wind_onshore", "battery"],
                "max_build_gw_per_yr": UNLIMITED,
            },
            "grid": {
                "max_new_connection_gw_per_yr": {region: 0},
                "existing_connection_gw": {region: 0},
            },
            "policy": {"hourly_clean_share_frac": 1.0},
        },
        "default": {
            **it,
            "supply": {"max_build_gw_per_yr": UNLIMITED},
            "grid": {"max_new_connection_gw_per_yr": {region: 1000}},
        },
    }


CASES = ("clean", "default")
"""The study's supply cases (the convergence figure and ``--regions``)."""
PREMIUM_CASES = ("hourly_98", "annual")
"""The 24/7 premium's cases: 98% hourly over 100% annual matching (``--premium``)."""


def run(
    case: str,
    days: int,
    extremes: str,
    link: bool,
    refined: bool = False,
    region: str = REGION,
) -> dict:
    """One time setting: fixed days (the plan alone), or ``refined``: the plan checked
    against the full year and critical days added until it passes (``time.refine``)."""
    import energymodel as em

    check = {"check": "full_year", "refine": "auto"} if refined else {"check": "none"}
    spec = {
        "name": f"conv_{case}",
        "regions": [region],
        "years": [YEAR],
        "time": {
            "representative_days": days,
            "extreme_days": extremes,
            "link_storage": link,
            **check,
        },
        **cases(region)[case],
    }
    sc = em.load_scenario(spec, scenarios_dir=REPO / "scenarios")
    start = time.perf_counter()
    if refined:
        res = em.run(sc)
        seconds = time.perf_counter() - start
        critical = tuple(_days(res.attrs["time_critical_days"]))  # the timeslice count
        params = em.build_params(
            sc.model_copy(update={"time": sc.time.model_copy(update={"critical_days": critical})})
        )
    else:
        params = em.build_params(sc)
        res = em.solve(params, sc.solver)
        seconds = time.perf_counter() - start
    d = res.sel(year=YEAR, region=region)
    supply = float(d["cost_musd"].sel(component=list(SUPPLY)).sum())
    energy = float(d["facility_energy_twh"])
    cap = d["supply_capacity_gw"]
    gas = [t for t in cap["tech"].values if str(t).startswith("gas")]
    return {
        "region": region,
        "case": case,
        "days": days,
        "extreme_days": extremes,
        "linked": link,
        "timeslices": int(params.sizes["timeslice"]),
        "objective_musd": res.attrs["objective_musd"],
        "supply_usd_per_mwh": supply / energy,
        "battery_gw": float(cap.sel(tech="battery")) if "battery" in cap["tech"] else 0.0,
        "gas_gw": float(cap.sel(tech=gas).sum()) if gas else 0.0,
        "unserved_twh": float(d["unserved_it_energy_twh"].sum()),
        "seconds": seconds,
        "highs_s": res.attrs["highs_run_time_s"],
        "refined": refined,
        "rounds": res.attrs.get("time_refine_rounds", 0),
        "days_added": res.attrs.get("time_days_added", ""),
        "check_gap": res.attrs.get("time_check_max_gap_frac", float("nan")),
        "data_centre_gap": res.attrs.get("time_check_max_data_centre_gap_frac", float("nan")),
        "unserved_in_check_twh": res.attrs.get("time_check_unserved_twh", float("nan")),
        "passed": res.attrs.get("time_check_passed", float("nan")),
    }


def _days(text: str) -> list[int]:
    return [int(d) for d in text.split(",") if d]


def study(days_list: list[int]) -> pd.DataFrame:
    rows = []
    for case in CASES:
        rows.append(run(case, 365, "off", True))
        print(rows[-1], flush=True)
        for days in days_list:
            for extremes in ("off", "world"):
                for link in (False, True):
                    rows.append(run(case, days, extremes, link))
                    print(rows[-1], flush=True)
        # the refined method beside the fixed days: the default days, checked and refined
        rows.append(run(case, 4, "world", False, refined=True))
        print(rows[-1], flush=True)
    return pd.DataFrame(rows)


REGIONS = ("us_texas", "us_east", "europe", "china")
"""The four regions of issue 25's targets, each with its own profiles."""


METHODS = {
    "full year": (365, "off", True, False),
    "4 + 2 days": (4, "world", False, False),
    "refined": (4, "world", False, True),
}
"""The methods of ``--regions``: days, extreme days, linked storage, refined."""


def study_regions(
    methods: list[str], case_names: tuple[str, ...] = CASES, regions: tuple[str, ...] = REGIONS
) -> pd.DataFrame:
    """Per region and supply case: the full year, the old default (4 + 2 days, no check)
    and the refined default (the same days, checked and refined; critical days link
    storage). ``methods``: which of :data:`METHODS` to run."""
    rows = []
    for region in regions:
        for case in case_names:
            for method in methods:
                rows.append({"method": method, **run(case, *METHODS[method], region=region)})
                print(rows[-1], flush=True)
    return pd.DataFrame(rows)


def summarise_regions(table: pd.DataFrame) -> pd.DataFrame:
    """One row per region, case and method: supply cost and its error against the full
    year, system-cost error, rounds, days added and time against the full year's."""
    keys = ["region", "case"]
    full = table[table.method == "full year"][[*keys, "supply_usd_per_mwh", "objective_musd",
                                               "seconds"]]  # fmt: skip
    out = table.merge(full, on=keys, suffixes=("", "_full")).set_index(keys)
    out["supply error"] = out["supply_usd_per_mwh"] / out["supply_usd_per_mwh_full"] - 1
    out["system cost error"] = out["objective_musd"] / out["objective_musd_full"] - 1
    out["time / full year"] = out["seconds"] / out["seconds_full"]
    columns = {
        "method": "method",
        "supply_usd_per_mwh": "supply $/MWh",
        "supply error": "supply error",
        "system cost error": "system cost error",
        "battery_gw": "battery GW",
        "rounds": "rounds",
        "days_added": "days added",
        "check_gap": "check gap",
        "data_centre_gap": "data centres' gap",
        "unserved_in_check_twh": "unserved in check TWh",
        "passed": "check passed",
        "seconds": "wall s",
        "time / full year": "time / full year",
    }
    return out[list(columns)].rename(columns=columns).reset_index()


def summarise_premium(table: pd.DataFrame) -> pd.DataFrame:
    """One row per region and method: the supply cost at 98% hourly and 100% annual
    matching, the premium (their ratio) and its error against the full year's."""
    keys = ["region", "method"]
    hourly = table[table.case == "hourly_98"].set_index(keys)
    annual = table[table.case == "annual"].set_index(keys)
    out = pd.DataFrame(index=hourly.index)
    out["98% hourly $/MWh"] = hourly["supply_usd_per_mwh"]
    out["annual $/MWh"] = annual["supply_usd_per_mwh"]
    out["premium"] = out["98% hourly $/MWh"] / out["annual $/MWh"]
    full = out.xs("full year", level="method")["premium"]
    out["premium error"] = out["premium"] / full.reindex(out.index, level="region") - 1
    out["rounds (98%, annual)"] = hourly["rounds"].astype(str) + ", " + annual["rounds"].astype(str)
    out["days added (98%)"] = hourly["days_added"]
    out["wall s (98% + annual)"] = hourly["seconds"] + annual["seconds"]
    return out.reset_index()


def summarise(table: pd.DataFrame) -> pd.DataFrame:
    """One row per time setting: errors against the full year, the 24/7 premium, times."""
    keys = ["days", "extreme_days", "linked", "refined"]
    table = table.assign(refined=table.get("refined", False))
    clean = table[table.case == "clean"].set_index(keys)
    default = table[table.case == "default"].set_index(keys)
    full_c = clean.loc[(365, "off", True, False)]
    full_d = default.loc[(365, "off", True, False)]
    out = pd.DataFrame(index=clean.index)
    out["clean $/MWh"] = clean["supply_usd_per_mwh"]
    out["clean cost error"] = clean["objective_musd"] / full_c["objective_musd"] - 1
    out["default $/MWh"] = default["supply_usd_per_mwh"]
    out["default cost error"] = default["objective_musd"] / full_d["objective_musd"] - 1
    out["24/7 premium $/MWh"] = out["clean $/MWh"] - out["default $/MWh"]
    out["clean battery GW"] = clean["battery_gw"]
    out["default gas GW"] = default["gas_gw"]
    out["clean solve s"] = clean["seconds"]
    out["clean time / full year"] = clean["seconds"] / full_c["seconds"]
    out["clean rounds"] = clean["rounds"]
    out["clean days added"] = clean["days_added"]
    return out.reset_index()


def figure(summary: pd.DataFrame, path: Path) -> None:
    from matplotlib.figure import Figure

    fig = Figure(figsize=(11, 7), layout="constrained")
    axes = fig.subplots(2, 2).ravel()
    full = summary[summary.days == 365].iloc[0]
    panels = [
        ("clean $/MWh", "100% hourly clean supply cost ($/MWh)"),
        ("24/7 premium $/MWh", "24/7 premium over the default mix ($/MWh)"),
        ("clean battery GW", "battery capacity, clean case (GW)"),
        ("clean solve s", "solve time, clean case (s)"),
    ]
    rest = summary[(summary.days != 365) & ~summary.refined]
    refined = summary[summary.refined]
    for ax, (column, title) in zip(axes, panels, strict=True):
        for (extremes, linked), group in rest.groupby(["extreme_days", "linked"]):
            label = f"extremes {extremes}, {'linked' if linked else 'per-day'} storage"
            ax.plot(group["days"], group[column], marker="o", label=label)
        if len(refined):  # critical days added until the full-year check passes
            days = refined["days"] + refined["clean days added"].map(lambda s: len(_days(s)))
            ax.plot(days, refined[column], marker="*", ms=12, ls="", label="refined (check)")
        ax.axhline(full[column], color="black", ls="--", lw=1, label="full year")
        ax.set_xscale("log", base=2)
        ax.set_xlabel("representative days")
        ax.set_title(title, fontsize=9)
    axes[0].legend(fontsize=7)
    fig.savefig(path, dpi=110)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--days", type=int, nargs="+", default=[4, 8, 16, 32])
    parser.add_argument(
        "--regions",
        action="store_true",
        help=f"the full year, 4 + 2 days and the refined default in {', '.join(REGIONS)} "
        "-> benchmarks/convergence_regions.md",
    )
    parser.add_argument(
        "--only",
        nargs="*",
        choices=list(METHODS),
        help="with --regions or --premium: run these methods only (none: only rewrite the summary), "
        "keep the other rows of benchmarks/convergence_regions.csv",
    )
    parser.add_argument(
        "--premium",
        nargs="*",
        choices=REGIONS,
        help="the 98%%-hourly premium over annual matching, full year against 4 + 2 days "
        "and refined, in these regions (none: us_texas) -> benchmarks/convergence_premium.md",
    )
    args = parser.parse_args()
    if args.premium is not None:
        premium_report(
            tuple(args.premium or [REGION]), list(METHODS) if args.only is None else args.only
        )
        return
    if args.regions:
        regions_report(list(METHODS) if args.only is None else args.only)
        return
    table = study(args.days)
    (HERE / "convergence.csv").write_text(table.to_csv(index=False))  # before any summary
    summary = summarise(table)
    intro = (
        f"`python benchmarks/convergence.py`: {REGION}, {YEAR}, build limits lifted. Errors "
        "are against the full year (365 days in order, storage linked). Times are wall "
        "seconds of params + build + solve on this machine."
    )
    _write("convergence", "Convergence of the time representation (one region, one year)",
           intro, table, summary)  # fmt: skip
    figure(summary, HERE / "convergence.png")


def _write(name: str, title: str, intro: str, table: pd.DataFrame, summary: pd.DataFrame) -> None:
    """``benchmarks/<name>.csv`` (every run) and ``<name>.md`` (the summary table)."""
    from energymodel.compare import markdown_table

    lines = [f"# {title}", "", intro, "", markdown_table(summary, {}), ""]
    (HERE / f"{name}.md").write_text("\n".join(lines))
    print("\n".join(lines))


def _with_kept(table: pd.DataFrame, methods: list[str], path: Path) -> pd.DataFrame:
    """``table`` and the rows of ``path`` for the methods not re-run (``--only``)."""
    if set(methods) != set(METHODS) and path.exists():
        kept = pd.read_csv(path, keep_default_na=False, na_values=["nan", "NaN", ""])
        kept = kept[kept.method.isin(set(METHODS) - set(methods))]
        table = pd.concat([kept, table], ignore_index=True)
    order = {**{m: i for i, m in enumerate(METHODS)}, **{r: i for i, r in enumerate(REGIONS)}}
    table = table.sort_values(["region", "case", "method"], key=lambda c: c.map(order)
                              if c.name != "case" else c, kind="stable")  # fmt: skip
    path.write_text(table.to_csv(index=False))
    return table


def regions_report(methods: list[str]) -> None:
    table = _with_kept(study_regions(methods), methods, HERE / "convergence_regions.csv")
    intro = (
        f"`python benchmarks/convergence.py --regions`: {YEAR}, one region at a time, "
        "build limits lifted. `full year`: 365 days in order, storage linked (the "
        "reference). `4 + 2 days`: the old default, unchecked. `refined`: the same days "
        "with the full-year check and refinement on (`time.check: full_year`, `refine: "
        "auto`, tolerance 2%, at most 3 rounds; critical days link storage). `check "
        "gap`: the last check's realised cost against its plan (in a `system` region it "
        "holds the system's own costs); `data centres' gap`: supply and unserved compute "
        "alone. Wall seconds include params, build, "
        "every solve and the checks."
    )
    _write("convergence_regions", "The refined default against the full year, four regions "
           "(issue 25)", intro, table, summarise_regions(table))  # fmt: skip


def premium_report(regions: tuple[str, ...], methods: list[str]) -> None:
    table = study_regions(methods, PREMIUM_CASES, regions)
    table = _with_kept(table, methods, HERE / "convergence_premium.csv")
    intro = (
        f"`python benchmarks/convergence.py --premium`: {YEAR}, one region at a time, build "
        "limits lifted, the default mix with the grid as a price list (`grid.mode: "
        "tariff`). The premium is the supply cost at 98% hourly clean matching over the "
        "cost at 100% annual matching; its error is against the full year's premium. "
        "Methods as in `convergence_regions.md`."
    )
    _write("convergence_premium", "The 24/7 premium against the full year (issue 25)",
           intro, table, summarise_premium(table))  # fmt: skip


if __name__ == "__main__":
    main()
