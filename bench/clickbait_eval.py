"""How well the clickbait check judges real posts, headlines and a writer's honest posts.

    python3 bench/clickbait_eval.py             # every figure (about a minute)
    python3 bench/clickbait_eval.py --verbose   # also list the posts it gets wrong
    python3 bench/clickbait_eval.py --memory    # only what the loaded check holds (a few seconds)

"Flagged" means check() gave at least one *warning* (hints of severity info do not count). The
protocol, so that no figure is measured on data the check was trained on:

1. Cross-validation, 5 folds by a hash of each text (bench/train_clickbait.py's own folds): the
   model is trained by train_clickbait.py on 4 folds of both corpora and the whole check (patterns,
   model, thresholds) judges the fifth. The calibration and thresholds are those of the shipped
   model, chosen by the trainer from the same cross-validated scores (one number each). Each
   corpus text is judged as it was published, with a link (the corpora keep the text only).
2. Real posts: ../shared/data/webis17 (Webis-Clickbait-17, training half). Headlines:
   ../shared/data/clickbait (Stop Clickbait, training half).
3. Writers' posts: tests/data/posts_honest.txt (must raise no clickbait, shouting, obscenity or
   hate warning in the whole analyze()), posts_news.txt (honest news-style posts, as outlets
   write them) and posts_bait.txt, with the shipped model.
4. Memory: a fresh process loads the check step by step, in the order `warm_up()` does (import;
   the model; packing its weights; the pattern indexes; then `warm_up()` itself, with nothing
   left to do; the first check of a post; a 5,000-word essay) and prints the growth of its
   resident memory (VmRSS) at each step, then the same steps again under tracemalloc for what
   Python objects the loaded check holds. RSS also keeps what loading freed (the decoded JSON),
   tracemalloc counts only what is still held; both run with byte-code caching on, as an
   installed app has it.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import train_clickbait as trainer  # noqa: E402

from composer.guidelines import analyze  # noqa: E402
from composer.guidelines import clickbait as cb  # noqa: E402

POSTS = ROOT / "tests" / "data"


def load_posts(name: str) -> list[str]:
    """Posts of a fixture file: separated by lines holding only '---'; '#' lines before the
    first separator are comments."""
    raw = (POSTS / f"posts_{name}.txt").read_text(encoding="utf-8")
    return [p.strip("\n") for p in raw.split("\n---\n")[1:] if p.strip()]


def warned(text: str) -> bool:
    return any(f.severity == "warning" for f in cb.check(text))


class Counts:
    def __init__(self) -> None:
        self.tp = self.fp = self.fn = self.tn = 0

    def add(self, flagged: bool, label: int) -> None:
        if flagged and label:
            self.tp += 1
        elif flagged:
            self.fp += 1
        elif label:
            self.fn += 1
        else:
            self.tn += 1

    def prf(self) -> tuple[float, float, float]:
        p = self.tp / max(1, self.tp + self.fp)
        r = self.tp / max(1, self.tp + self.fn)
        return p, r, 2 * p * r / max(1e-12, p + r)

    def line(self) -> str:
        p, r, f = self.prf()
        return f"precision {p:.3f}  recall {r:.3f}  F1 {f:.3f}  (n={self.tp + self.fp + self.fn + self.tn})"


def cross_validated(verbose: bool) -> None:
    shipped = json.loads(cb.MODEL_PATH.read_text(encoding="utf-8"))
    data, sw, sh, models = trainer.cross_validate()
    print(
        f"Cross-validation ({trainer.FOLDS} folds), whole check, warnings only; thresholds "
        f"{shipped['thresholds']}, calibration {shipped['calibration']}"
    )
    for key, title in (("webis", "real posts (Webis-Clickbait-17)"), ("headlines", "headlines (Stop Clickbait)")):
        texts, labels, _, folds = data[key]
        total = Counts()
        per_fold = []
        wrong: list[tuple[str, str]] = []
        for k, (weights, bias) in enumerate(models):
            cb.set_model({**shipped, "weights": weights, "bias": bias})
            fold = Counts()
            for text, label, f in zip(texts, labels, folds):
                if f == k:
                    flagged = any(f.severity == "warning" for f in cb.check_part(text, trainer.as_posted(text)))
                    total.add(flagged, label)
                    fold.add(flagged, label)
                    if verbose and flagged != bool(label):
                        wrong.append(("false alarm" if flagged else "missed", text))
            per_fold.append(fold.prf()[2])
        print(f"  {title}: {total.line()}")
        print(f"    F1 by fold: {', '.join(f'{f:.3f}' for f in per_fold)}")
        if key == "webis":
            reliability(sw, labels, shipped)
        for kind, text in wrong[:40]:
            print(f"    {kind}: {text[:100]!r}")
    cb.set_model(None)


def reliability(scores: list[float], labels: list[int], shipped: dict) -> None:
    """How calibrated the cross-validated probabilities are: predicted vs observed, by bin."""
    model = cb.Checker().model
    assert model is not None
    model.scale, model.shift = shipped["calibration"]["scale"], shipped["calibration"]["shift"]
    bins: dict[int, list[tuple[float, int]]] = {}
    for s, y in zip(scores, labels):
        p = model.probability(s)
        bins.setdefault(min(int(p * 5), 4), []).append((p, y))
    cells = []
    for b in sorted(bins):
        items = bins[b]
        cells.append(
            f"{b / 5:.1f}-{(b + 1) / 5:.1f}: said {statistics.mean(p for p, _ in items):.2f}, "
            f"was {statistics.mean(y for _, y in items):.2f} (n={len(items)})"
        )
    print("    calibration: " + "; ".join(cells))


def writers(verbose: bool) -> None:
    cb.set_model(None)
    print("Writers' posts (tests/data, shipped model):")
    honest = load_posts("honest")
    kinds: Counter[str] = Counter()
    hints = 0
    for post in honest:
        report = analyze(post)
        for f in report.findings:
            if f.category in ("clickbait", "shouting", "obscenity", "hate"):
                if f.severity in ("warning", "error"):
                    kinds[f.category] += 1
                    if verbose:
                        print(f"    warning on an honest post: {post[:90]!r} <- {f.rule} “{post[f.start:f.end]}”")
                elif f.category == "clickbait":
                    hints += 1
    print(
        f"  honest posts ({len(honest)}): warnings by kind: "
        + (", ".join(f"{k} {n}" for k, n in sorted(kinds.items())) or "none")
        + f"; clickbait hints (info): {hints}"
    )
    news = load_posts("news")
    alarms = [p for p in news if warned(p)]
    print(f"  honest news-style posts: warned {len(alarms)}/{len(news)}")
    bait = load_posts("bait")
    missed = [p for p in bait if not warned(p)]
    print(f"  bait posts: warned {len(bait) - len(missed)}/{len(bait)} (recall {1 - len(missed) / len(bait):.1%})")
    if verbose:
        for p in alarms:
            print(f"    warned news post: {p[:90]!r}")
        for p in missed:
            print(f"    missed bait: {p[:90]!r}")


def median_ms(fn, text: str, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn(text)
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1000


def speed() -> None:
    cb.set_model(None)
    t0 = time.perf_counter()
    cb.warm_up()
    warm = (time.perf_counter() - t0) * 1000
    honest = load_posts("honest")
    post = " ".join(honest)[:280]
    words = " ".join(honest + load_posts("bait")).split()
    essay = " ".join((words * (5000 // len(words) + 1))[:5000])
    size = cb.MODEL_PATH.stat().st_size
    print(f"Speed (check() alone, after warm_up() which took {warm:.0f} ms; model file {size:,} bytes):")
    print(f"  280-character post: {median_ms(cb.check, post, 300):.3f} ms")
    print(f"  5,000-word essay ({len(essay):,} characters): {median_ms(cb.check, essay, 15):.2f} ms")


MEMORY_STEPS = """
import gc, sys, time, tracemalloc
traced = sys.argv[1] == "traced"
import json, math, re, zlib, array  # what any loaded composer has: not the check's own cost
import composer.guidelines.model
def load_posts(name):  # as clickbait_eval.load_posts, which imports the check
    raw = open(f"tests/data/posts_{name}.txt", encoding="utf-8").read()
    return [p.strip("\\n") for p in raw.split("\\n---\\n")[1:] if p.strip()]
