"""A text cut into indivisible atoms (links, mentions, hashtags, grapheme clusters) with prefix
costs, so the splitter finds how far a budget reaches with a few bisections."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from itertools import accumulate

from .rules import INF, Rules
from .units import clusters, single_special, utf8


def _merge(
    ents: list[tuple[int, int, str]], clusters: list[tuple[int, int]]
) -> tuple[list[int], list[int], list[str]]:
    """Atoms (starts, ends, kinds) from disjoint sorted entities and clusters. A cluster inside an
    entity disappears into it; a partial overlap makes one "mixed" atom measured as a whole."""
    cs = [a for a, _ in clusters]
    ce = [b for _, b in clusters]
    if not ents:
        return cs, ce, ["cluster"] * len(cs)
    starts: list[int] = []
    ends: list[int] = []
    kinds: list[str] = []
    ci = 0
    for es, ee, kind in ents:
        j = bisect_right(ce, es, ci)  # clusters ci..j-1 end before the entity starts
        starts += cs[ci:j]
        ends += ce[ci:j]
        kinds += ["cluster"] * (j - ci)
        k = bisect_left(cs, ee, j)  # clusters j..k-1 overlap it
        if j < k:
            if cs[j] < es or ce[k - 1] > ee:
                kind = "mixed"
            es, ee = min(es, cs[j]), max(ee, ce[k - 1])
        if starts and es < ends[-1]:
            ends[-1], kinds[-1] = max(ends[-1], ee), "mixed"
        else:
            starts.append(es)
            ends.append(ee)
            kinds.append(kind)
        ci = k
    starts += cs[ci:]
    ends += ce[ci:]
    kinds += ["cluster"] * (len(cs) - ci)
    return starts, ends, kinds


def atoms(text: str, rules: Rules, bytes_matter: bool):
    """(starts, ends, kinds, costs per dimension) of the atoms of `text` (see `Layout`).

    Atoms never hold a line break but as the end of a CR LF cluster (entities hold no white
    space; a grapheme cluster always ends after LF), and the entity patterns look at most one
    character around a match: so the atoms of the lines of a text are those of the whole text,
    which `Layout` relies on to redo only the lines an edit touched."""
    ents = rules.entities(text)
    spans = clusters(text)
    if not bytes_matter:
        special = single_special(rules.counting.unit)
        spans = [(a, b) for a, b in spans if b - a > 1 or (special is not None and special(text[a]))]
    starts, ends, kinds = _merge(ents, spans)
    costs = rules.costs([text[a:b] for a, b in zip(starts, ends)], kinds)
    return starts, ends, kinds, costs


class Layout:
    """A text cut into indivisible atoms with per-dimension prefix costs, so that the cost of any
    stretch between two atom boundaries, and the furthest boundary a budget reaches, take a few
    bisections instead of a walk over the characters.

    Outside atoms every character is plain ASCII and costs `bases[d]`; atoms are entities (URLs,
    mentions, hashtags) and grapheme clusters that are not a lone ASCII character.
    """

    __slots__ = ("text", "n", "rules", "starts", "ends", "kinds", "costs", "cum", "fend", "bytes_matter")

    def __init__(self, text: str, rules: Rules, reuse: tuple | None = None) -> None:
        """`reuse`: (old layout, zone start, old zone end, new zone end) to take the atoms outside
        the zone from an earlier layout of the text before one edit (see `Layout.edited`)."""
        self.text, self.n, self.rules = text, len(text), rules
        # A single code point costing what a plain character costs needs no atom (CJK counted
        # in graphemes). A byte limit is ignored for that unless the whole text could reach it;
        # a part is measured exactly before it is accepted anyway.
        self.bytes_matter = rules.byte_dim is not None and utf8(text) + 16 > rules.limits[rules.byte_dim]
        if reuse is None or reuse[0].bytes_matter != self.bytes_matter or reuse[0].rules != rules:
            starts, ends, kinds, costs = atoms(text, rules, self.bytes_matter)
        else:
            old, zs, ze_old, ze_new = reuse
            delta = ze_new - ze_old
            i, j = bisect_left(old.starts, zs), bisect_left(old.starts, ze_old)
            z_starts, z_ends, kinds, z_costs = atoms(text[zs:ze_new], rules, self.bytes_matter)
            starts = old.starts[:i] + [x + zs for x in z_starts] + [x + delta for x in old.starts[j:]]
            ends = old.ends[:i] + [x + zs for x in z_ends] + [x + delta for x in old.ends[j:]]
            kinds = old.kinds[:i] + kinds + old.kinds[j:]
            costs = [c[:i] + zc + c[j:] for c, zc in zip(old.costs, z_costs)]
        self.starts, self.ends, self.kinds, self.costs = starts, ends, kinds, costs
        self.cum, self.fend = [], []
        for base, cost in zip(rules.bases, costs):
            if base:
                cum = list(accumulate([c - base * (b - a) for c, a, b in zip(cost, starts, ends)]))
                self.fend.append([base * b + c for b, c in zip(ends, cum)])
            else:
                cum = list(accumulate(cost))
                self.fend.append(cum)
            self.cum.append(cum)

    def down(self, x: int) -> int:
        """The atom boundary at or before x."""
        k = bisect_right(self.starts, x) - 1
        return self.starts[k] if k >= 0 and self.starts[k] < x < self.ends[k] else x

    def up(self, x: int) -> int:
        """The atom boundary at or after x."""
        k = bisect_right(self.starts, x) - 1
        return self.ends[k] if k >= 0 and self.starts[k] < x < self.ends[k] else x

    def prefix(self, d: int, x: int) -> int:
        """Cost in dimension d of text[:x], x an atom boundary."""
        k = bisect_right(self.ends, x) - 1
        return self.rules.bases[d] * x + (self.cum[d][k] if k >= 0 else 0)

    def cost(self, d: int, start: int, end: int) -> int:
        return self.prefix(d, end) - self.prefix(d, start)

    def reach(self, s: int, budgets: tuple[int, ...]) -> int:
        """The furthest atom boundary x >= s with text[s:x] within `budgets` in every dimension."""
        i0 = bisect_left(self.starts, s)
        last = len(self.starts) - 1
        targets = []
        for d, budget in enumerate(budgets):
            if budget < 0:
                return s
            f_s = self.rules.bases[d] * s + (self.cum[d][i0 - 1] if i0 else 0)
            targets.append(f_s + budget)
            last = min(last, bisect_right(self.fend[d], f_s + budget, i0) - 1)
        if last >= i0:
            p = self.ends[last]
            f_p = [self.fend[d][last] for d in range(len(budgets))]
        else:
            last, p = i0 - 1, s
            f_p = [self.rules.bases[d] * s + (self.cum[d][i0 - 1] if i0 else 0) for d in range(len(budgets))]
        nxt = self.starts[last + 1] if last + 1 < len(self.starts) else self.n
        slack = INF
        for d, base in enumerate(self.rules.bases):
            if base:
                slack = min(slack, (targets[d] - f_p[d]) // base)
        return min(nxt, p + max(slack, 0))

    def atom_at(self, x: int) -> int | None:
        k = bisect_left(self.starts, x)
        return k if k < len(self.starts) and self.starts[k] == x else None


# --------------------------------------------------------------------------- splitting
