"""`humane check [PATH|-] [--purpose TEXT] [--for PLATFORM...] [--allow TEXT...] [--format text|json]`.

Runs the guidelines on a draft file (TOML front matter between `+++` lines, then the Markdown
body; the purpose and content warning come from the front matter) or on standard input. Text
output is one `path:line:col: severity rule: message` line per finding (line and column of the
span's start in the file, 1-based, front matter lines included), then a summary line. Exit 0 when
nothing is a warning or an error, 1 when something is, 2 for bad usage or unreadable input.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from composer import registry

if TYPE_CHECKING:
    from composer.lines import LineIndex

LENGTH_PLATFORMS = registry.names()
"""Platforms whose length rules `--for` can add (every entry of composer.registry)."""

STDIN_NAME = "<stdin>"


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "check",
        help="check a draft against the guidelines",
        description=(
            "Check a draft file (or standard input) against the rules of humane posting: purpose, "
            "read time and readability, clickbait, shouting, personal information, obscenity and "
            "hate, and with --for the length rules of each platform. Exit status: 0 nothing to fix, "
            "1 warnings or errors, 2 bad usage or unreadable input."
        ),
    )
    p.add_argument("path", nargs="?", metavar="PATH", help="a draft file, or - for standard input (the default when input is piped)")
    p.add_argument("--purpose", metavar="TEXT", help="the post's purpose (overrides the draft's own)")
    p.add_argument(
        "--for",
        dest="platforms",
        metavar="PLATFORM",
        nargs="+",
        action="extend",
        choices=LENGTH_PLATFORMS,
        default=[],
        help=f"add the length rules of these platforms ({', '.join(LENGTH_PLATFORMS)})",
    )
    p.add_argument(
        "--allow",
        metavar="TEXT",
        action="append",
        default=[],
        help=(
            "words that are yours to share (your own phone number or e-mail address, a word you "
            "mean): not flagged in this run; repeat for more. To allow them for good, add them "
            "to [guidelines] allow in config.toml"
        ),
    )
    p.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")
    p.set_defaults(func=run)


class _Input:
    def __init__(self, name: str, full: str, body: str, meta: dict) -> None:
        self.name = name
        self.full = full
        self.body = body
        self.meta = meta
        self.body_offset = len(full) - len(body)
        self._lines: LineIndex | None = None

    def position(self, offset: int) -> tuple[int, int]:
        """(line, column), 1-based, of a body offset, in the file."""
        if self._lines is None:
            from composer.lines import LineIndex

            self._lines = LineIndex(self.full)
        return self._lines.line_col(self.body_offset + offset)


def _read(path: str | None) -> tuple[str, bytes]:
    from composer.commands import UsageError

    if path is None or path == "-":
        if path is None and sys.stdin is not None and sys.stdin.isatty():
            raise UsageError(
                "check: no input; give a draft file (humane check PATH) or pipe text in (… | humane check -)"
            )
        try:
            data = sys.stdin.buffer.read() if sys.stdin is not None else b""
        except OSError as err:
            raise UsageError(f"{STDIN_NAME}: cannot read standard input ({err.strerror or err})") from None
        return STDIN_NAME, data
    from pathlib import Path

    p = Path(path)
    try:
        if p.is_dir():
            raise UsageError(f"{path}: is a directory; give a draft file, such as a .md file inside it")
        data = p.read_bytes()
    except UsageError:
        raise
    except FileNotFoundError:
        raise UsageError(f"{path}: no such file; check the path (or use - to read standard input)") from None
    except PermissionError:
        raise UsageError(f"{path}: permission denied; check the file's permissions") from None
    except IsADirectoryError:
        raise UsageError(f"{path}: is a directory; give a draft file, such as a .md file inside it") from None
    except OSError as err:
        raise UsageError(f"{path}: cannot read it ({err.strerror or err})") from None
    return path, data


def _decode(name: str, data: bytes) -> tuple[str, str, dict]:
    """(whole text, body, front matter) of a draft's bytes, or a one-line UsageError."""
    from composer.commands import UsageError
    from composer.drafts.frontmatter import FrontMatterError, check_text, parse

    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        check_text(data, strict=True)  # the composer and the drafts commands say it in the same words
    except FrontMatterError as err:
        raise UsageError(f"{name}:{err.line}: {err.message}") from None
    full = data.decode("utf-8")

    try:
        meta, body, _had, _line = parse(data)
    except FrontMatterError as err:
        where = f"{name}:{err.line}" if err.line else name
        raise UsageError(f"{where}: {err.message}") from None
    if not full.endswith(body):  # pragma: no cover - parse keeps the body byte for byte
        body = full
    return full, body, meta


