#!/usr/bin/env python3
"""Import graph between the top-level units of `sdk/asdf_dat` (docs/ARCHITECTURE.md, "Dependency rules").

    python scripts/import_graph.py          # markdown table: importer, imported units (files importing)
    python scripts/import_graph.py --files  # one line per edge and file

A unit is a subpackage (`dat`, `daemon`, ...) or a top-level module (`cli`, `demo`, ...).
Reads the source with `ast` (function-level imports included); `generated/` is skipped as an importer.
"""

from __future__ import annotations

import ast
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "sdk" / "asdf_dat"


def unit_of(path: Path) -> str:
    parts = path.relative_to(ROOT).parts
    return parts[0] if len(parts) > 1 else parts[0].removesuffix(".py")


def imported_modules(path: Path) -> list[str]:
    package = path.relative_to(ROOT.parent).with_suffix("").parts[:-1]
    out: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = ".".join(package[: len(package) - node.level + 1])
                if node.module:
                    out.append(f"{base}.{node.module}")
                else:
                    out.extend(f"{base}.{alias.name}" for alias in node.names)
            elif node.module == "asdf_dat":
                out.extend(f"asdf_dat.{alias.name}" for alias in node.names)
            elif node.module:
                out.append(node.module)
    return out


def edges() -> dict[str, dict[str, set[str]]]:
    graph: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for path in sorted(ROOT.rglob("*.py")):
        source = unit_of(path)
        if source == "generated":
            continue
        for module in imported_modules(path):
            parts = module.split(".")
            if parts[0] == "asdf_dat" and len(parts) > 1 and parts[1] != source:
                graph[source][parts[1]].add(str(path.relative_to(ROOT)))
    return graph


def main(argv: list[str]) -> int:
    graph = edges()
    if "--files" in argv:
        for source in sorted(graph):
            for target in sorted(graph[source]):
                for file in sorted(graph[source][target]):
                    print(f"{source} -> {target}  {file}")
        return 0
    print("| importer | imports (files) |")
    print("|---|---|")
    for source in sorted(graph):
        targets = ", ".join(f"`{t}` ({len(files)})" for t, files in sorted(graph[source].items()))
        print(f"| `{source}` | {targets} |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
