"""Where two versions of a text differ: shared by the editor's marks and the incremental length check.

A leaf module (no imports), so the composer can use it before its first frame."""

from __future__ import annotations


def changed_window(old: str, new: str) -> tuple[int, int, int]:
    """The smallest edit turning `old` into `new`: (start, old_end, new_end), so that
    `new == old[:start] + new[start:new_end] + old[old_end:]`. Binary search on slices, so a long
    draft costs a few memcmp calls rather than a Python loop over every character."""
    n = min(len(old), len(new))
    lo, hi = 0, n
    while lo < hi:  # common prefix (prefixes stay equal up to the first difference)
        mid = (lo + hi + 1) // 2
        if old[:mid] == new[:mid]:
            lo = mid
        else:
            hi = mid - 1
    prefix = lo
    lo, hi = 0, n - prefix
    n_old, n_new = len(old), len(new)
    while lo < hi:  # common suffix, not overlapping the prefix
        mid = (lo + hi + 1) // 2
        if old[n_old - mid :] == new[n_new - mid :]:
            lo = mid
        else:
            hi = mid - 1
    return prefix, n_old - lo, n_new - lo
