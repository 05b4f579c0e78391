"""Guards for the house rules that code review alone tends to miss (style.md §3.2, §3.8)."""

import ast
from pathlib import Path

import pytest

pytestmark = [pytest.mark.unit]

SRC = Path(__file__).resolve().parent.parent / "src" / "ocop"
# Public reference data (the unit browser) and the national audit log are the only views that may
# read a model manager directly; everything else starts from a "*_for_user" selector.
UNSCOPED_ALLOWED = {"geography/views.py", "core/views.py", "dashboard/views.py"}
LAYER = {
    "enums": 0,
    "rules": 0,
    "validators": 0,
    "signals": 0,
    "tasks": 0,
    "models": 1,
    "selectors": 2,
    "services": 2,
    "forms": 3,
    "filters": 3,
    "tables": 3,
    "views": 4,
    "urls": 4,
}


def _python_files(name: str):
    return sorted(SRC.glob(f"*/{name}.py"))


def test_views_never_read_a_model_manager_directly():
    offenders = []
    for path in _python_files("views"):
        relative = path.relative_to(SRC).as_posix()
        if relative in UNSCOPED_ALLOWED:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr == "objects":
                offenders.append(f"{relative}:{node.lineno}")
    assert offenders == []


@pytest.mark.parametrize("module", sorted(LAYER))
def test_modules_import_only_lower_layers_at_module_level(module):
    offenders = []
    for path in _python_files(module):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:  # module level only; deferred imports carry a reason comment
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("ocop."):
                parts = node.module.split(".")
                target = parts[2] if len(parts) > 2 else ""
                if target in LAYER and LAYER[target] > LAYER[module]:
                    offenders.append(f"{path.relative_to(SRC)}:{node.lineno} imports {node.module}")
    assert offenders == []
