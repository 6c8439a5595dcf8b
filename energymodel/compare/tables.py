"""Markdown tables of results figures, for the summary, the CLI and the docs pages."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import pandas as pd

from energymodel.compare.headline import LABELS
from energymodel.compare.power import detail_label

SIGNIFICANT = ("_usd_per_mtok",)
"""Columns (by name ending) shown to three significant figures: their differences matter."""
PLAIN = ("year", "shed")
"""Columns shown as plain integers (no thousands separator): years, regions shedding."""


def _format_number(value: Any, column: str = "") -> str:
    """Format a table cell: thousands separators, two decimals below 10, ``-`` for NaN.

    Years are plain integers (``2030``); costs per token (:data:`SIGNIFICANT`) keep three
    significant figures (``0.419``); values within 1e-9 of zero read ``0``.
    """
    if isinstance(value, str):
        return value
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    if math.isnan(number):
        return "-"
    if column in PLAIN and number.is_integer():
        return str(int(number))
    if abs(number) < 1e-9:
        return "0"
    if column.endswith(SIGNIFICANT):
        return f"{number:,.3g}" if abs(number) < 1000 else f"{number:,.0f}"
    if abs(number) >= 100:
        return f"{number:,.0f}"
    if abs(number) >= 10:
        return f"{number:.1f}"
    if number == 0:
        return "0"
    if abs(number) >= 0.01:
        return f"{number:.2f}"
    return f"{number:.2g}"


def markdown_table(table: pd.DataFrame, labels: Mapping[str, str] | None = None) -> str:
    """Render a DataFrame as a GitHub Markdown table (index as the first column).

    Parameters
    ----------
    table
        The rows to show; a named index becomes the first column.
    labels
        Column name -> header text (default: the headline labels, else the name).

    Returns
    -------
    str
        The Markdown text, numbers right-aligned.
    """
    labels = {**LABELS, **(labels or {})}
    frame = table.reset_index() if table.index.name is not None else table
    headers = [labels.get(str(c), detail_label(str(c))) for c in frame.columns]
    numeric = [pd.api.types.is_numeric_dtype(frame[c]) for c in frame.columns]
    lines = [
        "| " + " | ".join(headers) + " |",
        "|" + "|".join("---:" if n else ":---" for n in numeric) + "|",
    ]
    for row in frame.itertuples(index=False):
        cells = (_format_number(v, str(c)) for v, c in zip(row, frame.columns, strict=True))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"
