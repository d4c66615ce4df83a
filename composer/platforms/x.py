"""X (formerly Twitter): posts and threads through API v2 with an OAuth 2.0 user token.

Facts relied on are in /work/shared/platforms.md, section 5, and docs.x.com (Manage Posts
`POST /2/tweets`, `GET /2/users/me`, `GET /2/users/:id/tweets`, OAuth 2.0 Authorization Code Flow
with PKCE, refresh tokens, rate limits). Decisions made here:

- The writer uses an app of their own (X gives a terminal app no shared one). The secret kept in the
  keyring is JSON: `{"access_token", "refresh_token", "client_id", "client_secret"?, "expires_at"}`.
  It comes from one of three answers to the one prompt:
    * Enter (on a terminal): the OAuth 2.0 Authorization Code Flow with PKCE. Humane Composer asks
      for the app's client id (and its client secret, for a confidential "Web App" client), prints
      the authorize address (scopes `tweet.read tweet.write users.read media.write offline.access`, redirect
      `http://127.0.0.1:8976/callback`, which the app's settings must list), and the writer pastes
      back the address the browser was sent to; the code in it is exchanged for the tokens.
    * `CLIENT_ID:REFRESH_TOKEN` (or `CLIENT_ID:CLIENT_SECRET:REFRESH_TOKEN`): a refresh token made
      elsewhere (a script, X's own tools); it is exchanged at once for fresh tokens.
    * an access token alone: used as it is until it expires (two hours); no renewal.
- Refresh and rotation: an access token lasts two hours. Before a request, a token that has run
  out (or will within two minutes) is refreshed (`POST /2/oauth2/token grant_type=refresh_token`,
  with the client id, or Basic auth for a confidential client); a 401 refreshes once too. X's
  answer may carry a new refresh token (treated as single-use: the old one may be dead at once), so
  the new JSON is handed to `on_secret_change` at once, which saves it in the keyring before
  anything else is sent.
- Verify: `GET /2/users/me` → the user's id (kept in the account's options, `user_id`) and username.
- Publish: `POST /2/tweets {"text", "reply": {"in_reply_to_tweet_id"}}` per part, each replying to
  the previous part → 201 `{"data": {"id", "text"}}`; the link is `https://x.com/<username>/status/<id>`.
- Length: 280 weighted characters as twitter-text v3 counts them (the registry's `weighted` unit):
  a part over it is refused before anything is sent; long posts are split into a thread that fits.
- Retry safety: X takes no idempotency key. Before a part's request goes out, its record is stamped
  (`extra["tried_at"]`) and checkpointed. A request that fails in a way that may have reached X (a
  dropped answer, a timeout, a 5xx) keeps the stamp, and the next try first looks the part up among
  the user's own recent posts (`GET /2/users/:id/tweets`): a post created after the part's first
  unclear try (on X's clock, from the answer's `Date`; an earlier same-text post is never taken
  for it, and two fitting posts are NeedsCheck) with the same text (read back as X returns it: `&amp;` entities decoded, every link compared as
  a link since X rewrites them to t.co), replying to the previous part (or to nothing, for the
  first), that no other part claims. Found: it is kept and nothing is sent. Not there: sent.
  If X then answers "duplicate content" (403), the post is there but the lookup could not see it:
  NeedsCheck (the writer looks at the profile), never a second post. On a part never tried before,
  "duplicate content" is refused with X's words (X refuses to repeat a post of yours).
- Errors: 401 (after one refresh) → auth; 429 → rate limited until `x-rate-limit-reset`; 5xx →
  transient; 400/403/other 4xx → refused, with X's `detail` and `errors[].message`.
- Images: each uploaded with `POST /2/media/upload` (multipart, `media_category=tweet_image`;
  scope `media.write`), its alt text set with `POST /2/media/metadata`, then attached with
  `media.media_ids`; at most 4 a post, 5 MB each, alt text up to 1,000 characters. Uploads happen
  before the part is stamped (a failed upload posted nothing; an upload repeated by a retry is an
  unused media id, never a second post), and a post found by the retry's lookup uploads nothing.
- OAuth 1.0a user tokens are not supported (yet).
"""

from __future__ import annotations

import base64
import html
import re
import secrets
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import parse_qs, urlencode, urlsplit

from .base import PlatformClient, Sending
from .errors import AuthError, NeedsCheck, PlatformError, Rejected, TransientError
from .http import CLOCK_SKEW, body_snippet, clock_offset, parse_json, send, slow_down
from .oauth import pkce
from .reading import time_of
from .records import AccountInfo, Ask, Identity, Image, PartRecord, Secret, Uploaded, now, stamp
from .tokens import token_fields, token_secret

