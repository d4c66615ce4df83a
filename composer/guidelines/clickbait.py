"""The clickbait check: copy that withholds, hypes, pressures or begs for engagement.

`check(text)` returns one `Finding` per bait pattern it sees, each pointing at the exact words that
triggered it and saying, in plain words, what the pattern is, why it is unkind to readers and what to
write instead. Two layers:

1. Hand-written patterns (curiosity gaps, forward references, hyperbole, listicle leads, bait
   questions, quizzes, second-person hooks, urgency, "must see" copy, engagement bait). They key on
   how bait copy is built, not on topics or a publisher's house style, so they carry over from
   headlines to posts.
2. A small logistic model over lowercased word n-grams (`clickbait.bait-copy`), trained by
   `bench/train_clickbait.py` on the Stop Clickbait headlines (Chakraborty et al., ASONAM 2016) and
   shipped as `data/clickbait_model.json`. Its vocabulary is restricted to copy words (second
   person, forward reference, hype, listicle nouns, quiz words, function words); every other word
   is seen only as "some word", so it cannot learn topics, names or casing. It scores each sentence
   on its own, like a headline, and its finding names the words that weighed most.

Pure Python, no I/O besides loading the model lazily on the first call; deterministic; never raises.
"""

from __future__ import annotations

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


class _Rule(NamedTuple):
    rule: str
    pattern: re.Pattern[str]
    message: str


