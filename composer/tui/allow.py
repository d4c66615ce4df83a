""""Mine to share": the words of a finding join the writer's allow list, `[guidelines] allow` in
config.toml, where `humane check`, `humane post` and the publish gate read it too.

The finding goes at once (the settings change and the text is checked again), then the file is
written in a thread; if that fails, the words are flagged again and the writer is told why.
"""

from __future__ import annotations

import threading
from dataclasses import replace
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from composer.guidelines.model import Finding

ALLOWABLE = frozenset({"personal-info", "obscenity", "clickbait", "shouting"})
"""What a writer can allow from a finding. Hate speech is not: a slur is never "mine to share"."""

_WRITING = threading.Lock()
"""One write of config.toml at a time (two quick presses must not lose one of the words)."""


def selected_finding(screen: Any) -> Finding | None:
    """The finding under the cursor in the text, else the one highlighted in the findings list."""
    analysis = getattr(screen, "analysis", None)
    if analysis is None:
        return None
    editor = screen.editor
    if analysis.text == editor.text:
        from composer.analysis import finding_at

        offset = editor.offset_of(editor.cursor_location)
        found = finding_at(analysis.report.findings, offset, len(analysis.text))
        if found is not None:
            return found
    return screen.sidebar.highlighted_finding()


def allow_finding(screen: Any, finding: Finding | None) -> None:
    """Allow the words of `finding` from now on (a Textual screen holding the draft's analysis)."""
    app = screen.app
    if finding is None:
        app.notify("Put the cursor on flagged words, or highlight a finding in the list, then try again.", title="Mine to share")
        return
    text = screen.analysis.text if screen.analysis is not None else ""
    words = " ".join(text[finding.start : finding.end].split())
    if finding.category not in ALLOWABLE or not words or (finding.start <= 0 and finding.end >= len(text)):
        app.notify("This finding is about the whole post or about harm to others: there are no words of yours to allow.",
                   title="Mine to share", severity="warning")
        return
    before = app.config
    allow = tuple(dict.fromkeys((*before.guidelines.allow, words.lower())))
    app.config = replace(before, guidelines=replace(before.guidelines, allow=allow))
    analyse = getattr(screen, "analyse_now", None)
    if analyse is not None:
        analyse()
    app.run_worker(lambda: _save(app, screen, words, before), thread=True, group="allow", exit_on_error=False,
                   description="add to the allow list")


def _save(app: Any, screen: Any, words: str, before: Any) -> None:
    from composer.config import ConfigError, allow_phrase

    try:
        with _WRITING:
            allow_phrase(before.path, words)
    except (ConfigError, OSError) as err:
        reason = str(err) if isinstance(err, ConfigError) else f"{err.strerror or err} ({getattr(err, 'filename', '') or 'config.toml'})"
        app.call_from_thread(_undo, app, screen, words, reason)
        return
    app.call_from_thread(
        app.notify,
        f"“{words}” is yours to share: it is in [guidelines] allow in config.toml now; delete it there to be warned again.",
        title="Mine to share",
    )


def _undo(app: Any, screen: Any, words: str, reason: str) -> None:
    config = app.config
    allow = tuple(a for a in config.guidelines.allow if a != words.lower())
    app.config = replace(config, guidelines=replace(config.guidelines, allow=allow))
    analyse = getattr(screen, "analyse_now", None)
    if analyse is not None:
        analyse()
    app.notify(f"Could not keep “{words}” as yours to share: {reason}", title="config.toml", severity="error", timeout=15)
