"""Instagram: its caption rules (2,200 characters, at most 30 hashtags) in the length rules, the
checks and the publish gate's words."""

from __future__ import annotations

from composer.guidelines import length

TAGS = " ".join(f"#tag{i}" for i in range(31))


def test_a_caption_is_counted_with_its_hashtags():
    m = length.measure("Our garden in June #garden #june", "instagram")
    assert (m.count, m.limit, m.hashtags, m.hashtag_limit) == (32, 2200, 2, 30) and m.fits
    thirty = length.measure(" ".join(f"#tag{i}" for i in range(30)), "instagram")
    assert thirty.hashtags == 30 and thirty.fits
    over = length.measure("Seeds to share " + TAGS, "instagram")
    assert over.hashtags == 31 and not over.fits and over.binding == "hashtags"
    assert length.measure("x" * 2200, "instagram").fits and not length.measure("x" * 2201, "instagram").fits
    assert length.count("🌱", "instagram") == 2  # UTF-16 units: never fewer than Instagram counts
    assert length.measure("a link https://x.example/#frag and #real", "instagram").hashtags == 1


def test_too_many_hashtags_is_a_finding_that_says_so():
    (finding,) = length.findings("Seeds to share " + TAGS, "instagram")
    assert finding.rule == "length.instagram" and "31 hashtags, 1 over Instagram's 30 per post" in finding.message


def test_other_platforms_do_not_count_hashtags():
    m = length.measure(TAGS, "mastodon")
    assert m.hashtag_limit is None and m.hashtags == 0
