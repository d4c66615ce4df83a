"""Per-platform length, limits, length findings and thread splitting."""

from __future__ import annotations

import re
import unicodedata

import pytest
import regex
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from composer import registry
from composer.guidelines.entities import display_url, find_hashtags, find_mentions, find_urls
from composer.guidelines.length import (
    PLATFORMS,
    count,
    findings,
    fits,
    graphemes,
    limit,
    measure,
    split_thread,
)
from composer.guidelines.model import CATEGORIES, Finding

FAMILY = "👨‍👩‍👧‍👦"  # 7 code points, 25 UTF-8 bytes, one grapheme
FLAG = "🇫🇷"
THUMB = "👍🏽"

# --------------------------------------------------------------------------- limits


def test_default_limits() -> None:
    expected = {
        "mastodon": 500,
        "bluesky": 300,
        "x": 280,
        "threads": 500,
        "linkedin": 3000,
        "micropub": None,
        "devto": None,
        "nostr": None,
        "instagram": 2200,
        "discord": 2000,
        "telegram": 4096,
        "slack": 4000,
    }
    assert {p: limit(p) for p in expected} == expected and set(expected) <= set(PLATFORMS)
    assert limit(" Bluesky ") == 300
    assert limit("twitter") == 280


def test_bad_platform_limit_or_url_cost_is_a_clear_value_error() -> None:
    with pytest.raises(ValueError, match="unknown platform 'myspace'; known: mastodon, bluesky"):
        count("hi", "myspace")
    with pytest.raises(ValueError, match="limit must be a positive"):
        split_thread("hi", "bluesky", limit=0)
    with pytest.raises(ValueError, match="url_cost"):
        count("hi", "mastodon", url_cost=-1)


# --------------------------------------------------------------------------- counting


def test_graphemes_are_user_perceived_characters() -> None:
    assert graphemes("") == 0
    assert graphemes("abc") == 3
    assert graphemes("a\r\nb") == 3
    assert graphemes(FAMILY + FLAG + THUMB + "e\u0301") == 4
    assert graphemes("🇫🇷🇩🇪🇮") == 3  # two flags and a lone regional indicator
    assert graphemes("नमस्ते") == 3  # Devanagari conjuncts (Unicode 15.1 rule GB9c)


def test_mastodon_counts_every_url_as_23_and_mention_without_domain() -> None:
    assert count("https://example.com", "mastodon") == 23  # 19 characters still cost 23 (mastodon#12884)
    long_url = "https://example.com/" + "a" * 200
    assert count(f"see {long_url} now", "mastodon") == 4 + 23 + 4
    assert count("hi @bob@mastodon.social", "mastodon") == len("hi @bob")
    assert count("hi @bob", "mastodon") == 7
    assert count("mail bob@example.com", "mastodon") == 20  # an e-mail address counts in full
    assert count(FAMILY + " ok", "mastodon") == 4
    assert count("hello", "mastodon", content_warning="spoilers") == 5 + 8
    assert count(long_url, "mastodon", url_cost=None) == len(long_url)  # Pleroma/Akkoma: in full
    assert count(long_url, "mastodon", url_cost=30) == 30


def test_bluesky_counts_graphemes_and_bytes_of_the_text_as_sent() -> None:
    # Links go out as bsky.app shows them (the full URL rides in the facet): that is what counts.
    url = "https://example.com/" + "a" * 50
    assert count(url, "bluesky") == len("example.com/" + "a" * 12 + "...")
    shown = "see x.org/short and example.org/page"
    assert count("see https://x.org/short and example.org/page", "bluesky") == len(shown)
    assert count("@alice.bsky.social", "bluesky") == 18
    m = measure(FAMILY * 2, "bluesky")
    assert (m.count, m.bytes, m.byte_limit, m.fits) == (2, 50, registry.get("bluesky").counting.max_bytes, True)
    heavy = FAMILY * 150  # 150 graphemes but 3,750 bytes: the byte limit binds
    m = measure(heavy, "bluesky")
    assert (m.count, m.bytes, m.fits, m.binding) == (150, 3750, False, "bytes")


