"""A draft's file format as data: front matter dict <-> `Draft`, with errors that name the file and
line (`DraftError`), and the digest of what a draft says (its words, purpose and warning)."""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from composer import safetoml
from composer.config.validate import kind_of
from composer.platforms.records import PartRecord
from composer.platforms.untrusted import sanitise

from . import frontmatter
from .model import DELIVERY_STATUSES, SCHEMA, Correction, Delivery, Draft, ImageRef, now


class DraftError(Exception):
    """A draft file that cannot be read. Never overwritten or deleted because of it.

    `str()` is `path:line: message` (line when known); `raw` is the file's text (undecodable bytes
    shown as U+FFFD) so the writer's words stay readable."""

    def __init__(self, path: Path | str, line: int | None, message: str, raw: str | None = None) -> None:
        self.path = Path(path)
        self.line = line
        self.message = message
        self.raw = raw
        where = f"{self.path}:{line}" if line else f"{self.path}"
        super().__init__(f"{where}: {message}")


def _aware(value: datetime) -> datetime:
    """A datetime with a time zone: local times written by hand count as local."""
    return value if value.tzinfo is not None else value.astimezone()


def draft_to_meta(draft: Draft) -> dict[str, Any]:
    """The front matter of `draft` as a TOML-ready dict (None values left out: TOML has no null)."""
    meta: dict[str, Any] = {
        "schema": SCHEMA,
        "id": draft.id,
        "purpose": frontmatter.clean_text(draft.purpose),
        "accounts": [frontmatter.clean_text(a) for a in draft.accounts],
        "content_warning": frontmatter.clean_text(draft.content_warning),
        **({"reply_to": frontmatter.clean_text(draft.reply_to)} if draft.reply_to else {}),
        "created": _aware(draft.created),
        "updated": _aware(draft.updated),
    }
    if draft.images:
        meta["images"] = [
            {"path": frontmatter.clean_text(i.path), "alt": frontmatter.clean_text(i.alt)} for i in draft.images
        ]
    if draft.article_title:
        meta["title"] = frontmatter.clean_text(draft.article_title)
    if draft.tags:
        meta["tags"] = [frontmatter.clean_text(t) for t in draft.tags]
    if draft.published:
        meta["published"] = True
    for key, value in draft.extra.items():
        if key not in meta and key != "deliveries":
            meta[key] = value
    if draft.deliveries:
        meta["deliveries"] = {name: _delivery_to_meta(d) for name, d in draft.deliveries.items()}
    return meta


def _delivery_to_meta(d: Delivery) -> dict[str, Any]:
    out: dict[str, Any] = {"status": d.status}
    if d.url is not None:
        out["url"] = d.url
    if d.error is not None:
        out["error"] = frontmatter.clean_text(d.error)
    if d.error_kind is not None:
        out["error_kind"] = d.error_kind
    out["attempts"] = d.attempts
    if d.next_try is not None:
        out["next_try"] = _aware(d.next_try)
    if d.updated is not None:
        out["updated"] = _aware(d.updated)
    if d.uncertain:
        out["uncertain"] = True
    out["parts"] = [p.to_dict() for p in d.parts]
    if d.history:
        out["history"] = [
            {k: (_aware(v) if isinstance(v, datetime) else v) for k, v in c.to_dict().items()} for c in d.history
        ]
    return out


