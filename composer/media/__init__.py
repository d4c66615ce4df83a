"""Images attached to a draft: finding the files, placing them on a thread's parts, the `images`
checks (alt text above all), and preparing each one for a platform (metadata stripped, scaled to
its limits).

Between `words` and `drafts` in the layers: it reads `drafts.model.ImageRef` and hands
`platforms.records.Image` to the clients. Pillow is imported by `prepare` only, when an image is
prepared for upload: never at start-up, never by a check.
"""

from __future__ import annotations

from .files import Attached, inspect, inspect_all
from .plan import MARKER, marker_part, place, split_with_marker, strip_marker

__all__ = ["MARKER", "Attached", "inspect", "inspect_all", "marker_part", "place", "split_with_marker", "strip_marker"]
