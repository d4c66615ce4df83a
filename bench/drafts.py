"""Draft store speed: save (atomic, with fsync) and load of a 5,000-word draft; list of many drafts;
the cost of Autosaver.changed() on the caller's thread.

Run alone: `python3 bench/drafts.py [FOLDER] [--quick]` (uses a temporary folder on the same disk
as /tmp; name a folder to measure another disk). Prints median and p95 per operation. `--quick`
runs each operation a few times only, to check the script works; too few to judge a target.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from composer.drafts import Autosaver, Delivery, DraftStore  # noqa: E402
from composer.platforms.base import PartRecord  # noqa: E402

WORDS = 5000
RUNS = 60


def text(words: int, seed: int = 1) -> str:
    rng = random.Random(seed)
    vocab = ["the", "draft", "writer", "never", "loses", "a", "word", "kindness", "purpose", "post",
             "read", "time", "thread", "mastodon", "bluesky", "über", "naïve", "😀", "שלום"]
    lines, line = [], []
    for i in range(words):
        line.append(rng.choice(vocab))
        if len(line) == 12:
            lines.append(" ".join(line))
            line = []
            if i % 120 == 0:
                lines.append("")
    lines.append(" ".join(line))
    return "\n".join(lines)


def stats(samples: list[float]) -> str:
    s = sorted(samples)
    p95 = s[min(len(s) - 1, int(len(s) * 0.95))]
    return f"median {statistics.median(s) * 1000:7.2f} ms   p95 {p95 * 1000:7.2f} ms   (n={len(s)})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path, help="where to write (default: a temporary folder)")
    parser.add_argument("--quick", action="store_true", help="a few runs of each operation (a smoke test)")
    args = parser.parse_args()
    runs, drafts, lists, keystrokes = (5, 20, 2, 200) if args.quick else (RUNS, 200, 10, 20000)
    with tempfile.TemporaryDirectory(dir=args.folder) as tmp:
        store = DraftStore(Path(tmp))
        body = text(WORDS)
        draft = store.new(body=body, purpose="measure the store")
        draft.accounts = ["work", "home"]
        for name in draft.accounts:
            draft.deliveries[name] = Delivery(
                account=name, status="sent", url=f"https://example/{name}/1",
                parts=[PartRecord(key=f"k{i}", digest=f"{i:016x}", id=str(i)) for i in range(10)],
            )
        size = len(body.encode("utf-8"))
        print(f"draft: {len(body.split())} words, {size / 1024:.1f} KiB body, folder {tmp}")

        saves = []
        for i in range(runs):
            draft.body = body + str(i)
            t = time.perf_counter()
            store.save(draft)
            saves.append(time.perf_counter() - t)
        print(f"save (temp file, fsync, rename, fsync dir): {stats(saves)}")

        loads = []
        for _ in range(runs):
            t = time.perf_counter()
            store.load(draft.id)
            loads.append(time.perf_counter() - t)
        print(f"load (read, split, TOML, checks):          {stats(loads)}")

        updates = []
        for i in range(runs):
            t = time.perf_counter()
            store.update(draft.id, lambda d, i=i: setattr(d, "purpose", f"p{i}"))
            updates.append(time.perf_counter() - t)
        print(f"update (lock, load, change, save):         {stats(updates)}")

        saver = Autosaver(store, draft, interval=3600, timer=False)
        n = keystrokes
        t = time.perf_counter()
        for _ in range(n):
            saver.changed(body=body)
        per = (time.perf_counter() - t) / n
        print(f"Autosaver.changed() per keystroke:          {per * 1e6:7.2f} µs (no I/O)")

        for i in range(drafts - 1):
            d = store.new(body=text(300, seed=i), purpose=f"draft {i}")
            store.save(d)
        listed = []
        for _ in range(lists):
            t = time.perf_counter()
            got = store.list()
            listed.append(time.perf_counter() - t)
        print(f"list of {len(got)} drafts (one 5,000 words):      {stats(listed)}")


if __name__ == "__main__":
    main()
