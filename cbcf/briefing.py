"""The briefing book: HTML for the screen and a PDF with contents and page numbers, in one language.

The figures are the programs' own aggregates for the three full months before the meeting, as the
builder may see them (case-based figures count only the cases they may see): no case detail."""

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

from cbcf import services
from cbcf.models import ActionItem, BriefingBook, Initiative


def period(meeting):
    """The three full calendar months before the meeting's month."""
    local = meeting.starts_at.astimezone(ZoneInfo(meeting.time_zone)).date()
    end = local.replace(day=1) - datetime.timedelta(days=1)
    start = end.replace(day=1)
    for _month in range(2):
        start = (start - datetime.timedelta(days=1)).replace(day=1)
    return start, end


def figures(*, user, meeting):
    """ShipRider, IBET and BEST aggregates for the period, from each program's own figures."""
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
        "best": best.period_figures(user=user, start=start, end=end),
    }


def content(book):
    meeting = book.meeting
    with translation.override(book.language):
        return {
            "meeting": meeting, "book": book, "rows": services.timetable(meeting),
            "initiatives": Initiative.objects.prefetch_related("owners"),
            "figures": figures(user=book.built_by, meeting=meeting),
            "actions": ActionItem.objects.filter(status=ActionItem.Status.OPEN).select_related("owner", "meeting"),
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
    story.append(_table([
        [_("ShipRider patrols"), figures_["shiprider"]["patrols"]],
        [_("Hours on water"), figures_["shiprider"]["hours_on_water"]],
        [_("ShipRider boardings"), figures_["shiprider"]["boardings"]],
        [_("ShipRider arrests"), figures_["shiprider"]["arrests"]],
        [_("IBET occurrences"), figures_["ibet"]["occurrences"]],
        [_("IBET persons apprehended"), figures_["ibet"]["apprehensions"]],
        [_("BEST arrests"), figures_["best"]["arrests"]],
        [_("BEST indictments and charges"), figures_["best"]["charges"]],
        [_("BEST convictions"), figures_["best"]["convictions"]],
    ], [300, 120]))
    story.append(Paragraph(_escape(_("Open action items")), heading))
    story.append(_table([[_("Action"), _("Owner"), _("Due")]] + [
        [Paragraph(_escape(a.text), body), a.owner.acronym, str(a.due_on)] for a in context["actions"]],
        [300, 80, 90]))
    story.append(Spacer(1, 12))
    document.multiBuild(story, onFirstPage=_page_number, onLaterPages=_page_number)
    return buffer.getvalue()


def _table(rows, widths):
    table = Table([[cell if not isinstance(cell, (int, float)) else str(cell) for cell in row] for row in rows],
                  colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                               ("BACKGROUND", (0, 0), (-1, 0), colors.lightgrey),
                               ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return table
