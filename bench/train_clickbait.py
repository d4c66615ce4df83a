"""Train the clickbait model shipped as composer/guidelines/data/clickbait_model.json.

    python3 bench/train_clickbait.py            # writes the shipped file (byte for byte the same)
    python3 bench/train_clickbait.py --check    # exits 1 if the shipped file differs

Data: ../shared/data/clickbait/ (Chakraborty et al., "Stop Clickbait", ASONAM 2016; training split),
or the directory in $HUMANE_CLICKBAIT_DATA. Needs numpy (training only; the app never imports it).

The model is an L2-regularised logistic regression over lowercased word n-grams of the *copy
vocabulary* below: second person, forward reference, hype and listicle words, quiz words, headline
verbs and function words. Every other word is replaced by one placeholder, so the model cannot learn
topics, names, publishers or casing (the corpus leaks all four; see shared/guidelines-notes.md).
First-person words are left out on purpose: honest posts are full of them.

Deterministic: fixed data order, full-batch Adam for a fixed number of steps, weights rounded.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from composer.guidelines import clickbait as cb  # noqa: E402

DATA = Path(os.environ.get("HUMANE_CLICKBAIT_DATA", ROOT.parent / "shared" / "data" / "clickbait"))
OUT = ROOT / "composer" / "guidelines" / "data" / "clickbait_model.json"

VOCAB = """
you your you're you'll you've you'd yours yourself yourselves u ur y'all
this these here here's what's
what why how which ever every only never forever
won't can't
one two three four five six seven eight nine ten eleven twelve thirteen fifteen twenty hundred
amazing awesome incredible incredibly unbelievable insane insanely hilarious hilariously adorable
epic genius brilliant stunning shocking shocked terrifying perfect perfectly ultimate literally
totally absolutely seriously actually really truly best worst greatest cutest weirdest funniest
craziest strangest scariest biggest crazy weird awkward ridiculous cute gorgeous
mind blowing blown jaw dropping heartbreaking heartwarming wholesome iconic legendary magical
surprising surprise surprised secret secretly omg wow wtf lol
things thing reasons reason ways times photos pictures pics images tweets gifs memes signs facts
tips tricks trick hacks hack secrets lessons habits mistakes moments struggles questions quotes
people everyone everybody anyone anybody someone somebody nobody everything
quiz test personality zodiac guess truth
know need needs should try believe happened happens happen tell prove proves reveal reveals
discover change changes feel remember understand love hate watch see must
says said report reports announces announced wins won dies died dead killed kills plans launches
calls urges seeks faces amid vs former study finds
guy guys dude dudes hot af bae squad goals feels obsessed perfection fail fails win ranked react
reacts reacted tries proof meet honestly relatable slay slayed lit adorably sexy photo video
videos gif selfie selfies instagram tumblr snapchat youtube emoji struggle cry laugh versus guide
nothing
""".split()

STEPS = 600
LEARNING_RATE = 0.05
L2 = 1.0
MIN_COUNT = 3
"""A feature must occur in at least this many training headlines."""
MIN_WEIGHT = 0.05
"""Weights smaller than this (absolute) are dropped from the shipped table."""
THRESHOLD = 0.0
"""Log-odds a sentence must reach to be flagged when the text is a single sentence (a title)."""
MIN_WORDS = 2
MIN_CREDIT = 0.5
"""A flagged sentence also needs at least MIN_WORDS different words that each add MIN_CREDIT or
more: one generic word ("this", "you", "everyone") is how honest posts talk, too."""
POST_THRESHOLD = 2.5
"""The same in a text of several sentences (a post), where the model sees each sentence out of
its context and honest prose must stay quiet. Both were chosen by cross-validation on the
development part of the corpus and on tests/data/posts_*.txt (see bench/clickbait_eval.py)."""


def load(data_dir: Path = DATA) -> tuple[list[str], list[int]]:
    pos = (data_dir / "clickbait.txt").read_text(encoding="utf-8").splitlines()
    neg = (data_dir / "not_clickbait.txt").read_text(encoding="utf-8").splitlines()
    pos = [t for t in pos if t.strip()]
    neg = [t for t in neg if t.strip()]
    return pos + neg, [1] * len(pos) + [0] * len(neg)


def headline_features(text: str, vocab: frozenset[str]) -> list[str]:
    norm = cb.normalise([w for w, _, _ in cb.tokens(text)], vocab)
    return sorted({f for f, _ in cb.features(norm)})


def train(texts: list[str], labels: list[int]) -> dict:
    """Fit the model on these headlines; returns the JSON-ready dict."""
    import numpy as np

    vocab = frozenset(VOCAB)
    feats = [headline_features(t, vocab) for t in texts]
    counts: dict[str, int] = {}
    for fs in feats:
        for f in fs:
            counts[f] = counts.get(f, 0) + 1
    names = sorted(f for f, c in counts.items() if c >= MIN_COUNT)
    index = {f: j for j, f in enumerate(names)}
    rows = [[index[f] for f in fs if f in index] for fs in feats]
    ind = np.array([j for r in rows for j in r], dtype=np.int64)
    rid = np.repeat(np.arange(len(rows)), [len(r) for r in rows])
    y = np.array(labels, dtype=np.float64)
    n, dims = len(rows), len(names)
    w = np.zeros(dims)
    b = 0.0
    m = np.zeros(dims)
    v = np.zeros(dims)
    mb = vb = 0.0
    for step in range(1, STEPS + 1):
        s = np.bincount(rid, weights=w[ind], minlength=n) + b
        p = 1.0 / (1.0 + np.exp(-s))
        r = p - y
        g = np.bincount(ind, weights=r[rid], minlength=dims) / n + L2 * w / n
        gb = float(r.mean())
        m = 0.9 * m + 0.1 * g
        v = 0.999 * v + 0.001 * g * g
        mb = 0.9 * mb + 0.1 * gb
        vb = 0.999 * vb + 0.001 * gb * gb
        c1 = 1 - 0.9**step
        c2 = 1 - 0.999**step
        w -= LEARNING_RATE * (m / c1) / (np.sqrt(v / c2) + 1e-8)
        b -= LEARNING_RATE * (mb / c1) / (np.sqrt(vb / c2) + 1e-8)
    weights = {
        f: round(float(w[j]), 3) for f, j in index.items() if abs(float(w[j])) >= MIN_WEIGHT
    }
    return {
        "about": (
            "Clickbait copy model for composer.guidelines.clickbait: logistic regression over "
            "lowercased word n-grams of a copy vocabulary (other words are one placeholder). "
            "Trained by bench/train_clickbait.py on the Stop Clickbait headlines "
            "(Chakraborty et al., ASONAM 2016, training split)."
        ),
        "version": 1,
        "threshold": THRESHOLD,
        "post_threshold": POST_THRESHOLD,
        "min_words": MIN_WORDS,
        "min_credit": MIN_CREDIT,
        "bias": round(b, 3),
        "vocab": sorted(vocab),
        "weights": dict(sorted(weights.items())),
    }


def dumps(model: dict) -> str:
    return json.dumps(model, ensure_ascii=False, indent=0, sort_keys=False) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="compare with the shipped file")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    texts, labels = load()
    text = dumps(train(texts, labels))
    if args.check:
        same = args.out.exists() and args.out.read_text(encoding="utf-8") == text
        print("shipped model is reproduced exactly" if same else "shipped model DIFFERS")
        return 0 if same else 1
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    model = json.loads(text)
    print(f"wrote {args.out} ({len(text.encode()):,} bytes, {len(model['weights'])} weights)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
