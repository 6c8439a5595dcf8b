"""Scenario loading: extends, overrides, sweeps, and errors that say where and what."""

from __future__ import annotations

import sys
import textwrap
import types
from pathlib import Path

import pandas as pd
import pytest
from ruamel.yaml import YAML

import energymodel.scenario as scn
from energymodel.scenario import (
    Problem,
    ScenarioError,
    check_against_inputs,
    expand_sweeps,
    find_scenarios,
    load_scenario,
    parse_set_option,
    scenario_to_yaml,
    validate_scenario,
)
from energymodel.scenario.schema import Scenario

FIXTURES = Path(__file__).parent / "fixtures" / "scenarios"
REPO = Path(__file__).resolve().parent.parent


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def problems_of(source, **kwargs) -> list[Problem]:
    with pytest.raises(ScenarioError) as info:
        load_scenario(source, **kwargs)
    assert str(info.value) == "\n".join(str(p) for p in info.value.problems)
    assert "Traceback" not in str(info.value)
    return info.value.problems


def only(problems: list[Problem], key: str) -> Problem:
    hits = [p for p in problems if p.key == key]
    assert len(hits) == 1, f"{key} not in {[str(p) for p in problems]}"
    return hits[0]


# ------------------------------------------------------------------ extends and merging


def test_extends_chain_three_deep_merges_mappings_and_replaces_lists():
    sc = load_scenario(FIXTURES / "leaf.yaml")
    assert sc.name == "leaf"
    assert sc.description == "Three deep."
    assert sc.extends == "mid.yaml"
    assert sc.years == [2025, 2030]  # from base, two levels up
    assert sc.regions == ["us_east", "europe"]
    assert sc.prices.electricity_multiplier == 1.2  # mid over base
    assert sc.prices.gas_usd_per_mmbtu == {2025: 3.6, 2030: 4.3}  # base, kept by the merge
    assert sc.finance.wacc == 0.07  # leaf
    assert sc.finance.capex_to_revenue_frac == 0.25  # base, sibling of an overridden key
    assert sc.supply.techs == ["solar_pv"]  # lists replace, never concatenate
    assert sc.grid.max_new_connection_gw_per_yr == {"us_east": 4.0}
    assert Path(sc.inputs_dir).is_absolute()


def test_name_and_description_are_not_inherited(tmp_path):
    write(tmp_path, "parent.yaml", "name: parent\ndescription: The parent.\n")
    child = write(tmp_path, "my_child.yaml", "extends: parent\n")
    sc = load_scenario(child)
    assert sc.name == "my_child"  # the file's stem when the file gives no name
    assert sc.description == ""
    mid = load_scenario(FIXTURES / "mid.yaml")
    assert mid.description == ""  # base has one; mid does not inherit it


def test_extends_cycle_is_reported_with_the_chain(tmp_path):
    write(tmp_path, "a.yaml", "name: a\nextends: b\n")
    write(tmp_path, "b.yaml", "name: b\nyears: [2025]\nextends: a\n")
    (problem,) = problems_of(tmp_path / "a.yaml")
    assert "a -> b -> a" in str(problem)
    assert problem.file.endswith("b.yaml")
    assert problem.line == 3
    assert problem.key == "extends"


def test_extends_self_is_a_cycle(tmp_path):
    write(tmp_path, "selfish.yaml", "name: selfish\nextends: selfish\n")
    (problem,) = problems_of(tmp_path / "selfish.yaml")
    assert "selfish -> selfish" in problem.found


def test_missing_extends_target_names_file_line_and_available(tmp_path):
    write(tmp_path, "baseline.yaml", "name: baseline\n")
    write(tmp_path, "other.yaml", "name: other\n")
    path = write(tmp_path, "child.yaml", "name: child\nyears: [2025]\nextends: baselin\n")
    (problem,) = problems_of(path)
    text = str(problem)
    assert text.startswith(f"{problem.file}:3: extends: found 'baselin'")
    assert problem.file.endswith("child.yaml")
    # the file's folder, then the project's scenarios/ (as the command line)
    assert f"{tmp_path}, {REPO / 'scenarios'}" in problem.expected
    assert all(name in problem.expected for name in ("baseline", "child", "other"))
    assert problem.hint == "did you mean 'baseline'?"


