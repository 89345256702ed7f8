"""The module graph: no import cycle, and no import from a lower layer up to a higher one
(../shared/spec/ARCHITECTURE.md).  Imports inside functions count too: they are still edges."""

from __future__ import annotations

import ast
import functools
from pathlib import Path

import evaltool

ROOT = Path(evaltool.__file__).parent


def _module(path: Path) -> str:
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@functools.cache  # both tests read it; parsing every module takes a third of a second
def _graph() -> dict[str, set[str]]:
    modules = {_module(p): p for p in ROOT.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        edges = set()
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    up = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join(up + ([base] if base else []))
                targets = [f"{base}.{a.name}" for a in node.names] + [base]
            elif isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            else:
                continue
            # "from evaltool.x import y": y may be a module or a name in x; keep the deepest module.
            for t in targets:
                while t and t not in modules:
                    t = t.rpartition(".")[0]
                if t and t != name:
                    edges.add(t)
                    break
        graph[name] = edges
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(n: str) -> list[str] | None:
        state[n] = 1
        stack.append(n)
        for m in sorted(graph[n]):
            if state.get(m) == 1:
                return stack[stack.index(m):] + [m]
            if m not in state and (found := visit(m)):
                return found
        stack.pop()
        state[n] = 2
        return None

    for n in sorted(graph):
        if n not in state and (found := visit(n)):
            return found
    return None


def test_no_import_cycle():
    assert _cycle(_graph()) is None, " -> ".join(_cycle(_graph()) or [])


def test_the_cycle_finder_finds_a_cycle():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]


def _inside(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


FORBIDDEN = {
    "evaltool.workbook": ("evaltool.checks", "evaltool.outputs", "evaltool.text", "evaltool.derive"),
    "evaltool.checks": ("evaltool.text", "evaltool.outputs"),
    "evaltool.derive": ("evaltool.text", "evaltool.outputs", "evaltool.checks"),
    "evaltool.scoring": ("evaltool.checks", "evaltool.outputs", "evaltool.text", "evaltool.derive"),
    "evaltool.findings": ("evaltool.text", "evaltool.outputs", "evaltool.checks"),
    "evaltool.model": ("evaltool.text", "evaltool.outputs", "evaltool.checks", "evaltool.derive"),
    "evaltool.text": ("evaltool.outputs", "evaltool.checks"),
    "evaltool.narrative": ("evaltool.text", "evaltool.outputs", "evaltool.batch", "evaltool.cli"),
}
# What is made for people, and the only modules that may import each (besides its own).
TOP = {"evaltool.outputs": ("evaltool.cli", "evaltool.batch", "evaltool.web"),
       "evaltool.narrative": ("evaltool.cli", "evaltool.batch", "evaltool.naming", "evaltool.outputs", "evaltool.web"),
       "evaltool.web": ("evaltool.cli",)}


def test_no_import_goes_up_a_layer():
    wrong = []
    for module, edges in _graph().items():
        for layer, above in FORBIDDEN.items():
            if _inside(module, layer):
                wrong += [f"{module} -> {e}" for e in edges if any(_inside(e, a) for a in above)]
        for top, users in TOP.items():
            if not any(_inside(module, m) for m in (top, *users)):
                wrong += [f"{module} -> {e}" for e in edges if _inside(e, top)]
    assert not wrong
