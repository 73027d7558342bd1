"""The French catalog is complete and the compiled catalog that ships matches it."""

from pathlib import Path

import polib
import pytest

CATALOG = Path(__file__).resolve().parent.parent / "locale" / "fr" / "LC_MESSAGES"


def test_french_catalog_has_no_untranslated_or_fuzzy_entry():
    po = polib.pofile(str(CATALOG / "django.po"))
    assert [e.msgid for e in po.untranslated_entries()] == []
    assert [e.msgid for e in po.fuzzy_entries()] == []


def test_compiled_catalog_is_up_to_date():
    """The .mo is committed so that French works on a fresh machine without GNU gettext."""
    po = {(e.msgctxt, e.msgid): (e.msgstr, e.msgstr_plural) for e in polib.pofile(str(CATALOG / "django.po"))
          if not e.obsolete}
    mo = {(e.msgctxt, e.msgid): (e.msgstr, e.msgstr_plural) for e in polib.mofile(str(CATALOG / "django.mo"))}
    assert po == {key: value for key, value in mo.items() if key[1]}, "run `make messages` and commit django.mo"


@pytest.mark.parametrize("placeholder", ["%(agency)s", "%(reference)s"])
def test_translations_keep_their_placeholders(placeholder):
    for entry in polib.pofile(str(CATALOG / "django.po")):
        if placeholder in entry.msgid and entry.msgstr:
            assert placeholder in entry.msgstr, entry.msgid


def test_catalog_holds_every_translatable_string_of_the_code(tmp_path):
    """makemessages, run afresh on a copy of the source, finds no string the committed catalog lacks."""
    import shutil
    import subprocess
    import sys

    from conftest import skip_or_fail

    if not shutil.which("xgettext"):
        skip_or_fail("GNU gettext (xgettext) is not installed")
    root = CATALOG.parent.parent.parent
    copy = tmp_path / "src"
    shutil.copytree(root, copy, ignore=shutil.ignore_patterns(
        ".venv", "node_modules", ".git", "*.sqlite3", "__pycache__", ".hypothesis", "staticfiles"))
    subprocess.run([sys.executable, "manage.py", "makemessages", "-l", "fr", "--no-obsolete"], cwd=copy,
                   check=True, capture_output=True, env={"PATH": "/usr/bin:/bin", "DJANGO_DEBUG": "true"})
    committed = {(e.msgctxt, e.msgid) for e in polib.pofile(str(CATALOG / "django.po"))}
    found = {(e.msgctxt, e.msgid) for e in polib.pofile(str(copy / "locale" / "fr" / "LC_MESSAGES" / "django.po"))}
    assert sorted(found - committed, key=str) == [], "run `make messages` and translate the new entries"
