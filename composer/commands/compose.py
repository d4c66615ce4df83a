"""`humane [PATH]`: open the composer (the Textual app)."""

from __future__ import annotations

import sys


def run_composer(path: str | None) -> int:
    try:
        from composer.tui.app import run
    except ModuleNotFoundError as err:
        if err.name and err.name.startswith("composer.tui"):
            print("humane: the composer arrives soon; meanwhile see `humane --help`.", file=sys.stderr)
            return 0
        raise
    return run(path)
