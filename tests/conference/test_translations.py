"""The Arabic and Sorani catalogues must be complete for every string the code marks.

The check re-extracts the messages from a copy of the sources (so a string added
without running makemessages is caught too), merges them into a copy of the committed
catalogues, and fails on any entry left untranslated or fuzzy."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[2]
SOURCE_DIRS = ["conference", "registrations", "sessions", "visas", "donations", "exchanges",
               "templates"]


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("messages")
    for name in SOURCE_DIRS:
        shutil.copytree(ROOT / name, work / name,
                        ignore=shutil.ignore_patterns("__pycache__", "*.csv"))
    shutil.copytree(ROOT / "locale", work / "locale", ignore=shutil.ignore_patterns("*.mo"))
    shutil.copy(ROOT / "manage.py", work / "manage.py")
    environ = {"PATH": "/usr/bin:/bin", "HOME": "/tmp", "DEBUG": "1",
               "PYTHONPATH": str(work), "DJANGO_SETTINGS_MODULE": "conference.settings",
               "DATABASE_URL": f"sqlite:///{work}/db", "REFERENCE_DATA_DIR": str(work)}
    result = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "ar", "-l", "ckb", "--no-obsolete",
         "--no-location"],
        cwd=work, env=environ, capture_output=True, text=True, timeout=300, check=False,
    )
    assert result.returncode == 0, result.stderr
    return work / "locale"


@pytest.mark.parametrize("language", ["ar", "ckb"])
def test_catalogue_is_complete(extracted, language):
    catalogue = polib.pofile(str(extracted / language / "LC_MESSAGES" / "django.po"))
    assert len(catalogue) > 50
    missing = [entry.msgid for entry in catalogue if not entry.translated()]
    fuzzy = [entry.msgid for entry in catalogue if "fuzzy" in entry.flags]
    assert missing == [], f"{language}: untranslated"
    assert fuzzy == [], f"{language}: fuzzy"


@pytest.mark.parametrize("language", ["ar", "ckb"])
def test_placeholders_survive_translation(language):
    """A misspelt placeholder prints nothing (or crashes); a lost one hides a fact.
    Arabic plural forms may leave the number out ("يومان"), so plurals are checked as a
    whole, and every form may only use placeholders the English has."""
    pattern = re.compile(r"%\(\w+\)[sd]|\{\{\s*\w+\s*\}\}")
    catalogue = polib.pofile(str(ROOT / "locale" / language / "LC_MESSAGES" / "django.po"))
    problems = []
    for entry in catalogue:
        if not entry.msgid:
            continue
        wanted = {p.replace(" ", "") for p in pattern.findall(entry.msgid + (entry.msgid_plural or ""))}
        texts = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        used = [{p.replace(" ", "") for p in pattern.findall(text)} for text in texts]
        if any(not forms <= wanted for forms in used):
            problems.append(("unknown placeholder", entry.msgid))
        if not entry.msgid_plural and used[0] != wanted:
            problems.append(("lost placeholder", entry.msgid))
        if entry.msgid_plural and set().union(*used) != wanted:
            problems.append(("lost placeholder", entry.msgid))
    assert problems == []


def test_compiled_catalogues_exist():
    for language in ("ar", "ckb"):
        compiled = ROOT / "locale" / language / "LC_MESSAGES" / "django.mo"
        source = compiled.with_suffix(".po")
        assert compiled.is_file(), "run `make messages` (compilemessages)"
        assert compiled.stat().st_mtime >= source.stat().st_mtime, "django.mo is older than .po"
