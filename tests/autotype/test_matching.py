"""Which entries auto-type offers for a window title, what each types, and the values of the
fields (from a real vault: secrets revealed only when typed)."""

from __future__ import annotations

import pytest

from vaultapp.autotype.fields import field_values, strokes_for
from vaultapp.autotype.matching import (
    Association,
    associations,
    entry_sequence,
    find_matches,
    url_host,
    window_matches,
)
from vaultapp.autotype.sequence import DEFAULT_SEQUENCE, Char, Key, SequenceError
from vaultapp.core import Vault
from vaultapp.generators.otp import code_now, parse


@pytest.mark.parametrize(
    ("pattern", "title", "matches"),
    [
        ("Example Login*", "Example Login - Test", True),
        ("*login*", "Example Login - Test", True),  # no case
        ("Example Login", "Example Login - Test", False),  # the whole title, unless a * says so
        ("Ex?mple*", "Example", True),
        ("*[a]*", "x[a]y", True),  # only * and ? are special
        ("//^Ex.*Test$//", "Example Login - Test", True),
        ("//(//", "(", False),  # a broken regular expression matches nothing
    ],
)
def test_window_patterns(pattern: str, title: str, matches: bool) -> None:
    assert window_matches(pattern, title) is matches


def test_url_hosts() -> None:
    assert url_host("https://www.example.com/login?x=1") == "example.com"
    assert url_host("github.com/login") == "github.com"
    assert url_host("") == ""
    assert url_host("http://[::1") == ""


def test_matching_by_title_url_and_association(new_vault: Vault) -> None:
    by_title = new_vault.add("Example Login", username="u")
    new_vault.add("Code host", url="https://www.forge.example/login")
    by_window = new_vault.add("Terminal thing", custom=[
        ("AutoType-Window", "*Terminal*\nSSH: * => {PASSWORD}{ENTER}", False),
        ("autotype-window-2", "Mail | * => {USERNAME}{ENTER}", False),
    ])  # fmt: skip
    own = new_vault.add("Own sequence", custom=[("AutoType-Sequence", "{PASSWORD}~", False)])
    new_vault.add("Example Login too", custom=[("AutoType-Enabled", "false", False)])
    entries = list(new_vault.entries)

    def found(title: str, **kwargs: bool) -> list[tuple[str, str]]:
        return [(m.entry.title, m.sequence) for m in find_matches(title, entries, **kwargs)]

    assert found("Example Login - Test") == [("Example Login", DEFAULT_SEQUENCE)]  # "off" is left out
    assert found("Example Login - Test", match_title=False) == []
    assert found("Sign in · forge.example — Firefox") == [("Code host", DEFAULT_SEQUENCE)]
    assert found("Sign in · forge.example — Firefox", match_url=False) == []
    assert found("SSH: build host") == [("Terminal thing", "{PASSWORD}{ENTER}")]
    assert found("xterm Terminal") == [("Terminal thing", DEFAULT_SEQUENCE)]
    assert found("Mail | Inbox") == [("Terminal thing", "{USERNAME}{ENTER}")]
    assert found("Own sequence window") == [("Own sequence", "{PASSWORD}~")]
    assert found("   ") == []
    assert associations(by_window)[1] == Association("SSH: *", "{PASSWORD}{ENTER}")
    assert entry_sequence(own) == "{PASSWORD}~"
    assert entry_sequence(by_title, "{PASSWORD}") == "{PASSWORD}"


def test_trashed_entries_never_match(new_vault: Vault) -> None:
    entry = new_vault.add("Example Login")
    new_vault.trash(entry.uuid)
    assert find_matches("Example Login - Test", new_vault.entries) == []


def test_field_values_from_the_vault(new_vault: Vault) -> None:
    entry = new_vault.add(
        "Site", username="ann", password="pw{TAB}", url="https://s.example", notes="n",
        totp="JBSWY3DPEHPK3PXP", custom=[("PIN", "1234", True), ("Plain", "p", False)],
    )  # fmt: skip
    value = field_values(new_vault, entry, now=1_000_000_000)
    assert [value(n) for n in ("username", "password", "title", "url", "notes")] == [
        "ann", "pw{TAB}", "Site", "https://s.example", "n",
    ]  # fmt: skip
    assert value("totp") == code_now(parse("JBSWY3DPEHPK3PXP"), 1_000_000_000)
    assert value("S:PIN") == "1234"  # a protected field, revealed for typing
    assert value("S:pin") == "1234"  # without case when no field has the exact name
    with pytest.raises(SequenceError, match=r"Entry 'Site' has no field named 'Nope' for \{S:Nope\}"):
        value("S:Nope")
    strokes, fields = strokes_for(new_vault, entry, "{S:Plain}{ENTER}")
    assert (strokes, fields) == ([Char("p"), Key("Return")], ["S:Plain"])


def test_missing_or_counter_codes_are_not_typed(new_vault: Vault) -> None:
    plain = new_vault.add("Plain")
    with pytest.raises(SequenceError, match="has no one-time code for"):
        field_values(new_vault, plain)("totp")
    counter = new_vault.add("Counter", totp="otpauth://hotp/x?secret=JBSWY3DPEHPK3PXP&counter=3")
    with pytest.raises(SequenceError, match="counter-based"):
        field_values(new_vault, counter)("totp")


KEEPASS_XML = (
    "<AutoType><Enabled>True</Enabled><DataTransferObfuscation>0</DataTransferObfuscation>"
    "<DefaultSequence>{USERNAME}{ENTER}</DefaultSequence>"
    "<Association><Window>Legacy app - *</Window><KeystrokeSequence>{PASSWORD}{ENTER}</KeystrokeSequence>"
    "</Association><Association><Window>*Other*</Window><KeystrokeSequence /></Association></AutoType>"
)


def test_settings_imported_from_keepass_count(new_vault: Vault) -> None:
    """An entry imported from KeePassXC keeps <AutoType> in kdbx:AutoType; it is honoured."""
    entry = new_vault.add("Imported", custom=[("kdbx:AutoType", KEEPASS_XML, False)])
    assert entry_sequence(entry) == "{USERNAME}{ENTER}"
    assert associations(entry) == [Association("Legacy app - *", "{PASSWORD}{ENTER}"), Association("*Other*")]
    assert [m.sequence for m in find_matches("Legacy app - login", [entry])] == ["{PASSWORD}{ENTER}"]
    assert [m.sequence for m in find_matches("The Other one", [entry])] == ["{USERNAME}{ENTER}"]
    off = new_vault.add("Off", custom=[("kdbx:AutoType", KEEPASS_XML.replace(">True<", ">False<"), False)])
    assert find_matches("Off window", [off]) == []
    broken = new_vault.add("Broken", custom=[("kdbx:AutoType", "<AutoType><Enab", False)])
    assert entry_sequence(broken) == DEFAULT_SEQUENCE
    assert associations(broken) == []
