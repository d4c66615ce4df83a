"""Typing with a 5,000-word draft open: keystroke -> editor repainted, and keystroke -> sidebar updated.

The real composer runs headless (Textual's own test driver, 120x36) with a Mastodon and a Bluesky
account ticked, so every analysis also measures both budgets and thread splits. For each keystroke:

* editor: from the key press until the screen has been refreshed with it (the writer sees the letter);
* sidebar: from the key press until the sidebar shows the analysis of the new text. This includes
  the deliberate pause of ANALYSIS_DELAY (the checks wait for typing to pause), so the script also
  prints the part after that pause: analysis + painting, which is what the 50 ms target is about.

A second phase types bursts of keys while an analysis is running in its thread, to show the editor
never waits for it.

    python3 bench/keystrokes.py [--keys N] [--words N] [--quick]

`--words 100000` types into a 100,000-word draft (issue 17: p95 under 50 ms from the end of the
pause to the updated sidebar there too).

`--quick` types three keys and one burst: it checks that the script works, and is too rough to
judge a target by.

Target (issue 5): p95 under 50 ms from the end of the typing pause to the updated sidebar, and the
editor itself never waits for the analysis.
"""

from __future__ import annotations

import argparse
import asyncio
import atexit
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from textual import events

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PARAGRAPH = (
    "The neighbourhood association met on Tuesday to plan the street fair. We agreed on stalls for "
    "local bakers, a repair café for bikes and small appliances, and a corner where children can "
    "paint the fence that the council finally replaced. Volunteers are still needed for the morning "
    "shift, and anyone with a cargo bike can help carry tables from the school hall. "
)
EXTRAS = [
    "You won't believe how many cakes we sold last year. ",
    "PLEASE BRING YOUR OWN CUPS this time!!! ",
    "Questions go to the committee at fair@example.org. ",
]


KEY_GAP = 0.05
"""Seconds between measured keys. Textual paints at most 60 frames a second, so a key pressed
right after a frame waits up to 16 ms for the next one; real typing leaves 80-200 ms between keys."""


def essay(words: int = 5000) -> str:
    parts, n, i = [], 0, 0
    while n < words:
        p = PARAGRAPH + EXTRAS[i % len(EXTRAS)]
        parts.append(p.strip())
        n += len(p.split())
        i += 1
    text = "\n\n".join(parts)
    return text + "\n\nSee you there, and thank you"


def pct(values: list[float], p: float) -> float:
    s = sorted(values)
    k = max(0, min(len(s) - 1, round(p / 100 * (len(s) - 1))))
    return s[k]


