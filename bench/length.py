"""Speed of the length rules: count(), findings() and split_thread().

Run alone: `python3 bench/length.py [--quick]`. Prints the median (and minimum) of repeated runs,
in ms (`--quick`: a few runs each, to check the script works; too few to judge a target).
Targets (issue 2 brief C): count() on a 3,000-character post well under 1 ms; findings() for
mastodon + bluesky on a 5,000-word essay under ~5 ms.
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from composer.guidelines.length import count, findings, split_thread  # noqa: E402

WORDS = (
    "the a of to and in that it is was for on are with as be at by this have from or one had not but "
    "what all were when we there can an your which their said if do will each about how up out them "
    "then she many some so these would other into has more her two like him see time could no make "
    "than first been its who now people my made over did down only way find use may water long little "
    "very after words called just where most know writing thread reader platform humane clear"
).split()
EXTRAS = [
    "https://example.com/articles/2024/why-it-matters?ref=feed",
    "@alice@mastodon.social",
    "@bob.bsky.social",
    "#writing",
    "👍🏽",
    "café",
]


def essay(words: int, seed: int = 2) -> str:
    """A deterministic essay: sentences of 8-20 words, paragraphs of 3-6 sentences, a link,
    mention, hashtag or emoji now and then."""
    rng = random.Random(seed)
    out: list[str] = []
    n = 0
    while n < words:
        sentences = []
        for _ in range(rng.randint(3, 6)):
            k = rng.randint(8, 20)
            ws = [rng.choice(WORDS) for _ in range(k)]
            if rng.random() < 0.15:
                ws.insert(rng.randint(0, k), rng.choice(EXTRAS))
            ws[0] = ws[0].capitalize()
            sentences.append(" ".join(ws) + rng.choice(".!?."))
            n += k
        out.append(" ".join(sentences))
    return "\n\n".join(out)


REPEAT_SCALE = 1.0
"""Multiplies every repeat count; `--quick` makes it small."""


def runs(repeat: int) -> int:
    return max(1, round(repeat * REPEAT_SCALE))


def median_ms(fn, repeat: int) -> str:
    """"median (min)" in ms: the machine is shared, so the minimum shows the uncontended cost."""
    fn()  # warm up
    times = []
    for _ in range(runs(repeat)):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return f"{statistics.median(times) * 1e3:7.3f} ({min(times) * 1e3:.3f})"


def main() -> None:
    global REPEAT_SCALE
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a few runs of each measurement (a smoke test)")
    if parser.parse_args().quick:
        REPEAT_SCALE = 0.02
    post = essay(600)[:3000]
    mixed = ("Grüße aus Köln 👨‍👩‍👧 日本語の文章 🇫🇷 שלום ") * 80
    mixed = mixed[:3000]
    big = essay(5000)
    print(f"3,000-char post ({len(post)} chars, ASCII + a few links/emoji); count(), median of {runs(200)}:")
    for p in ("mastodon", "bluesky", "x", "threads", "linkedin"):
        print(f"  {p:9} {median_ms(lambda: count(post, p), 200)} ms")  # noqa: B023 (timed at once)
    print(f"3,000-char mixed-script post (emoji, CJK, RTL); count(), median of {runs(200)}:")
    for p in ("mastodon", "bluesky", "x", "threads", "linkedin"):
        print(f"  {p:9} {median_ms(lambda: count(mixed, p), 200)} ms")  # noqa: B023 (timed at once)
    print(f"3,000-char post, findings() (over the limit: a thread is planned), median of {runs(100)}:")
    for p in ("mastodon", "bluesky", "x", "threads", "linkedin"):
        print(f"  {p:9} {median_ms(lambda: findings(post, p), 100)} ms")  # noqa: B023 (timed at once)
    print(f"5,000-word essay ({len(big):,} chars), median of {runs(30)}:")
    both = median_ms(lambda: (findings(big, "mastodon"), findings(big, "bluesky")), 30)
    print(f"  findings() mastodon + bluesky  {both} ms")
    for p in ("mastodon", "bluesky", "x", "threads", "linkedin"):
        ms = median_ms(lambda: split_thread(big, p), 30)  # noqa: B023 (timed at once)
        print(f"  split_thread({p:9}) {ms} ms  -> {len(split_thread(big, p))} parts")
    mixed_essay = (mixed + "\n\n") * 10
    ms = median_ms(lambda: (findings(mixed_essay, "mastodon"), findings(mixed_essay, "bluesky")), 20)
    print(f"  findings() mastodon + bluesky, 30,000-char mixed-script text  {ms} ms")
    own: dict[str, list[int]] = {}
    for _ in range(runs(5)):
        out = subprocess.run(
            [sys.executable, "-X", "importtime", "-c", "import composer.guidelines.length"],
            capture_output=True,
            text=True,
            cwd=Path(__file__).resolve().parent.parent,
        ).stderr.splitlines()
        run: dict[str, int] = {}
        for line in out:
            name = line.rsplit("|", 1)[-1].strip()
            if name.startswith("composer.guidelines.length"):  # the package and its modules, together
                name = "composer.guidelines.length"
            if name in ("composer.guidelines.length", "composer.guidelines.entities", "regex"):
                run[name] = run.get(name, 0) + int(line.split(":", 1)[1].split("|")[0])
        for name, us in run.items():
            own.setdefault(name, []).append(us)
    print(f"import, own time (regex compilation), best of {runs(5)}:")
    for name, us in own.items():
        print(f"  {name:28} {min(us) / 1e3:6.1f} ms")


if __name__ == "__main__":
    main()
