"""Images: the draft's [[images]], the checks (alt text above all), placing them on a thread,
preparing them (metadata gone, orientation kept, within each platform's limits), and publishing
them to the fake Mastodon and Bluesky servers through the real clients and publish_draft."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from composer import registry
from composer.analysis import run_analysis
from composer.drafts import DraftStore
from composer.drafts.model import ImageRef
from composer.drafts.store import DraftError
from composer.media import checks
from composer.media.files import inspect
from composer.media.plan import TooManyImages, place, split_with_marker, strip_marker
from composer.media.prepare import prepare, target_size
from composer.platforms.base import AccountInfo, Rejected, Secret
from composer.platforms.bluesky import BlueskyClient
from composer.platforms.http import new_http_client
from composer.platforms.mastodon import MastodonClient
from composer.publish import publish_draft
from tests.fakes.bluesky import FakeBluesky
from tests.fakes.mastodon import FakeMastodon
from tests.images_helpers import SECRETS, assert_clean, decode, photo, png

TOKEN = "tok-IMAGES-2b7c9d"
APP_PW = "abcd-efgh-ijkl-mnop"
ALT_ROOM = "The reading room after the renovation: oak tables, green lamps, tall windows."
ALT_DOOR = "The new front door, painted red, with a ramp beside the steps."


@pytest.fixture(scope="module")
def big_photo(tmp_path_factory) -> Path:
    """A 12-megapixel phone photo held sideways (EXIF orientation 6), with GPS and camera."""
    return photo(tmp_path_factory.mktemp("photos") / "room.jpg", (4000, 3000), orientation=6)


@pytest.fixture
def small_photos(tmp_path) -> list[Path]:
    return [photo(tmp_path / f"p{i}.jpg", (640, 480)) for i in range(6)]


# ---------------------------------------------------------------------- the draft file


def test_images_round_trip_through_the_front_matter(tmp_path) -> None:
    store = DraftStore(tmp_path)
    draft = store.new(body="Open again.")
    draft.images = [ImageRef("room.jpg", ALT_ROOM), ImageRef("/abs/door.png", "")]
    path = store.save(draft)
    text = path.read_text()
    assert '[[images]]\npath = "room.jpg"' in text and f'alt = "{ALT_ROOM}"' in text
    again = store.load(draft.id)
    assert again.images == draft.images
    assert again.images[0].resolve(path) == path.parent / "room.jpg"
    assert again.images[1].resolve(path) == Path("/abs/door.png")


def test_a_hand_written_images_list_is_read_and_a_bad_one_named(tmp_path) -> None:
    path = tmp_path / "note.md"
    path.write_text('+++\n[[images]]\npath = "a.jpg"\nalt = "A cat"\n\n[[images]]\npath = "b.jpg"\n+++\nHi\n')
    draft = DraftStore(tmp_path).load(path)
    assert draft.images == [ImageRef("a.jpg", "A cat"), ImageRef("b.jpg", "")]
    path.write_text('+++\n[[images]]\nalt = "no path"\n+++\nHi\n')
    with pytest.raises(DraftError) as err:
        DraftStore(tmp_path).load(path)
    assert "path" in str(err.value) and str(path) in str(err.value)
    assert err.value.line == 2


# ---------------------------------------------------------------------- files and checks


def test_files_are_found_and_what_cannot_be_sent_is_said(tmp_path) -> None:
    draft_file = tmp_path / "d.md"
    ok = inspect(ImageRef("p.png", "x"), draft_file)
    assert not ok.ok and "does not exist" in ok.problem
    png(tmp_path / "p.png")
    found = inspect(ImageRef("p.png", "x"), draft_file)
    assert found.ok and found.mime == "image/png" and found.size and found.size > 0
    (tmp_path / "h.heic").write_bytes(b"\0\0\0\x18ftypheic" + b"\0" * 32)
    assert "HEIC" in inspect(ImageRef("h.heic"), draft_file).problem
    (tmp_path / "t.jpg").write_text("not a picture")
    assert "not an image" in inspect(ImageRef("t.jpg"), draft_file).problem


def test_missing_alt_text_is_an_error_and_weak_alt_text_a_warning(tmp_path) -> None:
    png(tmp_path / "IMG_2041.png")
    draft_file = tmp_path / "d.md"
    refs = [ImageRef("IMG_2041.png", ""), ImageRef("IMG_2041.png", "IMG_2041"),
            ImageRef("IMG_2041.png", "Image of a cat on a mat"), ImageRef("IMG_2041.png", "A cat asleep on a red mat")]
    found = checks.findings("Look!", refs, draft_file)
    rules = [(f.rule, f.severity) for f in found]
    assert rules == [("images.alt-missing", "error"), ("images.alt-file-name", "warning"),
                     ("images.alt-image-of", "warning")]
    assert "alt text" in found[0].message and "IMG_2041.png" in found[0].message
    assert all(f.category == "images" and (f.start, f.end) == (0, 5) for f in found)


def test_limits_of_the_chosen_platforms_are_checked(tmp_path) -> None:
    png(tmp_path / "a.png")
    refs = [ImageRef("a.png", "A blue square")] * 5
    found = checks.findings("Five squares.", refs, tmp_path / "d.md", platforms=("bluesky", "slack", "linkedin"))
    rules = {f.rule: f.message for f in found}
    assert set(rules) == {"images.too-many", "images.not-taken"}
    assert "5 images; Bluesky takes 4" in rules["images.too-many"]
    assert "Slack takes no images" in rules["images.not-taken"]
    long_alt = [ImageRef("a.png", "word " * 220)]  # 1100 characters: Mastodon keeps 1500, Threads 1000
    found = checks.findings("One.", long_alt, tmp_path / "d.md", platforms=("mastodon", "threads"))
    assert [(f.rule, "Threads" in f.message) for f in found] == [("images.alt-too-long", True)]


def test_the_analysis_counts_images_and_not_the_marker_line(tmp_path) -> None:
    png(tmp_path / "a.png")
    text = "x" * 295 + "\n[images]\n"
    from composer.analysis import Target

    plain = run_analysis(1, text, "", targets=[Target("sky", "bluesky")], checked=["sky"])
    assert plain.budgets[0].count == 296 and plain.budgets[0].fits  # the text and its line break
    assert not [f for f in plain.report.findings if f.category == "length"]
    analysis = run_analysis(1, text, "", targets=[Target("sky", "bluesky")], checked=["sky"],
                            images=[ImageRef("a.png", "")], draft_path=tmp_path / "d.md")
    assert analysis.images == 1
    errors = [f for f in analysis.report.errors if f.category == "images"]
    assert [f.rule for f in errors] == ["images.alt-missing"]
    err = errors[0]
    assert text[err.start:err.end] == "[images]"


# ---------------------------------------------------------------------- placing on a thread


def test_images_go_on_the_first_part_or_the_marked_one_and_spill_over() -> None:
    parts = ["One", "Two\n[images]", "Three", "Four"]
    cleaned, slots = place(parts, 6, 4)
    assert cleaned == ["One", "Two", "Three", "Four"]
    assert slots == [[], [0, 1, 2, 3], [4, 5], []]
    assert place(["Only"], 3, 4)[1] == [[0, 1, 2]]
    with pytest.raises(TooManyImages, match="5 images; Bluesky takes 4"):
        place(["Only"], 5, 4, "Bluesky")
    with pytest.raises(TooManyImages, match="room for 4"):
        place(["One", "Two", "Three\n[images]"], 5, 4)


def test_a_text_that_fits_without_the_marker_is_not_split_for_it() -> None:
    def split(text: str) -> list[str]:
        return [text] if len(text) <= 10 else [text[:10], text[10:]]

    assert split_with_marker("abc\n[images]\n", split) == ["abc\n"]
    assert split_with_marker("0123456789\n[images]", split) == ["0123456789", "\n[images]"]
    assert strip_marker("a\n[images]\nb") == "a\nb"


# ---------------------------------------------------------------------- preparing


def test_a_12_megapixel_photo_for_bluesky(big_photo) -> None:
    raw = big_photo.read_bytes()
    assert all(s in raw for s in SECRETS[:4]), "the test photo should carry the metadata"
    media = registry.get("bluesky").media
    assert media is not None
    image = prepare(ImageRef(str(big_photo), ALT_ROOM), None, media)
    assert len(image.data) <= 1_000_000 and image.mime == "image/jpeg"
    assert_clean(image.data)
    im = decode(image.data)
    # held sideways: stored 4000x3000 landscape, shown portrait; scaled to 2000 on the long side
    assert (image.width, image.height) == im.size == (1500, 2000)
    # the stored top-left corner was dark; orientation 6 turns it to the top right
    assert sum(im.getpixel((im.width - 10, 10))) < 60 and sum(im.getpixel((10, 10))) > 200
    assert big_photo.read_bytes() == raw, "the file on disk must never change"


def test_scaled_to_bytes_and_pixels_keeping_the_aspect_ratio(tmp_path) -> None:
    path = photo(tmp_path / "wide.jpg", (3000, 1000), noise=80)
    tight = registry.Media(max_images=4, max_bytes=120_000, max_pixels=1_000_000)
    image = prepare(ImageRef(str(path), "A wide view"), None, tight)
    assert len(image.data) <= 120_000 and image.width * image.height <= 1_000_000
    assert abs(image.width / image.height - 3.0) < 0.01
    assert target_size(4000, 3000, tight) == (1154, 866)


def test_a_png_with_transparency_stays_png_and_loses_its_exif(tmp_path) -> None:
    path = png(tmp_path / "shot.png")
    media = registry.get("mastodon").media
    assert media is not None
    image = prepare(ImageRef(str(path), "A screenshot"), None, media)
    assert image.mime == "image/png" and decode(image.data).mode == "RGBA"
    assert_clean(image.data)
    threads = registry.get("linkedin").media._replace(formats=("image/jpeg",))
    flat = prepare(ImageRef(str(path), "A screenshot"), None, threads)
    assert flat.mime == "image/jpeg"


def test_a_broken_image_is_refused_in_words(tmp_path) -> None:
    path = tmp_path / "broken.jpg"
    path.write_bytes(b"\xff\xd8\xff\xe0" + b"\0" * 100)
    with pytest.raises(Rejected) as err:
        prepare(ImageRef(str(path), "x"), None, registry.get("bluesky").media)
    assert "broken.jpg" in str(err.value)


def test_pillow_is_not_imported_by_the_checks() -> None:
    import subprocess

    code = ("import sys; from composer.analysis import run_analysis; from composer.drafts.model import ImageRef;"
            "run_analysis(1, 'hi', '', images=[ImageRef('x.jpg', '')]); print('PIL' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# ---------------------------------------------------------------------- publishing


@pytest.fixture
def servers():
    with FakeMastodon() as mastodon, FakeBluesky() as bluesky:
        mastodon.add_account("alice", token=TOKEN)
        bluesky.add_account("alice.test", "main-password", app_password=APP_PW)
        yield mastodon, bluesky


async def clients(mastodon: FakeMastodon, bluesky: FakeBluesky, http):
    masto = MastodonClient(AccountInfo("masto", "mastodon", server=mastodon.url), Secret(TOKEN), http)

    def ask(prompt: str, secret: bool) -> str:
        return APP_PW

    secret, info = await BlueskyClient.login(http, AccountInfo("sky", "bluesky", server=bluesky.url, handle="alice.test"), ask)
    return {"masto": masto, "sky": BlueskyClient(info, secret, http)}


def draft_with(tmp_path: Path, body: str, images: list[ImageRef]) -> tuple[DraftStore, str]:
    store = DraftStore(tmp_path / "data")
    draft = store.new(body=body, accounts=["masto", "sky"])
    draft.images = images
    store.save(draft)
    return store, draft.id


async def test_two_photos_with_alt_text_reach_mastodon_and_bluesky(tmp_path, servers, big_photo) -> None:
    mastodon, bluesky = servers
    mastodon.media_processing = 2  # 202, then 206 twice, then 200
    door = photo(tmp_path / "door.jpg", (1200, 1600))
    store, draft_id = draft_with(tmp_path, "The library is open again!",
                                 [ImageRef(str(big_photo), ALT_ROOM), ImageRef(str(door), ALT_DOOR)])
    async with new_http_client() as http:
        result = await publish_draft(store, draft_id, await clients(mastodon, bluesky, http))
    assert {a: d.status for a, d in result.items()} == {"masto": "sent", "sky": "sent"}, result
    [status] = mastodon.posts()
    assert [m["description"] for m in status["media_attachments"]] == [ALT_ROOM, ALT_DOOR]
    uploaded = [m["data"] for m in mastodon.media.values()]
    assert len(uploaded) == 2
    for data in uploaded:
        assert_clean(data)
    assert decode(uploaded[0]).size == (3000, 4000)  # within Mastodon's limits: only turned upright
    [post] = bluesky.posts()
    images = bluesky.images(post)
    assert [alt for alt, _, _ in images] == [ALT_ROOM, ALT_DOOR]
    for _, data, ratio in images:
        assert len(data) <= 1_000_000
        assert_clean(data)
        im = decode(data)
        assert ratio == {"width": im.width, "height": im.height}
    assert images[0][2] == {"width": 1500, "height": 2000}


async def test_more_images_than_a_post_takes_spill_over_the_thread(tmp_path, servers, small_photos) -> None:
    mastodon, bluesky = servers
    body = "The library, in pictures.\n[images]\n" + ("A long story about the library. " * 22).strip()
    refs = [ImageRef(str(p), f"Photo {i} of the library") for i, p in enumerate(small_photos[:5])]
    store, draft_id = draft_with(tmp_path, body, refs)
    async with new_http_client() as http:
        result = await publish_draft(store, draft_id, await clients(mastodon, bluesky, http))
    assert result["sky"].status == "sent", result["sky"].error
    posts = sorted(bluesky.posts(), key=lambda p: p.value["createdAt"])
    counts = [len(p.value.get("embed", {}).get("images", [])) for p in posts]
    assert sum(counts) == 5 and max(counts) == 4
    assert all("[images]" not in p.value["text"] for p in posts)
    assert result["masto"].status == "sent"
    assert sum(len(s["media_attachments"]) for s in mastodon.posts()) == 5


async def test_too_many_images_for_one_post_are_refused_before_anything_is_sent(tmp_path, servers, small_photos) -> None:
    mastodon, bluesky = servers
    refs = [ImageRef(str(p), "A photo of the hall") for p in small_photos[:5]]
    store, draft_id = draft_with(tmp_path, "Short post.", refs)
    async with new_http_client() as http:
        result = await publish_draft(store, draft_id, await clients(mastodon, bluesky, http))
    for d in result.values():
        assert d.status == "failed" and d.error_kind == "rejected"
        assert "5 images" in (d.error or "")
    assert not mastodon.media and not mastodon.posts() and not bluesky.state.blobs and not bluesky.posts()


async def test_a_dropped_answer_is_retried_without_a_second_status(tmp_path, servers, small_photos) -> None:
    mastodon, bluesky = servers
    refs = [ImageRef(str(small_photos[0]), ALT_ROOM), ImageRef(str(small_photos[1]), ALT_DOOR)]
    store, draft_id = draft_with(tmp_path, "Open again.", refs)
    mastodon.inject("drop-after-commit", path="/api/v1/statuses")
    bluesky.inject("drop-after-commit", path="/xrpc/com.atproto.repo.createRecord")
    async with new_http_client() as http:
        targets = await clients(mastodon, bluesky, http)
        first = await publish_draft(store, draft_id, targets)
        assert {d.status for d in first.values()} == {"queued"}
        second = await publish_draft(store, draft_id, targets)
    assert {d.status for d in second.values()} == {"sent"}
    [status] = mastodon.posts()
    assert [m["description"] for m in status["media_attachments"]] == [ALT_ROOM, ALT_DOOR]
    assert second["masto"].url == status["url"]
    [post] = bluesky.posts()
    assert [alt for alt, _, _ in bluesky.images(post)] == [ALT_ROOM, ALT_DOOR]


async def test_a_post_with_other_images_is_not_taken_for_the_lost_one(tmp_path, servers, small_photos) -> None:
    """The Mastodon look-up after a dropped answer matches the images' alt texts too."""
    mastodon, _ = servers
    refs = [ImageRef(str(small_photos[0]), ALT_ROOM)]
    store, draft_id = draft_with(tmp_path, "Open again.", refs)
    async with new_http_client() as http:
        masto = MastodonClient(AccountInfo("masto", "mastodon", server=mastodon.url), Secret(TOKEN), http)
        # the same text went out earlier with another image: it is not this post
        media = await masto.upload(prepare(ImageRef(str(small_photos[1]), ALT_DOOR), None, registry.get("mastodon").media))
        response = await masto._request("POST", "/api/v1/statuses", json={"status": "Open again.", "media_ids": [media.id]})
        assert response.status_code == 200
        mastodon.inject("drop-before", path="/api/v1/statuses")  # never arrives: nothing to find
        first = await publish_draft(store, draft_id, {"masto": masto})
        assert first["masto"].status == "queued"
        second = await publish_draft(store, draft_id, {"masto": masto})
    assert second["masto"].status == "sent"
    posts = mastodon.posts()
    assert len(posts) == 2
    assert [m["description"] for m in posts[-1]["media_attachments"]] == [ALT_ROOM]