def test_x_weighted_length() -> None:
    assert count("Hello world", "x") == 11
    assert count("日本語", "x") == 6
    assert count("あ" * 140, "x") == 280
    assert count("‘quotes’ — and “more”", "x") == 21  # U+2010-201F weigh 1
    assert count("→", "x") == 2
    assert count(FAMILY, "x") == 2  # an emoji sequence counts 2 once
    assert count(FLAG + THUMB, "x") == 4
    assert count("e\u0301", "x") == 1  # NFC first: é
    assert count("https://example.com/" + "a" * 100, "x") == 23
    assert count("see example.com/page", "x") == 4 + 23  # bare domains are links on X
    assert count("file.py", "x") == 7


def test_threads_counts_emoji_as_bytes_and_links() -> None:
    assert count("hello", "threads") == 5
    assert count("😀", "threads") == 4
    assert count(FAMILY, "threads") == 25
    assert count("日本語", "threads") == 3
    assert count("e\u0301 ñ", "threads") == 3  # only emoji count their bytes
    keycap = "1\ufe0f\u20e3"  # starts with an ASCII digit, still an emoji: 7 bytes
    assert count(keycap, "threads") == 7
    assert count(keycap + "日本語" * 10, "threads") == 37  # dense non-ASCII takes another path
    assert count(keycap + " text" * 100, "threads") == 507
    m = measure(" ".join(f"https://x{i}.org" for i in range(6)), "threads")
    assert (m.links, m.link_limit, m.fits, m.binding) == (6, 5, False, "links")


def test_linkedin_counts_utf16_code_units() -> None:
    assert count("hello", "linkedin") == 5
    assert count("😀", "linkedin") == 2
    assert count("é", "linkedin") == 1


def test_micropub_has_no_limit() -> None:
    text = "word " * 10_000
    assert limit("micropub") is None
    assert findings(text, "micropub") == []
    assert split_thread(text, "micropub") == [text]
    assert count(FAMILY, "micropub") == 1


# --------------------------------------------------------------------------- findings


def test_findings_span_is_the_overflowing_tail() -> None:
    text = "a" * 280 + " " + "b" * 69  # 350 characters
    [f] = findings(text, "bluesky")
    assert isinstance(f, Finding)
    assert (f.rule, f.category, f.severity) == ("length.bluesky", "length", "warning")
    assert f.category in CATEGORIES
    assert (f.start, f.end) == (300, 350)
    assert "50 over Bluesky's 300" in f.message
    assert "thread of 2 parts" in f.message


def test_no_findings_when_it_fits() -> None:
    long_url = "https://example.com/" + "a" * 600
    assert findings("short post", "mastodon") == []
    assert findings(f"a post with a link {long_url}", "mastodon") == []  # 23 on Mastodon
    assert findings(f"a post with a link {long_url}", "x") == []
    assert findings("a" * 300, "bluesky") == []


def test_bluesky_byte_limit_finding_names_bytes() -> None:
    [f] = findings(FAMILY * 150, "bluesky")
    assert "750 bytes over Bluesky's 3,000-byte limit" in f.message
    assert f.start < f.end == len(FAMILY * 150)
    assert f.start % len(FAMILY) == 0  # never inside an emoji


def test_threads_link_limit_finding() -> None:
    text = " ".join(f"https://x{i}.org" for i in range(7))
    [f] = findings(text, "threads")
    assert "7 links, 2 over Threads' 5 per post" in f.message
    assert text[f.start :].startswith("https://x5.org")


def test_content_warning_counts_on_mastodon() -> None:
    text = "a" * 490
    assert findings(text, "mastodon") == []
    [f] = findings(text, "mastodon", content_warning="spoilers for the finale")
    assert "content warning" in f.message
    assert f.start == 500 - len("spoilers for the finale")
    [f] = findings(text, "mastodon", content_warning="c" * 485)
    assert f.severity == "error" and "Shorten the content warning" in f.message
    assert (f.start, f.end) == (0, len(text))


