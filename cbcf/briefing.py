"""The briefing book: one HTML document (templates/cbcf/briefing_book.html) kept for the screen and printed by
WeasyPrint to a tagged PDF (PDF/UA-1: structure tree, language, title, bookmarks), in one language.

The figures are the programs' own totals for the three full months before the meeting beside the three months
before those, program-wide (never a case, and a count under SMALL_COUNT is shown as "fewer than SMALL_COUNT", so that
no single case can be inferred), with the time they were taken. The open action items are those of the meetings of
the same series (level and subgroup) that every agency taking part in the meeting was invited to
(selectors.book_actions)."""

import datetime
import re
from zoneinfo import ZoneInfo

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from cbcf import selectors
from cbcf.models import BriefingBook, Initiative, Marking, in_language
from partnerships.models import Agency

SMALL_COUNT = 5
STYLESHEET = "css/briefing_book.css"


def period(meeting):
    """The three full calendar months before the meeting's month."""
    local = meeting.starts_at.astimezone(ZoneInfo(meeting.time_zone)).date()
    end = local.replace(day=1) - datetime.timedelta(days=1)
    return _three_months_to(end)


def _three_months_to(end):
    start = end.replace(day=1)
    for _month in range(2):
        start = (start - datetime.timedelta(days=1)).replace(day=1)
    return start, end


def previous_period(meeting):
    """The three full months before period(meeting): what the book sets the figures beside."""
    start, _end = period(meeting)
    return _three_months_to(start - datetime.timedelta(days=1))


def figures(*, meeting, between=None):
    """ShipRider, IBET and BEST totals for the period (or `between`: (start, end)), from each program's figures."""
    from best import selectors as best
    from ibet import selectors as ibet
    from shiprider import selectors as shiprider

    start, end = between or period(meeting)
    zone = ZoneInfo(meeting.time_zone)
    start_at = datetime.datetime.combine(start, datetime.time(), zone)
    end_at = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time(), zone)
    return {
        "start": start, "end": end,
        "shiprider": shiprider.period_figures(start=start, end=end),
        "ibet": ibet.period_figures(start=start_at, end=end_at),
        "best": best.period_figures(start=start, end=end),
    }


def number(value):
    """A number as people read it, in the active language ("1,234" / "1 234"; "12.5" / "12,5")."""
    return formats.number_format(value, force_grouping=True)


def shown(count):
    """A count as the book prints it: "fewer than 5" from 1 to 4, so that no single case can be inferred."""
    if 0 < count < SMALL_COUNT:
        return _("fewer than %(count)s") % {"count": SMALL_COUNT}
    return number(count)


# (program, key, label, is a count to hide when small); labels are gettext_noop'd through _figure_label.
FIGURES = (
    ("shiprider", "patrols", "ShipRider patrols", True),
    ("shiprider", "hours_on_water", "Hours on water", False),
    ("shiprider", "boardings", "ShipRider boardings", True),
    ("shiprider", "arrests", "ShipRider arrests", True),
    ("ibet", "occurrences", "IBET occurrences", True),
    ("ibet", "apprehensions", "IBET persons apprehended", True),
    ("best", "arrests", "BEST arrests", True),
    ("best", "charges", "BEST indictments and charges", True),
    ("best", "convictions", "BEST convictions", True),
)
PROGRAMS = (("shiprider", "ShipRider"), ("ibet", "IBET"), ("best", "BEST"))


def _figure_label(label):
    return {
        "ShipRider patrols": _("ShipRider patrols"), "Hours on water": _("Hours on water"),
        "ShipRider boardings": _("ShipRider boardings"), "ShipRider arrests": _("ShipRider arrests"),
        "IBET occurrences": _("IBET occurrences"), "IBET persons apprehended": _("IBET persons apprehended"),
        "BEST arrests": _("BEST arrests"), "BEST indictments and charges": _("BEST indictments and charges"),
        "BEST convictions": _("BEST convictions"),
    }[label]


def _printed(value, is_count):
    value = value or 0
    return shown(value) if is_count else number(value)


def figure_rows(figures_):
    """The figures' rows, (label, value as printed), in the order of FIGURES."""
    return [(_figure_label(label), _printed(figures_[program][key], is_count))
            for program, key, label, is_count in FIGURES]


