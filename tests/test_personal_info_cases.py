"""The project's own set of personal information written the way people post it
(tests/data/personal_info_cases.tsv): recall >= 0.95 and at most 2% false alarms, per kind.

`python -m tests.test_personal_info_cases` prints the figures per kind and every miss.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest

from composer.guidelines import analyze, personal_info
from composer.guidelines.personal_info import KINDS

CASES = Path(__file__).parent / "data" / "personal_info_cases.tsv"


@dataclass(frozen=True)
class Case:
    line: int
    positive: bool
    kind: str
    where: str
    span: str
    text: str


def load() -> list[Case]:
    cases = []
    lines = CASES.read_text(encoding="utf-8").split("\n")
    header = None
    for n, line in enumerate(lines, start=1):
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        if header is None:
            header = cols
            continue
        row = dict(zip(header, cols, strict=True))
        cases.append(Case(n, row["expect"] == "+", row["kind"], row["where"], row["span"], row["text"]))
    return cases


def kinds_found(case: Case) -> dict[str, list[tuple[int, int]]]:
    found: dict[str, list[tuple[int, int]]] = {}
    for f in personal_info.check(case.text, "US"):
        found.setdefault(f.rule.split(".", 1)[1], []).append((f.start, f.end))
    return found


def covered(case: Case, spans: list[tuple[int, int]]) -> bool:
    at = case.text.index(case.span)
    return any(s < at + len(case.span) and at < e for s, e in spans)


def score(cases: list[Case]) -> dict[str, dict[str, object]]:
    """Per kind: positives, hits, recall, cases that must not show it, false alarms, their rate."""
    found = {c.line: kinds_found(c) for c in cases}
    out = {}
    for kind in KINDS:
        positives = [c for c in cases if c.positive and c.kind == kind]
        hits = [c for c in positives if covered(c, found[c.line].get(kind, []))]
        others = [c for c in cases if not (c.positive and c.kind == kind)]
        alarms = [c for c in others if found[c.line].get(kind)]
        out[kind] = {
            "positives": len(positives),
            "recall": len(hits) / len(positives) if positives else 1.0,
            "missed": [c for c in positives if c not in hits],
            "others": len(others),
            "false_alarm_rate": len(alarms) / len(others),
            "false_alarms": alarms,
        }
    return out


def test_the_set_is_big_and_balanced():
    cases = load()
    counts = Counter(c.positive for c in cases)
    assert len(cases) >= 150
    assert abs(counts[True] - counts[False]) <= 0.1 * len(cases)
    assert len({c.where.split("-")[0] for c in cases}) >= 8  # several languages
    for c in cases:
        assert not c.positive or c.span in c.text, f"line {c.line}: span not in text"
        assert c.kind in KINDS or (not c.positive and c.kind == "other"), f"line {c.line}: {c.kind}"
    assert {c.kind for c in cases if c.positive} == set(KINDS)


@pytest.mark.parametrize("kind", list(KINDS))
def test_recall_and_false_alarms_per_kind(kind):
    result = score(load())[kind]
    missed = [f"line {c.line}: {c.text}" for c in result["missed"]]
    alarms = [f"line {c.line}: {c.text}" for c in result["false_alarms"]]
    assert result["recall"] >= 0.95, "missed:\n" + "\n".join(missed)
    assert result["false_alarm_rate"] <= 0.02, "false alarms:\n" + "\n".join(alarms)


def test_negatives_are_quiet_through_the_engine():
    """Through `analyze` (settings, allow list, span clamping) the negatives stay quiet too."""
    loud = [
        (c.line, c.text, [f.rule for f in analyze(c.text, "to test").by_category("personal-info")])
        for c in load()
        if not c.positive
    ]
    assert [x for x in loud if x[2]] == []


def test_every_positive_has_its_kinds_severity_through_the_engine():
    for c in load():
        if not c.positive:
            continue
        rules = {f.rule: f.severity for f in analyze(c.text, "to test").by_category("personal-info")}
        assert rules.get(f"personal-info.{c.kind}") in (None, KINDS[c.kind].severity)


def main() -> None:  # pragma: no cover - a report for people
    cases = load()
    result = score(cases)
    print(f"{len(cases)} cases: {sum(c.positive for c in cases)} positive, {sum(not c.positive for c in cases)} negative")
    print(f"{'kind':14} {'positives':>9} {'recall':>7} {'false alarms':>13}")
    for kind, r in result.items():
        print(f"{kind:14} {r['positives']:>9} {r['recall']:>7.2f} {len(r['false_alarms']):>5}/{r['others']:<3} ({r['false_alarm_rate']:.1%})")
    for kind, r in result.items():
        for c in r["missed"]:
            print(f"MISSED {kind} (line {c.line}): {c.text}")
        for c in r["false_alarms"]:
            print(f"FALSE ALARM {kind} (line {c.line}): {c.text}")


if __name__ == "__main__":  # pragma: no cover
    main()
