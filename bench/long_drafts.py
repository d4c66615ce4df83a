"""A keystroke in a long draft: does its cost follow the edit or the length of the draft?

`python3 bench/long_drafts.py [--quick]`

Drafts of distinct 40-word paragraphs (5,000 and 100,000 words). For each: the first analysis of
the draft (nothing kept), then one-character edits at varying places, each analysed by the
draft's own `guidelines.Incremental` (as the composer holds one per open draft), with the length
rules of Mastodon and Bluesky and both accounts' budgets (`analysis.run_analysis`, as the sidebar
gets them). Prints the median and p95 of a keystroke at each size, and the ratio of the medians.

Targets (issue 17): a keystroke in the 100,000-word draft under 25 ms and under 4x one in the
5,000-word draft. `--quick` uses 2,000 and 20,000 words and a few keys: it checks that the script
works; its figures are too rough to judge a target by.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

WORDS = (
    "the a of and to in we our you your garden fence street library council meeting bike lane "
    "neighbours volunteers morning evening weekend soup bread tools gloves water hat trees fruit "
    "north side weather children books table school hall cargo tables stalls bakers repair café "
    "small appliances corner paint finally replaced still needed shift anyone carry help plan "
    "agreed fund new after two years minutes details report argues municipal infrastructure "
    "investment correlates measurable improvements resident wellbeing honestly good day bring "
    "forecast says sun welcome swap sharing because several people asked how they can next time "
    "spent repairing community with excellent nobody lost finger organised whole thing deserves "
    "credit month plant along permitting lending shelf every saturday spare have if"
).split()


def paragraph(rng: random.Random, words: int = 40) -> str:
    out: list[str] = []
    while len(out) < words:
        n = min(rng.randint(7, 14), words - len(out))
        sentence = [rng.choice(WORDS) for _ in range(n)]
        sentence[0] = sentence[0].capitalize()
        out.extend(sentence[:-1])
        out.append(sentence[-1] + rng.choice(".....?!"))
    return " ".join(out)


def draft(words: int, seed: int = 7) -> str:
    rng = random.Random(seed)
    return "\n\n".join(paragraph(rng) for _ in range(max(1, words // 40)))


def keystrokes(text: str, keys: int, seed: int = 3) -> tuple[list[float], list[float]]:
    """(wall ms, CPU ms of this thread) per keystroke: a letter typed (or deleted) somewhere in
    the draft, analysed incrementally. The CPU figure is what the analysis itself costs; on a
    busy machine the wall figure also holds the time other processes had the processor."""
    from composer.analysis import Target, run_analysis
    from composer.guidelines import Incremental

    targets = [Target("home", "mastodon"), Target("sky", "bluesky")]
    checks = Incremental()
    purpose = "to tell neighbours about the garden"

    def analyse(t: str, revision: int):
        return run_analysis(revision, t, purpose, targets=targets, checked=["home", "sky"], analyzer=checks.analyze,
                            tracker=checks.length)

    analyse(text, 0)
    rng = random.Random(seed)
    times, cpu = [], []
    pos = rng.randrange(len(text))
    for i in range(keys):
        if i % 10 == 0:  # the writer moves somewhere else now and then
            pos = rng.randrange(len(text))
        if i % 5 == 4 and pos > 0:
            text = text[: pos - 1] + text[pos:]  # a backspace
            pos -= 1
        else:
            text = text[:pos] + "abcdefghij"[i % 10] + text[pos:]
            pos += 1
        t, c = time.perf_counter(), time.thread_time()
        analyse(text, i + 1)
        times.append((time.perf_counter() - t) * 1000)
        cpu.append((time.thread_time() - c) * 1000)
    return times, cpu


def first_ms(text: str, runs: int) -> float:
    from composer.analysis import Target, run_analysis
    from composer.guidelines import Incremental

    targets = [Target("home", "mastodon"), Target("sky", "bluesky")]
    out = []
    for _ in range(runs):
        checks = Incremental()
        t = time.perf_counter()
        run_analysis(0, text, "to tell", targets=targets, checked=["home", "sky"], analyzer=checks.analyze,
                     tracker=checks.length)
        out.append((time.perf_counter() - t) * 1000)
    return statistics.median(out)


def pct(values: list[float], p: float) -> float:
    s = sorted(values)
    return s[max(0, min(len(s) - 1, round(p / 100 * (len(s) - 1))))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small drafts, a few keys (a smoke test)")
    args = parser.parse_args()
    from composer.guidelines import warm_up

    warm_up()
    sizes = (2_000, 20_000) if args.quick else (5_000, 100_000)
    keys = 10 if args.quick else 60
    medians = []
    for words in sizes:
        text = draft(words)
        first = first_ms(text, 1 if args.quick else 3)
        times, cpu = keystrokes(text, keys)
        medians.append((statistics.median(times), statistics.median(cpu)))
        print(f"{words:>7,} words ({text.count(chr(10) * 2) + 1:,} paragraphs): first analysis {first:7.1f} ms; "
              f"keystroke median {statistics.median(times):6.2f} ms, p95 {pct(times, 95):6.2f} ms, "
              f"max {max(times):6.2f} ms; CPU median {statistics.median(cpu):6.2f} ms, p95 {pct(cpu, 95):6.2f} ms")
    wall = medians[1][0] / medians[0][0] if medians[0][0] else float("inf")
    cpu_ratio = medians[1][1] / medians[0][1] if medians[0][1] else float("inf")
    print(f"keystroke ratio {sizes[1]:,} / {sizes[0]:,} words: {wall:.2f}x wall, {cpu_ratio:.2f}x CPU "
          f"(targets: under 25 ms at 100,000 words, ratio under 4x; load {os.getloadavg()[0]:.1f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
