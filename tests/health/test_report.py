"""The health report on a crafted vault: weak, reused, breached, old, expired; cached strength."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.helpers import PASSPHRASE, open_vault
from vaultapp.core import TEST_PARAMS, TEST_POLICY, CancelledError, Vault
from vaultapp.core.keys import Keyring
from vaultapp.health import report as health
from vaultapp.health.report import check, is_common, password_changed

NOW = datetime(2026, 6, 1, tzinfo=UTC)
STRONG = "X9#kq!v82Lp@zR4mWq7s"


def _kinds(result: health.Report, title: str) -> set[str]:
    return {f.kind for f in result.findings if f.title == title}


@pytest.fixture
def crafted(tmp_path: Path) -> Path:
    path = tmp_path / "crafted.vault"
    long_ago = NOW - timedelta(days=800)
    with Vault.create(path, PASSPHRASE, kdf=TEST_PARAMS, policy=TEST_POLICY) as vault:
        vault.add("Strong", password=STRONG, now=NOW)
        vault.add("Weak", password="abcabcabc1", now=NOW)
        vault.add("Breached", password="iloveyou", now=NOW)
        vault.add("Shop A", password="bluehouse9-Tandem!x", now=NOW)
        vault.add("Shop B", password="bluehouse9-Tandem!x", now=NOW)
        old = vault.add("Old", password="Vq8#mZ2!pL0@wX5r", now=long_ago)
        vault.update(old.uuid, notes="edited later; the password stayed", now=NOW - timedelta(days=10))
        vault.add("Expired", password="Hn4$kW9!zQ2@bR7t", expires=NOW - timedelta(days=1), now=NOW)
        vault.add("No password", username="just a login", now=NOW)
        trashed = vault.add("Trashed", password="iloveyou", now=NOW)
        vault.trash(trashed.uuid)
        vault.save()
    return path


def test_findings_on_a_crafted_vault(crafted: Path) -> None:
    """Each crafted problem gives its finding with an action; a strong entry gives none."""
    with open_vault(crafted) as vault:
        result = check(vault, now=NOW)
    assert _kinds(result, "Strong") == set()
    assert _kinds(result, "Weak") == {"weak"}
    assert _kinds(result, "Breached") == {"breached"}
    assert _kinds(result, "Shop A") == {"reused"}
    assert _kinds(result, "Shop B") == {"reused"}
    assert _kinds(result, "Old") == {"old"}
    assert _kinds(result, "Expired") == {"expired"}
    assert not _kinds(result, "Trashed")  # the Trash is not reported, nor counted as a reuse
    assert result.without_password == 1
    assert len(result.entries) == 7
    actions = {f.kind: f.action for f in result.findings}
    assert actions["weak"] == actions["breached"] == "Regenerate"
    assert "expiry" in actions["expired"]
    reused = next(f for f in result.findings if f.title == "Shop A")
    assert "Shop B" in reused.detail
    assert result.findings[0].severity == 3  # worst first
    assert 0 < result.score < 100


def test_a_clean_vault_scores_100(tmp_path: Path) -> None:
    """No findings: score 100, and an empty vault is 100 too."""
    with Vault.create(tmp_path / "a.vault", PASSPHRASE, kdf=TEST_PARAMS, policy=TEST_POLICY) as vault:
        assert check(vault).score == 100
        vault.add("One", password=STRONG)
        result = check(vault)
    assert result.findings == []
    assert result.score == 100


def test_password_age_follows_history(crafted: Path) -> None:
    """An edit that keeps the password does not reset its age; changing it does."""
    with open_vault(crafted, writable=True) as vault:
        old = next(e for e in vault.entries if e.title == "Old")
        assert password_changed(vault, old) == NOW - timedelta(days=800)
        new = vault.update(old.uuid, password="Zk3!vB8@qW1#rT6y", now=NOW - timedelta(days=1))
        assert password_changed(vault, new) == NOW - timedelta(days=1)
        assert _kinds(check(vault, now=NOW), "Old") == set()


def test_age_survives_re_keying(crafted: Path) -> None:
    """After a passphrase change every token is re-sealed: the age is still found (by value)."""
    with open_vault(crafted, writable=True) as vault:
        vault.change_passphrase("another passphrase")
        old = next(e for e in vault.entries if e.title == "Old")
        assert password_changed(vault, old) == NOW - timedelta(days=800)


def test_reuse_uses_keyed_tags_not_plaintext(crafted: Path) -> None:
    """Tags of equal passwords match; tags differ between vaults (keyed) and hide the password."""
    with open_vault(crafted) as vault:
        a, b = (next(e for e in vault.entries if e.title == t) for t in ("Shop A", "Shop B"))
        assert a.password is not None
        assert b.password is not None
        tag = vault.secret_tag(a.password)
        assert tag == vault.secret_tag(b.password)
        assert "bluehouse" not in tag
    other = crafted.with_name("other.vault")
    with Vault.create(other, PASSPHRASE, kdf=TEST_PARAMS, policy=TEST_POLICY) as vault2:
        entry = vault2.add("Shop", password="bluehouse9-Tandem!x")
        assert entry.password is not None
        assert vault2.secret_tag(entry.password) != tag


def test_strength_is_cached_in_the_vault(crafted: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A second report (after saving and reopening) estimates nothing; a changed password is
    estimated again, and stale cache entries are pruned."""
    with open_vault(crafted, writable=True) as vault:
        first = check(vault, now=NOW)
        assert first.estimated == 6  # 7 passwords, two of them equal
        assert first.cache_changed
        vault.save(backup=False)
    calls: list[str] = []
    real = health.estimate
    monkeypatch.setattr(health, "estimate", lambda pw: calls.append(pw) or real(pw))
    with open_vault(crafted, writable=True) as vault:
        unsealed: list[str] = []
        real_unseal = Keyring.unseal
        monkeypatch.setattr(Keyring, "unseal", lambda self, t: unsealed.append(t) or real_unseal(self, t))
        second = check(vault, now=NOW)
        assert unsealed == []  # tags came from the cache too: nothing was decrypted
        monkeypatch.undo()
        monkeypatch.setattr(health, "estimate", lambda pw: calls.append(pw) or real(pw))
        assert calls == []
        assert second.estimated == 0
        assert not second.cache_changed
        assert [f.kind for f in second.findings] == [f.kind for f in first.findings]
        weak = next(e for e in vault.entries if e.title == "Weak")
        vault.update(weak.uuid, password=STRONG + "!")
        third = check(vault, now=NOW)
        assert third.estimated == 1
        assert len(calls) == 1
        assert len(vault.strength_cache["scores"]) == 6  # one per distinct password
        assert len(vault.strength_cache["tags"]) == 7  # one per sealed password


