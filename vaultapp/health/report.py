"""The password health report: weak, reused, common (leaked), old and expired passwords.

Passwords are revealed one at a time, estimated, tagged with a keyed hash (``Vault.secret_tag``)
and dropped: reuse is found by comparing tags, never by holding every plaintext at once.
Strength results are cached inside the vault by tag, and tags by a fingerprint of the sealed
token, so a second report over unchanged passwords estimates and decrypts nothing. No Qt; the
CLI (``check``) and the window's Health view share it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from typing import TYPE_CHECKING, Final

from vaultapp.core.entry import Entry, utc_now
from vaultapp.core.errors import CancelledError
from vaultapp.core.heap import collector_paused
from vaultapp.health.strength import LABELS, crack_time_display, estimate

if TYPE_CHECKING:
    from vaultapp.core.vault import Vault

MAX_AGE_DAYS_DEFAULT: Final = 365
CACHE_VERSION: Final = 2

# kind -> (severity 3 high / 2 medium / 1 low, suggested action)
KINDS: Final = {
    "breached": (3, "Regenerate"),
    "weak": (3, "Regenerate"),
    "reused": (2, "Regenerate (use a different password for each site)"),
    "expired": (3, "Change the password and set a new expiry date"),
    "fair": (2, "Regenerate"),
    "old": (1, "Change the password"),
}
SEVERITY_NAMES: Final = {3: "high", 2: "medium", 1: "low"}
PENALTY: Final = {"breached": 60, "weak": 60, "reused": 40, "expired": 30, "fair": 25, "old": 10}

Progress = Callable[[int, int], bool]  # (done, total) -> keep going?


@cache
def common_passwords() -> frozenset[str]:
    """zxcvbn's bundled list of the 30,000 most common passwords in leaked password sets."""
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["passwords"])


def is_common(password: str) -> bool:
    return password.lower() in common_passwords()


@dataclass(frozen=True, slots=True)
class Finding:
    uuid: str
    title: str  # for display only; never logged or cached
    kind: str  # a key of KINDS
    detail: str

    @property
    def severity(self) -> int:
        return KINDS[self.kind][0]

    @property
    def severity_name(self) -> str:
        return SEVERITY_NAMES[self.severity]

    @property
    def action(self) -> str:
        return KINDS[self.kind][1]

    def to_json(self) -> dict[str, object]:
        return {"uuid": self.uuid, "title": self.title, "kind": self.kind, "severity": self.severity_name,
                "detail": self.detail, "action": self.action}  # fmt: skip


@dataclass(frozen=True, slots=True)
class EntryHealth:
    uuid: str
    title: str
    score: int  # zxcvbn 0..4
    guesses_log10: float
    common: bool
    same_password: tuple[str, ...]  # UUIDs of all entries with this password (this one too)
    password_age_days: int
    expired: bool
    points: int  # 0..100, this entry's share of the vault score

    @property
    def reused_with(self) -> tuple[str, ...]:
        """UUIDs of the other entries with the same password."""
        return tuple(u for u in self.same_password if u != self.uuid)

    @property
    def label(self) -> str:
        return LABELS[self.score]

    @property
    def crack_time(self) -> str:
        return crack_time_display(self.guesses_log10)


@dataclass(frozen=True, slots=True)
class LargeAttachment:
    """One of the vault's largest attachments (sizes come from the entries: nothing is decrypted)."""

    uuid: str
    title: str  # for display only
    name: str
    size: int
    entries: int  # how many live entries hold this same content (it is stored once)

    def to_json(self) -> dict[str, object]:
        return {"uuid": self.uuid, "title": self.title, "name": self.name, "size": self.size,
                "entries": self.entries}  # fmt: skip


LARGEST_SHOWN: Final = 5


