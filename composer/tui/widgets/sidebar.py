"""The guideline sidebar: purpose, figures, length meters, and the findings grouped by category.

It only renders an `Analysis` handed down by the screen ("attributes down, messages up"); choosing a
finding posts `GuidelineSidebar.FindingChosen`, and the screen moves the cursor.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from composer.guidelines.model import Finding
from composer.tui import present
from composer.tui.analysis import Analysis


SEVERITY_STYLES = {"error": "bold $text-error", "warning": "bold $text-warning", "info": "$text-accent"}


class FindingList(OptionList):
    """Findings, one option each, under a heading per category."""

    BINDINGS = [("escape", "back_to_editor", "Back to text")]

    def action_back_to_editor(self) -> None:
        self.screen.query_one("#editor").focus()


class GuidelineSidebar(Vertical):
    """What the guidelines say about the draft right now."""

    @dataclass
    class FindingChosen(Message):
        """The writer chose a finding in the list: show its span."""

        finding: Finding

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._findings: list[Finding] = []
        self._text = ""
        self.analysis: Analysis | None = None
        self._at_cursor: Finding | None = None
        """The analysis on show (tests and benchmarks read its revision)."""

    def compose(self) -> ComposeResult:
        yield Static("", id="purpose-status")
        yield Static("", id="figures")
        yield Static("", id="at-cursor", classes="hidden")
        yield Label("Findings", id="findings-title", classes="section-title")
        yield FindingList(id="findings")

    # -- rendering
    def show(self, analysis: Analysis) -> None:
        """Render `analysis`."""
        self.analysis = analysis
        report = analysis.report
        self._text = analysis.text

        blank = not analysis.text.strip()
        if blank and not analysis.purpose.strip():
            self.query_one("#purpose-status", Static).update(
                Text("Purpose: say above why you are sharing this.", "dim")
            )
        else:
            self.query_one("#purpose-status", Static).update(self._purpose_text(analysis))
        figures = Text()
        figures.append(present.words(report.words), "bold")
        figures.append(" · " + present.read_time(report.read_time_seconds))
        figures.append("\n" + _upper_first(present.readability(report.readability)), "dim" if report.readability is None else "")
        if analysis.problem:
            figures.append("\n" + analysis.problem, "bold")
        self.query_one("#figures", Static).update(figures)
        self._fill_findings([] if blank else report.findings, blank)

    def _purpose_text(self, analysis: Analysis) -> Text:
        found = analysis.report.by_category("purpose")
        t = Text()
        if found:
            worst = max(found, key=lambda f: ("info", "warning", "error").index(f.severity))
            t.append(f"{present.SEVERITY_MARKS[worst.severity]} Purpose: ", "bold")
            if worst.rule.endswith("missing"):
                t.append("not stated yet. Say above why you are sharing this.")
            else:
                t.append(_first_sentence(worst.message))
            return t
        t.append("✓ Purpose: ", "bold")
        if analysis.purpose.strip():
            t.append(analysis.purpose.strip())
        else:
            t.append("stated in the text")
        return t

    def _fill_findings(self, findings: Sequence[Finding], blank: bool = False) -> None:
        option_list = self.query_one(FindingList)
        previous = None
        if option_list.highlighted is not None and self._findings:
            opt = option_list.get_option_at_index(option_list.highlighted)
            if opt.id and opt.id.startswith("f"):
                previous = self._findings[int(opt.id[1:])]
        self._findings = list(findings)
        options: list[Option | None] = []
        restore: int | None = None
        order = list(present.CATEGORY_TITLES)
        by_cat: dict[str, list[int]] = {}
        for i, f in enumerate(self._findings):
            by_cat.setdefault(f.category, []).append(i)
        cats = sorted(by_cat, key=lambda c: order.index(c) if c in order else len(order))
        for cat in cats:
            idxs = by_cat[cat]
            options.append(Option(Text(f"{present.category_title(cat)} ({len(idxs)})", "bold"), disabled=True))
            for i in idxs:
                f = self._findings[i]
                if previous is not None and (f.rule, f.start) == (previous.rule, previous.start):
                    restore = len(options)
                options.append(Option(self._option_text(f), id=f"f{i}"))
        option_list.clear_options()
        if options:
            option_list.add_options(options)
        else:
            quiet = "Start writing: what the guidelines notice shows here." if blank else "Nothing to point out."
            option_list.add_option(Option(Text(quiet, "dim"), disabled=True))
        if restore is not None:
            option_list.highlighted = restore
        self.query_one("#findings-title", Label).update(
            "Findings" if not self._findings else f"Findings ({len(self._findings)})"
        )

    def _option_text(self, f: Finding) -> Content:
        whole = f.start <= 0 and f.end >= len(self._text)
        if whole or f.category in ("purpose", "readability"):
            where: tuple[str, str] = ("the whole post", "italic")
        else:
            where = ("“" + present.excerpt(self._text, f.start, f.end) + "”", "italic")
        return Content.assemble(
            (present.SEVERITY_MARKS.get(f.severity, "●") + " ", SEVERITY_STYLES.get(f.severity, "")),
            where,
            ("\n" + f.message, "$text-muted"),
        )

    def show_at_cursor(self, finding: Finding | None) -> None:
        """Explain the finding under the cursor (or hide the box)."""
        if finding is self._at_cursor and finding is not None or (finding is None and self._at_cursor is None):
            return  # unchanged: no re-layout on every cursor move
        self._at_cursor = finding
        box = self.query_one("#at-cursor", Static)
        if finding is None:
            box.add_class("hidden")
            box.update("")
            return
        t = Text()
        t.append(f"{present.SEVERITY_MARKS.get(finding.severity, '●')} {present.category_title(finding.category)}", "bold")
        t.append(" at the cursor\n", "dim")
        t.append(finding.message)
        box.update(t)
        box.remove_class("hidden")

    @property
    def findings(self) -> list[Finding]:
        return list(self._findings)

    @on(OptionList.OptionSelected, "#findings")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        oid = event.option.id
        if oid and oid.startswith("f"):
            self.post_message(self.FindingChosen(self._findings[int(oid[1:])]))



def _upper_first(s: str) -> str:
    return s[:1].upper() + s[1:]


def _first_sentence(s: str) -> str:
    head, dot, _ = s.partition(". ")
    return head + "." if dot else s