async def run(keys: int, bursts: int = 5, words: int = 5000) -> int:
    from composer.config import AccountConfig, Config, EditorSettings
    from composer.drafts import DraftStore
    from composer.tui.app import make_app
    from composer.tui.screens.compose import ANALYSIS_DELAY

    tmp = Path(tempfile.mkdtemp(prefix="humane-typing-"))
    atexit.register(shutil.rmtree, tmp, ignore_errors=True)
    os.environ["HUMANE_CONFIG"] = str(tmp / "config.toml")
    os.environ["HUMANE_DATA_DIR"] = str(tmp / "data")
    store = DraftStore(tmp / "data")
    body = essay(words)
    draft = store.new(body=body, purpose="To invite the neighbours to the fair", accounts=["home", "sky"])
    store.save(draft)
    config = Config(
        accounts={
            "home": AccountConfig("home", "mastodon", server="https://mastodon.example"),
            "sky": AccountConfig("sky", "bluesky", handle="fair.bsky.social"),
        },
        editor=EditorSettings(autosave_seconds=1.5, undo_seconds=5.0),
    )
    app = make_app(str(store.path(draft.id)), config=config, store=store, recover=False, warm_up=False, cursor_blink=False)
    from composer.guidelines import warm_up

    warm_up()  # as the app does in a thread at start; measured typing starts after it
    import gc

    gc.freeze()  # as the app does after warming up
    async with app.run_test(size=(120, 36)) as pilot:
        screen = None
        while screen is None or not screen.side_ready or screen.analysis is None:
            await pilot.pause(0.05)
            try:
                screen = app.compose_screen
            except LookupError:
                screen = None
        editor = screen.editor
        editor.focus()
        editor.move_cursor(editor.document.end)
        await pilot.pause(0.5)
        words = len(editor.text.split())
        report = screen.analysis.report
        print(f"draft: {words:,} words, {len(editor.text):,} characters, {len(report.findings)} findings; "
              f"accounts: mastodon + bluesky; analysis off the event loop from {2000:,} characters")

        last_key = [0.0]

        async def keystroke(ch: str, widget) -> float:
            """Seconds from a key arriving (as the terminal driver delivers it) until the screen
            has been refreshed with it; Pilot's own waits are left out."""
            await asyncio.sleep(KEY_GAP)  # a fast typist: ~12 keys a second (and no frame pacing)
            before = widget.text
            painted = asyncio.Event()
            t0 = last_key[0] = time.perf_counter()
            app.post_message(events.Key(ch, ch))
            while widget.text == before:
                await asyncio.sleep(0)
            app.call_after_refresh(painted.set)
            await painted.wait()
            return time.perf_counter() - t0

        paint: list[float] = []
        sidebar: list[float] = []
        after_pause: list[float] = []
        checks: list[float] = []
        letters = "abcdefghij"
        for i in range(keys):
            paint.append(await keystroke(letters[i % len(letters)], editor))
            t0 = last_key[0]
            revision = screen.revision
            while not (screen.timings and screen.timings[-1][0] >= revision):
                await asyncio.sleep(0.002)
            rev, started, shown = screen.timings[-1]
            sidebar.append(shown - t0)
            after_pause.append(shown - started)
            checks.append(screen.analysis.seconds)

        # Bursts: keys typed while the previous text's analysis runs in its thread.
        burst: list[float] = []
        for _ in range(bursts):
            await keystroke(" ", editor)
            await asyncio.sleep(ANALYSIS_DELAY + 0.005)  # the checks have just started in their thread
            for ch in "quick":
                burst.append(await keystroke(ch, editor))
            await asyncio.sleep(ANALYSIS_DELAY + 0.3)

    bare = await bare_textarea(body, keys)

    def line(name: str, values: list[float]) -> str:
        return (f"{name:44s} median {statistics.median(values) * 1000:6.1f} ms   "
                f"p95 {pct(values, 95) * 1000:6.1f} ms   max {max(values) * 1000:6.1f} ms")

    print(f"{keys} keystrokes at the end of the draft, load {os.getloadavg()[0]:.1f}:")
    print(line("bare TextArea, same text: keystroke -> shown", bare))
    print(line("keystroke -> editor repainted", paint))
    print(line("keystroke -> sidebar updated (incl. pause)", sidebar))
    print(line(f"end of the {int(ANALYSIS_DELAY * 1000)} ms pause -> sidebar updated", after_pause))
    print(line("  of which the checks themselves (thread)", checks))
    print(line("keystroke during a running analysis -> shown", burst))
    ok = pct(after_pause, 95) < 0.050
    print(f"target p95 < 50 ms after the pause: {'met' if ok else 'NOT met'}")
    return 0


async def bare_textarea(text: str, keys: int) -> list[float]:
    """The same keystrokes into a plain Textual TextArea holding the same text (the floor)."""
    from textual.app import App
    from textual.widgets import TextArea

    class Bare(App):
        def compose(self):
            yield TextArea(text, soft_wrap=True)

    app = Bare()
    out = []
    async with app.run_test(size=(120, 36)) as pilot:
        area = app.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)
        await pilot.pause(0.3)
        for _i in range(keys):
            before = area.text
            painted = asyncio.Event()
            t0 = time.perf_counter()
            app.post_message(events.Key("a", "a"))
            while area.text == before:
                await asyncio.sleep(0)
            app.call_after_refresh(painted.set)
            await painted.wait()
            out.append(time.perf_counter() - t0)
            await asyncio.sleep(KEY_GAP)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keys", type=int, default=30)
    parser.add_argument("--words", type=int, default=5000, help="length of the draft typed into")
    parser.add_argument("--quick", action="store_true", help="three keys and one burst (a smoke test)")
    args = parser.parse_args()
    if args.quick:
        return asyncio.run(run(3, bursts=1))
    return asyncio.run(run(args.keys, words=args.words))


if __name__ == "__main__":
    sys.exit(main())