def test_a_url_longer_than_a_post_is_an_error_where_urls_count_in_full() -> None:
    url = "https://example.com/" + "a" * 600
    text = f"Read this: {url}"
    fs = findings(text, "threads")
    errors = [f for f in fs if f.severity == "error"]
    assert len(errors) == 1
    assert text[errors[0].start : errors[0].end] == url
    assert "This link is 620 characters" in errors[0].message
    parts = split_thread(text, "threads")
    assert parts == ["Read this: 1/2", f"{url} 2/2"]  # kept whole, alone
    assert findings(text, "mastodon") == []  # 23 there
    assert findings(text, "bluesky") == []  # shown shortened there


@pytest.mark.parametrize("platform", [p for p in PLATFORMS if p != "micropub"])
def test_custom_limit(platform: str) -> None:
    text = "word " * 30  # 150 characters
    assert findings(text, platform, limit=200) == []
    [f] = findings(text, platform, limit=100)
    assert f.rule == f"length.{platform}"
    assert all(count(p, platform) <= 100 for p in split_thread(text, platform, limit=100))


# --------------------------------------------------------------------------- splitting


def test_a_text_that_fits_comes_back_unchanged() -> None:
    for text in ["", "  spaced  \n", "hello", "a" * 300, FAMILY * 100]:
        parts = split_thread(text, "bluesky")
        assert parts == [text] and parts[0] is text


def test_breaks_at_paragraphs_first() -> None:
    para = ("This sentence has some words in it. " * 4).strip()  # ~143 characters
    text = "\n\n".join([para] * 4)
    parts = split_thread(text, "bluesky")
    assert len(parts) == 2
    for p in parts:
        body = p.rsplit(" ", 1)[0]
        assert body == "\n\n".join([para, para])
    assert parts[0].endswith(" 1/2") and parts[1].endswith(" 2/2")


def test_breaks_at_sentences_then_words() -> None:
    sentence = "Short sentences keep a thread readable for everyone."
    text = " ".join([sentence] * 12)
    parts = split_thread(text, "bluesky")
    for p in parts:
        assert count(p, "bluesky") <= 300
        body = re.sub(r" \d+/\d+$", "", p)
        assert body.endswith("everyone."), body[-30:]
    one_word_run = "lorem " * 100
    parts = split_thread(one_word_run, "bluesky")
    assert all(re.fullmatch(r"(lorem )*lorem \d+/\d+", p) for p in parts)


def test_sentence_end_is_not_an_abbreviation_before_lowercase() -> None:
    text = ("We met e.g. the team. " * 30).strip()
    for p in split_thread(text, "bluesky"):
        assert not re.sub(r" \d+/\d+$", "", p).endswith("e.g.")


def test_never_splits_inside_a_url_mention_or_hashtag() -> None:
    url = "https://example.com/a/rather/long/path?with=query&and=more"
    words = ["word", url, "@someone@mastodon.social", "#ahashtag", "@handle.bsky.social"]
    text = " ".join(words[i % len(words)] for i in range(200))
    for platform in ("mastodon", "bluesky", "x", "threads"):
        parts = split_thread(text, platform, limit=120)
        assert len(parts) > 2
        for p in parts:
            assert count(p, platform) <= 120
            for token in re.sub(r" \d+/\d+$", "", p).split():
                assert token in words, (platform, token)


def test_never_cuts_at_a_no_break_space() -> None:
    text = "We walked 10\u00a0km with M.\u00a0Dupont today. " * 40
    for p in split_thread(text, "bluesky", numbered=False):
        assert not p.endswith(("10", "M.")) and not p.startswith(("km", "Dupont"))


def test_cjk_text_without_spaces_splits_between_characters() -> None:
    text = "日本語の文章です。" * 60  # 540 characters, no spaces
    parts = split_thread(text, "bluesky")
    assert len(parts) == 2
    assert "".join(re.sub(r" \d+/\d+$", "", p) for p in parts) == text
    assert re.sub(r" \d+/\d+$", "", parts[0]).endswith("。")  # at a sentence end


def test_a_long_word_is_cut_between_grapheme_clusters() -> None:
    text = (FAMILY + "e\u0301") * 200
    parts = split_thread(text, "bluesky", numbered=False)
    assert "".join(parts) == text
    for p in parts:
        assert fits(p, "bluesky")
        assert p.startswith(FAMILY) and p.endswith("e\u0301")


