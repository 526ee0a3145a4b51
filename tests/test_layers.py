"""The library's layers: imports run one way, downward, and no two modules import each other.

Each package of `toolkit/` says in its `__init__.py` which packages it may import ("May import: ...");
this test reads those lines and walks every import of every module (module level, inside functions
and under `TYPE_CHECKING` alike) with `ast`, so the docstrings and the code cannot drift apart.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

TOOLKIT = Path(__file__).resolve().parents[1] / "toolkit"
#: Modules directly in toolkit/: the bottom layer, except `__main__`, which only starts the CLI.
BOTTOM = {"errors", "issues", "safe", "settings", "__init__"}
TOP = {"__main__"}


def module_name(root: Path, path: Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _resolve(root: Path, target: str) -> str:
    """The module a dotted name points at: the module itself, or the package holding a name."""
    relative = target.split(".")[1:]
    while relative:
        path = root.joinpath(*relative)
        if path.with_suffix(".py").is_file() or (path / "__init__.py").is_file():
            return ".".join([root.name, *relative])
        relative.pop()
    return root.name


def imports_of(root: Path, path: Path) -> set[str]:
    """Every toolkit module `path` imports, wherever the import statement stands."""
    name = module_name(root, path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            targets = [f"{base}.{alias.name}" for alias in node.names]
        else:
            continue
        for target in targets:
            if target == root.name or target.startswith(root.name + "."):
                resolved = _resolve(root, target)
                if resolved != name:
                    found.add(resolved)
    return found


def layer_of(root: Path, module: str) -> str:
    """The layer a module belongs to: its package under toolkit/, or `bottom`/`top` for loose modules."""
    parts = module.split(".")
    if len(parts) == 1:
        return "bottom"
    if (root / parts[1]).is_dir():
        return parts[1]
    return "top" if parts[1] in TOP else "bottom"


def allowed_layers(root: Path) -> dict[str, set[str]]:
    """Each package's "May import:" line, as a set of layers (`bottom` stands for the loose modules)."""
    allowed = {"bottom": {"bottom"}, "top": {"cli"}}
    for init in sorted(root.glob("*/__init__.py")):
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))) or ""
        match = re.search(r"May import:\s*(.+?)\.(?:\s*$|\s*\n\s*\n)", doc, re.S)
        if not match:
            raise AssertionError(f"{init}: the docstring has no 'May import: ...' line")
        words = {word.strip() for word in match.group(1).replace("\n", " ").split(",")}
        named = {"bottom" if word in BOTTOM else word for word in words if word != "nothing of the toolkit"}
        allowed[init.parent.name] = named | {"bottom"}
    return allowed


def layer_problems(root: Path) -> list[str]:
    """Every import that reaches up or sideways past its layer's line, and every import circle."""
    allowed = allowed_layers(root)
    graph = {module_name(root, path): imports_of(root, path) for path in sorted(root.rglob("*.py"))}
    problems = []
    for module, targets in sorted(graph.items()):
        layer = layer_of(root, module)
        for target in sorted(targets):
            other = layer_of(root, target)
            if other != layer and other not in allowed[layer]:
                problems.append(f"{module} imports {target}: layer {layer} may not import layer {other}")
    for cycle in _cycles(graph):
        problems.append("import circle: " + " -> ".join(cycle + [cycle[0]]))
    return problems


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan), each in a stable order."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in graph:
                continue
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1 or node in graph.get(node, ()):
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_every_import_runs_down_the_layers_and_none_closes_a_circle():
    assert layer_problems(TOOLKIT) == []


def test_every_package_says_what_it_may_import():
    packages = sorted(p.parent.name for p in TOOLKIT.glob("*/__init__.py"))
    assert set(allowed_layers(TOOLKIT)) >= set(packages)


def test_only_the_ui_package_imports_streamlit():
    offenders = []
    for path in TOOLKIT.rglob("*.py"):
        if TOOLKIT / "ui" in path.parents:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            offenders += [f"{path.relative_to(TOOLKIT)}: {n}" for n in names if n.split(".")[0] == "streamlit"]
    assert offenders == []


def test_toolkit_keeps_at_most_eight_loose_modules():
    loose = sorted(p.name for p in TOOLKIT.glob("*.py"))
    assert len(loose) <= 8, loose


def _tree(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "toolkit"
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


LOW = '"""Low.\n\nMay import: errors.\n"""\n'
HIGH = '"""High.\n\nMay import: low, errors.\n"""\n'


def test_the_check_names_both_modules_of_an_import_that_reaches_up(tmp_path):
    root = _tree(tmp_path, {"__init__.py": "", "errors.py": "", "low/__init__.py": LOW, "high/__init__.py": HIGH,
                            "high/page.py": "from toolkit.low.model import thing\n",
                            "low/model.py": "def f():\n    from toolkit.high import page  # lazy, still counted\n"})
    assert layer_problems(root) == [
        "toolkit.low.model imports toolkit.high.page: layer low may not import layer high",
        "import circle: toolkit.high.page -> toolkit.low.model -> toolkit.high.page",
    ]


def test_the_check_finds_a_circle_inside_one_package(tmp_path):
    root = _tree(tmp_path, {"__init__.py": "", "errors.py": "", "low/__init__.py": LOW,
                            "low/a.py": "from toolkit.low import b\n",
                            "low/b.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
                                        "    from toolkit.low.a import A\n"})
    assert layer_problems(root) == ["import circle: toolkit.low.a -> toolkit.low.b -> toolkit.low.a"]


def test_a_package_without_its_import_line_is_an_error(tmp_path):
    root = _tree(tmp_path, {"__init__.py": "", "low/__init__.py": '"""Low, silent about its imports."""\n'})
    with pytest.raises(AssertionError, match="May import"):
        allowed_layers(root)
