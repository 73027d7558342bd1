"""Texts users type in both languages: the reader's version, else the other one marked with its language."""

from django import template
from django.template.defaultfilters import linebreaksbr
from django.utils.html import format_html
from django.utils.translation import gettext as _

from cbcf.models import reading_french

register = template.Library()


def other_language(english, french):
    """(text, lang) of the version to show when the reader's is missing, or (text, None) when it is there."""
    english, french = english or "", french or ""
    if reading_french():
        return (french, None) if french else (english, "en" if english else None)
    return (english, None) if english else (french, "fr" if french else None)


def marker(lang):
    return _("(English)") if lang == "en" else _("(French)")


@register.simple_tag
def bilingual(english, french, lines=False):
    """{% bilingual item.title_en item.title_fr %}: the version missing in the reader's language is shown in the
    other language, with lang= for screen readers and a marker saying which language it is in. lines=True keeps
    the text's line breaks (<br>)."""
    text, lang = other_language(english, french)
    shown = linebreaksbr(text, autoescape=True) if lines else text
    if lang is None:
        return shown
    return format_html('<span lang="{}">{}</span> <span class="other-language">{}</span>', lang, shown, marker(lang))


@register.filter
def bilingual_text(english, french):
    """The plain-text form (attributes, option labels): the version shown, marked, without markup."""
    text, lang = other_language(english, french)
    return f"{text} {marker(lang)}" if lang else text


@register.filter
def in_words(moment):
    """{{ day|in_words }}: the date in words in the reader's language, "1er octobre 2026" in French
    (cbcf.briefing.written_date)."""
    from cbcf.briefing import written_date

    return written_date(moment) if moment else ""