def program_figures(current, previous):
    """Per program: its rows (label, previous, current as printed) and a bar chart of the two periods."""
    programs = []
    for program, name in PROGRAMS:
        rows = []
        for each, key, label, is_count in FIGURES:
            if each != program:
                continue
            before, now = previous[program][key] or 0, current[program][key] or 0
            rows.append({"label": _figure_label(label), "previous": _printed(before, is_count),
                         "current": _printed(now, is_count), "bars": _bars(before, now, is_count)})
        programs.append({"name": name, "rows": rows, "chart": chart(rows)})
    return programs


def _bars(before, now, is_count):
    """Each bar's length as a share of the larger of the two (a count under SMALL_COUNT is drawn as SMALL_COUNT,
    hatched, so that the bar tells no more than the words)."""
    def drawn(value):
        hidden = is_count and 0 < value < SMALL_COUNT
        return (SMALL_COUNT if hidden else float(value)), hidden

    (a, a_hidden), (b, b_hidden) = drawn(before), drawn(now)
    top = max(a, b) or 1
    return [{"share": a / top, "hidden": a_hidden, "period": "previous"},
            {"share": b / top, "hidden": b_hidden, "period": "current"}]


CHART_WIDTH, LABEL_WIDTH, BAR_HEIGHT, ROW_GAP = 520, 200, 10, 10


def chart(rows):
    """A small horizontal bar chart (inline SVG, drawn here, no script): per figure, the previous period's bar above
    the current one's. Coordinates are written with '.' whatever the language (machine values)."""
    bar_room = CHART_WIDTH - LABEL_WIDTH - 70
    shapes, y = [], 4
    for row in rows:
        shapes.append({"kind": "label", "x": "0", "y": f"{y + BAR_HEIGHT + 3:.1f}", "text": row["label"]})
        for bar, printed in zip(row["bars"], (row["previous"], row["current"]), strict=True):
            width = max(bar["share"] * bar_room, 1.0)
            shapes.append({"kind": "bar", "x": f"{LABEL_WIDTH:.1f}", "y": f"{y:.1f}", "width": f"{width:.1f}",
                           "height": f"{BAR_HEIGHT:.1f}", "period": bar["period"], "hidden": bar["hidden"]})
            shapes.append({"kind": "value", "x": f"{LABEL_WIDTH + width + 4:.1f}", "y": f"{y + BAR_HEIGHT - 1:.1f}",
                           "text": printed})
            y += BAR_HEIGHT + 1
        y += ROW_GAP
    return {"width": str(CHART_WIDTH), "height": f"{y + 2:.1f}", "shapes": shapes}


def figures_note(*, taken, zone):
    when = timezone.localtime(taken, ZoneInfo(zone))
    return _("Program-wide totals, taken %(when)s. A count under %(small)s is shown as “fewer than %(small)s”.") % {
        "when": f"{written_date(when, 'DATETIME_FORMAT')} {when:%Z}", "small": SMALL_COUNT}


def marking_words(marking):
    """The marking in English and French ("PROTECTED B / PROTÉGÉ B"), as Canadian documents carry it."""
    words = []
    for language in ("en", "fr"):
        with translation.override(language):
            words.append(str(Marking(marking).label))
    return " / ".join(dict.fromkeys(words))


def date_in_words(moment):
    """"Tuesday, January 5, 2027" / "mardi 5 janvier 2027" (the active language)."""
    pattern = "l j F Y" if translation.get_language().startswith("fr") else "l, F j, Y"
    return written_date(moment, pattern)


def written_date(moment, pattern="DATE_FORMAT"):
    """A date in words in the active language (formats.date_format), with French's ordinal for the first day of a
    month, which Django's formats cannot write: "1er octobre 2026", "mardi 1er décembre 2026"."""
    text = formats.date_format(moment, pattern)
    if moment.day == 1 and translation.get_language().startswith("fr"):
        text = re.sub(r"(?<!\d)1(?= )", "1er", text, count=1)  # the day comes first in French
    return text


def time_of_day(moment):
    return formats.date_format(moment, "G \\h i" if translation.get_language().startswith("fr") else "g:i A")


def _agency(agency):
    return {"acronym": getattr(agency, "display_acronym", agency.acronym),  # GRC in French, RCMP in English
            "name": in_language(agency.name_en, agency.name_fr)}