class _Reader:
    """Turns a parsed front matter dict into a Draft, with errors that name the file and line."""

    def __init__(self, path: Path, data: bytes, raw: str) -> None:
        self.path, self.data, self.raw = path, data, raw

    def fail_image(self, n: int, message: str) -> DraftError:
        """An error about the n-th `[[images]]` table, at its header line where there is one."""
        headers = [i for i, line in enumerate(self.raw.split("\n"), 1) if re.match(r"\s*\[\[\s*images\s*\]\]", line)]
        line = headers[n - 1] if n <= len(headers) else frontmatter.key_line(self.data, "images")
        return DraftError(self.path, line, message, self.raw)

    def images(self, value: Any) -> list[ImageRef]:
        if isinstance(value, dict):
            value = [value]
        if not isinstance(value, list):
            raise self.fail("images", '`images` must be [[images]] tables, each with path = "..." and alt = "..."')
        out = []
        for i, item in enumerate(value, 1):
            if isinstance(item, str):
                item = {"path": item}
            if not isinstance(item, dict) or not isinstance(item.get("path"), str) or not item["path"].strip():
                raise self.fail_image(i, f'image {i} in [[images]] needs path = "file.jpg" (relative to the draft file)')
            alt = item.get("alt", "")
            if not isinstance(alt, str):
                raise self.fail_image(i, f"image {i} in [[images]]: `alt` must be text in quotes, not {kind_of(alt)}")
            out.append(ImageRef(path=item["path"], alt=alt))
        return out

    def fail(self, key: str, message: str) -> DraftError:
        line = frontmatter.key_line(self.data, key.rsplit(".", 1)[-1])
        return DraftError(self.path, line, message, self.raw)

    def text(self, meta: dict[str, Any], key: str, where: str = "") -> str | None:
        value = meta.get(key)
        if value is None or isinstance(value, str):
            return value
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return str(value)
        raise self.fail(key, f"`{where}{key}` must be text in quotes, not {kind_of(value)}")

    def time(self, meta: dict[str, Any], key: str, where: str = "") -> datetime | None:
        value = meta.get(key)
        if value is None:
            return None
        if isinstance(value, str):
            try:
                value = datetime.fromisoformat(value)
            except ValueError:
                pass
        if isinstance(value, date) and not safetoml.placeable(value):
            raise self.fail(key, f"`{where}{key}` is a date out of range ({value.isoformat()}); "
                            "write a real one, like 2025-01-31T09:30:00Z")
        if isinstance(value, datetime):
            return _aware(value)
        if isinstance(value, date):
            return datetime(value.year, value.month, value.day).astimezone()
        raise self.fail(
            key, f"`{where}{key}` must be a date and time like 2025-01-31T09:30:00Z, not {value!r}"
        )

    def draft(self, meta: dict[str, Any], body: str, draft_id: str, mtime: datetime) -> Draft:
        schema = meta.get("schema", SCHEMA)
        if not isinstance(schema, int) or isinstance(schema, bool):
            raise self.fail("schema", f"`schema` must be a whole number (this version writes {SCHEMA})")
        if schema > SCHEMA:
            raise self.fail(
                "schema",
                f"written by a newer Humane Composer (schema {schema}; this one reads {SCHEMA}); "
                "update the app to open it",
            )
        accounts = meta.get("accounts", [])
        if isinstance(accounts, str):
            accounts = [accounts]
        if not isinstance(accounts, list) or not all(isinstance(a, str) for a in accounts):
            raise self.fail("accounts", '`accounts` must be a list of account names, like ["work", "home"]')
        deliveries_meta = meta.get("deliveries", {})
        if not isinstance(deliveries_meta, dict):
            raise self.fail("deliveries", "`deliveries` must be a table of [deliveries.ACCOUNT] tables")
        deliveries = {}
        for name, d in deliveries_meta.items():
            if not isinstance(d, dict):
                raise self.fail(name, f"`deliveries.{name}` must be a table")
            deliveries[name] = self.delivery(name, d)
        tags = meta.get("tags", [])
        if isinstance(tags, str):
            tags = [t for t in (t.strip() for t in tags.split(",")) if t]
        if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
            raise self.fail("tags", '`tags` must be a list of words, like ["python", "writing"]')
        published = meta.get("published", False)
        if not isinstance(published, bool):
            raise self.fail("published", "`published` must be true or false")
        known = {"schema", "id", "purpose", "accounts", "content_warning", "reply_to", "created", "updated", "deliveries",
                 "title", "tags", "published", "images"}
        images = self.images(meta.get("images", []))
        created = self.time(meta, "created") or mtime
        return Draft(
            id=draft_id,
            body=body,
            purpose=self.text(meta, "purpose") or "",
            accounts=list(accounts),
            content_warning=self.text(meta, "content_warning") or "",
            reply_to=self.text(meta, "reply_to") or "",
            created=created,
            updated=self.time(meta, "updated") or mtime,
            deliveries=deliveries,
            images=images,
            article_title=self.text(meta, "title") or "",
            tags=[t.strip() for t in tags if t.strip()],
            published=published,
            extra={k: v for k, v in meta.items() if k not in known},
        )

    def tables(self, d: dict[str, Any], key: str, where: str, needs: str) -> Iterator[dict[str, Any]]:
        """The tables of the list `d[key]` (none when absent), each checked to have the text `needs`
        as it comes."""
        items = d.get(key, [])
        if not isinstance(items, list):
            raise self.fail(key, f"`{where}{key}` must be a list of tables")
        for i, item in enumerate(items):
            if not isinstance(item, dict) or not isinstance(item.get(needs), str):
                raise self.fail(key, f"`{where}{key}` item {i + 1} needs {'an' if needs[0] in 'aeiou' else 'a'} `{needs}` (text)")
            yield item

    def delivery(self, name: str, d: dict[str, Any]) -> Delivery:
        where = f"deliveries.{name}."
        status = d.get("status", "pending")
        if status not in DELIVERY_STATUSES:
            raise self.fail(
                "status", f"`{where}status` is {status!r}; it must be one of {', '.join(DELIVERY_STATUSES)}"
            )
        attempts = d.get("attempts", 0)
        if not isinstance(attempts, int) or isinstance(attempts, bool) or attempts < 0:
            raise self.fail("attempts", f"`{where}attempts` must be a whole number, 0 or more")
        parts = []
        for i, p in enumerate(self.tables(d, "parts", where, "key")):
            if not isinstance(p.get("extra", {}), dict):
                raise self.fail("extra", f"`{where}parts` item {i + 1}: `extra` must be a table")
            parts.append(PartRecord.from_dict(p))
        history = []
        for h in self.tables(d, "history", where, "action"):
            at = self.time(h, "at", f"{where}history.") or self.time(d, "updated", where) or datetime.now().astimezone()
            ids = h.get("ids", [])
            history.append(Correction(
                action=h["action"],
                at=at,
                ids=[str(x) for x in ids] if isinstance(ids, list) else [],
                url=self.text(h, "url", f"{where}history."),
                note=self.text(h, "note", f"{where}history.") or "",
                text=self.text(h, "text", f"{where}history.") or "",
            ))
        return Delivery(
            account=name,
            status=status,
            parts=parts,
            url=_server_words(self.text(d, "url", where)),
            error=_server_words(self.text(d, "error", where)),
            error_kind=self.text(d, "error_kind", where),
            attempts=attempts,
            next_try=self.time(d, "next_try", where),
            updated=self.time(d, "updated", where),
            uncertain=bool(d.get("uncertain", False)),
            history=history,
        )


