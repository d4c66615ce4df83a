"""A fake Micropub site on 127.0.0.1 (W3C Micropub Recommendation; /work/shared/platforms.md §6):

- `GET /` is the writer's home page announcing the endpoint: `discovery="both"` (Link header and
  `<link>`), `"header"`, `"html"` (rel="me micropub", a relative href), or `"none"`; `redirect=True`
  makes `/` answer 301 → `/home` first. `endpoint_path` may carry a query (`/index.php?micropub=1`).
- `POST <endpoint>`: bearer token in `Authorization` or an `access_token` form field. No token →
  401 `unauthorized`; an unknown token → 403 `forbidden`; a token without the `create` scope →
  401 `insufficient_scope` with `"scope": "create"`. Form-encoded bodies (`h=entry`, `content`,
  arrays as `category[]`) and JSON (`{"type": ["h-entry"], "properties": {...}}`); no `h`/`type` or
  no content → 400 `invalid_request`. Success: 201 Created (or 202 Accepted with `accepted=True`),
  `Location:` = the post's URL (relative with `relative_location=True`).
- `GET <endpoint>?q=config` (token needed) → `{"media-endpoint", "syndicate-to"}`; `config=False`
  answers 400 `invalid_request` like servers without it; `q=source&url=` → the post's properties.
- No idempotency at all, as in the spec: every POST makes a new post.
- `action=delete&url=` (form or JSON; scope `delete`) removes a post: 204 No Content; a post that
  is not there (deleted already) answers 400 `invalid_request`, as many servers do.
  `{"action": "update", "url", "replace": {"content": [...]}}` (JSON; scope `update`) changes it in
  place: 204; a missing post → 400.
- Faults from `FakeServer.inject` (latency, 5xx, 429, 401, malformed JSON, HTML, drop-after-commit).
"""

from __future__ import annotations

import itertools
import json
import secrets
from typing import Any
from urllib.parse import parse_qs, urlsplit

from .server import FakeServer, Request, Response, route


