"""Photos for the image tests, made with Pillow: a phone photo's metadata (GPS, camera, serial,
XMP, a comment) and its EXIF orientation, so a test can prove what is sent carries none of it."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image

CAMERA = "PixelPhone 9 Pro"
SERIAL = "SN-4711-0815"
COMMENT = b"Holiday at grandma's house"
XMP = (b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
       b'<rdf:Description xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmp:CreatorTool="SecretCam"/></rdf:RDF></x:xmpmeta>')
SECRETS = (CAMERA.encode(), SERIAL.encode(), COMMENT, b"SecretCam", b"GPS", b"Exif", b"http://ns.adobe.com/xap")


def exif(orientation: int = 1) -> Image.Exif:
    data = Image.Exif()
    data[0x010F] = "PhoneMaker"  # Make
    data[0x0110] = CAMERA  # Model
    data[0x0112] = orientation
    data[0xA431] = SERIAL  # BodySerialNumber (in the Exif IFD for real cameras; here in IFD0)
    gps = data.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = (52.0, 31.0, 12.0)
    gps[3] = "E"
    gps[4] = (13.0, 24.0, 36.0)
    return data


def photo(path: Path, size: tuple[int, int] = (4000, 3000), orientation: int = 1, noise: int = 24) -> Path:
    """A JPEG like a phone's: `size` as stored (landscape), EXIF orientation, GPS and camera,
    XMP and a comment; grainy enough to be large (a 12-megapixel one is about 4-6 MB)."""
    w, h = size
    base = Image.linear_gradient("L").resize((w, h)).convert("RGB")
    grain = Image.effect_noise((w, h), noise).convert("RGB")
    im = Image.blend(base, grain, 0.35)
    # a dark square in the top-left corner as stored: where it ends up shows the orientation applied
    im.paste((0, 0, 0), (0, 0, w // 4, h // 4))
    im.save(path, "JPEG", quality=92, exif=exif(orientation), comment=COMMENT, xmp=XMP)
    return path


def png(path: Path, size: tuple[int, int] = (800, 600), alpha: bool = True) -> Path:
    im = Image.new("RGBA" if alpha else "RGB", size, (30, 120, 200, 128) if alpha else (30, 120, 200))
    im.save(path, "PNG", exif=exif())
    return path


def decode(data: bytes) -> Image.Image:
    im = Image.open(io.BytesIO(data))
    im.load()
    return im


def headers(data: bytes) -> bytes:
    """The bytes around the pixels: a JPEG's segments before its scan, a PNG's chunks but IDAT.
    (Short words such as b"GPS" turn up by chance in compressed pixels; they are looked for here.)"""
    if data.startswith(b"\x89PNG"):
        out, pos = [], 8
        while pos + 8 <= len(data):
            length = int.from_bytes(data[pos:pos + 4], "big")
            kind = data[pos + 4:pos + 8]
            if kind != b"IDAT":
                out.append(data[pos:pos + 12 + length])
            pos += 12 + length
        return b"".join(out)
    scan = data.find(b"\xff\xda")
    return data[:scan] if scan > 0 else data


def assert_clean(data: bytes) -> None:
    """No metadata in the bytes: no EXIF block, no camera, serial, GPS, XMP or comment."""
    head = headers(data)
    for secret in SECRETS:
        assert secret not in (data if len(secret) >= 10 else head), f"{secret!r} is still in the uploaded image"
    if data.startswith(b"\xff\xd8"):  # no APP1 (EXIF, XMP), APP13 (IPTC) or COM segment at all
        for marker in (b"\xff\xe1", b"\xff\xed", b"\xff\xfe"):
            assert marker not in head, f"segment {marker.hex()} left in the uploaded JPEG"
    else:
        for chunk in (b"eXIf", b"tEXt", b"iTXt", b"zTXt"):
            assert chunk not in head, f"chunk {chunk!r} left in the uploaded PNG"
    im = decode(data)
    assert not im.getexif(), "EXIF left in the uploaded image"
    assert "comment" not in im.info and "xmp" not in im.info and "icc_profile" not in im.info
