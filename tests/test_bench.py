"""Every benchmark script runs as the README says (`python3 bench/NAME.py`, from the repository),
with its quickest setting, so that none can break unnoticed. The figures are not judged here:
speed is what the scripts measure, not what tests assert."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"

QUICK = {
    "analyze.py": (["--quick"], ["280-character post", "one keystroke in the essay", "RSS of a fresh process:",
                                 "import composer.guidelines:"]),
    "build_syllables.py": (["--check"], ["up to date"]),
    "drafts.py": (["--quick"], ["save (temp file, fsync, rename, fsync dir):", "list of 20 drafts"]),
    "images.py": (["--quick"], ["prepare (median of 1):", "peak RSS (median):", "Pillow imported by `humane check`: no"]),
    "keystrokes.py": (["--quick"], ["keystroke -> editor repainted", "keystroke -> sidebar updated",
                                    "keystroke during a running analysis"]),
    "long_drafts.py": (["--quick"], ["keystroke median", "keystroke ratio"]),
    "length.py": (["--quick"], ["findings() mastodon + bluesky", "import, own time"]),
    "publish.py": (["--quick"], ["publish to 1 account (median):", "publish to 5 accounts (median):", "ratio 5/1:"]),
    "replies.py": (["--quick"], ["first listing:", "second look in the same session: 0 requests"]),
    "startup.py": (["--quick"], ["humane (composer),           first frame:", "humane RSS at first frame:"]),
}
"""Script -> (its quickest arguments, lines its output must show)."""

ELSEWHERE = {"clickbait_eval.py", "train_clickbait.py"}
"""The clickbait model's scripts, left to the model's own tests (tests/test_clickbait.py)."""


def test_every_bench_script_is_run_by_a_test():
    assert sorted(p.name for p in BENCH.glob("*.py") if p.name not in ELSEWHERE) == sorted(QUICK)


def test_no_bench_script_hides_a_standard_module():
    # `python3 bench/x.py` puts bench/ first on sys.path: a bench/typing.py once broke every script.
    assert sorted(p.stem for p in BENCH.glob("*.py") if p.stem in sys.stdlib_module_names) == []


@pytest.mark.parametrize("script", sorted(QUICK))
def test_bench_script_runs_as_documented(script):
    args, expected = QUICK[script]
    r = subprocess.run([sys.executable, f"bench/{script}", *args], cwd=ROOT, capture_output=True, text=True,
                       timeout=300)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "Traceback" not in r.stderr, r.stderr
    for line in expected:
        assert line in r.stdout, f"{line!r} missing from:\n{r.stdout}"
    assert not re.search(r"\bnan\b", r.stdout), r.stdout  # a figure the script failed to measure
