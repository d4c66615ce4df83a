"""Train the clickbait model shipped as composer/guidelines/data/clickbait_model.json.

    python3 bench/train_clickbait.py            # writes the shipped file (the same model; numbers may differ by 0.001 between numpy builds)
    python3 bench/train_clickbait.py --check    # exits 1 if the shipped file differs
    python3 bench/train_clickbait.py --index-only   # after editing the patterns: where each can start

Needs the `[train]` extra (numpy, scipy); the app never imports them. Data, beside this checkout
in ../shared/data (or $HUMANE_CLICKBAIT_DATA, a folder holding webis17/ and clickbait/):

- Real posts: Webis Clickbait Corpus 2017 (Webis-Clickbait-17), training half: Twitter posts by
  27 US news publishers, each judged by five readers. CC BY 4.0 (Zenodo record 5530410). Martin
  Potthast, Tim Gollub, Kristof Komlossy, Sebastian Schuster, Matti Wiegmann, Erika Patricia Garces
  Fernandez, Matthias Hagen and Benno Stein, "Crowdsourcing a Large Corpus of Clickbait on
  Twitter", COLING 2018, pages 1498-1507.
- Headlines: Abhijnan Chakraborty, Bhargavi Paranjape, Sourya Kakarla and Niloy Ganguly, "Stop
  Clickbait: Detecting and Preventing Clickbaits in Online News Media", IEEE/ACM ASONAM 2016
  (arXiv:1610.09786); the authors' public repository, MIT licence; training half.

The model is an L2-regularised logistic regression (L-BFGS to convergence, so the weights do not
depend on a step count) over the features of composer/guidelines/clickbait/features.py: word
1-2-grams of a *copy vocabulary* (closed-class words, bait words and news-copy words; every other
word only by its ending, numbers as one token, links not at all), the shape of the post (length,
how it ends, quotes, names, specific numbers, an answer after a colon) and which patterns matched.
Each corpus has its own intercept and the headlines count less (HEADLINE_WEIGHT), so the weights
learn from both while the shipped intercept is that of real posts. Its score is then calibrated
(Platt scaling on 5-fold cross-validated scores of the real posts), and the thresholds are chosen
on those cross-validated probabilities, for precision (see choose_thresholds).

Deterministic: fixed data order and folds (a hash of each text), weights rounded to 3 decimals.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from composer.guidelines.clickbait import checker as C  # noqa: E402
from composer.guidelines.clickbait import features as F  # noqa: E402
from composer.guidelines.clickbait.index import describe_all  # noqa: E402
from composer.guidelines.clickbait.model import prepare as prepare_text  # noqa: E402
from composer.guidelines.clickbait.model import unit_names  # noqa: E402
from composer.guidelines.clickbait.rules import RULES  # noqa: E402


def _shared() -> Path:
    """$HUMANE_CLICKBAIT_DATA, else the shared/data folder beside this checkout (or beside the
    folder of worktrees it is in)."""
    if os.environ.get("HUMANE_CLICKBAIT_DATA"):
        return Path(os.environ["HUMANE_CLICKBAIT_DATA"])
    for up in (ROOT.parent, ROOT.parent.parent):
        if (up / "shared" / "data" / "webis17").is_dir():
            return up / "shared" / "data"
    return ROOT.parent / "shared" / "data"


SHARED = _shared()
OUT = ROOT / "composer" / "guidelines" / "data" / "clickbait_model.json"
INDEX_OUT = OUT.with_name("clickbait_index.json")
"""Where each pattern can start (composer.guidelines.clickbait.index.describe_all): needs no data."""
FOLDS = 5

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
first person is judged by a stricter threshold instead, see PERSONAL_PRECISION)."""

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

NEWS_AND_COPY_WORDS = """
twist real strange simple true impossible wrong hard pretty funny sad viral tears moment way kind
lot find took got came comes get gets take going possible stories response reading
breaking exclusive update updates reportedly alleged allegedly told tells suggests agree agrees
say charged arrested injured signed confirms confirmed according latest live officials
new first last big huge major top whole entire next finally now today tonight that'll must
"""
"""Words of copy found by reading the errors of a model over all words on the real posts: the
generic ones (news attribution, reaction and hype, time words), never a topic or a name."""

