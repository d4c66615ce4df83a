"""A fake Bluesky app view on 127.0.0.1, for the reference PDS to pass `app.bsky.*` calls on to
(tests/pds/launch.mjs with PDS_APPVIEW_URL): it answers from the PDS's own records, read afresh on
every call through the PDS's public repo API (com.atproto.sync.listRepos, repo.describeRepo,
repo.listRecords), so what it serves is what the real server stored.

- `app.bsky.feed.getPostThread?uri=&depth=`: the post and the replies under it (threadViewPost with
  PostViews: uri, cid, author {did, handle}, record, indexedAt); 400 NotFound for an unknown post.
- `app.bsky.notification.listNotifications`: for the account named by the service token the PDS
  signs (its `iss`; the signature is not checked here), `reply` for posts answering one of theirs and
  `mention` for posts whose facets name their DID, newest first; `reasons` filters.
"""

from __future__ import annotations

import base64
import json
from typing import Any

import httpx

from .server import FakeServer, Request, Response, route

POST = "app.bsky.feed.post"


def _err(status: int, name: str, message: str) -> Response:
    return Response(status, {"error": name, "message": message})


class FakeAppView(FakeServer):
    def __init__(self) -> None:
        super().__init__()
        self.pds_url: str | None = None
        """Where the records are read (set once the PDS has started)."""

    # ------------------------------------------------------------------ reading the PDS

    def _get(self, nsid: str, **params: str) -> Any:
        assert self.pds_url, "the app view does not know its PDS yet"
        r = httpx.get(f"{self.pds_url.replace('localhost', '127.0.0.1')}/xrpc/{nsid}", params=params, timeout=30)
        r.raise_for_status()
        return r.json()

    def _posts(self) -> tuple[list[dict[str, Any]], dict[str, str]]:
        """Every post on the PDS as a PostView, and did -> handle."""
        handles: dict[str, str] = {}
        views: list[dict[str, Any]] = []
        for repo in self._get("com.atproto.sync.listRepos", limit="1000").get("repos", []):
            did = repo["did"]
            handles[did] = self._get("com.atproto.repo.describeRepo", repo=did).get("handle", did)
            records = self._get("com.atproto.repo.listRecords", repo=did, collection=POST, limit="100")
            for rec in records.get("records", []):
                views.append({"uri": rec["uri"], "cid": rec["cid"], "record": rec["value"],
                              "author": {"did": did, "handle": handles[did]},
                              "indexedAt": rec["value"].get("createdAt"), "labels": []})
        return views, handles

    @staticmethod
    def _viewer(req: Request) -> str | None:
        auth = req.header("authorization") or ""
        if not auth.lower().startswith("bearer "):
            return None
        try:
            payload = auth[7:].split(".")[1]
            claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        except (IndexError, ValueError):
            return None
        return claims.get("iss") if isinstance(claims, dict) else None

    # ------------------------------------------------------------------ routes

    @route("GET", r"/xrpc/app\.bsky\.feed\.getPostThread")
    def get_post_thread(self, req: Request) -> Response:
        q = {k: v[0] for k, v in req.query.items()}
        views, _ = self._posts()
        by_uri = {v["uri"]: v for v in views}
        root = by_uri.get(q.get("uri", ""))
        if root is None:
            return _err(400, "NotFound", f"Post not found: {q.get('uri')}")

        def node(view: dict[str, Any], depth: int) -> dict[str, Any]:
            out: dict[str, Any] = {"$type": "app.bsky.feed.defs#threadViewPost", "post": view}
            if depth > 0:
                children = [v for v in views if v["record"].get("reply", {}).get("parent", {}).get("uri") == view["uri"]]
                children.sort(key=lambda v: v["indexedAt"] or "")
                out["replies"] = [node(c, depth - 1) for c in children]
            return out

        return Response(200, {"thread": node(root, int(q.get("depth", "6")))})

    @route("GET", r"/xrpc/app\.bsky\.notification\.listNotifications")
    def list_notifications(self, req: Request) -> Response:
        me = self._viewer(req)
        if me is None:
            return _err(401, "AuthMissing", "Authentication Required")
        reasons = req.query.get("reasons") or req.query.get("reasons[]")
        views, _ = self._posts()
        notes = []
        for v in views:
            if v["author"]["did"] == me:
                continue
            parent = v["record"].get("reply", {}).get("parent", {}).get("uri", "")
            mentioned = any(f.get("did") == me for facet in v["record"].get("facets", []) for f in facet.get("features", []))
            reason = "reply" if parent.startswith(f"at://{me}/") else "mention" if mentioned else None
            if reason is None or (reasons and reason not in reasons):
                continue
            notes.append({"uri": v["uri"], "cid": v["cid"], "author": v["author"], "reason": reason,
                          "reasonSubject": parent or None, "record": v["record"], "isRead": False,
                          "indexedAt": v["indexedAt"], "labels": []})
        notes.sort(key=lambda n: n["indexedAt"] or "", reverse=True)
        return Response(200, {"notifications": notes})
