"""The replies to the writer's published posts, read calmly.

What the writer sees is decided here, once, for both faces:
- Every account's replies: for each post a draft recorded as published (the first part of a thread;
  the platform lists the whole conversation under it), one request; then one page of the
  account's mentions. Nothing else is asked, nothing is polled in the background, and the answers
  are kept for the session (`RepliesSession`): opening the list again asks nothing.
- No counts of likes, boosts or followers are read or shown; no badges, no streaks.
- Each reply runs through our own guidelines (the word lists for hate and obscene language, the
  personal-information check). One that trips them is *folded*: shown as one line with the reasons
  (the categories, never the words) until the writer opens it.
- Grouped by the post they answer, the oldest unread first; a reply met twice (in a post's context
  and in the mentions) is listed once. What was shown is remembered (`seen.SeenStore`), so the
  next listing shows only what is new.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from composer.drafts.model import make_ref
from composer.platforms.base import NotAvailable, PartRecord, PlatformClient, PlatformError, Reply
from composer.words import explain

if TYPE_CHECKING:
    from composer.drafts import Draft, DraftStore
    from composer.guidelines.settings import GuidelineSettings

    from .seen import SeenStore

Opener = Callable[[str], Awaitable[PlatformClient]]

FOLD_CATEGORIES = ("hate", "obscenity", "personal-info")
"""What folds a reply: the harms our rules will not stand for (guidelines categories)."""
REASON_WORDS = {"hate": "hate", "obscenity": "obscene language", "personal-info": "someone's personal information"}
"""How a reason reads in a folded line."""

POST_WINDOW = timedelta(days=30)
"""Posts published this long ago or later are asked about (an earlier `--since` reaches further)."""
CONCURRENT_POSTS = 4
"""Requests under way at once for one account."""


# --------------------------------------------------------------------------- data


@dataclass(frozen=True, slots=True)
class Post:
    """One published post of the writer's, on one account: what its replies answer."""

    draft_id: str
    title: str
    account: str
    parts: tuple[PartRecord, ...]
    url: str | None
    published: datetime | None

    @property
    def first(self) -> PartRecord:
        return self.parts[0]

    @property
    def ids(self) -> set[str]:
        return {p.id for p in self.parts if p.id}


@dataclass(frozen=True, slots=True)
class Item:
    """One reply as the writer sees it."""

    account: str
    platform: str
    reply: Reply
    post: Post | None
    """The post it answers; None for a mention outside the writer's recorded posts."""
    reasons: tuple[str, ...] = ()
    """Why it is folded (FOLD_CATEGORIES); empty when it is shown in full."""
    seen: bool = False
    """Shown to the writer in an earlier listing."""

    @property
    def folded(self) -> bool:
        return bool(self.reasons)

    @property
    def ref(self) -> str:
        """What `reply_to` in an answer's draft holds."""
        return make_ref(self.account, self.reply.id)

    @property
    def key(self) -> tuple[str, str]:
        return self.account, self.reply.id

    def reason_words(self) -> str:
        return ", ".join(REASON_WORDS.get(r, r) for r in self.reasons)

    def folded_line(self) -> str:
        """The one line a folded reply shows: who, and why it is folded; never its words."""
        return f"Folded: a reply from {self.reply.author} with {self.reason_words()}."

    def to_json(self) -> dict[str, Any]:
        post = None
        if self.post is not None:
            post = {"draft": self.post.draft_id, "title": self.post.title, "url": self.post.url,
                    "id": self.post.first.id}
        return {
            "ref": self.ref,
            "account": self.account,
            "platform": self.platform,
            "kind": self.reply.kind,
            "author": self.reply.author,
            "text": self.reply.text,
            "url": self.reply.url,
            "created_at": self.reply.created_at,
            "folded": self.folded,
            "reasons": list(self.reasons),
            "in_reply_to": post,
            "seen": self.seen,
        }


@dataclass(slots=True)
class Listing:
    """Every account's replies, in the order they are shown, and what could not be read."""

    items: list[Item] = field(default_factory=list)
    problems: dict[str, str] = field(default_factory=dict)
    """Account -> why its replies could not be read ("not available for this platform", ...)."""

    @property
    def unread(self) -> list[Item]:
        return [i for i in self.items if not i.seen]

    def groups(self) -> list[tuple[Post | None, list[Item]]]:
        """The items grouped by the post they answer, in the listing's order."""
        out: dict[tuple[str, str], tuple[Post | None, list[Item]]] = {}
        for item in self.items:  # mentions outside the writer's posts: one group per account
            key = (item.account, item.post.draft_id if item.post is not None else "")
            out.setdefault(key, (item.post, []))[1].append(item)
        return list(out.values())


# --------------------------------------------------------------------------- folding


