"""The engine is pure: nothing in conversations/ reaches for Telegram, the database or the web."""

import ast
import json
import subprocess
import sys
from pathlib import Path

import conversations

FORBIDDEN = ("telegram", "sqlalchemy", "aiohttp", "storage", "bot")
PACKAGE = Path(conversations.__file__).parent
MODULES = sorted(PACKAGE.rglob("*.py"))


def imported_names(path: Path) -> set[str]:
    """Every top-level package a module imports, wherever in the module the import is."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_the_package_has_the_modules_the_engine_is_built_from():
    names = {path.stem for path in MODULES}
    assert {"engine", "journey", "render", "state", "loader", "window", "terminal"} <= names


def test_no_module_of_the_engine_imports_telegram_the_database_or_the_web():
    problems = [
        f"{path.relative_to(PACKAGE)} imports {', '.join(sorted(found))}"
        for path in MODULES
        if (found := imported_names(path) & set(FORBIDDEN))
    ]
    assert not problems, "\n".join(problems)


def test_importing_every_engine_module_loads_no_telegram_database_or_web_package():
    modules = [f"conversations.{path.stem}" for path in MODULES if path.stem != "__init__"]
    program = (
        "import importlib, json, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "print(json.dumps(sorted({name.split('.')[0] for name in sys.modules})))\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, timeout=30, check=True
    )
    loaded = set(json.loads(run.stdout))
    assert "conversations" in loaded
    assert loaded.isdisjoint(FORBIDDEN)
