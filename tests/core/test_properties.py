"""Property tests: any text in any field survives save and reopen exactly."""

from __future__ import annotations

import tempfile
from datetime import UTC, datetime
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.helpers import PASSPHRASE, open_vault
from vaultapp.core import TEST_PARAMS, TEST_POLICY, Vault

# Any Unicode scalar value (no lone surrogates, which UTF-8 cannot carry), including \n, \r,
# NUL, U+2028/U+2029 and astral characters.
TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)
TITLE = TEXT.filter(lambda s: s.strip() != "")
WHEN = st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC))

ENTRY = st.fixed_dictionaries(
    {
        "title": TITLE,
        "username": TEXT,
        "password": st.none() | TEXT,
        "url": TEXT,
        "notes": TEXT,
        "tags": st.lists(TEXT, max_size=4),
        "folder": TEXT,
        "custom": st.lists(st.tuples(TITLE, TEXT, st.booleans()), max_size=3),
        "expires": st.none() | WHEN,
        "favourite": st.booleans(),
        "now": WHEN,
    }
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(ENTRY, min_size=1, max_size=5))
def test_any_text_round_trips_through_the_file(specs: list[dict[str, object]]) -> None:
    """Whatever the user types in any field comes back identical after save and reopen."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "p.vault"
        with Vault.create(path, PASSPHRASE, kdf=TEST_PARAMS, policy=TEST_POLICY) as vault:
            added = [vault.add(**spec) for spec in specs]  # type: ignore[arg-type]
            vault.save()
            revealed = {e.uuid: vault.reveal(e.password) if e.password else None for e in added}
        with open_vault(path) as reopened:
            assert {e.uuid: e for e in reopened.entries} == {e.uuid: e for e in added}
            for entry in reopened.entries:
                got = reopened.reveal(entry.password) if entry.password else None
                assert got == revealed[entry.uuid]
                for field in entry.custom:
                    if field.protected:
                        assert isinstance(reopened.reveal(field.value), str)  # type: ignore[arg-type]
