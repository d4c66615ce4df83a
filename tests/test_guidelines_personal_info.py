"""Personal information: phones, e-mail, street addresses, cards (Luhn), IBANs (mod-97), and the rest
of the kinds one by one (tests/test_personal_info_cases.py scores the whole set)."""

from __future__ import annotations

import pytest

from composer.guidelines import personal_info as pi


def found(text, region="US"):
    return [(f.rule.split(".", 1)[1], text[f.start:f.end]) for f in pi.check(text, region)]


@pytest.mark.parametrize(
    "text,kind,span",
    [
        ("Call me at (415) 555-2671 tonight", "phone", "(415) 555-2671"),
        ("my number is 415-555-2671.", "phone", "415-555-2671"),
        ("reach me on 415.555.2671", "phone", "415.555.2671"),
        ("US office +1 415 555 2671", "phone", "+1 415 555 2671"),
        ("Ring +44 20 7946 0958 after six", "phone", "+44 20 7946 0958"),
        ("Ruf an: +49 30 12345678", "phone", "+49 30 12345678"),
        ("Ruf an: +49 (0)30 1234567", "phone", "+49 (0)30 1234567"),
        ("London 020 7946 0958", "phone", "020 7946 0958"),
        ("text me: 07700 900123", "phone", "07700 900123"),
        ("Appelle au 06 12 34 56 78", "phone", "06 12 34 56 78"),
        ("call 4155552671 now", "phone", "4155552671"),
        ("Write to bob.smith@example.co.uk today", "email", "bob.smith@example.co.uk"),
        ("ANA+lists@mail.example.org.", "email", "ANA+lists@mail.example.org"),
        ("I live at 123 Main Street, Apt 4B", "address", "123 Main Street, Apt 4B"),
        ("drop it at 42 W Elm Ave.", "address", "42 W Elm Ave."),
        ("Wir wohnen in der Hauptstraße 5, Berlin", "address", "Hauptstraße 5"),
        ("Rendez-vous au 12 rue de la Paix", "address", "12 rue de la Paix"),
        ("Ci vediamo in Via Roma 10", "address", "Via Roma 10"),
        ("card 4111 1111 1111 1111 exp 12/29", "card", "4111 1111 1111 1111"),
        ("amex 3782-822463-10005", "card", "3782-822463-10005"),
        ("num 5555555555554444", "card", "5555555555554444"),
        ("IBAN DE89 3704 0044 0532 0130 00 thanks", "iban", "DE89 3704 0044 0532 0130 00"),
        ("pay GB82WEST12345698765432", "iban", "GB82WEST12345698765432"),
        ("FR14 2004 1010 0505 0001 3M02 606", "iban", "FR14 2004 1010 0505 0001 3M02 606"),
    ],
)
def test_personal_information_is_found_with_exact_span(text, kind, span):
    assert found(text) == [(kind, span)]
    [f] = pi.check(text)
    assert f.category == "personal-info" and f.severity == pi.KINDS[kind].severity
    assert f.message.startswith("This looks like ") and pi.KINDS[kind].why in f.message


@pytest.mark.parametrize(
    "text",
    [
        "Order #4155552671 shipped",
        "order 415-555-2671 is late",
        "Invoice no. 020 7946 0958",
        "ISBN 978-3-16-148410-0",
        "In 1999 and 2024 we paid $1,234.56 and €2 499,00",
        "Upgrade from v1.2.3 to 10.0.19041.1",
        "on 2024-01-15 at 10:30, or 01.02.2024, or 02/03/2024",
        "server 192.168.100.200 and 10.0.0.1",
        "@alice@example.social and @bob.bsky.social said hi",
        "see https://example.com/u/415-555-2671 and https://example.com/?to=bob@example.com",
        "card 4111 1111 1111 1112 fails Luhn",
        "1234 5678 9012 3456 is not a card network",
        "DE89 3704 0044 0532 0130 01 fails mod-97",
        "I ran 5 miles down the road",
        "5 Things That Drive Success",
        "Top 10 Ways We Place Bets",
        "Tracking 1Z999AA10123456784",
        "Population 8 336 817 in 2023",
        "Score 3-2, then 4-1",
        "a bare 4155552671 without a word about phones",
        "pi is 3.14159265358979",
    ],
)
def test_false_alarms_stay_quiet(text):
    assert found(text) == []


def test_region_decides_the_national_format_first():
    # both formats are still found whatever the region
    assert found("call 020 7946 0958", "GB") == [("phone", "020 7946 0958")]
    assert found("call (415) 555-2671", "GB") == [("phone", "(415) 555-2671")]


def test_luhn_and_mod97():
    assert pi.luhn_ok("4111111111111111") and not pi.luhn_ok("4111111111111112")
    assert pi.iban_ok("GB82WEST12345698765432") and not pi.iban_ok("GB82WEST12345698765433")


def test_several_kinds_in_one_post():
    text = "Mail ana@example.org or call +44 20 7946 0958; IBAN GB82WEST12345698765432."
    assert [k for k, _ in found(text)] == ["email", "phone", "iban"] or sorted(k for k, _ in found(text)) == ["email", "iban", "phone"]
