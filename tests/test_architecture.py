"""The layers point one way (docs/architecture.md), and no import hides inside a function
to dodge a cycle.

1. The import-linter contracts of pyproject.toml (``[tool.importlinter]``: project shell
   -> features -> subject apps -> content core), the same check as ``make lint``.
2. A scan of every app package named there (migrations aside) for ``import`` statements
   inside a function or method: each must be allowed below, with its reason.
"""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

import pytest
from importlinter.cli import lint_imports

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "pyproject.toml"
APP_PACKAGES = tomllib.loads(CONFIG.read_text())["tool"]["importlinter"]["root_packages"]

# Heavy libraries loaded only by what needs them (an export, a report), so that every
# other request and command starts without them: WeasyPrint (PDF, with pango under it),
# python-pptx, python-docx and Pillow.
LAZY_LIBRARIES = frozenset({"weasyprint", "pptx", "docx", "PIL"})

# Functions whose imports are Django's own rule, not a dodge: an AppConfig's ``ready()``
# runs once the app registry is ready, where signal handlers are connected and jobs,
# report sections and the search engine are registered.
READY_METHODS = frozenset({"ready"})  # AppConfig.ready, in apps.py or security_apps.py

# Anything else, one line each: (file, imported module) -> why it must stay in a function.
ALLOWED: dict[tuple[str, str], str] = {
    # PEP 562 lazy attribute: the runner uses the scheduling models, which do not exist yet
    # while the apps load and call schedule(); its names are looked up when first used.
    ("scheduling/__init__.py", "."): "the runner needs loaded models",
}


def _function_level_imports(path: Path) -> list[tuple[str, str, int]]:
    """(enclosing function, imported module, line) for every import inside a function."""
    tree = ast.parse(path.read_text(), filename=str(path))
    found = []

    def visit(node: ast.AST, function: str | None) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                visit(child, child.name)
                continue
            if function is not None and isinstance(child, ast.Import):
                found.extend((function, alias.name, child.lineno) for alias in child.names)
            elif function is not None and isinstance(child, ast.ImportFrom):
                module = "." * child.level + (child.module or "")
                found.append((function, module, child.lineno))
            visit(child, function)

    visit(tree, None)
    return found


def _is_allowed(relative: str, function: str, module: str) -> bool:
    if module.split(".")[0] in LAZY_LIBRARIES:
        return True
    if function in READY_METHODS:
        return True
    return (relative, module) in ALLOWED


def function_level_import_offences(root: Path = ROOT) -> list[str]:
    offences = []
    for package in APP_PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            relative = path.relative_to(root).as_posix()
            if "/migrations/" in relative:
                continue
            for function, module, line in _function_level_imports(path):
                if not _is_allowed(relative, function, module):
                    offences.append(f"{relative}:{line} in {function}(): import of {module}")
    return offences


def test_the_layers_contract_holds(capsys):
    """An app imports only from its own layer and the layers below it."""
    status = lint_imports(config_filename=str(CONFIG), no_cache=True, no_logo=True)
    report = capsys.readouterr().out
    assert status == 0, report


def test_no_import_hides_in_a_function():
    offences = function_level_import_offences()
    assert offences == [], (
        "Import at module level (a cycle means a layer is wrong: see docs/architecture.md), "
        "or add it to tests/test_architecture.py with its reason:\n" + "\n".join(offences)
    )


@pytest.mark.parametrize(
    ("source", "allowed"),
    [
        ("def f():\n    from weasyprint import HTML\n", True),
        ("def f():\n    from search.services import search\n", False),
        ("class C:\n    def m(self):\n        import json\n", False),
        ("import json\n\ndef f():\n    return json\n", True),
    ],
)
def test_the_scan_finds_imports_inside_functions(tmp_path, source, allowed):
    """The scan itself: a lazy heavy library passes, anything else inside a function or a
    method is reported, a module-level import is not looked at."""
    package = tmp_path / APP_PACKAGES[0]
    package.mkdir()
    (package / "views.py").write_text(source)
    assert (function_level_import_offences(tmp_path) == []) is allowed
