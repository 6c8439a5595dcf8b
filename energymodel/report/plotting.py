"""Drawing helpers for the report figures: colours, stacked bars, scenario lines.

Matplotlib's object-oriented API only (``Axes``, no pyplot, no global state); reads result
Datasets only and never imports Pyomo or the model.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd
import xarray as xr
from matplotlib import colormaps
from matplotlib.axes import Axes
from matplotlib.colors import to_hex
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

TECH_COLORS = {
    "grid": "#8c8c8c", "gas_ccgt": "#8c564b", "gas_ocgt": "#c49c94", "gas_recip": "#d62728",
    "gas_industrial": "#e377c2", "gas_frame": "#7f3f2f",
    "solar_pv": "#f2b701", "wind_onshore": "#1f77b4", "battery": "#9467bd",
    "nuclear": "#2ca02c",
}  # fmt: skip
COMPONENT_COLORS = {
    "accelerators": "#4c72b0", "facility": "#8172b3", "power_capex": "#dd8452",
    "power_fom": "#e5ae38", "fuel": "#8c564b", "grid_energy": "#7f7f7f",
    "grid_connection": "#b5b5b5", "grid_capacity": "#8c8c8c", "carbon": "#333333", "unserved": "#c44e52",
}  # fmt: skip


NOISE = 1e-9
"""Values closer to zero than this are solver round-off: drawn as 0 (no sliver of a bar)."""


def clip_noise(values: np.ndarray) -> np.ndarray:
    """``values`` with every :math:`|x| <` :data:`NOISE` set to 0 (NaN kept)."""
    out = np.array(values, dtype=float)
    out[np.abs(out) < NOISE] = 0.0
    return out


def assign_colors(keys: Iterable[str], fixed: Mapping[str, str] | None = None) -> dict[str, str]:
    """Give each key a colour: ``fixed`` when listed, else the next unused tab10/tab20 one."""
    keys = list(dict.fromkeys(keys))
    cmap = colormaps["tab10" if len(keys) <= 10 else "tab20"]
    out = {k: fixed[k] for k in keys if fixed and k in fixed}
    free = [to_hex(cmap(i)) for i in range(cmap.N) if to_hex(cmap(i)) not in out.values()]
    for i, k in enumerate(k for k in keys if k not in out):
        out[k] = free[i % len(free)]
    return out


def stacked_bars(
    ax: Axes, frame: pd.DataFrame, colors: Mapping[str, str], *, horizontal: bool = False
) -> None:
    """Draw stacked bars (rows = bars, columns = stacked series); negatives stack below 0."""
    pos = np.zeros(len(frame))
    neg = np.zeros(len(frame))
    at = np.arange(len(frame))
    for col in frame.columns:
        vals = clip_noise(frame[col].fillna(0.0).to_numpy(dtype=float))
        if not np.any(vals):
            continue
        base = np.where(vals >= 0, pos, neg)
        if horizontal:
            ax.barh(at, vals, left=base, height=0.7, color=colors[col], label=str(col))
        else:
            ax.bar(at, vals, bottom=base, width=0.7, color=colors[col], label=str(col))
        pos += np.clip(vals, 0, None)
        neg += np.clip(vals, None, 0)
    labels = [str(i) for i in frame.index]
    if horizontal:
        ax.set_yticks(at, labels)
        ax.set_ylim(len(frame) - 0.5, -0.5)  # first row at the top
        ax.axvline(0, color="black", lw=0.6)
    else:
        step = max(1, len(labels) // 12)
        ax.set_xticks(at[::step], labels[::step])
        ax.axhline(0, color="black", lw=0.6)


def as_frame(da: xr.DataArray, rows: str, cols: str) -> pd.DataFrame:
    return da.transpose(rows, cols).to_pandas()


def scenario_lines(ax: Axes, series: Mapping[str, xr.DataArray], colors: Mapping[str, str]) -> None:
    """One line per scenario over years; the first (baseline) is drawn black and thicker."""
    for i, (name, da) in enumerate(series.items()):
        style = {"color": "black", "lw": 2.2, "zorder": 3} if i == 0 else {"lw": 1.4}
        ax.plot(da["year"].values, clip_noise(da.values), marker="o", ms=3, label=name,
                **({"color": colors[name]} | style))  # fmt: skip
    ax.set_xlabel("year")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.grid(alpha=0.3)
    if all(float(da.min()) >= 0 for da in series.values() if da.notnull().any()):
        ax.set_ylim(bottom=0)


def units_of(ds: xr.Dataset, name: str, default: str) -> str:
    return str(ds[name].attrs.get("units", default)) if name in ds else default


def last_year(ds: xr.Dataset) -> int:
    return int(ds["year"].max())


def at_last_year(da: xr.DataArray | None, ds: xr.Dataset) -> float:
    """Value of a year-only array in the scenario's last year (NaN when missing)."""
    return float("nan") if da is None else float(da.sel(year=last_year(ds)))


def bar_height(n: int) -> float:
    return 1.6 + 0.32 * n


def shared_legend(fig: Figure, axes: Iterable[Axes]) -> None:
    """One legend for panels that share labels (each label once, right of the panels)."""
    handles: dict[str, object] = {}
    for ax in axes:
        for handle, label in zip(*ax.get_legend_handles_labels(), strict=True):
            handles.setdefault(label, handle)
    fig.legend(list(handles.values()), list(handles), loc="outside right upper", fontsize=8)
