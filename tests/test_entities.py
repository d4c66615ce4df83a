"""Links, mentions and hashtags: exact spans, trailing punctuation, Unicode, UTF-8 facet offsets."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from composer.guidelines.entities import (
    Entity,
    display_url,
    find_hashtags,
    find_mentions,
    find_urls,
    utf8_offsets,
)


def urls(text: str, **kw) -> list[str]:
    return [e.value for e in find_urls(text, **kw)]


def mentions(text: str) -> list[str]:
    return [e.value for e in find_mentions(text)]


def tags(text: str) -> list[str]:
    return [e.value for e in find_hashtags(text)]


# --------------------------------------------------------------------------- URLs


@pytest.mark.parametrize(
    "text, expected",
    [
        ("see (https://x.org/a_(b)).", ["https://x.org/a_(b)"]),
        ("(see https://x.org/page)", ["https://x.org/page"]),
        ("[the docs](https://x.org/docs)", ["https://x.org/docs"]),
        ("https://en.wikipedia.org/wiki/Foo_(bar)", ["https://en.wikipedia.org/wiki/Foo_(bar)"]),
        ("Read https://example.com/path, then rest.", ["https://example.com/path"]),
        ("Really? https://x.org/foo... yes", ["https://x.org/foo"]),
        ("end https://x.org.", ["https://x.org"]),
        ("ask https://x.org/faq?", ["https://x.org/faq"]),
        ('"https://x.org/q?a=1&b=2"', ["https://x.org/q?a=1&b=2"]),
        ("<https://x.org/a>", ["https://x.org/a"]),
        ("https://x.org:8080/a?b=c#d!", ["https://x.org:8080/a?b=c#d"]),
        ("HTTPS://EXAMPLE.COM/A", ["HTTPS://EXAMPLE.COM/A"]),
        ("two: http://a.io/1 and https://b.co.uk/2/", ["http://a.io/1", "https://b.co.uk/2/"]),
        ("https://пример.рф/путь", ["https://пример.рф/путь"]),
        ("https://例え.jp/", ["https://例え.jp/"]),
        ("https://x.org/caf%C3%A9 and https://x.org/café", ["https://x.org/caf%C3%A9", "https://x.org/café"]),
        # Other scripts end a URL, as in twitter-text (Mastodon's rule): never counts less than the server.
        ("詳しくはhttps://ja.wikipedia.org/wiki/です。", ["https://ja.wikipedia.org/wiki/"]),
        ("https://example.comです", []),
        # Not links: no scheme, glued to a word, no domain, loopback/IP, e-mail.
        ("example.com and www.example.com", []),
        ("xhttps://x.org", []),
        ("https:// nothing", []),
        ("http://localhost:8080/x http://127.0.0.1/", []),
        ("mail bob@example.com", []),
        ("ftp://x.org/file", []),
    ],
)
def test_find_urls(text: str, expected: list[str]) -> None:
    assert urls(text) == expected


def test_url_spans_are_exact_character_offsets() -> None:
    text = "👨‍👩‍👧 see https://x.org/a_(b))."
    [e] = find_urls(text)
    assert text[e.start : e.end] == e.value == "https://x.org/a_(b)"
    assert e == Entity(e.start, e.end, "https://x.org/a_(b)")
    assert e.start == len("👨‍👩‍👧 see ")


@pytest.mark.parametrize(
    "text, expected",
    [
        ("example.com/page and t.co/abc", ["example.com/page", "t.co/abc"]),
        ("www.bbc.co.uk is news", ["www.bbc.co.uk"]),
        ("file.py and README.md, e.g. i.e.", []),  # one label + country code, no path: not a link
        ("bob@example.com", []),
        ("@alice.bsky.social", []),
        ("https://x.org/a and example.org", ["https://x.org/a", "example.org"]),
    ],
)
def test_schemeless_urls_as_x_and_threads_link_them(text: str, expected: list[str]) -> None:
    assert urls(text, schemeless=True) == expected


# --------------------------------------------------------------------------- mentions


@pytest.mark.parametrize(
    "text, expected",
    [
        ("hi @alice!", ["@alice"]),
        ("cc @bob@mastodon.social, @carol", ["@bob@mastodon.social", "@carol"]),
        ("thanks @handle.bsky.social.", ["@handle.bsky.social"]),
        ("@my-handle.example.com: yes", ["@my-handle.example.com"]),
        ("(@alice)", ["@alice"]),
        ("mail bob@example.com", []),  # an e-mail address is not a mention
        ("@user@", []),  # Mastodon's rule: a trailing @ spoils it
        ("https://mastodon.social/@alice", []),  # inside a URL
        ("@ alone and @", []),
    ],
)
def test_find_mentions(text: str, expected: list[str]) -> None:
    assert mentions(text) == expected


# --------------------------------------------------------------------------- hashtags


@pytest.mark.parametrize(
    "text, expected",
    [
        ("#tag and #another.", ["#tag", "#another"]),
        ("#日本語 #Ελλάδα #café", ["#日本語", "#Ελλάδα", "#café"]),
        ("#1st but not #1 or #2024", ["#1st"]),
        ("snake #snake_case_tag", ["#snake_case_tag"]),
        ("&#123; is an entity", []),
        ("https://x.org/#frag https://x.org/page#frag", []),
        ("keycap #️⃣ is an emoji", []),
        ("(#paren)", ["#paren"]),
        ("word#nottag", []),
        ("fullwidth ＃タグ", ["＃タグ"]),
    ],
)
def test_find_hashtags(text: str, expected: list[str]) -> None:
    assert tags(text) == expected


# --------------------------------------------------------------------------- display (Bluesky)


@pytest.mark.parametrize(
    "url, shown",
    [
        ("https://example.com", "example.com"),
        ("https://example.com/", "example.com"),
        ("http://example.com/short-path", "example.com/short-path"),
        ("https://example.com/a-rather-long-path/here", "example.com/a-rather-lon..."),
        ("https://x.org/?q=1", "x.org?q=1"),
        ("https://x.org/a?", "x.org/a"),
        ("https://x.org/p#frag", "x.org/p#frag"),
        ("HTTPS://X.ORG:8080/a", "X.ORG:8080/a"),
        ("example.com/page-with-a-long-name", "example.com/page-with-a-..."),
        ("https://x.org/" + "e\u0301" * 10, "x.org/" + "e\u0301" * 6 + "..."),
    ],
)
def test_display_url_as_bsky_app_shows_links(url: str, shown: str) -> None:
    assert display_url(url) == shown


def test_display_url_agrees_with_the_bluesky_client() -> None:
    """The length rules count Bluesky links as the client writes them: if the client's shortening
    changes or goes away, Bluesky counts would be wrong, and this must fail."""
    from composer.platforms.bluesky import shorten_url

    samples = [
        "https://example.com",
        "https://example.com/",
        "https://x.org/a_(b)",
        "https://x.org/?q=1&r=2#top",
        "https://x.org/a?",
        "https://x.org/#",
        "https://пример.рф/длинный-путь-к-странице",
        "https://x.org/" + "👨‍👩‍👧" * 5,
        "https://x.org/" + "e\u0301" * 10,
        "https://example.com/a/rather/long/path?with=query&and=more",
    ]
    for url in samples:
        assert display_url(url) == shorten_url(url), url
    for bare in ["example.com/page-with-a-long-name", "t.co/abc", "www.bbc.co.uk"]:
        assert display_url(bare) == shorten_url("https://" + bare), bare


# --------------------------------------------------------------------------- UTF-8 offsets


def test_utf8_offsets_after_multibyte_emoji() -> None:
    text = "👨‍👩‍👧 https://x.org"
    [e] = find_urls(text)
    start, end = utf8_offsets(text, e.start, e.end)
    # the family emoji is 5 code points, 18 bytes; then a space
    assert (start, end) == (19, 32)
    assert text.encode()[start:end].decode() == "https://x.org"


def test_utf8_offsets_clamp_like_slicing() -> None:
    assert utf8_offsets("héllo", -5, 99) == (0, 6)
    assert utf8_offsets("héllo", 4, 2) == (5, 5)
    assert utf8_offsets("", 0, 0) == (0, 0)


# --------------------------------------------------------------------------- properties

PIECES = st.sampled_from(
    [
        "https://example.com/a_(b)",
        "https://x.org/",
        "http://例え.jp/パス",
        "@alice",
        "@bob@mastodon.social",
        "@carol.bsky.social",
        "#tag",
        "#日本",
        "bob@example.com",
        "👨‍👩‍👧‍👦",
        "🇫🇷",
        "👍🏽",
        "e\u0301",
        "שלום",
        "مرحبا",
        "(",
        ")",
        ".",
        "…",
        " ",
        "\n",
    ]
)
TEXTS = st.one_of(st.text(max_size=300), st.lists(st.one_of(PIECES, st.text(max_size=5)), max_size=60).map("".join))


@settings(max_examples=300, deadline=None)
@given(TEXTS)
def test_entities_never_raise_and_spans_are_exact(text: str) -> None:
    found = {
        "urls": find_urls(text),
        "bare": find_urls(text, schemeless=True),
        "mentions": find_mentions(text),
        "tags": find_hashtags(text),
    }
    for kind, entities in found.items():
        last_end = 0
        for e in entities:
            assert 0 <= e.start < e.end <= len(text), kind
            assert text[e.start : e.end] == e.value, kind
            assert e.start >= last_end, f"{kind} overlap or out of order"
            last_end = e.end
            b0, b1 = utf8_offsets(text, e.start, e.end)
            assert text.encode("utf-8", "surrogatepass")[b0:b1].decode("utf-8", "surrogatepass") == e.value
    spans = [(u.start, u.end) for u in found["urls"]]
    for e in found["mentions"] + found["tags"]:
        assert all(e.end <= s or e.start >= t for s, t in spans), "a mention or tag inside a URL"
    from composer.platforms.bluesky import shorten_url

    for u in found["bare"]:
        full = u.value if "://" in u.value else "https://" + u.value
        assert display_url(u.value) == shorten_url(full)
    for u in found["urls"]:
        assert u.value[-1] not in ".,:;!?'", "trailing punctuation kept"
        assert u.value.count("(") >= u.value.count(")") or not u.value.endswith(")")


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200), st.integers(-5, 250), st.integers(-5, 250))
def test_utf8_offsets_match_encoding(text: str, start: int, end: int) -> None:
    b0, b1 = utf8_offsets(text, start, end)
    lo = min(max(start, 0), len(text))
    hi = min(max(end, lo), len(text))
    encoded = text.encode("utf-8", "surrogatepass")
    assert encoded[:b0].decode("utf-8", "surrogatepass") == text[:lo]
    assert encoded[b0:b1].decode("utf-8", "surrogatepass") == text[lo:hi]