def fold_reasons(text: str, settings: GuidelineSettings | None = None) -> tuple[str, ...]:
    """The guideline categories a reply trips that fold it (hate, obscenity, personal-info), in
    that order; () when it is shown in full. Mild words (findings of severity info) do not fold."""
    from composer.guidelines import language, personal_info
    from composer.guidelines.settings import DEFAULT_SETTINGS

    settings = settings or DEFAULT_SETTINGS
    found: set[str] = set()
    with contextlib.suppress(Exception):  # a check that breaks must not hide the replies
        for f in language.check(text, settings.allow, ("obscenity", "hate")):
            if f.severity != "info":
                found.add(f.category)
    with contextlib.suppress(Exception):
        for f in personal_info.check(text, settings.phone_region, settings.allow):
            if f.severity != "info":
                found.add("personal-info")
    return tuple(c for c in FOLD_CATEGORIES if c in found)


# --------------------------------------------------------------------------- the posts


def published_posts(
    drafts: Iterable[Draft], accounts: Iterable[str], *, since: datetime | None = None, now: datetime | None = None
) -> list[Post]:
    """The writer's published posts on `accounts`, from the drafts' records: each account's first
    part (a thread's replies hang under it), published since `since` or within POST_WINDOW."""
    wanted = set(accounts)
    start = (now or datetime.now(UTC)) - POST_WINDOW
    if since is not None and since < start:
        start = since
    out = []
    for draft in drafts:
        for name, d in draft.deliveries.items():
            if name not in wanted or d.status != "sent" or not d.parts or not d.parts[0].id:
                continue
            when = d.updated or draft.updated
            if when is not None and when < start:
                continue
            out.append(Post(draft.id, draft.title, name, tuple(d.parts), d.url, when))
    return out


# --------------------------------------------------------------------------- reading


def _when(value: str) -> datetime:
    try:
        t = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except (ValueError, AttributeError):
        return datetime.min.replace(tzinfo=UTC)
    return t if t.tzinfo else t.replace(tzinfo=UTC)


@dataclass(slots=True)
class _Fetched:
    platform: str = ""
    replies: list[tuple[Reply, Post | None]] = field(default_factory=list)
    problem: str | None = None


async def _read_account(client: PlatformClient, posts: Sequence[Post], since: str | None) -> _Fetched:
    """One account's replies: one request per post, one page of mentions."""
    got = _Fetched(client.platform)
    if not client.entry.capabilities.replies:
        got.problem = f"Reading replies is not available for {client.label}."
        return got
    limit = asyncio.Semaphore(CONCURRENT_POSTS)

    async def of_post(post: Post) -> list[tuple[Reply, Post | None]]:
        async with limit:
            return [(r, post) for r in await client.replies(post.first)]

    problems: list[str] = []
    with client.speaking():
        results = await asyncio.gather(*(of_post(p) for p in posts), return_exceptions=True)
        try:
            mentioned = await client.mentions(since)
        except (PlatformError, Exception) as err:  # noqa: BLE001 (one line for the writer, whatever it is)
            mentioned = []
            problems.append(explain(err))
    by_id = {i: p for p in posts for i in p.ids}
    for result in results:
        if isinstance(result, BaseException):
            if not isinstance(result, Exception):
                raise result
            problems.append(explain(result))
        else:
            got.replies.extend(result)
    for reply in mentioned:
        got.replies.append((reply, by_id.get(reply.in_reply_to or "")))
    if problems:
        got.problem = problems[0]
    return got


async def read_replies(
    posts: Sequence[Post],
    accounts: Sequence[str],
    open_client: Opener,
    *,
    since: str | None = None,
    release: Callable[[PlatformClient], Awaitable[None]] | None = None,
) -> dict[str, _Fetched]:
    """Every account's replies, read at once (each account's own requests a few at a time)."""

    async def one(name: str) -> _Fetched:
        try:
            client = await open_client(name)
        except Exception as err:  # noqa: BLE001
            return _Fetched(problem=explain(err))
        try:
            return await _read_account(client, [p for p in posts if p.account == name], since)
        except NotAvailable as err:
            return _Fetched(client.platform, problem=explain(err))
        finally:
            if release is not None:
                with contextlib.suppress(Exception):
                    await release(client)

    names = list(dict.fromkeys(accounts))
    results = await asyncio.gather(*(one(n) for n in names))
    return dict(zip(names, results))