class FakeMicropub(FakeServer):
    """`with FakeMicropub() as site: token = site.add_token()`; the site is `site.url`."""

    def __init__(self, *, discovery: str = "both", redirect: bool = False, endpoint_path: str = "/micropub",
                 accepted: bool = False, relative_location: bool = False, config: bool = True,
                 latency: float = 0.0) -> None:
        super().__init__(latency=latency)
        assert discovery in ("both", "header", "html", "none")
        self.discovery = discovery
        self.redirect = redirect
        self.endpoint_path = endpoint_path
        self.accepted = accepted
        self.relative_location = relative_location
        self.config = config
        self.tokens: dict[str, set[str]] = {}
        self.entries: list[dict[str, Any]] = []
        self.deleted: set[str] = set()
        """Paths of deleted posts (their pages answer 410 Gone)."""
        self.files: dict[str, tuple[str, bytes]] = {}
        """Uploaded media: path -> (content type, bytes)."""
        self._ids = itertools.count(1)

    def start(self) -> FakeMicropub:
        super().start()
        self.base = self.url
        """The site's address, kept: a request still running when the test stops it can finish."""
        return self

    # ------------------------------------------------------------------ helpers

    def add_token(self, token: str | None = None, scope: str = "create update media") -> str:
        token = token or secrets.token_urlsafe(32)
        with self.lock:
            self.tokens[token] = set(scope.split())
        return token

    @property
    def endpoint(self) -> str:
        return self.base + self.endpoint_path

    def posts(self) -> list[dict[str, Any]]:
        with self.lock:
            return list(self.entries)

    # ------------------------------------------------------------------ routing

    def _route(self, req: Request) -> Response:
        endpoint = urlsplit(self.endpoint_path)
        if req.path == endpoint.path:
            wanted = parse_qs(endpoint.query)
            if all(req.query.get(k) == v for k, v in wanted.items()):
                if req.method == "POST":
                    return self.create(req)
                if req.method == "GET":
                    return self.query(req)
                return Response(405, {"error": "invalid_request", "error_description": "Method not allowed"})
        return super()._route(req)

    def not_found(self, req: Request) -> Response:
        return Response(404, "<html><head><title>Not Found</title></head><body>Not found</body></html>",
                        {"Content-Type": "text/html"})

    @route("POST", r"/media")
    def upload_media(self, req: Request) -> Response:
        """The media endpoint: multipart `file` (token with the media or create scope) → 201 and
        the file's public address in Location; `GET` of that address serves the bytes."""
        scopes = self._token(req)
        if isinstance(scopes, Response):
            return scopes
        if not scopes & {"media", "create"}:
            return Response(401, {"error": "insufficient_scope", "scope": "media"})
        fields = req.multipart
        if "file" not in fields:
            return Response(400, {"error": "invalid_request", "error_description": "No file was sent"})
        name, mime, data = fields["file"]
        with self.lock:
            n = next(self._ids)
            path = f"/media/{n:04d}-{name or 'file'}"
            self.files[path] = (mime, data)
        return Response(201, None, {"Location": self.base + path})

    @route("GET", r"/media/(?P<name>[^/]+)")
    def media_file(self, req: Request) -> Response:
        with self.lock:
            found = self.files.get(req.path)
        if found is None:
            return self.not_found(req)
        return Response(200, found[1], {"Content-Type": found[0]})

    @route("GET", r"/")
    def home(self, req: Request) -> Response:
        if self.redirect:
            return Response(301, "", {"Location": "/home"})
        return self._page()

    @route("GET", r"/2026/(?P<n>\d+)")
    def entry_page(self, req: Request) -> Response:
        with self.lock:
            entry = next((e for e in self.entries if e["path"] == req.path), None)
            gone = entry is None and req.path in self.deleted
        if entry is None:
            return Response(410 if gone else 404, "<html><body>Gone</body></html>" if gone else "Not found",
                            {"Content-Type": "text/html"})
        return Response(200, f"<html><body><div class=\"h-entry\">{entry['content']}</div></body></html>",
                        {"Content-Type": "text/html"})

    @route("GET", r"/home")
    def home_after_redirect(self, req: Request) -> Response:
        return self._page()

    def _page(self) -> Response:
        headers = {"Content-Type": "text/html; charset=utf-8"}
        if self.discovery in ("both", "header"):
            headers["Link"] = (f'<{self.base}/auth>; rel="authorization_endpoint", '
                               f'<{self.endpoint}>; rel="micropub"')
        link = ""
        if self.discovery in ("both", "html"):
            href = self.endpoint_path.lstrip("/") if self.discovery == "html" else self.endpoint
            link = f'<link rel="me micropub" href="{href}">'
        page = (f"<!doctype html><html><head><title>Alice's site</title>{link}"
                f'<link rel="stylesheet" href="/style.css"></head><body><h1>Alice</h1></body></html>')
        return Response(200, page, headers)

    # ------------------------------------------------------------------ micropub

    def _token(self, req: Request, form: dict[str, list[str]] | None = None) -> set[str] | Response:
        value = req.header("authorization") or ""
        token = value[7:].strip() if value[:7].lower() == "bearer " else None
        if token is None and form is not None:
            token = (form.get("access_token") or [None])[0]
        if not token:
            return Response(401, {"error": "unauthorized", "error_description": "No access token was provided"})
        scopes = self.tokens.get(token)
        if scopes is None:
            return Response(403, {"error": "forbidden", "error_description": "The token is not valid for this site"})
        return scopes

    def query(self, req: Request) -> Response:
        scopes = self._token(req)
        if isinstance(scopes, Response):
            return scopes
        q = (req.query.get("q") or [""])[0]
        if q == "config" and self.config:
            return Response(200, {
                "media-endpoint": self.base + "/media",
                "syndicate-to": [{"uid": "https://social.example/@alice", "name": "alice on social.example"}],
            })
        if q == "source":
            url = (req.query.get("url") or [""])[0]
            for entry in self.posts():
                if entry["url"] == url:
                    return Response(200, {"type": ["h-entry"], "properties": entry["properties"]})
            return Response(400, {"error": "invalid_request", "error_description": "No such post"})
        return Response(400, {"error": "invalid_request", "error_description": f"Unsupported query {q!r}"})

    def _action(self, req: Request, action: str, data: dict[str, Any], form: dict[str, list[str]] | None) -> Response:
        scopes = self._token(req, form)
        if isinstance(scopes, Response):
            return scopes
        if action not in scopes:
            return Response(401, {"error": "insufficient_scope", "scope": action,
                                  "error_description": f"The token does not have the {action} scope"})
        url = data.get("url")
        with self.lock:
            entry = next((e for e in self.entries if e["url"] == url), None)
            if entry is None:
                return Response(400, {"error": "invalid_request", "error_description": "The post does not exist"})
            if action == "delete":
                self.entries.remove(entry)
                self.deleted.add(entry["path"])
                return Response(204, None)
            replace = data.get("replace")
            if action != "update" or not isinstance(replace, dict):
                return Response(400, {"error": "invalid_request", "error_description": f"Unsupported action {action!r}"})
            entry["properties"].update(replace)
            entry["content"] = (entry["properties"].get("content") or [""])[0]
        return Response(204, None)

    def create(self, req: Request) -> Response:
        ctype = (req.header("content-type") or "").split(";")[0].strip().lower()
        if ctype == "application/json":
            with_action = req.json if isinstance(req.json, dict) else {}
            if with_action.get("action"):
                return self._action(req, str(with_action["action"]), with_action, None)
        elif ctype == "application/x-www-form-urlencoded" and req.form.get("action"):
            form = req.form
            return self._action(req, form["action"][0], {k: v[0] for k, v in form.items()}, form)
        form: dict[str, list[str]] | None = None
        if ctype == "application/json":
            try:
                data = req.json
            except ValueError:
                return Response(400, {"error": "invalid_request", "error_description": "Malformed JSON"})
            kind = (data.get("type") or [""])[0] if isinstance(data, dict) else ""
            properties = data.get("properties", {}) if isinstance(data, dict) else {}
        elif ctype == "application/x-www-form-urlencoded":
            form = req.form
            kind = "h-" + (form.get("h") or [""])[0] if form.get("h") else ""
            properties = {}
            for key, values in form.items():
                if key in ("h", "access_token") or key.startswith("mp-"):
                    continue
                properties[key[:-2] if key.endswith("[]") else key] = values
        else:
            return Response(415, {"error": "invalid_request", "error_description": f"Unsupported type {ctype}"})
        scopes = self._token(req, form)
        if isinstance(scopes, Response):
            return scopes
        if "create" not in scopes and "post" not in scopes:
            return Response(401, {"error": "insufficient_scope", "scope": "create",
                                  "error_description": "The token does not have the create scope"})
        if kind != "h-entry":
            return Response(400, {"error": "invalid_request", "error_description": "Only h=entry is supported"})
        if not any(v and str(v[0]).strip() for k, v in properties.items() if k in ("content", "name", "photo")):
            return Response(400, {"error": "invalid_request", "error_description": "The post has no content"})
        with self.lock:
            n = next(self._ids)
            path = f"/2026/{n:04d}"
            entry = {"url": self.base + path, "path": path, "properties": properties,
                     "content": (properties.get("content") or [""])[0], "raw": json.dumps(properties)}
            self.entries.append(entry)
        location = path if self.relative_location else entry["url"]
        return Response(202 if self.accepted else 201, None, {"Location": location})
