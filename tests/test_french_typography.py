"""French typography in the catalog: a no-break space (U+00A0) before ":", ";", "?" and "!" and inside « », so
that "Patrouille :" never breaks at the end of a line and never reads "Patrouille:". Placeholders, addresses,
times (2:15, 18:00) and literal headers (Authorization:) are code, not prose, and are left alone."""

import re
from pathlib import Path

import polib
import pytest

CATALOG = Path(__file__).resolve().parent.parent / "locale" / "fr" / "LC_MESSAGES" / "django.po"
NBSP = "\u00a0"
CODE = re.compile(r"https?://\S*|\?\w+=|Authorization:|\d:\d|%\(\w+\)[sd]|\{\w*\}|&\w+;")
# a punctuation mark that wants a space before it, with what precedes it, or a guillemet with what is inside it
WRONG = re.compile(r"(?<![\u00a0])([:;?!])(?=\s|$)|[ \u202f]([:;?!])|«(?!\u00a0)|(?<!\u00a0)»")


def typography_faults(text):
    """The places where `text` breaks French typography."""
    prose = CODE.sub("\ue000", text)
    return [prose[max(0, match.start() - 20):match.end() + 10] for match in WRONG.finditer(prose)]


def test_french_messages_put_a_no_break_space_before_double_punctuation_and_inside_guillemets():
    faults = {}
    for entry in polib.pofile(str(CATALOG)):
        for text in [entry.msgstr, *entry.msgstr_plural.values()]:
            if found := typography_faults(text):
                faults[entry.msgid] = found
    assert faults == {}


@pytest.mark.parametrize(("text", "faulty"), [
    ("Patrouille: %(name)s", True),
    ("Patrouille : %(name)s", True),
    ("Patrouille\u00a0: %(name)s", False),
    ("Partage ultérieur\u00a0: OPP; voir", True),
    ("le lien « next »", True),
    ("le lien «\u00a0next\u00a0»", False),
    ("Vraiment\u00a0? Oui\u00a0!", False),
    ("%(releasability)s; or", True),
    ("%(types)s\u00a0; au plus 2:15 ou https://example.org/?a=b ou Authorization: Token", False),
])
def test_the_checker_tells_right_from_wrong(text, faulty):
    assert bool(typography_faults(text)) is faulty
