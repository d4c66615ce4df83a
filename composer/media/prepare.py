"""An attached image made ready for one platform: the only module that imports Pillow.

What is sent is a new image, drawn from the pixels alone, never the file as it is on disk:
- metadata goes: EXIF (GPS position, camera make and model, serial numbers, dates), XMP, IPTC,
  comments and text chunks. A colour profile is applied to the pixels (converted to sRGB) and not
  sent either (a camera's profile can name the camera);
- the EXIF orientation is applied to the pixels first, so a portrait phone photo stays portrait;
- it is scaled down (aspect ratio kept) only as far as the platform's longest side and pixel count
  require, and re-compressed, then scaled further, only as far as its byte limit requires;
- JPEG stays JPEG; a PNG (screenshots, drawings, transparency) stays PNG where the platform takes
  it and it fits, else it becomes a JPEG (transparency over white); GIF and WebP become PNG or
  JPEG the same way (an animated GIF is sent as its first frame).
The file on disk is never changed. A JPEG much larger than the target is decoded at a reduced
scale (libjpeg's DCT scaling), which is what keeps a 12-megapixel photo fast and small in memory.
"""

from __future__ import annotations

import hashlib
import io
from pathlib import Path
from typing import TYPE_CHECKING, Any

from composer.platforms.errors import Rejected
from composer.platforms.records import Image

from .files import inspect

if TYPE_CHECKING:
    from composer.drafts.model import ImageRef
    from composer.registry import Media

JPEG_QUALITIES = (88, 82, 75, 68, 60)
"""Tried in turn until the image fits the byte limit; then it is scaled down by SHRINK and tried again."""
SHRINK = 0.8
MIN_SIDE = 64


def target_size(width: int, height: int, media: Media) -> tuple[int, int]:
    """The largest size within the platform's longest side and pixel count, aspect ratio kept."""
    scale = 1.0
    if media.max_side:
        scale = min(scale, media.max_side / max(width, height))
    if media.max_pixels:
        scale = min(scale, (media.max_pixels / (width * height)) ** 0.5)
    if scale >= 1.0:
        return width, height
    return max(1, int(width * scale)), max(1, int(height * scale))


def fingerprint(path: Path) -> str:
    """A short hash of the file's bytes (ties a part's record to the very image it carries)."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()[:16]


def prepare(ref: ImageRef, draft_path: Path | None, media: Media, *, label: str = "") -> Image:
    """`ref`'s file as `media` takes it. Rejected (naming the image) when it cannot be read."""
    found = inspect(ref, draft_path)
    if not found.ok:
        raise Rejected(f"The image {ref.name} cannot be sent: {found.problem}.",
                       hint="Attach it again, or remove it from the draft.")
    try:
        source = fingerprint(found.path)
        data, mime, width, height = encode(found.path, media)
    except Rejected:
        raise
    except (OSError, ValueError, SyntaxError) as err:  # what Pillow raises on a broken file
        raise Rejected(f"The image {ref.name} cannot be read ({err}).",
                       hint="Open it in an image viewer and save it again, or remove it.") from None
    except MemoryError:
        raise Rejected(f"The image {ref.name} is too large to prepare here.",
                       hint="Scale it down first (to about 4000 pixels wide).") from None
    except Exception as err:  # Pillow's own (a decompression bomb, an unknown mode): said, not crashed
        raise Rejected(f"The image {ref.name} cannot be prepared ({type(err).__name__}: {err}).",
                       hint="Save it again as a plain JPEG or PNG, or remove it.") from None
    return Image(data=data, mime=mime, width=width, height=height, alt=ref.alt.strip(), name=ref.name, source=source)


def encode(path: Path, media: Media) -> tuple[bytes, str, int, int]:
    """(bytes, mime, width, height) of the image at `path`, ready for `media`."""
    from PIL import Image as PILImage
    from PIL import ImageOps

    PILImage.MAX_IMAGE_PIXELS = 200_000_000  # a decompression bomb is refused, a panorama is not
    with PILImage.open(path) as im:
        source_format = im.format
        orientation = _orientation(im)
        w, h = im.size
        if orientation in (5, 6, 7, 8):
            w, h = h, w
        want = target_size(w, h, media)
        if source_format == "JPEG" and want != (w, h):
            box = want if orientation not in (5, 6, 7, 8) else (want[1], want[0])
            im.draft("RGB", box)  # decode at 1/2, 1/4 or 1/8 scale where that still covers the target
        im.seek(0)
        icc = im.info.get("icc_profile")
        pixels: Any = ImageOps.exif_transpose(im) if orientation not in (None, 1) else im.copy()
    pixels = _to_srgb(pixels, icc)
    alpha = pixels.mode in ("RGBA", "LA", "PA") or (pixels.mode == "P" and "transparency" in pixels.info)
    pixels = pixels.convert("RGBA" if alpha else "RGB")
    if pixels.size != want:
        pixels = pixels.resize(want, PILImage.Resampling.LANCZOS, reducing_gap=3.0)
    pixels.info = {}  # nothing of the file's metadata may ride along into the encoder
    keep_png = source_format in ("PNG", "GIF", "WEBP") and "image/png" in media.formats
    while True:
        if keep_png:
            data = _save(pixels, "PNG", optimize=True)
            if len(data) <= media.max_bytes:
                return data, "image/png", pixels.width, pixels.height
        if "image/jpeg" in media.formats:
            flat = _flatten(pixels) if pixels.mode == "RGBA" else pixels
            for quality in JPEG_QUALITIES:
                data = _save(flat, "JPEG", quality=quality, optimize=True, progressive=True)
                if len(data) <= media.max_bytes:
                    return data, "image/jpeg", pixels.width, pixels.height
        elif not keep_png:
            raise Rejected(f"{', '.join(media.formats)} only, and this image cannot be made one of them.")
        if min(pixels.size) * SHRINK < MIN_SIDE:
            raise Rejected(f"The image cannot be made smaller than {media.max_bytes} bytes.",
                           hint="Use a simpler image.")
        smaller = (max(1, int(pixels.width * SHRINK)), max(1, int(pixels.height * SHRINK)))
        pixels = pixels.resize(smaller, PILImage.Resampling.LANCZOS)
        pixels.info = {}


def _orientation(im: Any) -> int | None:
    try:
        value = im.getexif().get(0x0112)
    except Exception:  # a broken EXIF block: no orientation to apply
        return None
    return value if isinstance(value, int) else None


def _to_srgb(im: Any, icc: bytes | None) -> Any:
    """The pixels in sRGB when the file carried a colour profile (which is then left behind)."""
    if not icc or im.mode not in ("RGB", "RGBA", "CMYK"):
        return im.convert("RGB") if im.mode == "CMYK" else im
    try:
        from PIL import ImageCms

        src = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        dst = ImageCms.createProfile("sRGB")
        out_mode = "RGBA" if im.mode == "RGBA" else "RGB"
        return ImageCms.profileToProfile(im, src, dst, outputMode=out_mode) or im
    except Exception:  # an unreadable profile: the pixels as they are
        return im.convert("RGB") if im.mode == "CMYK" else im


def _flatten(im: Any) -> Any:
    from PIL import Image as PILImage

    background = PILImage.new("RGB", im.size, (255, 255, 255))
    background.paste(im, mask=im.getchannel("A"))
    return background


def _save(im: Any, fmt: str, **options: Any) -> bytes:
    out = io.BytesIO()
    im.save(out, fmt, **options)
    return out.getvalue()
