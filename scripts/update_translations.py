"""Keep the window's translation catalogues current with the source.

    python scripts/update_translations.py            # update resources/translations/, compile .qm
    python scripts/update_translations.py --check    # exit 1 if they are out of date (the tests run this)
    python scripts/update_translations.py --add de   # start vaultapp_de.ts for a new language

It runs Qt's ``lupdate`` and ``lrelease`` from the PySide6 wheel over vaultapp/gui/ and each
integration's gui.py. ``vaultapp.ts`` is the template (every string, nothing translated);
``vaultapp_en.ts`` holds only the English plural forms (``%n version(s)`` -> "1 version",
"2 versions"), filled here from the ``(s)``/``(es)``/``y(ies)`` in the source text; every other
``vaultapp_<lang>.ts`` is a translation that lupdate merges new strings into.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "resources" / "translations"
TEMPLATE = "vaultapp.ts"
ENGLISH = "vaultapp_en.ts"


def qt_tool(name: str) -> str:
    import PySide6

    found = Path(PySide6.__file__).parent / name
    if found.is_file():
        return str(found)
    on_path = shutil.which(f"pyside6-{name}") or shutil.which(name)
    if on_path is None:
        raise SystemExit(f"{name} not found: it comes with PySide6 (pip install -e '.[dev]')")
    return on_path


def sources() -> list[str]:
    files = sorted((ROOT / "vaultapp" / "gui").glob("*.py"))
    files += sorted(p for p in (ROOT / "vaultapp").glob("*/gui.py") if p.parent.name != "gui")
    return [str(p.relative_to(ROOT)) for p in files]


def lupdate(target: Path, *options: str) -> None:
    command = [qt_tool("lupdate"), *sources(), "-locations", "none", "-no-obsolete", "-source-language", "en"]
    subprocess.run([*command, *options, "-ts", str(target)], cwd=ROOT, check=True, capture_output=True)


_MESSAGE = re.compile(r'<message numerus="yes">(.*?)</message>', re.DOTALL)
_UNFINISHED = re.compile(
    r'<translation type="unfinished">\s*<numerusform></numerusform>\s*<numerusform></numerusform>\s*</translation>'
)


def english_forms(source: str) -> tuple[str, str] | None:
    """The English singular and plural of a ``%n thing(s)`` text, or None if it has no marker."""
    markers = re.compile(r"y\(ies\)|\((e?s)\)")
    if not markers.search(source):
        return None
    one = markers.sub(lambda m: "y" if m.group(0).startswith("y") else "", source)
    many = markers.sub(lambda m: "ies" if m.group(0).startswith("y") else m.group(1), source)
    return one, many


def fill_english(path: Path) -> None:
    def fill(match: re.Match[str]) -> str:
        block = match.group(0)
        source = re.search(r"<source>(.*?)</source>", block, re.DOTALL)
        forms = english_forms(source.group(1)) if source else None
        if forms is None:
            return block
        indent = " " * 12
        done = f"<translation>\n{indent}<numerusform>{forms[0]}</numerusform>\n{indent}<numerusform>{forms[1]}</numerusform>\n        </translation>"
        return _UNFINISHED.sub(lambda _: done, block)

    text = path.read_text(encoding="utf-8")
    path.write_text(_MESSAGE.sub(fill, text), encoding="utf-8")


def update(folder: Path, *, add: str | None = None) -> list[Path]:
    """Update (or create) the catalogues in ``folder`` and compile them; returns the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    lupdate(folder / TEMPLATE)
    lupdate(folder / ENGLISH, "-pluralonly", "-target-language", "en")
    fill_english(folder / ENGLISH)
    if add:
        new = folder / f"vaultapp_{add}.ts"
        if not new.exists():
            shutil.copyfile(folder / TEMPLATE, new)
    for translation in sorted(folder.glob("vaultapp_*.ts")):
        if translation.name != ENGLISH:
            language = translation.stem.removeprefix("vaultapp_")
            lupdate(translation, "-target-language", language)
    for translation in sorted(folder.glob("vaultapp_*.ts")):
        subprocess.run(
            [qt_tool("lrelease"), "-silent", str(translation), "-qm", str(translation.with_suffix(".qm"))],
            check=True,
            capture_output=True,
        )
    return sorted(folder.iterdir())


def unfinished_english(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    return [
        m.group(1)
        for block in _MESSAGE.finditer(text)
        if _UNFINISHED.search(block.group(0))
        for m in [re.search(r"<source>(.*?)</source>", block.group(0), re.DOTALL)]
        if m
    ]


def check(committed: Path = TRANSLATIONS) -> int:
    """0 if ``committed`` (resources/translations/) is what update() would write, else 1 with what differs."""
    with tempfile.TemporaryDirectory() as scratch:
        fresh = Path(scratch)
        for existing in committed.glob("*.ts"):
            shutil.copyfile(existing, fresh / existing.name)
        update(fresh)
        stale = [
            p.name
            for p in sorted(fresh.iterdir())
            if not (committed / p.name).is_file() or (committed / p.name).read_bytes() != p.read_bytes()
        ]
        missing_forms = unfinished_english(fresh / ENGLISH)
    if stale:
        print(f"out of date: {', '.join(stale)}; run python scripts/update_translations.py and commit")
    if missing_forms:
        print(f"English plural forms missing (write them in {ENGLISH}): {'; '.join(missing_forms)}")
    return 1 if stale or missing_forms else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check that the catalogues are current")
    parser.add_argument("--add", metavar="LANG", help="start a catalogue for LANG (e.g. de, pt_BR)")
    parser.add_argument("--translations", type=Path, default=TRANSLATIONS, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.check:
        return check(args.translations)
    update(TRANSLATIONS, add=args.add)
    missing = unfinished_english(TRANSLATIONS / ENGLISH)
    if missing:
        print(f"English plural forms missing (write them in {ENGLISH}): {'; '.join(missing)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