def test_extends_by_relative_path(tmp_path):
    (tmp_path / "lib").mkdir()
    write(tmp_path / "lib", "_common.yaml", "finance: {wacc: 0.11}\n")
    path = write(tmp_path, "run.yaml", "name: run\nextends: lib/_common.yaml\n")
    assert load_scenario(path).finance.wacc == 0.11


def test_problem_in_a_parent_is_reported_at_the_parents_line(tmp_path):
    write(tmp_path, "parent.yaml", "name: parent\nfinance:\n  wacc: 0.09\n  wac: 0.1\n")
    child = write(tmp_path, "child.yaml", "name: child\nextends: parent\nfinance:\n  wacc: 2\n")
    problems = problems_of(child)
    typo = only(problems, "finance.wac")
    assert typo.file.endswith("parent.yaml")
    assert typo.line == 4
    too_high = only(problems, "finance.wacc")
    assert too_high.file.endswith("child.yaml")
    assert too_high.line == 4
    assert too_high.expected == "a value <= 0.5"


# ------------------------------------------------------------------------- overrides


def test_named_override_sets_apply_after_extends():
    sc = load_scenario(FIXTURES / "leaf.yaml")
    assert sc.overrides == ["coarse_time", "slow_grid"]
    assert sc.time.representative_days == 2
    assert sc.grid.connection_limit_multiplier == 0.5
    assert sc.grid.max_new_connection_gw_per_yr == {"us_east": 4.0}  # merged, not replaced


def test_unknown_override_set_suggests_a_name(tmp_path):
    write(tmp_path, "overrides.yaml", "high_gas:\n  prices: {gas_multiplier: 1.5}\n")
    path = write(tmp_path, "s.yaml", "name: s\noverrides:\n  - high_gass\n")
    (problem,) = problems_of(path)
    assert problem.key == "overrides[0]"
    assert problem.line == 3
    assert problem.hint == "did you mean 'high_gas'?"
    assert "available: high_gas" in problem.expected


def test_bad_value_in_an_override_set_points_into_overrides_yaml(tmp_path):
    write(tmp_path, "overrides.yaml", "ok: {}\nbad:\n  prices:\n    gas_multiplier: -1\n")
    path = write(tmp_path, "s.yaml", "name: s\noverrides: [bad]\n")
    (problem,) = problems_of(path)
    assert problem.file.endswith("overrides.yaml")
    assert problem.line == 4
    assert problem.key == "prices.gas_multiplier"


def test_code_overrides_apply_last_and_nest():
    sc = load_scenario(
        FIXTURES / "leaf.yaml",
        overrides={
            "finance.wacc": 0.12,
            "grid.max_new_connection_gw_per_yr.europe": 3,
            "market.price_usd_per_mtok.2030": 1.5,
            "time.representative_days": 6,  # beats the coarse_time set
        },
    )
    assert sc.finance.wacc == 0.12
    assert sc.grid.max_new_connection_gw_per_yr == {"us_east": 4.0, "europe": 3.0}
    assert sc.market.price_usd_per_mtok == {2025: 2.0, 2030: 1.5}
    assert sc.time.representative_days == 6


def test_code_override_errors_say_set_and_suggest():
    problems = problems_of(
        FIXTURES / "base.yaml",
        overrides={"finance.wacc": "high", "solver.time_limit": 5, "finance.wacc.x": 1},
    )
    assert len(problems) == 3
    bad_type = only(problems, "finance.wacc")
    assert str(bad_type) == "--set: finance.wacc: found 'high'; expected a number"
    typo = only(problems, "solver.time_limit")
    assert typo.hint == "did you mean 'time_limit_s'?"
    through = only(problems, "finance.wacc.x")
    assert "finance.wacc holds" in through.expected


def test_parse_set_option_reads_yaml_values():
    assert parse_set_option("finance.wacc=0.12") == ("finance.wacc", 0.12)
    assert parse_set_option(" time.representative_days = 8") == ("time.representative_days", 8)
    assert parse_set_option("supply.techs=[solar_pv, battery]") == (
        "supply.techs",
        ["solar_pv", "battery"],
    )
    assert parse_set_option("grid.connection_ceiling_gw={us_east: 30}") == (
        "grid.connection_ceiling_gw",
        {"us_east": 30},
    )
    assert parse_set_option("demand.unit=null") == ("demand.unit", None)
    assert parse_set_option("demand.trajectory=iea_base") == ("demand.trajectory", "iea_base")
    assert parse_set_option("description=a=b") == ("description", "a=b")


