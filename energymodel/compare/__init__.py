"""Stage 9, comparing results: a results folder in, one Dataset along ``scenario`` out.

Pure readers (nothing here solves; writing ``all.nc`` and the summary is the batch's job)::

    from energymodel import compare
    ds = compare.open_results("results")     # every scenario along `scenario`
    compare.headline(ds)                     # one row per scenario, last model year
    compare.difference(ds, "baseline")       # every numeric variable minus baseline's

- :mod:`~energymodel.compare.folder`: the one reader of a results folder, combining along
  ``scenario``, differences;
- :mod:`~energymodel.compare.headline`: the headline figures (world totals by scenario and
  year), defined once for the summary, the report and the docs pages;
- :mod:`~energymodel.compare.tables`: Markdown tables.
"""

from energymodel.compare.folder import (
    COMBINED_NAME,
    combine_datasets,
    difference,
    load_combined,
    open_results,
    read_results,
    result_files,
)
from energymodel.compare.headline import (
    HEADLINE_COLUMNS,
    LABELS,
    SUMMARY_COLUMNS,
    SWEEP_PREFIX,
    headline,
    headline_table,
    marginal_cost_per_mtok,
    mark_shed,
    shed_regions,
    summary_table,
    world_cost_by_component,
    world_figures,
    world_total,
)
from energymodel.compare.tables import markdown_table

__all__ = [
    "COMBINED_NAME",
    "HEADLINE_COLUMNS",
    "LABELS",
    "SUMMARY_COLUMNS",
    "SWEEP_PREFIX",
    "combine_datasets",
    "difference",
    "headline",
    "headline_table",
    "load_combined",
    "marginal_cost_per_mtok",
    "mark_shed",
    "markdown_table",
    "open_results",
    "read_results",
    "result_files",
    "shed_regions",
    "summary_table",
    "world_cost_by_component",
    "world_figures",
    "world_total",
]
