"""The home page announces the Micropub endpoint with its trailing slash, as django-indieweb's URLs
have it; /notes/N/ shows an entry."""

from __future__ import annotations

import html

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import include, path

from .handler import entries


def home(request: HttpRequest) -> HttpResponse:
    return HttpResponse(
        '<!doctype html><html><head><title>Alice</title>'
        '<link rel="micropub" href="/indieweb/micropub/">'
        '<link rel="token_endpoint" href="/indieweb/token/">'
        "</head><body><h1>Alice's notes</h1></body></html>"
    )


def note(request: HttpRequest, n: int) -> HttpResponse:
    for entry in entries():
        if entry["url"] == f"/notes/{n}/":
            return HttpResponse(f"<article>{html.escape(entry['content'])}</article>")
    raise Http404


urlpatterns = [
    path("", home),
    path("notes/<int:n>/", note),
    path("indieweb/", include("indieweb.urls")),
]