@pytest.mark.parametrize(
    ("text", "hint"),
    [("finance.wacc", "no '='"), ("=0.1", "key is empty"), ("a..b=1", "key is empty")],
)
def test_parse_set_option_errors(text, hint):
    with pytest.raises(ScenarioError) as info:
        parse_set_option(text)
    (problem,) = info.value.problems
    assert hint in problem.hint
    assert "finance.wacc=0.12" in problem.expected


def test_parse_set_option_bad_yaml():
    with pytest.raises(ScenarioError, match="--set: a: found '\\[1, 2'"):
        parse_set_option("a=[1, 2")


# ---------------------------------------------------------------------------- sweeps


def test_sweep_expands_into_the_cartesian_product_with_stable_names():
    sc = load_scenario("swept", scenarios_dir=FIXTURES)
    runs = expand_sweeps(sc)
    assert len(runs) == 3 * 2
    assert [r.name for r in runs[:2]] == [
        "swept__electricity_multiplier=0.8__wacc=0.07",
        "swept__electricity_multiplier=0.8__wacc=0.1",
    ]
    assert len({r.name for r in runs}) == 6
    last = runs[-1]
    assert last.name == "swept__electricity_multiplier=1.5__wacc=0.1"
    assert last.prices.electricity_multiplier == 1.5
    assert last.finance.wacc == 0.1
    assert last.sweep == {}
    assert last.sweep_values == {"prices.electricity_multiplier": 1.5, "finance.wacc": 0.1}
    assert last.prices.gas_usd_per_mmbtu == {2025: 3.6, 2030: 4.3}  # the rest untouched
    assert expand_sweeps(last) == [last]


def test_sweep_labels_stay_unique_and_slug_safe():
    sc = Scenario(
        name="s",
        sweep={
            "grid.max_new_connection_gw_per_yr.us_east": [1, 2],
            "grid.connection_ceiling_gw.us_east": [10],
            "market.price_usd_per_mtok": [{2025: 2, 2030: 1}],
        },
    )
    names = [r.name for r in expand_sweeps(sc)]
    assert names[0] == (
        "s__max_new_connection_gw_per_yr.us_east=1__connection_ceiling_gw.us_east=10"
        "__price_usd_per_mtok=2025-2-2030-1"
    )
    assert expand_sweeps(sc)[1].grid.max_new_connection_gw_per_yr == {"us_east": 2.0}


def test_sweep_value_of_wrong_type_names_the_sweep_key(tmp_path):
    path = write(
        tmp_path,
        "s.yaml",
        """
        name: s
        sweep:
          finance.wacc:
            - 0.07
            - lots
        """,
    )
    (problem,) = problems_of(path)
    assert problem.key == "sweep.finance.wacc[1]"
    assert problem.line == 5
    assert problem.found == "'lots'"
    assert problem.expected == "finance.wacc: a number"
    # a hand-built scenario is checked when it is expanded
    with pytest.raises(ScenarioError, match=r"finance\.wacc: a value <= 0\.5"):
        expand_sweeps(Scenario(name="s", sweep={"finance.wacc": [0.1, 0.9]}))


def test_bad_sweep_key_suggests_the_path(tmp_path):
    path = write(
        tmp_path,
        "s.yaml",
        """
        name: s
        sweep:
          prices.electricty_multiplier: [1, 2]
          name: [a, b]
          finance.wacc: []
        """,
    )
    problems = problems_of(path)
    typo = only(problems, "sweep.prices.electricty_multiplier")
    assert typo.line == 3
    assert typo.hint == "did you mean 'prices.electricity_multiplier'?"
    assert "cannot be swept" in only(problems, "sweep.name").expected
    assert only(problems, "sweep.finance.wacc").expected == "at least one value"


# ---------------------------------------------------------------------------- errors


