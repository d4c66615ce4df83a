"""Where to find a person: a street address tied to them (not a museum's or a venue's), exact
coordinates, an IP address given as theirs, and a school or workplace with the time they are there.
"""

from __future__ import annotations

import re

from . import cues
from .scan import Hit, Pattern, Scan, Span, Taken

# -- street addresses --------------------------------------------------------------------------

_STREET_TYPES = (
    r"Street|St|Avenue|Ave|Av|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Place|Pl|Terrace|Ter"
    r"|Way|Circle|Cir|Highway|Hwy|Parkway|Pkwy|Square|Sq|Crescent|Cres|Close|Gardens|Grove|Mews"
    r"|Row|Alley|Trail|Plaza|Walk|Hill"
)
US_ADDRESS_RE = Pattern(
    r"(?<![\w#$€£.,/-])\d{1,5}[A-Za-z]?(?:-\d{1,4})?,?"
    r"((?:[ ](?:N|S|E|W|NE|NW|SE|SW|North|South|East|West)\.?)?"
    r"(?:[ ](?:[A-Z][a-zA-Z'’.-]*|\d{1,3}(?:st|nd|rd|th))){1,4})"
    r"[ ](?:" + _STREET_TYPES + r")\b(?![-'’])\.?(?![ ][A-Z][a-z]+[ ][a-z])"
    r"(?:,?[ ](?:Apt|Apartment|Suite|Ste|Unit|Flat|Fl|Floor|#)\.?[ ]?#?[\w-]{1,6}\b)?"
)
_NOT_STREET_WORDS = frozenset(
    """The That This These Those Of To And Or But You Your Yours Will Can Could Would Should May
    Might Must Things Ways Reasons People Times Days Years Months Weeks Hours Minutes Tips Tricks
    Steps Who Which What Why How When Where We They I My Our Their His Her For With In On At Is
    Are Was Were Be Been Do Does Did Make Makes Made Get Gets Got Best Worst Top New Ideas Lessons
    Rules Signs Facts Books Songs Films Movies Questions Mistakes Habits Kids Dogs Cats Men Women""".split()
)
EU_SUFFIX_RE = Pattern(
    r"(?<![\w-])[A-ZÄÖÜÅÆØ][\wäöüßåæø-]*?(?i:straße|strasse|str\.|weg|gasse|platz|allee|straat|laan"
    r"|gracht|plein|kade|vej|gade|gatan|gata|vägen|veien)[ ]\d{1,4}[a-zA-Z]?(?![\w-])"
)
FR_RE = Pattern(
    r"(?<![\w#$€£.,/-])\d{1,4}(?:[ ]?(?:bis|ter))?,?[ ](?i:rue|avenue|boulevard|bd|place|chemin|allée"
    r"|impasse|quai|cours|route)[ ](?:d[eu]s?[ ]|de[ ]la[ ]|de[ ]l['’]|d['’]|la[ ]|le[ ])?[A-ZÉÈ][\w'’-]+"
)
SOUTH_RE = Pattern(
    r"(?<![\w-])(?:Calle|C/|Avenida|Avda\.|Paseo|Plaza|Via|Viale|Piazza|Corso|Rua|Travessa|Largo)[ ]"
    r"(?:d[eiao]l?[ ]|de[ ]la[ ]|dos[ ]|das[ ])?[A-Z][\w'’-]+(?:[ ][A-Z][\w'’-]+)?,?[ ](?:n[º°o.][ ]?)?\d{1,4}(?![\w-])"
)
EAST_RE = Pattern(
    r"(?<![\w-])(?:(?:ul\.|ulica|al\.|aleja|os\.)[ ]?[A-ZĄĆĘŁŃÓŚŹŻ][\wąćęłńóśźż-]+(?:[ ][A-ZĄĆĘŁŃÓŚŹŻ][\wąćęłńóśźż-]+)?"
    r"|ул\.[ ]?[А-ЯЁ][а-яё-]+),?[ ](?:д\.[ ]?)?\d{1,4}[a-zA-Zа-я]?(?:/\d{1,4})?(?:,[ ]?кв\.[ ]?\d{1,4})?(?![\w-])"
)
_TITLE_WORD_RE = Pattern(r"[^\W\d_][\w'’-]*")


