"""The clickbait check: copy that withholds, hypes, pressures or begs for engagement.

`check(text)` returns one `Finding` per bait pattern it sees, each pointing at the exact words that
triggered it and saying, in plain words, what the pattern is, why it is unkind to readers and what to
write instead. Two layers:

1. Hand-written patterns (curiosity gaps, forward references, hyperbole, listicle leads, bait
   questions, quizzes, second-person hooks, urgency, "must see" copy, engagement bait). They key on
   how bait copy is built, not on topics or a publisher's house style, so they carry over from
   headlines to posts.
2. A small logistic model over lowercased word 1-2-grams (`clickbait.bait-copy`), trained by
   `bench/train_clickbait.py` on the Stop Clickbait headlines (Chakraborty et al., ASONAM 2016) and
   shipped as `data/clickbait_model.json`. Its vocabulary is closed-class words (pronouns,
   determiners, modals, prepositions, question words, intensifiers) and bait words (hype,
   listicle nouns, quiz and reaction words); every other word is seen only by its ending ("_ed",
   "_ing", "_s", ...) and numbers as one token, so it cannot learn topics, names or casing.
   Articles and the first person are left out (they mark the corpus's publishers, and honest
   posts are full of them). It scores each sentence on its own, like a headline; links are
   blanked and an opening section label ("Watch:") is one token. How much evidence a flag needs
   depends on the shape of the text: a title (one sentence, no closing punctuation: headlines and
   headline-style posts) needs the least; a title in the first person much more; a sentence of a
   post must also get its score from at least two bait cues ("you", "these", hype words), and a
   post in the first person, a question or a conversational formula is left to the patterns. Its finding names the words that weighed
   most.

Pure Python, no I/O besides loading the model lazily on the first call; deterministic; never raises.
"""

from __future__ import annotations

import functools
import itertools
import json
import re
from pathlib import Path
from typing import Iterator, NamedTuple

from .model import Finding, Severity

CATEGORY = "clickbait"
DEFAULT_SEVERITY: Severity = "warning"
MODEL_PATH = Path(__file__).with_name("data") / "clickbait_model.json"

# --------------------------------------------------------------------------------------------
# Patterns. `(?P<s>...)` narrows the flagged span when the whole match is wider than the words
# that make it bait; otherwise the whole match is the span. All are matched case-insensitively
# on the original text, so offsets are exact.
# --------------------------------------------------------------------------------------------

_A = "['’]"  # straight or typographic apostrophe
_B = r"(?<![\w'’])"  # word start that is not inside a contraction
_E = r"(?![\w'’])"  # word end

_NUMWORD = (
    r"(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|"
    r"fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|hundred)"
)
_NUM = rf"(?:\d{{1,3}}|{_NUMWORD})"
_LIST_NOUNS = (
    r"(?:things|reasons|ways|times|photos|pictures|pics|images|tweets|posts|gifs|memes|signs|"
    r"facts|tips|tricks|hacks|secrets|lessons|habits|mistakes|moments|struggles|problems|"
    r"questions|quotes|jokes|truths|confessions|celebrities|products|ideas|examples|rules|"
    r"words|places|stories|dishes|recipes|foods|snacks|animals|dogs|cats|kids|parents|"
    r"people|struggles|thoughts|feelings|lies|myths|habits|extensions|apps|tools|books|"
    r"movies|films|shows|songs|hairstyles|outfits|products|gadgets|charts|maps|details|"
    r"celebs|tattoos|looks|reactions|responses|comments|texts|celebs|couples|guys|girls|"
    r"women|men|dads|moms|mums|brands|jobs|steps|secrets|rules|phrases|sentences)"
)
_HYPE = (
    r"(?:best|worst|greatest|funniest|cutest|weirdest|craziest|strangest|scariest|"
    r"biggest|dumbest|smartest|coolest|creepiest|saddest|happiest|hottest|ugliest|"
    r"wildest|tastiest|easiest|simplest|fastest|sweetest|grossest|oddest|cleverest)"
)
_START = r"(?:^|(?<=\n)|(?<=[.!?…:;]\s)|(?<=[.!?…:;]\s\s)|(?<=[.!?…:;][\"”’)]\s))\s*[\"“‘']?"
"""The start of a sentence (of the text, a line, or after sentence punctuation and a space)."""
_WORD = r"[^\s.!?…:;,]+"
_OTHER_WORD = rf"(?:(?!(?:i|i{_A}\w+|me|my|we|we{_A}\w+|our|us|you|your)\b){_WORD}\s+)"
"""A word that is not first or second person, followed by space."""
_NEWS_AFTER_COUNT = (
    r"(?:killed|dead|die|died|dies|injured|hurt|missing|arrested|rescued|charged|held|detained|"
    r"jailed|sentenced|evacuated|confirmed|feared|trapped|wounded|abducted|kidnapped|stranded|"
    r"accused|are|were|is|was|have|had|has|will|to|today|tonight|this|out|left|ago|later|old|"
    r"until|till|in\s+a\s+row|from\s+now|per|each|apart|away|of\s+them)"
)
_UNITS = (
    r"(?:years|days|hours|minutes|weeks|months|seconds|decades|centuries|miles|metres|meters|"
    r"kilometres|kilometers|km|kg|pounds|dollars|euros|percent|points|runs|goals|votes|seats|"
    r"games|matches|laps|nights|degrees|feet|inches|bytes|mb|gb|tb|lbs|hrs|mins|cents|pence|"
    r"servers|cores|services|members|votes|users|people\s+(?:die|died|dead|killed|missing|"
    r"injured|hurt|rescued|arrested|confirmed|evacuated))"
)


@functools.cache
def _compiled(pattern: str) -> re.Pattern[str]:
    """Patterns compile on first use: a short post needs only a few of them, and compiling all
    of them would cost a quarter of a second at import."""
    return re.compile(pattern, re.IGNORECASE)


class _Alt(NamedTuple):
    """One alternative of a rule, matched only where its first word can start (see `_anchor`)."""

    pattern: str
    """Matched at a word start when keys is not None, else scanned for."""
    keys: frozenset[str] | None
    """Anchor keys of the words a match can start with; None: scan the whole text."""
    at_start: bool
    """The match must open a sentence."""
    source: str
    """The whole pattern, as a plain scan would use it (tests compare the two)."""

    @property
    def regex(self) -> re.Pattern[str]:
        return _compiled(self.pattern)


class _Rule(NamedTuple):
    rule: str
    pattern: tuple[_Alt, ...]
    message: str
    personal_ok: bool = True
    """False: skip matches in a sentence where the writer speaks of themselves (I, my, we, our):
    "…and it was hilarious" is bait in a headline, but an honest report in a personal note."""
    link_ok: bool = True
    """False: skip matches in a text that carries a link, which may be what "this" points at."""


def _group_end(src: str, i: int) -> int:
    """Index just past the group that opens at src[i] == "(", honouring escapes and classes."""
    depth, in_class = 0, False
    while i < len(src):
        c = src[i]
        if c == "\\":
            i += 2
            continue
        if in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    raise ValueError("unbalanced pattern")


def _branches(body: str) -> list[str]:
    """Split a group body at its top-level "|"."""
    out, depth, in_class, start, i = [], 0, False, 0, 0
    while i < len(body):
        c = body[i]
        if c == "\\":
            i += 2
            continue
        if in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and depth == 0:
            out.append(body[start:i])
            start = i + 1
        i += 1
    out.append(body[start:])
    return out


_WORD_END = ("\\s", "\\b", "['’]", "[\"", "(?!", "(?=", "\\.", " ", ",", ":", "!", "?", "%", "=")


def _anchor(src: str) -> frozenset[str] | None:
    """The anchor keys of every word a match of `src` can start with, or None if the pattern can
    start in a way this small reader does not follow (it is then scanned). A key is "=word" for
    a whole word, the first three letters for a longer literal that a pattern continues
    ("won" for won't, wont), or "<d>" for a number."""
    for prefix in (r"\b", _B):
        if src.startswith(prefix):
            src = src[len(prefix) :]
    while src.startswith(("(?<!", "(?<=")):
        src = src[_group_end(src, 0) :]
    if src.startswith("(?P<"):
        src = src[src.index(">") + 1 :]
    if src.startswith("(?:"):
        end = _group_end(src, 0)
        keys: set[str] = set()
        for branch in _branches(src[3 : end - 1]):
            sub = _anchor(branch)
            if sub is None:
                return None
            keys |= sub
        if src[end : end + 1] in ("?", "*") or src[end:].startswith("{0,"):
            rest = _anchor(src[end:].lstrip("?*").split("}", 1)[-1] if src[end] == "{" else src[end + 1 :].lstrip("?"))
            if rest is None:
                return None
            keys |= rest  # the group is optional: the match may start after it
        return frozenset(keys)
    if src.startswith("\\d") or src[:1].isdigit():
        return frozenset({"<d>"})
    n = 0
    while n < len(src) and src[n].isalpha():
        n += 1
    if n == 0:
        return None
    word = src[:n].lower()
    rest = src[n:]
    if rest == "" or (rest.startswith(_WORD_END) and not rest.startswith("['’]?")):
        return frozenset({"=" + word})
    if rest.startswith("['’]?"):
        m = re.match(r"[a-z]+", rest[5:])
        tail = rest[5 + m.end() :] if m else None
        if m and (tail == "" or (tail.startswith(_WORD_END) and not tail.startswith("['’]?"))):
            return frozenset({"=" + word, "=" + word + m.group()})  # it's / its
    if n < 3:
        return None  # a short literal that a group or class continues: cannot key it
    return frozenset({word[:3]})