def _server_words(text: str | None) -> str | None:
    """A server's words as kept in a draft (a delivery's URL, its error), without terminal escapes
    or control characters, whoever wrote the file (an older version, a hand edit): they are printed."""
    return None if text is None else sanitise(text)


def read_draft(path: Path, draft_id: str | None = None) -> Draft:
    """Read one draft file (anywhere). Raises DraftError (unreadable) or FileNotFoundError."""
    path = Path(path)
    try:
        data = path.read_bytes()
        st = os.stat(path)
    except FileNotFoundError:
        raise
    except IsADirectoryError:
        raise DraftError(path, None, "is a folder, not a draft file") from None
    except OSError as err:
        raise DraftError(path, None, f"cannot be read: {err.strerror or err}") from None
    return parse_draft(path, data, draft_id or path.stem, datetime.fromtimestamp(st.st_mtime, UTC))


def parse_draft(path: Path, data: bytes, draft_id: str, mtime: datetime | None = None) -> Draft:
    raw = data.decode("utf-8", "replace")
    try:
        meta, body, _, _ = frontmatter.parse(data)
    except frontmatter.FrontMatterError as err:
        raise DraftError(path, err.line, err.message, raw) from None
    draft = _Reader(path, data, raw).draft(meta, body, draft_id, mtime or now())
    draft.path = path
    return draft


def digest(draft: Draft) -> str:
    h = hashlib.sha256()
    for text in (draft.body, draft.purpose, draft.content_warning):
        h.update(text.encode("utf-8", "surrogatepass"))
        h.update(b"\0")
    for image in draft.images:
        h.update(f"{image.path}\0{image.alt}\0".encode("utf-8", "surrogatepass"))
    return h.hexdigest()
