"""Which part of a thread carries which images.

By default every image goes on the first part. A line holding only `[images]` in the post moves
them to the part where that line falls (the line itself is never sent). When one part cannot hold
them all (Mastodon and Bluesky take 4), the rest go on the following parts, as many on each as the
platform takes; when the thread ends first, the post is refused before anything is sent.

The thread is split with the marker line still in it (so the part that holds it keeps room for
it), then the line is taken out of that part. A post that fits in one part without the line is
not split because of it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

MARKER = "[images]"
_LINE = re.compile(r"^[ \t]*\[images\][ \t]*(?:\r?\n|\Z)", re.M | re.I)


class TooManyImages(ValueError):
    """More images than the thread's parts can carry; `str()` says so in the writer's words."""


def marker_span(text: str) -> tuple[int, int] | None:
    """Where the first `[images]` line is (its line, with the line break), or None."""
    m = _LINE.search(text)
    return (m.start(), m.end()) if m else None


def strip_marker(text: str) -> str:
    """`text` without its `[images]` lines (what is sent, and what is counted)."""
    return _LINE.sub("", text) if "[" in text else text


def split_with_marker(text: str, split: Callable[[str], list[str]]) -> list[str]:
    """The thread parts of `text` as `split` makes them, the `[images]` line kept in its part (to
    be taken out by `place`); a text that fits in one part without the line is one part."""
    plain = strip_marker(text)
    parts = split(plain)
    if len(parts) <= 1 or plain == text:
        return parts
    return split(text)


def marker_part(parts: Sequence[str]) -> int:
    """The index of the part holding the `[images]` line (0 when none does)."""
    for i, part in enumerate(parts):
        if marker_span(part) is not None:
            return i
    return 0


def place(parts: Sequence[str], count: int, per_post: int, label: str = "") -> tuple[list[str], list[list[int]]]:
    """The parts without the marker line, and for each part the indexes of the images it carries:
    from the part with the marker (or the first) on, `per_post` on each. TooManyImages when the
    thread ends before the images do."""
    start = marker_part(parts)
    cleaned = [strip_marker(p).rstrip("\n") if marker_span(p) else p for p in parts]
    slots: list[list[int]] = [[] for _ in parts]
    if count <= 0:
        return cleaned, slots
    per_post = max(1, per_post)
    room = per_post * (len(parts) - start)
    if count > room:
        where = f"{label} takes {per_post} in one post" if label else f"one post takes {per_post}"
        if len(parts) == 1:
            raise TooManyImages(f"The post has {count} images; {where}.")
        raise TooManyImages(
            f"The post has {count} images; {where}, and the thread has {len(parts) - start} "
            f"part{'s' if len(parts) - start != 1 else ''} from the [images] line on (room for {room})."
        )
    for j in range(count):
        slots[start + j // per_post].append(j)
    return cleaned, slots
