"""Stage 10, the report: results files in, figures, the HTML page and the docs page out.

Reads results only (never Pyomo or the model).

- :mod:`~energymodel.report.plotting`, :mod:`~energymodel.report.figures`: the figures;
- :mod:`~energymodel.report.render`: drawing them to PNG/SVG;
- :mod:`~energymodel.report.page`: ``write_report(results_dir)`` -> ``report.html``;
- :mod:`~energymodel.report.docs_page`: ``docs/scenarios.md``, the scenario library.
"""

from energymodel.compare import HEADLINE_COLUMNS, headline_table
from energymodel.report.figures_grid import ALL_FIGURES as FIGURES
from energymodel.report.page import load_results, write_report

__all__ = ["FIGURES", "HEADLINE_COLUMNS", "headline_table", "load_results", "write_report"]
