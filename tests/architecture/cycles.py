"""Import cycles between modules, from grimp's graph (imports inside functions included).

`module_cycles(graph, packages)` returns each strongly connected set of modules, as one cycle
through it with the line of each import, so a broken contract names the lines to change. Used by
the `acyclic_modules` import-linter contract (`AcyclicModulesContract`) and by
tests/architecture/test_imports.py.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import grimp
from importlinter.application import output
from importlinter.domain import fields
from importlinter.domain.contract import Contract, ContractCheck


@dataclass(frozen=True)
class Link:
    importer: str
    imported: str
    line: int
    text: str

    def __str__(self) -> str:
        return f"{self.importer} -> {self.imported} (l.{self.line}: {self.text})"


@dataclass(frozen=True)
class Cycle:
    modules: frozenset[str]
    path: tuple[Link, ...]  # one loop through the modules, back to the first

    def __str__(self) -> str:
        return "\n".join(str(link) for link in self.path)


def _inside(module: str, packages: frozenset[str]) -> bool:
    return any(module == p or module.startswith(p + ".") for p in packages)


def _edges(graph: grimp.ImportGraph, packages: frozenset[str]) -> dict[str, set[str]]:
    modules = {m for m in graph.modules if _inside(m, packages)}
    return {
        m: {i for i in graph.find_modules_directly_imported_by(m) if i in modules and i != m}
        for m in modules
    }


def _strongly_connected(edges: dict[str, set[str]]) -> list[set[str]]:
    """Tarjan's algorithm, iterative (no recursion limit on a deep tree)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found: list[set[str]] = []
    counter = 0
    for root in sorted(edges):
        if root in index:
            continue
        work: list[tuple[str, list[str]]] = [(root, sorted(edges[root]))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, todo = work[-1]
            if todo:
                nxt = todo.pop(0)
                if nxt not in index:
                    index[nxt] = low[nxt] = counter
                    counter += 1
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, sorted(edges[nxt])))
                elif nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.add(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(component)
    return found


def _loop(edges: dict[str, set[str]], component: set[str]) -> list[str]:
    """A shortest loop from the component's first module back to itself (breadth first)."""
    start = min(component)
    came_from: dict[str, str] = {}
    frontier = [start]
    while frontier:
        following = []
        for node in frontier:
            for nxt in sorted(edges[node] & component):
                if nxt == start:
                    path = [node]
                    while path[-1] != start:
                        path.append(came_from[path[-1]])
                    return [*reversed(path), start]
                if nxt not in came_from:
                    came_from[nxt] = node
                    following.append(nxt)
        frontier = following
    return [start]


def module_cycles(graph: grimp.ImportGraph, packages: Iterable[str]) -> list[Cycle]:
    roots = frozenset(packages)
    edges = _edges(graph, roots)
    cycles = []
    for component in _strongly_connected(edges):
        loop = _loop(edges, component)
        links = []
        for importer, imported in zip(loop, loop[1:], strict=False):
            details = graph.get_import_details(importer=importer, imported=imported)
            first = min(details, key=lambda d: d["line_number"]) if details else None
            links.append(
                Link(
                    importer,
                    imported,
                    first["line_number"] if first else 0,
                    first["line_contents"] if first else "",
                )
            )
        cycles.append(Cycle(frozenset(component), tuple(links)))
    return sorted(cycles, key=lambda c: min(c.modules))


class AcyclicModulesContract(Contract):
    """No module reaches itself through imports, wherever the import statement sits."""

    type_name = "acyclic_modules"

    containers = fields.ListField(subfield=fields.StringField())

    def check(self, graph: grimp.ImportGraph, verbose: bool) -> ContractCheck:
        cycles = module_cycles(graph, self.containers)  # type: ignore[arg-type]
        return ContractCheck(kept=not cycles, metadata={"cycles": cycles})

    def render_broken_contract(self, check: ContractCheck) -> None:
        for cycle in check.metadata["cycles"]:
            output.print_error(
                f"Import cycle through {len(cycle.modules)} modules: "
                + ", ".join(sorted(cycle.modules)),
                bold=True,
            )
            for link in cycle.path:
                output.print_error(f"  {link}", bold=False)
            output.new_line()