def _rx(*alternatives: str) -> tuple[_Alt, ...]:
    out = []
    for a in alternatives:
        at_start = a.startswith(_START)
        body = a[len(_START) :] if at_start else a
        keys = _anchor(body)
        out.append(_Alt(body if keys is not None else a, keys, at_start, a))
    return tuple(out)


_MESSAGES = {
    "curiosity-gap": (
        "Curiosity gap: “{span}” hints at something without saying it, so readers have to "
        "click to learn what you already know. Say what happened instead of hinting at it."
    ),
    "forward-reference": (
        "Forward reference: “{span}” points at something the post does not name, to make readers "
        "click to find out. Name the thing: say what it is or why, right here."
    ),
    "hyperbole": (
        "Hyperbole: “{span}” promises more than any post can deliver, and readers learn to "
        "distrust it. Describe what it is, plainly and specifically."
    ),
    "listicle": (
        "Listicle lead: “{span}” sells a count instead of the content, a classic bait "
        "headline. Lead with the most useful point itself, or say what the list covers."
    ),
    "bait-question": (
        "Bait question: “{span}” asks readers something only to pull them in, not because you "
        "want their answer. State the point, or ask a question you really want answered."
    ),
    "quiz": (
        "Quiz bait: “{span}” dresses the post up as a test or a guessing game to get clicks. "
        "Share the information directly, or say plainly that it is a quiz and what it covers."
    ),
    "second-person-hook": (
        "Second-person hook: “{span}” tells readers what they need, feel or do wrong to hook "
        "them. Speak about the subject, and let readers decide whether it concerns them."
    ),
    "urgency": (
        "Urgency: “{span}” pressures readers to act before they can think. Give the real "
        "deadline, if there is one, and let readers decide calmly."
    ),
    "must-see": (
        "“Must see” copy: “{span}” tells readers how they will feel instead of showing them "
        "anything. Say what it is and let them judge."
    ),
    "engagement-bait": (
        "Engagement bait: “{span}” asks for likes, shares or comments as a condition or a game, "
        "which games the feed instead of informing anyone. Ask for replies only when you want "
        "to hear them, and say why."
    ),
}