VOCAB = sorted(
    set(FUNCTION_WORDS.split()) | set(BAIT_WORDS.split()) | set(NEWS_AND_COPY_WORDS.split())
    | set(F.APOSTROPHE_LESS.values())
)
MIN_COUNT = 3
"""A feature must occur in at least this many training texts."""
C_INVERSE = 5.0
"""L2 strength: the penalty is C_INVERSE / 2 times the squared weights, against the summed
(weighted) log loss; chosen by cross-validation on the real posts."""
HEADLINE_WEIGHT = 0.35
"""How much one headline counts against one real post: headlines teach the copy, real posts the
calibration; chosen by cross-validation on the real posts."""
MIN_WEIGHT = 0.05
"""Weights smaller than this (absolute) are dropped from the shipped table."""
WARN_PRECISION = 0.63
"""A warning's threshold: the best F1 on the real posts with at least this precision..."""
HEADLINE_PRECISION = 0.95
"""...and at least this precision on the headlines."""
INFO_PRECISION = 0.6
"""A hint's threshold: the posts at or above it are bait at least this often."""
PERSONAL_PRECISION = 0.8
"""Where the writer speaks of themselves, greets or asks readers: a warning needs this precision
among such real posts (news posts rarely read like that, so the model is on less sure ground)."""


def read_lines(path: Path) -> list[str]:
    return [t for t in path.read_text(encoding="utf-8").splitlines() if t.strip()]


def load(name: str, shared: Path = SHARED) -> tuple[list[str], list[int]]:
    """(texts, labels) of one corpus: "webis17" (real posts) or "clickbait" (headlines)."""
    pos = read_lines(shared / name / "clickbait.txt")
    neg = read_lines(shared / name / "not_clickbait.txt")
    return pos + neg, [1] * len(pos) + [0] * len(neg)


def fold_of(text: str, salt: str = "fold") -> int:
    return int(hashlib.sha256((salt + text).encode("utf-8")).hexdigest()[:8], 16) % FOLDS


def feature_lists(texts: list[str]) -> list[list[str]]:
    """Each text's features as the check sees a post of one paragraph."""
    checker = C.Checker()
    normalise = F.Normaliser(VOCAB)
    out = []
    for text in texts:
        ctx = C.context(text)
        rules = sorted({h.rule.rule.split(".", 1)[1] for h in checker.hits(text, ctx)})
        out.append(unit_names(prepare_text(text), 0, len(text), normalise, rules))
    return out


def fit(rows: list[list[str]], labels: list[int], domains: list[int], weights: list[float]):
    """Logistic regression with one intercept per domain; returns ({feature: weight}, intercepts)."""
    import numpy as np
    from scipy.optimize import minimize

    counts: dict[str, int] = {}
    for r in rows:
        for f in r:
            counts[f] = counts.get(f, 0) + 1
    names = sorted(f for f, c in counts.items() if c >= MIN_COUNT)
    index = {f: j for j, f in enumerate(names)}
    n_dom = max(domains) + 1
    dims = len(names) + n_dom
    cols = [[index[f] for f in r if f in index] + [len(names) + d] for r, d in zip(rows, domains)]
    ind = np.array([j for c in cols for j in c], dtype=np.int64)
    rid = np.repeat(np.arange(len(cols)), [len(c) for c in cols])
    y = np.array(labels, dtype=np.float64)
    s = np.array(weights, dtype=np.float64)
    n = len(cols)
    penalised = np.ones(dims)
    penalised[len(names):] = 0.0  # intercepts are not shrunk

    def loss(w):
        z = np.bincount(rid, weights=w[ind], minlength=n)
        p = 1.0 / (1.0 + np.exp(-z))
        ll = s * (np.logaddexp(0.0, z) - y * z)
        g = np.bincount(ind, weights=(s * (p - y))[rid], minlength=dims) + C_INVERSE * penalised * w
        return float(ll.sum() + 0.5 * C_INVERSE * float((penalised * w * w).sum())), g

    result = minimize(loss, np.zeros(dims), jac=True, method="L-BFGS-B", options={"maxiter": 3000, "gtol": 1e-6})
    w = result.x
    return {f: float(w[j]) for f, j in index.items()}, [float(b) for b in w[len(names):]]


