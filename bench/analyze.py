"""Speed of the full guideline engine: `python3 bench/analyze.py`.

Prints the median time of `analyze()` (every check, plus the length rules of Mastodon and Bluesky)
after warm-up, for a 280-character post, a 3,000-character post and a 5,000-word essay, next to
the targets (2 ms, 5 ms, 40 ms; the essay's first analysis with an empty paragraph cache and no
kept length plan), one
keystroke in the essay (median and p95 of the open draft's checks, `Incremental().analyze` as the
composer runs them, after a one-character edit in the middle; target p95 < 10 ms), the resident memory of a fresh process after `warm_up()` and an essay
(target: well under the app's 120 MB), and the import cost of `composer.guidelines`.

    python3 bench/analyze.py [--quick]

`--quick` runs each measurement a few times only: it checks that the script works, its figures
are too rough to judge a target by.
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

SENTENCES = [
    "We spent the weekend repairing the community garden fence with our neighbours.",
    "The council finally agreed to fund the new bike lanes on Elm Street after two years of meetings.",
    "If you have spare tools, the library runs a lending shelf every Saturday morning.",
    "Thanks to everyone who came along; the soup was excellent and nobody lost a finger.",
    "Details and the full minutes are at https://example.org/garden/minutes-2024 for anyone curious.",
    "@maria@social.example organised the whole thing and deserves the credit. 🌱",
    "Next month we plan to plant fruit trees along the north side, weather permitting.",
    "The report argues that municipal infrastructure investment correlates with measurable improvements in resident wellbeing.",
    "Honestly, it was a good day. #CommunityGarden #Repair",
    "Bring gloves, water and a hat; the forecast says sun.",
    "Children are welcome, and there will be a small table of books to swap.",
    "I am sharing this because several people asked how they can help next time.",
]


def make_text(chars: int | None = None, words: int | None = None, seed: int = 1) -> str:
    rng = random.Random(seed)
    out: list[str] = []
    while True:
        s = rng.choice(SENTENCES)
        candidate = " ".join(out + [s])
        if chars is not None and len(candidate) > chars:
            rest = chars - len(" ".join(out)) - 1
            if rest > 0:  # fill up to exactly `chars` with the start of one more sentence
                out.append(s[: rest - 1] + "." if rest > 1 else ".")
            break
        out.append(s)
        if words is not None and len(candidate.split()) >= words:
            break
        if len(out) % 5 == 0:
            out[-1] += "\n\n"
    return " ".join(out)


def median_ms(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def import_ms(runs: int = 5) -> float:
    """Self time of importing composer.guidelines (python -X importtime), median of `runs` runs."""
    results = []
    for _ in range(runs):
        r = subprocess.run(
            [sys.executable, "-X", "importtime", "-c", "import composer.guidelines"],
            capture_output=True, text=True, cwd=Path(__file__).resolve().parent.parent,
        )
        for line in r.stderr.splitlines():
            parts = line.split("|")
            if len(parts) == 3 and parts[2].strip() == "composer.guidelines":
                results.append(int(parts[1]) / 1000)
    return statistics.median(results) if results else float("nan")


def rss_mb() -> tuple[float, float]:
    """(RSS after warm_up, RSS after analysing the essay) of a fresh process, in MB."""
    code = (
        "import sys; sys.path.insert(0, 'bench')\n"
        "def rss():\n"
        "    for line in open('/proc/self/status'):\n"
        "        if line.startswith('VmRSS'):\n"
        "            return int(line.split()[1]) / 1024\n"
        "import composer.guidelines as g\n"
        "g.warm_up(); a = rss()\n"
        "from analyze import make_text\n"
        "g.analyze(make_text(words=5000, seed=3), 'to tell', platforms=('mastodon', 'bluesky'))\n"
        "print(a, rss())\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                       cwd=Path(__file__).resolve().parent.parent)
    try:
        a, b = r.stdout.split()
        return float(a), float(b)
    except ValueError:
        return float("nan"), float("nan")


def keystrokes(analyze, essay: str, platforms, runs: int = 60) -> list[float]:
    """ms of analyze after each of `runs` one-character edits near the middle of the essay."""
    times = []
    text = essay
    mid = len(essay) // 2
    for i in range(runs):
        pos = mid + (i % 7) * 3
        text = text[:pos] + "abcdefg"[i % 7] + text[pos:]  # typing: one more character each time
        t = time.perf_counter()
        analyze(text, "to tell neighbours about the garden", platforms=platforms)
        times.append((time.perf_counter() - t) * 1000)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a few runs of each measurement (a smoke test)")
    args = parser.parse_args()
    scale = 0.04 if args.quick else 1.0  # quick: 12, 4 and 1 runs instead of 300, 100 and 25

    from composer.guidelines import analyze, clear_cache, warm_up

    t = time.perf_counter()
    warm_up()
    print(f"warm_up (word lists, syllable table, pyphen, clickbait model): {(time.perf_counter() - t) * 1000:.0f} ms")
    cases = [
        ("280-character post", make_text(chars=280), 2.0, 300),
        ("3,000-character post", make_text(chars=3000, seed=2), 5.0, 100),
        ("5,000-word essay", make_text(words=5000, seed=3), 40.0, 25),
    ]
    platforms = ("mastodon", "bluesky")
    try:
        analyze("warm", "to test", platforms=platforms)
    except Exception as err:  # length rules not installed yet
        print(f"(length rules unavailable: {err!r}; timing without them)")
        platforms = ()
    for label, text, target, runs in cases:
        for _ in range(3):
            analyze(text, "to tell neighbours about the garden", platforms=platforms)  # noqa: B023 (timed at once)

        def first() -> None:
            clear_cache()  # a first analysis: no paragraph kept from an earlier one
            analyze(text, "to tell neighbours about the garden", platforms=platforms)  # noqa: B023 (timed at once)

        ms = median_ms(first, max(1, round(runs * scale)))
        verdict = "ok" if ms < target else "OVER TARGET"
        print(f"{label:24} {len(text):>7} chars {len(text.split()):>6} words  median {ms:7.2f} ms  (target < {target:g} ms) {verdict}")
    essay = cases[-1][1]
    from composer.guidelines.incremental import Incremental

    for label, plats in (("with mastodon+bluesky length", platforms), ("without length rules", ())):
        # As in the composer: the open draft's checks (one Incremental, kept between keystrokes).
        # `analyze` itself keeps nothing between calls: each call is a first analysis.
        draft = Incremental()
        draft.analyze(essay, "to tell neighbours about the garden", platforms=plats)
        times = sorted(keystrokes(draft.analyze, essay, plats, runs=5 if args.quick else 60))
        p95 = times[max(0, int(len(times) * 0.95) - 1)]
        verdict = "ok" if p95 < 10 else "OVER TARGET"
        print(f"one keystroke in the essay, {label:28}: median {statistics.median(times):6.2f} ms, "
              f"p95 {p95:6.2f} ms (target p95 < 10 ms) {verdict}")
    after_warm_up, after_essay = rss_mb()
    print(f"RSS of a fresh process: {after_warm_up:.0f} MB after warm_up, {after_essay:.0f} MB after the essay")
    from composer.guidelines import clickbait, language, length, personal_info, purpose, readability, shouting

    parts = [
        ("purpose", lambda: purpose.check(essay, None)),
        ("read time + readability", lambda: readability.readability(essay)),
        ("shouting", lambda: shouting.check(essay)),
        ("personal-info", lambda: personal_info.check(essay)),
        ("obscenity + hate", lambda: language.check(essay)),
        ("clickbait", lambda: clickbait.check(essay)),
        ("length mastodon", lambda: (length.forget(), length.findings(essay, "mastodon"))),  # not the kept result
        ("length bluesky", lambda: (length.forget(), length.findings(essay, "bluesky"))),
    ]
    print("essay, by check:", ", ".join(f"{name} {median_ms(fn, 3 if args.quick else 9):.1f} ms" for name, fn in parts))
    print(f"import composer.guidelines: {import_ms(1 if args.quick else 5):.1f} ms (cumulative, python -X importtime; target < 150 ms)")


if __name__ == "__main__":
    main()
