"""The clickbait model: a calibrated logistic regression over the features of `features.py`,
read from plain JSON weights (`data/clickbait_model.json`, written by `bench/train_clickbait.py`).

`Model.judge` gives the probability that a paragraph (or a sentence of a long one) is bait copy,
and the words that pushed it up most, so a warning can name them.
"""

from __future__ import annotations

import itertools
import math
from array import array
from collections.abc import Iterable, Mapping
from typing import NamedTuple

from . import features as F

_ZEROS = itertools.repeat(0.0)


class Prepared(NamedTuple):
    """A text made ready for the model once, however many units of it are judged."""

    text: str
    cleaned: str
    """Links blanked out (same length as text)."""
    low: str | None
    """`cleaned` lowercased with straight apostrophes, or None where lower() changes the length."""


def prepare(text: str) -> Prepared:
    cleaned = F.clean(text)
    low = cleaned.lower().replace("’", "'")
    return Prepared(text, cleaned, low if len(low) == len(text) else None)


def unit_names(prepared: Prepared, start: int, end: int, normalise: F.Normaliser, patterns: Iterable[str] = ()) -> list[str]:
    """The distinct feature names of the unit text[start:end], sorted: its copy n-grams, its
    shape, and the pattern rules that matched in it (as "!rule")."""
    if prepared.low is not None:
        words, _ = F.words_of(prepared.low, start, end)
    else:
        part = F.lowered(prepared.text[start:end])
        words, _ = F.words_of(part, 0, len(part))
    norm = normalise(words)
    names = set(F.ngram_names(norm))
    if norm:
        copy = sum(1 for w in norm if w[0] not in "_<")
        names.add(f"#copy{copy * 5 // len(norm)}")
        if len(norm) > 2:
            names.add("^" + " ".join(norm[:3]))
    shape = F.shape_names(prepared.cleaned, start, end, len(words))
    names.update(shape)
    if norm:
        for f in shape:
            if f.startswith(("#end", "#len", "#names")):
                names.add("^" + norm[0] + f)
                if len(norm) > 1 and f.startswith("#end"):
                    names.add("^" + norm[0] + " " + norm[1] + f)
    names.update("!" + p for p in patterns)
    return sorted(names)


class Weights:
    """The model's weights by feature name. A long session packs them (`pack`, which
    `Checker.warm_up` calls) into a small open-addressing hash table of machine integers
    (`_slots`: where each name's hash lands, an index into two dense arrays, the names' hashes
    in `_hashes` and their weights in `_weights`): about 25 bytes per feature instead of a dict
    of thousands of str and float objects (over 100). Until then they are the dict the JSON
    decoded, so that a one-off check (`humane check` in a save hook) does not spend 1.5 ms
    packing what it drops a moment later. Python salts the hash of a str per process, so the
    table is built in the process that uses it.

    Packed, a name is found by its 64-bit hash alone: a name the model does not have could only
    weigh something if its hash equalled one of the model's ~5,000 (odds about 1 in 3e15 per
    look-up). Where two names of the model have one hash the weights stay by name (never seen)."""

    __slots__ = ("_mask", "_slots", "_hashes", "_weights", "_by_name")

    _by_name: Mapping[str, float] | None
    """The weights by name until they are packed (or where two names' hashes clash), else None."""

    def __init__(self, weights: Mapping[str, float], packed: bool = True) -> None:
        """`weights` by name (kept as they are, not copied, until packed); `packed`: pack now."""
        self._by_name = weights
        if packed:
            self.pack()

    @property
    def packed(self) -> bool:
        return self._by_name is None

    def pack(self) -> None:
        """Move the weights into the arrays and drop the dict (once; thread-safe: a look-up in
        another thread meanwhile reads the dict)."""
        weights = self._by_name
        if weights is None:
            return
        hashes = array("q", map(hash, weights))
        mask, slots = self._table(hashes)
        if slots is None:  # two names of the model with one hash: keep them by name
            self._by_name = {str(name): float(weight) for name, weight in weights.items()}
            return
        self._mask, self._slots, self._hashes = mask, slots, hashes
        self._weights = array("d", map(float, weights.values()))
        self._by_name = None  # last: from here on look-ups use the arrays

    @staticmethod
    def _table(hashes: array) -> tuple[int, array | None]:
        """(mask, slots) of an open-addressing table of `hashes`; slots None if two are equal."""
        n = len(hashes)
        size = 8
        while size < 3 * n:  # a third full at most: a look-up mostly reads one slot
            size *= 2
        mask = size - 1
        slots = array("h" if n < 32767 else "l", [-1]) * size
        for j, h in enumerate(hashes):
            i = h & mask
            while (k := slots[i]) >= 0:
                if hashes[k] == h:
                    return mask, None
                i = (i + 1) & mask
            slots[i] = j
        return mask, slots

    def __len__(self) -> int:
        return len(self._hashes) if self._by_name is None else len(self._by_name)

    def get(self, name: str, default: float | None = None) -> float | None:
        """The weight of feature `name`, or `default` if the model has no such feature."""
        by_name = self._by_name
        if by_name is not None:
            return by_name.get(name, default)
        h = hash(name)
        mask, slots, hashes = self._mask, self._slots, self._hashes
        i = h & mask
        while (j := slots[i]) >= 0:
            if hashes[j] == h:
                return self._weights[j]
            i = (i + 1) & mask
        return default

    def values(self, names: Iterable[str]) -> list[float]:
        """The weight of each of `names` (0.0 where the model has none), in order."""
        by_name = self._by_name
        if by_name is not None:
            return list(map(by_name.get, names, _ZEROS))
        mask, slots, hashes, weights = self._mask, self._slots, self._hashes, self._weights
        out = []
        for name in names:
            h = hash(name)
            i = h & mask
            weight = 0.0
            while (j := slots[i]) >= 0:
                if hashes[j] == h:
                    weight = weights[j]
                    break
                i = (i + 1) & mask
            out.append(weight)
        return out


