"""`humane drafts list|show|rm|restore|path`: the drafts on disk."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from composer.commands import action, command_group


def register(subparsers: Any) -> None:
    sub = command_group(
        subparsers, "drafts", "list, show, delete or restore drafts",
        "Manage your drafts: one Markdown file each, with TOML front matter, in the data folder.",
    )
    lst = action(sub, "list", run_list, "list drafts, newest first")
    lst.add_argument("--trash", action="store_true", help="list the drafts in the trash instead")
    show = action(sub, "show", run_show, "show a draft's settings and text", "Show a draft.")
    show.add_argument("id", metavar="ID", help="the draft's id (or its start), or a path to a draft file")
    show.add_argument("--raw", action="store_true", help="print the file exactly as it is on disk")
    action(sub, "rm", run_rm, "move a draft to the trash", takes=("ID",))
    action(sub, "restore", run_restore, "bring a draft back from the trash",
           "Bring a draft back from the trash (see `humane drafts list --trash`).", takes=("ID",))
    action(sub, "path", run_path, "print the folder where drafts live")


def _store() -> Any:
    from composer.drafts import DraftStore

    return DraftStore()


def _short(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _when(dt: Any) -> str:
    return dt.astimezone().strftime("%Y-%m-%d %H:%M")


def _table(rows: list[list[str]]) -> str:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows)


def _write_text(text: str) -> None:
    """Print text exactly (CR, NUL and all), as UTF-8 whatever the locale."""
    sys.stdout.flush()
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:  # pragma: no cover - a replaced stdout
        sys.stdout.write(text)
    else:
        buffer.write(text.encode("utf-8", "surrogatepass"))
        buffer.flush()


def _report_unreadable(errors: list[Any]) -> None:
    for err in errors:
        print(f"humane: skipped unreadable {err}", file=sys.stderr)
        print(f"  its text as it is: humane drafts show {err.path} --raw", file=sys.stderr)


def run_list(args: argparse.Namespace) -> int:
    store = _store()
    drafts = store.list_trash() if args.trash else store.list()
    folder = store.trash_dir if args.trash else store.drafts_dir
    if not drafts:
        if args.trash:
            print(f"The trash is empty ({folder}).")
        else:
            print(f"No drafts yet in {folder}. Run `humane` to write one.")
    else:
        rows = [["ID", "UPDATED", "WORDS", "STATUS", "TITLE", "PURPOSE"]]
        for d in drafts:
            rows.append([d.id, _when(d.updated), str(d.words), d.status,
                         _short(d.title, 40) or "(empty)", _short(d.purpose, 30) or "-"])
        print(_table(rows))
        if args.trash:
            print("\nBring one back with: humane drafts restore ID")
    _report_unreadable(drafts.errors)
    return 0


def _find(store: Any, ref: str) -> Any:
    from composer.commands import UsageError
    from composer.drafts import DraftNotFound

    try:
        return store.resolve(ref)
    except DraftNotFound as err:
        raise UsageError(str(err)) from None


def run_show(args: argparse.Namespace) -> int:
    from composer.drafts import DraftError

    store = _store()
    path = _find(store, args.id)
    if args.raw:
        try:
            data = path.read_bytes()
        except OSError as err:
            from composer.commands import UsageError

            raise UsageError(f"{path}: cannot be read ({err.strerror or err})") from None
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return 0
    try:
        d = store.load(path)
    except DraftError as err:
        print(f"humane: {err}", file=sys.stderr)
        print(f"  The file is left as it is. Its text: humane drafts show {args.id} --raw", file=sys.stderr)
        return 2
    lines = [
        f"id:        {d.id}",
        f"file:      {d.path}",
        f"purpose:   {d.purpose or '(none stated)'}",
        f"accounts:  {', '.join(d.accounts) or '(none chosen)'}",
    ]
    if d.content_warning:
        lines.append(f"warning:   {d.content_warning}")
    for n, image in enumerate(d.images, 1):
        alt = " ".join(image.alt.split())
        lines.append(f"image {n}:   {image.path} - " + (f"alt: {alt}" if alt else "NO ALT TEXT (it is not sent without)"))
    lines += [
        f"created:   {_when(d.created)}",
        f"updated:   {_when(d.updated)}",
        f"words:     {d.words}",
        f"status:    {d.status}",
    ]
    for name, dl in d.deliveries.items():
        detail = dl.url or dl.error or ""
        extra = f" (try {dl.attempts}, next {_when(dl.next_try)})" if dl.status == "queued" and dl.next_try else ""
        lines.append(f"  {name}: {dl.status}{extra}" + (f" - {detail}" if detail else ""))
        for c in dl.history:  # what was deleted or edited after it went out, and when
            lines.append(f"    {c.action} {_when(c.at)}" + (f": {c.note}" if c.note else ""))
    if d.reply_to:
        lines.insert(4, f"answers:   {d.reply_to}")
    print("\n".join(lines))
    print()
    _write_text(d.body)
    if d.body and not d.body.endswith(("\n", "\r")):
        _write_text("\n")
    return 0


def run_rm(args: argparse.Namespace) -> int:
    from composer.commands import UsageError

    store = _store()
    path = _find(store, args.id)
    if path.parent.resolve() != store.drafts_dir.resolve():
        raise UsageError(f"{path} is not in the drafts folder ({store.drafts_dir}); only drafts there go to the trash")
    where = store.delete(path.stem)
    print(f"Moved draft {path.stem} to the trash ({where}).")
    print(f"Bring it back with: humane drafts restore {where.stem}")
    return 0


def run_restore(args: argparse.Namespace) -> int:
    from composer.commands import UsageError
    from composer.drafts import DraftNotFound

    store = _store()
    try:
        path = store.restore(args.id)
    except DraftNotFound as err:
        raise UsageError(str(err)) from None
    except FileExistsError as err:
        raise UsageError(str(err)) from None
    print(f"Restored draft {path.stem} ({path}).")
    return 0


def run_path(args: argparse.Namespace) -> int:
    print(_store().drafts_dir)
    return 0
