"""Words that tie a place, a date or a number to a person ("her", "lives at", "my daughter") or to
an organisation's public place or an event ("museum", "opens Monday", "tickets"), in English,
German, French, Spanish, Portuguese, Italian, Dutch and Polish.

Most cues are single words, tested against the words of the sentence as a set; the few phrases
("moved into", "his flat") are regexes tried only when one of their words is there.
"""

from __future__ import annotations

from .scan import Pattern, Scan


def _set(*groups: str) -> frozenset[str]:
    return frozenset(w for g in groups for w in g.split())


PRONOUNS = _set(
    "he she him her his hers they them their i i'm i’m me my mine you your he's she's he’s she’s",
    "er sie ihm ihn ihr ihre ihren ihrem sein seine seinen seinem ich mein meine meinen",
    "il elle lui son sa ses mon ma mes je j'habite j’habite moi",
    "él ella mi mis yo",
    "ele ela dele dela meu minha eu",
    "lei suo sua mio mia io",
    "hij zij haar zijn mijn ik",
    "ona jego jej mój moja",
)
"""Pronouns and possessives that point at a person (first person included: the writer is one)."""

KIN = _set(
    "mum mom mother dad father son sons daughter daughters kid kids child children baby wife "
    "husband girlfriend boyfriend partner ex sister brother aunt uncle grandma granny grandmother "
    "grandpa grandfather cousin niece nephew neighbour neighbor friend roommate flatmate boss "
    "colleague coworker troll",
    "mutter vater sohn tochter kind kinder frau mann freundin freund schwester bruder oma opa "
    "nachbar nachbarin",
    "mère père fils fille enfant enfants femme mari copine copain sœur soeur frère voisin voisine amie ami",
    "madre padre hijo hija hijos hijas esposa esposo novia novio hermana hermano vecino vecina",
    "mãe pai filho filha filhos esposa marido namorada namorado irmã irmão vizinho vizinha",
    "figlio figlia figli moglie marito fidanzata fidanzato sorella fratello vicino vicina",
    "moeder vader zoon dochter kinderen vrouw vriendin vriend zus broer buurman buurvrouw",
)

RESIDENCE_WORDS = _set(
    "lives live living lived resides reside apt apartment",
    "wohnt wohnen wohnung",
    "habite habitent domicile",
    "vive viven vivo domicilio piso",
    "mora moram moro apto",
    "abita abitano citofono",
    "woont wonen thuis",
    "mieszka mieszkam mieszkanie живёт живет",
)
"""Words that on their own make an address someone's home."""
RESIDENCE_PHRASE_WORDS = _set("moved staying house home flat place address door unit zu chez")
RESIDENCE_RE = Pattern(
    r"(?i:(?<![\w'’])(?:moved\s+(?:in|into|to)|staying\s+at|"
    r"(?:his|her|their|my|your|our|parents['’]|[a-z]+['’]s)\s+(?:new\s+)?(?:house|home|flat|apartment|place|address|door)|"
    r"home\s+address|address\s+is|unit\s+\d|zu\s+hause|chez\s+(?:lui|elle|moi|eux))(?![\w'’]))"
)

PUBLIC_WORDS = _set(
    "museum museums gallery library wing hall station church cathedral chapel park venue venues "
    "exhibition exhibitions concert concerts festival conference meetup event events opens "
    "reopens reopening opening closes open hours tickets doors show market shop store café cafe "
    "restaurant bar pub hotel headquarters hq company ltd inc llc hospital clinic university "
    "campus stadium theatre theater cinema bakery school college summit peak mountain mount "
    "tower bridge landmark airport volunteers welcome embassy parliament council ministry office "
    "offices centre center site zoo beach monument memorial castle palace temple mosque "
    "synagogue branch statue",
    "ausstellung konzert geöffnet eröffnet bibliothek rathaus bahnhof kirche laden geschäft "
    "markt schule halle praxis geschlossen",
    "musée marché ouvre ouvert ouverte fermée fermé bibliothèque mairie gare église salle boutique "
    "magasin exposition",
    "museo biblioteca ayuntamiento estación iglesia tienda mercado abre abierto horario "
    "exposición concierto proyecto",
    "museu loja abre aberto igreja estação evento",
    "concerto mostra comune stazione chiesa negozio mercato aperto apre terrà",
    "winkel bibliotheek gemeente kerk geopend",
)
"""Words that make a place an organisation's, or an event's venue."""
PUBLIC_NAME_WORDS = _set("house hall building centre center tower garden")
PUBLIC_NAME_RE = Pattern(r"(?<![\w'’])[A-Z][a-z]+ (?:House|Hall|Building|Centre|Center|Tower|Square Garden)(?![\w'’])")
"""The White House, Carnegie Hall: named public buildings."""

NAME_POSSESSIVE_RE = Pattern(
    r"(?<![\w'’])[A-Z][a-zà-ÿ]+['’]s?(?![\w'’])(?!\s+(?:Hospital|Church|School|College|Cathedral|Park|Square|Day|Eve))"
)
"""Dave's, Emma's, Parents' (capitalised): someone's."""
FULL_NAME_RE = Pattern(r"(?<![\w'’])[A-Z][a-zà-ÿ]+[ ][A-Z][a-zà-ÿ]+(?:,|\s+(?:DOB|d\.o\.b))")
"""John Carter, ... — a name written as the subject of what follows."""


def person(scan: Scan, lo: int, hi: int) -> bool:
    """Whether text[lo:hi] ties what it says to a person."""
    words = scan.words(lo, hi)
    if not (words.isdisjoint(PRONOUNS) and words.isdisjoint(KIN) and words.isdisjoint(RESIDENCE_WORDS)):
        return True
    text = scan.text
    if ("'" in text[lo:hi] or "’" in text[lo:hi]) and NAME_POSSESSIVE_RE.search(text, lo, hi):
        return True
    return FULL_NAME_RE.search(text, lo, hi) is not None or residence(scan, lo, hi, words)


def residence(scan: Scan, lo: int, hi: int, words: frozenset[str] | None = None) -> bool:
    """Whether text[lo:hi] says someone lives there ("lives at", "her flat", "wohnt")."""
    words = scan.words(lo, hi) if words is None else words
    if not words.isdisjoint(RESIDENCE_WORDS):
        return True
    return not words.isdisjoint(RESIDENCE_PHRASE_WORDS) and RESIDENCE_RE.search(scan.text, lo, hi) is not None


def public(scan: Scan, lo: int, hi: int) -> bool:
    """Whether text[lo:hi] speaks of an organisation's place or an event."""
    words = scan.words(lo, hi)
    if not words.isdisjoint(PUBLIC_WORDS):
        return True
    return not words.isdisjoint(PUBLIC_NAME_WORDS) and PUBLIC_NAME_RE.search(scan.text, lo, hi) is not None
