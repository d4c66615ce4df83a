"""Purpose: every post says why it exists, in the purpose field or in the text itself.

A post without a purpose is not ready (`error`). A purpose such as "x", "post" or "idk" says
nothing to a reader, so it counts as missing (`purpose.thin`). A post whose text states its
purpose ("Sharing this because…", "PSA:", "Why I'm sharing: …") needs no separate field.
"""

from __future__ import annotations

import re

from .model import Finding

FILLER = frozenset(
    """
    x xx xxx xy y z a an the this that it its is be to of for on in at by so and or but
    post posts posting posted toot tweet skeet thread status update content
    idk dunno dk nah meh hmm hm um uh eh lol lmao rofl haha ok okay k kk yes no yep nope
    test tests testing tst asdf asdfg asdfgh qwerty jkl foo bar baz lorem ipsum
    na none nothing null nil void empty blank tbd tba todo fixme placeholder purpose reason
    why whynot because cause cuz coz bc just stuff things thing whatever something anything
    misc random various general etc idc
    """.split()
)
"""Words that do not say why a post exists. A purpose made only of these is too thin."""

STATED_IN_TEXT = re.compile(
    r"""
    \b(?:psa|public\ service\ announcement|heads[\s-]?up|fyi)\s*[:—–-]
  | \bwhy\ (?:i'?m|i\ am|we'?re|we\ are)\ (?:sharing|posting|writing)\b
  | \b(?:i'?m|i\ am|we'?re|we\ are)\ (?:sharing|posting|writing|asking|telling\ you)\b
        [^.!?\n]{0,40}?\b(?:because|since|so\ that|so|to|in\ case|as)\b
  | \b(?:sharing|posting|writing)\ (?:this|it|these)\b[^.!?\n]{0,30}?
        \b(?:because|since|so\ that|so|to|in\ case|as)\b
  | \b(?:sharing|posting)\ (?:because|since|so\ that|in\ case)\b
  | \bthe\ (?:reason|point)\ (?:i'?m|i\ am|we'?re|for)\ (?:sharing|posting|writing|this)
  | \b(?:purpose|goal|why\ this\ post)\s*:
  | \b(?:asking|posting|sharing)\ (?:for|on\ behalf\ of)\ a\ friend\b
  | \bquestion\ for\ (?:you|everyone|the\ (?:fediverse|timeline|hive\ ?mind))\b
  | \bi\ (?:want|wanted|need|needed)\ to\ (?:share|ask|tell|let\ you\ know|warn|thank|remind)\b
    """,
    re.IGNORECASE | re.VERBOSE,
)
"""Phrases in which a post states its own purpose (matched with typographic apostrophes
turned into plain ones)."""

_WORD_RE = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")


def stated_in_text(text: str) -> bool:
    """Whether the text itself says why it was posted."""
    return STATED_IN_TEXT.search(text.replace("’", "'")) is not None


def is_thin(purpose: str) -> bool:
    """A purpose that says nothing about why the post exists ("x", "post", "idk", "...")."""
    words = [w.lower().replace("’", "'") for w in _WORD_RE.findall(purpose)]
    meaningful = [w for w in words if w not in FILLER and w.replace("'", "") not in FILLER]
    letters = sum(len(w) for w in meaningful)
    if letters >= 3:
        return False
    # Scripts without spaces (Chinese, Japanese): two characters can already be a purpose.
    return not (meaningful and any(ord(ch) > 0x2E80 for w in meaningful for ch in w) and letters >= 2)


def _quote(purpose: str) -> str:
    short = " ".join(purpose.split())
    if len(short) > 40:
        short = short[:39] + "…"
    return f"“{short}”"


def check(text: str, purpose: str | None) -> list[Finding]:
    purpose = (purpose or "").strip()
    if purpose and not is_thin(purpose):
        return []
    if stated_in_text(text):
        return []
    if not purpose:
        rule, message = "purpose.missing", (
            "No purpose stated: a post should tell readers why it exists. Say in a few words "
            "what it is for (inform, ask, thank, warn…), or state it in the text "
            "(\"Sharing this because…\")."
        )
    else:
        rule, message = "purpose.thin", (
            f"The purpose {_quote(purpose)} is too thin to tell a reader why this post exists; "
            "say in a few words what you want it to do (inform, ask, thank, warn…)."
        )
    return [Finding(rule=rule, category="purpose", severity="error", start=0, end=len(text), message=message)]