def test_numbering_counts_in_the_budget_and_widens_past_nine_parts() -> None:
    text = " ".join(f"w{i:03d}" for i in range(700))  # 2,799 characters
    parts = split_thread(text, "bluesky")
    k = len(parts)
    assert k >= 10
    for i, p in enumerate(parts, 1):
        assert p.endswith(f" {i}/{k}")
        assert count(p, "bluesky") <= 300
    unnumbered = split_thread(text, "bluesky", numbered=False)
    assert " ".join(unnumbered) == text


def test_mastodon_thread_parts_keep_room_for_the_content_warning() -> None:
    text = "word " * 200
    cw = "politics, long read"
    parts = split_thread(text, "mastodon", content_warning=cw)
    assert len(parts) == 3
    assert all(count(p, "mastodon", content_warning=cw) <= 500 for p in parts)


def test_only_blank_space_over_the_limit_is_trimmed_not_threaded() -> None:
    text = "a" * 298 + " " * 10
    assert split_thread(text, "bluesky") == ["a" * 298]
    [f] = findings(text, "bluesky")
    assert f.severity == "info"


def test_deterministic() -> None:
    text = ("Some words, " * 100 + FAMILY + " https://x.org/a ") * 5
    assert split_thread(text, "x") == split_thread(text, "x")


# --------------------------------------------------------------------------- properties

NUMBER = re.compile(r" (\d+)/(\d+)\Z")
_CLUSTER = regex.compile(r"\X")

PIECES = st.sampled_from(
    [
        "word",
        "Sentence ends here.",
        "Question?",
        "https://example.com/path_(x)",
        "https://example.org/" + "a" * 150,
        "https://example.net/" + "b" * 400,
        "example.com/bare",
        "@alice",
        "@bob@mastodon.social",
        "@carol.bsky.social",
        "#tag",
        "#日本",
        FAMILY,
        FLAG,
        THUMB,
        "🏳️‍🌈",
        "1️⃣",
        "e\u0301",
        "n\u0303\u0323",
        "\u0600",  # a prepended concatenation mark
        "שלום עולם",
        "مرحبا بالعالم",
        "日本語の文章です。",
        "한국어 문장",
        " ",
        " ",
        "\n",
        "\n\n",
        "\r\n",
        "\t",
        ". ",
    ]
)
TEXTS = st.one_of(
    st.lists(st.one_of(PIECES, st.text(max_size=12)), max_size=150).map("".join),
    st.text(max_size=700),
)
SPLIT_PLATFORMS = st.sampled_from(["mastodon", "bluesky", "x", "threads", "linkedin"])


def _bodies(text: str, parts: list[str]) -> list[str]:
    if len(parts) == 1:
        return parts
    bodies = []
    for i, p in enumerate(parts, 1):
        m = NUMBER.search(p)
        assert m and (int(m.group(1)), int(m.group(2))) == (i, len(parts)), p[-20:]
        bodies.append(p[: m.start()])
    return bodies


