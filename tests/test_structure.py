"""The folder layout is the map of the code: each stage imports only the stages below it, and
everything that touches Office Open XML lives in ``ooxml/``. These tests read the source, so a
change that breaks the map fails here rather than in a reviewer's head."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import clausewright

PACKAGE = Path(clausewright.__file__).resolve().parent

# Stages, lowest first. A module may import modules of its own stage or of a lower one.
STAGES = [
    {"errors", "cache", "yamlio", "resources", "formatting", "limits", "sandbox", "jinja", "findings", "reads", "roles", "files", "zipcheck", "quoting", "__init__"},
    {"inputs"},
    {"assembly"},
    {"ooxml"},
    {"qa"},
    {"pipeline", "provenance", "interview"},
    {"bulk", "wizard", "web", "pack"},
    {"cli", "__main__", "resident"},
]
RANK = {name: i for i, stage in enumerate(STAGES) for name in stage}


def _modules() -> dict[str, Path]:
    out = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE).with_suffix("").parts
        out[".".join(parts)] = path
    return out


def _imports(path: Path) -> set[str]:
    """The clausewright modules a file imports (``from clausewright.x import y`` names x.y when y is a module)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):  # imports only for the type checker are not run
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            node.body = []
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("clausewright"):
            base = node.module.removeprefix("clausewright").lstrip(".")
            for alias in node.names:
                candidate = f"{base}.{alias.name}" if base else alias.name
                found.add(candidate if candidate in _MODULES else base)
        elif isinstance(node, ast.Import):
            found |= {a.name.removeprefix("clausewright.") for a in node.names if a.name.startswith("clausewright.")}
    return {m for m in found if m}


_MODULES = _modules()


def _stage(module: str) -> int:
    return RANK[module.split(".")[0]]


def test_every_module_belongs_to_a_stage():
    assert not [m for m in _MODULES if m.split(".")[0] not in RANK]


def test_no_import_reaches_up_a_stage():
    upward = [
        f"{module} ({STAGES[_stage(module)]}) imports {target} ({STAGES[_stage(target)]})"
        for module, path in _MODULES.items()
        for target in _imports(path)
        if _stage(target) > _stage(module)
    ]
    assert not upward, "\n".join(upward)


def test_no_import_cycle():
    graph = {m: {t for t in _imports(p) if t in _MODULES and t != m} for m, p in _MODULES.items()}
    state: dict[str, int] = {}
    cycles = []

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycles.append(" -> ".join(trail[trail.index(nxt):] + [nxt]) if nxt in trail else f"{node} -> {nxt}")
            elif nxt not in state:
                visit(nxt, trail + [nxt])
        state[node] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    assert not cycles, "\n".join(cycles)


OOXML = re.compile(r"openxmlformats|wordprocessingml|<w:|[\"']w:[a-zA-Z]|fldChar|instrText|\bfrom docx\b|\bimport docx\b|\bfrom lxml\b|\bimport lxml\b")


def test_office_open_xml_only_in_ooxml():
    leaks = [
        f"{path.relative_to(PACKAGE)}:{n}: {line.strip()}"
        for module, path in _MODULES.items()
        if not module.startswith("ooxml")
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if OOXML.search(line)
    ]
    assert not leaks, "\n".join(leaks)


def test_no_one_letter_module_aliases_and_no_private_names_across_packages():
    found = []
    for module, path in _MODULES.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                for alias in node.names:
                    if alias.asname and len(alias.asname) == 1:
                        found.append(f"{module}: imports {alias.name} as {alias.asname}")
                    if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("clausewright") and alias.name.startswith("_") and alias.name != "__version__":
                        found.append(f"{module}: imports the private name {alias.name} from {node.module}")
    assert not found, "\n".join(found)
