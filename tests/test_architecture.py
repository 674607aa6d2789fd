"""The package tree is the pipeline: imports point down the stages only, and nothing imports in a
circle. Read from the source with `ast` (every import counts: lazy ones inside functions and
typing-only ones too), so that a new module cannot slip past by hand-kept lists."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "generator"

# Lowest first. A module may import its own package and any package ranked below its own.
STAGES = ("core", "validate", "scoring", "analysis", "history", "site", "scaffold", "crm", "cli")


def _modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def _imports(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base_parts = package.split(".")[:len(package.split(".")) - (node.level - 1)]
                base = ".".join(base_parts + ([node.module] if node.module else []))
            else:
                base = node.module or ""
            for alias in node.names:
                candidate = f"{base}.{alias.name}"
                found.add(candidate if candidate in modules else base)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {m for m in found if m in modules and m != name}


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    return {name: _imports(name, path, modules) for name, path in modules.items()}


def _stage(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in STAGES else None


def test_every_module_lives_in_a_stage_package():
    loose = [m for m in _graph() if m != "generator" and _stage(m) is None]
    assert loose == []


def test_no_import_points_up_the_stages():
    upward = []
    for module, imported in _graph().items():
        here = _stage(module)
        for target in imported:
            there = _stage(target)
            if here and there and STAGES.index(there) > STAGES.index(here):
                upward.append(f"{module} -> {target}")
    assert upward == []


def test_no_import_circles():
    graph = _graph()
    circles = []
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    for start in graph:
        if state.get(start):
            continue
        stack = [(start, iter(sorted(graph[start])))]
        path = [start]
        state[start] = 1
        while stack:  # iterative depth-first search: the graph is data, not a recursion limit
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                state[node] = 2
                stack.pop()
                path.pop()
            elif state.get(child) == 1:
                circles.append(" -> ".join(path[path.index(child):] + [child]))
            elif not state.get(child):
                state[child] = 1
                path.append(child)
                stack.append((child, iter(sorted(graph[child]))))
    assert circles == []


def test_each_package_says_what_it_owns_and_may_import():
    for stage in STAGES:
        init = PACKAGE / stage / "__init__.py"
        docstring = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))) or ""
        assert "import" in docstring.lower() and len(docstring.splitlines()) >= 2, stage


def test_the_checker_sees_a_circle_and_an_upward_import(tmp_path, monkeypatch):
    """The tests above would pass on a graph they cannot read: show they catch both faults."""
    fake = tmp_path / "generator"
    for stage in ("core", "site"):
        (fake / stage).mkdir(parents=True)
        (fake / stage / "__init__.py").write_text('"""x\nMay import nothing."""\n')
    (fake / "__init__.py").write_text("")
    (fake / "core" / "a.py").write_text("from . import b\nfrom ..site import page\n")
    (fake / "core" / "b.py").write_text("def f():\n    from .a import x\n")
    (fake / "site" / "page.py").write_text("")
    monkeypatch.setattr(__import__(__name__, fromlist=["x"]), "PACKAGE", fake)
    graph = _graph()
    assert graph["generator.core.a"] == {"generator.core.b", "generator.site.page"}
    assert graph["generator.core.b"] == {"generator.core.a"}
    try:
        test_no_import_points_up_the_stages()
    except AssertionError as exc:
        assert "generator.core.a -> generator.site.page" in str(exc)
    else:
        raise AssertionError("an upward import went unseen")
    try:
        test_no_import_circles()
    except AssertionError as exc:
        assert "generator.core.a -> generator.core.b -> generator.core.a" in str(exc)
    else:
        raise AssertionError("a circle went unseen")


def test_the_package_imports_itself_relatively_and_installs_as_account_playbooks():
    # The source folder is generator/, the import name account_playbooks (pyproject maps one to the
    # other): an absolute import of either name would load a second copy of a module under the other
    # name, and would escape the graph the tests above read.
    absolute = []
    for name, path in _modules().items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets = ([node.module or ""] if isinstance(node, ast.ImportFrom) and not node.level
                       else [a.name for a in node.names] if isinstance(node, ast.Import) else [])
            absolute += [f"{name}: {t}" for t in targets if t.split(".")[0] in {"generator", "account_playbooks"}]
    assert absolute == []
    import account_playbooks

    assert Path(account_playbooks.__file__).resolve() == PACKAGE / "__init__.py"
