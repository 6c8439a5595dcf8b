"""``docs/scenario-reference.md``: every scenario key, generated from the schema.

The page is written from the scenario JSON schema (:func:`energymodel.scenario.schema_text`,
the same text as ``scenarios/schema.json``), the shipped scenarios (for real examples)
and the input tables (regions, demand trajectories, technologies, accelerator
generations), so it cannot drift from the code: ``tests/test_scenario_reference.py``
fails when the committed page differs from a fresh one. A key added to the schema
appears here with its type, unit, default, range and description without any change to
this module. Regenerate with ``make scenario-reference``, or::

    python -m energymodel.report.scenario_reference --out docs/scenario-reference.md
"""

from __future__ import annotations

import argparse
import json
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from energymodel.data.tables import Inputs, load_inputs
from energymodel.params.world_share import WORLD_LIMITS
from energymodel.report.reference_inputs import inputs_section
from energymodel.scenario.load import SCHEMA_PATH, schema_text

logger = logging.getLogger(__name__)

PROJECT = SCHEMA_PATH.parents[1]
OUT = PROJECT / "docs" / "scenario-reference.md"
SCENARIOS = PROJECT / "scenarios"
INPUTS = PROJECT / "inputs"

UNITS: tuple[tuple[str, str], ...] = (
    ("_gw_per_yr", "GW/yr"),
    ("_usd_per_kw_yr", "$/kW/yr"),
    ("_usd_per_kw", "$/kW (= M$/GW)"),
    ("_usd_per_mwh", "$/MWh"),
    ("_usd_per_mmbtu", "$/MMBtu (HHV)"),
    ("_usd_per_mtok", "$ per million tokens"),
    ("_usd_per_tco2", "$/tCO2"),
    ("_tok_per_kwh", "tokens/kWh"),
    ("_mtco2", "MtCO2/yr"),
    ("_musd", "M$/yr"),
    ("_gw", "GW"),
    ("_twh", "TWh/yr"),
    ("_frac", "fraction (0-1)"),
    ("_ratio", "ratio"),
    ("_multiplier", "multiplier"),
    ("_yr", "years"),
    ("_year", "calendar year"),
    ("_h", "hours"),
    ("_s", "seconds"),
    ("_hours", "hours"),
)
"""Unit of a key by its name's ending (the naming rule: every quantity states its unit)."""
FALLBACK: dict[str, str] = {
    "name": "The run's name: the file's name (leave it out, or give the same name).",
    "description": "What the scenario asks, in words; shown in the report and the docs.",
    "regions": "Regions modelled (names in `inputs/regions.csv`, listed below). World-wide "
    "limits are apportioned to them (see World-wide limits).",
}
"""Descriptions of keys whose schema field has none."""
SKIPPED = ("sweep_values", "sample", "sample_values")
"""Keys the program sets on the runs it fans out; not for scenario files."""


NAMED_UNITS = {"wacc": "fraction (0-1) a year", "efficiency_multiplier": "multiplier"}
"""Units of the few keys whose name carries no suffix."""


def unit_of(key: str) -> str:
    """The unit a key's name states (``""`` when it states none)."""
    name = key.rsplit(".", 1)[-1]
    if name in NAMED_UNITS:
        return NAMED_UNITS[name]
    for suffix, unit in UNITS:
        if name.endswith(suffix):
            return unit
    return ""


def _section(prop: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any] | None:
    """The definition a property refers to when it is a section (an object with keys)."""
    for part in [prop, *prop.get("anyOf", [])]:
        ref = part.get("$ref", "")
        if ref.startswith("#/$defs/") and "properties" in defs[ref.removeprefix("#/$defs/")]:
            return defs[ref.removeprefix("#/$defs/")]
    return None


def keys(schema: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any], str]]:
    """Every key of the schema, depth first: ``(dotted key, its schema, section title)``."""
    defs = schema.get("$defs", {})

    def walk(props: dict[str, Any], prefix: str, title: str) -> Iterator[tuple[str, dict, str]]:
        for name, prop in props.items():
            key = f"{prefix}{name}"
            if key in SKIPPED:
                continue
            section = _section(prop, defs)
            if section is not None and name != "uncertain":
                yield from walk(section["properties"], f"{key}.", key)
            else:
                yield key, prop, title

    top = {k: v for k, v in schema["properties"].items() if _section(v, defs) is None}
    yield from walk(top, "", "scenario")
    for name, prop in schema["properties"].items():
        section = _section(prop, defs)
        if section is not None and name != "uncertain":
            yield from walk(section["properties"], f"{name}.", name)
    if "uncertain" in schema["properties"]:
        yield "uncertain", schema["properties"]["uncertain"], "uncertain"