def _images(meta: dict) -> list:
    """The `[[images]]` of a draft's front matter (entries without a path are left out: the
    draft store names them when the draft is opened or posted)."""
    from composer.drafts.model import ImageRef

    value = meta.get("images", [])
    value = [value] if isinstance(value, dict) else value
    out = []
    for item in value if isinstance(value, list) else []:
        if isinstance(item, str):
            item = {"path": item}
        if isinstance(item, dict) and isinstance(item.get("path"), str) and item["path"].strip():
            alt = item.get("alt")
            out.append(ImageRef(item["path"], alt if isinstance(alt, str) else ""))
    return out


def _settings():
    from composer.commands import load_config_or_usage

    return load_config_or_usage().guidelines


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def run(args: argparse.Namespace) -> int:
    name, data = _read(args.path)
    full, body, meta = _decode(name, data)
    src = _Input(name, full, body, meta)
    purpose = args.purpose if args.purpose is not None else _text(meta.get("purpose"))
    content_warning = _text(meta.get("content_warning"))
    settings = _settings()
    if args.allow:
        from dataclasses import replace

        extra = tuple(a.strip().lower() for a in args.allow if a.strip())
        settings = replace(settings, allow=tuple(dict.fromkeys(settings.allow + extra)))

    from composer.analysis import check_text
    from composer.guidelines.readability import format_read_time

    images = _images(meta)
    report = check_text(
        body,
        purpose,
        settings=settings,
        platforms=tuple(args.platforms),
        content_warning=content_warning,
        images=images,
        draft_path=None if name == "-" else Path(name).absolute(),
    )
    failing = any(f.severity in ("warning", "error") for f in report.findings)

    if args.format == "json":
        import json

        out = report.to_dict()
        findings = []
        for f in report.findings:
            item = f.to_dict()
            item["line"], item["col"] = src.position(f.start)
            item["end_line"], item["end_col"] = src.position(f.end)
            findings.append(item)
        out["findings"] = findings
        out["path"] = name
        out["purpose"] = purpose
        out["platforms"] = list(dict.fromkeys(args.platforms))
        out["images"] = [{"path": i.path, "alt": i.alt} for i in images]
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return 1 if failing else 0

    lines = []
    for f in report.findings:
        line, col = src.position(f.start)
        message = " ".join(f.message.split())
        lines.append(f"{name}:{line}:{col}: {f.severity} {f.rule}: {message}")
    counts = {s: sum(1 for f in report.findings if f.severity == s) for s in ("error", "warning", "info")}
    summary = f"{report.words} word{'s' if report.words != 1 else ''}, {format_read_time(report.read_time_seconds)} to read"
    if report.readability is not None:
        summary += f", reading ease {report.readability.reading_ease:.0f} (grade {report.readability.grade:.1f})"
    else:
        summary += ", readability not scored (too short, or not English)"
    if images:
        summary += f", {len(images)} image{'s' if len(images) != 1 else ''}"
    tally = ", ".join(f"{n} {s}{'s' if n != 1 and s != 'info' else ''}" for s, n in counts.items())
    lines.append(f"{summary}; {tally}.")
    print("\n".join(lines))
    return 1 if failing else 0
