"""The briefing book: HTML for the screen and a PDF with contents and page numbers, in one language.

The figures are the programs' own totals for the three full months before the meeting, program-wide (never a case,
and a count under SMALL_COUNT is shown as "fewer than SMALL_COUNT", so that no single case can be inferred), with the
time they were taken. The open action items are those of the meetings of the same series (level and subgroup) that
every agency taking part in the meeting was invited to (selectors.book_actions)."""

import datetime
import io
from zoneinfo import ZoneInfo

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import letter
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.platypus import PageBreak, Paragraph, Spacer, Table, TableStyle
from reportlab.platypus.doctemplate import SimpleDocTemplate
from reportlab.platypus.tableofcontents import TableOfContents

from cbcf import selectors, services
from cbcf.models import BriefingBook, Initiative

SMALL_COUNT = 5


def period(meeting):
    """The three full calendar months before the meeting's month."""
    local = meeting.starts_at.astimezone(ZoneInfo(meeting.time_zone)).date()
    end = local.replace(day=1) - datetime.timedelta(days=1)
    start = end.replace(day=1)
    for _month in range(2):
        start = (start - datetime.timedelta(days=1)).replace(day=1)
    return start, end


def figures(*, meeting):
    """ShipRider, IBET and BEST totals for the period, from each program's own figures."""
    from best import selectors as best
    from ibet import selectors as ibet
    from shiprider import selectors as shiprider

    start, end = period(meeting)
    zone = ZoneInfo(meeting.time_zone)
    start_at = datetime.datetime.combine(start, datetime.time(), zone)
    end_at = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time(), zone)
    return {
        "start": start, "end": end,
        "shiprider": shiprider.period_figures(start=start, end=end),
        "ibet": ibet.period_figures(start=start_at, end=end_at),
        "best": best.period_figures(start=start, end=end),
    }


def shown(count):
    """A count as the book prints it: "fewer than 5" from 1 to 4, so that no single case can be inferred."""
    if 0 < count < SMALL_COUNT:
        return _("fewer than %(count)s") % {"count": SMALL_COUNT}
    return str(count)


def figure_rows(figures_):
    """The figures table's rows, (label, value as printed), shared by the page and the PDF."""
    ship, ibet, best = figures_["shiprider"], figures_["ibet"], figures_["best"]
    return [
        (_("ShipRider patrols"), shown(ship["patrols"])),
        (_("Hours on water"), str(ship["hours_on_water"])),
        (_("ShipRider boardings"), shown(ship["boardings"])),
        (_("ShipRider arrests"), shown(ship["arrests"])),
        (_("IBET occurrences"), shown(ibet["occurrences"])),
        (_("IBET persons apprehended"), shown(ibet["apprehensions"] or 0)),
        (_("BEST arrests"), shown(best["arrests"])),
        (_("BEST indictments and charges"), shown(best["charges"])),
        (_("BEST convictions"), shown(best["convictions"])),
    ]


def figures_note(*, taken, zone):
    when = timezone.localtime(taken, ZoneInfo(zone))
    return _("Program-wide totals, taken %(when)s. A count under %(small)s is shown as “fewer than %(small)s”.") % {
        "when": f"{when:%Y-%m-%d %H:%M %Z}", "small": SMALL_COUNT}


def content(book):
    meeting = book.meeting
    with translation.override(book.language):
        figures_ = figures(meeting=meeting)
        return {
            "meeting": meeting, "book": book, "rows": services.timetable(meeting),
            "initiatives": Initiative.objects.prefetch_related("owners"),
            "figures": figures_, "figure_rows": figure_rows(figures_),
            "figures_note": figures_note(taken=timezone.now(), zone=meeting.time_zone),
            "actions": selectors.book_actions(meeting=meeting),
            "zone": meeting.time_zone,
        }


def build(book):
    """Render the book's HTML and PDF in its language and keep them with the book."""
    context = content(book)
    with translation.override(book.language):
        html = render_to_string("cbcf/briefing_book.html", context)
        pdf = _pdf(context)
    # Only a book still building: the task may run twice (at-least-once delivery); the first to finish wins.
    BriefingBook.objects.filter(pk=book.pk, status=BriefingBook.Status.BUILDING).update(
        html=html, pdf=pdf, status=BriefingBook.Status.READY, finished_at=timezone.now())


