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