def type_text(prop: dict[str, Any], defs: dict[str, Any]) -> str:
    """A schema type in words: ``number or {year: number}``, ``one of a, b``, ..."""
    if "$ref" in prop:
        target = defs.get(prop["$ref"].removeprefix("#/$defs/"), {})
        if "properties" in target:
            return "a block of its own keys (below or in the README)"
        return type_text(target, defs)
    if "enum" in prop:
        return "one of " + ", ".join(f"`{v}`" for v in prop["enum"])
    if "const" in prop:
        return f"`{prop['const']}`"
    if "anyOf" in prop:
        number = any(p.get("type") in ("number", "integer") for p in prop["anyOf"])
        parts = [
            "{year: number}" if number and _is_number_map(p) else type_text(p, defs)
            for p in prop["anyOf"]
            if p.get("type") != "null"
        ]
        text = " or ".join(dict.fromkeys(parts))
        return text + (" or null" if any(p.get("type") == "null" for p in prop["anyOf"]) else "")
    kind = prop.get("type")
    if kind == "array":
        return f"list of {type_text(prop.get('items', {}), defs)}"
    if kind == "object":
        values = prop.get("additionalProperties")
        if isinstance(values, dict):
            names = prop.get("propertyNames", {}).get("enum")
            key = "|".join(str(n) for n in names) if names else "name"
            return f"{{{key}: {type_text(values, defs)}}}"
        return "mapping"
    return {
        "number": "number",
        "integer": "integer",
        "string": "text",
        "boolean": "true/false",
    }.get(str(kind), str(kind or "any"))


def _is_number_map(prop: dict[str, Any]) -> bool:
    """A ``{year: number}`` trajectory: an object of numbers with free keys."""
    values = prop.get("additionalProperties")
    return (
        prop.get("type") == "object"
        and isinstance(values, dict)
        and values.get("type") in ("number", "integer")
        and "propertyNames" not in prop
    )


def range_text(prop: dict[str, Any]) -> str:
    """The allowed range of a key's numbers (the first bounded number found), or ``""``."""
    stack = [prop]
    while stack:
        p = stack.pop(0)
        low = p.get("minimum", p.get("exclusiveMinimum"))
        high = p.get("maximum", p.get("exclusiveMaximum"))
        if low is not None or high is not None:
            left = "" if low is None else ("> " if "exclusiveMinimum" in p else "") + f"{low:g}"
            right = "" if high is None else ("< " if "exclusiveMaximum" in p else "") + f"{high:g}"
            if low is not None and high is not None:
                return f"{left} to {right}"
            return (
                f">= {left}"
                if low is not None and not left.startswith(">")
                else left or (f"<= {right}")
            )
        stack += list(p.get("anyOf", [])) + [
            v
            for k, v in p.items()
            if k in ("items", "additionalProperties") and isinstance(v, dict)
        ]
    return ""


def _inline(value: Any) -> str:
    """A value as one line of YAML flow style."""
    return json.dumps(value, ensure_ascii=False).replace('"', "")


def default_text(prop: dict[str, Any], section: str = "") -> str:
    """A key's default: the value, or what ``null`` means for it (``section``: the
    description of its section, e.g. "``None`` takes ``inputs/hardware.csv``")."""
    if "default" not in prop:
        return "required"
    value = prop["default"]
    if value is None:
        described = f"{prop.get('description', '')} {section}"
        from_inputs = any(w in described for w in ("inputs/", ".csv", "the table", "from inputs"))
        return "none: from `inputs/`" if from_inputs else "none"
    if value in ({}, [], ""):
        return "none (empty)"
    return f"`{_inline(value)}`"


def scenario_examples(folder: Path) -> dict[str, tuple[Any, str]]:
    """The first value each dotted key takes in the shipped scenarios, with the file."""
    out: dict[str, tuple[Any, str]] = {}
    yaml = YAML(typ="safe")

    for path in sorted(folder.glob("*.yaml")):
        data = yaml.load(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict):
            continue
        file = f"scenarios/{path.name}"
        for key, value in data.items():
            out.setdefault(str(key), (value, file))
            if isinstance(value, dict):  # a section: its keys one level down
                for inner, v in value.items():
                    out.setdefault(f"{key}.{inner}", (v, file))
    return out


def _example(key: str, prop: dict[str, Any], examples: dict[str, tuple[Any, str]]) -> str:
    if key in examples:
        value, file = examples[key]
        text = _inline(value)
        if len(text) > 90:
            text = text[:87] + "..."
        return f"`{key.rsplit('.', 1)[-1]}: {text}` ({file})"
    default = prop.get("default")
    if default not in (None, {}, []):
        return f"`{key.rsplit('.', 1)[-1]}: {_inline(default)}` (the default)"
    return ""


def _describe(key: str, prop: dict[str, Any]) -> str:
    text = " ".join(str(prop.get("description", "")).split()) or FALLBACK.get(key, "")
    return text.replace("``", "`") or "(no description)"