def train_weights(webis, headlines):
    """Fit on (texts' features, labels) of both corpora; real posts are domain 0."""
    (wr, wy), (hr, hy) = webis, headlines
    return fit(wr + hr, wy + hy, [0] * len(wr) + [1] * len(hr), [1.0] * len(wr) + [HEADLINE_WEIGHT] * len(hr))


def shipped(weights: dict[str, float]) -> dict[str, float]:
    """The weights as they ship: rounded to 3 decimals, the smallest dropped (the folds of the
    cross-validation use the same, so it measures what ships)."""
    return {f: round(w, 3) for f, w in sorted(weights.items()) if abs(w) >= MIN_WEIGHT}


def raw_score(weights: dict[str, float], bias: float, row: list[str]) -> float:
    return bias + sum(weights.get(f, 0.0) for f in row)


def platt(scores: list[float], labels: list[int]) -> tuple[float, float]:
    """(scale, shift) so that sigmoid(scale * score + shift) is calibrated on these labels."""
    import numpy as np
    from scipy.optimize import minimize

    x = np.array(scores)
    y = np.array(labels, dtype=np.float64)

    def loss(v):
        z = v[0] * x + v[1]
        p = 1.0 / (1.0 + np.exp(-z))
        return float((np.logaddexp(0.0, z) - y * z).sum()), np.array([((p - y) * x).sum(), (p - y).sum()])

    a, b = minimize(loss, np.array([1.0, 0.0]), jac=True, method="L-BFGS-B").x
    return round(float(a), 4), round(float(b), 4)


def precision_recall(probabilities, labels, threshold):
    tp = sum(1 for p, y in zip(probabilities, labels) if p >= threshold and y)
    fp = sum(1 for p, y in zip(probabilities, labels) if p >= threshold and not y)
    fn = sum(1 for p, y in zip(probabilities, labels) if p < threshold and y)
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    return precision, recall


def warned(units, warn: float, personal: float) -> bool:
    """The check's decision for a post, from its assessed units, at these thresholds."""
    return any(u.sure or (u.named and u.probability >= (personal if u.voiced else warn)) for u in units)


def choose_thresholds(assessed: list, labels: list[int], headlines: list, headline_labels: list[int]) -> dict[str, float]:
    """The warning, hint and personal thresholds (two decimals), from the whole check's
    cross-validated view of the real posts: warning, the best F1 with precision >= WARN_PRECISION
    (and HEADLINE_PRECISION on the headlines);
    personal, the lowest at least as high that keeps PERSONAL_PRECISION among the posts in the
    writer's own voice; info, the lowest whose posts are bait at least INFO_PRECISION of the time."""
    grid = [i / 100 for i in range(5, 100)]
    voiced = [(units, y) for units, y in zip(assessed, labels) if any(u.voiced for u in units)]
    personal_ok = [
        t for t in grid
        if _prf([(warned([u for u in units if u.voiced], 2.0, t), y) for units, y in voiced])[0] >= PERSONAL_PRECISION
    ]
    best = None
    for warn in grid:
        for personal in [t for t in personal_ok if t >= warn][:1] or [1.0]:
            p, r, f = _prf([(warned(units, warn, personal), y) for units, y in zip(assessed, labels)])
            if p < WARN_PRECISION or (best is not None and f <= best[0]):
                continue
            hp = _prf([(warned(units, warn, personal), y) for units, y in zip(headlines, headline_labels)])[0]
            if hp >= HEADLINE_PRECISION:
                best = (f, warn, personal)
    assert best is not None, "no threshold reaches the precision wanted"
    _, warn, personal = best
    probabilities = [max((u.probability for u in units), default=0.0) for units in assessed]
    info = min(t for t in grid if precision_recall(probabilities, labels, t)[0] >= INFO_PRECISION)
    return {"warning": warn, "info": min(info, warn), "personal": personal}


