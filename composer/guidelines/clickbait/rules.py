"""The clickbait patterns: how bait copy is built, each with its message (why, and what to write
instead). Data tables only; `anchors.py` reads where each can start, `index.py` finds them.

`(?P<s>...)` narrows the flagged span when the whole match is wider than the words that make it
bait; otherwise the whole match is the span. All are matched case-insensitively on the original
text, so offsets are exact. A `sure` rule warns by itself (its phrases are bait in any post); the
others are evidence that the model weighs with the rest of the post.
"""

from __future__ import annotations

from typing import NamedTuple

from .anchors import START as _START
from .anchors import Alt
from .anchors import rx as _rx

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



class Rule(NamedTuple):
    rule: str
    pattern: tuple[Alt, ...]
    message: str
    personal_ok: bool = True
    """False: skip matches in a sentence where the writer speaks of themselves (I, my, we, our):
    "…and it was hilarious" is bait in a headline, but an honest report in a personal note."""
    link_ok: bool = True
    """False: skip matches in a text that carries a link, which may be what "this" points at."""
    sure: bool = False
    """True: a match warns by itself; False: the model decides how sure the post is."""

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

RULES: tuple[Rule, ...] = (
    Rule(
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
        sure=True,
    ),
    Rule(
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
    Rule(
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
            r"\b(?:change|changes|transform|transforms)\s+your\s+life(?:\s+forever)?\b",
            r"\b(?:shocking|terrifying|horrifying)\s+(?:truth|secret|reason|discovery|photos?|"
            r"video|footage|twist|news)\b",
        ),
        _MESSAGES["hyperbole"],
    ),
    Rule(
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
    Rule(
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
    Rule(
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
        sure=True,
    ),
    Rule(
        "clickbait.second-person-hook",
        _rx(
            r"\byou\s+(?:really\s+|seriously\s+|absolutely\s+)?(?:need|have|must|should|got)\s+to\s+"
            r"(?:see|read|watch|hear|know\s+(?:this|these|about\s+this)|try\s+(?:this|these))\b",
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
            r"\bonly\s+(?:a\s+|true\s+|real\s+)?(?:[\w'’-]+\s+){0,3}(?:will|would|can|could)\s+"
            r"(?:understand|remember|relate|appreciate|get\s+this|get\s+it)\b",
            r"\b(?:things|reasons|signs|ways|people|struggles|moments)\s+(?:[\w'’-]+\s+){0,3}"
            r"(?:only|every|all|anyone|everyone)\s+(?:[\w'’-]+\s+){0,4}(?:will|would|can)\s+"
            r"(?:understand|relate|get|remember|appreciate|know)\b",
            rf"\bsigns\s+(?:that\s+)?you{_A}?(?:re|\s+are|\s+might|\s+may|\s+have|{_A}ve)\b",
            r"\b(?:things|mistakes|secrets|facts)\s+(?:[\w'’-]+\s+){0,2}(?:no\s+one|nobody)\s+"
            r"(?:tells|told|will\s+tell)\s+you\b",
            rf"\bthings\s+you\s+(?:didn{_A}?t|don{_A}?t|never)\s+know\b",
            rf"\byou\s+(?:probably\s+|might\s+|may\s+)?(?:didn{_A}?t|don{_A}?t|never)\s+"
            rf"(?:know|knew|realize|realise|notice)\s+(?:about|existed|these|this|how|why)\b",
            r"\b(?:reasons?|why)\s+(?:why\s+)?your\s+[\w'’-]+\s+(?:will|is\s+going\s+to)\s+"
            r"(?:fail|die|hate|leave)\b",
            rf"\byou{_A}?(?:ll|\s+will)\s+(?:never|want\s+to|need\s+to)\s+(?:look\s+at|see|think\s+of|"
            rf"eat|use|buy|do)\b(?:(?!\n)[^.!?]){{0,60}}?\b(?:the\s+same|again)\b",
        ),
        _MESSAGES["second-person-hook"],
    ),
    Rule(
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
        sure=True,
    ),
    Rule(
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
        sure=True,
    ),
    Rule(
        "clickbait.engagement-bait",
        _rx(
            r"\b(?:like|share|retweet|rt|repost|comment|follow|type|reply|tag|heart|upvote|save|"
            r"subscribe|like\s+(?:and|&|\+)\s+(?:share|retweet|comment|follow)|"
            r"share\s+(?:and|&|\+)\s+(?:like|comment))\s+(?:this\s+|it\s+|now\s+)?if\s+(?:you|u|your|ur)\b",
            r"\b(?:comment|type|reply(?:\s+with)?)\s+[\"“'‘]?(?:yes|amen|done|me|yes\s+please|\d|"
            r"(?-i:[A-Z]{2,}))[\"”'’]?(?=\s|[!.,]|$)(?!\s+(?:to|on|about|that|in|of|the)\b)",
            r"\bcomment\s+below\b",
            r"\bdrop\s+(?:a|an|your|some)\s+(?:\S+\s+){0,3}?(?:in\s+the\s+comments|below|if)\b",
            r"\bin\s+the\s+comments\s+if\b",
            r"\btag\s+(?:a|your|that|an?\s+\w+)?\s*(?:friend|someone|bestie|bff|mom|mum|dad|sister|"
            r"brother|partner|buddy|person|mate)s?\s+(?:who|that|you)\b",
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
        sure=True,
    ),
)

_HYPE_ADJ = (
    r"(?:everything|hilarious|amazing|adorable|perfect|gross|awkward|magical|beautiful|brilliant|"
    r"incredible|glorious|wonderful|terrifying|horrifying|insane|wild|genius|iconic|priceless|"
    r"epic|heartbreaking|heartwarming|mesmeri[sz]ing|breathtaking|stunning|flawless|"
    r"ridiculous|bizarre|weird|creepy|cute|beautiful|savage|legendary|unreal|life|goals|magic)"
)
RULES += (
    Rule(
        "clickbait.forward-reference",
        _rx(rf"{_START}(?P<s>(?:this|that)\s+is\s+(?:the\s+)?(?:{_HYPE}|most|only)\b)"),
        _MESSAGES["forward-reference"],
        personal_ok=False,
    ),
    Rule(
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
    Rule(
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
    Rule(
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
        sure=True,
    ),
    Rule(
        "clickbait.second-person-hook",
        _rx(
            rf"\b{_LIST_NOUNS}\s+(?:that\s+)?you{_A}?(?:ll|ve|d|re)?\s+(?:totally|definitely|probably|"
            rf"actually|literally|seriously|absolutely|never|always|should|need|must|won{_A}?t|"
            rf"didn{_A}?t|don{_A}?t|forgot|missed|can{_A}?t|will\s+(?:want|love|need|never))\b",
            rf"\byou{_A}?(?:re|\s+are)\s+(?:going\s+to|gonna)\s+(?:want|need|love|regret|die|cry)\b",
            rf"\byou(?:{_A}ve|\s+have)?\s+(?:definitely|probably|totally|all|never)\s+(?:had|seen|done|been|"
            rf"made|wanted|thought|felt|experienced|heard|said|noticed|met)\b",
            r"\byou\s+have\s+no\s+(?:fucking\s+)?(?:clue|idea)\s+(?:what|how|why|who)\b",
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

BAIT_COPY_MESSAGE = (
    "Bait copy: this sentence reads like a clickbait headline, mostly because of {words}; it "
    "sells the click instead of the content. Say plainly what the post offers, so readers can "
    "decide without clicking."
)

TEASER_MESSAGE = (
    "Teaser: “{span}” tells readers almost nothing about what the post offers, so they have to "
    "click to find out. Say what it is: who, what, and why it matters."
)