def test_yaml_syntax_error_gives_file_line_column_and_reason(tmp_path):
    path = write(tmp_path, "broken.yaml", "name: broken\nfinance:\n  wacc: 0.1\n  bad: [1, 2\n")
    (problem,) = problems_of(path)
    assert problem.file.endswith("broken.yaml")
    assert problem.line == 5
    assert "column" in problem.found
    assert problem.expected == "valid YAML"
    assert "flow sequence" in problem.hint


def test_duplicate_key_is_a_syntax_problem(tmp_path):
    path = write(tmp_path, "dup.yaml", "name: dup\nyears: [2025]\nyears: [2030]\n")
    (problem,) = problems_of(path)
    assert problem.line == 3
    assert "duplicate key" in problem.found


def test_unknown_key_with_suggestion_and_line(tmp_path):
    path = write(
        tmp_path,
        "typo.yaml",
        """
        name: typo
        finance:
          wacc: 0.1
          capex_to_revenu_frac: 0.3
        pricez:
          electricity_multiplier: 1.0
        """,
    )
    problems = problems_of(path)
    nested = only(problems, "finance.capex_to_revenu_frac")
    assert str(nested) == (
        f"{nested.file}:4: finance.capex_to_revenu_frac: found unknown key "
        "'capex_to_revenu_frac'; expected a key of finance "
        "(did you mean 'capex_to_revenue_frac'?)"
    )
    top = only(problems, "pricez")
    assert top.line == 5
    assert top.hint == "did you mean 'prices'?"


def test_several_problems_of_one_file_at_once(tmp_path):
    path = write(
        tmp_path,
        "many.yaml",
        """
        name: Bad Name
        years: [2030, 2025]
        prices:
          electricity_multiplier: -0.5
          gas_usd_per_mmbtu: cheap
        demand:
          training_share_frac: {2025: 1.5, 2030: 0.3}
          unit: twh
        time:
          representative_days: 4.5
        """,
    )
    problems = problems_of(path)
    assert [p.line for p in problems] == [1, 2, 4, 5, 7, 8, 10]
    assert only(problems, "name").expected.startswith("'many', the file's name")
    assert only(problems, "years").expected == "increasing years without repeats"
    negative = only(problems, "prices.electricity_multiplier")
    assert (negative.found, negative.expected) == ("-0.5", "a value > 0")
    assert only(problems, "prices.gas_usd_per_mmbtu").expected == "a number or a mapping"
    share = only(problems, "demand.training_share_frac.2025")
    assert (share.found, share.expected) == ("1.5", "a value <= 1")
    assert only(problems, "demand.unit").hint == "did you mean 'TWh'?"
    assert only(problems, "time.representative_days").expected == "a whole number"


def test_wrong_type_for_a_section_and_a_bad_year_key(tmp_path):
    path = write(tmp_path, "s.yaml", "name: s\nfinance: 0.1\nmarket:\n  revenue_musd: {2200: 1}\n")
    problems = problems_of(path)
    assert only(problems, "finance").expected == "a mapping"
    year = only(problems, "market.revenue_musd.2200")
    assert (year.line, year.expected) == (4, "a key <= 2100")


def test_values_without_unit_points_at_demand(tmp_path):
    path = write(tmp_path, "s.yaml", "name: s\ndemand:\n  values: {us_east: {2025: 10}}\n")
    (problem,) = problems_of(path)
    assert (problem.key, problem.line) == ("demand", 2)
    assert "demand.unit" in problem.expected


def test_not_a_mapping_and_missing_file(tmp_path):
    path = write(tmp_path, "list.yaml", "- 1\n- 2\n")
    (problem,) = problems_of(path)
    assert "a mapping of scenario keys" in problem.expected
    (missing,) = problems_of(tmp_path / "nope.yaml")
    assert missing.found == "no such file"


def test_problem_renders_as_documented():
    p = Problem(
        "scenarios/x.yaml", 7, "finance.wac", "0.1", "a key of finance", "did you mean 'wacc'?"
    )
    assert str(p) == (
        "scenarios/x.yaml:7: finance.wac: found 0.1; expected a key of finance "
        "(did you mean 'wacc'?)"
    )
    assert str(Problem(None, None, "k", "1", "2")) == "<scenario>: k: found 1; expected 2"


# ------------------------------------------------------------- sources and discovery