_RULES: tuple[_Rule, ...] = (
    _Rule(
        "clickbait.curiosity-gap",
        _rx(
            rf"{_B}(?:you|u)\s+(?:won{_A}?t|will\s+not|wouldn{_A}?t|would\s+not)\s+(?:believe|guess)",
            rf"{_B}you(?:{_A}ll|\s+will)\s+never\s+(?:believe|guess)",
            rf"{_B}(?:can{_A}?t|cannot)\s+believe\s+(?:what|who|this|these)\b",
            r"\bwhat\s+happen(?:ed|s)\s+(?:next|after\s+that)\b",
            r"\bwhat\s+(?:(?:he|she|they|it)|(?:this|that|the|these|those)(?:\s+[\w'’-]+){1,3})"
            r"\s+(?:did|said|found|does|do|saw|discovered)\s+next\b",
            r"\b(?:nobody|no\s+one)\s+(?:is\s+talking|talks|tells\s+you|told\s+(?:you|me)|"
            r"expected|saw\s+(?:it|this)\s+coming|knows\s+about)\b",
            r"\bthe\s+(?:(?:real|surprising|shocking|strange|weird|hidden|secret)\s+)?"
            r"(?:truth|secret|reason)\s+(?:about|behind|why|nobody|no\s+one|they)\b",
            rf"\b(?:it{_A}?s|is|isn{_A}?t|are|aren{_A}?t)\s+not\s+what\s+you\s+(?:think|expect)\b",
            rf"\bisn{_A}?t\s+what\s+you\s+(?:think|expect)\b",
            r"\b(?:the\s+(?:answer|answers|results?|reason|ending|outcome|truth)|their\s+answers?|"
            r"what\s+(?:they|he|she|we|it)\s+found|(?:number|no\.)\s?\d+)\s+"
            r"(?:will|may|might|is\s+going\s+to|are\s+going\s+to)\s+"
            r"(?:surprise|shock|amaze|stun|astonish|blow|scare)\b",
            r"\bwill\s+(?:shock|surprise|amaze|stun|astonish)\s+you\b",
            r"\b(?:this|that|the)\s+one\s+(?:(?:simple|weird|strange|little|easy|quick|odd)\s+)?"
            r"(?:trick|secret|hack|habit|tip|thing\s+you)\b",
            r"\bone\s+(?:simple|weird|strange|little|easy|quick|odd)\s+(?:trick|secret|hack|habit|tip)\b",
            r"\b(?:doctors|experts|dentists|banks|scientists|landlords|they)\s+hate\s+"
            r"(?:him|her|them|this|it|these)\b",
            r"\b(?:discovered|found|noticed|spotted|revealed|uncovered)\s+something\s+"
            r"(?:terrifying|incredible|amazing|shocking|strange|weird|bizarre|unexpected|huge|"
            r"disturbing|horrifying)\b",
            r"\bguess\s+(?:which|who|what\s+happen(?:ed|s))\b",
            r"\b(?:scientists|experts|doctors|researchers|police|fans|engineers|everyone)\s+"
            r"(?:are|were|is|was)\s+(?:completely\s+|totally\s+)?(?:baffled|stunned|speechless|"
            r"stumped|puzzled|mystified|freaking\s+out)\b",
            r"\b(?:the|this|that)\s+(?:real|surprising|shocking|secret|hidden|true|strange|weird|"
            r"actual)\s+reasons?\b",
            r"\bwe\s+need\s+to\s+talk\s+about\b",
            r"\b(?:read|click|tap|watch|scroll|swipe)\s+(?:on|here|below|the\s+link|through)?\s*"
            r"to\s+(?:find\s+out|see\s+(?:what|why|how|who|which))\b",
            r"\b(?:and|to)\s+find\s+out\s*(?:[!.?…]|$)",
            r"\bthe\s+last\s+one\s+(?:will|is|made|blew|killed|got)\b",
        ),
        _MESSAGES["curiosity-gap"],
    ),
    _Rule(
        "clickbait.forward-reference",
        _rx(
            rf"\bhere{_A}?s\s+(?:what|why|how|who|where|when|the\s+(?:reason|truth|thing|catch|"
            rf"secret|real|surprising|answer|best|one)|everything|all\s+(?:you|the))\b",
            r"\bhere\s+is\s+(?:what|why|how|who|the\s+(?:reason|truth|real|surprising|answer))\b",
            r"\b(?:this|that|these|those)\s+(?:is|are|was|were)\s+(?:exactly\s+|actually\s+)?"
            r"(?:what|why|how|the\s+reason\s+why)\s+(?!\s*[:—-])",
            r"\bwhat\s+happens\s+(?:when|if)\s+you\b",
            rf"\bhere{_A}?s\s+what\s+happen",
            r"\b(?:see|watch)\s+what\s+happen(?:s|ed)\b",
            rf"{_START}(?P<s>(?:this|these)\s+{_OTHER_WORD}{{1,4}}?(?:just|perfectly|literally|totally|"
            rf"proves?|sums?\s+up|captures?|(?:explains?|shows?)\s+(?:exactly|why|how|what)|"
            rf"(?:might|could|may)\s+be\s+the|(?:is|are)\s+(?:so|too|literally|actually|absolutely|"
            rf"everything|what|why|how|the\s+(?:{_HYPE}|most|only))|will\s+(?:determine|reveal|"
            rf"tell\s+you|make\s+you|change\s+your|blow|melt|restore|leave\s+you|have\s+you)))\b",
        ),
        _MESSAGES["forward-reference"],
    ),
    _Rule(
        "clickbait.hyperbole",
        _rx(
            r"\bmind[\s-]?(?:blowing|blown|boggling)\b",
            r"\bjaw[\s-]?dropping\b",
            r"\b(?:insanely|unbelievabl[ey]|shockingly|ridiculously|outrageously)\b",
            rf"\b(?:the|this|these|is|are)\s+{_HYPE}\s+{_OTHER_WORD}{{0,4}}(?:ever|of\s+all\s+time|"
            rf"in\s+history|on\s+the\s+internet)(?!\s+(?:since|before|after|been|had))\b",
            rf"\byou\s+haven{_A}?t\s+(?:lived|seen\s+anything|tasted)\b",
            rf"\b(?:the|is|are)\s+most\s+{_OTHER_WORD}{{1,4}}?(?:ever|of\s+all\s+time|in\s+history)\b",
            r"\bthe\s+(?:absolute|ultimate|definitive)\s+(?:best|worst|guide|ranking|list)\b",
            rf"\b{_HYPE}\s+(?:[\w'’-]+\s+){{0,4}}you{_A}?(?:ll|ve|\s+will|\s+have)?\s+ever\s+"
            rf"(?:see|seen|read|hear|heard|watch|watched)\b",
            r"\b(?:break|breaks|broke|win|wins|won)\s+the\s+internet\b",
            r"\b(?:secretly|literally)\s+(?:a\s+)?(?:genius|insane|dying|the\s+best|perfect|"
            r"everything|in\s+charge)\b",
            r"\bgenius\s+(?:hacks?|tricks?|ideas?|ways?)\b",
            r"\b(?:totally|completely|absolutely)\s+(?:insane|unbelievable|mind[\s-]?blowing|"
            r"epic|life[\s-]?changing)\b",
            r"\bepic\s+(?:fails?|wins?)\b",
            rf"\b(?:change|changes|transform|transforms)\s+your\s+life(?:\s+forever)?\b",
            r"\b(?:shocking|terrifying|horrifying)\s+(?:truth|secret|reason|discovery|photos?|"
            r"video|footage|twist|news)\b",
        ),
        _MESSAGES["hyperbole"],
    ),
    _Rule(
        "clickbait.listicle",
        _rx(
            # A count leading a sentence, then a plural noun: "17 Reasons Why", "21 Photos That".
            rf"{_START}(?<!no\.\s)(?P<s>{_NUM}\s+(?:(?!{_UNITS}\b){_WORD}\s+){{0,4}}?"
            rf"(?!{_UNITS}\b)(?:{_LIST_NOUNS}(?!\s+{_NEWS_AFTER_COUNT}\b)|[a-z'’-]*[a-z][a-rt-z]s(?=\s+(?:that|who|"
            rf"which|you|you{_A}ll|you{_A}re|your|to|every|everyone|anyone|only|for|about|from|"
            rf"guaranteed|we|i|all|no\s+one|nobody)\b)))\b",
            rf"\b(?:here\s+are|these\s+are\s+the|check\s+out\s+these|the\s+top)\s+"
            rf"(?P<s3>{_NUM}\s+(?:{_WORD}\s+){{0,3}}?{_LIST_NOUNS})\b",
            rf"\b(?P<s4>(?:these|the)\s+{_NUM}\s+(?:{_HYPE}|most\s+\w+|least\s+\w+)\s+"
            rf"(?:{_WORD}\s+){{0,3}}?(?:{_LIST_NOUNS}|[a-z'’-]*[a-z][a-rt-z]s))\b",
            rf"\b(?P<s5>these\s+{_NUM}\s+(?:{_WORD}\s+){{0,3}}?{_LIST_NOUNS})\b",
            rf"{_START}(?P<s6>{_NUM}\s+of\s+the\s+(?:{_HYPE}|most|least|only))\b",
        ),
        _MESSAGES["listicle"],
    ),
    _Rule(
        "clickbait.bait-question",
        _rx(
            r"\bcan\s+you\s+(?:spot|find|guess|name|identify|solve|pass|beat|figure\s+out|believe|"
            r"handle|ace|match|count|tell\s+(?:which|what|who|if|the\s+difference))\b",
            rf"\bare\s+you\s+(?:(?:still|secretly|accidentally|unknowingly)\s+)?"
            rf"(?:making|doing|using|eating|drinking|wearing|buying|guilty\s+of|one\s+of\s+the)\s+"
            rf"(?:these|this|the\s+\d+|\d+|{_NUMWORD})\b",
            rf"\b(?:is|are)\s+(?:this|these|that|it)\s+the\s+{_HYPE}\b",
            r"\bshould\s+you\s+be\s+(?:worried|concerned|scared|afraid)\b",
            r"\bwould\s+you\s+rather\b",
            r"\bwhat\s+would\s+you\s+do\s+if\b",
            r"\bwhat\s+does\s+your\s+(?:[\w'’-]+\s+){1,4}say\s+about\s+you\b",
            r"\bwhy\s+(?:is\s+)?(?:nobody|no\s+one|everyone)\s+(?:is\s+)?(?:talking|obsessed|buying|"
            r"doing|switching)\b",
            r"\bdo\s+you\s+(?:remember|recognize|recognise)\s+(?:these|this\s+\w+\s*[?]|when)\b",
        ),
        _MESSAGES["bait-question"],
    ),
    _Rule(
        "clickbait.quiz",
        _rx(
            r"\btake\s+(?:this|the|our|a)\s+(?:[\w'’-]+\s+){0,2}quiz\b",
            r"\b(?:this|our|the)\s+quiz\s+(?:will|can|knows)\b",
            rf"\b(?:we|we{_A}ll|i{_A}ll)\s+(?:can\s+|will\s+|bet\s+we\s+can\s+)?"
            rf"(?:know|guess|tell|predict|reveal)\s+(?:you\s+)?(?:exactly\s+)?(?:your|which|"
            rf"(?:who|what|when|where|if|whether)\s+(?:you|your)|how\s+(?:old|many|much))\b",
            r"\b(?:this|the|our|a)\s+(?:[^\s.!?]+\s+){0,3}(?:quiz|test)\s+(?:will|can|knows|is\s+going\s+to)\s+"
            r"(?:determine|tell|reveal|predict|show|guess|know)\b",
            r"\bare\s+you\s+(?:more\s+(?:of\s+)?(?:an?\s+)?[^\s.!?]+|an?\s+[^\s.!?]+(?:\s+[^\s.!?]+)?\s+or\s+an?)\b",
            r"\bcan\s+we\s+guess\b",
            r"\b(?:which|what)\s+(?:[^\s.!?]+\s+){1,6}?are\s+you(?=\s*(?:[?!.]|$|\bbased\b|\baccording\b))",
            r"\bwhich\s+(?:[^\s.!?]+\s+){1,6}?(?:should\s+you|is\s+(?:actually\s+|really\s+|secretly\s+)?(?:about\s+)?your|are\s+your)\b",
            r"\bbased\s+(?:solely\s+|only\s+|entirely\s+)?on\s+(?:your|these|this|which|how\s+you)\s+"
            r"(?!feedback|comments?|input|suggestions?|requests?|votes?|replies|answers\s+in|data\b)",
            r"\bhow\s+(?:well|much|many)\s+(?:[\w'’-]+\s+){0,4}(?:do|did|can|have)\s+you\s+"
            r"(?:know|remember|recall|really|actually|seen|tried|eaten|read|done|visited)\b",
            r"\b(?:answer|pick|choose)\s+(?:these|this|\d+|a\s+few|some)\s+(?:[\w'’-]+\s+){0,3}"
            r"(?:questions|things|foods|options)\b",
            r"\b(?:only\s+)?(?:\d{1,3}\s*%|\d+\s+(?:in|out\s+of)\s+\d+)\s+(?:of\s+)?(?:[\w'’-]+\s+){0,2}"
            rf"(?:can{_A}?t|cannot|won{_A}?t|will|can|get|pass|fail|know|score)\b",
            r"\bhow\s+(?:[^\s.!?]+\s+){1,5}?are\s+you(?=\s*(?:[?!.]|$))",
        ),
        _MESSAGES["quiz"],
    ),
    _Rule(
        "clickbait.second-person-hook",
        _rx(
            rf"\byou\s+(?:really\s+|seriously\s+|absolutely\s+)?(?:need|have|must|should|got)\s+to\s+"
            rf"(?:see|read|watch|hear|know\s+(?:this|these|about\s+this)|try\s+(?:this|these))\b",
            r"\byou\s+(?:really\s+)?need\s+(?:this|these)\b",
            r"\bread\s+this\s+if\s+you\b",
            r"\b(?:this\s+is\s+)?for\s+(?:everyone|anyone)\s+who\s+(?:has\s+ever|ever|is\s+secretly|loves|"
            r"hates|can{_A}?t|fits|became|knows\s+the\s+struggle)\b".replace("{_A}", _A),
            r"\b(?:need|needs|want|deserve|deserves)\s+(?:[^\s.!?]+\s+){0,4}?in\s+your\s+life\b",
            r"\bthe\s+only\s+(?:[^\s.!?]+\s+){1,2}?you{_A}?(?:ll|\s+will)?\s+(?:should|need|will|ever)\b".replace("{_A}", _A),
            rf"\byou{_A}?(?:re|\s+are|{_A}ve\s+been|\s+have\s+been)\s+(?:\w+ing)\s+"
            rf"(?:[\w'’-]+\s+){{0,4}}(?:all\s+)?wrong\b",
            rf"\b(?:you{_A}re|you\s+are)\s+doing\s+(?:it|this|that)?\s*wrong\b",
            r"\beverything\s+you\s+(?:need\s+to\s+|should\s+|ever\s+wanted\s+to\s+)?know\s+about\b",
            rf"\b(?:everything|all)\s+you{_A}?(?:ve|\s+have)\s+been\s+told\b",
            rf"\bonly\s+(?:a\s+|true\s+|real\s+)?(?:[\w'’-]+\s+){{0,3}}(?:will|would|can|could)\s+"
            rf"(?:understand|remember|relate|appreciate|get\s+this|get\s+it)\b",
            rf"\b(?:things|reasons|signs|ways|people|struggles|moments)\s+(?:[\w'’-]+\s+){{0,3}}"
            rf"(?:only|every|all|anyone|everyone)\s+(?:[\w'’-]+\s+){{0,4}}(?:will|would|can)\s+"
            rf"(?:understand|relate|get|remember|appreciate|know)\b",
            rf"\bsigns\s+(?:that\s+)?you{_A}?(?:re|\s+are|\s+might|\s+may|\s+have|{_A}ve)\b",
            rf"\b(?:things|mistakes|secrets|facts)\s+(?:[\w'’-]+\s+){{0,2}}(?:no\s+one|nobody)\s+"
            rf"(?:tells|told|will\s+tell)\s+you\b",
            rf"\bthings\s+you\s+(?:didn{_A}?t|don{_A}?t|never)\s+know\b",
            rf"\byou\s+(?:probably\s+|might\s+|may\s+)?(?:didn{_A}?t|don{_A}?t|never)\s+"
            rf"(?:know|knew|realize|realise|notice)\s+(?:about|existed|these|this|how|why)\b",
            rf"\b(?:reasons?|why)\s+(?:why\s+)?your\s+[\w'’-]+\s+(?:will|is\s+going\s+to)\s+"
            rf"(?:fail|die|hate|leave)\b",
            rf"\byou{_A}?(?:ll|\s+will)\s+(?:never|want\s+to|need\s+to)\s+(?:look\s+at|see|think\s+of|"
            rf"eat|use|buy|do)\b(?:(?!\n)[^.!?]){{0,60}}?\b(?:the\s+same|again)\b",
        ),
        _MESSAGES["second-person-hook"],
    ),
    _Rule(
        "clickbait.urgency",
        _rx(
            rf"\bbefore\s+(?:it{_A}?s|its|it\s+is|it\s+gets|they{_A}?re|they\s+get)\s+"
            r"(?:too\s+late|gone|deleted|removed|banned|taken\s+down|patched|over|fixed)\b",
            r"\bbefore\s+(?:they|someone|the\s+\w+)\s+(?:delete|deletes|remove|removes|ban|bans|"
            r"take\s+(?:it|this)\s+down|patch|patches)\b",
            rf"{_START}hurry\b",
            r"\bhurry\s+up\b",
            r"\bhurry\s*!",
            r"\bact\s+(?:now|fast|quickly)\b",
            r"\blast\s+chance\s*!|\blast\s+chance\s+to\s+(?:grab|buy|get|join|save|win|snag|score|see)\b",
            rf"{_START}last\s+chance\b(?!\s+(?:for|of)\b)",
            r"\b(?:stop|drop)\s+everything\b",
            rf"\bdon{_A}?t\s+miss\s+(?:out|this|it)\b",
            r"\blimited[\s-]time\s+(?:only|offer)\b",
            r"\bwhile\s+(?:you\s+still\s+can|stocks?\s+lasts?|supplies\s+last|it\s+lasts)\b",
            r"\b(?:time\s+is\s+running\s+out|running\s+out\s+of\s+time)\b",
            r"\b(?:gone|disappear|deleted)\s+forever\b",
            r"\b(?:need|needs|have|has|must|should)\s+to\s+(?:[\w'’-]+\s+){1,3}"
            r"(?P<s>right\s+now|immediately|asap|today\s*!)",
            r"\b(?:see|read|watch|share|download|save)\s+(?:this|it)\s+(?:now\s+)?before\b",
        ),
        _MESSAGES["urgency"],
    ),
    _Rule(
        "clickbait.must-see",
        _rx(
            r"\bmust[\s-]?(?:see|read|watch)\b",
            r"\b(?:will|is\s+going\s+to|going\s+to|gonna|might)\s+(?:blow|melt|break|warm|restore|"
            r"make)\s+your\s+(?:mind|heart|day|faith)\b",
            r"\b(?:restore|restores|restored)\s+(?:your|my|our)\s+faith\s+in\s+humanity\b",
            r"\b(?:will|gonna|going\s+to|is\s+going\s+to|are\s+going\s+to)\s+(?:make|have)\s+you\s+"
            r"(?!a\b|an\b|the\b|some\b|any\b|one\b|money\b|late\b|wait\b)\w+",
            r"\bwill\s+(?:change|transform)\s+(?:how|the\s+way|what)\s+you\b",
            r"\bwill\s+(?:never\s+be\s+the\s+same|awaken\s+you|give\s+you\s+(?:chills|goosebumps|life|"
            r"all\s+the\s+feels))\b",
            r"\bwill\s+leave\s+you\s+(?:speechless|in\s+tears|breathless|stunned|shook|shaken|"
            r"wanting|smiling)\b",
            r"\bwait\s+(?:un)?till?\s+you\s+see\b",
            r"\btry\s+not\s+to\s+(?:laugh|cry|smile|scream|cringe|gasp|drool)\b",
            rf"\b(?:you|u)\s+(?:(?:have|need|got){_A}?\s+to|gotta|must)\s+see\s+(?:this|these|it|them)\b",
            r"\bnever\s+(?:look\s+at|see|think\s+of|think\s+about)\s+(?:(?!\n)[^.!?]){1,40}?"
            r"\bthe\s+same\s+(?:way\s+)?again\b",
            r"\b(?:blow|blew|blows)\s+(?:your|my|our)\s+mind\b",
        ),
        _MESSAGES["must-see"],
    ),
    _Rule(
        "clickbait.engagement-bait",
        _rx(
            r"\b(?:like|share|retweet|rt|repost|comment|follow|type|reply|tag|heart|upvote|save|"
            r"subscribe|like\s+(?:and|&|\+)\s+(?:share|retweet|comment|follow)|"
            r"share\s+(?:and|&|\+)\s+(?:like|comment))\s+(?:this\s+|it\s+|now\s+)?if\s+(?:you|u|your|ur)\b",
            rf"\b(?:comment|type|reply(?:\s+with)?)\s+[\"“'‘]?(?:yes|amen|done|me|yes\s+please|\d|"
            rf"(?-i:[A-Z]{{2,}}))[\"”'’]?(?=\s|[!.,]|$)(?!\s+(?:to|on|about|that|in|of|the)\b)",
            r"\bcomment\s+below\b",
            r"\bdrop\s+(?:a|an|your|some)\s+(?:\S+\s+){0,3}?(?:in\s+the\s+comments|below|if)\b",
            r"\bin\s+the\s+comments\s+if\b",
            r"\btag\s+(?:a|your|that|an?\s+\w+)?\s*(?:friend|someone|bestie|bff|mom|mum|dad|sister|"
            rf"brother|partner|buddy|person|mate)s?\s+(?:who|that|you)\b",
            rf"\blet{_A}?s\s+see\s+how\s+many\b",
            r"\b(?:1|one)\s+(?:like|share|retweet|rt|follow)\s*=",
            r"\bsmash\s+(?:that|the)\s+(?:like|subscribe|follow)\b",
            rf"\b(?:don{_A}?t|do\s+not)\s+scroll\s+(?:past|without|away)\b",
            r"\b(?:stop|quit)\s+scrolling\b",
            r"\bignore\s+(?:this\s+)?if\s+you\b",
            r"\b(?:share|repost|retweet)\s+(?:this\s+)?(?:with|to)\s+(?:everyone|every\s+\w+|all\s+your)\b",
            rf"\bi\s+bet\s+(?:you|u)\s+(?:can{_A}?t|won{_A}?t|cannot|didn{_A}?t)\b",
            rf"\b(?:most|\d{{1,3}}\s*%\s+of)\s+(?:people|you|folks)\s+(?:won{_A}?t|can{_A}?t|will\s+not|"
            rf"cannot)\s+(?:share|repost|retweet|like)\b",
            r"\bfollow\s+(?:me|us)\s+for\s+(?:more|part\s+\d)\b",
        ),
        _MESSAGES["engagement-bait"],
    ),
)

