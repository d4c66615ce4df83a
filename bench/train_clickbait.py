"""Train the clickbait model shipped as composer/guidelines/data/clickbait_model.json.

    python3 bench/train_clickbait.py            # writes the shipped file (byte for byte the same)
    python3 bench/train_clickbait.py --check    # exits 1 if the shipped file differs

Data: ../shared/data/clickbait/ (Chakraborty et al., "Stop Clickbait", ASONAM 2016; training split),
or the directory in $HUMANE_CLICKBAIT_DATA. Needs numpy (training only; the app never imports it).

The model is an L2-regularised logistic regression over lowercased word 1-2-grams of the *copy
vocabulary* below (closed-class words and bait words). Every other word is seen only by its ending
(composer.guidelines.clickbait.shape) and numbers as one token, so the model cannot learn topics,
names, publishers or casing (the corpus leaks all four; see shared/guidelines-notes.md). Articles
and the first person are left out on purpose (see FUNCTION_WORDS).

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

FUNCTION_WORDS = """
this that these those some any every each all both either neither no many much more most
few fewer less least several such what which whose whatever whichever
you your yours yourself yourselves he him his himself
she her hers herself it its itself they them their theirs themselves ones someone somebody
something anyone anybody anything everyone everybody everything nobody nothing none
about above across after against along among around at before behind below beneath beside besides
between beyond by down during except for from in inside into like near of off on onto out outside
over past since through throughout till to toward towards under until up upon with within without via
and but or nor so yet because although though if unless while whereas whether than as
am is are was were be been being have has had having do does did doing done
will would shall should can could may might must ought
you're you've you'd you'll he's she's it's they're they've
they'll they'd that's there's here's what's who's how's where's let's
won't can't don't doesn't didn't isn't aren't wasn't weren't haven't hasn't hadn't wouldn't
shouldn't couldn't mustn't
not never always ever just only even also still already again too very really so quite
here there now then when where why how who whom
yes oh ok okay please
"""
"""Closed-class words: determiners, pronouns, prepositions, conjunctions, auxiliaries and modals,
question words and common adverbs; how a sentence is built, not what it is about. Left out on
purpose: articles (a, an, the), because headlinese drops them, so in this corpus they mark the
publisher's style rather than bait, and every honest sentence has them; and the first person
(I, my, we, our), because bait headlines use it but honest posts are full of it (a title in the
first person is judged more strictly instead, see PERSONAL_THRESHOLD)."""

BAIT_WORDS = """
u ur y'all omg wow wtf lol af bae dude dudes guy guys squad goals feels
amazing awesome incredible incredibly unbelievable insane insanely hilarious hilariously adorable adorably
epic genius brilliant stunning shocking shocked terrifying perfect perfectly ultimate literally
totally absolutely seriously actually truly honestly basically definitely probably secretly
best worst greatest cutest weirdest funniest craziest strangest scariest biggest
crazy weird awkward ridiculous cute gorgeous sexy beautiful glorious wholesome iconic legendary magical
mind blowing blown jaw dropping heartbreaking heartwarming relatable
surprising surprise surprised secret truth
things thing reasons reason ways times photos pictures pics images tweets gifs memes signs facts
tips tricks trick hacks hack secrets lessons habits mistakes moments struggles questions quotes
people kids parents women men girls boys couples celebrities
quiz test personality zodiac guess
know need needs try tried tries believe happened happens happen tell prove proves reveal reveals
discover change changes feel remember understand love hate watch see look looks
says said report reports announces announced dies died dead killed kills plans launches
calls urges seeks faces amid vs former study finds
react reacts reacted meet proof ranked ranking definitive
photo video videos gif selfie selfies instagram tumblr twitter snapchat youtube emoji internet
struggle cry laugh versus guide fail fails win
"""
"""Content words of copy: hype, slang, listicle nouns, quiz words, reaction verbs, and the
verbs of news attribution ("says", "report") that mark the other side."""

VOCAB = sorted(set(FUNCTION_WORDS.split()) | set(BAIT_WORDS.split()))

CUES = """
you your you're you'll you've you'd yours yourself yourselves u ur y'all
this these here here's
what what's why how which who ever every only never everyone everybody anyone anybody nobody
everything nothing someone somebody people
really actually literally totally absolutely seriously perfectly truly honestly basically
definitely probably secretly just so too very
amazing awesome incredible incredibly unbelievable insane insanely hilarious hilariously adorable
adorably epic genius brilliant stunning shocking shocked terrifying perfect ultimate
best worst greatest cutest weirdest funniest craziest strangest scariest biggest most
crazy weird awkward ridiculous cute gorgeous sexy beautiful glorious wholesome iconic legendary
magical mind blowing blown jaw dropping heartbreaking heartwarming relatable
surprising surprise surprised secret truth
things thing reasons reason ways times photos pictures pics images tweets gifs memes signs facts
tips tricks trick hacks hack secrets lessons habits mistakes moments struggles questions quotes
quiz test personality zodiac guess
know need needs try tried tries believe happened happens happen tell prove proves reveal reveals
discover change changes feel remember understand love hate watch see look looks
react reacts reacted meet proof ranked ranking definitive
omg wow wtf lol af bae dude dudes guy guys squad goals feels
photo video videos gif selfie selfies instagram tumblr twitter snapchat youtube emoji internet
struggle cry laugh fail fails win
""".split()
"""The words that make copy bait (second person, forward reference, hype, listicle and quiz
words, reactions). In a post, a sentence is flagged only if such cues carry its score: the
grammar words alone are how honest prose talks, too. A number counts as a cue when it leads."""

STEPS = 600
LEARNING_RATE = 0.05
L2 = 1.0
MIN_COUNT = 3
"""A feature must occur in at least this many training headlines."""
MIN_WEIGHT = 0.05
"""Weights smaller than this (absolute) are dropped from the shipped table."""
THRESHOLD = 0.25
"""Log-odds a sentence must reach to be flagged when the text is shaped like a title (one
sentence, no closing punctuation): headlines and headline-style posts."""
PERSONAL_THRESHOLD = 4.0
"""The same for a title in the first person ("We tried…", "I …"): bait headlines use it, but so
does every honest personal one-liner, so only very strong copy counts."""
POST_THRESHOLD = 4.0
"""A post in which the writer speaks in the first person anywhere is left to the patterns."""
MIN_WORDS = 2
MIN_CREDIT = 0.3
MIN_CUE_WEIGHT = 2.0
"""In a post (several sentences, or prose punctuation), a sentence not in the first person is
flagged when it scores POST_THRESHOLD, at least MIN_WORDS different cue words each add MIN_CREDIT,
and the cues add MIN_CUE_WEIGHT in all. All thresholds were chosen by cross-validation on the
development part of the corpus and on tests/data/posts_*.txt (see bench/clickbait_eval.py)."""


def load(data_dir: Path = DATA) -> tuple[list[str], list[int]]:
    pos = (data_dir / "clickbait.txt").read_text(encoding="utf-8").splitlines()
    neg = (data_dir / "not_clickbait.txt").read_text(encoding="utf-8").splitlines()
    pos = [t for t in pos if t.strip()]
    neg = [t for t in neg if t.strip()]
    return pos + neg, [1] * len(pos) + [0] * len(neg)


def train(texts: list[str], labels: list[int]) -> dict:
    """Fit the model on these headlines; returns the JSON-ready dict."""
    import numpy as np

    vocab = frozenset(VOCAB)
    assert not vocab & cb._NUMBER_WORDS, "number words are NUMBER, never vocabulary"
    feats = [cb.headline_features(t, vocab) for t in texts]
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
            "lowercased word 1-2-grams of a copy vocabulary (closed-class words and bait words; "
            "other words are seen only by their ending, numbers as one token). "
            "Trained by bench/train_clickbait.py on the Stop Clickbait headlines "
            "(Chakraborty et al., ASONAM 2016, training split)."
        ),
        "version": 2,
        "threshold": THRESHOLD,
        "personal_threshold": PERSONAL_THRESHOLD,
        "post_threshold": POST_THRESHOLD,
        "min_words": MIN_WORDS,
        "min_credit": MIN_CREDIT,
        "min_cue_weight": MIN_CUE_WEIGHT,
        "bias": round(b, 3),
        "vocab": sorted(vocab),
        "cues": sorted(set(CUES)),
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
