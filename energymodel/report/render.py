"""Render the report's figures to PNG and SVG, with a note where one cannot be drawn.

Each figure is returned base64-encoded for embedding in ``report.html`` and saved as PNG
and SVG in ``results/figures/`` for slides. A figure whose variables some scenarios lack
leaves those scenarios out (or is not drawn) with a note, so partial results still give a
report.
"""

from __future__ import annotations

import base64
import io
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr
from matplotlib.figure import Figure
from matplotlib.layout_engine import ConstrainedLayoutEngine

from energymodel.compare import HEADLINE_COLUMNS, LABELS
from energymodel.report.figures import Context, FigureSpec, draw_scenario

logger = logging.getLogger(__name__)

DPI = 110
"""Resolution of the PNG figures (embedded and saved): sharp on a laptop, quick to draw."""
WIDTH_IN = 10.0


@dataclass
class RenderedFigure:
    """A figure as the template shows it (``png_b64`` empty when skipped)."""

    id: str
    title: str
    caption: str
    png_b64: str = ""
    png: str = ""
    svg: str = ""
    notes: list[str] = field(default_factory=list)


def has_needs(
    ds: xr.Dataset, needs: tuple[tuple[str, ...], ...], attrs: tuple[str, ...] = ()
) -> bool:
    return any(all(v in ds for v in option) for option in needs) and all(
        a in ds.attrs for a in attrs
    )


def _render(
    out: RenderedFigure,
    height_in: float,
    draw: Callable[[Figure], None],
    out_dir: Path,
    note: str,
) -> RenderedFigure:
    """Draw a figure into ``out`` (base64 PNG) and save it as PNG and SVG in ``out_dir``.

    A drawing error (say, a variable with unexpected dims in partial results) becomes a
    note on the page instead of failing the report.
    """
    margin = 0.22 / height_in  # room for the source note below the layout
    layout = ConstrainedLayoutEngine(rect=(0, margin, 1, 1 - margin))
    fig = Figure(figsize=(WIDTH_IN, height_in), layout=layout)
    try:
        draw(fig)
    except (KeyError, ValueError, TypeError, AttributeError, IndexError) as err:
        logger.warning("figure %s not drawn: %s", out.id, err)
        out.notes.append(f"Not drawn: {type(err).__name__}: {err}")
        return out
    fig.suptitle(out.title, fontsize=12, fontweight="bold")
    fig.text(0.995, 0.005, note, ha="right", va="bottom", fontsize=7, color="#666666")
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI, metadata={"Software": None})
    (out_dir / f"{out.id}.png").write_bytes(buf.getvalue())
    fig.set_layout_engine("none")  # keep the layout just computed: no second solve
    fig.savefig(out_dir / f"{out.id}.svg", format="svg", metadata={"Date": None})
    out.png_b64 = base64.b64encode(buf.getvalue()).decode("ascii")
    out.png, out.svg = f"figures/{out.id}.png", f"figures/{out.id}.svg"
    return out


def render_figure(
    spec: FigureSpec, ctx: Context, baseline: str, out_dir: Path, note: str
) -> RenderedFigure:
    """Render one spec for the scenarios that have its variables, or explain why not."""
    fig = RenderedFigure(spec.id, spec.title, spec.caption)
    have = {n: ds for n, ds in ctx.runs.items() if has_needs(ds, spec.needs, spec.attrs)}
    wanted = [baseline] if spec.baseline_only else list(ctx.runs)
    missing = [n for n in wanted if n not in have]
    need = " or ".join(", ".join(o) for o in spec.needs)
    if spec.baseline_only:
        have = {baseline: have[baseline]} if baseline in have else {}
    if not have:
        fig.notes.append(f"Not drawn: {', '.join(missing)} lack {need}.")
        return fig
    if missing and not spec.optional:
        fig.notes.append(f"Left out (missing {need}): {', '.join(missing)}.")
    sub = Context(have, ctx.scenario_colors, ctx.region_colors, ctx.tech_colors,
                  ctx.component_colors)  # fmt: skip
    return _render(fig, spec.height_in(len(have)), lambda f: spec.draw(f, sub), out_dir, note)


def scenario_figure(
    fig_id: str, name: str, ds: xr.Dataset, ctx: Context, out_dir: Path, note: str
) -> RenderedFigure:
    """The figure of one scenario's section: buildout and supply, world totals per year."""
    spec = FigureSpec(
        fig_id, f"Buildout and supply: {name}",
        "World totals per year: IT capacity by region, energy by source, supply capacity.",
        (("it_capacity_gw",), ("generation_twh",), ("supply_capacity_gw",)),
        draw_scenario, lambda n: 4.6,
    )  # fmt: skip
    one = Context({name: ds}, ctx.scenario_colors, ctx.region_colors, ctx.tech_colors,
                  ctx.component_colors)  # fmt: skip
    return render_figure(spec, one, name, out_dir, note)


def delta_figure(deltas: pd.DataFrame, baseline: str, out_dir: Path, note: str) -> RenderedFigure:
    """Small multiples of headline differences against the baseline, one panel per metric."""
    spec_id, title = "delta-vs-baseline", f"Headline differences against {baseline}"
    fig = RenderedFigure(spec_id, title, "Last-year headline numbers minus the baseline's; "
                         "orange above the baseline, blue below.")  # fmt: skip
    metrics = [c for c in HEADLINE_COLUMNS if deltas[c].notna().any()]
    if deltas.empty or not metrics:
        fig.notes.append("Not drawn: no other scenario, or no headline numbers to compare.")
        return fig
    names = [str(n) for n in deltas.index]

    def draw(f: Figure) -> None:
        ncols = min(4, len(metrics))
        axes = f.subplots(-(-len(metrics) // ncols), ncols, sharey=True, squeeze=False).ravel()
        at = np.arange(len(names))
        for ax, col in zip(axes, metrics, strict=False):
            vals = deltas[col].to_numpy(dtype=float)
            ax.barh(at, np.nan_to_num(vals), height=0.7,
                    color=["#dd8452" if v > 0 else "#4c72b0" for v in vals])  # fmt: skip
            ax.axvline(0, color="black", lw=0.6)
            ax.set_yticks(at, names)
            ax.set_ylim(len(names) - 0.5, -0.5)
            ax.set_title(f"Δ {LABELS[col]}", fontsize=8)
            ax.tick_params(labelsize=7)
            ax.grid(axis="x", alpha=0.3)
        for ax in axes[len(metrics) :]:
            ax.set_visible(False)

    rows = -(-len(metrics) // min(4, len(metrics)))
    return _render(fig, 0.8 + rows * (0.9 + 0.26 * len(names)), draw, out_dir, note)