def cross_validate(data=None):
    """Out-of-fold raw scores of every text of both corpora, and the fold models.

    Returns (data, scores_webis, scores_headlines, models) where models[k] = (weights, bias)."""
    data = data or prepare()
    (wt, wy, wr, wf), (ht, hy, hr, hf) = data["webis"], data["headlines"]
    sw = [0.0] * len(wt)
    sh = [0.0] * len(ht)
    models = []
    for k in range(FOLDS):
        weights, (bias, _) = train_weights(
            ([r for r, f in zip(wr, wf) if f != k], [y for y, f in zip(wy, wf) if f != k]),
            ([r for r, f in zip(hr, hf) if f != k], [y for y, f in zip(hy, hf) if f != k]),
        )
        weights, bias = shipped(weights), round(bias, 3)
        models.append((weights, bias))
        for i, f in enumerate(wf):
            if f == k:
                sw[i] = raw_score(weights, bias, wr[i])
        for i, f in enumerate(hf):
            if f == k:
                sh[i] = raw_score(weights, bias, hr[i])
    return data, sw, sh, models


def prepare(shared: Path = SHARED) -> dict:
    out = {}
    for key, name in (("webis", "webis17"), ("headlines", "clickbait")):
        texts, labels = load(name, shared)
        out[key] = (texts, labels, feature_lists(texts), [fold_of(t) for t in texts])
    return out


def model_json(weights: dict[str, float], bias: float, calibration, thresholds, summary: dict) -> dict:
    kept = shipped(weights)
    return {
        "about": (
            "Clickbait model for composer.guidelines.clickbait: calibrated logistic regression over "
            "copy words, the shape of a post and the patterns that matched (no topics, names or "
            "casing). Trained by bench/train_clickbait.py."
        ),
        "training_data": [
            {
                "name": "Webis Clickbait Corpus 2017 (Webis-Clickbait-17), training half",
                "licence": "CC BY 4.0",
                "source": "Zenodo record 5530410",
                "cite": (
                    "Martin Potthast, Tim Gollub, Kristof Komlossy, Sebastian Schuster, Matti Wiegmann, "
                    "Erika Patricia Garces Fernandez, Matthias Hagen and Benno Stein. Crowdsourcing a "
                    "Large Corpus of Clickbait on Twitter. COLING 2018, pages 1498-1507."
                ),
            },
            {
                "name": "Stop Clickbait headlines, training half",
                "licence": "MIT",
                "cite": (
                    "Abhijnan Chakraborty, Bhargavi Paranjape, Sourya Kakarla and Niloy Ganguly. Stop "
                    "Clickbait: Detecting and Preventing Clickbaits in Online News Media. IEEE/ACM "
                    "ASONAM 2016 (arXiv:1610.09786)."
                ),
            },
        ],
        "version": 3,
        "cross_validation": summary,
        "calibration": {"scale": calibration[0], "shift": calibration[1]},
        "thresholds": thresholds,
        "bias": round(bias, 3),
        "vocab": VOCAB,
        "weights": kept,
    }


