"""Personal information: the writer's region, the allow list (`--allow` and config.toml), the
severities, the lazy libphonenumber import, and the package's shape."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import types

import pytest

from composer.guidelines import GuidelineSettings, analyze
from composer.guidelines import personal_info as pi
from tests.command import humane_command


def kinds(text: str, region: str = "US", allow=()) -> list[tuple[str, str]]:
    return [(f.rule.split(".", 1)[1], text[f.start : f.end]) for f in pi.check(text, region, allow)]


# -- region ----------------------------------------------------------------------------------------


def test_the_writers_region_takes_its_numbers_however_they_are_grouped():
    text = "06 123 456 78, c'est moi"
    assert kinds(text, "FR") == [("phone", "06 123 456 78")]
    assert kinds(text, "US") == []  # for another region, only as France groups its numbers


def test_other_countries_numbers_are_found_as_those_countries_write_them():
    for region in ("US", "GB", "DE"):
        assert kinds("Me chama no zap (11) 91234-5678", region) == [("phone", "(11) 91234-5678")]
        assert kinds("Il mio numero: 347 123 4567", region) == [("phone", "347 123 4567")]


def test_organisations_lines_stay_quiet():
    assert kinds("Free helpline: 0800 123 4567") == []
    assert kinds("call us on 1-800-555-0199, toll free") == []


# -- allow list ------------------------------------------------------------------------------------


def test_an_allowed_number_is_allowed_however_it_is_written():
    text = "Ring me on 020 7946 0958 or +44 20 7946 0958."
    assert [k for k, _ in kinds(text, "GB")] == ["phone", "phone"]
    assert kinds(text, "GB", allow=["+44 (0)20 7946 0958"]) == []
    assert kinds(text, "GB", allow=["020 7946 0958"]) == []


def test_an_allowed_address_covers_its_obfuscated_form():
    text = "Mail ana.b [at] example [dot] org or ana.b@example.org"
    assert [k for k, _ in kinds(text)] == ["email", "email"]
    assert kinds(text, allow=["ana.b@example.org"]) == []


def test_the_engine_applies_the_settings_allow_list():
    text = "Purpose stated. My SSN is 412-67-3390 and my number (202) 555-0143."
    report = analyze(text, "to test the allow list", settings=GuidelineSettings(allow=("412-67-3390",)))
    assert [f.rule for f in report.by_category("personal-info")] == ["personal-info.phone"]


# -- severities and messages -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text,rule,severity,says",
    [
        ("his SSN is 412-67-3390", "personal-info.national-id", "error", "US Social Security number"),
        ("IBAN DE89 3704 0044 0532 0130 00", "personal-info.iban", "error", "check digits"),
        ("card 4111 1111 1111 1111", "personal-info.card", "error", "Visa"),
        ("sort code 20-32-06, account 73645281", "personal-info.bank-account", "error", "account"),
        ("Her passport number is 533380006", "personal-info.passport", "error", "passport"),
        ("Call me on (202) 555-0143", "personal-info.phone", "warning", "phone number"),
        ("she's at 51.50, -0.12 right now", "personal-info.coordinates", "warning", "where to find them"),
        ("Emma, born 14 March 1988", "personal-info.date-of-birth", "warning", "open accounts"),
        ("his IP is 203.0.113.45", "personal-info.ip-address", "warning", "IP address"),
        ("Her son is picked up from Westfield Primary at 3:15.", "personal-info.schedule", "warning", "child"),
    ],
)
def test_each_kind_says_what_it_is_and_why_it_matters(text, rule, severity, says):
    [f] = analyze(text, "to test a kind of personal information").by_category("personal-info")
    assert (f.rule, f.severity) == (rule, severity)
    assert f.message.startswith("This looks like") and says in f.message and "\n" not in f.message


def test_a_public_place_is_not_a_home_address():
    assert kinds("The new wing at 1 Museum Square opens Monday.") == []
    assert kinds("She lives at 1 Museum Square, flat 3.") == [("address", "1 Museum Square")]


# -- the command line ------------------------------------------------------------------------------


def humane(*args: str, stdin: str):
    return subprocess.run([humane_command(), *args], input=stdin.encode(), capture_output=True, timeout=120, env=dict(os.environ))


def test_check_allow_flag_leaves_out_the_writers_own_details():
    text = "Questions? Call me on (202) 555-0143 or write to ana.b@example.org. SSN 412-67-3390."
    r = humane("check", "-", "--purpose", "to answer questions about the garden", "--format", "json", stdin=text)
    assert r.returncode == 1
    rules = [f["rule"] for f in json.loads(r.stdout)["findings"]]
    assert {"personal-info.phone", "personal-info.email", "personal-info.national-id"} <= set(rules)
    r = humane(
        "check", "-", "--purpose", "to answer questions about the garden", "--format", "json",
        "--allow", "+1 202 555 0143", "--allow", "ANA.B@example.org", stdin=text,
    )
    rules = [f["rule"] for f in json.loads(r.stdout)["findings"]]
    assert "personal-info.phone" not in rules and "personal-info.email" not in rules
    assert "personal-info.national-id" in rules  # only what was allowed
    help_text = humane("check", "--help", stdin="").stdout.decode()
    assert "--allow TEXT" in help_text and "repeat" in help_text


def test_config_allow_list_is_read_by_check(tmp_path):
    config = tmp_path / "config.toml"
    config.write_text('[guidelines]\nallow = ["(202) 555-0143"]\n', encoding="utf-8")
    env = dict(os.environ, HUMANE_CONFIG=str(config))
    r = subprocess.run(
        [humane_command(), "check", "-", "--purpose", "to tell neighbours how to reach me", "--format", "json"],
        input=b"Call me on +1 202-555-0143 about the fence.", capture_output=True, timeout=120, env=env,
    )
    assert [f["rule"] for f in json.loads(r.stdout)["findings"] if f["category"] == "personal-info"] == []


# -- cost and shape --------------------------------------------------------------------------------


def _fresh_python(*lines: str) -> list[str]:
    """What `lines` print, run in a new interpreter after `import sys` and `analyze` (a cold start)."""
    code = "import sys\nfrom composer.guidelines import analyze\n" + "\n".join(lines)
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    return r.stdout.splitlines()


def test_libphonenumber_is_imported_only_for_a_text_with_a_number_that_could_be_a_phone():
    lines = _fresh_python(
        "analyze('We fixed the fence on Saturday, v1.2 of the plan, 3 volunteers, 2024.', 'to thank')",
        "print('phonenumbers.phonenumberutil' in sys.modules)",
        "analyze('Call Jen on 07700 900461.', 'to thank')",
        "print('phonenumbers.phonenumberutil' in sys.modules)",
        "print(sorted(m for m in sys.modules if m.startswith('phonenumbers.data.region_')))",
    )
    assert lines[:2] == ["False", "True"]
    # Only the metadata the number needs is read: not every region that shares a calling code
    # (+1 alone has 25) for a British number first tried as American.
    assert len(eval(lines[2])) <= 6, lines[2]  # US, then GB and the islands that share +44


def test_libphonenumber_is_loaded_without_its_package_init_and_the_package_still_imports_whole():
    lines = _fresh_python(
        "found = analyze('Call Jen on 07700 900461.', 'to thank')",
        "print(any(f.rule == 'personal-info.phone' for f in found.findings))",
        "print('phonenumbers.asyoutypeformatter' in sys.modules)",
        "import phonenumbers",
        "print(phonenumbers.format_number(phonenumbers.parse('07700 900461', 'GB'), phonenumbers.PhoneNumberFormat.E164))",
        "print(phonenumbers.phonenumberutil is sys.modules['phonenumbers.phonenumberutil'])",
    )
    assert lines == ["True", "False", "+447700900461", "True"]


def test_the_package_keeps_no_mutable_state_between_calls():
    import composer.guidelines.personal_info as package

    modules = [package] + [m for name, m in sys.modules.items() if name.startswith(package.__name__ + ".")]
    assert len(modules) >= 8
    for module in modules:
        for name, value in vars(module).items():
            if name.startswith("__") or isinstance(value, (types.ModuleType, type)):
                continue
            assert not isinstance(value, (list, dict, set, bytearray)), f"{module.__name__}.{name} is mutable"
