"""Deterministic CSV writing: fixed float formats, sorted rows, ``\\n`` line ends."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd


def fmt(value: object, decimals: int = 4) -> str:
    """Format a number with at most ``decimals`` decimals, trailing zeros stripped."""
    if isinstance(value, str):
        return value
    x = float(value) + 0.0  # no '-0'
    text = f"{x:.{decimals}f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def write_long(
    path: Path, rows: list[dict[str, object]], columns: Sequence[str], sort_by: Sequence[str]
) -> None:
    """Write a long table, rows sorted by ``sort_by`` (blank sorts first)."""

    def key(r: dict[str, object]) -> tuple[str, ...]:
        return tuple(str(r.get(c, "")) for c in sort_by)

    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(columns)
    for r in sorted(rows, key=key):
        w.writerow(
            [
                fmt(r[c]) if c == "value" else ("" if r.get(c) is None else str(r[c]))
                for c in columns
            ]
        )
    path.write_text(buf.getvalue(), encoding="utf-8")


def write_hourly(path: Path, table: pd.DataFrame, decimals: int = 3) -> None:
    """Write the hourly table; ratio columns are corrected to a mean of exactly 1."""
    out = table.copy()
    for col in out.columns:
        if col.startswith(("grid_price:", "inference_load:", "other_load:")):
            out[col] = _mean_one(out[col].to_numpy(float), decimals)
    buf = io.StringIO()
    buf.write(",".join(out.columns) + "\n")
    cols = [out[c].to_numpy() for c in out.columns]
    for i in range(len(out)):
        buf.write(",".join([str(int(cols[0][i]))] + [fmt(c[i], decimals) for c in cols[1:]]))
        buf.write("\n")
    path.write_text(buf.getvalue(), encoding="utf-8")


def _mean_one(x: np.ndarray, decimals: int) -> np.ndarray:
    """Round to ``decimals`` and spread the residual so the column sums to its length."""
    step = 10.0**-decimals
    r = np.round(x / x.mean(), decimals)
    n = round(float(len(x) - r.sum()) / step)
    if n:
        err = (x / x.mean()) - r  # largest rounding errors take the residual
        order = np.argsort(-err if n > 0 else err, kind="stable")[: abs(n)]
        r[order] += np.sign(n) * step
    return np.round(r, decimals)
