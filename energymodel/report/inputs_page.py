"""The inputs page: regenerate ``docs/inputs.md`` (and its figures) from ``inputs/``.

Per region: the annual capacity factors of solar and wind, the hourly grid carbon
intensity (range and mean) and clean share, the grid price with its hourly range, and a
small figure of one winter and one summer week of the hourly profiles
(``docs/figures/inputs_<region>.png``). Then where every hourly column comes from
(``inputs/hourly_sources.csv``, written by the input build) and the money conventions.

Reads the input tables only (through :func:`energymodel.data.load_inputs`); ``make inputs``
runs it right after the build (``energymodel.data.build``)::

    python -m energymodel.report.inputs_page --inputs inputs --out docs/inputs.md
"""

from __future__ import annotations

import argparse
import csv
import logging
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from energymodel.data import Inputs, load_inputs
from energymodel.data.build.constants import DEFLATOR_SOURCE, FX_SOURCE, PRICE_YEAR
from energymodel.data.manifest import PROFILE_YEAR

logger = logging.getLogger(__name__)

SOURCES_FILE = "hourly_sources.csv"
WEEKS = {"winter": 9, "summer": 191}
"""First day (0 = 1 January) of the weeks drawn: 10-16 January and 11-17 July (local time)."""
DPI = 72


def region_table(inputs: Inputs) -> pd.DataFrame:
    """One row per region: capacity factors, grid carbon and clean share, price."""
    h, regions = inputs.hourly, inputs.regions
    rows = []
    for r in regions.index:
        carbon, clean = h[f"grid_carbon:{r}"], h[f"grid_clean:{r}"]
        price = regions.at[r, "grid_price_usd_per_mwh"] * h[f"grid_price:{r}"]
        rows.append(
            {
                "region": r,
                "solar CF": h[f"solar_pv:{r}"].mean(),
                "wind CF": h[f"wind_onshore:{r}"].mean(),
                "grid tCO2/MWh mean": carbon.mean(),
                "grid tCO2/MWh min-max": f"{carbon.min():.3f}-{carbon.max():.3f}",
                "clean share mean": clean.mean(),
                "clean share min-max": f"{clean.min():.2f}-{clean.max():.2f}",
                "grid price $/MWh": regions.at[r, "grid_price_usd_per_mwh"],
                "hourly price $/MWh (5-95 %)": (
                    f"{np.percentile(price, 5):.0f}-{np.percentile(price, 95):.0f}"
                ),
                "PUE": regions.at[r, "pue_ratio"],
            }
        )
    return pd.DataFrame(rows).set_index("region")


def _week(series: pd.Series, offset_h: int, first_day: int) -> np.ndarray:
    """Seven local-time days of an hourly UTC series, starting at local midnight."""
    start = first_day * 24 - offset_h
    return np.take(series.to_numpy(float), np.arange(start, start + 7 * 24), mode="wrap")


def draw_region(inputs: Inputs, region: str, path: Path) -> None:
    """Save the winter and summer week of one region's profiles as a PNG."""
    h = inputs.hourly
    offset = int(inputs.regions.at[region, "utc_offset_h"])
    fig = Figure(figsize=(7.5, 4.0), dpi=DPI, layout="constrained")
    axes = fig.subplots(2, 1, sharex=True, sharey=True)
    x = np.arange(7 * 24) / 24
    lines = {
        "solar (avail.)": ("solar_pv", "#e6a100"),
        "wind (avail.)": ("wind_onshore", "#2b7bba"),
        "price / mean": ("grid_price", "#c0392b"),
        "grid tCO2/MWh": ("grid_carbon", "#555555"),
        "grid clean share": ("grid_clean", "#27ae60"),
    }
    for ax, (season, day) in zip(axes, WEEKS.items(), strict=True):
        for label, (profile, colour) in lines.items():
            ax.plot(
                x, _week(h[f"{profile}:{region}"], offset, day), color=colour, lw=1.1, label=label
            )
        ax.set_title(f"{region}: {season} week (local time, UTC{offset:+d})", fontsize=9)
        ax.grid(alpha=0.3)
        ax.tick_params(labelsize=8)
    axes[0].set_ylim(bottom=0)  # shared: after both weeks are drawn
    axes[1].set_xlabel("days from local midnight of the first day shown", fontsize=8)
    axes[0].legend(fontsize=7, ncol=5, loc="upper left")
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, format="png", metadata={"Software": None})