def key_entries(schema: dict[str, Any], examples: dict[str, tuple[Any, str]]) -> list[str]:
    """The Markdown of every key, grouped by section."""
    defs = schema.get("$defs", {})
    sections = {
        name: str(section.get("description", ""))
        for name, prop in schema["properties"].items()
        if (section := _section(prop, defs)) is not None
    }
    lines: list[str] = []
    current = None
    for key, prop, title in keys(schema):
        if title != current:
            current = title
            lines += ["", f"## `{title}`" if title != "scenario" else "## Top level", ""]
        facts = [f"type: {type_text(prop, defs)}"]
        if unit := unit_of(key):
            facts.append(f"unit: {unit}")
        facts.append(f"default: {default_text(prop, sections.get(title, ''))}")
        if rng := range_text(prop):
            facts.append(f"range: {rng}")
        lines += [f"### `{key}`", "", _describe(key, prop), "", "- " + "; ".join(facts)]
        if example := _example(key, prop, examples):
            lines.append(f"- example: {example}")
        lines.append("")
    return lines


def world_limits_section() -> list[str]:
    """The world-wide limits and how a scenario with fewer regions gets its share."""
    names = {
        "it_max_build_gw_per_yr": "`hardware.max_build_gw_per_yr` (inputs: `hardware.csv`)",
        "max_build_gw_per_yr": "`supply.max_build_gw_per_yr` (inputs: `technologies.csv`)",
        "emissions_cap_mtco2": "`policy.emissions_cap_mtco2`",
    }
    return [
        "## World-wide limits",
        "",
        "These limits are world-wide: "
        + ", ".join(names.get(p, f"`{p}`") for p in WORLD_LIMITS)
        + ". A scenario that models only some regions gets their share of world demand in "
        "its `demand.trajectory` (`inputs/demand.csv`), year by year, of each limit (the "
        "parameter `world_share_frac`; the run logs it and keeps it in the results' "
        "`world_limits` attribute). With every region modelled the limits apply as given.",
    ]


def baseline_section(folder: Path) -> list[str]:
    """What ``scenarios/baseline.yaml`` changes from the schema's defaults."""
    path = folder / "baseline.yaml"
    if not path.exists():
        return []
    data = YAML(typ="safe").load(path.read_text(encoding="utf-8")) or {}
    lines = [
        "## What `baseline` sets",
        "",
        (
            "Every shipped scenario `extends: baseline`; the baseline differs from the defaults "
            "above in:"
        ),
        "",
    ]
    for key, value in data.items():
        if key in ("name", "description"):
            continue
        lines.append(f"- `{key}: {_inline(value)}`")
    return lines


def render(
    schema: dict[str, Any] | None = None,
    inputs: Inputs | None = None,
    scenarios: Path = SCENARIOS,
) -> str:
    """The whole page as Markdown.

    Parameters
    ----------
    schema
        The scenario JSON schema (default: the package's, as in ``scenarios/schema.json``).
    inputs
        The input tables (default: the project's ``inputs/``).
    scenarios
        Folder of the shipped scenarios (examples, the baseline).
    """
    schema = schema if schema is not None else json.loads(schema_text())
    inputs = inputs if inputs is not None else load_inputs(INPUTS)
    lines = [
        "# Scenario reference",
        "",
        (
            "<!-- generated by energymodel.report.scenario_reference (make scenario-reference); "
            "do not edit by hand -->"
        ),
        "",
        (
            "Every key a scenario file may set, generated from the schema "
            "(`energymodel/scenario/schema.py`, exported to `scenarios/schema.json`). A scenario "
            "holds only what differs from these defaults; `null` (none) takes the value from "
            "the input tables in `inputs/`. Year trajectories (`{year: number}`) are linear "
            "between the years given and flat outside them. Keys are written nested in YAML "
            "(`hardware: {max_build_gw_per_yr: 40}`) or dotted in `--set` and `sweep:` "
            "(`hardware.max_build_gw_per_yr=40`)."
        ),
        "",
        (
            "Editor completion and checks: add this first line to a scenario file (VS Code with "
            "the YAML extension, or any editor using yaml-language-server):"
        ),
        "",
        "```yaml",
        "# yaml-language-server: $schema=./schema.json",
        "```",
        "",
        (
            "(the path is relative to the scenario file; from another folder give the path or URL "
            "of `scenarios/schema.json`)."
        ),
        "",
        *world_limits_section(),
        "",
        *baseline_section(scenarios),
        *key_entries(schema, scenario_examples(scenarios)),
        *inputs_section(inputs),
    ]
    text = "\n".join(lines)
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    return text.rstrip() + "\n"


def main(argv: list[str] | None = None) -> int:
    """Write the page (``--out``, default ``docs/scenario-reference.md``)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--inputs", type=Path, default=INPUTS)
    parser.add_argument("--scenarios", type=Path, default=SCENARIOS)
    args = parser.parse_args(argv)
    text = render(inputs=load_inputs(args.inputs), scenarios=args.scenarios)
    args.out.write_text(text, encoding="utf-8")
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    logger.info("wrote %s", args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