def _positions(text: str, bodies: list[str]) -> list[tuple[int, int]]:
    """Where each body sits in the original (bodies are slices, in order, separated by blank space)."""
    spans, pos = [], 0
    for body in bodies:
        start = text.find(body, pos)
        assert start >= 0, "a part is not a slice of the text"
        assert not text[pos:start].strip(), "something other than blank space was dropped"
        spans.append((start, start + len(body)))
        pos = start + len(body)
    assert not text[pos:].strip()
    return spans


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXTS, SPLIT_PLATFORMS, st.integers(40, 600), st.booleans())
def test_split_thread_properties(text: str, platform: str, lim: int, numbered: bool) -> None:
    parts = split_thread(text, platform, limit=lim, numbered=numbered)
    assert parts == split_thread(text, platform, limit=lim, numbered=numbered)  # deterministic
    if fits(text, platform, lim):
        assert parts == [text]
        return
    assert parts, "at least one part"
    bodies = _bodies(text, parts) if numbered else parts
    # Every word is kept, in order: only blank space at the cuts goes.
    assert "".join(text.split()) == "".join("".join(b.split()) for b in bodies)
    spans = _positions(text, bodies) if any(b for b in bodies) else []
    urls = find_urls(text, schemeless=platform in ("x", "threads", "bluesky"))
    for part, body in zip(parts, bodies):
        if fits(part, platform, lim):
            continue
        # The one allowed exception: a URL longer than a part, where URLs count in full (with at
        # most a grapheme cluster glued to it, like a prepended mark U+0600).
        assert platform in ("bluesky", "threads", "linkedin")
        assert any(u.value in body and graphemes(body.replace(u.value, "", 1)) <= 2 for u in urls), body[:60]
    # Cuts fall on grapheme-cluster boundaries and outside URLs, mentions and hashtags.
    boundaries = {m.start() for m in _CLUSTER.finditer(text)} | {len(text)}
    whole = [e for e in urls + find_mentions(text) + find_hashtags(text) if len(e.value) < lim // 3]
    cuts = {p for span in spans for p in span}
    for c in cuts:
        assert c in boundaries, f"cut inside a grapheme cluster at {c}"
        assert not any(e.start < c < e.end for e in whole), f"cut inside an entity at {c}"


_EMOJI = regex.compile(r"[\p{Extended_Pictographic}\p{Regional_Indicator}\u20e3]")


def _x_weight(c: str) -> int:
    cp = ord(c)
    light = cp <= 0x10FF or 0x2000 <= cp <= 0x200D or 0x2010 <= cp <= 0x201F or 0x2032 <= cp <= 0x2037
    return 1 if light else 2


def _bluesky_shown(text: str) -> str:
    out, pos = "", 0
    for u in find_urls(text, schemeless=True):
        out += text[pos : u.start] + display_url(u.value)
        pos = u.end
    return out + text[pos:]


def reference_count(text: str, platform: str, cw: str = "") -> int:
    """The counting rules written the slow, obvious way: one grapheme cluster at a time."""
    if platform == "bluesky":
        text = _bluesky_shown(text)
    clusters = regex.findall(r"\X", text)
    counting = registry.get(platform).counting
    if platform == "bluesky" or (counting.unit == "graphemes" and counting.links == "full"):
        return len(clusters)  # links as written (Bluesky's as shown)
    if platform == "threads":
        return sum(len(c.encode()) if _EMOJI.search(c) else 1 for c in clusters)
    if counting.unit == "utf16":
        return len(text.encode("utf-16-le")) // 2
    if platform == "mastodon":
        out, pos = "", 0
        for u in sorted(find_urls(text) + find_mentions(text), key=lambda e: e.start):
            keep = "x" * 23 if u.value.startswith("http") else "@" + u.value[1:].split("@")[0]
            out += text[pos : u.start] + keep
            pos = u.end
        return len(regex.findall(r"\X", cw + out + text[pos:]))
    nfc = unicodedata.normalize("NFC", text)
    total, pos = 0, 0
    for u in find_urls(nfc, schemeless=True) + [None]:
        end = len(nfc) if u is None else u.start
        for c in regex.findall(r"\X", nfc[pos:end]):
            total += 2 if len(c) > 1 and _EMOJI.search(c) else sum(map(_x_weight, c))
        if u is not None:
            total, pos = total + 23, u.end
    return total


@settings(max_examples=300, deadline=None)
@given(TEXTS, st.sampled_from(PLATFORMS), st.text(max_size=8))
def test_count_matches_the_reference_rules(text: str, platform: str, cw: str) -> None:
    assert count(text, platform, content_warning=cw) == reference_count(text, platform, cw)
    if platform == "bluesky":
        assert measure(text, platform).bytes == len(_bluesky_shown(text).encode())


@settings(max_examples=200, deadline=None)
@given(TEXTS, st.sampled_from(PLATFORMS), st.text(max_size=30))
def test_count_and_findings_never_raise_and_spans_stay_inside(text: str, platform: str, cw: str) -> None:
    n = count(text, platform, content_warning=cw)
    assert n >= 0
    m = measure(text, platform, content_warning=cw)
    assert m.count == n
    fs = findings(text, platform, content_warning=cw)
    assert fs == sorted(fs, key=lambda f: (f.start, f.end, f.rule))
    for f in fs:
        assert 0 <= f.start <= f.end <= len(text)
        assert f.rule == f"length.{platform}" and f.category == "length"
        assert f.severity in ("info", "warning", "error")
    assert bool(fs) == (not m.fits)
