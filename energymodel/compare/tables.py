"""Markdown tables of results figures, for the summary, the CLI and the docs pages."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import pandas as pd

from energymodel.compare.headline import LABELS


def _format_number(value: Any) -> str:
    """Format a table cell: thousands separators, two decimals below 10, ``-`` for NaN."""
    if isinstance(value, str):
        return value
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    if math.isnan(number):
        return "-"
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
    headers = [labels.get(str(c), str(c)) for c in frame.columns]
    numeric = [pd.api.types.is_numeric_dtype(frame[c]) for c in frame.columns]
    lines = [
        "| " + " | ".join(headers) + " |",
        "|" + "|".join("---:" if n else ":---" for n in numeric) + "|",
    ]
    for row in frame.itertuples(index=False):
        lines.append("| " + " | ".join(_format_number(v) for v in row) + " |")
    return "\n".join(lines) + "\n"
