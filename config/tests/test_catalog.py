"""The Brazilian Portuguese catalog is complete, compiled and current.

A string marked for translation and missing from the catalog, an entry left untranslated
or fuzzy, or a `.mo` that says something else than its `.po`, fails here: what a person
reads is never half English. (README, "Languages", says how to add a string.)
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

from config.messages import MAKEMESSAGES
from config.settings.base import BASE_DIR

CATALOG = Path(BASE_DIR, "locale", "pt_BR", "LC_MESSAGES")
DOMAINS = sorted(path.stem for path in CATALOG.glob("*.po"))


def entries(po) -> dict[tuple[str | None, str], str | dict]:
    return {
        (entry.msgctxt, entry.msgid): entry.msgstr_plural or entry.msgstr
        for entry in po
        if not entry.obsolete
    }


def test_there_is_a_catalog():
    assert "django" in DOMAINS


@pytest.mark.parametrize("domain", DOMAINS)
def test_every_entry_is_translated_and_none_is_fuzzy(domain):
    po = polib.pofile(str(CATALOG / f"{domain}.po"))
    untranslated = [e.msgid for e in po.untranslated_entries()]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    assert (untranslated, fuzzy) == ([], [])
    assert po.metadata["Language"] == "pt_BR" and not po.metadata_is_fuzzy


@pytest.mark.parametrize("domain", DOMAINS)
def test_the_compiled_catalog_says_what_its_source_says(domain):
    po = polib.pofile(str(CATALOG / f"{domain}.po"))
    mo = polib.mofile(str(CATALOG / f"{domain}.mo"))
    assert entries(mo) == entries(po)


def test_every_marked_string_is_in_the_catalog(tmp_path):
    """makemessages, run on a copy of the code, finds no string the catalog lacks."""
    if shutil.which("xgettext") is None:
        assert not os.environ.get("CI"), "CI installs gettext (.ci/run)"
        pytest.skip("gettext is not installed here (apt-get install gettext)")
    copy = tmp_path / "shop"
    shutil.copytree(
        BASE_DIR,
        copy,
        ignore=shutil.ignore_patterns(
            ".venv", ".git", "staticfiles", "media", ".mail", "*.sqlite3*"
        ),
    )
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", *MAKEMESSAGES, "-d", "django"],
        cwd=copy,
        check=True,
        capture_output=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"},
    )
    for domain in DOMAINS:
        fresh = polib.pofile(str(copy / "locale" / "pt_BR" / "LC_MESSAGES" / f"{domain}.po"))
        committed = polib.pofile(str(CATALOG / f"{domain}.po"))
        assert set(entries(fresh)) == set(entries(committed)), (
            f"locale/pt_BR/LC_MESSAGES/{domain}.po is out of date: run `make messages`"
        )
