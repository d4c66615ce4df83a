"""The one interface every platform client implements, and the errors they share.

`platforms/` knows neither files nor config (DESIGN.md): a client is handed its account's
non-secret settings (`AccountInfo`), its secret (`Secret`) and a shared `httpx.AsyncClient`.
Publishing (`composer.publish`) drives clients only through this module's types, so a new
platform is one new module plus one entry in `composer.registry.PLATFORMS`: the entry holds the
platform's facts (label, login, limits, capabilities), the module only its protocol.

The interface methods (`login`, `verify`, `limits`, `publish`) are templates here: they do what
every platform needs (refuse what cannot be sent, skip parts already sent, scrub secrets and
terminal escapes from every server word: `untrusted.clean`) and call the client's hooks
(`sign_in`, `identify`, `fetch_limits`, `send_part`, ...).

Common work is here too (`request`, `renewed`, `pasted`/`verified`, `whoami`); beside it: sending.py,
once.py, http.py, reading.py (servers' times, ids, texts), tokens.py, oauth.py, chat.py, graph.py.

Retry safety: before the first request for a post, the publisher asks the client for one key per
thread part (`new_part_key`) and saves them in the draft file. Every later try hands the same
`PartRecord`s back, so a client can make the retry idempotent (Mastodon's Idempotency-Key, a
Bluesky TID record key, a Threads container id) or check the server before sending again.
"""

from __future__ import annotations

import asyncio
from abc import ABC
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import urlsplit

from composer import registry

from .errors import (
    AuthError,
    InsecureURL,
    NeedsCheck,
    NotAvailable,
    PlatformError,
    RateLimited,
    Rejected,
    TransientError,
)
from .records import (
    NO_LIMIT,
    AccountInfo,
    Ask,
    Checkpoint,
    Identity,
    Image,
    Limits,
    PartRecord,
    PostOptions,
    Reply,
    Secret,
    Uploaded,
    digest,
    now,
    part_name,
    stamp,
)
from .sending import Sending
from .untrusted import credential_values, secrets_in_play

if TYPE_CHECKING:  # httpx is imported lazily: start-up of `humane check` must not pay for it
    import httpx

__all__ = [
    "NO_LIMIT", "AccountInfo", "Ask", "AuthError", "Checkpoint", "Identity", "Image", "InsecureURL", "Limits",
    "NeedsCheck", "NotAvailable", "PartRecord", "PlatformClient", "PlatformError", "PostOptions", "RateLimited",
    "Rejected", "Reply", "Secret", "Sending", "TransientError", "Uploaded", "digest", "now", "part_name", "stamp",
]


