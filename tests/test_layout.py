"""The layout a newcomer is promised in docs/architecture.md, held by the code itself.

The domain (services, catalog, handouts, scoping, demo data) never imports Flask or click, and
no module imports another that imports it back (a cycle makes the import order matter). The
pages' blueprints and planner.web import each other by Flask's design and are left out.
Relative imports (only catalog/figure/ uses them) count as the modules they name.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PLANNER = Path(__file__).resolve().parent.parent / "planner"
WEB_FRAMEWORK = ("flask", "flask_login", "flask_wtf", "flask_babel", "flask_limiter", "click", "werkzeug", "wtforms")
DOMAIN = ["services", "catalog", "handouts", "scoping.py", "demo.py", "backup.py", "dosage.py", "mail.py"]


def module_name(path: Path) -> str:
    parts = path.relative_to(PLANNER.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path, modules: frozenset[str] = frozenset()) -> set[str]:
    """Every module the file imports, at the top or inside a function, as dotted names.

    `from package import module` counts as importing that module (of `modules`), not the package;
    a relative import counts as the absolute name it stands for.
    """
    package = module_name(path).split(".") if path.name == "__init__.py" else module_name(path).split(".")[:-1]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and (node.module or node.level):
            base = ".".join(package[: len(package) - node.level + 1]) if node.level else ""
            module = ".".join(part for part in (base, node.module or "") if part)
            names = {f"{module}.{a.name}" for a in node.names}
            found |= names & modules or {module}
            found |= {module} if names - modules else set()
    return found


def domain_files() -> list[Path]:
    files = []
    for part in DOMAIN:
        target = PLANNER / part
        files += sorted(target.rglob("*.py")) if target.is_dir() else [target]
    return files


@pytest.mark.parametrize("path", domain_files(), ids=lambda p: str(p.relative_to(PLANNER)))
def test_the_domain_never_imports_the_web_framework(path):
    framework = {name for name in imports(path) if name.split(".")[0] in WEB_FRAMEWORK}
    assert not framework, f"{path.relative_to(PLANNER)} imports {sorted(framework)}: pass plain values instead"


def test_no_module_imports_itself_back():
    modules = {module_name(p): p for p in PLANNER.rglob("*.py")}
    known = frozenset(modules)
    # The factory (planner/__init__.py) imports every part inside create_app, by design.
    left_out = ("planner.web", "planner")
    graph = {
        name: {m for m in imports(path, known) if m in modules and m != name and m not in left_out}
        for name, path in modules.items()
        if not name.startswith("planner.web") and name != "planner"
    }
    cycles = []
    for start in graph:  # a depth-first walk from each module back to itself
        stack, seen = [(start, (start,))], set()
        while stack:
            name, trail = stack.pop()
            for nxt in graph.get(name, ()):
                if nxt == start:
                    cycles.append(" -> ".join((*trail, start)))
                elif nxt not in seen:
                    seen.add(nxt)
                    stack.append((nxt, (*trail, nxt)))
    assert not cycles, "import cycles:\n" + "\n".join(sorted(cycles)[:10])


def _routes_module(path: Path) -> bool:
    """Whether the module makes or fills a blueprint: a Blueprint(...) call, or a view decorated
    by a blueprint's route (`@bp.get(...)`, `@bp.route(...)`, a template global of one)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "Blueprint":
            return True
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for d in node.decorator_list:
                target = d.func if isinstance(d, ast.Call) else d
                if (
                    isinstance(target, ast.Attribute)
                    and isinstance(target.value, ast.Name)
                    and target.value.id.endswith("bp")
                ):
                    return True
    return False


def test_a_web_feature_imports_no_other_feature_s_routes():
    """A folder per feature under planner/web/ (docs/architecture.md): what two features share is a
    service or a shared web module (web/check_first.py, web/phone_link.py, web/progress.py), never
    one feature's routes imported by another (patients/records and reminders took the check page
    and settings from handouts.routes; the patients and programs pages their progress panel from
    portal/links, which in turn imported handouts.routes inside a function to get round the cycle).
    The factory (planner/web/__init__.py) registers every blueprint and is left out."""
    web = PLANNER / "web"
    modules = {module_name(p): p for p in web.rglob("*.py")}
    routes = {name for name, path in modules.items() if name.count(".") == 3 and _routes_module(path)}
    assert {"planner.web.handouts.routes", "planner.web.portal.links", "planner.web.admin.routes"} <= routes
    crossing = []
    for name, path in modules.items():
        if name.count(".") != 3:  # only modules inside a feature's folder
            continue
        feature = name.split(".")[2]
        for imported in imports(path, frozenset(modules)):
            if imported in routes and imported.split(".")[2] != feature:
                crossing.append(f"{name} imports {imported}")
    assert not crossing, "\n".join(sorted(crossing))
