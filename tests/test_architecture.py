"""The package follows its data flow: no module imports from a later stage.

The stages, in order (``docs/architecture.md``); a module may import from its own stage
or an earlier one, never a later one. Function-level (lazy) imports count too.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "energymodel"

STAGES: tuple[tuple[str, ...], ...] = (
    (
        "energymodel.units",
        "energymodel.finance",
        "energymodel.fileio",
        "energymodel.limits",
        "energymodel._moved",
    ),
    ("energymodel.data",),
    ("energymodel.scenario",),
    ("energymodel.params",),
    ("energymodel.model",),
    ("energymodel.solve",),
    ("energymodel.results",),
    ("energymodel.economics",),
    ("energymodel.api",),
    ("energymodel.compare",),
    ("energymodel.report",),
    ("energymodel.batch",),
)
NO_PYOMO = ("energymodel.economics", "energymodel.compare", "energymodel.report")
"""Stages after the solve that read results only: no Pyomo, no solver."""


def stage_of(module: str) -> int | None:
    """Stage index of a module of the package (None: the package root)."""
    for index, prefixes in enumerate(STAGES):
        if any(module == p or module.startswith(p + ".") for p in prefixes):
            return index
    return None


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> list[tuple[int, str]]:
    """Every module ``path`` imports (line, dotted name); ``from a import b`` gives a.b too."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
            found += [(node.lineno, f"{node.module}.{alias.name}") for alias in node.names]
    return found


MODULES = sorted(p for p in PACKAGE.rglob("*.py") if module_name(p) != "energymodel")


def test_every_module_has_a_stage() -> None:
    assert [module_name(p) for p in MODULES if stage_of(module_name(p)) is None] == []


@pytest.mark.parametrize("path", MODULES, ids=module_name)
def test_no_import_from_a_later_stage(path: Path) -> None:
    own = stage_of(module_name(path))
    assert own is not None
    later = [
        f"line {line}: {name}"
        for line, name in imports_of(path)
        if (stage := stage_of(name)) is not None and stage > own
    ]
    assert later == [], f"{module_name(path)} imports from a later stage"


@pytest.mark.parametrize(
    "path", [p for p in MODULES if module_name(p).startswith(NO_PYOMO)], ids=module_name
)
def test_results_readers_never_import_pyomo(path: Path) -> None:
    assert not [name for _, name in imports_of(path) if name.split(".")[0] in ("pyomo", "highspy")]


def test_the_check_sees_a_later_import(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("def f():\n    from energymodel.batch.cli import main\n")
    assert stage_of("energymodel.batch.cli") > stage_of("energymodel.model.compute")
    assert (2, "energymodel.batch.cli") in imports_of(bad)


def test_no_module_is_much_over_400_lines() -> None:
    long = {module_name(p): n for p in MODULES if (n := len(p.read_text().splitlines())) > 420}
    assert long == {}


@pytest.mark.parametrize("old", ["energymodel.schema", "energymodel.inputs", "energymodel.cli"])
def test_old_import_paths_still_work_with_a_warning(old: str) -> None:
    import importlib
    import sys

    from energymodel._moved import MOVED

    sys.modules.pop(old, None)
    with pytest.warns(DeprecationWarning, match=MOVED[old]):
        module = importlib.import_module(old)
    assert module is importlib.import_module(MOVED[old])


def test_names_that_left_model_terms_still_work_with_a_warning() -> None:
    from energymodel import finance
    from energymodel.model import terms

    with pytest.warns(DeprecationWarning, match="energymodel.finance"):
        assert terms.capital_recovery_factor is finance.capital_recovery_factor
