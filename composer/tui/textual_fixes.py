"""Work-arounds for Textual behaviour that does not scale with long drafts.

`WrappedDocument.height` (Textual 8.2) sums the wrap offsets of every line of the document each
time it is read, and a TextArea reads it several times per keystroke and per frame (scrolling,
cursor, layout): with a 100,000-word draft that is ~6 million generator steps per keystroke, about
2 ms per read and 4.9 s over ten keystrokes in bench/keystrokes.py --words 100000. The same
figure is the number of visual lines Textual already keeps (`_offset_to_line_info`, one entry per
wrapped line, kept in step by `wrap` and `wrap_range`): `apply()` makes `height` read that.
tests/test_tui_units.py checks the two agree after edits, so a Textual release that changes
either fails there rather than drawing wrongly.
"""

from __future__ import annotations

_APPLIED = False


def apply() -> None:
    """Patch `WrappedDocument.height` (once; idempotent)."""
    global _APPLIED
    if _APPLIED:
        return
    from textual.document._wrapped_document import WrappedDocument

    if "_offset_to_line_info" in WrappedDocument.__init__.__code__.co_names:  # else: leave Textual as it is

        def height(self: WrappedDocument) -> int:
            """The height of the wrapped document (one entry per visual line)."""
            return len(self._offset_to_line_info)

        WrappedDocument.height = property(height)  # type: ignore[assignment,method-assign]
    _APPLIED = True