def _in_title_case_line(text: str, start: int, end: int) -> bool:
    """The match sits in a line written in Title Case (a headline: "19 Firsts All Close Mums And
    Daughters Go Through"), judged by at least four other words on the line."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    if line_end - line_start > 400:
        return False
    others = _TITLE_WORD_RE.findall(text, line_start, start) + _TITLE_WORD_RE.findall(text, end, line_end)
    if len(others) < 4:
        return False
    return sum(w[0].isupper() for w in others) >= 0.75 * len(others)


STREET_WORDS = frozenset(
    """street st avenue ave av road rd boulevard blvd lane ln drive dr court ct place pl terrace ter way
    circle cir highway hwy parkway pkwy square sq crescent cres close gardens grove mews row alley trail
    plaza walk hill rue chemin allée impasse quai cours route bd calle c avenida avda paseo via viale
    piazza corso rua travessa largo ul ulica al aleja os ул""".split()
)
STREET_STEMS = (
    "straße", "strasse", "str.", "weg ", "gasse", "platz", "allee", "straat", "laan", "gracht", "plein",
    "kade", "vej ", "gade", "gatan", "gata ", "vägen", "veien",
)
"""An address needs one of these words (or a street name ending so) near its number."""


def addresses(scan: Scan) -> list[Hit]:
    text = scan.text
    found: list[Span] = []
    if not scan.mentions(STREET_WORDS, STREET_STEMS):
        return []
    for m in scan.finditer(US_ADDRESS_RE):
        if any(w.strip(".,") in _NOT_STREET_WORDS for w in m.group(1).split()):
            continue
        if re.search(r"\bSt\.?$", m.group()) and re.match(r"\.?[ ][A-Z]", text[m.end() - (m.group().endswith(".")) :]):
            continue  # St. Louis, St Paul: a saint, not a street
        if _in_title_case_line(text, m.start(), m.end()):
            continue
        found.append((m.start(), m.end()))
    for pattern in (EU_SUFFIX_RE, FR_RE, SOUTH_RE, EAST_RE):
        found.extend((m.start(), m.end()) for m in scan.finditer(pattern))
    out = []
    for start, end in found:
        lo, hi = scan.sentence(start, end)
        if not cues.residence(scan, lo, hi) and cues.public(scan, lo, hi):
            continue  # "the new wing at 1 Museum Square opens Monday": a public place
        out.append(Hit(start, end))
    return out


# -- coordinates ---------------------------------------------------------------------------------

DECIMAL_PAIR_RE = Pattern(
    r"(?<![\w.\-])(?P<lat>-?\d{1,2}\.(?P<latd>\d{2,8}))\s?(?P<deg1>°)?\s?(?P<ns>[NS](?![\w]))?\s?[,;/]?\s{0,2}"
    r"(?P<lon>-?\d{1,3}\.(?P<lond>\d{2,8}))\s?(?P<deg2>°)?\s?(?P<ew>[EWO](?![\w]))?(?![\w.]|\d)"
)
DMS_RE = Pattern(
    r"(?<![\w.])\d{1,2}°\s?\d{1,2}['′]\s?\d{1,2}(?:[.,]\d+)?(?:\"|″|'')\s?[NS],?\s*"
    r"\d{1,3}°\s?\d{1,2}['′]\s?\d{1,2}(?:[.,]\d+)?(?:\"|″|'')\s?[EWO](?![\w])"
)
LOCATION_WORDS = frozenset(
    """at location located position coords coord coordinates gps lat latitude pin pinned here bei
    chez en em in posición ubicación localização posizione standort positie koordinaten coordonnées
    coordenadas""".split()
)
"""Words that, just before two numbers, say they are a place ("she's at 51.50, -0.12")."""
NOT_COORDINATE_WORDS = frozenset(
    """rate rates price prices cost score scores scored ratio index version percent points odds
    average mean gpa grade grades temperature temperatures kg km mph cm mm usd eur gbp""".split()
)
_NOT_COORDINATE_SIGNS = ("%", "€", "$", "£", "°C", "°F")
_LIST_AFTER_RE = Pattern(r"\s*(?:,|;|and|y|et|und|e)\s*-?\d+[.,]\d")


def coordinates(scan: Scan) -> list[Hit]:
    text = scan.text
    out: list[Hit] = []
    taken = Taken()
    for m in scan.finditer(DMS_RE):
        lo, hi = scan.sentence(m.start(), m.end())
        if (cues.person(scan, lo, hi) or not cues.public(scan, lo, hi)) and taken.add(m.start(), m.end()):
            out.append(Hit(m.start(), m.end()))
    for m in scan.finditer(DECIMAL_PAIR_RE):
        start, end = m.start(), m.end()
        if taken.overlaps(start, end):
            continue
        lat, lon = float(m.group("lat")), float(m.group("lon"))
        if abs(lat) > 90 or abs(lon) > 180:
            continue
        if _LIST_AFTER_RE.match(text, end) or re.search(r"\d[.,]\d+\s*[,;]\s*$", text[max(0, start - 16) : start]):
            continue  # 2.45, 3.10 and 4.20: a list of figures
        strong = bool(m.group("deg1") or m.group("deg2") or (m.group("ns") and m.group("ew")))
        strong = strong or text[max(0, start - 4) : start].endswith("geo:")
        places = min(len(m.group("latd")), len(m.group("lond")))
        if not (strong or places >= 4):
            before = text[max(0, start - 24) : start]
            if not ("geo:" in before or "@" in before[-3:] or not scan.words(max(0, start - 24), start).isdisjoint(LOCATION_WORDS)):
                continue
        lo, hi = scan.sentence(start, end)
        if not strong and (
            not scan.words(lo, hi).isdisjoint(NOT_COORDINATE_WORDS) or any(s in text[lo:hi] for s in _NOT_COORDINATE_SIGNS)
        ):
            continue
        if cues.person(scan, lo, hi):
            out.append(Hit(start, end))
        elif not cues.public(scan, lo, hi) and places >= 3:
            out.append(Hit(start, end))  # ~100 m or better, and no public place named
    return out


# -- IP addresses ---------------------------------------------------------------------------------

_OCTET = r"(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)"
IPV4_RE = Pattern(r"(?<![\w.:/-])(?:" + _OCTET + r"\.){3}" + _OCTET + r"(?![\w.]|/\d)")
IPV6_RE = Pattern(r"(?<![\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?![\w:]|/\d)")
_IP_WORD = r"(?:ip|ip-?adresse|ip[ -]address|adresse\s+ip|dirección\s+ip|endereço\s+ip|indirizzo\s+ip|ip-?adres)"
_OWNED_IP_RE = Pattern(
    r"(?i:(?<![\w'’])(?:(?:his|her|their|my|your|seine|seiner|ihre|ihrer|sa|son|su|sua|dele|dela|zijn|haar|jego|jej)\s+"
    r"(?:home\s+|own\s+|real\s+|private\s+)?|[\w]+['’]s\s+(?:home\s+)?)"
    + _IP_WORD + r"(?![\w'’])[^\n]{0,20}$|(?<![\w'’])" + _IP_WORD
    + r"\s+(?:de|of|von|di|van|da|do)\s+[\w]+[^\n]{0,20}$)"
)
_TRACED_RE = Pattern(r"(?i:(?<![\w'’])(?:traced|tracked|located|geolocated|doxx\w*|found)(?![\w'’]))[^\n]{0,40}$")
_OWNED_AFTER_RE = Pattern(
    r"^[^\n]{0,30}?(?i:(?<![\w'’])(?:his|her|their|my)\s+(?:home\s+)?(?:router|connection|network|wifi|wi-fi|house|place)(?![\w'’]))"
)
_TRACE_STEMS = ("traced", "tracked", "located", "doxx", "found")
_OWNED_AFTER_STEMS = ("router", "connection", "network", "wifi", "wi-fi", "house", "place")
_NOT_IP_BEFORE_RE = Pattern(r"(?i:(?<![\w'’])(?:firmware|version|v|build|release|update|upgrade)(?![\w'’]))[^\n]{0,12}$")


def ip_addresses(scan: Scan) -> list[Hit]:
    text = scan.text
    candidates = [m for m in scan.finditer(IPV4_RE)]
    if ":" in text:
        candidates += [m for m in scan.finditer(IPV6_RE) if m.group().count(":") >= 2]
    out: list[Hit] = []
    for m in candidates:
        start, end = m.start(), m.end()
        if ":" in m.group():
            import ipaddress  # only for a text holding something shaped like an IPv6 address

            try:
                ipaddress.IPv6Address(m.group())
            except ValueError:
                continue
        before = text[max(0, start - 60) : start]
        low_before = before.lower()
        if _NOT_IP_BEFORE_RE.search(before):
            continue
        owned = "ip" in low_before and _OWNED_IP_RE.search(before) is not None
        if not owned and any(w in low_before for w in _TRACE_STEMS) and _TRACED_RE.search(before):
            lo, hi = scan.sentence(start, end)
            owned = cues.person(scan, lo, hi)
        if not owned:
            after = text[end : end + 60]
            owned = any(w in after.lower() for w in _OWNED_AFTER_STEMS) and _OWNED_AFTER_RE.match(after) is not None
        if owned:
            out.append(Hit(start, end))
    return out


# -- a school or workplace, with when someone is there -----------------------------------------

_WORD_RE = Pattern(r"[\w'’-]+")
_RECURRENCE_STARTS = (
    "every ", "each ", "weekdays", "daily", "after school", "tous les ", "chaque ", "jeden ",
    "täglich", "todos ", "cada ", "ogni ", "elke ",
)
"""Where a recurrence ("every morning") can start: found with str.find, cheap on a long text."""
PLACE_WORDS = frozenset(
    """school schools primary elementary kindergarten nursery daycare preschool pre-school academy
    office shift workplace factory warehouse work works pick picks picked picking drop drops dropped
    dropping collect collects grundschule schule kita gymnasium hort büro schicht abgeholt abholen holt
    école collège lycée crèche bureau travail dépose récupère colegio escuela instituto guardería
    oficina trabajo turno recoge escola creche colégio escritório trabalho busca buscar scuola
    asilo ufficio lavoro basisschool kinderopvang kantoor werk dienst haalt ophalen szkoła szkoły
    szkole przedszkole przedszkola""".split()
)
"""A schedule needs one of these words near its time (PLACE_RE's words): a cheap test first."""
PERSON_WORDS = frozenset(
    """her his their my your ihr ihre seine sein meine mein ses son sa mes mon ma su sus mi mis seu sua
    seus suas meu minha meus minhas suo mio mia haar zijn mijn jej jego moja mój he she he's she's er
    il elle él ella ele ela lui lei hij zij""".split()
)
"""SCHEDULE_PERSON_RE needs one of these words."""
PLACE_RE = Pattern(
    r"(?i:(?<![\w'’])(?:(?:high|middle|primary|elementary|nursery|grammar)\s+school|school|primary|elementary|"
    r"kindergarten|nursery|daycare|day\s+care|preschool|pre-school|academy|office|shift|workplace|factory|"
    r"warehouse|works\s+at|work\s+at|leaves\s+work|finishes\s+work|gets\s+off\s+work|"
    r"pick(?:s|ed|ing)?\s+(?:\w+\s+){0,2}up|drop(?:s|ped|ping)?\s+(?:\w+\s+){0,2}off|collects?|"
    r"grundschule|schule|kita|gymnasium|hort|büro|schicht|abgeholt|abholen|holt\s+\w+\s+ab|"
    r"école|collège|lycée|crèche|bureau|travail|dépose|récupère|"
    r"colegio|escuela|instituto|guardería|oficina|trabajo|turno|recoge|sale\s+del|"
    r"escola|creche|colégio|escritório|trabalho|busca|buscar|"
    r"scuola|asilo|ufficio|lavoro|"
    r"basisschool|kinderopvang|kantoor|werk|dienst|haalt|ophalen|"
    r"szkoła|szkoły|szkole|przedszkole|przedszkola)(?![\w'’]))"
)
TIME_RE = Pattern(
    r"(?i:(?<![\w:.])(?:[01]?\d|2[0-3])[:.h][0-5]\d(?![\w:]|\.\d)(?:\s?(?:am|pm|uhr|h))?|"
    r"(?<![\w:.])(?:1[0-2]|0?[1-9])\s?(?:am|pm|a\.m\.|p\.m\.)(?![\w'’])|"
    r"(?<![\w:.])\d{1,2}\s?(?:uhr|h)(?![\w'’])|"
    r"(?<![\w'’])(?:at|um|à|a\s+las|às|alle|om|o)\s+(?:1[0-2]|0?[1-9])(?![\w:]|\.\d))"
)
_DAYS = (
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|weekday|day|morning|afternoon|evening|night|"
    r"montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag|"
    r"lunes|martes|miércoles|jueves|viernes|sábado|domingo"
)
RECURRENCE_RE = Pattern(
    r"(?i:(?<![\w'’])(?:(?:every|each)\s+(?:" + _DAYS + r")s?|on\s+(?:" + _DAYS + r")s|weekdays|daily|"
    r"after\s+school|mondays|tuesdays|wednesdays|thursdays|fridays|"
    r"tous\s+les\s+(?:jours|matins|soirs|après-midi|lundis|mardis|mercredis|jeudis|vendredis)|"
    r"chaque\s+(?:jour|matin|soir)|jeden\s+(?:tag|morgen|abend|" + _DAYS + r")|täglich|werktags|"
    r"montags|dienstags|mittwochs|donnerstags|freitags|"
    r"todos\s+los\s+(?:días|lunes|martes|miércoles|jueves|viernes)|cada\s+(?:día|mañana|tarde)|"
    r"todos\s+os\s+dias|todas\s+as\s+(?:manhãs|tardes)|ogni\s+(?:giorno|mattina|sera|pomeriggio)|"
    r"elke\s+(?:dag|ochtend|middag|avond)|iedere\s+dag|codziennie)(?![\w'’]))"
)
SCHEDULE_PERSON_RE = Pattern(
    r"(?i:(?<![\w'’])(?:(?:her|his|their|my|your|ihre?|seine?|meine?|ses|son|sa|mes|mon|ma|su|sus|mi|mis|"
    r"seu|sua|seus|suas|meu|minha|meus|minhas|suo|mio|mia|haar|zijn|mijn|jej|jego|moja|mój)\s+"
    r"(?:\w+\s+)?(?:son|sons|daughter|daughters|kid|kids|child|children|boy|girl|baby|wife|husband|"
    r"girlfriend|boyfriend|partner|sister|brother|mum|mom|mother|dad|father|"
    r"sohn|tochter|kind|kinder|frau|mann|fils|fille|enfants?|femme|mari|hijos?|hijas?|esposa|esposo|"
    r"filhos?|filhas?|marido|figli[oa]?|moglie|marito|zoon|dochter|kinderen|vrouw|syn|córka|dziecko)|"
    r"he|she|he's|she's|er|il|elle|él|ella|ele|ela|lui|lei|hij|zij)(?![\w'’]))"
)
_SCHEDULE_PUBLIC_RE = Pattern(
    r"(?i:(?<![\w'’])(?:open\s+day|open\s+house|opens|open|reopens|starts\s+again|term\s+starts|welcome|"
    r"hours|timetable|registration|enrol\w*|puertas\s+abiertas|jornada|ouvert\w*|ouvre|geöffnet|"
    r"offenen\s+tür|aperto|apre|abre|aberto|geopend|inscri\w*|volunteers)(?![\w'’]))"
)


def schedules(scan: Scan) -> list[Hit]:
    """A school or workplace (or a pick-up) with a time or a routine, tied to a person, in one
    sentence or two neighbouring ones; found around each time or routine, so a long text costs
    little."""
    text = scan.text
    low = scan.lower

    def plausible(start: int, end: int) -> bool:
        near = set(_WORD_RE.findall(low, max(0, start - 120), end + 120))
        return not (near.isdisjoint(PLACE_WORDS) or near.isdisjoint(PERSON_WORDS))

    whens = []
    if scan.digit_windows and scan.mentions(PLACE_WORDS) and scan.mentions(PERSON_WORDS):
        whens = [m for m in scan.finditer(TIME_RE) if plausible(m.start(), m.end())]
    for needle in _RECURRENCE_STARTS:
        pos = low.find(needle)
        while pos >= 0:
            if plausible(pos, pos + len(needle)):
                m = RECURRENCE_RE.match(text, pos)
                if m:
                    whens.append(m)
            pos = low.find(needle, pos + 1)
    out: list[Hit] = []
    for when in sorted(whens, key=lambda m: m.start()):
        if out and when.start() < out[-1].end:
            continue  # inside the schedule just found
        lo, hi = scan.sentence(when.start(), when.end())
        if lo > 0:
            lo = scan.sentence(max(0, lo - 2), max(0, lo - 2))[0]  # and the one before: "She goes to X. At 3 ..."
        if hi < len(text):
            hi = scan.sentence(hi, hi)[1]  # and the one after: "At 3:15 he is picked up. It's Y school."
        place = PLACE_RE.search(text, lo, hi)
        if place is None or not SCHEDULE_PERSON_RE.search(text, lo, hi):
            continue
        if _SCHEDULE_PUBLIC_RE.search(text, lo, hi):
            continue
        out.append(Hit(min(place.start(), when.start()), max(place.end(), when.end())))
    return out