if TYPE_CHECKING:
    import httpx

SCOPES = "tweet.read tweet.write users.read media.write offline.access"
REDIRECT_URI = "http://127.0.0.1:8976/callback"
AUTHORIZE_URL = "https://x.com/i/oauth2/authorize"
REFRESH_MARGIN = timedelta(minutes=2)
LOOKUP_WINDOW = timedelta(minutes=15)
LOOKUP_SIZE = 50
DUPLICATE = "duplicate content"
_URL = re.compile(r"https?://\S+", re.I)
_CLIENT_REFRESH = re.compile(r"([A-Za-z0-9_-]{10,}):(?:([A-Za-z0-9_-]{10,}):)?([A-Za-z0-9_-]{20,})")


class XClient(PlatformClient):
    platform: ClassVar[str] = "x"

    def __init__(self, account: AccountInfo, secret: Secret, http: httpx.AsyncClient, **kw: Any) -> None:
        super().__init__(account, secret, http, **kw)
        self._token = token_fields(secret)
        self._refreshed = False

    # ------------------------------------------------------------------ tokens

    @property
    def access_token(self) -> str:
        return str(self._token.get("access_token") or "")

    def _expires_soon(self) -> bool:
        if not self.access_token:
            return True
        at = time_of(self._token.get("expires_at"))
        return at is not None and at - REFRESH_MARGIN <= now()

    async def _fresh(self) -> None:
        """Refresh the token when it has run out or is about to (never twice in one client)."""
        if self._token.get("refresh_token") and not self._refreshed and self._expires_soon():
            await self._refresh()

    async def _refresh(self) -> None:
        self._refreshed = True
        token = await refresh(self.http, self.server_url, self._token, label=self.label, renew=self.renew_help())
        self._token = token
        self.renewed(token_secret(token))  # the old refresh token may be dead already: keep the new one now

    async def _request(self, method: str, path: str, *, write: bool = False, **kwargs: Any) -> httpx.Response:
        await self._fresh()
        for attempt in (1, 2):
            response = await self.request(method, path, write=write, token=self.access_token, **kwargs)
            if response.status_code == 401 and attempt == 1 and self._token.get("refresh_token") and not self._refreshed:
                await self._refresh()  # a 401 posted nothing: refresh and ask once more
                continue
            return response
        raise AssertionError("unreachable")

    def _error(self, response: httpx.Response, *, write: bool, what: str) -> PlatformError:
        status = response.status_code
        detail = _detail(response)
        said = f"HTTP {status}" + (f": {detail}" if detail else "")
        if status == 401:
            return AuthError(f"X did not accept the access token ({said}).", hint=self.renew_help())
        if status == 429:
            return slow_down(response, label=self.label, said=f": {detail}" if detail else "")
        if status >= 500 or status in (408, 425):
            return TransientError(f"X had a problem with {what} ({said}).", ambiguous=write,
                                  hint="The post waits in the outbox; the retry looks for it before sending again.")
        if status == 403 and detail and any(w in detail.lower() for w in ("oauth", "scope", "permission", "not permitted")):
            return AuthError(f"X does not let this token do that ({said}).",
                             hint="Your X app needs Read and write permission (User authentication settings), and "
                             "the token the scopes tweet.read, tweet.write and users.read. " + self.renew_help())
        return Rejected(f"X refused {what} ({said}).", hint="Fix what X names, then publish again.")

    async def _json(self, response: httpx.Response, *, write: bool, what: str) -> Mapping[str, Any]:
        if response.status_code >= 300:
            raise self._error(response, write=write, what=what)
        data = parse_json(response)
        if not isinstance(data, Mapping) or not isinstance(data.get("data", {}), (Mapping, list)):
            raise TransientError(
                f"X answered {what} with something that is not the API's answer (HTTP {response.status_code}).",
                ambiguous=write,
                hint="It may or may not have been posted; the retry looks for it first." if write else "Try again later.",
            )
        return data

    # ------------------------------------------------------------------ login

    @classmethod
    async def sign_in(cls, http: httpx.AsyncClient, account: AccountInfo, ask: Ask) -> tuple[Secret, AccountInfo]:
        server = cls.server_of(account)
        info = replace(account, server=server)
        answer = cls.ask_secret(ask, "Paste CLIENT_ID:REFRESH_TOKEN or an access token, or press Enter to log in "
                                "through the browser with your X app")
        if not answer:
            token = await cls._authorize(http, server, ask)
        elif m := _CLIENT_REFRESH.fullmatch(answer):
            token = await refresh(http, server, {"client_id": m.group(1), "client_secret": m.group(2) or "",
                                                 "refresh_token": m.group(3)}, label=cls.label,
                                  renew=cls.RENEW_HELP.format(name=account.name))
        else:
            token = {"access_token": answer}
        return await cls.verified(http, info, token_secret(token), keep_details=True)

    @classmethod
    async def _authorize(cls, http: httpx.AsyncClient, server: str, ask: Ask) -> dict[str, Any]:
        """The Authorization Code Flow with PKCE, the writer carrying the code by copy and paste."""
        client_id = ask("Your X app's OAuth 2.0 Client ID (developer.x.com → your app → Keys and tokens)", False).strip()
        if not client_id:
            raise AuthError("No client id was given, so nothing was saved.", hint=cls.SECRET_HELP)
        client_secret = ask("Its Client Secret (press Enter for a Native App, which has none)", True).strip()
        verifier, challenge = pkce()
        state = secrets.token_urlsafe(16)
        base = AUTHORIZE_URL if server.rstrip("/") == (cls.DEFAULT_SERVER or "").rstrip("/") else f"{server}/i/oauth2/authorize"
        url = base + "?" + urlencode({
            "response_type": "code", "client_id": client_id, "redirect_uri": REDIRECT_URI, "scope": SCOPES,
            "state": state, "code_challenge": challenge, "code_challenge_method": "S256",
        })
        pasted = ask(
            f"Open this address in your browser, sign in to X and authorize your app:\n\n  {url}\n\n"
            f"The browser then goes to {REDIRECT_URI}?… (the page may not load: that is fine). "
            "Paste that whole address here",
            False,
        ).strip()
        query = parse_qs(urlsplit(pasted).query)
        code = (query.get("code") or [""])[0]
        if not code:
            said = (query.get("error") or [""])[0]
            raise AuthError(f"The address holds no code{f' ({said})' if said else ''}, so nothing was saved.",
                            hint="Authorize again and paste the address the browser went to.")
        if (query.get("state") or [""])[0] != state:
            raise AuthError("The address belongs to another login (its state does not match), so nothing was saved.",
                            hint="Authorize again and paste the address of that login.")
        form = {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT_URI,
                "code_verifier": verifier, "client_id": client_id}
        token = await _token_call(http, server, form, client_id, client_secret, label=cls.label,
                                  renew="Authorize again: a code works once and only for a few minutes.")
        return {**token, "client_id": client_id, **({"client_secret": client_secret} if client_secret else {})}

    # ------------------------------------------------------------------ verify

    async def identify(self) -> Identity:
        response = await self._request("GET", "/2/users/me")
        data = (await self._json(response, write=False, what="the account check")).get("data")
        if not isinstance(data, Mapping) or not data.get("id") or not data.get("username"):
            raise TransientError("X answered the account check without the account.", hint="Try again later.")
        username = str(data["username"])
        expires = time_of(self._token.get("expires_at")) if not self._token.get("refresh_token") else None
        return Identity(id=str(data["id"]), handle=username, display_name=str(data.get("name") or ""),
                                  url=f"https://x.com/{username}", expires_at=stamp(expires) if expires else None,
                                  details={"user_id": str(data["id"])})

    async def _user(self) -> tuple[str, str]:
        """(user id, username): from the account's settings, else from the server."""
        uid, name = self.account.options.get("user_id"), self.account.handle
        if uid and name:
            return str(uid), str(name).lstrip("@")
        identity = await self.whoami()
        return identity.id, identity.handle

    # ------------------------------------------------------------------ publish

    async def prepare(self, parts: Sequence[str], records: Sequence[PartRecord], options: Any) -> None:
        await self._fresh()

    async def send_part(self, part: Sending) -> PartRecord:
        previous = part.previous.id if part.previous else None
        record = part.record
        uid, username = await self._user()
        tried = bool(record.tried_at)
        if tried:
            found = await self._find_sent(uid, part, previous, since=time_of(record.tried_at))
            if found is not None:
                return self._done(record, found, username)
        body: dict[str, Any] = {"text": part.text}
        if previous:
            body["reply"] = {"in_reply_to_tweet_id": previous}
        if part.images:  # uploaded before the stamp: a failed upload posted nothing
            body["media"] = {"media_ids": [u.id for u in await part.uploaded()]}
        record = await part.save(record.stamped())
        try:
            response = await self._request("POST", "/2/tweets", write=True, json=body)
        except PlatformError as err:
            if not (isinstance(err, TransientError) and err.ambiguous):  # it never left, or a refresh failed
                await part.save(record.unstamped())
            raise
        if response.status_code == 403 and DUPLICATE in (_detail(response) or "").lower():
            return await self._duplicate(part, uid, username, previous, tried=tried, response=response)
        try:
            data = (await self._json(response, write=True, what=part.name.lower())).get("data")
        except PlatformError as err:
            if not (isinstance(err, TransientError) and err.ambiguous):
                await part.save(record.unstamped())  # a definite answer: nothing was posted
            raise
        tid = data.get("id") if isinstance(data, Mapping) else None
        if not isinstance(tid, str) or not tid:
            raise TransientError("X answered the post without its id.", ambiguous=True,
                                 hint="The retry looks for the post among your recent posts before sending again.")
        return self._done(record, tid, username)

    async def _duplicate(self, part: Sending, uid: str, username: str, previous: str | None, *, tried: bool,
                         response: httpx.Response) -> PartRecord:
        """X says this text is already one of the user's posts."""
        record = part.record
        if tried:  # an earlier try of this very part got through: find it, or ask the writer
            found = await self._find_sent(uid, part, previous, since=time_of(record.tried_at))
            if found is not None:
                return self._done(record, found, username)
            if await self._find_sent(uid, part, previous, since=None) is None:
                raise NeedsCheck(
                    f"X says {part.name.lower()} is already posted (an earlier try lost its answer), but it is "
                    "not among your recent posts yet.",
                    hint=f"Look at https://x.com/{username}: if it is there, mark the post as sent; if not, reset "
                    "it and publish again.",
                )
            # Only a same-text post made before the first try: that one is not this draft's, and X
            # refused this draft's tries as its duplicates.
        await part.save(record.unstamped())
        raise Rejected(f"X refused {part.name.lower()}: {_detail(response)}",
                       hint="X does not take the same text twice from you: change the text, or delete the "
                       "earlier post on X, then publish again.")

    async def upload(self, image: Image) -> Uploaded:
        """`POST /2/media/upload` (multipart `media`, `media_category=tweet_image`) → `data.id`; then
        the alt text with `POST /2/media/metadata`."""
        response = await self._request("POST", "/2/media/upload", data={"media_category": "tweet_image"},
                                       files={"media": (image.filename, image.data, image.mime)})
        data = (await self._json(response, write=False, what=f"the upload of {image.name}")).get("data")
        mid = data.get("id") if isinstance(data, Mapping) else None
        if not isinstance(mid, str) or not mid:
            raise TransientError(f"X answered the upload of {image.name} without its id.", hint="Try again later.")
        response = await self._request("POST", "/2/media/metadata",
                                       json={"id": mid, "metadata": {"alt_text": {"text": image.alt}}})
        if response.status_code >= 300:
            raise self._error(response, write=False, what=f"the alt text of {image.name}")
        return Uploaded(image, mid)

    def _done(self, record: PartRecord, tid: str, username: str) -> PartRecord:
        return replace(record.unstamped(), id=tid, url=f"https://x.com/{username}/status/{tid}")

    async def _find_sent(self, uid: str, part: Sending, previous: str | None, *, since: datetime | None) -> str | None:
        """The id of the post an earlier, unclear try of this part made, if X shows it. With `since`
        (the part's first unclear try), only a post created after it counts, on X's clock (the
        answer's `Date`): a same-text post made before is never taken for this one. NeedsCheck when
        it cannot be told (two fitting posts, a fitting post without a time, no clock)."""
        params = {"max_results": str(LOOKUP_SIZE), "tweet.fields": "created_at,referenced_tweets,text"}
        if since is not None:
            params["start_time"] = (since - LOOKUP_WINDOW).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        asked = now()
        response = await self._request("GET", f"/2/users/{uid}/tweets", params=params)
        offset = clock_offset(response, asked)
        data = (await self._json(response, write=False, what="the list of your recent posts")).get("data") or []
        claimed = {r.id for r in part.records if r.id}
        want = _fingerprint(part.text)
        hits: list[tuple[str, str]] = []
        for post in data if isinstance(data, list) else []:
            if not isinstance(post, Mapping) or not isinstance(post.get("id"), str) or post["id"] in claimed:
                continue
            found = post.get("referenced_tweets")
            refs: list[Any] = found if isinstance(found, list) else []
            replied = next((str(r.get("id")) for r in refs if isinstance(r, Mapping) and r.get("type") == "replied_to"), None)
            if any(isinstance(r, Mapping) and r.get("type") == "retweeted" for r in refs) or replied != previous:
                continue
            shown = _fingerprint(str(post.get("text") or ""))
            if shown == want or (part.images and shown == want + "<link>"):  # X adds the photos' t.co link
                hits.append((str(post.get("created_at") or ""), post["id"]))
        if since is None:
            return min(hits)[1] if hits else None
        doubt = None if offset is not None else "X did not say what time it is"
        mine = []
        for created, tid in hits:
            when = time_of(created)
            if when is None:
                doubt = doubt or "a post with the same text does not say when it was made"
            elif offset is None or when >= since + offset - CLOCK_SKEW:
                mine.append(tid)  # (without X's clock every fitting post is in doubt below)
        if len(mine) > 1:
            doubt = f"{len(mine)} posts with the same text were made since the first try"
        if mine and doubt:
            raise NeedsCheck(
                f"{part.name} may be on X already, but it cannot be told for sure: {doubt}.",
                hint="Look at your X profile: if it is there, mark the post as sent; if not, reset it and publish again.",
            )
        return mine[0] if mine else None


