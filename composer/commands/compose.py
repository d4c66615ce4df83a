"""`humane [PATH]`: open the composer (the Textual app)."""

from __future__ import annotations

import gc


def run_composer(path: str | None) -> int:
    # No garbage collection until the first frame is on screen: a full pass over the objects that
    # importing Textual makes costs 10-15 ms, and it fell just before the first frame went out.
    # The app freezes those objects (they live as long as it does) and turns collection back on
    # right after the first frame (ComposerApp._begin).
    gc.disable()
    try:
        from composer.tui.app import run

        return run(path)
    finally:
        gc.enable()
