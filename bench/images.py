"""Preparing a phone photo for Bluesky: time and peak memory, and the upload to a fake PDS.

A 12-megapixel JPEG (4000x3000, grainy like a phone photo, EXIF orientation 6, GPS and camera
metadata; about 4 MB) is made once. Each run starts a fresh Python process that imports the
preparation code, then prepares the photo for Bluesky (`composer.media.prepare.prepare`: orientation
applied, scaled to 2000 px on the long side, metadata dropped, within 1,000,000 bytes) and uploads
it to a `FakeBluesky` on 127.0.0.1 (`BlueskyClient.upload`, a real uploadBlob over HTTP). The
process reports its times and its resident memory (peak, and before the preparation): the photo's
pixels live in Pillow's C memory, which tracemalloc does not see, so the kernel's count is used
(VmHWM, the process's own high-water mark).

Also checks that starting `humane check` does not import Pillow (it is only imported when an image
is prepared).

    python3 bench/images.py [--runs N] [--quick]

Targets (issue 13): preparation under 1 s and peak memory under 150 MB. `--quick` makes one run and
does not judge (exit 0); otherwise exit 1 when a median misses its target.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGET_SECONDS = 1.0
TARGET_MB = 150.0

CHILD = r"""
import asyncio, json, sys, time
sys.path.insert(0, {root!r})
def rss_mb(field="VmRSS:"):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field):
                return int(line.split()[1]) / 1024
t0 = time.perf_counter()
from composer import registry
from composer.drafts.model import ImageRef
from composer.media.prepare import prepare
from composer.platforms.base import AccountInfo
from composer.platforms.bluesky import BlueskyClient
from composer.platforms.http import new_http_client
from tests.fakes.bluesky import FakeBluesky
import PIL.Image  # (imported by prepare on first use; here, so that its import is not in the figure)
before = rss_mb()
t1 = time.perf_counter()
image = prepare(ImageRef({photo!r}, "A reading room"), None, registry.get("bluesky").media)
t2 = time.perf_counter()
peak = rss_mb("VmHWM:")  # (not ru_maxrss: Linux carries it over from the parent across exec)
async def upload():
    with FakeBluesky() as pds:
        pds.add_account("alice.test", "pw", app_password="abcd-efgh-ijkl-mnop")
        async with new_http_client() as http:
            info = AccountInfo("sky", "bluesky", server=pds.url, handle="alice.test")
            secret, info = await BlueskyClient.login(http, info, lambda p, s: "abcd-efgh-ijkl-mnop")
            client = BlueskyClient(info, secret, http)
            t = time.perf_counter()
            await client.upload(image)
            return time.perf_counter() - t
up = asyncio.run(upload())
print(json.dumps({{"prepare": t2 - t1, "upload": up, "peak_mb": peak, "before_mb": before,
                  "bytes": len(image.data), "size": [image.width, image.height]}}))
"""


def make_photo(folder: Path) -> Path:
    from tests.images_helpers import photo

    return photo(folder / "phone.jpg", (4000, 3000), orientation=6)


def one_run(photo: Path) -> dict:
    code = CHILD.format(root=str(ROOT), photo=str(photo))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    return json.loads(out.stdout.strip().splitlines()[-1])


def pillow_at_start() -> bool:
    code = ("import sys; sys.argv=['humane','check','-']; import composer.cli as c; "
            "import io; sys.stdin=io.StringIO('hello'); \n"
            "try:\n    c.main()\nexcept SystemExit:\n    pass\n"
            "print('PIL' in sys.modules, file=sys.stderr)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    return out.stderr.strip().splitlines()[-1] == "True"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="one run; do not judge")
    args = parser.parse_args()
    runs = 1 if args.quick else max(1, args.runs)
    with tempfile.TemporaryDirectory() as tmp:
        photo = make_photo(Path(tmp))
        print(f"photo: 4000x3000 JPEG, {photo.stat().st_size / 1e6:.1f} MB, EXIF orientation 6, GPS and camera")
        results = [one_run(photo) for _ in range(runs)]
    prep = statistics.median(r["prepare"] for r in results)
    upload = statistics.median(r["upload"] for r in results)
    peak = statistics.median(r["peak_mb"] for r in results)
    before = statistics.median(r["before_mb"] for r in results)
    last = results[-1]
    print(f"prepared for Bluesky: {last['size'][0]}x{last['size'][1]}, {last['bytes']:,} bytes (limit 1,000,000)")
    print(f"prepare (median of {runs}): {prep * 1000:.0f} ms (target < {TARGET_SECONDS * 1000:.0f} ms)")
    print(f"upload to a fake PDS (median): {upload * 1000:.0f} ms")
    print(f"prepare + upload: {(prep + upload) * 1000:.0f} ms")
    print(f"peak RSS (median): {peak:.0f} MB (target < {TARGET_MB:.0f} MB); before preparing: {before:.0f} MB; "
          f"the preparation adds {peak - before:.0f} MB")
    at_start = pillow_at_start()
    print(f"Pillow imported by `humane check`: {'yes (it should not be)' if at_start else 'no'}")
    if args.quick:
        return 0
    ok = prep < TARGET_SECONDS and peak < TARGET_MB and not at_start
    print("verdict:", "meets the targets" if ok else "MISSES a target")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