async def test_the_client_refuses_an_image_without_alt_text(tmp_path, servers, small_photos) -> None:
    mastodon, _ = servers
    async with new_http_client() as http:
        masto = MastodonClient(AccountInfo("masto", "mastodon", server=mastodon.url), Secret(TOKEN), http)
        image = prepare(ImageRef(str(small_photos[0]), ""), None, registry.get("mastodon").media)
        from tests.platform_helpers import Saved, fresh_records

        with pytest.raises(Rejected, match="no alt text"):
            await masto.publish(["Hi"], fresh_records(MastodonClient, ["Hi"]), __import__("composer.platforms.base", fromlist=["PostOptions"]).PostOptions(), Saved(), [[image]])
    assert not mastodon.media and not mastodon.posts()


def test_settings_weigh_the_advice_but_never_the_missing_alt_text(tmp_path) -> None:
    from composer.guidelines.settings import GuidelineSettings, RuleSetting

    png(tmp_path / "a.png")
    refs = [ImageRef("a.png", ""), ImageRef("a.png", "Photo of a blue square")]
    off = GuidelineSettings(rules={"images": RuleSetting(enabled=False)})
    analysis = run_analysis(1, "Squares.", "", images=refs, draft_path=tmp_path / "d.md", settings=off)
    assert [f.rule for f in analysis.report.findings if f.category == "images"] == ["images.alt-missing"]
    info = GuidelineSettings(rules={"images.alt-image-of": RuleSetting(severity="info")})
    analysis = run_analysis(1, "Squares.", "", images=refs, draft_path=tmp_path / "d.md", settings=info)
    assert {f.rule: f.severity for f in analysis.report.findings if f.category == "images"} == {
        "images.alt-missing": "error", "images.alt-image-of": "info"}