def largest_attachments(
    entries: list[Entry], count: int = LARGEST_SHOWN
) -> tuple[list[LargeAttachment], int]:
    """The ``count`` largest attachments of ``entries`` (each content once, with how many
    entries hold it), and the size of all their attachments' content, each blob counted once
    (history versions included: they keep their attachments by reference)."""
    holders: dict[str, set[str]] = {}
    first: dict[str, tuple[Entry, str, int]] = {}
    sizes: dict[str, int] = {}
    for entry in entries:
        for attachment in entry.attachments:
            holders.setdefault(attachment.blob, set()).add(entry.uuid)
            first.setdefault(attachment.blob, (entry, attachment.name, attachment.size))
            sizes[attachment.blob] = attachment.size
        for old in entry.history:
            for attachment in old.attachments:
                sizes[attachment.blob] = attachment.size
    ranked = sorted(first.items(), key=lambda item: (-item[1][2], item[1][0].title.casefold(), item[1][1]))
    largest = [
        LargeAttachment(entry.uuid, entry.title, name, size, len(holders[blob]))
        for blob, (entry, name, size) in ranked[:count]
    ]
    return largest, sum(sizes.values())


@dataclass(slots=True)
class Report:
    entries: list[EntryHealth] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    largest_attachments: list[LargeAttachment] = field(default_factory=list)
    attachments_size: int = 0  # every blob the entries and their history refer to, counted once
    without_password: int = 0
    estimated: int = 0  # strength estimates computed (the rest came from the cache)
    cache_changed: bool = False

    @property
    def score(self) -> int:
        """0..100: the mean of the entries' points (100 for a vault with nothing to check)."""
        if not self.entries:
            return 100
        return round(sum(e.points for e in self.entries) / len(self.entries))

    def summary(self) -> str:
        kinds: dict[str, int] = {}
        for finding in self.findings:
            kinds[finding.kind] = kinds.get(finding.kind, 0) + 1
        counted = ", ".join(f"{n} {k}" for k, n in sorted(kinds.items())) or "no findings"
        return f"Health {self.score}/100 over {len(self.entries)} passwords: {counted}."


def password_changed(vault: Vault, entry: Entry) -> datetime:
    """When the current password was set: the oldest version, in the unbroken run of history
    versions that end in the current one, that has the same password."""
    if entry.password is None:
        return entry.modified
    since = entry.modified
    current_token, current = entry.password.token, None
    for old in reversed(entry.history):
        if old.password is None:
            break
        if old.password.token != current_token:  # re-sealed (merge, re-key) or another password
            if current is None:
                current = vault.reveal(entry.password).encode("utf-8")
            if not hmac.compare_digest(vault.reveal(old.password).encode("utf-8"), current):
                break
        since = old.modified
    return since


def check(
    vault: Vault,
    *,
    now: datetime | None = None,
    max_age_days: int = MAX_AGE_DAYS_DEFAULT,
    progress: Progress | None = None,
) -> Report:
    """Check every live entry's password; updates ``vault.strength_cache`` (save to keep it).

    Raises:
        CancelledError: ``progress`` returned False.
    """
    with collector_paused():  # see core.heap: a third of a cached report's time at 100,000 entries
        return _check(vault, now=now, max_age_days=max_age_days, progress=progress)


