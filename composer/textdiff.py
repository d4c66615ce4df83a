"""Where two versions of a text differ: shared by the editor's marks and the incremental length check.

A leaf module (no imports), so the composer can use it before its first frame."""

from __future__ import annotations


def changed_window(old: str, new: str) -> tuple[int, int, int]:
    """The smallest edit turning `old` into `new`: (start, old_end, new_end), so that
    `new == old[:start] + new[start:new_end] + old[old_end:]`. Compared block by block (slices
    doubling from 4 KB, memcmp), then by binary search inside the first block that differs, so a long draft
    costs about one pass of memcmp rather than a Python loop over every character (or twenty
    copies of half the draft)."""
    n = min(len(old), len(new))
    prefix = _common(old, new, n, lambda s, i, j: s[i:j])
    n_old, n_new = len(old), len(new)
    suffix = _common(old, new, n - prefix, lambda s, i, j: s[len(s) - j : len(s) - i])
    return prefix, n_old - suffix, n_new - suffix


_BLOCK = 4096


def _common(a: str, b: str, n: int, cut) -> int:
    """How many characters `a` and `b` share (of at most n), reading them through `cut(s, i, j)`
    (the i-th to j-th characters from the start, or from the end)."""
    lo, block = 0, _BLOCK
    while lo < n:
        hi = min(n, lo + block)
        if cut(a, lo, hi) != cut(b, lo, hi):
            break
        lo, block = hi, block * 2  # blocks double: a few comparisons even for a long draft
    else:
        return n
    while hi - lo > _BLOCK:  # they differ within [lo, hi): narrow it down to one small block
        mid = lo + _BLOCK
        if cut(a, lo, mid) == cut(b, lo, mid):
            lo = mid
        else:
            hi = mid
    while lo < hi:  # the longest equal run from lo
        mid = (lo + hi + 1) // 2
        if cut(a, lo, mid) == cut(b, lo, mid):
            lo = mid
        else:
            hi = mid - 1
    return lo
