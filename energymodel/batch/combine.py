"""The end of a batch: every run combined along ``scenario`` (``all.nc``) and the summary."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path

import pandas as pd
import xarray as xr

from energymodel.batch.store import write_atomic, write_text_atomic
from energymodel.compare import (
    COMBINED_NAME,
    load_combined,
    mark_shed,
    markdown_table,
    summary_table,
)

logger = logging.getLogger(__name__)


def combine(
    out_dir: str | Path, names: Iterable[str] | None = None, *, write: bool = True
) -> xr.Dataset:
    """Combine per-scenario results along ``scenario`` and write ``<out_dir>/all.nc``.

    Parameters
    ----------
    out_dir
        Results folder.
    names
        Runs to combine, in order (default every run of the store, as
        :func:`energymodel.compare.read_results` finds them: strays and foreign files
        are left out with a warning).
    write
        Write ``all.nc`` (atomically).

    Returns
    -------
    xarray.Dataset
        See :func:`energymodel.compare.folder.combine_datasets`.
    """
    out = Path(out_dir)
    ds = load_combined(out, names)
    if write:
        write_atomic(ds, out / COMBINED_NAME)
        logger.info("combined %d scenario(s) into %s", ds.sizes["scenario"], out / COMBINED_NAME)
    return ds


def write_summary(ds: xr.Dataset, out_dir: str | Path) -> tuple[pd.DataFrame, list[Path]]:
    """Write ``summary.csv`` and ``summary.md`` (scenario x year headline figures).

    Parameters
    ----------
    ds
        A combined Dataset.
    out_dir
        Results folder.

    Returns
    -------
    tuple
        The table (:func:`summary_table`) and the two paths written.
    """
    out = Path(out_dir)
    table = summary_table(ds)
    csv_path, md_path = out / "summary.csv", out / "summary.md"
    write_text_atomic(table.to_csv(index=False), csv_path)
    shown = markdown_table(mark_shed(table))  # a marginal cost where demand is shed: "shed"
    write_text_atomic("# Scenario summary (total of the modelled regions)\n\n" + shown, md_path)
    return table, [csv_path, md_path]
