"""Each app's modules form layers: no module imports its way back to itself (docs/design.md).

Every import counts, also one written inside a function: a deferred import hides a loop from
Python at start-up, not from the next reader. So a service that queues its own task imports
the task module where it queues it, and the task module sits between the service that queues
and the one it runs (``workspace.services.exports`` → ``workspace.tasks`` →
``workspace.services.export_files``). Imports under ``if TYPE_CHECKING:`` do count too.
"""

import ast
from pathlib import Path

import pytest
from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)
APPS = sorted(path.parent.name for path in BASE_DIR.glob("*/apps.py"))
PACKAGES = [*APPS, "config"]


def _module_names(package: str) -> dict[str, Path]:
    modules = {}
    for path in (BASE_DIR / package).rglob("*.py"):
        if "migrations" in path.parts:
            continue
        parts = path.relative_to(BASE_DIR).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        modules[".".join(parts)] = path
    return modules


def _imported_names(module: str, path: Path) -> set[str]:
    """Every module (or ``module.name``) this file imports, wherever the import stands."""
    names: set[str] = set()
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package[: len(package) - (node.level - 1)]
                base = ".".join([*parent, *([node.module] if node.module else [])])
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


def import_graph(package: str) -> dict[str, set[str]]:
    """Module → the modules of the same package it imports."""
    modules = _module_names(package)
    return {
        module: {name for name in _imported_names(module, path) if name in modules} - {module}
        for module, path in modules.items()
    }


def find_loop(graph: dict[str, set[str]]) -> list[str] | None:
    """One import loop as ``[a, b, …, a]``, or None when the modules form layers."""
    state: dict[str, str] = {}
    trail: list[str] = []

    def visit(module: str) -> list[str] | None:
        state[module] = "open"
        trail.append(module)
        for imported in sorted(graph[module]):
            if state.get(imported) == "open":
                return [*trail[trail.index(imported) :], imported]
            if imported not in state and (loop := visit(imported)):
                return loop
        state[module] = "done"
        trail.pop()
        return None

    for module in sorted(graph):
        if module not in state and (loop := visit(module)):
            return loop
    return None


@pytest.mark.parametrize("package", PACKAGES)
def test_the_modules_of_each_app_import_in_layers(package: str) -> None:
    loop = find_loop(import_graph(package))

    assert loop is None, (
        f"Import loop in {package}: {' → '.join(loop)}. Move what the lower module needs into "
        "a module below both (as notifications.message_ids), or split the module so that what "
        "a task runs sits below the task (as workspace.services.export_files); docs/design.md."
    )


def test_an_import_inside_a_function_counts(tmp_path: Path) -> None:
    path = tmp_path / "outbox.py"
    path.write_text("def enqueue():\n    from app.tasks import send\n    send.delay()\n")

    assert {"app.tasks", "app.tasks.send"} <= _imported_names("app.outbox", path)


def test_a_loop_is_named_module_by_module() -> None:
    graph = {"a.outbox": {"a.tasks"}, "a.tasks": {"a.sending"}, "a.sending": {"a.outbox"}}

    assert find_loop(graph) == ["a.outbox", "a.tasks", "a.sending", "a.outbox"]
    graph["a.sending"] = set()
    assert find_loop(graph) is None
