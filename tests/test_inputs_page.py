"""docs/inputs.md: generated from inputs/ by energymodel.report.inputs_page."""

from __future__ import annotations

from pathlib import Path

import pytest

from energymodel.report import inputs_page
from energymodel.scenario.schema import DEFAULT_REGIONS

REPO = Path(__file__).resolve().parents[1]


def test_inputs_page_is_current_and_has_every_region(tmp_path: Path) -> None:
    out = tmp_path / "docs" / "inputs.md"
    text = inputs_page.render(REPO / "inputs", out, tmp_path / "docs" / "figures", draw=False)
    committed = (REPO / "docs" / "inputs.md").read_text(encoding="utf-8")
    assert text == committed, "docs/inputs.md is stale: run `make inputs` (or inputs_page)"
    for region in DEFAULT_REGIONS:
        assert f"| `{region}` |" in text
        assert f"(figures/inputs_{region}.png)" in text
        assert (REPO / "docs" / "figures" / f"inputs_{region}.png").is_file()
    assert "grid_carbon:us_east" in text  # the sources section
    assert "USD 2024" in text


@pytest.mark.slow
def test_inputs_page_draws_a_figure_per_region(tmp_path: Path) -> None:
    inputs_page.render(REPO / "inputs", tmp_path / "inputs.md", tmp_path / "figures")
    for region in DEFAULT_REGIONS:
        assert (tmp_path / "figures" / f"inputs_{region}.png").stat().st_size > 10_000