class _Book(SimpleDocTemplate):
    """Headings feed the table of contents; every page carries its number."""

    def afterFlowable(self, flowable):
        if isinstance(flowable, Paragraph) and flowable.style.name == "Heading1":
            self.notify("TOCEntry", (0, flowable.getPlainText(), self.page))


def _page_number(canvas, document):
    canvas.setFont("Helvetica", 8)
    canvas.drawRightString(document.pagesize[0] - 40, 25, _("Page %(number)s") % {"number": document.page})


def _escape(text):
    return (str(text) if text is not None else "").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _pdf(context):
    meeting, styles = context["meeting"], getSampleStyleSheet()
    zone = ZoneInfo(context["zone"])
    body, heading = styles["BodyText"], styles["Heading1"]
    buffer = io.BytesIO()
    document = _Book(buffer, pagesize=letter, title=_("Briefing book: %(meeting)s") % {"meeting": meeting.title})
    contents = TableOfContents()
    story = [Paragraph(_escape(_("Cross Border Crime Forum")), styles["Title"]),
             Paragraph(_escape(meeting.title), styles["Heading2"]),
             Paragraph(_escape(f"{meeting.starts_at.astimezone(zone):%Y-%m-%d %H:%M %Z} — {meeting.place}"), body),
             Paragraph(_escape(_("Agenda version %(number)s") % {"number": context["book"].agenda_version}), body),
             PageBreak(), Paragraph(_escape(_("Contents")), styles["Heading2"]), contents, PageBreak(),
             Paragraph(_escape(_("Timetable")), heading)]
    rows = [[_("Time"), _("Item"), _("Purpose"), _("Presenter")]]
    for row in context["rows"]:
        if row["kind"] == "break":
            rows.append([f"{row['start']:%H:%M}", _("Break"), "", ""])
        else:
            item = row["item"]
            rows.append([f"{row['start']:%H:%M}", Paragraph(_escape(item.title), body),
                         item.get_purpose_display(), Paragraph(_escape(item.presenter), body)])
    story.append(_table(rows, [60, 250, 80, 120]))
    for row in context["rows"]:
        if row["kind"] == "item":
            item = row["item"]
            story += [Paragraph(_escape(f"{row['position']}. {item.title}"), heading),
                      Paragraph(_escape(f"{item.get_purpose_display()} — {item.presenter} — "
                                        f"{row['start']:%H:%M}"), body),
                      Paragraph(_escape(item.summary), body)]
    story.append(Paragraph(_escape(_("Initiatives")), heading))
    story.append(_table([[_("Initiative"), _("Target date"), _("Status")]] + [
        [Paragraph(_escape(i.title), body), str(i.target_date), i.get_status_display()]
        for i in context["initiatives"]], [300, 90, 90]))
    figures_ = context["figures"]
    story.append(Paragraph(_escape(_("Figures, %(start)s to %(end)s") % {"start": figures_["start"],
                                                                         "end": figures_["end"]}), heading))
    story.append(Paragraph(_escape(context["figures_note"]), body))
    story.append(_table([[label, value] for label, value in context["figure_rows"]], [300, 120], header=False))
    story.append(Paragraph(_escape(_("Open action items")), heading))
    story.append(_table([[_("Action"), _("Owner"), _("Due")]] + [
        [Paragraph(_escape(a.text), body), a.owner.acronym, str(a.due_on)] for a in context["actions"]],
        [300, 80, 90]))
    story.append(Spacer(1, 12))
    document.multiBuild(story, onFirstPage=_page_number, onLaterPages=_page_number)
    return buffer.getvalue()


def _table(rows, widths, header=True):
    table = Table([[cell if not isinstance(cell, (int, float)) else str(cell) for cell in row] for row in rows],
                  colWidths=widths, repeatRows=1 if header else 0)
    style = [("GRID", (0, 0), (-1, -1), 0.5, colors.grey), ("VALIGN", (0, 0), (-1, -1), "TOP")]
    if header:
        style.append(("BACKGROUND", (0, 0), (-1, 0), colors.lightgrey))
    table.setStyle(TableStyle(style))
    return table
