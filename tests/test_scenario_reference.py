"""docs/scenario-reference.md is generated from the schema and stays in step with it."""

from __future__ import annotations

import json
from pathlib import Path

from energymodel.report.scenario_reference import keys, main, render, type_text, unit_of
from energymodel.scenario.load import schema_text

REPO = Path(__file__).resolve().parents[1]
DOC = REPO / "docs" / "scenario-reference.md"


def test_committed_reference_matches_the_schema():
    assert DOC.read_text(encoding="utf-8") == render(), (
        "docs/scenario-reference.md is out of date: run `make scenario-reference`"
    )


def test_every_schema_key_is_documented_with_type_default_and_range():
    text = DOC.read_text(encoding="utf-8")
    schema = json.loads(schema_text())
    documented = [key for key, _, _ in keys(schema)]
    assert "hardware.max_build_gw_per_yr" in documented
    assert "time.representative_days" in documented
    for key in documented:
        assert f"### `{key}`" in text, key
    entry = text.split("### `hardware.max_build_gw_per_yr`")[1].split("###")[0]
    assert "unit: GW/yr" in entry
    assert "default: none: from `inputs/`" in entry
    assert "range: 0 to 10000" in entry
    assert "example: `max_build_gw_per_yr: {2025: 14.5" in entry  # from scenarios/baseline.yaml
    assert "| `us_texas` |" in text  # regions from the inputs
    assert "| `bain_2025` | GW |" in text  # trajectories from the inputs
    assert "yaml-language-server: $schema=" in text


def test_a_new_schema_key_appears_without_changing_the_generator():
    schema = json.loads(schema_text())
    grid = schema["$defs"]["GridConfig"]["properties"]
    grid["mode_new_thing_frac"] = {
        "anyOf": [{"type": "number", "minimum": 0, "maximum": 1}, {"type": "null"}],
        "default": None,
        "description": "A key another branch adds.",
    }
    text = render(schema=schema)
    entry = text.split("### `grid.mode_new_thing_frac`")[1].split("###")[0]
    assert "A key another branch adds." in entry
    assert "type: number or null; unit: fraction (0-1); default: none; range: 0 to 1" in entry


def test_types_and_units_in_words():
    assert unit_of("grid.max_new_connection_gw_per_yr") == "GW/yr"
    assert unit_of("supply.capex_multiplier") == "multiplier"
    trajectory = {"anyOf": [{"type": "number"}, {"type": "object",
                  "additionalProperties": {"type": "number"}}]}  # fmt: skip
    assert type_text(trajectory, {}) == "number or {year: number}"
    per_tech = {"type": "object", "additionalProperties": {"type": "number"}}
    assert type_text(per_tech, {}) == "{name: number}"


def test_the_command_writes_the_page(tmp_path):
    out = tmp_path / "reference.md"
    assert main(["--out", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == DOC.read_text(encoding="utf-8")