def participants(meeting):
    """Who takes part: name, agency, role, whom a delegate stands in for; principals first."""
    order = {"principal": 0, "delegate": 1, "member": 2}
    people = sorted(meeting.participants.select_related("officer__agency"),
                    key=lambda p: (order.get(p.role, 3), p.officer.agency.acronym, p.officer.last_name))
    return [{"name": f"{p.officer.first_name} {p.officer.last_name}", "agency": _agency(p.officer.agency),
             "role": p.get_role_display(), "delegate_for": p.delegate_for, "delegate_for_fr": p.delegate_for_fr}
            for p in people]


def notes(rows, zone):
    """Per accepted item, its briefing note, with the background papers attached to it."""
    from cbcf.models import BackgroundPaper

    items = [row for row in rows if row["kind"] == "item"]
    papers = {}
    for paper in BackgroundPaper.objects.filter(item__in=[row["item"].pk for row in items]).order_by("created_at"):
        papers.setdefault(paper.item_id, []).append(paper)
    return [{"row": row, "item": row["item"], "agency": _agency(row["item"].proposing_agency),
             "papers": papers.get(row["item"].pk, [])} for row in items]


def content(book):
    meeting = book.meeting
    with translation.override(book.language):
        zone = ZoneInfo(meeting.time_zone)
        rows = selectors.timetable(meeting)
        agencies = {agency.pk: agency for agency in Agency.objects.filter(
            pk__in=[row["item"].proposing_agency_id for row in rows if row["kind"] == "item"])}
        for row in rows:
            if row["kind"] == "item":
                row["item"].proposing_agency = agencies[row["item"].proposing_agency_id]
        current = figures(meeting=meeting)
        previous = figures(meeting=meeting, between=previous_period(meeting))
        local = meeting.starts_at.astimezone(zone)
        return {
            "meeting": meeting, "book": book, "rows": rows, "notes": notes(rows, zone),
            "title": meeting.title_shown, "marking": marking_words(meeting.marking),
            "date_in_words": date_in_words(local), "time_of_day": time_of_day(local),
            "participants": participants(meeting),
            "initiatives": Initiative.objects.prefetch_related("owners"),
            "figures": current, "previous": previous, "figure_rows": figure_rows(current),
            "programs": program_figures(current, previous),
            "figures_note": figures_note(taken=timezone.now(), zone=meeting.time_zone),
            "fewer_than": shown(1),
            "actions": selectors.book_actions(meeting=meeting),
            "zone": meeting.time_zone,
        }


def build(book):
    """Render the book's HTML and PDF in its language and keep them with the book."""
    context = content(book)
    with translation.override(book.language):
        html = render_to_string("cbcf/briefing_book.html", context)
        pdf = _pdf(html, context)
    # Only a book still building: the task may run twice (at-least-once delivery); the first to finish wins.
    BriefingBook.objects.filter(pk=book.pk, status=BriefingBook.Status.BUILDING).update(
        html=html, pdf=pdf, status=BriefingBook.Status.READY, finished_at=timezone.now())


def _css_string(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def page_css(context):
    """The running marking and "Page x of y" of every page: words of the book's language, set here."""
    words = pgettext("briefing book footer", "Page %(number)s of %(pages)s")
    before, rest = words.split("%(number)s", 1)
    middle, after = rest.split("%(pages)s", 1)
    footer = (f'{_css_string(before)} counter(page) {_css_string(middle)} counter(pages) {_css_string(after)}')
    marking = _css_string(context["marking"])
    return (f"@page {{ @top-center {{ content: {marking}; }} @bottom-center {{ content: {marking}; }} "
            f"@bottom-right {{ content: {footer}; }} }}")


def _fetcher():
    """The book fetches its own stylesheet, from the static files, and nothing else (no image or font a text
    could point to, nothing from the network)."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class OwnStylesheetOnly(URLFetcher):
        def fetch(self, url, headers=None):
            if url.split("?")[0].endswith("/static/" + STYLESHEET):
                with open(finders.find(STYLESHEET), "rb") as stylesheet:
                    return URLFetcherResponse(url, body=stylesheet.read(), headers={"Content-Type": "text/css"})
            raise ValueError(f"the briefing book fetches nothing but its stylesheet: {url}")

    return OwnStylesheetOnly()


def _pdf(html, context):
    import weasyprint

    document = weasyprint.HTML(string=html, url_fetcher=_fetcher(), base_url="file:///")
    return document.write_pdf(stylesheets=[weasyprint.CSS(string=page_css(context))], pdf_variant="pdf/ua-1")