_HYPE_ADJ = (
    r"(?:everything|hilarious|amazing|adorable|perfect|gross|awkward|magical|beautiful|brilliant|"
    r"incredible|glorious|wonderful|terrifying|horrifying|insane|wild|genius|iconic|priceless|"
    r"epic|heartbreaking|heartwarming|mesmeri[sz]ing|breathtaking|stunning|flawless|"
    r"ridiculous|bizarre|weird|creepy|cute|beautiful|savage|legendary|unreal|life|goals|magic)"
)
_FIRST_PERSON = re.compile(
    r"\b(?:i|i['’](?:m|ve|d|ll)|me|my|mine|myself|we|we['’](?:re|ve|ll|d)|our|ours|us|ourselves)\b",
    re.IGNORECASE,
)

_LINK = re.compile(r"https?://|www\.|\b[\w-]+\.(?:com|org|net|io|dev|app|co|social)\b/?", re.I)

_RULES += (
    _Rule(
        "clickbait.forward-reference",
        _rx(rf"{_START}(?P<s>(?:this|that)\s+is\s+(?:the\s+)?(?:{_HYPE}|most|only)\b)"),
        _MESSAGES["forward-reference"],
        personal_ok=False,
    ),
    _Rule(
        "clickbait.curiosity-gap",
        _rx(
            # "…, and it's hilarious": the reaction is announced, the content withheld
            rf"\b(?:and|but|so)\s+(?:it{_A}?s|it\s+is|they{_A}?re|they\s+are|"
            rf"the\s+(?:results?|reactions?|answers?|outcome)\s+(?:is|are))\s+"
            rf"(?:so\s+|pretty\s+|totally\s+|absolutely\s+|literally\s+|just\s+|actually\s+|"
            rf"kind\s+of\s+|kinda\s+|utterly\s+|completely\s+|grossly\s+|hilariously\s+)?"
            rf"(?:{_HYPE_ADJ}|the\s+(?:best|cutest|funniest|greatest))\b",
            r"\bthis\s+(?:just\s+happened|is\s+happening)\b",
            rf"{_START}(?:people|women|men|couples|kids|guys|girls|celebrities|parents|moms|mums|dads|"
            r"teens|strangers|grandmas|grandparents|sisters|brothers|friends|dogs|cats|babies)\s+"
            r"(?:try|tried|react|reacted|reveal|revealed|confess|confessed|describe|described|rank|"
            r"ranked|taste|tasted|guess|guessed|answer|answered|recreate|recreated)\b",
            rf"\b(?:the\s+internet|twitter|tumblr|everyone|people|fans)\s+(?:is|are|can{_A}?t|went|"
            rf"has\s+been|have\s+been)\s+(?:freaking\s+out|losing\s+(?:it|their\s+minds?)|"
            rf"going\s+(?:crazy|wild|nuts)|obsessed|(?:so\s+)?(?:mad|upset|shook|divided)|"
            rf"not\s+(?:happy|okay|ok)|stop\s+(?:laughing|talking))\b",
        ),
        _MESSAGES["curiosity-gap"],
        personal_ok=False,
    ),
    _Rule(
        "clickbait.hyperbole",
        _rx(
            rf"\b(?:is|are|was|were|it{_A}?s|they{_A}?re)\s+(?:literally|actually|basically|absolutely|"
            rf"totally|just)\s+(?:everything|perfect|the\s+best|goals|life|magic|iconic|"
            rf"perfection|the\s+cutest|the\s+funniest)\b",
            r"\b(?:almost\s+|way\s+|far\s+|just\s+|might\s+be\s+|are\s+|is\s+)?too\s+"
            r"(?:real|relatable|pure|perfect|cute|gorgeous|adorable|beautiful|good|funny|"
            r"precious)\s+(?:to\s+(?:eat|handle|be\s+true|exist|function|look\s+at)|for\s+"
            r"(?:this\s+world|words|words)|right\s+now)\b",
            r"\b(?:might\s+be|are|is)\s+(?:way\s+|a\s+little\s+|a\s+bit\s+)?too\s+"
            r"(?:real|relatable)\b",
            r"\bnext[\s-]level\b",
            r"\b(?:changes|changed|will\s+change)\s+everything\b",
        ),
        _MESSAGES["hyperbole"],
        personal_ok=False,
    ),
    _Rule(
        "clickbait.quiz",
        _rx(
            r"\bwhich\s+(?:[^\s.!?]+\s+){1,6}?(?:matches|suits|fits|describes|represents)\s+(?:your|you)\b",
            r"\bwhich\s+(?:[^\s.!?]+\s+){1,6}?(?:do|does)\s+(?:[^\s.!?]+\s+){1,6}?belong\s+(?:in|to)\b",
            r"\bwho\s+said\s+it\b",
            r"\b(?:real|fake|true|false)\s+or\s+(?:real|fake|true|false)\b",
            r"\bhow\s+well\s+do\s+you\s+\w+",
            r"\bhow\s+(?!are\b|is\b|do\b|did\b)[^\s.!?]+\s+are\s+you\b(?!\s+(?:going|doing|getting|coming|"
            r"feeling|holding|finding|planning|travel+ing|staying|arriving|leaving|from|in|at|on|with|today|"
            r"now|there|here)\b)",
            r"\bdo\s+you\s+remember\s+(?:which|these|what\s+happened)\b",
            r"\bwhat\s+your\s+(?:[^\s.!?]+\s+){1,5}?(?:looks\s+like|says|means|reveals)\b",
            r"\bwhich\s+(?:[^\s.!?]+\s+){1,6}?(?:should|would|will|could)\s+(?:be\s+)?your\b",
            r"\bwhich\s+(?:[^\s.!?]+\s+){1,6}?(?:should|would)\s+you\s+(?:be|marry|date|kiss|"
            r"adopt|have\s+as|get\s+for)\b",
            r"\bwhat\s+(?:[^\s.!?]+\s+){1,5}?says\s+about\s+you\b",
            r"\bwhat\s+(?:would|will|should)\s+your\s+(?:[^\s.!?]+\s+){1,5}?be\b",
            r"\bwhat\s+(?:type|kind|sort)\s+of\s+(?:[^\s.!?]+\s+){1,4}?(?:are|would|will|should)\s+you\b",
            r"\bare\s+you\s+(?:actually|secretly|truly|a\s+true|a\s+real|more\s+like)\b",
            r"\bhow\s+many\s+(?:[^\s.!?]+\s+){1,4}?(?:do|have|did|can)\s+you\s+(?:have|own|know|"
            r"seen|tried|eaten|read|visited|been|done|remember|name|recogni[sz]e)\b",
            rf"\band\s+(?:we{_A}ll|we\s+will|we\s+can)\s+(?:tell|guess|know|reveal|predict|give)\b",
            r"\b(?:to|and)\s+(?:determine|reveal|find\s+out)\s+(?:your|which|what\s+your|who\s+you)\b",
            r"\bcan\s+you\s+(?:remember|survive|make\s+it\s+through|get\s+(?:through|all|\d+|a\s+perfect|"
            r"full\s+marks|these|this)|score|recogni[sz]e|complete|finish)\b",
        ),
        _MESSAGES["quiz"],
        personal_ok=False,
    ),
    _Rule(
        "clickbait.second-person-hook",
        _rx(
            rf"\b{_LIST_NOUNS}\s+(?:that\s+)?you{_A}?(?:ll|ve|d|re)?\s+(?:totally|definitely|probably|"
            rf"actually|literally|seriously|absolutely|never|always|should|need|must|won{_A}?t|"
            rf"didn{_A}?t|don{_A}?t|forgot|missed|can{_A}?t|will\s+(?:want|love|need|never))\b",
            rf"\byou{_A}?(?:re|\s+are)\s+(?:going\s+to|gonna)\s+(?:want|need|love|regret|die|cry)\b",
            rf"\byou(?:{_A}ve|\s+have)?\s+(?:definitely|probably|totally|all|never)\s+(?:had|seen|done|been|"
            rf"made|wanted|thought|felt|experienced|heard|said|noticed|met)\b",
            rf"\byou\s+have\s+no\s+(?:fucking\s+)?(?:clue|idea)\s+(?:what|how|why|who)\b",
            rf"\byou{_A}?(?:ll|\s+will)\s+(?:totally|definitely|actually|literally|seriously)\s+"
            rf"(?:want|love|need|relate|die|cry|laugh|regret)\b",
            rf"\b(?:{_LIST_NOUNS}|posts|pictures)\s+for\s+(?:everyone|anyone|people|those)\s+who\b",
            rf"{_START}(?:pictures|photos|tweets|posts|memes|gifs|charts|comics|facts|things|people)\s+"
            rf"(?:that|which|who)\s+(?:will|prove|perfectly|totally|sum|show|capture|explain|"
            rf"only|every|just|are\s+(?:way|too|so|literally))\b",
        ),
        _MESSAGES["second-person-hook"],
        personal_ok=False,
    ),
)

