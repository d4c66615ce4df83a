"""The draft file format: TOML front matter between `+++` lines, then the body, byte for byte.

    +++                      <- line 1, exactly `+++`
    schema = 1               <- TOML (written by tomli-w, read by tomllib)
    id = "20250101-120000-ab12"
    ...
    +++                      <- the FIRST later line that is `+++` closes the front matter
    The body starts after exactly one newline and runs to the end of the file, unchanged.

Why a `+++` line in the body is safe: tomli-w never writes a raw newline inside a value (newlines,
CR and control characters become escapes), so no line of the front matter we write can be `+++`;
the first `+++` line after the opening one is therefore always ours, and everything after it is
body. We never strip, normalise or re-encode the body: CRLF, lone CR, trailing spaces, blank lines,
NUL and a missing final newline all come back as they were written.

Files written by hand are read leniently: a UTF-8 byte-order mark is skipped, the fences may end with
CRLF and carry trailing blanks, and a file that does not start with `+++` is all body (a plain
Markdown note). What cannot be read raises `FrontMatterError` with the line number in the file.
"""

from __future__ import annotations

import re
from typing import Any

from composer import safetoml

FENCE = b"+++"
BOM = b"\xef\xbb\xbf"


class FrontMatterError(ValueError):
    """The bytes cannot be split or parsed. `line` is 1-based in the file, or None."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


def clean_text(text: str) -> str:
    """`text` with lone surrogates (which UTF-8 cannot hold) replaced by U+FFFD.

    A str from a terminal or a paste can in rare cases carry half of a surrogate pair; rather than
    refuse to save (and lose the draft), that one character becomes the replacement character."""
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


def dump(meta: dict[str, Any], body: str) -> bytes:
    """The file's bytes for front matter `meta` and `body` (body kept exactly)."""
    import tomli_w  # on the first write: opening the composer on a new draft writes nothing

    toml = tomli_w.dumps(meta).encode("utf-8")
    if toml and not toml.endswith(b"\n"):
        toml += b"\n"
    return FENCE + b"\n" + toml + FENCE + b"\n" + clean_text(body).encode("utf-8")


def _is_fence(line: bytes) -> bool:
    """`line` (without its \\n) is a `+++` fence: exactly +++, allowing a CR and trailing blanks."""
    return line.rstrip(b" \t\r") == FENCE


def split(data: bytes) -> tuple[bytes | None, bytes, int]:
    """(front matter bytes or None, body bytes, file line where the front matter starts).

    Raises FrontMatterError when an opening fence has no closing one."""
    if data.startswith(BOM):
        data = data[len(BOM):]
    first_nl = data.find(b"\n")
    first = data if first_nl < 0 else data[:first_nl]
    if not _is_fence(first):
        return None, data, 0
    if first_nl < 0:
        raise FrontMatterError("the file is only an opening `+++` line: the front matter has no end", 1)
    pos = first_nl + 1
    start = pos
    while True:
        nl = data.find(b"\n", pos)
        line = data[pos:] if nl < 0 else data[pos:nl]
        if _is_fence(line):
            body = b"" if nl < 0 else data[nl + 1:]
            return data[start:pos], body, 2
        if nl < 0:
            raise FrontMatterError(
                "the front matter opened with `+++` on line 1 has no closing `+++` line; "
                "add a line with just +++ after the settings",
                1,
            )
        pos = nl + 1


def _decode(data: bytes, line_offset: int, what: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = line_offset + data.count(b"\n", 0, err.start)
        raise FrontMatterError(
            f"{what} is not valid UTF-8 (byte 0x{data[err.start]:02x}); save the file as UTF-8", line
        ) from None


def check_text(data: bytes, *, strict: bool = False) -> None:
    """Raise FrontMatterError (one message, with its line) when `data` is not a text draft: text
    that is not UTF-8, or a binary file (not UTF-8, with NUL bytes; with `strict`, any NUL byte).
    The one wording for the composer, `humane check`, `humane post` and the drafts commands alike.
    (A draft the composer wrote may hold a NUL the writer pasted: it reads back, so only `strict`
    faces that are handed an unknown file refuse it.)"""
    nul = data.find(b"\x00")
    try:
        data.decode("utf-8")
        bad = None
    except UnicodeDecodeError as err:
        bad = err
    if nul >= 0 and (bad is not None or strict):
        raise FrontMatterError(
            "looks like a binary file (it contains NUL bytes), not a text draft; give a UTF-8 Markdown draft",
            data.count(b"\n", 0, nul) + 1,
        )
    if bad is not None:
        raise FrontMatterError(
            f"not UTF-8 text (byte 0x{data[bad.start]:02x}); save the file as UTF-8 and try again",
            data.count(b"\n", 0, bad.start) + 1,
        )


def parse(data: bytes) -> tuple[dict[str, Any], str, bool, int]:
    """(front matter dict, body text, whether the file had front matter, first front-matter line)."""
    check_text(data[3:] if data.startswith(b"\xef\xbb\xbf") else data)
    fm, body_bytes, fm_line = split(data)
    meta: dict[str, Any] = {}
    if fm is not None:
        toml = _decode(fm, fm_line, "the front matter")
        try:
            meta = safetoml.loads(toml)
        except safetoml.TOMLError as err:
            line = err.line + fm_line - 1 if err.line is not None else None
            if not err.syntax:  # TOML, but a value no reader can take
                raise FrontMatterError(f"in the front matter, {err.message}", line) from None
            column = f" (column {err.column})" if err.column is not None else ""
            raise FrontMatterError(f"the front matter is not valid TOML: {err.message}{column}", line) from None
    body_line = 1 if fm is None else fm_line + fm.count(b"\n") + 1
    body = _decode(body_bytes, body_line, "the body")
    return meta, body, fm is not None, fm_line


def key_line(data: bytes, key: str) -> int | None:
    """Best-effort file line of `key = ...` in the front matter (for error messages), or None."""
    try:
        fm, _, fm_line = split(data)
    except FrontMatterError:
        return None
    if fm is None:
        return None
    pat = re.compile(rb"^\s*[\"']?" + re.escape(key.encode()) + rb"[\"']?\s*=")
    for i, line in enumerate(fm.split(b"\n")):
        if pat.match(line):
            return fm_line + i
    return None