class Model:
    """Weights and thresholds, from the shipped JSON (or a dict trained in a benchmark)."""

    __slots__ = ("normalise", "weights", "bias", "scale", "shift", "warn", "info", "personal", "about")

    def __init__(self, data: dict) -> None:
        self.normalise = F.Normaliser(data["vocab"])
        self.weights = Weights(data["weights"], packed=False)
        """By name until `pack()`: see `Weights`."""
        self.bias = float(data["bias"])
        calibration = data.get("calibration", {})
        self.scale = float(calibration.get("scale", 1.0))
        self.shift = float(calibration.get("shift", 0.0))
        thresholds = data["thresholds"]
        self.warn = float(thresholds["warning"])
        """A unit at least this likely to be bait gets a warning."""
        self.info = float(thresholds["info"])
        """Below `warn` and at least this likely: at most a quiet hint (severity info)."""
        self.personal = float(thresholds["personal"])
        """The warning threshold where the writer speaks of themselves or asks readers for their
        view: news posts never do, so the model is surer before it warns."""
        self.about = data.get("about", "")

    def pack(self) -> None:
        """Hold the weights compactly from now on (for a session that keeps the model)."""
        self.weights.pack()

    def probability(self, score: float) -> float:
        z = self.scale * score + self.shift
        if z < -30:
            return 0.0
        return 1.0 / (1.0 + math.exp(-z))

    def score(self, names: list[str]) -> float:
        return self.bias + sum(self.weights.values(names))

    def judge(self, prepared: Prepared, start: int, end: int, patterns: Iterable[str] = ()) -> float:
        """Probability that text[start:end] is bait copy (`patterns`: the rules that matched in it)."""
        return self.probability(self.score(unit_names(prepared, start, end, self.normalise, patterns)))

    def explain(self, prepared: Prepared, start: int, end: int) -> list[tuple[int, int, float]]:
        """The copy words of text[start:end] that pushed its score up, with their share of the
        weight of the n-grams they are part of (words seen only by their ending, section labels
        and counts inside a sentence are never named)."""
        segment = prepared.cleaned[start:end]
        toks = F.tokens(segment)
        if not toks:
            return []
        words = [w for w, _, _ in toks]
        label = F.KICKER.match(segment) if ":" in segment else None
        if label is not None:
            rest = [t for t in toks if t[1] >= label.end()]
            if rest and len(rest) < len(toks):
                toks = [(F.LABEL, toks[0][1], label.end())] + rest
                words = [F.LABEL] + [w for w, _, _ in rest]
        norm = self.normalise(words)
        credit = [0.0] * len(toks)
        for name, positions in F.ngram_positions(norm):
            weight = self.weights.get(name)
            if weight is not None and weight > 0:
                for p in positions:
                    credit[p] += weight / len(positions)
        out = []
        for i, (_, a, b) in enumerate(toks):
            form = norm[i]
            if credit[i] <= 0 or form[0] == "_" or form == F.LABEL or (i and form == F.NUMBER):
                continue
            out.append((start + a, start + b, credit[i]))
        return out
