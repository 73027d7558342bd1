"""CBCF's kind in the portal's search (partnerships/search.py): agenda items, seen by the secretariat and the
participants of their meeting (selectors.agenda_items); in both languages, shown in the reader's."""

from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from cbcf import selectors
from cbcf.models import AgendaItem
from partnerships import search


def _in_reader_language(english, french):
    return lambda: french if (get_language() or "en").startswith("fr") else english


def _item(item):
    return {"url": reverse("cbcf:meeting_detail", args=[item.meeting_id]),
            "about": " · ".join([item.meeting.title_shown, item.get_status_display(),
                                 item.proposing_agency.display_acronym])}


AGENDA_ITEMS = search.Searchable(
    name="agenda_item", label=_("CBCF agenda items"), model=AgendaItem,
    visible=lambda user: selectors.agenda_items(user=user),
    columns=("title_en", "title_fr", "summary_en", "summary_fr", "presenter", "decision"),
    title=_in_reader_language("title_en", "title_fr"), snippet=_in_reader_language("summary_en", "summary_fr"),
    describe=_item, select_related=("meeting", "proposing_agency"),
)


def register():
    search.register(AGENDA_ITEMS)
