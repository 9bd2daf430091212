"""The variables ``vaultapp-cli run`` gives a command: entries of a folder or tag (named from
their titles as the ``.env`` export names them, the password as value), the variables of a
``.env`` file whose values may be references, and references in the caller's own environment;
with the secrets among them (to mask) and the entries used (to log, never their values)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from vaultapp.core.errors import UsageError
from vaultapp.secrets_env.references import Resolved, Resolver, is_reference, placeholders

if TYPE_CHECKING:
    from vaultapp.core.vault import Vault


@dataclass(slots=True)
class Environment:
    """What a command gets: ``variables`` to set over the inherited environment, the ``secrets``
    to mask (each variable's secret values: all of it, or the parts a placeholder filled in),
    ``used`` entries (uuid -> the field kinds given), ``notes``."""

    variables: dict[str, str] = field(default_factory=dict, repr=False)
    secrets: dict[str, list[str]] = field(default_factory=dict, repr=False)
    used: dict[str, set[str]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def take(self, name: str, value: str, resolved: list[Resolved]) -> None:
        if "\0" in value:
            raise UsageError(f"The value of {name} holds a NUL character, which no environment can carry.")
        self.variables[name] = value
        self.secrets[name] = [r.value for r in resolved if r.secret]
        for r in resolved:
            self.used.setdefault(r.uuid, set()).add(r.kind)


def build_environment(
    vault: Vault,
    *,
    now: float,
    folder: str | None = None,
    tag: str | None = None,
    env_file: Path | None = None,
    inherited: Mapping[str, str] | None = None,
) -> Environment:
    """The variables for a command (later sources override earlier ones): references in
    ``inherited`` (the caller's environment), then with ``folder``/``tag`` those entries, then
    ``env_file``'s variables. Nothing is started and nothing written.

    Raises:
        UsageError: a reference that does not resolve (named), a ``.env`` line that is not
            ``NAME=value`` (its line number; never its text), a value holding a NUL.
    """
    env = Environment()
    resolver = Resolver(vault, now)
    for name, value in (inherited or {}).items():
        if is_reference(value):
            env.take(name, *_value(resolver, value))
    if folder is not None or tag is not None:
        _add_entries(env, vault, folder, tag)
    if env_file is not None:
        _add_env_file(env, resolver, env_file)
    return env


def _value(resolver: Resolver, value: str) -> tuple[str, list[Resolved]]:
    """A variable's value: a reference resolved, ``{{ vaultapp://… }}`` placeholders filled in,
    anything else as it is."""
    if is_reference(value):
        found = resolver.resolve(value)
        return found.value, [found]
    used = [resolver.resolve(m[1]) for m in placeholders(value)]
    return (resolver.substitute(value), used) if used else (value, [])


def _add_entries(env: Environment, vault: Vault, folder: str | None, tag: str | None) -> None:
    from vaultapp.interop.dotenv import env_bindings
    from vaultapp.interop.records import Problem, records_of

    records = list(records_of(vault, folder=folder, tag=tag))
    if not records:
        what = " and ".join(x for x in (folder and f"folder {folder!r}", tag and f"tag {tag!r}") if x)
        raise UsageError(f"No entry has the {what}; check the spelling ('{_PROG} ls' lists them).")
    notes: list[Problem] = []
    nul = lambda value: "holds a NUL character" if "\0" in value else None  # noqa: E731
    for name, record in env_bindings(records, notes, refuse=nul):
        env.take(name, record.password, [])
        env.secrets[name] = [record.password]
        env.used.setdefault(record.uuid or "", set()).add("password")
    env.notes += [str(note) for note in notes]


def _add_env_file(env: Environment, resolver: Resolver, path: Path) -> None:
    from vaultapp.interop.dotenv import parse_env
    from vaultapp.interop.records import read_text

    parsed = parse_env(read_text(path))
    if parsed.skipped:
        problem = parsed.skipped[0]
        raise UsageError(f"{path} line {problem.line}: {problem.reason}; fix the file (nothing was started).")
    for record in parsed.records:
        env.take(record.title, *_value(resolver, record.password))


_PROG = "vaultapp-cli"
