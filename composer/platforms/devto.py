"""Dev.to, and any other Forem community: a long-form article from the draft (Forem API v1).

Facts relied on (Forem's own source, app/controllers/api/v1 and concerns/api/articles_controller.rb):
`POST /api/articles` with `{"article": {title, body_markdown, published, tags: [...]}}` answers
201 with the article (`id`, `url`, `path`, ...); `GET /api/users/me` names the key's owner;
`GET /api/articles/me/all?per_page=N&page=P` lists the writer's own articles, published or not
(unpublished ones first, then newest first), with `title` and `body_markdown`. Every call carries
the key in an `api-key` header and `Accept: application/vnd.forem.api-v1+json`. Errors are
`{"error": "...", "status": N}`: 401 `unauthorized` (a wrong or revoked key), 422 with the
validation errors as a sentence ("Tag list exceed the maximum of 4 tags").

Decisions made here:

- Dev.to posts articles, not notes: one draft is one article, never split (no threads, no length
  limit here; Forem's own validation answers for the rest, shown as it says it).
- The title is the front matter's `title`, else the draft's first Markdown heading (`# ...`, any
  level); that heading line is then left out of the body (Dev.to shows the title above the body).
  A draft with neither is refused before anything is sent.
- Tags are the front matter's `tags = [...]` (a leading `#` dropped, lower-cased); more than 4 are
  refused up front, as Forem refuses them.
- An article is saved unpublished (a draft on Dev.to, for the writer to look over there) unless the
  front matter says `published = true`.
- Retry safety: Forem has no idempotency key. Before the request goes out, the part's record is
  stamped (`extra["tried_at"]`) and checkpointed; a failure that may have reached the server keeps
  the stamp, and the next try first looks for the article among the writer's own articles (up to
  LOOKUP_PAGES pages of LOOKUP_PAGE_SIZE): the same title and the same body (compared without
  whitespace), not already claimed by another part. Only if it is not there is it sent again.
  A failure that certainly did not reach the server (could not connect, a 4xx) drops the stamp.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, ClassVar

from .base import PlatformClient, Sending
from .errors import Rejected, TransientError
from .http import error_detail, json_answer, raise_for_status
from .once import send_once
from .reading import squash
from .records import Identity, PartRecord, PostOptions, digest

if TYPE_CHECKING:
    import httpx

ACCEPT = "application/vnd.forem.api-v1+json"
MAX_TAGS = 4
LOOKUP_PAGES = 3
LOOKUP_PAGE_SIZE = 100
KEYS_PAGE = "Settings → Extensions → DEV Community API Keys"
_HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")


@dataclass(frozen=True, slots=True)
class Article:
    """What one draft becomes on Dev.to."""

    title: str
    body: str
    tags: tuple[str, ...]
    published: bool


def article_of(text: str, options: PostOptions) -> Article | None:
    """The article a draft's text and front matter make; None when it has no title."""
    title = (options.title or "").strip()
    body = text
    if not title:
        found = first_heading(text)
        if found is None:
            return None
        title, line = found
        lines = text.splitlines(keepends=True)
        body = "".join(lines[:line] + lines[line + 1:]).strip("\n") + "\n"
    tags = tuple(dict.fromkeys(t.strip().lstrip("#").strip().lower() for t in options.tags if t.strip().lstrip("#")))
    return Article(title=title, body=body, tags=tags, published=bool(options.published))


def first_heading(text: str) -> tuple[str, int] | None:
    """The text and line index of the first ATX heading (`# Title`) outside code fences."""
    fence: str | None = None
    for i, line in enumerate(text.splitlines()):
        opened = _FENCE.match(line)
        if fence is not None:
            if opened and opened.group(1)[0] == fence[0] and len(opened.group(1)) >= len(fence):
                fence = None
            continue
        if opened:
            fence = opened.group(1)
            continue
        m = _HEADING.match(line)
        if m and m.group(2).strip():
            return m.group(2).strip(), i
    return None