async def test_a_mastodon_server_s_own_media_limits_are_read_and_kept(tmp_path, servers, small_photos) -> None:
    mastodon, _ = servers
    mastodon.media_limits = {"max_media_attachments": 2, "description_limit": 40, "image_size_limit": 50_000,
                             "image_matrix_limit": 200_000}
    async with new_http_client() as http:
        masto = MastodonClient(AccountInfo("masto", "mastodon", server=mastodon.url), Secret(TOKEN), http)
        media = await masto.media_limits()
        assert media is not None
        assert (media.max_images, media.alt_max, media.max_bytes, media.max_pixels) == (2, 40, 50_000, 200_000)
        image = prepare(ImageRef(str(small_photos[0]), "A hall"), None, media)
        assert len(image.data) <= 50_000 and image.width * image.height <= 200_000
        from composer.platforms.base import PostOptions
        from tests.platform_helpers import Saved, fresh_records

        with pytest.raises(Rejected, match="3 images; Mastodon allows 2"):
            await masto.publish(["Hi"], fresh_records(MastodonClient, ["Hi"]), PostOptions(), Saved(), [[image] * 3])
        long_alt = prepare(ImageRef(str(small_photos[0]), "A hall with many chairs stacked by the far wall"), None, media)
        with pytest.raises(Rejected, match="allows 40"):
            await masto.publish(["Hi"], fresh_records(MastodonClient, ["Hi"]), PostOptions(), Saved(), [[long_alt]])
        await masto.publish(["Hi"], fresh_records(MastodonClient, ["Hi"]), PostOptions(), Saved(), [[image] * 2])
    assert [len(s["media_attachments"]) for s in mastodon.posts()] == [2]