def test_dict_input_and_inputs_dir(tmp_path):
    sc = load_scenario({"name": "d", "finance": {"wacc": 0.1}}, scenarios_dir=FIXTURES)
    assert sc.finance.wacc == 0.1
    assert Path(sc.inputs_dir) == (FIXTURES.parent / "inputs").resolve()
    problems = problems_of({"name": "d", "finance": {"wac": 0.1}})
    assert str(problems[0]).startswith("<dict>: finance.wac: found unknown key")
    extended = load_scenario({"name": "d", "extends": "mid"}, scenarios_dir=FIXTURES)
    assert extended.prices.electricity_multiplier == 1.2
    # the folder as text, as a notebook passes it, is a path too (was an AttributeError)
    as_text = load_scenario({"name": "d", "extends": "mid"}, scenarios_dir=str(FIXTURES))
    assert as_text.prices.electricity_multiplier == 1.2


def test_inputs_dir_is_relative_to_the_file_that_sets_it(tmp_path):
    (tmp_path / "lib").mkdir()
    write(tmp_path / "lib", "parent.yaml", "name: parent\ninputs_dir: ../data\n")
    child = write(tmp_path, "child.yaml", "name: child\nextends: lib/parent.yaml\n")
    assert load_scenario(child).inputs_dir == str((tmp_path / "data").resolve())


def test_name_lookup_and_unknown_name():
    assert load_scenario("mid", scenarios_dir=FIXTURES).name == "mid"
    (problem,) = problems_of("mdi", scenarios_dir=FIXTURES)
    assert problem.hint == "did you mean 'mid'?"
    assert "base, leaf, mid, swept" in problem.expected


def test_find_scenarios_names_globs_and_paths():
    names = [p.stem for p in find_scenarios([], FIXTURES)]
    assert names == ["base", "leaf", "mid", "swept"]  # no overrides.yaml, no _partial
    assert [p.stem for p in find_scenarios(["mid", "*e*", "base"], FIXTURES)] == [
        "mid",
        "base",
        "leaf",
        "swept",
    ]
    path = FIXTURES / "_partial.yaml"
    assert find_scenarios([str(path)], FIXTURES) == [path.resolve()]
    with pytest.raises(ScenarioError) as info:
        find_scenarios(["lef", "grid_*"], FIXTURES)
    first, second = info.value.problems
    assert first.hint == "did you mean 'leaf'?"
    assert "available: base, leaf, mid, swept" in first.expected
    assert "'grid_*'" in second.found


# ----------------------------------------------------------------------------- inputs


def fake_inputs() -> types.SimpleNamespace:
    return types.SimpleNamespace(
        regions=pd.DataFrame({"pue_ratio": [1.2, 1.3]}, index=["us_east", "europe"]),
        technologies=pd.DataFrame({"tech": ["solar_pv", "battery", "gas_ccgt"]}),
        demand=pd.DataFrame({"trajectory": ["bain_2025", "iea_base"]}),
        accelerators=pd.DataFrame({"kw_per_gpu": [1.275]}, index=["h100"]),
    )


BAD_NAMES = """
name: s
regions: [us_east, eurpoe]
demand:
  trajectory: bain
grid:
  max_new_connection_gw_per_yr: {us_east: 4, us_texas: 2}
supply:
  techs: [solar_pv, solr_pv]
"""


def test_check_against_inputs_names_what_is_missing():
    sc = load_scenario(YAML(typ="safe").load(BAD_NAMES))
    problems = check_against_inputs(sc, fake_inputs())
    assert [p.key for p in problems] == [
        "regions[1]",
        "demand.trajectory",
        "grid.max_new_connection_gw_per_yr.us_texas",
        "supply.techs[1]",
    ]
    assert problems[0].hint == "did you mean 'europe'?"
    assert "known: us_east, europe" in problems[0].expected
    assert problems[3].hint == "did you mean 'solar_pv'?"
    assert check_against_inputs(load_scenario(FIXTURES / "leaf.yaml"), fake_inputs()) == []


class FakeInputError(Exception):
    def __init__(self, problems):
        self.problems = problems
        super().__init__("\n".join(map(str, problems)))


def install_fake_inputs(monkeypatch, load):
    module = types.ModuleType("energymodel.data.tables")
    module.InputError = FakeInputError
    module.load_inputs = load
    monkeypatch.setitem(sys.modules, "energymodel.data.tables", module)