def arrange(
    fetched: Mapping[str, _Fetched],
    *,
    since: datetime | None = None,
    seen: SeenStore | None = None,
    settings: GuidelineSettings | None = None,
    folds: dict[tuple[str, str, str], tuple[str, ...]] | None = None,
) -> Listing:
    """The listing: each reply once, folded where it must be, grouped by the post it answers; the
    groups with the oldest unread reply first, and in each group the unread ones first, oldest first."""
    listing = Listing()
    met: set[tuple[str, str]] = set()
    items: list[Item] = []
    for account, got in fetched.items():
        if got.problem:
            listing.problems[account] = got.problem
        for reply, post in got.replies:
            reply = reply.cleaned()
            if (account, reply.id) in met:
                continue
            if since is not None and _when(reply.created_at) < since:
                continue
            met.add((account, reply.id))
            items.append(Item(
                account=account,
                platform=got.platform,
                reply=reply,
                post=post,
                reasons=_folded(folds, account, reply, settings),
                seen=seen.is_seen(account, reply.id) if seen is not None else False,
            ))

    def order(item: Item) -> tuple[bool, datetime]:
        return item.seen, _when(item.reply.created_at)

    groups: dict[tuple[str, str], list[Item]] = {}
    for item in items:
        key = (item.account, item.post.draft_id) if item.post is not None else (item.account, "")
        groups.setdefault(key, []).append(item)
    for members in groups.values():
        members.sort(key=order)
    for key in sorted(groups, key=lambda k: order(groups[k][0])):
        listing.items.extend(groups[key])
    return listing


def _folded(
    folds: dict[tuple[str, str, str], tuple[str, ...]] | None, account: str, reply: Reply,
    settings: GuidelineSettings | None,
) -> tuple[str, ...]:
    """`fold_reasons`, remembered per reply (and its text) in `folds` when given."""
    if folds is None:
        return fold_reasons(reply.text, settings)
    key = (account, reply.id, reply.text)
    if key not in folds:
        folds[key] = fold_reasons(reply.text, settings)
    return folds[key]


class RepliesSession:
    """The replies of one session (a `humane replies` run, or the composer while it is open): read
    once, kept; `load(refresh=True)` asks the servers again. Marking seen is the face's call, after
    it has shown the items (`mark_seen`)."""

    def __init__(
        self,
        store: DraftStore,
        accounts: Sequence[str],
        open_client: Opener,
        *,
        seen: SeenStore | None = None,
        settings: GuidelineSettings | None = None,
        release: Callable[[PlatformClient], Awaitable[None]] | None = None,
    ) -> None:
        self.store = store
        self.accounts = list(accounts)
        self.open_client = open_client
        self.seen = seen
        self.settings = settings
        self.release = release
        self._fetched: dict[str, _Fetched] | None = None
        self._folds: dict[tuple[str, str, str], tuple[str, ...]] = {}
        """Why each reply is folded, worked out once per session."""
        self.requests = 0
        """How many times the servers were asked (tests and the status line read it)."""

    async def load(self, *, refresh: bool = False, since: datetime | None = None) -> Listing:
        if self._fetched is None or refresh:
            drafts = await asyncio.to_thread(self.store.list)
            posts = published_posts(drafts, self.accounts, since=since)
            self._fetched = await read_replies(
                posts, self.accounts, self.open_client,
                since=since.isoformat() if since else None, release=self.release,
            )
            self.requests += 1
        fetched = self._fetched
        return await asyncio.to_thread(
            arrange, fetched, since=since, seen=self.seen, settings=self.settings, folds=self._folds
        )

    def mark_seen(self, items: Iterable[Item]) -> None:
        if self.seen is not None:
            self.seen.mark(i.key for i in items)


def answer_body(item: Item) -> str:
    """How an answer's draft starts: the reader's handle where the platform threads and notifies by
    the mention (Mastodon), else nothing."""
    from composer import registry

    entry = registry.find(item.platform)
    if entry is not None and entry.capabilities.reply_mention and item.reply.author:
        return f"@{item.reply.author.lstrip('@')} "
    return ""


ANSWER_PURPOSE = "to answer a reader's question"
"""The purpose an answer's draft starts with (the writer may change it)."""


def new_answer(store: DraftStore, item: Item) -> Draft:
    """A new draft answering `item`: `reply_to` set, the one account chosen, the mention written
    where the platform expects it, the purpose filled in. Saved at once."""
    draft = store.new(body=answer_body(item), purpose=ANSWER_PURPOSE, accounts=[item.account])
    draft.reply_to = item.ref
    draft.extra[REPLY_AUTHOR] = item.reply.author
    store.save(draft)
    return draft


REPLY_AUTHOR = "reply_author"
"""Front-matter key of an answer's draft: the reader it answers, for the composer to say so."""


def answering(draft: Draft) -> str:
    """"Answering @bob@example.social on social", for a draft with `reply_to`; "" otherwise."""
    from composer.drafts.model import split_ref

    if not draft.reply_to:
        return ""
    ref = split_ref(draft.reply_to)
    who = str(draft.extra.get(REPLY_AUTHOR) or "")
    whom = f"@{who.lstrip('@')}" if who else "a reply"
    return f"Answering {whom}" + (f" on {ref[0]}" if ref else "")
