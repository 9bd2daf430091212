"""The SSH commands: ``ssh-add`` (an entry's key into the running agent, or out with ``--remove``)
and ``ssh-keygen`` (a new Ed25519 key pair into a new entry). Exit 8 when the agent cannot be
reached or refuses."""

from __future__ import annotations

import sys

from vaultapp.cli.unlock import open_vault
from vaultapp.core.errors import UsageError

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (kept off the --version path)
if TYPE_CHECKING:
    import argparse
    from collections.abc import Callable

    from vaultapp.cli.passphrases import Passphrases


def _lifetime(value: str) -> int:
    from vaultapp.sshagent.entries import check_lifetime

    return check_lifetime(value)


def cmd_ssh_add(args: argparse.Namespace, pw: Passphrases) -> int:
    from vaultapp.core.errors import EntryNotFoundError
    from vaultapp.sshagent.agent import AgentClient
    from vaultapp.sshagent.entries import load_key
    from vaultapp.sshagent.session import AgentSession

    if args.remove and (args.lifetime is not None or args.confirm):
        raise UsageError("--lifetime and --confirm are for adding a key; --remove takes neither.")
    with open_vault(args, pw) as vault:
        entry = vault.find(args.query)
        key = load_key(vault, entry)  # a key that cannot be read is said whether or not an agent runs
        agent = AgentClient()
        if args.remove:
            if not agent.remove([key.public_blob]):
                raise EntryNotFoundError(f"The SSH agent does not hold the key of entry {entry.title!r}.")
            print(f"Removed {key.fingerprint} ({entry.title}) from the SSH agent.")
            return 0
        added = AgentSession(agent).add_entry(
            vault, entry, key=key, lifetime=args.lifetime, confirm=True if args.confirm else None
        )
    if not added.fresh:
        print(f"The SSH agent holds {added.fingerprint} ({added.title}) already; left as it was.")
        return 0
    notes = ([f"lifetime {added.lifetime} s"] if added.lifetime else []) + (
        ["confirm each use"] if added.confirm else []
    )
    extra = f" ({', '.join(notes)})" if notes else ""
    print(f"Added {added.fingerprint} ({added.title}) to the SSH agent{extra}.")
    return 0


def cmd_ssh_keygen(args: argparse.Namespace, pw: Passphrases) -> int:
    from vaultapp.sshagent.entries import KEY_FIELD, PUBLIC_FIELD, SETTINGS_FIELD, KeySettings
    from vaultapp.sshagent.keys import generate_ed25519

    settings = KeySettings(add_on_unlock=args.add_on_unlock, confirm=args.confirm, lifetime=args.lifetime)
    with open_vault(args, pw, writable=True) as vault:
        passphrase = None
        if args.protect:
            from vaultapp.generators.password import generate_password

            passphrase = generate_password().value
        pair = generate_ed25519(args.comment or args.title, passphrase)
        custom = [(KEY_FIELD, pair.private_openssh, True), (PUBLIC_FIELD, pair.public_line, False)]
        if settings.text():
            custom.append((SETTINGS_FIELD, settings.text(), False))
        entry = vault.add(args.title, password=passphrase, folder=args.folder, custom=custom)
        vault.save()
    sys.stderr.write(f"Made entry {entry.title!r} ({entry.uuid}), new Ed25519 key {pair.fingerprint}.\n")
    print(pair.public_line)
    return 0


def _ssh_add_parser(command: Callable[..., argparse.ArgumentParser]) -> None:
    p = command(
        "ssh-add",
        cmd_ssh_add,
        "Add the SSH key an entry holds to the running agent ($SSH_AUTH_SOCK), with the entry's "
        "lifetime and confirm settings; with --remove, take it out again.",
    )
    p.add_argument("query", metavar="QUERY", help="UUID or exact title")
    p.add_argument("--lifetime", type=_lifetime, metavar="SECONDS", help="the agent drops the key after this")
    p.add_argument("--confirm", action="store_true", help="the agent asks before each use of the key")
    p.add_argument("--remove", action="store_true", help="remove the entry's key from the agent")


def _ssh_keygen_parser(command: Callable[..., argparse.ArgumentParser]) -> None:
    p = command(
        "ssh-keygen",
        cmd_ssh_keygen,
        "Make a new Ed25519 SSH key pair into a new entry; prints its public key (for authorized_keys).",
    )
    p.add_argument("title", metavar="TITLE", help="the new entry's title")
    p.add_argument("--comment", help="the public key's comment (default: the title)")
    p.add_argument("--folder", default="", help="folder path such as Work/Servers")
    p.add_argument("--add-on-unlock", action="store_true", help="the window adds it to the agent at unlock")
    p.add_argument("--lifetime", type=_lifetime, metavar="SECONDS", help="the agent's lifetime for it")
    p.add_argument("--confirm", action="store_true", help="the agent asks before each use of it")
    p.add_argument(
        "--protect", action="store_true",
        help="also encrypt the key with a generated passphrase, kept as the entry's password",
    )  # fmt: skip


PARSERS: dict[str, Callable[[Callable[..., argparse.ArgumentParser]], None]] = {
    "ssh-add": _ssh_add_parser,
    "ssh-keygen": _ssh_keygen_parser,
}
