"""Draft store speed: save (atomic, with fsync) and load of a 5,000-word draft; list of many drafts;
the cost of Autosaver.changed() on the caller's thread.

Run alone: `python3 bench/drafts.py` (uses a temporary folder on the same disk as /tmp; pass a
folder as the first argument to measure another disk). Prints median and p95 per operation.
"""

from __future__ import annotations

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
    base = Path(sys.argv[1]) if len(sys.argv) > 1 else None
    with tempfile.TemporaryDirectory(dir=base) as tmp:
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
        for i in range(RUNS):
            draft.body = body + str(i)
            t = time.perf_counter()
            store.save(draft)
            saves.append(time.perf_counter() - t)
        print(f"save (temp file, fsync, rename, fsync dir): {stats(saves)}")

        loads = []
        for _ in range(RUNS):
            t = time.perf_counter()
            store.load(draft.id)
            loads.append(time.perf_counter() - t)
        print(f"load (read, split, TOML, checks):          {stats(loads)}")

        updates = []
        for i in range(RUNS):
            t = time.perf_counter()
            store.update(draft.id, lambda d, i=i: setattr(d, "purpose", f"p{i}"))
            updates.append(time.perf_counter() - t)
        print(f"update (lock, load, change, save):         {stats(updates)}")

        saver = Autosaver(store, draft, interval=3600, timer=False)
        n = 20000
        t = time.perf_counter()
        for i in range(n):
            saver.changed(body=body)
        per = (time.perf_counter() - t) / n
        print(f"Autosaver.changed() per keystroke:          {per * 1e6:7.2f} µs (no I/O)")

        for i in range(199):
            d = store.new(body=text(300, seed=i), purpose=f"draft {i}")
            store.save(d)
        lists = []
        for _ in range(10):
            t = time.perf_counter()
            got = store.list()
            lists.append(time.perf_counter() - t)
        print(f"list of {len(got)} drafts (one 5,000 words):      {stats(lists)}")


if __name__ == "__main__":
    main()
