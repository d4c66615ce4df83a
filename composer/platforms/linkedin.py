"""LinkedIn: a member's text post through the Posts API (`POST /rest/posts`).

Facts relied on are in /work/shared/platforms.md, section 3. Decisions made here:

- The secret is the member's access token, pasted (LinkedIn has no out-of-band OAuth flow for a
  terminal app; the Developer portal's "OAuth 2.0 tools → Create token" makes one by hand). The
  member id comes from `GET /v2/userinfo` (`sub`); the author URN `urn:li:person:<sub>` is kept in
  the account's options as `person`, so no extra call is needed before posting.
- Tokens live 60 days and cannot be refreshed by ordinary apps. LinkedIn's own introspection
  (`/oauth/v2/introspectToken`) needs the app's client secret, which a writer who pasted a token
  does not have. So the login records the day the token was added (`authorized_on`, a plain date in
  config.toml that the writer may correct by hand if the token was made earlier), and `verify` reports
  `expires_at` = that day + 60 days. A 401 says plainly that the token has expired or was revoked and
  how to make a new one (`RENEW_HELP`).
- Every request to `/rest/...` carries `LinkedIn-Version: LINKEDIN_VERSION` (one pinned constant:
  LinkedIn retires versions about a year after release, answering 426; bump it then) and
  `X-Restli-Protocol-Version: 2.0.0`.
- `commentary` is "little text". An unescaped reserved character (`\\ | { } @ [ ] ( ) < > # * _ ~`)
  makes LinkedIn publish only the text before it and still answer 201, so `escape_commentary` is
  applied to every post:
    * outside links and hashtags, every reserved character gets a backslash (`(` → `\\(`);
    * a hashtag — `#` then letters/digits (no `_`), not preceded by a letter, digit, `_`, `#`, `&`,
      `/` or `\\` — stays as it is, so it is LinkedIn's HashtagElement and clickable. The rest of a
      longer "tag" (`#open_source` → `#open` + `\\_source`) is escaped like any text;
    * a link (http(s) URL or bare domain, as `composer.guidelines.entities.find_urls` finds them,
      trailing punctuation and unbalanced brackets left out) is sent as it is, so LinkedIn links it,
      except that `\\ | { } [ ] ( ) < >` inside it are percent-encoded (`%28` for `(`): they would
      open a little element, and a backslash inside a URL would break the link. Percent-encoding
      them keeps the link going to the same page. `_ ~ * # @` inside a link are left alone
      (escaping them corrupts links such as `?utm_source=`), but a link does not end with one of
      them (nor with `. , : ; ! ? ' "`): trailing ones are text, escaped where reserved.
  The length check (3000) counts the escaped commentary in UTF-16 code units, which is never less
  than what LinkedIn counts, so a post refused by LinkedIn for its length is refused here first.
- LinkedIn has no threads (its registry entry says so): a post over the limit is refused before
  anything is sent. It has no content warnings either: a post with one is refused rather than
  published without it. Visibility: `public` (default) or `connections`.
- Retry safety: LinkedIn refuses a post identical to one the member already made with 422
  `DUPLICATE_POST`, "Content is a duplicate of urn:li:share:…". Before each try the part is stamped
  (`tried_at`, the first unclear try's time, kept while the outcome is unknown). A retry after a
  lost answer simply sends again; a duplicate then counts as this part's post only when
  `GET /rest/posts/{urn}` says it was created after that first try (its `createdAt`, on
  LinkedIn's clock as the answer's `Date` tells it). An older same-text post (last week's
  reminder) is never recorded as this draft's: without an earlier try the post is Rejected (the
  same text is already there, with its address); after one, when the time cannot be read or is
  older, NeedsCheck (the writer looks and may mark it as sent).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import quote, urlsplit

from .base import PlatformClient, Sending
from .chat import utf16_length
from .errors import AuthError, NeedsCheck, PlatformError, Rejected, TransientError
from .http import CLOCK_SKEW, clock_offset, error_detail, parse_json, raise_for_status, send
from .reading import time_of
from .records import AccountInfo, Ask, Identity, Image, Limits, PartRecord, PostOptions, Secret, Uploaded, digest, now

if TYPE_CHECKING:
    import httpx

LINKEDIN_VERSION = "202610"
"""The Posts API version sent as `LinkedIn-Version` (YYYYMM). LinkedIn sunsets a version about a
year after its release (HTTP 426): bump this one constant then."""
RESTLI_PROTOCOL = "2.0.0"
TOKEN_DAYS = 60
VISIBILITIES = {"public": "PUBLIC", "connections": "CONNECTIONS"}
POST_URL = "https://www.linkedin.com/feed/update/{urn}/"

RESERVED = frozenset("\\|{}@[]()<>#*_~")
"""Characters little text reserves for its elements (learn.microsoft.com … little-text-format)."""
URL_ENCODED = frozenset("\\|{}[]()<>")
"""Reserved characters percent-encoded inside a link (the others stay as they are)."""
URL_TRAILING = frozenset("_~*#@.,:;!?'\"")
"""What a link does not end with: reserved characters (escaped as the text after it) and punctuation."""
_HASHTAG = re.compile(r"(?<![\w#&/\\])#[^\W_]+")
_URN = re.compile(r"urn:li:(?:share|ugcPost|activity):[0-9A-Za-z_-]+")


def escape_commentary(text: str) -> str:
    """`text` as LinkedIn little text that shows exactly `text` (see the module doc for the rules)."""
    from composer.guidelines.entities import find_urls

    spans: list[tuple[int, int, str]] = []
    for u in find_urls(text, schemeless=True):
        end = u.end
        while end > u.start and text[end - 1] in URL_TRAILING:
            end -= 1  # "https://x.org/a_" ends at "a": the "_" is escaped as text
        if end > u.start:
            spans.append((u.start, end, "url"))
    taken = list(spans)
    for m in _HASHTAG.finditer(text):
        if any(m.start() < e and s < m.end() for s, e, _ in taken):
            continue
        if not any(ch.isalpha() for ch in m.group()[1:]):
            continue  # "#1" is no hashtag: escape it
        spans.append((m.start(), m.end(), "tag"))
    spans.sort()
    out: list[str] = []
    pos = 0
    for start, end, kind in spans:
        out.append(_escape_plain(text[pos:start]))
        piece = text[start:end]
        if kind == "url":
            out.append("".join(f"%{ord(c):02X}" if c in URL_ENCODED else c for c in piece))
        else:
            out.append(piece)
        pos = end
    out.append(_escape_plain(text[pos:]))
    return "".join(out)


def _escape_plain(text: str) -> str:
    return "".join("\\" + c if c in RESERVED else c for c in text)


def post_url(urn: str) -> str:
    return POST_URL.format(urn=urn)


class LinkedInClient(PlatformClient):
    platform: ClassVar[str] = "linkedin"

    # ------------------------------------------------------------------ plumbing

    @property
    def authorized_on(self) -> date | None:
        value = self.account.options.get("authorized_on")
        if isinstance(value, date) and not isinstance(value, datetime):
            return value
        if isinstance(value, datetime):
            return value.date()
        try:
            return date.fromisoformat(str(value)[:10]) if value else None
        except ValueError:
            return None

    @property
    def expires_on(self) -> date | None:
        added = self.authorized_on
        try:
            return added + timedelta(days=TOKEN_DAYS) if added else None
        except OverflowError:  # a day written by hand near the end of the calendar
            return None

    def _renew(self) -> str:
        return self.RENEW_HELP.format(name=self.account.name)

    def _expired_words(self) -> str:
        added, expires = self.authorized_on, self.expires_on
        if added and expires:
            today = now().date()
            if today >= expires:
                return f" It was added on {added.isoformat()}, so it expired on {expires.isoformat()}."
            return (
                f" It was added on {added.isoformat()} and would last until {expires.isoformat()}, "
                "so it was probably revoked (or made long before it was added)."
            )
        return " LinkedIn tokens expire 60 days after they are made."

    async def _request(
        self, method: str, path: str, *, write: bool = False, rest: bool = False, **kwargs: Any
    ) -> httpx.Response:
        headers = dict(kwargs.pop("headers", {}))
        if rest:
            headers["LinkedIn-Version"] = LINKEDIN_VERSION
            headers["X-Restli-Protocol-Version"] = RESTLI_PROTOCOL
        return await self.request(method, path, write=write, token=self.secret.reveal().strip(), headers=headers,
                                  **kwargs)

    def _check(self, response: httpx.Response, *, write: bool = False) -> None:
        status = response.status_code
        if status < 400:
            return
        detail = _detail(response)
        said = f": {detail}" if detail else ""
        if status == 401:
            raise AuthError(
                f"LinkedIn did not accept the access token of account {self.account.name!r} "
                f"(HTTP 401{said}).{self._expired_words()}",
                hint=self._renew(),
            )
        if status == 403:
            raise AuthError(
                f"LinkedIn says the access token of account {self.account.name!r} may not do this "
                f"(HTTP 403{said}).",
                hint="The token needs the scopes openid, profile and w_member_social. " + self._renew(),
            )
        if status == 426:
            raise Rejected(
                f"LinkedIn no longer accepts API version {LINKEDIN_VERSION} (HTTP 426{said}).",
                hint="Update Humane Composer: this version speaks a LinkedIn API version that was retired.",
            )
        raise_for_status(response, label=self.label, detail=detail, write=write, auth_hint=self._renew())

    # ------------------------------------------------------------------ login, verify, limits

    @classmethod
    async def sign_in(cls, http: httpx.AsyncClient, account: AccountInfo, ask: Ask) -> tuple[Secret, AccountInfo]:
        """A pasted access token, checked against /v2/userinfo; the account comes back with the
        author URN (`person`) and the day the token was added (`authorized_on`)."""
        server = cls.server_of(account)
        secret = Secret(cls.ask_token(ask, account))
        options = dict(account.options)
        options["authorized_on"] = now().date().isoformat()
        info = replace(account, server=server, options=options)
        identity = await cls(info, secret, http).verify()
        options["person"] = identity.id
        return secret, replace(info, handle=identity.handle, options=options)

    async def identify(self) -> Identity:
        response = await self._request("GET", "/v2/userinfo")
        self._check(response)
        data = parse_json(response)
        sub = data.get("sub") if isinstance(data, dict) else None
        if not isinstance(sub, str) or not sub.strip():
            raise TransientError(
                f"LinkedIn at {urlsplit(self.server_url).netloc} answered the member check without a member id "
                f"(HTTP {response.status_code}).",
                hint="The token needs the openid and profile scopes; if it has them, try again later.",
            )
        name = str(data.get("name") or " ".join(
            str(data.get(k) or "") for k in ("given_name", "family_name")).strip())
        urn = f"urn:li:person:{sub.strip()}"
        expires = self.expires_on
        return Identity(
            id=urn,
            handle=name or sub.strip(),
            display_name="",
            url=None,
            expires_at=expires.isoformat() if expires else None,
            details={"person": urn},
        )

    async def _author(self) -> str:
        person = self.account.options.get("person")
        if isinstance(person, str) and person.startswith("urn:li:person:"):
            return person
        identity = await self.whoami()
        return identity.id

    # ------------------------------------------------------------------ publish

    async def upload(self, image: Image) -> Uploaded:
        """The Images API: initializeUpload (owner: the member) gives an upload URL and the image
        URN; the bytes go there with PUT; the post names the URN with the alt text."""
        body = {"initializeUploadRequest": {"owner": await self._author()}}
        response = await self._request("POST", "/rest/images?action=initializeUpload", rest=True, json=body)
        self._check(response)
        data = parse_json(response)
        value = data.get("value") if isinstance(data, dict) else None
        url = value.get("uploadUrl") if isinstance(value, dict) else None
        urn = value.get("image") if isinstance(value, dict) else None
        if not isinstance(url, str) or not isinstance(urn, str):
            raise TransientError(f"LinkedIn did not give an upload address for the image {image.name}.",
                                 hint="The post waits in the outbox and is tried again.")
        put = await send(self.http, "PUT", url, label=self.label, content=image.data, follow_redirects=False,
                         headers={"Authorization": f"Bearer {self.secret.reveal().strip()}",
                                  "Content-Type": image.mime})
        self._check(put)
        return Uploaded(image=image, id=urn)

    def measured(self, text: str, limits: Limits) -> tuple[Any, str]:
        """A post is counted as it is sent: its escaped commentary, in UTF-16 units."""
        m, _ = super().measured(escape_commentary(text), limits)
        plain = utf16_length(text)
        return m, "" if plain == m.count else f" ({plain} before the escaping of ( ) _ # and the like)"

    async def send_part(self, part: Sending) -> PartRecord:
        body = {
            "author": await self._author(),
            "commentary": escape_commentary(part.text),
            "visibility": VISIBILITIES[self.visibility(part.options) or "public"],
            "distribution": {
                "feedDistribution": "MAIN_FEED",
                "targetEntities": [],
                "thirdPartyDistributionChannels": [],
            },
            "lifecycleState": "PUBLISHED",
            "isReshareDisabledByAuthor": False,
        }
        if part.images:  # uploaded before the stamp: a failed upload posts nothing
            uploads = await part.uploaded()
            items = [{"id": u.id, "altText": u.image.alt} for u in uploads]
            body["content"] = {"media": items[0]} if len(items) == 1 else {"multiImage": {"images": items}}
        earlier = part.record.tried_at  # an unclear try of this part went out before, at this time
        record = await part.save(part.record.stamped())
        try:
            return await self._post(part, record, body, earlier)
        except PlatformError as err:
            if not isinstance(err, NeedsCheck) and not getattr(err, "ambiguous", False):
                await part.save(record.unstamped())  # a clear answer: this try made nothing
            raise

    async def _post(self, part: Sending, record: PartRecord, body: dict[str, Any], earlier: str | None) -> PartRecord:
        asked = now()
        response = await self._request("POST", "/rest/posts", write=True, rest=True, json=body)
        status = response.status_code
        if status in (200, 201):
            urn = response.headers.get("x-restli-id") or response.headers.get("x-linkedin-id")
            if not urn:
                data = parse_json(response)
                urn = data.get("id") if isinstance(data, dict) and isinstance(data.get("id"), str) else None
            if not urn:
                raise TransientError(
                    "LinkedIn accepted the post but did not say which post it made.",
                    ambiguous=True,
                    hint="The retry sends it again, and LinkedIn answers that it is a duplicate of the post it made.",
                )
            return record.unstamped().done(urn, post_url(urn))
        if status == 422 and _is_duplicate(response):
            urn = _duplicate_of(response)
            ours = await self._made_since(urn, earlier, clock_offset(response, asked)) if earlier and urn else False
            if ours and urn:
                return record.unstamped().done(urn, post_url(urn), duplicate="true")
            where = f" ({post_url(urn)})" if urn else ""
            if ours is None:
                raise NeedsCheck(
                    f"LinkedIn already has a post with this text{where}, and it cannot be told whether an "
                    "earlier try of this draft made it.",
                    hint="Check your LinkedIn profile: if that post is this draft's, mark it as sent; "
                    "if not, change the text (LinkedIn refuses the same text twice).",
                )
            raise Rejected(
                f"LinkedIn refused the post: you already posted the same text{where}.",
                hint="LinkedIn does not take the same text twice: change the words, or leave LinkedIn out. "
                "If that post is this draft's, mark it as sent.",
            )
        if status == 400:
            detail = _detail(response)
            raise Rejected(
                f"LinkedIn refused the post (HTTP 400{': ' + detail if detail else ''}).",
                hint="Fix what LinkedIn names, then publish again.",
            )
        self._check(response, write=True)
        raise TransientError(f"LinkedIn answered HTTP {status}.", ambiguous=True,
                             hint="The retry sends it again; LinkedIn refuses a duplicate.")

    async def _made_since(self, urn: str, earlier: str, offset: timedelta | None) -> bool | None:
        """Whether the post `urn` was made after this part's first unclear try (its `createdAt`, on
        LinkedIn's clock): True, it is that try's; False, it is older (and so that try was refused
        as a duplicate too: nothing of this draft's is there); None when it cannot be told."""
        first = time_of(earlier)
        if first is None or offset is None:
            return None
        try:
            response = await self._request("GET", f"/rest/posts/{quote(urn, safe='')}", rest=True)
        except PlatformError:
            return None
        data = parse_json(response) if response.status_code == 200 else None
        created = data.get("createdAt") if isinstance(data, dict) else None
        if isinstance(created, bool) or not isinstance(created, (int, float)):
            return None
        try:
            made = datetime.fromtimestamp(created / 1000, UTC)
        except (OverflowError, OSError, ValueError):
            return None
        return made >= first + offset - CLOCK_SKEW


    # ------------------------------------------------------------------ corrections

    async def delete_post(self, record: PartRecord) -> None:
        """`DELETE /rest/posts/{urn}`; a post already gone (404) counts as deleted."""
        response = await self._request("DELETE", f"/rest/posts/{quote(str(record.id), safe='')}", write=True, rest=True)
        if response.status_code == 404:
            return
        self._check(response, write=True)

    async def edit_post(self, record: PartRecord, text: str, options: PostOptions) -> PartRecord:
        """A partial update of the commentary (escaped as a new post's is): the post keeps its URN."""
        response = await self._request(
            "POST", f"/rest/posts/{quote(str(record.id), safe='')}", write=True, rest=True,
            headers={"X-RestLi-Method": "PARTIAL_UPDATE"},
            json={"patch": {"$set": {"commentary": escape_commentary(text)}}},
        )
        if response.status_code == 404:
            raise Rejected(f"The post {record.url or record.id} is no longer on LinkedIn, so it cannot be edited.",
                           hint="Publish the corrected text as a new post.")
        self._check(response, write=True)
        return replace(record, digest=digest(text))


# ---------------------------------------------------------------------- helpers


def _detail(response: httpx.Response) -> str | None:
    return error_detail(response, "message", "error_description", "error")


def _is_duplicate(response: httpx.Response) -> bool:
    data = parse_json(response)
    if isinstance(data, dict):
        if data.get("code") == "DUPLICATE_POST":
            return True
        details = data.get("errorDetails")
        errors = details.get("inputErrors") if isinstance(details, Mapping) else None
        for e in errors or []:
            if isinstance(e, Mapping) and e.get("code") == "DUPLICATE_POST":
                return True
        message = data.get("message")
        if isinstance(message, str) and "duplicate" in message.lower():
            return True
    return "DUPLICATE_POST" in response.text


def _duplicate_of(response: httpx.Response) -> str | None:
    m = _URN.search(response.text)
    return m.group() if m else None