class DevtoClient(PlatformClient):
    platform: ClassVar[str] = "devto"

    # ------------------------------------------------------------------ plumbing

    def _auth_hint(self) -> str:
        return (
            f"The API key of account {self.account.name!r} is wrong or was revoked. Make a new one on "
            f"{self.where} ({KEYS_PAGE}) and run `{self.entry.add_command(self.account.name)}`."
        )

    async def _request(self, method: str, path: str, *, write: bool = False, **kwargs: Any) -> httpx.Response:
        headers = {"api-key": self.secret.reveal().strip(), "Accept": ACCEPT}
        return await self.request(method, path, write=write, headers=headers, **kwargs)

    def _check(self, response: httpx.Response, *, write: bool = False) -> None:
        raise_for_status(response, label=self.label, detail=_detail(response), write=write,
                         auth_hint=self._auth_hint())

    def _json(self, response: httpx.Response, what: str, *, write: bool = False) -> Any:
        return json_answer(
            response, who=f"{self.label} at {self.where}", what=what, write=write,
            unsure="It may or may not have been saved; the retry looks for it before sending again.",
            otherwise=f"Is {self.server_url} the address of a Forem community? If so, try again later.",
        )

    # ------------------------------------------------------------------ verify

    async def identify(self) -> Identity:
        response = await self._request("GET", "/api/users/me")
        self._check(response)
        data = self._json(response, "the key check")
        if not isinstance(data, dict) or not data.get("username"):
            raise TransientError(f"{self.label} at {self.where} named no user for the API key.",
                                 hint=f"Is {self.server_url} the address of a Forem community?")
        username = str(data["username"])
        return Identity(
            id=str(data.get("id") or username),
            handle=username,
            display_name=str(data.get("name") or ""),
            url=f"{self.server_url}/{username}",
        )

    # ------------------------------------------------------------------ publish

    async def check(self, parts: Sequence[str], records: Sequence[PartRecord], options: PostOptions) -> None:
        await super().check(parts, records, options)
        article = article_of(parts[0], options)
        if article is None:
            raise Rejected(
                "A Dev.to article needs a title, and this draft has none.",
                hint='Start the draft with a heading ("# Your title"), or add title = "..." to its front matter.',
            )
        if len(article.tags) > MAX_TAGS:
            raise Rejected(
                f"The draft has {len(article.tags)} tags; Dev.to takes at most {MAX_TAGS}.",
                hint=f"Keep {MAX_TAGS} in the front matter's tags = [...].",
            )
        if not article.body.strip():
            raise Rejected("The article has a title but no text.", hint="Write the article below its heading.")

    async def send_part(self, part: Sending) -> PartRecord:
        article = article_of(part.text, part.options)
        assert article is not None  # `check` refused a draft without a title
        record = part.record
        if record.digest and record.digest != digest(part.text) and record.tried_at:
            raise Rejected(
                "The article was changed after a try that may have reached Dev.to.",
                hint=f"Look at your articles on {self.where} (Dashboard); delete the old one there if it is, "
                "then publish again.",
            )
        body: dict[str, Any] = {"title": article.title, "body_markdown": article.body, "published": article.published}
        if article.tags:
            body["tags"] = list(article.tags)

        async def post(record: PartRecord) -> PartRecord:
            response = await self._request("POST", "/api/articles", write=True, json={"article": body})
            status = response.status_code
            if status < 300:
                data = self._json(response, "the article", write=True)
                if not isinstance(data, dict) or not data.get("id"):
                    raise TransientError(
                        f"{self.label} at {self.where} answered the article without its id.", ambiguous=True,
                        hint="It may or may not have been saved; the retry looks for it before sending again.",
                    )
                return _finish(record, data)
            if status == 422:
                raise Rejected(
                    f"{self.label} at {self.where} refused the article ({_detail(response) or 'HTTP 422'}).",
                    hint="Fix what it names in the draft (its title, tags or text), then publish again.",
                )
            self._check(response, write=True)
            raise TransientError(f"{self.label} at {self.where} answered HTTP {status}.", ambiguous=True)

        async def look_up(record: PartRecord) -> PartRecord | None:
            found = await self._find_sent(article, part.records)
            return None if found is None else _finish(record, found)

        return await send_once(part, f"your articles on {self.where}", post, look_up=look_up)

    async def _find_sent(self, article: Article, records: Sequence[PartRecord]) -> Mapping[str, Any] | None:
        """The article of an earlier, ambiguous try, if it reached the server."""
        claimed = {r.id for r in records if r.id}
        want_title, want_body = squash(article.title), squash(article.body)
        for page in range(1, LOOKUP_PAGES + 1):
            response = await self._request(
                "GET", "/api/articles/me/all", params={"per_page": str(LOOKUP_PAGE_SIZE), "page": str(page)},
            )
            self._check(response)
            found = self._json(response, "the list of your articles")
            if not isinstance(found, list) or not found:
                return None
            for item in found:
                if (
                    isinstance(item, dict) and item.get("id") is not None
                    and str(item["id"]) not in claimed
                    and squash(str(item.get("title") or "")) == want_title
                    and squash(str(item.get("body_markdown") or "")) == want_body
                ):
                    return item
            if len(found) < LOOKUP_PAGE_SIZE:
                return None
        return None


def _detail(response: httpx.Response) -> str | None:
    return error_detail(response, "error", "message")


def _finish(record: PartRecord, article: Mapping[str, Any]) -> PartRecord:
    url = article.get("url") or article.get("canonical_url")
    extra = {"published": "true" if article.get("published") else "false"} if "published" in article else {}
    return replace(record.unstamped(), id=str(article["id"]), url=str(url) if url else None,
                   extra={**record.unstamped().extra, **extra})