# ---------------------------------------------------------------------- tokens


async def refresh(http: httpx.AsyncClient, server: str, token: Mapping[str, Any], *, label: str, renew: str) -> dict[str, Any]:
    """New tokens for `token`'s refresh token (with its client id, and secret where it has one)."""
    client_id, client_secret = str(token.get("client_id") or ""), str(token.get("client_secret") or "")
    form = {"grant_type": "refresh_token", "refresh_token": str(token.get("refresh_token") or ""), "client_id": client_id}
    fresh = await _token_call(http, server, form, client_id, client_secret, label=label, renew=renew)
    out = {**{k: v for k, v in token.items() if k not in ("access_token", "expires_at")}, **fresh}
    out.setdefault("refresh_token", token.get("refresh_token"))
    return out


async def _token_call(http: httpx.AsyncClient, server: str, form: Mapping[str, str], client_id: str, client_secret: str,
                      *, label: str, renew: str) -> dict[str, Any]:
    headers = {}
    if client_secret:  # a confidential client authenticates with Basic auth (X's docs)
        pair = f"{client_id}:{client_secret}".encode()
        headers["Authorization"] = "Basic " + base64.b64encode(pair).decode("ascii")
    response = await send(http, "POST", f"{server}/2/oauth2/token", label=label, data=dict(form), headers=headers,
                          follow_redirects=False)
    data = parse_json(response)
    status = response.status_code
    if status < 300 and isinstance(data, Mapping) and isinstance(data.get("access_token"), str) and data["access_token"]:
        out: dict[str, Any] = {"access_token": data["access_token"]}
        if isinstance(data.get("refresh_token"), str) and data["refresh_token"]:
            out["refresh_token"] = data["refresh_token"]
        try:
            out["expires_at"] = stamp(now() + timedelta(seconds=int(data.get("expires_in") or "")))
        except (TypeError, ValueError):
            out["expires_at"] = stamp(now() + timedelta(hours=2))
        return out
    said = ""
    if isinstance(data, Mapping):
        said = " — ".join(str(data[k]) for k in ("error", "error_description") if data.get(k))
    said = said or body_snippet(response) or ""
    if status == 429:
        raise slow_down(response, label=label, said=f": {said}" if said else "")
    if status >= 500 or status < 300:
        raise TransientError(f"X could not renew the login (HTTP {status}{': ' + said if said else ''}).",
                             hint="Try again later.")
    raise AuthError(f"X did not renew the login (HTTP {status}{': ' + said if said else ''}).", hint=renew)


# ---------------------------------------------------------------------- helpers


def _detail(response: httpx.Response) -> str | None:
    data = parse_json(response)
    if not isinstance(data, Mapping):
        return body_snippet(response)
    words: list[str] = []
    for value in (data.get("detail"), data.get("title") if not data.get("detail") else None):
        if isinstance(value, str) and value and value not in words:
            words.append(value)
    for err in data.get("errors") or []:
        if isinstance(err, Mapping) and isinstance(err.get("message"), str) and err["message"] not in words:
            words.append(err["message"])
    return " — ".join(words) or None


def _fingerprint(text: str) -> str:
    """A post's text as X gives it back: entities decoded, every link the same (t.co), no whitespace."""
    text = unicodedata.normalize("NFC", html.unescape(text))
    return "".join(_URL.sub("<link>", text).split())
