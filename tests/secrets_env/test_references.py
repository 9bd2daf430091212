"""vaultapp:// references: the grammar, and resolution against a real vault (tiny KDF)."""

from __future__ import annotations

import base64

import pytest

from tests.generators.test_otp import RFC6238, SEEDS
from vaultapp.core import Vault
from vaultapp.core.errors import UsageError
from vaultapp.secrets_env.references import Resolver, placeholders, quote_segment, readings


@pytest.fixture
def vault(new_vault: Vault) -> Vault:
    new_vault.add("DB", username="app", password="pg-Secret-1", folder="Work/Servers",
                  custom=[("API key", "sk_live_123456", True), ("region", "eu-west-1", False)])  # fmt: skip
    new_vault.add("a/b title", password="slash-Secret", folder="x/y")
    new_vault.add("Root", password="root-Secret", totp="JBSWY3DPEHPK3PXP")
    new_vault.add("Twin", password="one-Secret", folder="T")
    new_vault.add("Twin", password="two-Secret", folder="T")
    new_vault.add("custom", password="c-Secret", folder="A")
    new_vault.add("A", password="a-Secret", custom=[("password", "a-custom", True)])
    new_vault.add("Counter", password="p", totp="otpauth://hotp/x?secret=JBSWY3DPEHPK3PXP&counter=3")
    return new_vault


def value(vault: Vault, text: str, now: float = 0) -> str:
    return Resolver(vault, now).resolve(text).value


def test_every_field_kind_of_a_nested_folder(vault: Vault) -> None:
    """password, username and custom/NAME (protected or not) of Work/Servers/DB."""
    assert value(vault, "vaultapp://Work/Servers/DB/password") == "pg-Secret-1"
    assert value(vault, "vaultapp://Work/Servers/DB/username") == "app"
    assert value(vault, "vaultapp://Work/Servers/DB/custom/API key") == "sk_live_123456"
    assert value(vault, "vaultapp://Work/Servers/DB/custom/API%20key") == "sk_live_123456"
    resolver = Resolver(vault, 0)
    assert resolver.resolve("vaultapp://Work/Servers/DB/custom/region").secret is False
    assert resolver.resolve("vaultapp://Work/Servers/DB/username").secret is False
    assert resolver.resolve("vaultapp://Work/Servers/DB/password").secret is True


def test_slash_in_names_is_percent_encoded(vault: Vault) -> None:
    """A '/' inside a title is %2F; quote_segment writes it so."""
    ref = f"vaultapp://x/y/{quote_segment('a/b title')}/password"
    assert ref == "vaultapp://x/y/a%2Fb title/password"
    assert value(vault, ref) == "slash-Secret"
    with pytest.raises(UsageError, match="no entry 'x/y/a/b title'"):
        value(vault, "vaultapp://x/y/a/b title/password")


@pytest.mark.parametrize(("when", "algorithm", "code"), RFC6238)
def test_totp_matches_rfc6238_at_a_fixed_time(new_vault: Vault, when: int, algorithm: str, code: str) -> None:
    """…/totp gives the RFC 6238 appendix B code for the time the resolver is given."""
    secret = base64.b32encode(SEEDS[algorithm]).decode().rstrip("=")
    new_vault.add("OTP", totp=f"otpauth://totp/x?secret={secret}&algorithm={algorithm}&digits=8")
    assert value(new_vault, "vaultapp://OTP/totp", when) == code


def test_root_entry_and_uuid(vault: Vault) -> None:
    """An entry outside any folder is vaultapp://Title/…; any entry also by its UUID."""
    assert value(vault, "vaultapp://Root/password") == "root-Secret"
    uuid = vault.find("Root").uuid
    assert value(vault, f"vaultapp://{uuid}/password") == "root-Secret"


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("vaultapp://Nope/password", "no entry 'Nope'"),
        ("vaultapp://T/Twin/password", "2 entries have that folder and title"),
        ("vaultapp://A/custom/password", "can be read two ways"),
        ("vaultapp://Root/username", "has no username"),
        ("vaultapp://Work/Servers/DB/totp", "has no totp"),
        ("vaultapp://Work/Servers/DB/custom/Nope", "no custom field 'Nope' (it has: 'API key', 'region')"),
        ("vaultapp://Counter/totp", "counter-based (HOTP)"),
        ("vaultapp://Root/notes", "does not end in a field"),
        ("vaultapp://Work//DB/password", "empty part"),
        ("vaultapp://password", "does not end in a field"),
    ],
)
def test_what_does_not_resolve_is_named(vault: Vault, text: str, needle: str) -> None:
    """Each failure is a UsageError (exit 2) naming the reference and what is wrong."""
    with pytest.raises(UsageError) as caught:
        value(vault, text)
    assert needle in str(caught.value)
    assert text in str(caught.value)
    assert "Secret" not in str(caught.value)


def test_trashed_entries_are_not_used(vault: Vault) -> None:
    """An entry in the Trash does not resolve."""
    vault.trash(vault.find("Root").uuid)
    with pytest.raises(UsageError, match="in the Trash are not used"):
        value(vault, "vaultapp://Root/password")


def test_readings_and_placeholders() -> None:
    """custom/NAME is read from the end; placeholders are {{ vaultapp://… }} with any spacing."""
    (ref,) = readings("vaultapp://F/G/T/custom/K%2FV")
    assert (ref.path, ref.kind, ref.custom) == (("F", "G", "T"), "custom", "K/V")
    assert len(readings("vaultapp://A/custom/password")) == 2
    text = "a={{vaultapp://X/password}} b={{  vaultapp://Y Z/username  }} c={ vaultapp://no }"
    assert [m[1] for m in placeholders(text)] == ["vaultapp://X/password", "vaultapp://Y Z/username"]


def test_substitute_fills_every_placeholder(vault: Vault) -> None:
    """substitute replaces each placeholder and leaves the rest of the text alone."""
    resolver = Resolver(vault, 0)
    text = (
        "url=postgres://{{ vaultapp://Work/Servers/DB/username }}:{{ vaultapp://Work/Servers/DB/password }}@h"
    )
    assert resolver.substitute(text) == "url=postgres://app:pg-Secret-1@h"
    assert set(resolver.resolved) == {
        "vaultapp://Work/Servers/DB/username",
        "vaultapp://Work/Servers/DB/password",
    }
