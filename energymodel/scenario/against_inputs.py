"""Check a scenario against the input tables: names it uses that the inputs lack.

Also turns the problems of an :class:`energymodel.data.tables.InputError` (``file: line N:
...`` text) into located :class:`~energymodel.scenario.problems.Problem` objects.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from energymodel.scenario.problems import Path_, Problem, did_you_mean, display_path, dotted_key
from energymodel.scenario.schema import Scenario


def input_checks(sc: Scenario, inputs: Any) -> list[tuple[Path_, str, str, str]]:
    regions = [str(r) for r in inputs.regions.index]
    techs = sorted({str(t) for t in inputs.technologies["tech"]})
    trajectories = sorted({str(t) for t in inputs.demand["trajectory"]})
    out: list[tuple[Path_, str, str, str]] = []

    def check(path: Path_, name: Any, known: list[str], what: str) -> None:
        if str(name) not in known:
            expected = f"{what} (known: {', '.join(known)})"
            out.append((path, repr(name), expected, did_you_mean(name, known)))

    region, tech = "a region of the inputs' regions.csv", "a technology of technologies.csv"
    for i, name in enumerate(sc.regions):
        check(("regions", i), name, regions, region)
    for i, name in enumerate(sc.demand.training_regions or []):
        check(("demand", "training_regions", i), name, regions, region)
    if sc.demand.values is None:
        check(("demand", "trajectory"), sc.demand.trajectory, trajectories, "a demand trajectory")
        rows = inputs.demand[inputs.demand["trajectory"] == sc.demand.trajectory]
        table_unit = str(rows["unit"].iloc[0]) if len(rows) and "unit" in rows else None
        if sc.demand.unit is not None and table_unit and sc.demand.unit != table_unit:
            # the unit belongs to the table's rows; it applies only to inline values
            expected = (
                f"{table_unit!r}, the unit of trajectory {sc.demand.trajectory} in demand.csv"
            )
            out.append((("demand", "unit"), repr(sc.demand.unit), expected, ""))
    by_region: dict[Path_, Mapping[str, Any]] = {
        ("demand", "values"): sc.demand.values or {},
        ("demand", "region_scale"): sc.demand.region_scale,
        ("grid", "max_new_connection_gw_per_yr"): sc.grid.max_new_connection_gw_per_yr,
        ("grid", "connection_ceiling_gw"): sc.grid.connection_ceiling_gw,
        ("grid", "existing_connection_gw"): sc.grid.existing_connection_gw,
        ("grid", "mode"): sc.grid.mode if isinstance(sc.grid.mode, dict) else {},
        ("grid", "reserve_margin_frac"): sc.grid.reserve_margin_frac,
        ("grid", "requirement_basis"): sc.grid.requirement_basis,
        ("grid", "carbon_price_usd_per_tco2"): sc.grid.carbon_price_usd_per_tco2,
        ("grid", "clean_standard_frac"): sc.grid.clean_standard_frac,
        ("grid", "coal_retirement_year"): sc.grid.coal_retirement_year,
        ("grid", "other_load_multiplier"): sc.grid.other_load_multiplier,
        ("grid", "network_adder_usd_per_mwh"): sc.grid.network_adder_usd_per_mwh,
        ("policy", "committed_it_capacity_gw"): sc.policy.committed_it_capacity_gw,
        ("hardware", "existing_it_capacity_gw"): sc.hardware.existing_it_capacity_gw,
    }
    for path, mapping in by_region.items():
        for name in mapping:
            check((*path, name), name, regions, region)
    hw, table = sc.hardware, [str(a) for a in inputs.accelerators.index]
    for i, name in enumerate(hw.accelerators or []):
        check(("hardware", "accelerators", i), name, table, "a generation of accelerators.csv")
    listed = [str(a) for a in hw.accelerators or []]
    for attr in ("accelerator_available_from_year", "accelerator_life_yr"):
        for name in getattr(hw, attr):
            check(("hardware", attr, name), name, listed, "a generation of hardware.accelerators")
    for i, name in enumerate(sc.supply.techs or []):
        check(("supply", "techs", i), name, techs, tech)
    for attr in (
        "max_build_gw_per_yr",
        "available_from_year",
        "capex_multiplier",
        "life_yr",
        "fom_usd_per_kw_yr",
        "firm_credit_frac",
    ):
        for name in getattr(sc.supply, attr) or {}:
            check(("supply", attr, name), name, techs, tech)
    return out


def check_against_inputs(sc: Scenario, inputs: Any) -> list[Problem]:
    """Regions, technologies and demand trajectories the scenario names but inputs lack.

    Parameters
    ----------
    sc
        A resolved scenario.
    inputs
        An :class:`energymodel.data.tables.Inputs` (``regions`` indexed by region,
        ``technologies`` with a ``tech`` column, ``demand`` with a ``trajectory`` column).

    Returns
    -------
    list of Problem
        Empty when everything named exists. Without file and line (see
        :func:`validate_scenario` for located problems).
    """
    dump = sc.model_dump()
    return [
        Problem(None, None, dotted_key(path, dump), found, expected, hint)
        for path, found, expected, hint in input_checks(sc, inputs)
    ]


_INPUT_LINE = re.compile(
    r"^(?P<file>[^:\s]+\.csv): (?:line (?P<line>\d+): )?(?P<rest>.*)$", re.DOTALL
)
_EXPECTED_FOUND = re.compile(r"^expected (?P<exp>.*), found (?P<found>[^,]*)$", re.DOTALL)
_FOUND_EXPECTED = re.compile(
    r"^(?:(?P<key>[^:;]+): )?found (?P<found>.*?); expected (?P<exp>.*)$", re.DOTALL
)


def _input_problem(text: str, inputs_dir: Path) -> Problem:
    """Turn one of ``InputError.problems`` (``file: line N: ...``) into a Problem."""
    file, line, rest = display_path(inputs_dir), None, text
    rest = rest.removeprefix(f"{inputs_dir}: ")
    if m := _INPUT_LINE.match(text):
        file = display_path(inputs_dir / m["file"])
        line = int(m["line"]) if m["line"] else None
        rest = m["rest"]
    if m := _FOUND_EXPECTED.match(rest):
        return Problem(file, line, m["key"] or "", m["found"], m["exp"])
    if m := _EXPECTED_FOUND.match(rest):
        return Problem(file, line, "", m["found"], m["exp"])
    found, _, expected = rest.partition("; expected ")
    return Problem(file, line, "", found, expected or "valid input tables")


def input_error_problems(err: Exception, inputs_dir: Path) -> list[Problem]:
    items = getattr(err, "problems", None)
    if not isinstance(items, list) or not items:
        items = [str(err)]
    return [
        item if isinstance(item, Problem) else _input_problem(str(item), inputs_dir)
        for item in items
    ]