def _check(vault: Vault, *, now: datetime | None, max_age_days: int, progress: Progress | None) -> Report:
    now = now or utc_now()
    live = [e for e in vault.entries if e.password is not None]
    report = Report(without_password=len(vault.entries) - len(live))
    report.largest_attachments, report.attachments_size = largest_attachments(vault.entries)
    old_cache = vault.strength_cache
    key_check = vault.tag_key_check  # tags made under another key (an older passphrase) are void
    cache_ok = old_cache.get("v") == CACHE_VERSION and old_cache.get("key") == key_check
    old_tags = _table(old_cache.get("tags")) if cache_ok else {}
    old_scores = _table(old_cache.get("scores")) if cache_ok else {}
    new_tags: dict[str, object] = {}
    new_scores: dict[str, object] = {}
    tags: dict[str, str] = {}
    results: dict[str, tuple[int, float, bool]] = {}
    for done, entry in enumerate(live):
        if progress is not None and done % 25 == 0 and not progress(done, len(live)):
            raise CancelledError("The health report was cancelled.")
        assert entry.password is not None  # noqa: S101 - filtered above
        token = _fingerprint(entry.password.token)
        known = old_tags.get(token)
        tag = known if isinstance(known, str) else vault.secret_tag(entry.password)
        new_tags[token] = tags[entry.uuid] = tag
        cached = new_scores.get(tag, old_scores.get(tag))
        if isinstance(cached, list) and len(cached) == 3:
            score, guesses, common = int(cached[0]), float(cached[1]), bool(cached[2])
        else:
            password = vault.reveal(entry.password)
            strength = estimate(password)
            score, guesses, common = strength.score, round(strength.guesses_log10, 3), is_common(password)
            del password
            report.estimated += 1
        new_scores[tag] = [score, guesses, int(common)]
        results[entry.uuid] = (score, guesses, common)
    if progress is not None and not progress(len(live), len(live)):
        raise CancelledError("The health report was cancelled.")
    by_tag: dict[str, list[Entry]] = {}
    for entry in live:
        by_tag.setdefault(tags[entry.uuid], []).append(entry)
    # One tuple and one sorted title list per group, shared by its members: linear in the vault
    # even when hundreds of entries share a password.
    groups = {tag: tuple(e.uuid for e in members) for tag, members in by_tag.items()}
    first_titles = {tag: sorted(e.title for e in members)[:4] for tag, members in by_tag.items()
                    if len(members) > 1}  # fmt: skip
    for entry in live:
        score, guesses, common = results[entry.uuid]
        group = groups[tags[entry.uuid]]
        others = len(group) - 1
        age = (now - password_changed(vault, entry)).days
        expired = entry.expires is not None and entry.expires <= now
        kinds: list[tuple[str, str]] = []
        if common:
            kinds.append(("breached", "In public lists of the most used (leaked) passwords"))
        if score <= 1:
            kinds.append(("weak", f"{LABELS[score]}: guessed in {crack_time_display(guesses)}"))
        elif score == 2:
            kinds.append(("fair", f"Fair: guessed in {crack_time_display(guesses)}"))
        if others:
            shown = list(first_titles[tags[entry.uuid]])
            if entry.title in shown:
                shown.remove(entry.title)
            names = ", ".join(shown[:3]) + ("…" if others > 3 else "")
            many = "entry" if others == 1 else "entries"
            kinds.append(("reused", f"Same password as {others} other {many}: {names}"))
        if expired:
            assert entry.expires is not None  # noqa: S101
            kinds.append(("expired", f"Expired on {entry.expires.date().isoformat()}"))
        if age > max_age_days:
            kinds.append(("old", f"Not changed for {_age(age)}"))
        if common and score <= 1:  # one finding is enough for a password on a leak list
            kinds = [k for k in kinds if k[0] != "weak"]
        points = max(0, 100 - sum(PENALTY[kind] for kind, _ in kinds))
        report.findings += [Finding(entry.uuid, entry.title, kind, detail) for kind, detail in kinds]
        report.entries.append(
            EntryHealth(entry.uuid, entry.title, score, guesses, common, group, age, expired, points)
        )
    report.findings.sort(key=lambda f: (-f.severity, f.kind, f.title.casefold()))
    new_cache = {"v": CACHE_VERSION, "key": key_check, "tags": new_tags, "scores": new_scores}
    if new_cache != old_cache:
        vault.strength_cache = new_cache
        report.cache_changed = True
    return report


def _fingerprint(token: str) -> str:
    """A short name for a sealed token (a hash of ciphertext: it says nothing of the password)."""
    return base64.b64encode(hashlib.sha256(token.encode("ascii")).digest()[:12]).decode("ascii")


def _table(value: object) -> dict[str, object]:
    return value if isinstance(value, dict) else {}


def _age(days: int) -> str:
    if days >= 730:
        return f"{days // 365} years"
    if days >= 60:
        return f"{days // 30} months"
    return f"{days} day{'s' if days != 1 else ''}"


__all__ = ["EntryHealth", "Finding", "Report", "check", "common_passwords", "is_common", "password_changed"]