def build(shared: Path = SHARED) -> dict:
    data, sw, _, models = cross_validate(prepare(shared))
    wt, wy, wr, _ = data["webis"]
    ht, hy, hr, _ = data["headlines"]
    scale, shift = platt(sw, wy)
    assessed = assess_out_of_fold(data["webis"], models, (scale, shift))
    headlines = assess_out_of_fold(data["headlines"], models, (scale, shift))
    thresholds = choose_thresholds(assessed, wy, headlines, hy)
    p, r, f = _prf([(warned(u, thresholds["warning"], thresholds["personal"]), y) for u, y in zip(assessed, wy)])
    hp, hrec, hf = _prf([(warned(u, thresholds["warning"], thresholds["personal"]), y) for u, y in zip(headlines, hy)])
    summary = {
        "real_posts": {"precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3)},
        "headlines": {"precision": round(hp, 3), "recall": round(hrec, 3), "f1": round(hf, 3)},
        "folds": FOLDS,
        "note": "whole check, warnings only; thresholds chosen on these same cross-validated scores",
    }
    weights, (bias, _) = train_weights((wr, wy), (hr, hy))
    return model_json(weights, bias, (scale, shift), thresholds, summary)


def _prf(pairs):
    tp = sum(1 for w, y in pairs if w and y)
    fp = sum(1 for w, y in pairs if w and not y)
    fn = sum(1 for w, y in pairs if not w and y)
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def assess_out_of_fold(corpus, models, calibration) -> list:
    """Each text's units as the check sees them, judged by the model of the folds it was not in."""
    texts, _, _, folds = corpus
    out: list = [None] * len(texts)
    for k, (weights, bias) in enumerate(models):
        checker = C.Checker()
        checker.set_model(fold_model(weights, bias, calibration))
        for i, (text, f) in enumerate(zip(texts, folds)):
            if f == k:
                out[i] = checker.assess(text, as_posted(text))
    return out


def as_posted(text: str) -> C.Context:
    """The context of a corpus text as it was published: every post of Webis-Clickbait-17 linked
    to an article (the corpus keeps the text without the link), and every headline is a link."""
    return C.context(text)._replace(has_link=True)


def fold_model(weights, bias, calibration, thresholds=None) -> dict:
    return {
        "vocab": VOCAB,
        "weights": weights,
        "bias": bias,
        "calibration": {"scale": calibration[0], "shift": calibration[1]},
        "thresholds": thresholds or {"warning": 0.5, "info": 0.0, "personal": 0.5},
    }


def dumps(model: dict) -> str:
    return json.dumps(model, ensure_ascii=False, indent=0, sort_keys=False) + "\n"


def close(shipped: object, built: object, tol: float = 0.0025) -> bool:
    """The same model: the same keys, words and rules, and every number within `tol`. Numerical
    libraries (numpy, the BLAS under scipy) differ in the last rounded digit between versions and
    machines (seen: 46 of 4,958 weights by 0.001 with numpy 2.4.6), so equality is too strict."""
    if isinstance(shipped, dict) and isinstance(built, dict):
        return shipped.keys() == built.keys() and all(close(shipped[k], built[k], tol) for k in shipped)
    if isinstance(shipped, list) and isinstance(built, list):
        return len(shipped) == len(built) and all(close(a, b, tol) for a, b in zip(shipped, built))
    if isinstance(shipped, float | int) and isinstance(built, float | int) and not isinstance(shipped, bool):
        return abs(shipped - built) <= tol
    return shipped == built


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="compare with the shipped file")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--index-only", action="store_true", help="only the pattern index (no data needed)")
    args = parser.parse_args()
    index = json.dumps(describe_all(RULES), ensure_ascii=False, separators=(",", ":"), sort_keys=True) + "\n"
    if args.check:
        same_index = INDEX_OUT.exists() and INDEX_OUT.read_text(encoding="utf-8") == index
        print("shipped pattern index is up to date" if same_index else "shipped pattern index DIFFERS")
        if args.index_only:
            return 0 if same_index else 1
    else:
        INDEX_OUT.write_text(index, encoding="utf-8")
        print(f"wrote {INDEX_OUT} ({len(index.encode()):,} bytes)")
        if args.index_only:
            return 0
    text = dumps(build())
    if args.check:
        same = args.out.exists() and close(json.loads(args.out.read_text(encoding="utf-8")), json.loads(text))
        print("shipped model is reproduced" if same else "shipped model DIFFERS")
        return 0 if same and same_index else 1
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    model = json.loads(text)
    print(f"wrote {args.out} ({len(text.encode()):,} bytes, {len(model['weights'])} weights)")
    print(f"thresholds {model['thresholds']}, calibration {model['calibration']}")
    print(f"cross-validated: {model['cross_validation']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