_BAIT_COPY_MESSAGE = (
    "Bait copy: this sentence reads like a clickbait headline, mostly because of {words}; it "
    "sells the click instead of the content. Say plainly what the post offers, so readers can "
    "decide without clicking."
)

# --------------------------------------------------------------------------------------------
# The model: features shared with bench/train_clickbait.py (keep them in one place).
# --------------------------------------------------------------------------------------------

_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_SENTENCE_END = re.compile(
    r"(?=[.!?…。！？\s])(?:[.!?…。！？]+(?=\s|$|[\"”'’)])|\n+|\s[—–]\s|\s-\s)"
)
"""Sentence ends, line breaks and spaced dashes (the lookahead only lets the scan skip letters fast)."""
_FINAL_PUNCT = re.compile(r"[.!?…。！？]")
MAX_SEGMENT_TOKENS = 40
"""Sentences longer than this are not scored by the model: bait copy is headline-short."""
OTHER = "_"
"""A word outside the copy vocabulary with no telling ending (its shape classes start with "_")."""
NUMBER = "<num>"

_NUMBER_WORDS = frozenset(
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen twenty thirty forty fifty hundred".split()
)
_LINK_TOKEN = re.compile(
    r"(?:https?://|www\.)\S+|\b(?>[\w-]+)\.(?:com|org|net|io|dev|app|co|social)\b(?:/\S*)?", re.I
)
_KICKER = re.compile(r"\W*(?:[^\W_][\w'’.-]*\s+){0,2}[^\W_][\w'’.-]*\s*:\s+(?=\S)")
"""A section label that opens a headline or post ("Watch:", "In pictures:", "Opinion:")."""