class PlatformClient(ABC):
    """A client for one account on one platform: its protocol in the hooks, the rest here."""

    platform: ClassVar[str]
    """Registry name: `mastodon`, `bluesky`, `linkedin`, `threads`, `micropub`, ..."""
    entry: ClassVar[registry.Platform]
    """The platform's registry entry. The class attributes below are read from it when the client
    class is defined (a subclass may still set one itself, as test doubles do)."""
    label: ClassVar[str]
    """How the UI names the platform: `Mastodon`, `Bluesky`."""
    NEEDS_SERVER: ClassVar[bool] = False
    NEEDS_HANDLE: ClassVar[bool] = False
    DEFAULT_SERVER: ClassVar[str | None] = None
    SECRET_LABEL: ClassVar[str] = "access token"
    """What `humane accounts add` asks for."""
    SECRET_HELP: ClassVar[str] = ""
    """One or two sentences: where the writer gets that secret."""
    RENEW_HELP: ClassVar[str] = ""
    """What to do when the credential runs out (`{name}` = the account's name); empty if it does not."""
    SUPPORTS_THREADS: ClassVar[bool] = True
    IDEMPOTENT: ClassVar[bool] = True
    """False where a retry after an ambiguous failure cannot be made safe (Micropub)."""
    CHECK_LENGTH: ClassVar[bool] = True
    """Whether `publish` refuses a part over the limits before sending it. False where the
    server's own refusal is shown instead (it knows its limit and counting best)."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        entry = registry.find(getattr(cls, "platform", ""))
        if entry is None:
            return
        facts: dict[str, Any] = {
            "entry": entry,
            "label": entry.label,
            "SUPPORTS_THREADS": entry.capabilities.threads,
            "IDEMPOTENT": entry.capabilities.idempotent,
        }
        if entry.login is not None:
            login = entry.login
            facts.update(
                NEEDS_SERVER=login.server.required,
                NEEDS_HANDLE=login.handle is not None and login.handle.required,
                DEFAULT_SERVER=login.server.default,
                SECRET_LABEL=login.secret.kind,
                SECRET_HELP=login.secret.help,
                RENEW_HELP=login.secret.renew,
            )
        for name, value in facts.items():
            if name not in cls.__dict__:
                setattr(cls, name, value)

    def __init__(
        self,
        account: AccountInfo,
        secret: Secret,
        http: httpx.AsyncClient,
        *,
        on_secret_change: Callable[[Secret], None] | None = None,
    ) -> None:
        self.account = account
        self._held: list[Secret] = []
        self.secret = secret
        self.http = http
        self.on_secret_change = on_secret_change
        """Called when the client's credential changed (a rotated Bluesky session): save it."""
        self.media_host: PlatformClient | None = None
        """Where images get a public URL, for a platform that fetches them itself (Threads,
        Instagram): the client of the account named by this account's `media_host` setting,
        handed in by the publisher. Its `host_image` is used."""
        self.identity: Identity | None = None
        """Who the credential belongs to, once `verify` has asked (`whoami` asks at most once)."""
        self._identifying = asyncio.Lock()
        self.media_host_problem = ""
        """Why the `media_host` account named in config could not be opened ("" when it could)."""

    def __repr__(self) -> str:  # never the secret: only what config.toml holds anyway
        return f"{type(self).__name__}(account={self.account.name!r}, server={self.account.server!r})"

    # ------------------------------------------------------------------ secrets

    @property
    def secret(self) -> Secret:
        return self._held[-1]

    @secret.setter
    def secret(self, value: Secret) -> None:
        """A new credential (a refreshed token): the old ones are still scrubbed from errors."""
        self._held.append(value)

    def secret_values(self) -> list[str]:
        """Every secret this client has held, as text: the secret itself and, for a JSON secret
        (a session), the values of its keys that hold credentials."""
        out: list[str] = []
        for held in self._held:
            raw = held.reveal().strip()
            inside = list(credential_values(raw)) if raw.startswith("{") else []
            out.extend(inside or [raw])  # a session's handle, DID and dates are no secrets
        return out

    def renewed(self, secret: Secret) -> None:
        """A new credential (a refreshed token, a rotated session): held, and handed to
        `on_secret_change` at once (the old one may be dead already: the accounts layer saves it)."""
        self.secret = secret
        if self.on_secret_change is not None:
            self.on_secret_change(secret)

    def renew_help(self) -> str:
        """What to do when the credential runs out, for this account (RENEW_HELP)."""
        return self.RENEW_HELP.format(name=self.account.name)

    def speaking(self):
        """A block in which every error built, and every server text read, is scrubbed of this
        client's secrets (see `untrusted`)."""
        return secrets_in_play(self.secret_values)

    # ------------------------------------------------------------------ where

    @classmethod
    def server_of(cls, account: AccountInfo) -> str:
        """The account's server (or the platform's default), checked: https, or http on loopback."""
        from .http import check_url

        spec = cls.entry.login.server if cls.entry.login else registry.Server("server")
        url = account.server or spec.default
        if not url:
            raise Rejected(
                f"Account {account.name!r} has no {cls.label} {spec.label} address.",
                hint=f"Add it: {cls.entry.add_command(account.name)}",
            )
        what = f"{cls.label} {spec.label}"
        if spec.several:  # a comma-separated list (Nostr relays): each one checked
            return ",".join(check_url(u, what=what, scheme=spec.scheme) for u in url.split(",") if u.strip())
        return check_url(url, what=what, scheme=spec.scheme)

    @property
    def server_url(self) -> str:
        return self.server_of(self.account)

    @property
    def where(self) -> str:
        """The server's host (and port), for messages."""
        return urlsplit(self.server_url).netloc

    async def request(
        self, method: str, path: str, *, write: bool = False, token: str | None = None,
        headers: Mapping[str, str] | None = None, **kwargs: Any,
    ) -> httpx.Response:
        """One request to the account's server (`path` after its address; `token` as the Bearer
        credential), never following a redirect (`http.send`: `write` marks one that may post)."""
        from .http import send

        sent = dict(headers or {})
        if token is not None:
            sent["Authorization"] = f"Bearer {token}"
        return await send(self.http, method, self.server_url + path, label=self.label, write=write,
                          headers=sent, follow_redirects=False, **kwargs)

    # ------------------------------------------------------------------ login

    @classmethod
    def new_part_key(cls) -> str:
        """A fresh idempotency/record key for one part; overridden where the format matters."""
        import uuid

        return uuid.uuid4().hex

    @classmethod
    async def login(cls, http: httpx.AsyncClient, account: AccountInfo, ask: Ask) -> tuple[Secret, AccountInfo]:
        """Obtain a credential interactively (or from what `ask` returns): the secret to keep in
        the keyring, and the account with anything learnt on the way (server, handle, ids).
        What the writer gives as a secret is scrubbed from every error on the way."""
        given: list[str] = []

        def asking(prompt: str, secret: bool) -> str:
            answer = ask(prompt, secret)
            if secret and isinstance(answer, str):
                given.append(answer.strip())
            return answer

        with secrets_in_play(lambda: given):
            return await cls.sign_in(http, account, asking)

    @classmethod
    async def sign_in(cls, http: httpx.AsyncClient, account: AccountInfo, ask: Ask) -> tuple[Secret, AccountInfo]:
        """The platform's login flow (hook). By default: the pasted token, checked with `verify`."""
        secret, info = cls.pasted(ask, account)
        return await cls.verified(http, info, secret)

    @classmethod
    def pasted(cls, ask: Ask, account: AccountInfo, prompt: str | None = None) -> tuple[Secret, AccountInfo]:
        """The account with its server checked (`server_of`, before anything is asked), and the
        secret the writer pastes (`ask_token`)."""
        info = replace(account, server=cls.server_of(account))
        return Secret(cls.ask_token(ask, info, prompt)), info

    @classmethod
    async def verified(
        cls, http: httpx.AsyncClient, account: AccountInfo, secret: Secret, *, keep_details: bool = False
    ) -> tuple[Secret, AccountInfo]:
        """The end of every login: `secret` checked against the server (`verify`); the secret to
        keep (renewed, if verifying renewed it) and the account with its handle and, with
        `keep_details`, what `verify` learnt (`Identity.details`) among its options."""
        client = cls(account, secret, http)
        identity = await client.verify()
        options = {**account.options, **identity.details} if keep_details else account.options
        return client.secret, replace(account, handle=identity.handle, options=options)

    @staticmethod
    def ask_secret(ask: Ask, prompt: str) -> str:
        """The writer's answer to a secret's prompt, a pasted "Bearer " dropped ("" for none)."""
        answer = ask(prompt, True).strip()
        return answer[7:].strip() if answer.lower().startswith("bearer ") else answer

    @classmethod
    def ask_token(cls, ask: Ask, account: AccountInfo, prompt: str | None = None, hint: str = "") -> str:
        """Ask for the secret (`ask_secret`); AuthError when nothing was given."""
        answer = cls.ask_secret(ask, prompt or f"{cls.label} {cls.SECRET_LABEL}")
        if not answer:
            raise AuthError(
                f"No {cls.label} {cls.SECRET_LABEL} was given, so nothing was saved.",
                hint=hint or cls.RENEW_HELP.format(name=account.name) or cls.SECRET_HELP,
            )
        return answer

    # ------------------------------------------------------------------ verify, limits

    async def verify(self) -> Identity:
        """Check the credential against the server; raise AuthError when it does not work."""
        with self.speaking():
            identity = await self.identify()
        self.identity = identity.cleaned()
        return self.identity

    async def whoami(self) -> Identity:
        """The account's identity: the one `verify` found, else verified now (once, even when
        several reads start at the same time)."""
        if self.identity is None:
            async with self._identifying:
                if self.identity is None:
                    await self.verify()
        assert self.identity is not None
        return self.identity

    async def identify(self) -> Identity:
        """Ask the server who the credential belongs to (hook of `verify`; every client has one)."""
        raise NotImplementedError

    async def limits(self) -> Limits:
        """The server's limits for one post: the registry's, unless the server announces its own."""
        with self.speaking():
            announced = await self.fetch_limits()
        if announced is not None:
            return announced
        counting = self.entry.counting
        return Limits(max_chars=counting.limit or NO_LIMIT, max_links=counting.max_links)

    async def fetch_limits(self) -> Limits | None:
        """The limits the server announces (hook of `limits`, read once and cached by the client);
        None where the platform's are fixed."""
        return None

    def split(self, text: str, limits: Limits, options: PostOptions | None = None) -> list[str]:
        """Split `text` into the parts of a thread that each fit `limits` (one part if it fits,
        or where the platform has no threads). `options` matter where the content warning counts
        against the limit (Mastodon): it goes on every part, so it must leave room in each."""
        from composer.guidelines.length import MIN_ROOM, graphemes, measure, split_thread

        if not self.entry.capabilities.threads:
            return [text]
        counts = self.entry.counting.content_warning_counts
        warning = ((options.content_warning if options else None) or "") if counts else ""
        if warning and not measure(
            text, self.platform, limits.max_chars, content_warning=warning, url_cost=limits.url_cost
        ).fits and limits.max_chars - graphemes(warning) < MIN_ROOM:
            raise Rejected(
                f"The content warning is {graphemes(warning)} characters; the server allows "
                f"{limits.max_chars} for the warning and the text together.",
                hint="Shorten the content warning.",
            )
        return split_thread(
            text, self.platform, limit=limits.max_chars, content_warning=warning, url_cost=limits.url_cost
        )

    # ------------------------------------------------------------------ publish

    async def publish(
        self,
        parts: Sequence[str],
        records: Sequence[PartRecord],
        options: PostOptions,
        checkpoint: Checkpoint,
        images: Sequence[Sequence[Image]] = (),
    ) -> list[PartRecord]:
        """Publish `parts` as a thread. `records[i]` holds part i's key and, for parts already
        sent by an earlier try, its id: those are skipped (`sent_before`) and the thread goes on
        after them. `images[i]` are the images part i carries (prepared within `media_limits`).
        Everything that cannot be sent is refused before anything is (`check`, `check_images`).
        `send_part` makes sure a retry cannot post a part twice. `checkpoint` is called after
        every part sent. Raises a PlatformError subclass on failure; returns the completed records."""
        if len(parts) != len(records):
            raise ValueError(f"{len(parts)} parts but {len(records)} records")
        if len(images) > len(parts):
            raise ValueError(f"images for {len(images)} parts but {len(parts)} parts")
        per_part = [list(images[i]) if i < len(images) else [] for i in range(len(parts))]
        records = list(records)
        if records and all(r.sent for r in records):
            return records
        with self.speaking():
            await self.check(parts, records, options)
            if any(per_part):
                await self.check_images(per_part, records)
            await self.prepare(parts, records, options)
            answering = None
            if options.reply_to:
                if not self.entry.capabilities.replies:
                    raise NotAvailable(f"{self.label} posts cannot be sent as answers from Humane Composer.",
                                       hint="Remove reply_to from the draft to publish it as a post of its own.")
                answering = await self.reply_target(options.reply_to)
            for i in range(len(parts)):
                if records[i].sent:
                    records[i] = await self.sent_before(i, records)
                    continue
                sending = Sending(i, parts, records, options, checkpoint, answering, per_part[i], self.upload)
                done = (await self.send_part(sending)).cleaned()
                if done != records[i]:
                    records[i] = done
                    await checkpoint(list(records))
        return records

    async def check(self, parts: Sequence[str], records: Sequence[PartRecord], options: PostOptions) -> None:
        """Refuse, before anything is sent, what the platform would refuse or could not show:
        a thread where there are none, a content warning or visibility it cannot keep, an empty
        part, a part over the limits (where CHECK_LENGTH)."""
        caps, label, n = self.entry.capabilities, self.label, len(parts)
        if not parts:
            raise Rejected("There is nothing to post.")
        if n > 1 and not caps.threads:
            limit = self.entry.counting.limit
            raise Rejected(
                f"{label} has no threads, and this post was split into {n} parts.",
                hint=f"Shorten it to {limit} characters, or leave {label} out of this post." if limit
                else "Publish it as one post.",
            )
        if options.content_warning and caps.content_warning == "none":
            raise Rejected(
                f"{label} has no content warnings, so this post would appear without its warning.",
                hint=f"Remove the content warning, or leave {label} out of this post.",
            )
        self.visibility(options)
        limits = await self.limits() if self.CHECK_LENGTH else None
        for i, text in enumerate(parts):
            if records[i].sent:
                continue
            if not text.strip():
                raise Rejected(f"{part_name(i, n)} is empty; {label} does not accept an empty post.")
            if limits is not None:
                self.check_length(part_name(i, n), text, limits)

    def visibility(self, options: PostOptions) -> str | None:
        """The post's visibility (the account's by default), lower-cased; Rejected when the
        platform cannot keep it. None where the platform has no such setting, or none is set."""
        allowed = self.entry.capabilities.visibilities
        wanted = options.visibility or self.account.visibility
        if not allowed or not wanted:
            return wanted
        value = wanted.lower()
        if value in allowed:
            return value
        if len(allowed) == 1:
            raise Rejected(
                f"{self.label} posts are {allowed[0]}; the visibility {value!r} cannot be kept.",
                hint=f"Set the visibility to {allowed[0]}, or leave {self.label} out of this post.",
            )
        raise Rejected(f"{self.label} has no visibility {value!r}.", hint=f"Use one of: {', '.join(allowed)}.")

    def measured(self, text: str, limits: Limits) -> tuple[Any, str]:
        """The part as the platform will count it (`length.Measure`), and a note on how, for messages."""
        from composer.guidelines.length import measure

        m = measure(text, self.platform, limits.max_chars, url_cost=limits.url_cost)
        unit = self.entry.counting.unit
        note = {"emoji-bytes": " (emoji count as their bytes)", "weighted": " (CJK and emoji count as 2)"}
        return m, note.get(unit, "") if m.count != len(text) else ""

    def check_length(self, which: str, text: str, limits: Limits) -> None:
        m, note = self.measured(text, limits)
        label, threads = self.label, self.entry.capabilities.threads
        again = "Publish again: the post is split into a thread that fits."
        if m.link_limit is not None and m.links > m.link_limit:
            raise Rejected(f"{which} has {m.links} links; {label} allows {m.link_limit} in one post.",
                           hint="Remove some links, or move them to another part of the thread.")
        if m.hashtag_limit is not None and m.hashtags > m.hashtag_limit:
            raise Rejected(f"{which} has {m.hashtags} hashtags; {label} allows {m.hashtag_limit} in one post.",
                           hint=f"Remove {m.hashtags - m.hashtag_limit} of them.")
        if m.byte_limit is not None and m.bytes > m.byte_limit:
            raise Rejected(f"{which} is {m.bytes} bytes; {label} allows {m.byte_limit}.", hint=again)
        if m.limit is not None and m.count > m.limit:
            raise Rejected(
                f"{which} is {m.count} characters as {label} counts them{note}; {label} allows {m.limit}"
                + ("." if threads else " and has no threads."),
                hint=again if threads else f"Shorten it by {m.count - m.limit} characters, or leave {label} out of this post.",
            )

    async def prepare(self, parts: Sequence[str], records: Sequence[PartRecord], options: PostOptions) -> None:
        """What to do once before the first part is sent (refresh a session, say): hook."""
        return None

    # ------------------------------------------------------------------ images

    async def media_limits(self) -> registry.Media | None:
        """What images one post may carry on this account's server: the registry's, unless the
        server announces its own (hook: `fetch_media_limits`). None: the platform takes none."""
        if self.entry.media is None:
            return None
        with self.speaking():
            announced = await self.fetch_media_limits()
        return announced or self.entry.media

    async def fetch_media_limits(self) -> registry.Media | None:
        """The media limits the server announces (hook; None where they are fixed)."""
        return None

    async def check_images(self, images: Sequence[Sequence[Image]], records: Sequence[PartRecord]) -> None:
        """Refuse, before anything is sent, images the platform would refuse or readers could not
        read: none taken at all, too many on one part, no alt text or too much, too many bytes, a
        format it does not take, no public address where it needs one."""
        from composer.guidelines.length import graphemes

        label, n = self.label, len(images)
        media = await self.media_limits()
        if media is None:
            raise Rejected(f"{label} takes no images, and this post has some.",
                           hint=f"Remove the images, or leave {label} out of this post.")
        if media.public_url and self.media_host is None:
            if self.media_host_problem:
                raise Rejected(f"{label} fetches images from a public address, and account "
                               f"{self.account.name!r} has none to give: {self.media_host_problem}")
            raise Rejected(
                f"{label} fetches images from a public address, and account {self.account.name!r} has none to give.",
                hint=f"Set media_host = \"ACCOUNT\" under [accounts.{self.account.name}] in config.toml, naming "
                "an account whose uploads get a public address (a Micropub site), or leave the images out.",
            )
        for i, part in enumerate(images):
            if records[i].sent or not part:
                continue
            which = part_name(i, n)
            if len(part) > media.max_images:
                raise Rejected(
                    f"{which} has {len(part)} images; {label} allows {media.max_images} in one post.",
                    hint="Remove some images, or move them to another part with an [images] line.",
                )
            for image in part:
                if not image.alt.strip():
                    raise Rejected(f"The image {image.name} has no alt text.",
                                   hint="Describe what it shows, for readers who cannot see it.")
                if media.alt_max is not None and graphemes(image.alt) > media.alt_max:
                    raise Rejected(
                        f"The alt text of {image.name} is {graphemes(image.alt)} characters; {label} allows {media.alt_max}.",
                        hint="Shorten the alt text; put the rest in the post itself.",
                    )
                if len(image.data) > media.max_bytes:
                    raise Rejected(f"The image {image.name} is {len(image.data)} bytes; {label} allows {media.max_bytes}.")
                if image.mime not in media.formats:
                    raise Rejected(f"{label} does not take {image.mime} images ({image.name}).")

    async def upload(self, image: Image) -> Uploaded:
        """Put one image on the server, with its alt text where the platform keeps it there
        (hook; every client whose platform takes images has one)."""
        raise Rejected(f"{self.label} takes no images in this version.",
                       hint=f"Remove the images, or leave {self.label} out of this post.")

    async def host_image(self, image: Image) -> str:
        """Upload `image` and return a public URL for it (hook, for an account named as another's
        `media_host`: a Micropub media endpoint)."""
        raise Rejected(
            f"{self.label} uploads do not get a public address, so account {self.account.name!r} cannot be a media_host.",
            hint="Name a Micropub account as media_host instead.",
        )

    async def sent_before(self, i: int, records: Sequence[PartRecord]) -> PartRecord:
        """Part i was sent by an earlier try: its record, completed where the thread needs more
        to go on after it (hook; by default as it is)."""
        return records[i]

    async def send_part(self, part: Sending) -> PartRecord:
        """Send `part` (answering `part.previous`) and return its record, done. For a part with a
        key but no id, make sure a retry cannot post it twice (send the same idempotency key, or
        look the key up first). Progress within a part is kept with `part.save`. (Every client has one.)"""
        raise NotImplementedError


    # ------------------------------------------------------------------ dialogue (hooks)
    #
    # Where the registry says the platform cannot (`capabilities.replies`, `delete`, `edit`), the
    # hook is not overridden and says so with NotAvailable. The dialogue layer
    # (composer/dialogue/) calls these inside `speaking()` and cleans what they return.

    async def replies(self, post: PartRecord) -> list[Reply]:
        """The replies to one of the writer's published posts (one request: its thread or its
        context), oldest first; the writer's own parts of a thread left out."""
        raise NotAvailable(f"Reading replies is not available for {self.label}.")

    async def mentions(self, since: str | None = None) -> list[Reply]:
        """Replies and mentions from the account's notifications (one page), newer than `since`
        (an ISO time) where given. Never marks them read on the server."""
        raise NotAvailable(f"Reading mentions is not available for {self.label}.")

    async def reply_target(self, id: str) -> PartRecord:
        """What an answer to the post `id` replies to, as a part record (`Sending.previous` of the
        first part): by default the id alone; a platform that needs more (a Bluesky cid and the
        thread's root) looks it up."""
        return PartRecord(key="", digest="", id=id)

    async def delete_post(self, record: PartRecord) -> None:
        """Withdraw one published part. A post already gone counts as deleted (no error)."""
        raise NotAvailable(f"{self.label} posts cannot be deleted from Humane Composer.",
                           hint=f"Delete it on {self.label} itself.")

    async def edit_post(self, record: PartRecord, text: str, options: PostOptions) -> PartRecord:
        """Replace one published part's text in place (its id and its replies stay); the record
        with its new digest (and whatever else changed)."""
        raise NotAvailable(f"{self.label} posts cannot be edited in place.",
                           hint="Delete it and publish the corrected text as a new post.")
