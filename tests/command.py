"""The `humane` command of the Python environment the tests run in.

Tests that run the installed command use `humane_command()` (an absolute path), never a bare
"humane" looked up on PATH: PATH may hold a writer's own copy, another checkout's, or none at all.
"""

from __future__ import annotations

import functools
import os
import sys
import sysconfig
from pathlib import Path


def find_humane() -> Path | None:
    """The `humane` script installed for this Python (its environment's scripts folder, e.g. a
    venv's bin/), or None. The user scheme (~/.local/bin) is not looked at: pipx links other
    environments' commands there."""
    name = "humane.exe" if os.name == "nt" else "humane"
    for folder in (sysconfig.get_path("scripts"), os.path.dirname(sys.executable)):
        path = Path(folder) / name
        if path.is_file() and os.access(path, os.X_OK):
            return path
    return None


@functools.cache
def humane_command() -> str:
    """The path of this environment's `humane`; the test fails with what to do when there is none."""
    path = find_humane()
    if path is None:
        import pytest

        pytest.fail(
            f"the `humane` command is not installed in the environment of {sys.executable}: run the "
            "tests with `bash scripts/test`, or install the package there (`python -m pip install -e '.[test]'`)",
            pytrace=False,
        )
    return str(path)
