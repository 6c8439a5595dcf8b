"""Stage 2, the scenario: YAML files (or dicts) in, one validated :class:`Scenario` out.

- :mod:`~energymodel.scenario.schema`: every knob, its type, range and default (pydantic);
- :mod:`~energymodel.scenario.resolve`: reading YAML with line numbers, ``extends``,
  override sets, ``--set`` values;
- :mod:`~energymodel.scenario.validate`: schema errors -> problems at their file and line;
- :mod:`~energymodel.scenario.problems`: the :class:`Problem` / :class:`ScenarioError` types;
- :mod:`~energymodel.scenario.against_inputs`: checks of a scenario against the input
  tables (regions, technologies, trajectories it names);
- :mod:`~energymodel.scenario.load`: the public functions below.
"""

from energymodel.scenario.load import (
    Problem,
    ScenarioError,
    check_against_inputs,
    expand_sweeps,
    find_scenarios,
    load_scenario,
    main,
    parse_set_option,
    scenario_to_yaml,
    schema_text,
    validate_scenario,
    write_json_schema,
)
from energymodel.scenario.schema import COMPONENTS, DEFAULT_REGIONS, WORKLOADS, Scenario

__all__ = [
    "COMPONENTS",
    "DEFAULT_REGIONS",
    "WORKLOADS",
    "Problem",
    "Scenario",
    "ScenarioError",
    "check_against_inputs",
    "expand_sweeps",
    "find_scenarios",
    "load_scenario",
    "main",
    "parse_set_option",
    "scenario_to_yaml",
    "schema_text",
    "validate_scenario",
    "write_json_schema",
]