post = " ".join(load_posts("honest"))[:280]
words = " ".join(load_posts("honest") + load_posts("bait")).split()
essay = " ".join((words * (5000 // len(words) + 1))[:5000])
def rss():
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) / 1024 for line in f if line.startswith("VmRSS:"))
def held():
    return tracemalloc.get_traced_memory()[0] / 2**20
def step(name, fn):
    fn()
    gc.collect()
    print(name, rss() if not traced else held())
gc.collect()
if traced:
    tracemalloc.start()
step("start", lambda: None)
step("import", lambda: __import__("composer.guidelines.clickbait"))
cb = sys.modules["composer.guidelines.clickbait"]
step("model", lambda: cb.DEFAULT.model)
step("pack", lambda: getattr(cb.DEFAULT.model, "pack", lambda: None)())  # as warm_up() does, first
step("indexes", lambda: (cb.DEFAULT.index, cb.DEFAULT.sure_index))
step("warm_up", cb.warm_up)
step("post", lambda: cb.check(post))
step("essay", lambda: cb.check(essay))
"""


def memory() -> None:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}

    def run(mode: str) -> list[tuple[str, float]]:
        r = subprocess.run([sys.executable, "-c", MEMORY_STEPS, mode], cwd=ROOT, env=env, capture_output=True,
                           text=True, check=True)
        return [(name, float(value)) for name, value in (line.split() for line in r.stdout.splitlines())]

    run("rss")  # writes the byte-code caches, if they were missing
    rss, held = run("rss"), run("traced")
    print("Memory of the loaded check (fresh process; MB added by each step):")
    for label, steps in (("RSS", rss), ("held by Python objects (tracemalloc)", held)):
        parts = ", ".join(f"{name} {value - prev:+.2f}" for (_, prev), (name, value) in zip(steps, steps[1:]))
        print(f"  {label}: {parts}; total {steps[-1][1] - steps[0][1]:+.2f} MB")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--verbose", action="store_true", help="list the posts it gets wrong")
    parser.add_argument("--memory", action="store_true", help="only the memory of the loaded check")
    args = parser.parse_args()
    if args.memory:
        memory()
        return 0
    cross_validated(args.verbose)
    writers(args.verbose)
    speed()
    memory()
    return 0


if __name__ == "__main__":
    sys.exit(main())
