"""Start-up of the composer: process start -> first frame, against a bare Textual app with one TextArea.

Each run starts a fresh process in a pseudo-terminal (120x36), reads what it writes, and stops the
clock when the first frame's text appears (a marker only the first frame contains). Runs alternate
between `humane` and the bare app so that machine load hits both alike; each `humane` run gets an
empty config and data folder of its own (the usual XDG folders, empty: a writer's first start). Also
prints resident memory (VmRSS) of `humane` right after the first frame, two seconds later (a new,
empty draft: the checks are not loaded until the writer types), and two seconds after a post has
been typed into it (every check and its data loaded), against the bare app's.

    python3 bench/startup.py [--runs N] [--quick]

It starts the `humane` installed in the environment of the Python that runs it (never another copy
found on PATH). `--quick` makes one measured run of each and skips the two-second wait for the second
memory figure: it checks that the script works, and is too rough to judge a target by.

Targets: issue 5, median ratio humane / bare <= 1.3 and RSS after start < 120 MB; issue 17, first frame
within 1.10x of the bare app and RSS two seconds after start within 1.3x of it (both printed).
"""

from __future__ import annotations

import argparse
import fcntl
import os
import pty
import select
import signal
import statistics
import struct
import sys
import tempfile
import termios
import textwrap
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

BARE_APP = textwrap.dedent(
    """
    from textual.app import App
    from textual.widgets import TextArea

    class Bare(App):
        def compose(self):
            yield TextArea("x bench-first-frame")

    Bare().run()
    """
)

SIZE = (120, 36)


def rss_mb(pid: int) -> float | None:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


POST = (
    "We open the bakery on Saturday at nine. Bring a friend, try the new rye loaf and tell us what "
    "you think: Zebulon baked it with Aurelie from the market. If you want to order ahead, write to "
    "us and we keep a loaf for you until noon."
)
"""Typed into the composer for the last memory figure (about 230 characters; names the CMU table
lacks, so the hyphenation patterns load too)."""


def drain(fd: int, seconds: float) -> None:
    """Read what the app writes for `seconds` (so that it never blocks on a full pty)."""
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        if select.select([fd], [], [], min(0.05, seconds))[0]:
            try:
                os.read(fd, 65536)
            except OSError:
                return


def first_frame(
    argv: list[str], marker: bytes, env: dict[str, str], timeout: float = 30.0, settle: float = 0.0,
    typed: str = "",
) -> tuple[float, float | None, float | None, float | None]:
    """Seconds from fork to the first frame; RSS (MB) then, `settle` seconds later, and (with
    `typed`) `settle` seconds after typing it."""
    start = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:  # child
        try:
            os.execvpe(argv[0], argv, env)
        finally:
            os._exit(127)
    cols, rows = SIZE
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    seen = b""
    elapsed = None
    try:
        while time.perf_counter() - start < timeout:
            ready, _, _ = select.select([fd], [], [], 0.05)
            if not ready:
                continue
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
            if marker in seen:
                elapsed = time.perf_counter() - start
                break
        if elapsed is None:
            raise RuntimeError(f"{' '.join(argv)}: no first frame within {timeout} s; it wrote {seen[-400:]!r}")
        rss_now = rss_mb(pid)
        rss_later = None
        if settle:
            drain(fd, settle)
            rss_later = rss_mb(pid)
        rss_typed = None
        if typed and settle:
            for ch in typed:  # a key at a time, as a writer types (fast)
                os.write(fd, ch.encode())
                drain(fd, 0.005)
            drain(fd, settle)
            rss_typed = rss_mb(pid)
        return elapsed, rss_now, rss_later, rss_typed
    finally:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        os.waitpid(pid, 0)
        os.close(fd)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--quick", action="store_true", help="one run of each, no wait (a smoke test)")
    args = parser.parse_args()
    if args.quick:
        args.runs = 1
    from tests.command import find_humane

    humane = find_humane()
    if humane is None:
        print(f"`humane` is not installed in the environment of {sys.executable}: run this script with "
              "the Python of the environment that has it (see Benchmarks in README.md)", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="humane-bench-") as tmp:
        bare = Path(tmp) / "bare_app.py"
        bare.write_text(BARE_APP, encoding="utf-8")
        # PYTHONDONTWRITEBYTECODE (set in some shells and CI images) would make every run of
        # `humane` compile our modules from source, while Textual's own bytecode was written by
        # pip at install time: an unfair start. Installed, both have bytecode; the unmeasured
        # first run writes ours.
        base_env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES", "PYTHONDONTWRITEBYTECODE")}
        base_env["TERM"] = "xterm-256color"
        base_env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
        ours, theirs, rss_start, rss_warm, bare_start, bare_warm, rss_typed = [], [], [], [], [], [], []
        # One unmeasured run of each first: file-system caches and .pyc files.
        for i in range(args.runs + 1):
            home = Path(tmp) / f"run{i}"
            # A writer's first start: config and data in the usual folders, none there yet. (Not
            # HUMANE_CONFIG naming a missing file: that shows a warning, which a writer sees only
            # after a typo in it.)
            env = dict(base_env, XDG_CONFIG_HOME=str(home / "config"), XDG_DATA_HOME=str(home / "data"))
            settle = 2.0 if i in (1, args.runs) and not args.quick else 0.0
            t_bare, b0, b1, _ = first_frame([sys.executable, str(bare)], b"bench-first-frame", base_env, settle=settle)
            t_ours, r0, r1, r2 = first_frame([str(humane)], b"Humane Composer", env, settle=settle, typed=POST)
            if i == 0:
                continue
            theirs.append(t_bare)
            ours.append(t_ours)
            if b0 is not None:
                bare_start.append(b0)
            if b1 is not None:
                bare_warm.append(b1)
            if r0 is not None:
                rss_start.append(r0)
            if r1 is not None:
                rss_warm.append(r1)
            if r2 is not None:
                rss_typed.append(r2)
    med_ours, med_bare = statistics.median(ours), statistics.median(theirs)
    print(f"humane: {humane}")
    print(f"runs: {args.runs} of each, alternating, {SIZE[0]}x{SIZE[1]} pty, load {os.getloadavg()[0]:.1f}")
    print(f"bare Textual app + TextArea, first frame: median {med_bare * 1000:.0f} ms (min {min(theirs) * 1000:.0f})")
    print(f"humane (composer),           first frame: median {med_ours * 1000:.0f} ms (min {min(ours) * 1000:.0f})")
    print(f"ratio humane / bare: median {med_ours / med_bare:.2f}, min {min(ours) / min(theirs):.2f}  (target <= 1.3)")
    if rss_start:
        print(f"humane RSS at first frame: {statistics.median(rss_start):.0f} MB (max {max(rss_start):.0f})  (target < 120 MB)")
    if rss_warm:
        print(f"humane RSS 2 s later (a new draft: the checks load when the writer first types): {max(rss_warm):.1f} MB")
    if rss_start and bare_start:
        print(f"bare app RSS at first frame: {statistics.median(bare_start):.0f} MB; "
              f"ratio humane / bare {statistics.median(rss_start) / statistics.median(bare_start):.2f}")
    if rss_warm and bare_warm:
        print(f"bare app RSS 2 s later: {max(bare_warm):.1f} MB; ratio humane / bare {max(rss_warm) / max(bare_warm):.2f}"
              "  (issue 17 target <= 1.3)")
    if rss_typed and bare_warm:
        print(f"humane RSS 2 s after typing a {len(POST)}-character post (every check loaded): {max(rss_typed):.1f} MB; "
              f"ratio to the bare app {max(rss_typed) / max(bare_warm):.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