def clean(segment: str) -> str:
    """`segment` with its links blanked out (same length, so offsets still hold): a link is not
    copy; the sentence around it is."""
    if "." in segment:
        segment = _LINK_TOKEN.sub(lambda m: " " * len(m.group()), segment)
    return segment


LABEL = "<label>"
"""Stands for a section label that opens a sentence ("Watch:", "Opinion:"): news copy uses them."""


def sentence(segment: str, vocab: frozenset[str] | set[str]) -> tuple[list[tuple[str, int, int]], list[str]]:
    """The tokens of one cleaned segment and their normalised forms, with an opening section
    label ("In pictures:") folded into one LABEL token."""
    toks = tokens(segment)
    label = _KICKER.match(segment) if ":" in segment else None
    if label is not None:
        cut = label.end()
        rest = [t for t in toks if t[1] >= cut]
        if rest and len(rest) < len(toks):
            return [(LABEL, toks[0][1], cut)] + rest, [LABEL] + normalise([w for w, _, _ in rest], vocab)
    return toks, normalise([w for w, _, _ in toks], vocab)


def tokens(segment: str) -> list[tuple[str, int, int]]:
    """Lowercased word tokens of one segment with their offsets (apostrophes made straight)."""
    out = []
    for m in _TOKEN.finditer(segment):
        word = m.group().lower().replace("’", "'")
        out.append((word, m.start(), m.end()))
    return out


_DEIXIS = frozenset(
    "year week weekend morning afternoon evening night time month summer winter spring autumn fall "
    "season monday tuesday wednesday thursday friday saturday sunday christmas holiday day hour "
    "minute".split()
)
"""After "this" or "every", these words make it a time ("this year", "every Sunday"), not a
forward reference or a sweeping claim."""
_DEICTIC = frozenset({"this", "every"})


def shape(word: str) -> str:
    """The class of a word outside the vocabulary, by its ending only (never the word itself,
    so no topic, name or publisher can be learnt): "_ing", "_ed", "_ly", "_est", "_'s", "_s"
    or OTHER."""
    n = len(word)
    if n > 5 and word.endswith("ing"):
        return "_ing"
    if n > 4 and word.endswith("ed"):
        return "_ed"
    if n > 4 and word.endswith("ly"):
        return "_ly"
    if n > 5 and word.endswith("est"):
        return "_est"
    if word.endswith("'s"):
        return "_'s"
    if n > 3 and word.endswith("s") and not word.endswith("ss"):
        return "_s"
    return OTHER


def normalise(words: list[str], vocab: frozenset[str] | set[str]) -> list[str]:
    """Numbers (digits or number words) become NUMBER, copy-vocabulary words stay, every other
    word becomes its shape class; "this" or "every" in a time phrase ("this week", "this year's",
    "every month") is neither a forward reference nor a sweeping claim, so it becomes OTHER too."""
    table = _norm_table(vocab if isinstance(vocab, frozenset) else frozenset(vocab))
    get = table.get
    out = [get(w) or _remember(table, w) for w in words]
    if "this" in words or "every" in words:
        for i in range(len(words) - 1):
            if words[i] in _DEICTIC and words[i + 1].removesuffix("'s") in _DEIXIS:
                out[i] = OTHER
    return out


@functools.lru_cache(maxsize=8)
def _norm_table(vocab: frozenset[str]) -> dict[str, str]:
    """Word -> normal form: the vocabulary's words map to themselves, and every other word is
    added as it is first met (one dictionary look-up per word after that)."""
    return {w: w for w in vocab if not (w.isdigit() or w in _NUMBER_WORDS)}


def _remember(table: dict[str, str], word: str) -> str:
    form = NUMBER if word.isdigit() or word in _NUMBER_WORDS else shape(word)
    if len(table) < 100_000:  # bounded: a 1 MB paste of random words cannot grow it forever
        table[word] = form
    return form


def features(norm: list[str]) -> list[tuple[str, tuple[int, ...]]]:
    """The model's features of one normalised segment, each with the token positions it covers:
    first word, first two words, last word, each word that is not OTHER, and each pair of
    neighbours that are not both OTHER (so "this _" is "this" followed by some plain word)."""
    out: list[tuple[str, tuple[int, ...]]] = []
    n = len(norm)
    if n == 0:
        return out
    out.append(("^" + norm[0], (0,)))
    if n > 1:
        out.append(("^" + norm[0] + " " + norm[1], (0, 1)))
    out.append(("$" + norm[-1], (n - 1,)))
    for i, w in enumerate(norm):
        if w != OTHER:
            out.append((w, (i,)))
        if i + 1 < n:
            v = norm[i + 1]
            if w != OTHER or v != OTHER:
                out.append((w + " " + v, (i, i + 1)))
    return out


def feature_names(norm: list[str]) -> list[str]:
    """The names of `features(norm)`, in the same order, without positions (the fast path)."""
    n = len(norm)
    if n == 0:
        return []
    first = norm[0]
    out = ["^" + first]
    if n > 1:
        out.append("^" + first + " " + norm[1])
    out.append("$" + norm[-1])
    prev = first
    if first != OTHER:
        out.append(first)
    for w in norm[1:]:
        if w != OTHER or prev != OTHER:
            out.append(prev + " " + w)
        if w != OTHER:
            out.append(w)
        prev = w
    return out


def _fast_norm(low: str, start: int, end: int, vocab: frozenset[str] | set[str]) -> list[str]:
    """`sentence(...)[1]` of low[start:end] without offsets, where `low` is the cleaned text
    already lowercased with straight apostrophes (the fast path for the many sentences that do
    not reach a threshold: no slicing, no per-word lowercasing)."""
    if low.find(":", start, end) >= 0:
        label = _KICKER.match(low, start, end)
        if label is not None:
            rest = _TOKEN.findall(low, label.end(), end)
            if rest:
                return [LABEL] + normalise(rest, vocab)
    return normalise(_TOKEN.findall(low, start, end), vocab)


def _lowered(text: str) -> str:
    return clean(text).lower().replace("’", "'")


def headline_features(text: str, vocab: frozenset[str] | set[str]) -> list[str]:
    """The distinct features of a whole headline, as the trainer sees it (cleaned like a sentence
    of a post, so training and checking agree)."""
    low = _lowered(text)
    return sorted(set(feature_names(_fast_norm(low, 0, len(low), vocab))))