def _sources(inputs_dir: Path) -> list[dict[str, str]]:
    path = inputs_dir / SOURCES_FILE
    if not path.is_file():
        return []
    with path.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _fmt(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.3f}" if abs(value) < 10 else f"{value:.0f}"
    return str(value)


def _accelerators(inputs: Inputs) -> list[str]:
    """The generations a scenario may buy (``accelerators.csv``), one row each."""
    table = inputs.accelerators.sort_values("available_from_year", kind="stable")
    if table.empty:
        return []
    rows = [
        "## Accelerator generations",
        "",
        (
            "`accelerators.csv`, for scenarios that list `hardware.accelerators`: compute "
            "capex (no facility), IT power and tokens per kWh of IT energy; sources in the file."
        ),
        "",
        (
            "| generation | from | capex (USD/GPU) | kW/GPU | capex (USD/kW) "
            "| chat tokens/kWh | reasoning tokens/kWh |"
        ),
        "|---|---|---|---|---|---|---|",
    ]
    for name, r in table.iterrows():
        per_kw = r["capex_usd_per_gpu"] / r["kw_per_gpu"]
        rows.append(
            f"| `{name}` | {int(r['available_from_year'])} | {r['capex_usd_per_gpu']:,.0f} | "
            f"{r['kw_per_gpu']:.3g} | {per_kw:,.0f} | {r['tokens_per_kwh_chat']:,.0f} | "
            f"{r['tokens_per_kwh_reasoning']:,.0f} |"
        )
    return [*rows, ""]


def render(inputs_dir: Path, out: Path, figures: Path, draw: bool = True) -> str:
    """Write the page and (with ``draw``) its figures; return the Markdown."""
    inputs = load_inputs(inputs_dir)
    table = region_table(inputs)
    rel = Path("figures") if figures.parent == out.parent else figures
    head = "| region | " + " | ".join(table.columns) + " |"
    parts = [
        "# Inputs at a glance",
        "",
        (
            "<!-- Generated by energymodel.report.inputs_page from inputs/ (`make inputs`); "
            "do not edit by hand. -->"
        ),
        "",
        (
            f"What the model reads from `{inputs_dir.name}/`, region by region. Hourly "
            f"columns are one year on the {PROFILE_YEAR} calendar, hour 0 = 1 January "
            f"{PROFILE_YEAR} 00:00 UTC in every region. How each table is built and the data "
            "dictionary: [inputs/README.md](../inputs/README.md); rebuild with "
            "`make inputs RAW=DIR`."
        ),
        "",
        "## Per region",
        "",
        (
            "Capacity factors are annual means of the hourly availability; grid carbon is "
            "direct combustion CO2 of the generation mix in each hour; the price is the "
            "yearly average of `regions.csv` times the hourly shape."
        ),
        "",
        head,
        "|---" * (len(table.columns) + 1) + "|",
    ]
    for region, row in table.iterrows():
        parts.append(f"| `{region}` | " + " | ".join(_fmt(v) for v in row.to_numpy()) + " |")
    parts += ["", "## One winter and one summer week", ""]
    for region in table.index:
        png = figures / f"inputs_{region}.png"
        if draw:
            draw_region(inputs, str(region), png)
        parts += [f"![{region}: winter and summer week]({(rel / png.name).as_posix()})", ""]
    parts += _accelerators(inputs)
    sources = _sources(inputs_dir)
    if sources:
        parts += [
            "## Where each hourly column comes from",
            "",
            f"From `{inputs_dir.name}/{SOURCES_FILE}` (written by the build).",
            "",
            "| column | unit | source |",
            "|---|---|---|",
        ]
        parts += [f"| `{s['column']}` | {s['unit']} | {s['source']} |" for s in sources]
        parts.append("")
    parts += [
        "## Money",
        "",
        (
            f"Every monetary input is in USD {PRICE_YEAR}: converted at the currency year's "
            "average exchange rate, then inflated with the US GDP deflator. "
            f"{DEFLATOR_SOURCE}. {FX_SOURCE}."
        ),
        "",
    ]
    text = "\n".join(parts)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    return text


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: ``python -m energymodel.report.inputs_page``."""
    parser = argparse.ArgumentParser(description="Regenerate docs/inputs.md from inputs/.")
    parser.add_argument("--inputs", type=Path, default=Path("inputs"))
    parser.add_argument("--out", type=Path, default=Path("docs/inputs.md"))
    parser.add_argument("--figures", type=Path, default=None, help="default: docs/figures")
    args = parser.parse_args(argv)
    figures = args.figures or args.out.parent / "figures"
    render(args.inputs, args.out, figures)
    print(args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
