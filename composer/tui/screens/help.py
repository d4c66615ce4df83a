"""F1: what each guideline checks, why it exists, and the keys."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Markdown

from composer.tui import present

HELP = """\
# Humane Composer

Write the post on the left. The sidebar on the right says, while you type, what the rules of humane
posting notice about it. It helps you write; it does not score you. Nothing here counts streaks,
suggests posting times or shows likes.

## The guidelines, and why they exist

**Purpose.** Say why you are sharing this, in the *purpose* field above the text or in the text itself
("Sharing this because…", "PSA:"). A post without a reason competes for someone's attention without
giving anything back. A missing or very thin purpose is an *error*: the post is not ready yet.

**Clickbait.** Copy that withholds something to make people click: hints without the answer ("you
won't believe…", "here's why…"), hype, counts instead of content ("17 things…"), bait questions and
quizzes, hooks aimed at the reader, urgency, and asking for likes and shares. Readers learn to distrust
it. A post that gives its answer, a link with a plain description, thanks, or a real question to your
readers is fine. The check is a second reader, not a judge: a model trained on real posts judged by
readers says how likely bait is. It *warns* only where it is fairly sure (about two in three of its
warnings are posts readers called bait), names the words that weighed most and what to write instead;
weaker evidence is only a hint. If you disagree, keep your words.

**Personal information.** Revealing personal information about anyone is not OK: make sure it is
yours to share, and that you want it public for good, since posts are copied and archived. Looked for:
phone numbers of every country (as each country writes them; `phone_region` in config.toml is yours),
e-mail addresses, also written as "name dot surname at example dot org" or "user [at] example
[dot] com"; a home address (not a museum's or a venue's), exact coordinates, an IP address, a date of
birth or a school or workplace with a time, when tied to a person. *Errors*, which stop publishing:
card numbers (Luhn), IBANs (mod-97), an account number with its sort code, routing number (ABA), BLZ,
BSB, IFSC or agência; passport numbers; national ids by their structure and check digits: US SSN, UK
National Insurance, Canadian SIN, Brazilian CPF, Spanish DNI/NIE, French NIR, Italian codice fiscale,
Dutch BSN, Polish PESEL, Swedish personnummer, Finnish HETU, Indian Aadhaar and PAN, Chinese resident
ID, Mexican CURP and CLABE. Your own number or address? Highlight it in the findings list and press
**A**, or put the cursor on it and choose *Mine to share* in Ctrl+P: it joins `[guidelines] allow`
in config.toml, for every post (delete it there to be warned again); `humane check --allow TEXT`
allows words for one run.

**Obscenity and hate.** Obscene words are flagged so that you choose them on purpose. Slurs and
dehumanising language harm people who never chose to read them; the worst of them block publishing.
Identity words (gay, trans, Black, Jewish, Muslim, …) are never flagged by themselves.

**Shouting.** Runs of capitals that are not acronyms, and !!! or ?!?!. They read as anger, and they
are hard to read for everyone, more so with a screen reader.

**Length.** Each platform counts in its own way (one counts every link as 23 characters, another
counts graphemes, a third emoji as several). The sidebar shows the budget of each account you chose,
and how many parts a thread will take; the part that overflows is shaded in the text.

**Images.** F6 attaches one. Every image needs **alt text**: what it shows, for readers who cannot see
it and for their screen readers. An image without it is an *error* and is never sent; alt text that
only repeats the file name or starts with "image of" is a warning. What is sent is a new copy without
the photo's metadata (GPS position, camera, serial numbers), turned upright and scaled to each
platform's limits; your file is never changed. A line with only `[images]` puts them on that part of
a thread.

**Read time and readability.** An estimate at 238 words a minute (Brysbaert, 2019), and the Flesch
reading ease and grade. A post much harder than its readers is a post few will finish.

Severities: **✖ error** blocks publishing and says why; **▲ warning** is listed once more in the undo
window before sending; **● info** is for you only.

## Keys

| Key | What it does |
| --- | --- |
| Ctrl+J | Publish to the ticked accounts, after a short undo window (Esc cancels) |
| Ctrl+S | Save now (drafts also save themselves while you type) |
| Ctrl+G or F4 | Edit the text in your own `$VISUAL` / `$EDITOR` |
| F6 | Attach an image, with its alt text (the list under the text edits or removes one) |
| F8 | Go to the next finding |
| F9 | Show or fold the sidebar (it folds by itself below 70 columns; findings stay marked in the text) |
| Tab / Shift+Tab | Move between the purpose, the text, the findings and the accounts |
| Esc | From the findings or the accounts, back to the text |
| Ctrl+N | A new draft |
| Ctrl+O or F2 | Your drafts: open, new, delete (with undo) |
| F3 | Your accounts: add one (n), verify (v, a), remove (Delete) |
| F5 | Replies to your posts, calmly: Enter opens a folded one, R answers, F5 asks again |
| Ctrl+P | Every command, searchable |
| F1 | This help |
| Ctrl+Q | Quit (the draft is saved first) |

In the text: Ctrl+Z undo, Ctrl+Y redo, Ctrl+X/C/V cut, copy, paste.

No key you type is lost: typed where it cannot go (the findings, an account, the drafts or accounts
list), it goes to the text you were in. Enter or a click ticks an account; Space types a space.
Typing during the undo window cancels the publish; typing while a post goes out waits and follows.

## Accounts

Secrets live in your system's keyring, never in files. Add an account with F3, then n (the form
knows each platform; """ + present.BROWSER_LOGINS + """ can log in through the browser), or in a terminal:

```
""" + "\n".join(line.strip() for line in present.ADD_ACCOUNT_COMMANDS.splitlines()) + """
```

Where each secret comes from (the README's "Accounts and where each token comes from" has the steps
for each):

""" + "\n".join(f"- {line.strip()}" for line in present.SECRET_SOURCES.splitlines()) + """

A post the composer could not confirm (the answer was lost, or the platform says it was published
but cannot find it) waits for you in the publish panel: check the account, then choose **Mark as sent**
if it is there, or **Resend anyway** if it is not.

Posts that cannot go out now (offline, server trouble) wait in the outbox:
`humane outbox list` shows them, `humane outbox flush` sends them.

## Replies, answers and corrections

F5 lists the replies to your published posts, grouped by post, the oldest unread first, with no
counts of likes or followers. A reply with hate, obscene language or someone's personal information
is **folded**: one line says why, and its words show only when you open it (Enter). R starts a draft
that answers the reply under the cursor; it is checked and published like any other post.

In Ctrl+P, *Delete the published post* withdraws what the open draft published (it asks first and
says what goes where), and *Publish the correction* edits the post in place where the platform can
(""" + present.EDITS_IN_PLACE + """); elsewhere it offers to delete it and publish the correction anew, whose replies are then
detached. The draft keeps a record of every deletion and edit.
"""


class HelpScreen(ModalScreen[None]):
    """The help, over the composer."""

    RETURN_ON_TYPING = True
    """A typed key that is not one of this screen's own goes back to the text (composer/tui/keys.py)."""

    BINDINGS = [
        Binding("escape,f1,q", "dismiss", "Close help", id="close-help"),
    ]

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 90%; max-width: 100; height: 90%;
        border: round $primary; background: $surface; padding: 0 1;
    }
    """

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-scroll"):
            yield Markdown(HELP, id="help-text")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#help-scroll").focus()

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(None)
