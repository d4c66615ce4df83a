"""Which replies the writer has been shown: `replies-seen.json` in the data folder.

Local only: nothing is sent anywhere and nothing is marked read on any server. A second listing
shows only what the first did not (the composer shows the seen ones too, dimmed, with the new ones
first). The file is small: at most `KEEP` ids per account, the oldest forgotten first.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable
from pathlib import Path

from composer.drafts.model import now
from composer.drafts.store import atomic_write

FILE_NAME = "replies-seen.json"
KEEP = 5000
"""Ids remembered per account; a reply older than that many is long gone from any listing."""

_LOCK = threading.Lock()


class SeenStore:
    """`seen.is_seen(account, id)`, `seen.mark([(account, id), ...])`."""

    def __init__(self, root: Path) -> None:
        self.path = Path(root) / FILE_NAME
        self._seen: dict[str, dict[str, str]] | None = None

    def _load(self) -> dict[str, dict[str, str]]:
        if self._seen is not None:
            return self._seen
        seen: dict[str, dict[str, str]] = {}
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            data = {}  # missing or damaged: everything counts as new, which loses nothing
        accounts = data.get("seen") if isinstance(data, dict) else None
        if isinstance(accounts, dict):
            for account, ids in accounts.items():
                if isinstance(ids, dict):
                    seen[str(account)] = {str(k): str(v) for k, v in ids.items()}
        self._seen = seen
        return seen

    def is_seen(self, account: str, id: str) -> bool:
        return id in self._load().get(account, {})

    def mark(self, pairs: Iterable[tuple[str, str]]) -> None:
        """Remember these (account, reply id) pairs as seen, and write the file at once."""
        pairs = list(pairs)
        if not pairs:
            return
        with _LOCK:
            self._seen = None  # another process may have written meanwhile
            seen = self._load()
            stamp = now().isoformat()
            for account, id in pairs:
                ids = seen.setdefault(account, {})
                ids.setdefault(id, stamp)
                while len(ids) > KEEP:
                    ids.pop(next(iter(ids)))
            self.path.parent.mkdir(parents=True, exist_ok=True)
            data = json.dumps({"version": 1, "seen": seen}, ensure_ascii=False, indent=1)
            atomic_write(self.path, data.encode("utf-8"))
