"""Images against the REAL reference PDS (tests/pds): blobs uploaded, the post's
app.bsky.embed.images accepted by the PDS's own lexicon checks, the bytes it keeps free of
metadata and within its limit, the aspect ratio right. Skipped when tests/pds/node_modules is missing."""

from __future__ import annotations

import httpx
import pytest

from composer import registry
from composer.drafts.model import ImageRef
from composer.media.prepare import prepare
from composer.platforms.base import Image, PartRecord, PostOptions, Rejected, digest
from tests.images_helpers import assert_clean, decode, photo
from tests.pds_fixture import PdsInfo, pds  # noqa: F401  (fixture)
from tests.test_bluesky_pds import app_password, client_for, get_record, session  # noqa: F401  (fixtures)

pytestmark = pytest.mark.pds

ALTS = ["A reading room with oak tables and green lamps.", "A red front door with a ramp beside the steps."]


def blob(pds: PdsInfo, cid: str) -> bytes:  # noqa: F811
    r = httpx.get(f"{pds.url}/xrpc/com.atproto.sync.getBlob", params={"did": pds.did, "cid": cid}, timeout=30)
    assert r.status_code == 200, r.text
    return r.content


async def test_two_photos_with_alt_text_and_aspect_ratio(pds, session, http, tmp_path):  # noqa: F811
    big = photo(tmp_path / "room.jpg", (4000, 3000), orientation=6)  # 12 megapixels, held sideways
    door = photo(tmp_path / "door.jpg", (900, 1200))
    media = registry.get("bluesky").media
    images = [prepare(ImageRef(str(p), alt), None, media) for p, alt in zip((big, door), ALTS)]
    client = client_for(session, http)
    records = [PartRecord(key=client.new_part_key(), digest=digest("Open again!", images))]

    async def checkpoint(recs):
        pass

    [done] = await client.publish(["Open again!"], records, PostOptions(), checkpoint, [images])
    value = get_record(pds, done.key)["value"]
    embed = value["embed"]
    assert embed["$type"] == "app.bsky.embed.images"
    assert [i["alt"] for i in embed["images"]] == ALTS
    assert [i["aspectRatio"] for i in embed["images"]] == [{"width": 1500, "height": 2000},
                                                          {"width": 900, "height": 1200}]
    for item in embed["images"]:
        data = blob(pds, item["image"]["ref"]["$link"])
        assert len(data) <= 1_000_000 and item["image"]["size"] == len(data)
        assert_clean(data)
        assert decode(data).size == (item["aspectRatio"]["width"], item["aspectRatio"]["height"])


async def test_the_pds_refuses_a_blob_over_its_limit_that_prepare_avoids(pds, session, http, tmp_path):  # noqa: F811
    """What the 1,000,000-byte limit guards against: the raw photo is refused by the PDS."""
    raw = photo(tmp_path / "raw.jpg", (2000, 1500), noise=50).read_bytes()
    assert 1_000_000 < len(raw) < 5_000_000  # over the image limit, under the PDS's upload limit (5 MB)
    client = client_for(session, http)
    image = Image(data=raw, mime="image/jpeg", width=2000, height=1500, alt="A noisy picture", name="raw.jpg")
    try:
        uploaded = await client.upload(image)
    except Rejected as err:  # refused at upload
        assert "raw.jpg" in str(err)
        print(f"\n[pds] a {len(raw):,}-byte blob is refused at upload: {err}")
        return
    records = [PartRecord(key=client.new_part_key(), digest=digest("Raw", [image]))]

    async def checkpoint(recs):
        pass

    with pytest.raises(Exception) as err:  # refused when the post names it (the lexicon's maxSize)
        client.check_images = _no_check  # type: ignore[method-assign]  (let the raw photo through)
        await client.publish(["Raw"], records, PostOptions(), checkpoint, [[image]])
    assert uploaded.extra["blob"]["size"] <= len(raw)  # (the PDS drops the EXIF block itself: a few bytes fewer)
    assert "blob too big (maximum 1000000" in str(err.value)
    print(f"\n[pds] a {len(raw):,}-byte blob is taken, and the post naming it refused: {err.value}")


async def _no_check(images, records):
    return None
