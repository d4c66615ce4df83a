"""The storage hook django-indieweb asks of a site (`INDIEWEB_MICROPUB_HANDLER`): entries are
appended to entries.jsonl in the site's folder, so the test process reads what was published."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path
from typing import Any

from indieweb.handlers import InMemoryMicropubHandler, MicropubEntry

_LOCK = threading.Lock()


def _file() -> Path:
    return Path(os.environ.get("INDIEWEB_TEST_DIR", ".")) / "entries.jsonl"


def entries() -> list[dict[str, Any]]:
    try:
        text = _file().read_text("utf-8")
    except FileNotFoundError:
        return []
    return [json.loads(line) for line in text.splitlines() if line.strip()]


class FileHandler(InMemoryMicropubHandler):
    """Creates entries at /notes/N/ and keeps them on disk (the in-memory parent is per request)."""

    def create_entry(self, properties: dict[str, list[Any]], user: Any) -> MicropubEntry:
        with _LOCK:
            n = len(entries()) + 1
            url = f"/notes/{n}/"
            content = properties.get("content", [""])
            first = content[0] if content else ""
            if isinstance(first, dict):
                first = first.get("value") or first.get("html") or ""
            record = {"url": url, "content": str(first), "user": getattr(user, "username", ""),
                      "properties": {k: v for k, v in properties.items() if isinstance(v, list)}}
            with _file().open("a", encoding="utf-8") as f:
                f.write(json.dumps(record, default=str) + "\n")
        return MicropubEntry(url=url, properties=properties)
