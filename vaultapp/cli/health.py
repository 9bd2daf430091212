"""``check`` (password health) and ``log`` (the audit log)."""

from __future__ import annotations

import sys

from vaultapp.cli.output import PROG, print_json
from vaultapp.cli.unlock import open_vault
from vaultapp.core.errors import UsageError, VaultError

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (kept off the --version path)
if TYPE_CHECKING:
    import argparse
    from collections.abc import Callable

    from vaultapp.cli.passphrases import Passphrases


def cmd_check(args: argparse.Namespace, pw: Passphrases) -> int:
    from vaultapp.health.report import check

    if args.max_age_days < 1:
        raise UsageError(f"--max-age-days must be at least 1, not {args.max_age_days}.")
    # writable, to keep the strength cache in the vault; read-only when the file is read-only
    with open_vault(args, pw, writable=True, or_read_only=True) as vault:
        report = check(vault, max_age_days=args.max_age_days)
        if report.cache_changed and vault.writable and vault.rollback_warning is None:
            try:
                vault.save(backup=False)
            except VaultError as exc:
                sys.stderr.write(f"{PROG}: warning: the strength cache was not kept: {exc}\n")
    if args.json:
        print_json(
            {
                "score": report.score,
                "passwords": len(report.entries),
                "without_password": report.without_password,
                "findings": [f.to_json() for f in report.findings],
                "entries": [
                    {
                        "uuid": e.uuid,
                        "title": e.title,
                        "strength": e.label,
                        "score": e.score,
                        "guesses_log10": e.guesses_log10,
                        "crack_time": e.crack_time,
                        "common": e.common,
                        "reused_with": list(e.reused_with),
                        "password_age_days": e.password_age_days,
                        "expired": e.expired,
                    }
                    for e in report.entries
                ],
            }
        )
        return 0
    print(report.summary())
    if report.findings:
        title_w = min(32, max(len(f.title) for f in report.findings))
        for f in report.findings:
            name = f"{f.title[:title_w]:<{title_w}}"
            print(f"{f.severity_name:<6}  {name}  {f.kind:<8}  {f.detail}  -> {f.action}")
    return 0


def cmd_log(args: argparse.Namespace, pw: Passphrases) -> int:
    from vaultapp.core.audit_records import EVENTS
    from vaultapp.core.errors import DamagedFileError

    with open_vault(args, pw) as vault:
        result = vault.verify_log()
        titles = {e.uuid: e.title for e in (*vault.entries, *vault.trashed_entries)}
    records = result.records[-args.last :] if args.last else result.records
    if args.json:
        print_json(
            {
                "verified": result.ok if args.verify else None,
                "problems": result.problems if args.verify else [],
                "notes": result.notes if args.verify else [],
                "records": [r.to_json() for r in records],
            }
        )
    else:
        for r in records:
            mark = "" if r.authenticated else "  (FORGED: no MAC)" if r.forged else "  (unauthenticated)"
            what = EVENTS.get(r.event, r.event)
            target = "" if r.uuid is None else f"  {titles.get(r.uuid, r.uuid)}"
            extra = f"  ({r.details})" if r.details else ""
            when = r.time.astimezone().strftime("%Y-%m-%d %H:%M:%S")
            print(f"{r.seq:6d}  {when}  {what}{target}{extra}{mark}")
    if args.verify:
        if not result.ok:
            raise DamagedFileError(
                "The audit log does not verify: " + " ".join(result.problems)
                + " Someone changed it, or it was damaged; the vault itself is not affected."
            )  # fmt: skip
        unauth = (
            f", {result.unauthenticated} unauthenticated (failed unlocks)" if result.unauthenticated else ""
        )
        sys.stderr.write(f"Audit log verified: {len(result.records)} records{unauth}; intact.\n")
        for note in result.notes:
            sys.stderr.write(f"Note: {note}\n")
    return 0


def _check_parser(command: Callable[..., argparse.ArgumentParser]) -> None:
    p = command(
        "check", cmd_check, "Password health: weak, reused, common (leaked), old and expired passwords."
    )
    p.add_argument("--max-age-days", type=int, default=365, metavar="N",
                   help="a password unchanged for longer is 'old' (default 365)")  # fmt: skip
    p.add_argument("--json", action="store_true")


def _log_parser(command: Callable[..., argparse.ArgumentParser]) -> None:
    p = command("log", cmd_log, "Show the vault's audit log (events, never secrets or titles).")
    p.add_argument(
        "--verify",
        action="store_true",
        help="check the chain of MACs; exit 4 when records were edited, removed or reordered",
    )
    p.add_argument("--last", type=int, default=0, metavar="N", help="only the last N records")
    p.add_argument("--json", action="store_true")


PARSERS: dict[str, Callable[[Callable[..., argparse.ArgumentParser]], None]] = {
    "check": _check_parser,
    "log": _log_parser,
}
