"""A fake Forem (Dev.to) API v1 on 127.0.0.1, as Forem's own source answers
(app/controllers/api/v1/api_controller.rb, concerns/api/articles_controller.rb):

- Every call needs the key in an `api-key` header; none or an unknown one → 401
  `{"error": "unauthorized", "status": 401}`.
- `GET /api/users/me` → `{"type_of": "user", "id", "username", "name", ...}`.
- `POST /api/articles` with `{"article": {...}}` (not a table → 422); validation as Forem's
  Article model: a title (1-128 characters), at most 4 tags ("Tag list exceed the maximum of 4
  tags"), each tag lower-case letters and digits (at most 30), and the same title again within
  five minutes → 422 "Title has already been used in the last five minutes" (what a second
  article from a blind retry would meet in life; set `same_title_window=0` to let it through and
  count duplicates). 201 with the article and `Location:` its URL.
- `GET /api/articles/me/all?per_page&page` → the writer's articles, unpublished first, newest first,
  with `title`, `body_markdown`, `published`, `url`, `tag_list`.
- Faults (latency, 5xx, 429 + Retry-After, 401, malformed JSON, HTML pages, drop-after-commit) come
  from `FakeServer.inject`.
"""

from __future__ import annotations

import itertools
import re
import time
from typing import Any

from .server import FakeServer, Request, Response, route

UNAUTHORIZED = {"error": "unauthorized", "status": 401}
TAG = re.compile(r"[a-z0-9]{1,30}")


class FakeDevto(FakeServer):
    """`with FakeDevto() as dev: dev.add_user("alice", key=KEY)`; articles in `dev.articles`."""

    def __init__(self, *, same_title_window: float = 300.0, latency: float = 0.0) -> None:
        super().__init__(latency=latency)
        self.same_title_window = same_title_window
        self.users: dict[str, dict[str, Any]] = {}
        self.articles: list[dict[str, Any]] = []
        self._ids = itertools.count(1001)

    def add_user(self, username: str, *, key: str, name: str = "Alice Example") -> None:
        with self.lock:
            self.users[key] = {"type_of": "user", "id": 42 + len(self.users), "username": username, "name": name,
                               "summary": None, "twitter_username": None, "github_username": None,
                               "website_url": None, "location": None, "joined_at": "Jan 1, 2024",
                               "profile_image": ""}

    def posts(self, username: str | None = None) -> list[dict[str, Any]]:
        with self.lock:
            return [a for a in self.articles if username is None or a["username"] == username]

    def _user(self, req: Request) -> dict[str, Any] | None:
        key = req.header("api-key")
        return self.users.get(key or "")

    # ------------------------------------------------------------------ routes

    @route("GET", "/api/users/me")
    def me(self, req: Request) -> Response:
        user = self._user(req)
        if user is None:
            return Response(401, UNAUTHORIZED)
        return Response(200, dict(user))

    @route("POST", "/api/articles")
    def create(self, req: Request) -> Response:
        user = self._user(req)
        if user is None:
            return Response(401, UNAUTHORIZED)
        body = req.json
        article = body.get("article") if isinstance(body, dict) else None
        if not isinstance(article, dict):
            return Response(422, {"error": "article param must be a JSON object. You provided article as a "
                                  f"{type(article).__name__}", "status": 422})
        title = str(article.get("title") or "")
        tags = article.get("tags") or []
        if isinstance(tags, str):
            tags = [t.strip() for t in tags.split(",") if t.strip()]
        errors = []
        if not title.strip():
            errors.append("Title can't be blank")
        elif len(title) > 128:
            errors.append("Title is too long (maximum is 128 characters)")
        if len(tags) > 4:
            errors.append("Tag list exceed the maximum of 4 tags")
        else:
            errors += [f'Tag "{t}" contains non-alphanumeric or uppercase characters' for t in tags
                       if not TAG.fullmatch(str(t))]
        now = time.time()
        with self.lock:
            if self.same_title_window and any(
                a["username"] == user["username"] and a["title"] == title and now - a["at"] < self.same_title_window
                for a in self.articles
            ):
                errors.append("Title has already been used in the last five minutes")
            if errors:
                return Response(422, {"error": ", ".join(errors), "status": 422})
            article_id = next(self._ids)
            slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-") or "article"
            published = bool(article.get("published"))
            suffix = f"{article_id:x}" if published else f"temp-slug-{article_id}"
            path = f"/{user['username']}/{slug}-{suffix}"
            stored = {
                "type_of": "article", "id": article_id, "title": title, "username": user["username"],
                "body_markdown": str(article.get("body_markdown") or ""), "published": published,
                "tag_list": list(tags), "path": path, "url": self.url + path, "at": now,
                "published_at": "2026-12-05T07:00:00Z" if published else None,
            }
            self.articles.append(stored)
        shown = {k: v for k, v in stored.items() if k not in ("at", "username")}
        shown["tags"] = ", ".join(tags)
        return Response(201, shown, {"Location": stored["url"]})

    @route("GET", "/api/articles/me/all")
    def mine(self, req: Request) -> Response:
        user = self._user(req)
        if user is None:
            return Response(401, UNAUTHORIZED)
        per_page = min(int((req.query.get("per_page") or ["30"])[0]), 1000)
        page = max(int((req.query.get("page") or ["1"])[0]), 1)
        with self.lock:
            own = [a for a in self.articles if a["username"] == user["username"]]
        own.sort(key=lambda a: (a["published"], -a["at"]))  # unpublished (NULL published_at) first, newest first
        chosen = own[(page - 1) * per_page: page * per_page]
        keys = ("type_of", "id", "title", "published", "published_at", "tag_list", "path", "url", "body_markdown")
        return Response(200, [{k: a[k] for k in keys} for a in chosen])
