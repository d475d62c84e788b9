"""The zh_Hans catalogue is complete: every source string of the project has a Chinese translation,
and the compiled .mo matches the .po."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
GETTEXT_HINT = "gettext is needed for this check: apt-get install -y gettext"


def _entries(text: str) -> list[tuple[str, list[str], bool]]:
    """(msgid, msgstrs, fuzzy) for every entry but the header."""
    entries = []
    for block in text.split("\n\n"):
        fuzzy = any(line.startswith("#,") and "fuzzy" in line for line in block.splitlines())
        fields: dict[str, list[str]] = {}
        key = None
        for line in block.splitlines():
            match = re.match(r'^(msgid|msgid_plural|msgstr(?:\[\d\])?) "(.*)"$', line)
            if match:
                key = match.group(1)
                fields[key] = [match.group(2)]
            elif line.startswith('"') and key:
                fields[key].append(line[1:-1])
        if "msgid" not in fields or "".join(fields["msgid"]) == "":
            continue
        msgstrs = ["".join(v) for k, v in fields.items() if k.startswith("msgstr")]
        entries.append(("".join(fields["msgid"]), msgstrs, fuzzy))
    return entries


def test_every_catalogue_entry_is_translated_and_not_fuzzy():
    entries = _entries(PO.read_text(encoding="utf-8"))
    assert len(entries) > 200
    untranslated = [msgid for msgid, msgstrs, fuzzy in entries if fuzzy or not all(msgstrs)]
    assert untranslated == []


def test_the_catalogue_covers_every_source_string(tmp_path):
    if not shutil.which("xgettext"):
        pytest.fail(GETTEXT_HINT)
    # Extract into a copy of the locale folder so the committed catalogue is untouched.
    work = tmp_path / "project"
    shutil.copytree(
        ROOT, work, ignore=shutil.ignore_patterns(".venv", "var", ".git", "tests", "node_modules", "__pycache__")
    )
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "zh_Hans", "--no-obsolete", "--ignore=.venv", "--ignore=var"],
        cwd=work, check=True, capture_output=True, env={"DJANGO_DEBUG": "1", "PATH": "/usr/bin:/bin"},
    )  # fmt: skip
    extracted = {msgid for msgid, _, _ in _entries((work / PO.relative_to(ROOT)).read_text(encoding="utf-8"))}
    committed = {msgid for msgid, _, _ in _entries(PO.read_text(encoding="utf-8"))}
    assert sorted(extracted - committed) == []


def test_the_compiled_catalogue_is_up_to_date(tmp_path):
    if not shutil.which("msgfmt"):
        pytest.fail(GETTEXT_HINT)
    fresh = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check", "-o", str(fresh), str(PO)], check=True)
    assert fresh.read_bytes() == MO.read_bytes(), "run: make messages"
