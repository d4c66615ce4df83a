"""`humane post PATH --to ACCOUNT...`: publish a draft without the UI.

The same gate as the composer (`composer.publish.check_publish`): guideline errors stop the post
(exit 2, printed as `humane check` prints them), warnings are shown and the post goes on. Then the draft goes to every account at once
(`composer.publish.publish_draft`), each account's result is saved into the draft file as it
arrives, and one line per account says where the post is, or what went wrong and what to do.
Exit 0: all published; 1: some failed or wait in the outbox; 2: bad usage, unreadable draft, or
guideline errors.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from composer.config import Config
    from composer.drafts import Draft
    from composer.guidelines.model import Report
    from composer.publish import PublishCheck


def register(subparsers: Any) -> None:
    from composer.commands import command

    parser = command(
        subparsers, "post", run,
        help="publish a draft to one or more accounts",
        description=(
            "Publish a draft file to the accounts named with --to, all at once. Guideline errors stop "
            "it; warnings are shown. Prints one line per account: the post's address, or what went "
            "wrong and what to do. Exit 0: all published; 1: some failed or wait in the outbox; "
            "2: bad usage, unreadable draft, or guideline errors."
        ),
        draft="PATH",
    )
    parser.add_argument(
        "--to", dest="to", metavar="ACCOUNT", nargs="+", action="extend", required=True,
        help="account names from config.toml (see `humane accounts list`)",
    )


def run(args: argparse.Namespace) -> int:
    from composer.commands import UsageError, load_config_or_usage, load_draft
    from composer.publish import check_publish

    config = load_config_or_usage()
    store, draft = load_draft(args.path)
    check = check_publish(draft, args.to, config)
    if check.blocker == "empty":
        raise UsageError(f"{draft.path or args.path}: the draft is empty; write something first.")
    if stopped_by_checks(draft, check, "not published", "fix the errors above (or change their severity in config.toml)"):
        return 2
    if check.blocker == "already-published":  # nothing to send: say where it is, as a publish would
        return _print_results(store, draft, list(check.accounts), dict(draft.deliveries), {})
    if check.blocker is not None:
        raise UsageError(check.message)

    import asyncio

    return asyncio.run(_publish(store, draft, list(check.accounts), config))


# --------------------------------------------------------------------------- checks


def body_line(draft: Draft) -> int:
    """The file line where the body starts (findings are given as file positions)."""
    if draft.path is None:
        return 1
    try:
        from composer.drafts import frontmatter

        fm, _body, fm_line = frontmatter.split(draft.path.read_bytes())
    except Exception:
        return 1
    return 1 if fm is None else fm_line + fm.count(b"\n") + 1


def stopped_by_checks(draft: Draft, check: PublishCheck, not_done: str, fix: str) -> bool:
    """Print the gate's findings (as `humane check` does); when the checks stopped it (a guideline
    error, or the checks could not run), say so on stderr (`humane: NOT_DONE: FIX`) and return True."""
    if check.report is not None:
        print_findings(draft, check.report)
    if check.blocker not in ("guidelines", "checks"):
        return False
    why = fix if check.blocker == "guidelines" else check.message
    print(f"humane: {not_done}: {why}", file=sys.stderr)
    return True


def print_findings(draft: Draft, report: Report) -> None:
    """The warnings and errors, to stderr, as `humane check` prints findings
    (`path:line:col: severity rule: message`)."""
    from composer.lines import LineIndex

    where = str(draft.path or draft.id)
    first = body_line(draft)
    lines = LineIndex(draft.body)
    for finding in report.findings:
        if finding.severity not in ("warning", "error"):
            continue
        line, col = lines.line_col(finding.start, first)
        message = " ".join(finding.message.split())
        print(f"{where}:{line}:{col}: {finding.severity} {finding.rule}: {message}", file=sys.stderr)


# --------------------------------------------------------------------------- publishing


async def _publish(store: Any, draft: Draft, names: list[str], config: Config) -> int:
    from composer.accounts import client_opener
    from composer.commands import UsageError
    from composer.drafts import DraftError, DraftNotFound
    from composer.publish import run_publish

    async with client_opener(config) as opener:
        try:
            run = await run_publish(store, draft, names, opener)
        except (DraftNotFound, DraftError) as err:
            raise UsageError(" ".join(str(err).split())) from None
        except OSError as err:
            where = draft.path or draft.id
            print(f"humane: {where}: cannot write the results into the draft ({err.strerror or err}); "
                  "nothing was sent.", file=sys.stderr)
            return 1
        except Exception as err:  # a bug of ours: still one line, and what to do
            print(
                f"humane: publishing stopped unexpectedly ({type(err).__name__}: {' '.join(str(err).split())[:200]}). "
                f"Some accounts may have the post: see `humane drafts show {draft.id}` and check them "
                "before trying again.",
                file=sys.stderr,
            )
            return 1
    return _print_results(store, draft, names, run.deliveries, run.problems)


def _print_results(
    store: Any, draft: Draft, names: list[str], results: dict[str, Any], problems: dict[str, str]
) -> int:
    """One line per account; exit 0 when every one is published, else 1."""
    in_store = draft.path is not None and draft.path.parent == store.drafts_dir
    ok = True
    for name in names:
        line, good = result_line(name, results.get(name), problems.get(name), draft=draft, in_store=in_store)
        ok = ok and good
        print(line)
    return 0 if ok else 1


def result_line(name: str, delivery: Any, problem: str | None, *, draft: Any, in_store: bool) -> tuple[str, bool]:
    """One line for one account: the URL, or what went wrong and what to do; and whether it is sent."""
    from composer.words import COMMAND_LINE, delivery_words

    if problem is not None:
        return f"{name}: not published: {problem}", False
    if delivery is None:
        return f"{name}: not published (no result was recorded).", False
    if delivery.status == "sending":  # claimed by another run: its outcome is not ours to tell
        return f"{name}: another run is sending it right now; see `humane outbox list`.", False
    voice = COMMAND_LINE
    if not in_store:
        voice = voice.but(
            queued=f"Run `humane post {draft.path} --to {name}` again to retry (the draft is outside the "
            "drafts folder, so the outbox does not see it)."
        )
    words = delivery_words(delivery, voice)
    return f"{name}: {words.text}", words.state == "sent"
