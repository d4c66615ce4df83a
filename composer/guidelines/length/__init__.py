"""How long a post is, as each platform counts it; its limit; and splitting it into a thread.

```python
count(text, "bluesky")                      # the length as that platform counts it
count(text, "mastodon", content_warning="...", url_cost=23)
limit("mastodon")                           # 500; micropub: None (no limit)
measure(text, "bluesky")                    # Measure: count, bytes, links and their limits
split_thread(text, "bluesky")               # parts that each fit, numbered " 1/3"
findings(text, "bluesky")                   # [Finding] in category "length", rule "length.bluesky"
```

Each platform's unit, limits and link rules are data in `composer.registry` (`Counting`); `units`
counts, `rules` measures, `layout` and `split` cut threads, `report` gives the findings. Everything here
accepts any string without raising; a bad platform name, limit or url_cost raises ValueError
(a programming error). Speed: `bench/length.py`.
"""

from __future__ import annotations

from composer import registry

from .report import Tracker, findings, forget
from .rules import DEFAULT_URL_COST, MIN_ROOM, Measure, count, fits, limit, measure
from .split import split_thread
from .units import graphemes

__all__ = [
    "PLATFORMS",
    "DEFAULT_URL_COST",
    "MIN_ROOM",
    "Measure",
    "count",
    "limit",
    "measure",
    "fits",
    "split_thread",
    "findings",
    "forget",
    "Tracker",
    "graphemes",
]

PLATFORMS: tuple[str, ...] = registry.names()
"""Platform names the length rules know (every entry of the registry)."""