def _rx(*alternatives: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{a})" for a in alternatives), re.IGNORECASE)


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
            r"what\s+(?:they|he|she|we|it)\s+found|(?:number|no\.|#)\s?\d+)\s+"
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
            r"\bguess\s+(?:which|who)\b",
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
            rf"{_START}(?P<s2>(?:this|that)\s+is\s+(?:the\s+)?(?:{_HYPE}|most|only)\b)",
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
        "",  # filled below
    ),
    _Rule(
        "clickbait.second-person-hook",
        _rx(
            rf"\byou\s+(?:really\s+|seriously\s+|absolutely\s+)?(?:need|have|must|should|got)\s+to\s+"
            rf"(?:see|read|watch|hear|know\s+(?:this|these|about\s+this)|try\s+(?:this|these))\b",
            r"\byou\s+(?:really\s+)?need\s+(?:this|these)\b",
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
            r"(?:^|(?<=[.!?…\n])\s*)hurry\b",
            r"\bhurry\s+up\b",
            r"\bhurry\s*!",
            r"\bact\s+(?:now|fast|quickly)\b",
            r"\blast\s+chance\s*!|\blast\s+chance\s+to\s+(?:grab|buy|get|join|save|win|snag|score|see)\b",
            rf"{_START}last\s+chance\b(?!\s+(?:for|of)\b)",
            r"\bstop\s+everything\b",
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
            r"\bwill\s+(?:make|have)\s+you\s+(?:cry|laugh|smile|scream|gasp|lol|rethink|question|"
            r"feel|want|jealous|hungry|nostalgic|happy|sad|cringe|speechless|weep|tear\s+up)\b",
            r"\bwill\s+leave\s+you\s+(?:speechless|in\s+tears|breathless|stunned|shook|shaken|"
            r"wanting|smiling)\b",
            r"\bwait\s+(?:un)?till?\s+you\s+see\b",
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
            rf"(?-i:[A-Z]{{2,}}))[\"”'’]?(?=\s|[!.,]|$)(?!\s+(?:to|on|about|that|and|but|in))",
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

_MESSAGES["quiz"] = (
    "Quiz bait: “{span}” dresses the post up as a test or a guessing game to get clicks. "
    "Share the information directly, or say plainly what the quiz covers."
)
_RULES = tuple(r._replace(message=_MESSAGES["quiz"]) if r.rule == "clickbait.quiz" else r for r in _RULES)

_BAIT_COPY_MESSAGE = (
    "Bait copy: this sentence reads like a clickbait headline, mostly because of {words}. "
    "Say plainly what the post offers, so readers can decide without clicking."
)

# --------------------------------------------------------------------------------------------
# The model: features shared with bench/train_clickbait.py (keep them in one place).
# --------------------------------------------------------------------------------------------

_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_SENTENCE_END = re.compile(r"[.!?…。！？]+(?=\s|$|[\"”'’)])|\n+|\s[—–]\s|\s-\s")
MAX_SEGMENT_TOKENS = 40
"""Sentences longer than this are not scored by the model: bait copy is headline-short."""
OTHER = "_"
NUMBER = "<num>"


def tokens(segment: str) -> list[tuple[str, int, int]]:
    """Lowercased word tokens of one segment with their offsets (apostrophes made straight)."""
    out = []
    for m in _TOKEN.finditer(segment):
        word = m.group().lower().replace("’", "'")
        out.append((word, m.start(), m.end()))
    return out


def normalise(words: list[str], vocab: frozenset[str] | set[str]) -> list[str]:
    """Map words outside the copy vocabulary to OTHER and numbers to NUMBER."""
    return [NUMBER if w.isdigit() else (w if w in vocab else OTHER) for w in words]


def features(norm: list[str]) -> list[tuple[str, tuple[int, ...]]]:
    """The model's features of one normalised segment, each with the token positions it covers."""
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
            if w != OTHER and v != OTHER:
                out.append((w + " " + v, (i, i + 1)))
    return out


def segments(text: str) -> Iterator[tuple[int, int]]:
    """Sentence-like spans (start, end) of `text`: split at sentence ends, line breaks and dashes."""
    start = 0
    for m in _SENTENCE_END.finditer(text):
        if m.start() > start:
            yield start, m.start()
        start = m.end()
    if start < len(text):
        yield start, len(text)


class _Model:
    __slots__ = ("vocab", "weights", "bias", "threshold")

    def __init__(self, data: dict) -> None:
        self.vocab = frozenset(data["vocab"])
        self.weights: dict[str, float] = data["weights"]
        self.bias = float(data["bias"])
        self.threshold = float(data["threshold"])


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


def score(segment: str) -> float:
    """The model's score of one segment (log-odds of bait copy); -inf when there is no model."""
    model = _load_model()
    if model is None:
        return float("-inf")
    norm = normalise([w for w, _, _ in tokens(segment)], model.vocab)
    w = model.weights
    return model.bias + sum(w.get(f, 0.0) for f, _ in features(norm))


def _model_findings(text: str, taken: list[tuple[int, int]]) -> list[Finding]:
    model = _load_model()
    if model is None:
        return []
    out = []
    weights = model.weights
    for seg_start, seg_end in segments(text):
        segment = text[seg_start:seg_end]
        toks = tokens(segment)
        if not toks or len(toks) > MAX_SEGMENT_TOKENS:
            continue
        norm = normalise([w for w, _, _ in toks], model.vocab)
        feats = features(norm)
        total = model.bias
        credit = [0.0] * len(toks)
        for f, positions in feats:
            wt = weights.get(f)
            if wt is None:
                continue
            total += wt
            if wt > 0:
                for p in positions:
                    credit[p] += wt / len(positions)
        if total < model.threshold:
            continue
        abs_start = seg_start + toks[0][1]
        abs_end = seg_start + toks[-1][2]
        if any(s < abs_end and abs_start < e for s, e in taken):
            continue  # a pattern already explains this sentence, more precisely
        ranked = sorted(
            (i for i in range(len(toks)) if credit[i] > 0), key=lambda i: (-credit[i], i)
        )[:3]
        if not ranked:
            continue
        ranked.sort()
        start = seg_start + toks[ranked[0]][1]
        end = seg_start + toks[ranked[-1]][2]
        words = ", ".join(f"“{segment[toks[i][1]:toks[i][2]]}”" for i in ranked)
        out.append(
            Finding(
                rule="clickbait.bait-copy",
                category=CATEGORY,
                severity=DEFAULT_SEVERITY,
                start=start,
                end=end,
                message=_BAIT_COPY_MESSAGE.format(words=words),
            )
        )
    return out


def _span(m: re.Match[str]) -> tuple[int, int]:
    for name, value in m.groupdict().items():
        if value is not None:
            return m.span(name)
    return m.span()


def _pattern_findings(text: str) -> list[Finding]:
    out = []
    for rule in _RULES:
        last_end = -1
        for m in rule.pattern.finditer(text):
            start, end = _span(m)
            # trim whitespace the pattern swallowed at either edge
            while start < end and text[start].isspace():
                start += 1
            while end > start and text[end - 1].isspace():
                end -= 1
            if end <= start or start < last_end:
                continue
            last_end = end
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