def test_report_can_be_cancelled_and_reports_progress(crafted: Path) -> None:
    """progress sees (done, total) up to the end; returning False raises CancelledError."""
    seen: list[tuple[int, int]] = []
    with open_vault(crafted) as vault:
        check(vault, progress=lambda done, total: seen.append((done, total)) or True)
        assert seen[-1] == (7, 7)
        with pytest.raises(CancelledError):
            check(vault, progress=lambda done, total: False)


def test_long_and_unusual_passwords_never_crash(tmp_path: Path) -> None:
    """Over 72 characters (zxcvbn's limit), non-ASCII, whitespace only: all estimated."""
    with Vault.create(tmp_path / "a.vault", PASSPHRASE, kdf=TEST_PARAMS, policy=TEST_POLICY) as vault:
        vault.add("Long", password="x" * 5000)
        vault.add("Long random", password=STRONG * 20)
        vault.add("Unicode", password="пароль🙂密码")
        vault.add("Spaces", password="   ")
        result = check(vault)
    assert _kinds(result, "Long") in ({"weak"}, {"fair"})  # 5,000 times 'x' is not strong
    assert _kinds(result, "Long random") == set()


def test_common_list_is_case_insensitive() -> None:
    """The offline list (zxcvbn's 30,000 leaked passwords) matches regardless of case."""
    assert is_common("PassWord")
    assert is_common("123456")
    assert not is_common(STRONG)


def test_report_reveals_nothing_in_reprs(crafted: Path) -> None:
    """Findings and entry results carry titles and numbers, never the password."""
    with open_vault(crafted) as vault:
        result = check(vault, now=NOW)
    text = repr(result) + "".join(repr(dataclasses.astuple(f)) for f in result.findings)
    assert "iloveyou" not in text
    assert "abcabcabc1" not in text


def test_cached_tags_are_void_after_a_passphrase_change(crafted: Path) -> None:
    """A new passphrase means new tag keys: the report recomputes tags (reuse stays correct)."""
    with open_vault(crafted, writable=True) as vault:
        check(vault, now=NOW)
        vault.save(backup=False)
        vault.change_passphrase("another passphrase entirely")
        again = check(vault, now=NOW)
        reused = {e.title for e in again.entries if e.reused_with}
        assert reused == {"Shop A", "Shop B"}
        assert vault.strength_cache["key"] == vault.tag_key_check
