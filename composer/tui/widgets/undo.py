"""The bar shown while a publish waits to go out: where to, how long, Esc, and the open warnings."""

from __future__ import annotations

import math
from collections.abc import Sequence

from rich.text import Text
from textual.widgets import Static


class UndoBar(Static):
    """'Publishing to A and B in 4 s. Esc cancels.' plus the warnings still open."""

    def show_countdown(self, accounts: Sequence[str], seconds_left: float, total: float, warnings: Sequence[str]) -> None:
        width = 20
        filled = max(0, min(width, round(width * seconds_left / total))) if total > 0 else 0
        t = Text()
        t.append("Publishing to ", "bold")
        t.append(_join(accounts), "bold")
        t.append(f" in {math.ceil(max(0.0, seconds_left))} s  ")
        t.append("█" * filled + "░" * (width - filled), "dim")
        t.append("   Esc cancels", "bold")
        if warnings:
            t.append(f"\n{len(warnings)} warning{'s' if len(warnings) != 1 else ''} still open:", "bold")
            for w in warnings[:4]:
                t.append(f"\n  ▲ {w}")
            if len(warnings) > 4:
                t.append(f"\n  … and {len(warnings) - 4} more in the sidebar")
        self.update(t)
        self.remove_class("hidden")

    def hide(self) -> None:
        self.update("")
        self.add_class("hidden")


def _join(names: Sequence[str]) -> str:
    names = list(names)
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]