def test_validate_scenario_locates_input_problems(tmp_path, monkeypatch):
    install_fake_inputs(monkeypatch, lambda _: fake_inputs())
    path = write(tmp_path, "s.yaml", BAD_NAMES)
    problems = validate_scenario(path)
    assert [(p.key, p.line) for p in problems] == [
        ("regions[1]", 2),
        ("demand.trajectory", 4),
        ("grid.max_new_connection_gw_per_yr.us_texas", 6),
        ("supply.techs[1]", 8),
    ]
    assert all(p.file.endswith("s.yaml") for p in problems)
    assert validate_scenario(FIXTURES / "leaf.yaml") == []
    # scenario problems come back as a list too, never raised
    assert validate_scenario({"name": "s", "finance": {"wacc": -1}})[0].key == "finance.wacc"


def test_validate_scenario_turns_input_errors_into_problems(monkeypatch):
    def broken(_):
        raise FakeInputError(
            [
                "regions.csv: line 3: column value: found -5; expected a value >= 0",
                "technologies.csv: line 86: expected 6 fields (tech,year), found 1",
                "demand.csv: file not found; expected a CSV with columns a,b",
            ]
        )

    install_fake_inputs(monkeypatch, broken)
    first, second, third = validate_scenario(FIXTURES / "base.yaml")
    assert first.file.endswith("inputs/regions.csv")
    assert (first.line, first.key, first.found, first.expected) == (
        3,
        "column value",
        "-5",
        "a value >= 0",
    )
    assert (second.line, second.found, second.expected) == (86, "1", "6 fields (tech,year)")
    assert (third.line, third.found) == (None, "file not found")
    assert third.expected == "a CSV with columns a,b"


def test_validate_scenario_with_the_repository_inputs(tmp_path):
    pytest.importorskip("energymodel.data.tables")
    if not (REPO / "inputs" / "regions.csv").is_file():
        pytest.skip("no inputs/ tables yet")
    path = write(
        tmp_path, "s.yaml", BAD_NAMES.replace("name: s", f"name: s\ninputs_dir: {REPO / 'inputs'}")
    )
    problems = validate_scenario(path)
    # us_texas is a real region: only the misspelt names are reported
    assert [(p.key, p.line) for p in problems] == [
        ("regions[1]", 3),
        ("demand.trajectory", 5),
        ("supply.techs[1]", 9),
    ]
    assert validate_scenario({"name": "ok", "inputs_dir": str(REPO / "inputs")}) == []


# ---------------------------------------------------------------- schema and output


def test_schema_json_is_current():
    committed = (REPO / "scenarios" / "schema.json").read_text(encoding="utf-8")
    assert committed == scn.schema_text(), "scenarios/schema.json is stale: run `make schema`"


def test_write_schema_command(tmp_path):
    target = tmp_path / "schema.json"
    assert scn.main(["--write-schema", str(target)]) == 0
    assert target.read_text(encoding="utf-8") == scn.schema_text()


def test_scenario_to_yaml_round_trips():
    sc = load_scenario(FIXTURES / "leaf.yaml")
    text = scenario_to_yaml(sc)
    assert "# extends: mid.yaml" in text
    assert "years: [2025, 2030]" in text
    again = load_scenario(YAML(typ="safe").load(text))
    ignore = {"extends", "overrides"}
    assert again.model_dump(exclude=ignore) == sc.model_dump(exclude=ignore)


def test_repository_override_sets_are_valid():
    sets = YAML(typ="safe").load((REPO / "scenarios" / "overrides.yaml").read_text())
    for name in ("high_gas", "slow_grid", "cheap_capital", "coarse_time"):
        assert name in sets
    sc = load_scenario(
        {"name": "every_set", "overrides": list(sets)}, scenarios_dir=REPO / "scenarios"
    )
    assert sc.time.representative_days == 2


def test_code_overrides_can_name_sets_and_sweeps():
    sc = load_scenario(
        FIXTURES / "base.yaml",
        overrides={"overrides": ["high_gas"], "sweep.finance.wacc": [0.05, 0.1]},
    )
    assert sc.overrides == ["high_gas"]
    assert sc.prices.gas_multiplier == 1.5
    assert [r.finance.wacc for r in expand_sweeps(sc)] == [0.05, 0.1]
