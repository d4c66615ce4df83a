"""Whether a draft may go out, and publishing it to many accounts, exactly once, through the outbox.

- `gate.py`: `check_publish`, the one gate both faces use (`PublishCheck`, the `Blocker`s).
- `send.py`: `publish_draft` (one account's send: `_Publish.send` tells the story), `run_publish` (what
  a face calls once the gate said yes), `post_options`.
- `outbox.py`: `flush_outbox` (retry what waits), `reset_delivery` and `mark_sent` (the writer's
  own decisions after a try whose outcome is unknown).
"""

from __future__ import annotations

from .gate import BLOCKERS, Blocker, PublishCheck, check_publish
from .outbox import FlushResult, flush_outbox, mark_sent, reset_delivery
from .send import EMPTY, MAX_ATTEMPTS, OnUpdate, PartsFor, PublishRun, post_options, publish_draft, run_publish

__all__ = [
    "BLOCKERS", "EMPTY", "MAX_ATTEMPTS", "Blocker", "FlushResult", "OnUpdate", "PartsFor", "PublishCheck",
    "PublishRun", "check_publish", "flush_outbox", "mark_sent", "post_options", "publish_draft",
    "reset_delivery", "run_publish",
]