_FORMULA = re.compile(
    r"\b(?:thank\s+you|thanks|see\s+you|miss\s+you|love\s+you|proud\s+of\s+you|congrat\w*|"
    r"happy\s+birthday|if\s+you(?:['’]re|\s+are)?\s+(?:in|around|near|nearby|interested|free|"
    r"curious|going|coming|attending|local|able|willing|up\s+for|want|need|can|live|depend|have|"
    r"use|know|work|missed))\b",
    re.IGNORECASE,
)
"""Conversational formulas: "you" here is a friend, not the reader being hooked."""


def model_applies(text: str, start: int, end: int) -> bool:
    """Whether the headline-trained model may judge the sentence text[start:end] at all.

    It may not where it would judge something it never saw in training: a question the writer
    asks with a question mark (the corpus had its question marks stripped; bait questions are
    left to the patterns) and conversational formulas ("thank you", "if you're in town"). A
    sentence in the first person is judged only as a title, and more strictly (see
    `_threshold`): headlines are never the writer's own news; posts often are."""
    if text[end : end + 1] == "?" or text[start:end].rstrip().endswith("?"):
        return False
    return _FORMULA.search(text, start, end) is None


def segments(text: str) -> Iterator[tuple[int, int]]:
    """Sentence-like spans (start, end) of `text`: split at sentence ends, line breaks and dashes."""
    start = 0
    for m in _SENTENCE_END.finditer(text):
        if m.start() > start:
            yield start, m.start()
        start = m.end()
    if start < len(text):
        yield start, len(text)


def is_title(text: str) -> bool:
    """Whether `text` is shaped like a headline: one sentence, not closed by sentence punctuation
    (links, tags and emoji may follow it). Posts of several sentences, or that end like prose,
    are judged more strictly."""
    found = None
    for s, e in segments(text):
        if _TOKEN.search(text, s, e):
            if found is not None:
                return False
            found = e
    if found is None:
        return False
    return _FINAL_PUNCT.search(_LINK_TOKEN.sub("", text[found:])) is None


class _Model:
    __slots__ = (
        "vocab",
        "cues",
        "weights",
        "bias",
        "threshold",
        "personal_threshold",
        "post_threshold",
        "min_words",
        "min_credit",
        "min_cue_weight",
    )

    def __init__(self, data: dict) -> None:
        self.vocab = frozenset(data["vocab"])
        self.cues = frozenset(data.get("cues", data["vocab"]))
        self.weights: dict[str, float] = data["weights"]
        self.bias = float(data["bias"])
        self.threshold = float(data["threshold"])
        self.personal_threshold = float(data.get("personal_threshold", float("inf")))
        self.post_threshold = float(data.get("post_threshold", self.threshold))
        self.min_words = int(data.get("min_words", 1))
        self.min_credit = float(data.get("min_credit", 0.0))
        self.min_cue_weight = float(data.get("min_cue_weight", 0.0))


_model: _Model | None = None
_model_failed = False


def _load_model() -> _Model | None:
    global _model, _model_failed
    if _model is None and not _model_failed:
        try:
            _model = _Model(json.loads(MODEL_PATH.read_text(encoding="utf-8")))
        except (OSError, ValueError, KeyError, TypeError):
            _model_failed = True  # the patterns still work without the model
    return _model


def set_model(data: dict | None) -> None:
    """Use this model (a dict as in the shipped JSON) instead of the shipped one, e.g. to evaluate
    a model trained on part of the data; None goes back to the shipped model."""
    global _model, _model_failed
    _model = _Model(data) if data is not None else None
    _model_failed = False


class Scored(NamedTuple):
    """The model's judgement of one sentence."""

    start: int
    end: int
    score: float
    """Log-odds that the sentence is bait copy."""
    words: list[tuple[int, int, float]]
    """(start, end, weight) of each copy word that pushed the score up, in text order."""
    cue_weight: float
    """How much of that push came from bait cues (second person, forward reference, hype, ...)."""
    cue_words: int
    """How many different cue words pushed it by at least the model's min_credit."""


_DIARY = re.compile(
    r"\W*(?:(?:just|finally|also|then|so|today|yesterday|tonight)\s+)?(?:[^\W\d_]{3,}ed|went|made|took|"
    r"got|saw|had|did|ate|ran|wrote|found|bought|built|met|spent|left|came|gave|drove|flew|swam|sold|"
    r"lost|caught|thought|felt|kept|slept|heard|began|forgot|learnt|won|fell|broke)\b(?!['’]|\s*:)",
    re.IGNORECASE,
)
"""A sentence that opens with a verb in the past tense and no subject ("Tried the new ramen
place…", "Finally fixed…"): the diary style of a writer speaking of themselves."""


def _threshold(model: _Model, text: str, start: int, end: int, title: bool) -> float | None:
    """The score the sentence text[start:end] must reach to be flagged, or None if the model
    may not judge it: a title needs less evidence than a sentence of a post, and a title in the
    first person much more than one that is not."""
    if not model_applies(text, start, end):
        return None
    personal = _FIRST_PERSON.search(text, start, end) is not None or _DIARY.match(text, start, end) is not None
    if not title:
        return None if personal else model.post_threshold
    return model.personal_threshold if personal else model.threshold


_ZEROS = itertools.repeat(0.0)


def scored_sentences(text: str, flagged_only: bool = False, title: bool | None = None) -> list[Scored]:
    """The model's score of each sentence of `text` it may judge (see `model_applies`); with
    `flagged_only`, only those that reach their threshold (the others are cheaper to skip)."""
    model = _load_model()
    if model is None:
        return []
    out = []
    weights = model.weights
    vocab = model.vocab
    cues = model.cues
    if title is None:
        title = is_title(text)
    # the least any sentence must score: most score less and skip the gates' searches
    lowest = min(model.threshold, model.personal_threshold) if title else model.post_threshold
    if not title and _FIRST_PERSON.search(text) is not None:
        return []  # a post where the writer speaks of themselves: its other sentences are theirs too
    low = text.lower().replace("’", "'")
    same = len(low) == len(text)  # lower() can lengthen a few letters ("İ"): then per sentence
    for seg_start, seg_end in segments(text):
        if same and low.find(".", seg_start, seg_end) < 0:  # no link to blank out
            norm = _fast_norm(low, seg_start, seg_end, vocab)
        else:
            part = _lowered(text[seg_start:seg_end])
            norm = _fast_norm(part, 0, len(part), vocab)
        if not norm or len(norm) > MAX_SEGMENT_TOKENS:
            continue
        if flagged_only and not title and len(cues.intersection(norm)) + (norm[0] == NUMBER) < model.min_words:
            continue  # a sentence of a post needs that many cue words (see _model_findings)
        total = model.bias + sum(map(weights.get, feature_names(norm), _ZEROS))
        if flagged_only and total < lowest:
            continue
        threshold = _threshold(model, text, seg_start, seg_end, title)
        if threshold is None or (flagged_only and total < threshold):
            continue
        toks, norm = sentence(clean(text[seg_start:seg_end]), vocab)
        if not toks:
            continue
        credit = [0.0] * len(toks)
        for f, positions in features(norm):
            wt = weights.get(f)
            if wt is not None and wt > 0:
                for p in positions:
                    credit[p] += wt / len(positions)
        found = []
        cue_weight = 0.0
        cue_words = set()
        for i, (word, a, b) in enumerate(toks):
            if credit[i] <= 0 or norm[i][0] == "_" or norm[i] == LABEL or (i and norm[i] == NUMBER):
                continue  # words the model saw only by their ending, labels and counts inside a
                # sentence are not named as causes; a count that leads it is (a listicle)
            found.append((seg_start + a, seg_start + b, credit[i]))
            if norm[i] in cues or (i == 0 and norm[i] == NUMBER):
                cue_weight += credit[i]
                if credit[i] >= model.min_credit:
                    cue_words.add(word)
        if flagged_only and not found:
            continue
        out.append(Scored(seg_start, seg_end, total, found, cue_weight, len(cue_words)))
    return out


def _model_findings(text: str, taken: list[tuple[int, int]], title: bool | None = None) -> list[Finding]:
    """`title`: whether the whole post is a title, when `text` is one paragraph of it."""
    model = _load_model()
    if model is None:
        return []
    if title is None:
        title = is_title(text)
    out = []
    for s in scored_sentences(text, flagged_only=True, title=title):
        if not title and (s.cue_words < model.min_words or s.cue_weight < model.min_cue_weight):
            continue  # in a post, generic words ("this", "you") are how honest prose talks, too
        if any(a < s.end and s.start < b for a, b in taken):
            continue  # a pattern already explains this sentence, more precisely
        top = sorted(s.words, key=lambda w: (-w[2], w[0]))[:3]
        top.sort()
        words = ", ".join(f"“{text[a:b]}”" for a, b, _ in top)
        out.append(
            Finding(
                rule="clickbait.bait-copy",
                category=CATEGORY,
                severity=DEFAULT_SEVERITY,
                start=top[0][0],
                end=top[-1][1],
                message=_BAIT_COPY_MESSAGE.format(words=words),
            )
        )
    return out


