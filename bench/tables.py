"""One table model, printed with rich and written as Markdown."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field

from rich.console import Console
from rich.table import Table


@dataclass
class BenchTable:
    title: str
    columns: list[str]
    rows: list[list[str]] = field(default_factory=list)
    how: str = ""
    """How the figures were measured (printed under the table)."""
    notes: list[str] = field(default_factory=list)
    text_columns: int = 1
    """Leading columns that hold text (left-aligned); the others are numbers."""

    def add(self, *cells: object) -> None:
        self.rows.append([cell if isinstance(cell, str) else fmt(cell) for cell in cells])

    def rich(self) -> Table:
        table = Table(title=self.title, title_justify="left", caption=self.how or None, caption_justify="left")
        for index, column in enumerate(self.columns):
            table.add_column(column, justify="left" if index < self.text_columns else "right", overflow="fold")
        for row in self.rows:
            table.add_row(*row)
        return table

    def markdown(self) -> str:
        def esc(text: str) -> str:
            return text.replace("|", "\\|")

        lines = [f"### {self.title}", ""]
        if self.how:
            lines += [self.how, ""]
        lines.append("| " + " | ".join(esc(c) for c in self.columns) + " |")
        lines.append("|" + "|".join("---" if i < self.text_columns else "---:" for i in range(len(self.columns))) + "|")
        lines += ["| " + " | ".join(esc(c) for c in row) + " |" for row in self.rows]
        if self.notes:
            lines.append("")
            lines += [f"- {n}" for n in self.notes]
        return "\n".join(lines) + "\n"

    def print(self, console: Console) -> None:
        console.print(self.rich())
        for note in self.notes:
            console.print(f"  • {note}", highlight=False)
        console.print()


def fmt(value: object) -> str:
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        if abs(value) >= 100:
            return f"{value:,.0f}"
        if abs(value) >= 1:
            return f"{value:,.2f}"
        return f"{value:.3f}"
    return str(value)


def sol(lamports: float) -> str:
    return f"{lamports / 1e9:.6f}"


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f}" if seconds >= 0.1 else f"{seconds * 1000:,.1f}"


def median(values: Sequence[float]) -> float:
    return float(statistics.median(values)) if values else 0.0


def pct(part: int, whole: int) -> str:
    return f"{part:,} ({100 * part / whole:.0f}%)" if whole else f"{part:,}"
