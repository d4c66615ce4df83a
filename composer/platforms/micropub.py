"""Micropub (W3C Recommendation, 2017): a post on the writer's own site.

Facts relied on are in /work/shared/platforms.md, section 6. Decisions made here:

- The account's server is the writer's site URL (`--server https://alice.example`). At login the
  Micropub endpoint is discovered from the site's home page: an HTTP `Link: <…>; rel="micropub"`
  header first, else the first `<link rel="micropub" href="…">` in the HTML (rel may hold several
  words; relative hrefs are resolved against the page, honouring `<base href>`). Redirects of the
  home page are followed (up to 5, no credential is sent there); every address must be https (or
  plain http on this machine). The endpoint is kept in the account's options (`endpoint`) and is
  discovered again only when it is missing there.
- The secret is a bearer token (most Micropub servers let the writer mint one in their admin page or
  an IndieAuth token page), sent as `Authorization: Bearer`.
- Micropub has no "who am I" call. `verify` asks the endpoint `q=config` with the token: 401/403
  means the token is refused; a 400 with an error body (the spec's answer to a query not offered)
  is an empty configuration. The handle is the site's host.
- A post is form-encoded: `h=entry&content=<text>`. 201 Created or 202 Accepted, both with
  `Location:` = the post's URL (resolved against the endpoint if relative); a 201/202 without it is
  still a post (sent, without a URL); a 200 without it is not what the spec answers, so it counts as
  a failure whose outcome is unknown. No threads
  (`SUPPORTS_THREADS = False`), no length limit, no content warnings (a post with one is refused
  rather than published without it), visibility public only.
- Micropub has no idempotency (`IDEMPOTENT = False`). Before the request goes out, the part's record
  is stamped (`extra["tried_at"]`) and checkpointed. When the request fails in a way that may have
  reached the server (a dropped answer, a timeout, a 5xx, a 200 without an address), the stamp
  stays and the failure itself is NeedsCheck at once ("It may or may not have been published …
  check <site>: mark it as sent, or choose retry"): no message promises a retry that checks, and
  no later try resends by itself. A failure that certainly did not reach the server (could not
  connect, a 4xx, a 429, a redirect) removes the stamp, so a retry may send.
- The endpoint is used exactly as the site announces it (`/micropub/` keeps its slash: many sites
  redirect the other form, and a redirect is never followed with the token). `verify` succeeds
  only when `q=config` was answered with the token accepted (JSON, or the spec's 400 for a query
  not offered); a redirect or another error is reported, never read as "no config".
- Corrections: `action=delete&url=` (the token needs the delete scope) and an update that replaces
  the content (`{"action": "update", "url", "replace": {"content": [...]}}`, update scope): the
  post keeps its address. A delete that answers 400 may mean the post is gone already (a retry
  after a lost answer; many sites answer 400 invalid_request for a post they do not have): the
  post's own page is then asked for (without the token); 404 or 410 counts as deleted, anything
  else lets the refusal stand (`q=source` cannot tell, as servers without it answer 400 too). Micropub has no way to read replies.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import replace
from html.parser import HTMLParser
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import urljoin, urlsplit

from .base import PlatformClient, Sending
from .errors import AuthError, NeedsCheck, PlatformError, RateLimited, Rejected, TransientError
from .http import body_snippet, check_url, parse_json, raise_for_status, retry_after, send
from .records import AccountInfo, Ask, Identity, Image, PartRecord, PostOptions, Secret, Uploaded, digest

if TYPE_CHECKING:
    import httpx

MAX_REDIRECTS = 5
MAX_PAGE = 2_000_000
"""Bytes of the home page read for discovery at most."""


# ---------------------------------------------------------------------- discovery


def _link_header_targets(values: Sequence[str], rel: str) -> list[str]:
    """URLs of `Link` header entries whose rel holds `rel` (RFC 8288; several per header allowed)."""
    found = []
    for value in values:
        for m in re.finditer(r"<([^>]*)>((?:\s*;\s*[^;,]*(?:\"[^\"]*\")?)*)", value):
            params = m.group(2)
            for p in re.finditer(r";\s*rel\s*=\s*(\"[^\"]*\"|[^;,\s]+)", params, re.I):
                rels = p.group(1).strip('"').lower().split()
                if rel in rels:
                    found.append(m.group(1).strip())
    return found


class _LinkFinder(HTMLParser):
    def __init__(self, rel: str) -> None:
        super().__init__(convert_charrefs=True)
        self.rel = rel
        self.base: str | None = None
        self.href: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k.lower(): (v or "") for k, v in attrs}
        if tag == "base" and self.base is None and a.get("href"):
            self.base = a["href"].strip()
        if tag == "link" and self.href is None and self.rel in a.get("rel", "").lower().split() and "href" in a:
            self.href = a["href"].strip()

    handle_startendtag = handle_starttag


def find_endpoint(page_url: str, link_headers: Sequence[str], html: str, rel: str = "micropub") -> str | None:
    """The absolute URL of the `rel` endpoint a page announces, or None."""
    targets = _link_header_targets(link_headers, rel)
    if targets:
        return urljoin(page_url, targets[0])
    finder = _LinkFinder(rel)
    try:
        finder.feed(html)
        finder.close()
    except Exception:  # a broken page: take what was found before the break
        pass
    if finder.href is None:
        return None
    base = urljoin(page_url, finder.base) if finder.base else page_url
    return urljoin(base, finder.href)


async def discover(http: httpx.AsyncClient, site: str) -> str:
    """The Micropub endpoint announced by `site`; Rejected (with what to do) when there is none."""
    import httpx

    url = check_url(site, what="site")
    for _ in range(MAX_REDIRECTS + 1):
        try:
            response = await http.request("GET", url, follow_redirects=False,
                                          headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.5"})
        except httpx.HTTPError as err:
            raise TransientError(
                f"Could not read your site at {url} to find its Micropub endpoint ({type(err).__name__}).",
                hint="Check the address and your connection.",
            ) from None
        if response.status_code in (301, 302, 303, 307, 308) and response.headers.get("location"):
            url = check_url(urljoin(url, response.headers["location"]), what="site (after a redirect)")
            continue
        break
    else:
        raise Rejected(f"Your site at {site} redirects more than {MAX_REDIRECTS} times.",
                       hint="Give the address of the page that announces your Micropub endpoint.")
    if response.status_code >= 400:
        said = body_snippet(response)
        error = TransientError if response.status_code >= 500 else Rejected
        raise error(
            f"Your site at {url} answered HTTP {response.status_code}{': ' + said if said else ''}.",
            hint="Give the address of your home page, the one with the rel=\"micropub\" link.",
        )
    html = response.content[:MAX_PAGE].decode(response.encoding or "utf-8", errors="replace")
    endpoint = find_endpoint(url, response.headers.get_list("link"), html)
    if endpoint is None:
        raise Rejected(
            f"Your site at {url} does not announce a Micropub endpoint (no rel=\"micropub\" Link header "
            "or <link> element).",
            hint="Add <link rel=\"micropub\" href=\"…\"> to your home page (your site's software may have a "
            "Micropub plugin), or give the address of the page that has it.",
        )
    return check_url(endpoint, what="Micropub endpoint", exact=True)  # as announced: a slash is part of it


# ---------------------------------------------------------------------- client


class MicropubClient(PlatformClient):
    platform: ClassVar[str] = "micropub"

    def __init__(self, account: AccountInfo, secret: Secret, http: httpx.AsyncClient, **kw: Any) -> None:
        super().__init__(account, secret, http, **kw)
        endpoint = account.options.get("endpoint")
        self._endpoint: str | None = endpoint if isinstance(endpoint, str) and endpoint else None
        self._config: dict[str, Any] | None = None

    # ------------------------------------------------------------------ plumbing

    async def endpoint(self) -> str:
        if self._endpoint is None:
            self._endpoint = await discover(self.http, self.server_url)
        return check_url(self._endpoint, what="Micropub endpoint", exact=True)

    def _auth_hint(self) -> str:
        return (f"Make a new token with the create scope on {self.where} and run "
                f"`humane accounts add {self.account.name} --platform micropub --server {self.server_url}`.")

    async def _request(self, method: str, *, write: bool = False, params: Mapping[str, str] | None = None,
                       **kwargs: Any) -> httpx.Response:
        import httpx

        headers = {"Authorization": f"Bearer {self.secret.reveal().strip()}", "Accept": "application/json",
                   **kwargs.pop("headers", {})}
        for again in (True, False):
            url = httpx.URL(await self.endpoint())
            if params:
                url = url.copy_merge_params(dict(params))  # keep a query the endpoint URL already has
            try:
                return await send(self.http, method, str(url), label=self.label, write=write, headers=headers,
                                  follow_redirects=False, **kwargs)
            except Rejected:  # a redirect (never followed with the token): nothing was done there
                if not (again and self.account.server):
                    raise
                # An endpoint kept without the slash the site announces (older versions stripped
                # it): read the announced one again, and use it if it differs.
                announced = await discover(self.http, self.server_url)
                if announced == self._endpoint:
                    raise
                self._endpoint = announced
        raise AssertionError("unreachable")

    def _auth_error(self, response: httpx.Response) -> AuthError:
        error, description, scope = _error(response)
        said = f"HTTP {response.status_code}" + (f": {error}" if error else "") + (f" — {description}" if description else "")
        if error == "insufficient_scope":
            needs = f" (it needs: {scope})" if scope else ""
            return AuthError(f"Your site {self.where} says the token may not do this{needs} ({said}).",
                             hint=f"Make a token with the create scope{'' if not scope else ' and ' + scope} and run "
                             f"`humane accounts add {self.account.name} --platform micropub --server {self.server_url}`.")
        if response.status_code == 403:
            return AuthError(f"Your site {self.where} refused the token ({said}).", hint=self._auth_hint())
        return AuthError(f"Your site {self.where} did not accept the token ({said}).", hint=self._auth_hint())

    # ------------------------------------------------------------------ login, verify, limits

    @classmethod
    async def sign_in(cls, http: httpx.AsyncClient, account: AccountInfo, ask: Ask) -> tuple[Secret, AccountInfo]:
        """Find the site's Micropub endpoint, then take the pasted token and check it with q=config."""
        site = cls.server_of(account)
        endpoint = await discover(http, site)
        host = urlsplit(site).netloc
        secret = Secret(cls.ask_token(ask, account, f"Micropub access token for {host}",
                                      hint=f"Make a token with the create scope on {host} and paste it."))
        info = replace(account, server=site, options={**account.options, "endpoint": endpoint})
        identity = await cls(info, secret, http).verify()
        return secret, replace(info, handle=identity.handle)

    async def config(self) -> dict[str, Any]:
        """The endpoint's `q=config` answer, asked with the token: this is how `verify` knows the
        site accepted it. AuthError on 401/403. {} only where the site says it has no such query
        (400, as the spec allows) or answers 2xx without a body. A redirect, any other error, or
        an answer that is not Micropub's JSON is reported, never taken for "no config": the token
        would not have been seen. A redirect first makes the client read the endpoint the site
        announces now (an endpoint kept without its trailing slash by an older version)."""
        if self._config is not None:
            return self._config
        try:
            response = await self._request("GET", params={"q": "config"})
        except Rejected as err:  # a redirect, even from the endpoint the site announces now
            raise Rejected(
                f"The Micropub endpoint {self._endpoint} of {self.where} answered with a redirect, so "
                "the token could not be checked. " + err.message,
                hint=f"Check the endpoint your site announces, then run `humane accounts add {self.account.name} "
                f"--platform micropub --server {self.server_url}` again.",
            ) from None
        status = response.status_code
        if status in (401, 403):
            raise self._auth_error(response)
        if status == 429:
            raise RateLimited(f"Your site {self.where} asks us to slow down (HTTP 429).",
                              retry_after=retry_after(response), hint="Try again later.")
        said = _said(response)
        if status == 400 and said is not None:  # "invalid_request": the query is not offered (spec, 3.7)
            self._config = {}
            return self._config
        if status >= 400:
            error = TransientError if status >= 500 or status in (408, 425) else Rejected
            raise error(
                f"Your site {self.where} answered HTTP {status} at its Micropub endpoint "
                f"({said or body_snippet(response) or 'no words'}), so the token could not be checked.",
                hint="Is the endpoint right? It is the one your home page announces with rel=\"micropub\".",
            )
        data = parse_json(response)
        if isinstance(data, Mapping):
            self._config = dict(data)
        elif not response.content.strip():
            self._config = {}
        else:
            raise Rejected(
                f"Your site {self.where} answered q=config with something that is not Micropub's JSON "
                f"({body_snippet(response) or 'HTTP ' + str(status)}).",
                hint="Is the endpoint right? It is the one your home page announces with rel=\"micropub\".",
            )
        return self._config

    async def identify(self) -> Identity:
        config = await self.config()
        endpoint = await self.endpoint()
        details: dict[str, Any] = {"endpoint": endpoint}
        media = config.get("media-endpoint")
        if isinstance(media, str) and media:
            details["media_endpoint"] = media
        host = urlsplit(self.server_url).netloc
        path = urlsplit(self.server_url).path.strip("/")
        return Identity(id=self.server_url, handle=f"{host}/{path}" if path else host, url=self.server_url, details=details)

    # ------------------------------------------------------------------ images

    async def media_endpoint(self) -> str:
        """The site's media endpoint (`q=config`), checked; Rejected when it has none."""
        found = (await self.config()).get("media-endpoint") or self.account.options.get("media_endpoint")
        if not isinstance(found, str) or not found:
            raise Rejected(f"Your site {self.where} has no Micropub media endpoint, so it cannot take images.",
                           hint="Enable media uploads in your site's Micropub plugin, or leave the images out.")
        return check_url(urljoin(await self.endpoint(), found), what="Micropub media endpoint")

    async def upload(self, image: Image) -> Uploaded:
        """The media endpoint: multipart `file`, answered 201 with the file's address in Location."""
        url = await self.media_endpoint()
        response = await send(
            self.http, "POST", url, label=self.label, follow_redirects=False,
            headers={"Authorization": f"Bearer {self.secret.reveal().strip()}", "Accept": "application/json"},
            files={"file": (image.filename, image.data, image.mime)},
        )
        if response.status_code in (401, 403):
            raise self._auth_error(response)
        location = response.headers.get("location")
        if response.status_code not in (200, 201, 202) or not location:
            said = _said(response) or body_snippet(response)
            raise_for_status(response, label=self.label, detail=said)
            raise Rejected(f"Your site {self.where} did not take the image {image.name} "
                           f"(HTTP {response.status_code}{': ' + said if said else ''}).")
        return Uploaded(image=image, id=urljoin(str(response.url), location.strip()))

    async def host_image(self, image: Image) -> str:
        """A public address for `image` (for a platform that fetches images itself: Threads)."""
        with self.speaking():
            return (await self.upload(image)).id

    # ------------------------------------------------------------------ publish

    async def send_part(self, part: Sending) -> PartRecord:
        record = part.record
        if record.tried_at:
            raise NeedsCheck(
                f"Your site may have published this already (an earlier try at {record.tried_at} "
                "lost its answer); Humane Composer does not send it again by itself.",
                hint=f"Check {self.server_url} and then choose retry (send it again) or mark as sent.",
            )
        await self.endpoint()  # discovery failures happen before the stamp
        uploads = await part.uploaded() if part.images else []  # so do failed uploads (nothing posted)
        record = await part.save(record.stamped())
        try:
            if uploads:  # JSON: a photo with its alt text has no form-encoded spelling
                properties = {"content": [part.text],
                              "photo": [{"value": u.id, "alt": u.image.alt} for u in uploads]}
                response = await self._request("POST", write=True, json={"type": ["h-entry"], "properties": properties})
            else:
                response = await self._request("POST", write=True, data={"h": "entry", "content": part.text})
        except TransientError as err:
            if not err.ambiguous:
                await part.save(record.unstamped())
                raise
            raise self._unclear(err.message) from None
        except PlatformError:  # a redirect (Rejected), an insecure address: nothing was posted
            await part.save(record.unstamped())
            raise
        status = response.status_code
        if status == 200 and not response.headers.get("location"):
            # not what the spec answers to a create: maybe a page, maybe a post
            raise self._unclear(f"Your site {self.where} answered the post with HTTP 200 but without the post's address.")
        if status in (200, 201, 202):
            location = response.headers.get("location")
            extra = dict(record.unstamped().extra)
            if status == 202:
                extra["accepted"] = "true"  # created after this answer, asynchronously
            if location:
                url = urljoin(str(response.url), location.strip())
                return replace(record, id=url, url=url, extra=extra)
            return replace(record, id="created", url=None, extra={**extra, "no_location": "true"})
        if status >= 500 or status in (408, 425):
            said = body_snippet(response) if parse_json(response) is None else _said(response)
            raise self._unclear(f"Your site {self.where} had a problem with the post (HTTP {status}{': ' + said if said else ''}).")
        await part.save(record.unstamped())  # a definite answer: nothing was made
        if status in (401, 403):
            raise self._auth_error(response)
        if status == 429:
            wait = retry_after(response)
            raise RateLimited(f"Your site {self.where} asks us to slow down (HTTP 429).", retry_after=wait,
                              hint="The post waits in the outbox and is retried later.")
        said = _said(response) or body_snippet(response)
        raise Rejected(
            f"Your site {self.where} refused the post (HTTP {status}{': ' + said if said else ''}).",
            hint="Fix what your site names, then publish again.",
        )


    # ------------------------------------------------------------------ corrections

    async def _still_there(self, url: str) -> bool | None:
        """Whether the post's page is still on the site (its own address, asked without the token):
        False on 404/410, True on 200, None when the site does not say."""
        try:
            response = await send(self.http, "GET", check_url(url, what="post address"), label=self.label,
                                  follow_redirects=False)
        except PlatformError:
            return None
        if response.status_code in (404, 410):
            return False
        return True if response.status_code == 200 else None

    async def _action(self, body: dict[str, Any], what: str, url: str) -> httpx.Response | None:
        """Send an action; None when it went through (2xx)."""
        response = await self._request("POST", write=True, json=body)
        if response.status_code < 300:
            return None
        if response.status_code in (401, 403):
            raise self._auth_error(response)
        if response.status_code >= 500:
            raise TransientError(f"Your site {self.where} had a problem with the {what} (HTTP {response.status_code}).",
                                 hint="Try again later.")
        return response

    async def delete_post(self, record: PartRecord) -> None:
        url = record.url or record.id
        if not url or url == "created":
            raise Rejected("Your site gave no address for this post, so it cannot be named for deletion.",
                           hint=f"Delete it on {self.server_url} itself.")
        refused = await self._action({"action": "delete", "url": url}, "deletion", url)
        if refused is None:
            return
        if refused.status_code in (400, 404, 410):
            there = await self._still_there(url)
            if there is False:
                return  # gone already (an earlier try went through, its answer was lost)
        said = _said(refused) or body_snippet(refused)
        raise Rejected(f"Your site {self.where} refused to delete {url} (HTTP {refused.status_code}"
                       f"{': ' + said if said else ''}).", hint=f"Delete it on {self.server_url} itself.")

    async def edit_post(self, record: PartRecord, text: str, options: PostOptions) -> PartRecord:
        url = record.url or record.id
        if not url or url == "created":
            raise Rejected("Your site gave no address for this post, so it cannot be edited.",
                           hint=f"Edit it on {self.server_url} itself.")
        refused = await self._action({"action": "update", "url": url, "replace": {"content": [text]}}, "edit", url)
        if refused is not None:
            said = _said(refused) or body_snippet(refused)
            raise Rejected(f"Your site {self.where} refused the edit of {url} (HTTP {refused.status_code}"
                           f"{': ' + said if said else ''}).", hint="Fix what your site names, then edit again.")
        return replace(record, digest=digest(text))

    def _unclear(self, what: str) -> NeedsCheck:
        """An outcome nobody can know: Micropub has no idempotency and nothing to look the post up
        by, so the writer is asked at once (the part keeps its stamp: no retry sends by itself)."""
        return NeedsCheck(
            f"{what} It may or may not have been published, and Micropub gives no way to check; "
            "Humane Composer does not send it again by itself.",
            hint=f"Check {self.server_url}: if the post is there, mark it as sent; if not, choose retry.",
        )


# ---------------------------------------------------------------------- helpers


def _error(response: httpx.Response) -> tuple[str | None, str | None, str | None]:
    data = parse_json(response)
    if not isinstance(data, Mapping):
        return None, body_snippet(response), None

    def text(key: str) -> str | None:
        v = data.get(key)
        return v if isinstance(v, str) and v else None
    return text("error"), text("error_description"), text("scope")


def _said(response: httpx.Response) -> str | None:
    error, description, _ = _error(response)
    parts = [p for p in (error, description) if p]
    return " — ".join(parts) if parts else None