def _span(m: re.Match[str]) -> tuple[int, int]:
    for name, value in m.groupdict().items():
        if value is not None:
            return m.span(name)
    return m.span()


def _sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence around text[start:end] (looking at most 400 characters either way)."""
    lo = max(0, start - 400)
    left = max(text.rfind(c, lo, start) for c in ".!?\n")
    left = left + 1 if left >= 0 else lo
    hi = min(len(text), end + 400)
    right = min((i for i in (text.find(c, end, hi) for c in ".!?\n") if i >= 0), default=hi)
    return left, right


def _is_personal(text: str, start: int, end: int) -> bool:
    """Whether the sentence around text[start:end] speaks in the first person."""
    left, right = _sentence_bounds(text, start, end)
    return _FIRST_PERSON.search(text, left, right) is not None


_OPENERS = "\"“‘'(["
_ENDERS = ".!?…:;"
_CLOSERS = "\"”’')]"


def _opens_sentence(text: str, pos: int) -> bool:
    """Whether the word at `pos` opens a sentence: at the start of the text or a line, or after
    sentence punctuation and a space (an opening quote may stand between)."""
    i = pos
    while i > 0 and text[i - 1] in _OPENERS:
        i -= 1
    if i == 0 or text[i - 1] == "\n":
        return True
    if not text[i - 1].isspace():
        return False
    while i > 0 and text[i - 1].isspace():
        if text[i - 1] == "\n":
            return True
        i -= 1
    if i == 0:
        return True
    while i > 0 and text[i - 1] in _CLOSERS:
        i -= 1
    return i > 0 and text[i - 1] in _ENDERS


_WORD_KEY = re.compile(r"(?<![^\W_])(?:\d|[^\W\d_]+)")
"""At each word start: a digit, or the word's letters (see `_anchor` for the keys)."""

class _Bucket(NamedTuple):
    """The alternatives that can start with one anchor key, and one regex that tries them all
    at once: when it fails, none of them matches, which is the common case."""

    alts: tuple[tuple[int, _Alt], ...]
    pattern: str

    @property
    def any_of(self) -> re.Pattern[str]:
        return _compiled(self.pattern)


def _bucket(alts: list[tuple[int, _Alt]]) -> _Bucket:
    # named groups must be unique in one regex: drop the inner ones (spans come from re-matching)
    bodies = [re.sub(r"\(\?P<\w+>", "(?:", alt.pattern) for _, alt in alts]
    return _Bucket(tuple(alts), "|".join(f"({b})" for b in bodies))


def _build_index() -> tuple[dict[str, _Bucket], dict[str, _Bucket], tuple[tuple[int, _Alt], ...]]:
    anywhere: dict[str, list[tuple[int, _Alt]]] = {}
    at_start: dict[str, list[tuple[int, _Alt]]] = {}
    scanned = []
    for i, rule in enumerate(_RULES):
        for alt in rule.pattern:
            if alt.keys is None:
                scanned.append((i, alt))
                continue
            for key in alt.keys:
                (at_start if alt.at_start else anywhere).setdefault(key, []).append((i, alt))
    made: dict[tuple[int, ...], _Bucket] = {}

    def bucket(alts: list[tuple[int, _Alt]]) -> _Bucket:
        ids = tuple(id(alt) for _, alt in alts)
        if ids not in made:
            made[ids] = _bucket(alts)
        return made[ids]

    return (
        {k: bucket(v) for k, v in anywhere.items()},
        {k: bucket(v) for k, v in at_start.items()},
        tuple(scanned),
    )


_INDEX, _INDEX_AT_START, _SCANNED = _build_index()
_BY_KEY: dict[str, tuple[_Bucket | None, _Bucket | None]] = {
    k: (_INDEX.get(k), _INDEX_AT_START.get(k)) for k in {*_INDEX, *_INDEX_AT_START}
}
"""Key ("=word", a three-letter prefix or "<d>") -> (bucket anywhere, bucket at a sentence start)."""
_PREFIXES = frozenset(k for k in _BY_KEY if not k.startswith("=") and k != "<d>")


def _try(bucket: _Bucket, text: str, pos: int) -> Iterator[tuple[int, re.Match[str]]]:
    hit = bucket.any_of.match(text, pos)
    if hit is None:
        return
    first = (hit.lastindex or 1) - 1
    for i, alt in bucket.alts[first:]:
        m = alt.regex.match(text, pos)
        if m is not None:
            yield i, m


_BY_WORD = {k[1:]: v for k, v in _BY_KEY.items() if k.startswith("=")}
_BY_PREFIX = {k: v for k, v in _BY_KEY.items() if k in _PREFIXES}
_BY_DIGIT = _BY_KEY.get("<d>")


def _matches(text: str) -> Iterator[tuple[int, re.Match[str]]]:
    """(rule index, match) for every alternative that matches, each tried only at the words it
    can start with (a dictionary look-up per word), so the cost grows with the text, not with
    the number of patterns times its length."""
    by_word, by_prefix, by_digit = _BY_WORD, _BY_PREFIX, _BY_DIGIT
    low = text.lower()
    lowered = len(low) == len(text)  # lower() lengthens a few letters ("İ"): then word by word
    for m in _WORD_KEY.finditer(low if lowered else text):
        word = m.group()
        if word.isdigit():
            found = (by_digit,)
        else:
            if not lowered:
                word = word.lower()
            whole = by_word.get(word)
            part = by_prefix.get(word[:3]) if len(word) >= 3 else None
            if whole is None and part is None:
                continue
            found = (whole, part)
        for pair in found:
            if pair is None:
                continue
            pos = m.start()
            anywhere, at_start = pair
            if anywhere is not None:
                yield from _try(anywhere, text, pos)
            if at_start is not None and _opens_sentence(text, pos):
                yield from _try(at_start, text, pos)
    for i, alt in _SCANNED:
        for hit in alt.regex.finditer(text):
            yield i, hit


def _pattern_findings(text: str, has_link: bool | None = None) -> list[Finding]:
    """`has_link`: whether the whole post has a link, when `text` is one paragraph of it."""
    spans: list[tuple[int, int, int]] = []
    for i, m in _matches(text):
        rule = _RULES[i]
        start, end = _span(m)
        while start < end and text[start].isspace():
            start += 1
        while end > start and (text[end - 1].isspace() or text[end - 1] in "!?.…"):
            end -= 1
        if end <= start:
            continue
        if not rule.personal_ok and _is_personal(text, start, end):
            continue
        if not rule.link_ok:
            if has_link is None:
                has_link = _LINK.search(text) is not None
            if has_link:
                continue
        spans.append((start, end, i))
    # one finding per rule id and place: overlapping matches of one rule merge into the first
    spans.sort(key=lambda s: (_RULES[s[2]].rule, s[0], -s[1]))
    out: list[Finding] = []
    last: dict[str, int] = {}
    for start, end, i in spans:
        rule = _RULES[i]
        if start < last.get(rule.rule, -1):
            continue
        last[rule.rule] = end
        span = " ".join(text[start:end].split())
        if len(span) > 60:
            span = span[:57] + "…"
        out.append(
            Finding(
                rule=rule.rule,
                category=CATEGORY,
                severity=DEFAULT_SEVERITY,
                start=start,
                end=end,
                message=rule.message.format(span=span),
            )
        )
    return out


def warm_up() -> None:
    """Load the model and compile every pattern now (about a quarter of a second), e.g. on a
    background thread at start-up, so that no keystroke pays for it later."""
    _load_model()
    for bucket in {*_INDEX.values(), *_INDEX_AT_START.values()}:
        bucket.any_of
        for _, alt in bucket.alts:
            alt.regex
    for _, alt in _SCANNED:
        alt.regex


def check(text: str) -> list[Finding]:
    """Clickbait findings for `text`, sorted by (start, end, rule). Never raises."""
    if not isinstance(text, str) or not text:
        return []
    try:
        found = _pattern_findings(text)
        found += _model_findings(text, [(f.start, f.end) for f in found])
    except Exception:  # noqa: BLE001 - a checker must never break typing; patterns are static
        return []
    found.sort(key=lambda f: (f.start, f.end, f.rule))
    return found
