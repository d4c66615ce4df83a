"""The guideline sidebar: purpose, figures, length meters, and the findings grouped by category.

It only renders an `Analysis` handed down by the screen ("attributes down, messages up"); choosing a
finding posts `GuidelineSidebar.FindingChosen`, and the screen moves the cursor.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from composer.analysis import Analysis
from composer.guidelines.model import Finding
from composer.tui import present

SEVERITY_STYLES = {"error": "bold $text-error", "warning": "bold $text-warning", "info": "$text-accent"}


class FindingList(OptionList):
    """Findings, one option each, under a heading per category."""

    BINDINGS = [
        ("escape", "back_to_editor", "Back to text"),
        Binding("a", "allow_finding", "Mine to share", id="allow-finding",
                tooltip="These words are yours to share: add them to the allow list in config.toml"),
    ]

    def action_back_to_editor(self) -> None:
        self.screen.query_one("#editor").focus()

    def action_allow_finding(self) -> None:
        from composer.tui.allow import allow_finding

        sidebar = next(a for a in self.ancestors if isinstance(a, GuidelineSidebar))
        allow_finding(self.screen, sidebar.highlighted_finding())


LISTED_PER_CATEGORY = 30
"""Findings of one category listed in the sidebar at most; the title counts them all and F8 goes
to every one."""


class GuidelineSidebar(Vertical):
    """What the guidelines say about the draft right now."""

    DEFAULT_CSS = """
    GuidelineSidebar {
        height: 1fr;
        padding-top: 1;
        & > Static { margin-bottom: 1; }
    }
    #at-cursor {
        background: $boost;
        border-left: thick $accent;
        padding: 0 1;
    }
    #findings {
        height: 1fr;
        min-height: 4;
        scrollbar-gutter: stable;  /* the scrollbar never comes and goes: no extra layout passes */
        border: none;
        padding: 0;
        background: transparent;
        &:focus { background: $boost; }
    }
    """
    """Parsed when the sidebar first mounts (after the first frame), not at start-up."""

    @dataclass
    class FindingChosen(Message):
        """The writer chose a finding in the list: show its span."""

        finding: Finding

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._findings: list[Finding] = []
        self._text = ""
        self.analysis: Analysis | None = None
        self._at_cursor: object = None
        self._shown: dict[str, tuple[str, tuple]] = {}
        self._listed: tuple = ()
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
            self._update("#purpose-status", Text("Purpose: say above why you are sharing this.", "dim"))
        else:
            self._update("#purpose-status", self._purpose_text(analysis))
        figures = Text()
        figures.append(present.words(report.words), "bold")
        figures.append(" · " + present.read_time(report.read_time_seconds))
        if analysis.images:
            figures.append(f" · {analysis.images} image{'s' if analysis.images != 1 else ''}")
        figures.append("\n" + _upper_first(present.readability(report.readability)), "dim" if report.readability is None else "")
        if analysis.problem:
            figures.append("\n" + analysis.problem, "bold")
        self._update("#figures", figures)
        self._fill_findings([] if blank else report.findings, blank)

    def _update(self, selector: str, text: Text) -> None:
        """Update a Static only when its content changes: each update re-lays out the screen."""
        key = (text.plain, tuple(text.spans))
        old = self._shown.get(selector)
        if old == key:
            return
        self._shown[selector] = key
        widget = self.query_one(selector, Static)
        widget.update(text, layout=needs_layout(widget, old[0] if old else None, text.plain))

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
        order = list(present.CATEGORY_TITLES)
        by_cat: dict[str, list[int]] = {}
        for i, f in enumerate(self._findings):
            by_cat.setdefault(f.category, []).append(i)
        cats = sorted(by_cat, key=lambda c: order.index(c) if c in order else len(order))
        # Typing moves spans but rarely changes what is listed: rebuild the list only when the
        # findings as shown (words, severity, message) change; otherwise just take the new spans.
        # Each category lists its first LISTED_PER_CATEGORY (F8 goes to every one), so that the
        # list costs what it shows, not what a long draft holds.
        shown = [i for cat in cats for i in by_cat[cat][:LISTED_PER_CATEGORY]]
        listed: tuple = (blank, tuple((cat, len(by_cat[cat])) for cat in cats)) + tuple(
            (i, self._findings[i].category, self._findings[i].severity,
             present.excerpt(self._text, self._findings[i].start, self._findings[i].end, 36))
            for i in shown
        )
        if listed == self._listed:
            return
        if len(listed) == len(self._listed) and listed[:2] == self._listed[:2] and all(
            a[:3] == b[:3] for a, b in zip(listed[2:], self._listed[2:])
        ):
            # Same findings, some words changed (typing inside a flagged span): redraw those only.
            for new, old in zip(listed[2:], self._listed[2:]):
                if new != old:
                    option_list.replace_option_prompt(f"f{new[0]}", self._option_text(self._findings[new[0]]))
            self._listed = listed
            return
        self._listed = listed
        options: list[Option | None] = []
        restore: int | None = None
        for cat in cats:
            idxs = by_cat[cat]
            options.append(Option(Text(f"{present.category_title(cat)} ({len(idxs)})", "bold"), disabled=True))
            for i in idxs[:LISTED_PER_CATEGORY]:
                f = self._findings[i]
                if previous is not None and (f.rule, f.start) == (previous.rule, previous.start):
                    restore = len(options)
                options.append(Option(self._option_text(f), id=f"f{i}"))
            if len(idxs) > LISTED_PER_CATEGORY:
                more = len(idxs) - LISTED_PER_CATEGORY
                options.append(Option(Text(f"… and {more:,} more (F8 goes to each in turn)", "dim"), disabled=True))
        option_list.clear_options()
        if options:
            option_list.add_options(options)
        else:
            quiet = "Start writing: what the guidelines notice shows here." if blank else "Nothing to point out."
            option_list.add_option(Option(Text(quiet, "dim"), disabled=True))
        if restore is not None:
            option_list.highlighted = restore
        self._update("#findings-title", Text("Findings" if not self._findings else f"Findings ({len(self._findings)})"))

    def _option_text(self, f: Finding) -> Content:
        """One line per finding (cheap to lay out when there are a hundred); its message shows in
        the box above the list when the finding is highlighted or under the cursor."""
        whole = f.start <= 0 and f.end >= len(self._text)
        if whole or f.category in ("purpose", "readability"):
            where: tuple[str, str] = ("the whole post", "italic")
        else:
            where = ("“" + present.excerpt(self._text, f.start, f.end, 36) + "”", "italic")
        return Content.assemble(
            (present.SEVERITY_MARKS.get(f.severity, "●") + " ", SEVERITY_STYLES.get(f.severity, "")),
            where,
        )

    def show_at_cursor(self, finding: Finding | None, where: str = "at the cursor") -> None:
        """Explain a finding (the one under the cursor, or the one highlighted in the list)."""
        key = None if finding is None else (finding, where)
        if key == self._at_cursor:
            return  # unchanged: no re-layout on every cursor move
        self._at_cursor = key
        box = self.query_one("#at-cursor", Static)
        if finding is None:
            box.add_class("hidden")
            return
        t = Text()
        t.append(f"{present.SEVERITY_MARKS.get(finding.severity, '●')} {present.category_title(finding.category)}", "bold")
        t.append(f" {where}\n", "dim")
        t.append(finding.message)
        was_hidden = box.has_class("hidden")
        self._update("#at-cursor", t)
        if was_hidden:
            box.remove_class("hidden")

    @on(OptionList.OptionHighlighted, "#findings")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        oid = event.option.id
        if oid and oid.startswith("f") and self.query_one(FindingList).has_focus:
            self.show_at_cursor(self._findings[int(oid[1:])], "(selected)")

    @property
    def findings(self) -> list[Finding]:
        return list(self._findings)

    def highlighted_finding(self) -> Finding | None:
        """The finding highlighted in the list, if any."""
        option_list = self.query_one(FindingList)
        if option_list.highlighted is None:
            return None
        oid = option_list.get_option_at_index(option_list.highlighted).id
        return self._findings[int(oid[1:])] if oid and oid.startswith("f") else None

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


def needs_layout(widget: Static, old: str | None, new: str) -> bool:
    """Whether replacing `old` by `new` may change the widget's height: a layout pass costs far
    more than a repaint, and most updates while typing (a word count, a character count in a
    message) keep the same number of lines."""
    if old is None:
        return True
    width = widget.content_size.width
    if width <= 0:
        return True
    return wrapped_height(old, width) != wrapped_height(new, width)


def wrapped_height(text: str, width: int) -> int:
    """Lines `text` takes when word-wrapped at `width` cells (greedy, as Textual wraps prose)."""
    height = 0
    for line in text.split("\n"):
        used = 0
        rows = 1
        for word in line.split(" "):
            n = len(word)
            if used == 0:
                used = n
            elif used + 1 + n <= width:
                used += 1 + n
            else:
                rows += 1
                used = n
            while used > width:  # a word longer than the line is folded
                rows += 1
                used -= width
        height += rows
    return height
