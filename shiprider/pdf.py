"""The ICS 205 as a PDF, laid out with ReportLab (pure Python: nothing to install on the system)."""

import io
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import landscape, letter
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import inch
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle


def ics205_pdf(plan):
    """Bytes of a PDF of the plan: header, every channel row (the header row repeats on each page)."""
    zone = ZoneInfo(plan.patrol.site.time_zone)
    styles = getSampleStyleSheet()
    cell = styles["BodyText"].clone("cell", fontSize=7.5, leading=9)
    buffer = io.BytesIO()
    document = SimpleDocTemplate(buffer, pagesize=landscape(letter), leftMargin=0.4 * inch, rightMargin=0.4 * inch,
                                 topMargin=0.4 * inch, bottomMargin=0.4 * inch,
                                 title=f"ICS 205 — {plan.incident_name}")
    period = (f"{plan.period_from.astimezone(zone):%Y-%m-%d %H:%M} — "
              f"{plan.period_to.astimezone(zone):%Y-%m-%d %H:%M %Z}")
    header = Table([[Paragraph(f"<b>{_('Incident radio communications plan (ICS 205)')}</b>", styles["Heading3"]),
                     Paragraph(f"<b>{_('Incident name')}</b><br/>{_escape(plan.incident_name)}", cell),
                     Paragraph(f"<b>{_('Operational period')}</b><br/>{period}", cell)]],
                   colWidths=[4 * inch, 3 * inch, 3.2 * inch])
    header.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    titles = [_("Zone/group"), _("Ch #"), _("Function"), _("Channel name/talkgroup"), _("Assignment"),
              _("RX freq N/W"), _("RX tone/NAC"), _("TX freq N/W"), _("TX tone/NAC"), _("Mode A/D/M"), _("Remarks")]
    rows = [[Paragraph(f"<b>{title}</b>", cell) for title in titles]]
    for channel in plan.channels.all():
        rows.append([Paragraph(_escape(value), cell) for value in (
            channel.zone_group, channel.channel_number, channel.function, channel.channel_name, channel.assignment,
            f"{channel.rx_frequency:.5f} {channel.rx_bandwidth}", channel.rx_tone,
            f"{channel.tx_frequency:.5f} {channel.tx_bandwidth}", channel.tx_tone, channel.mode, channel.remarks)])
    widths = [0.7, 0.45, 0.9, 1.2, 1.2, 0.95, 0.7, 0.95, 0.7, 0.5, 1.85]
    table = Table(rows, colWidths=[w * inch for w in widths], repeatRows=1)
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                               ("BACKGROUND", (0, 0), (-1, 0), colors.lightgrey),
                               ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    footer = Table([[Paragraph(f"<b>{_('Special instructions')}</b><br/>"
                               f"{_escape(plan.special_instructions) or '—'}", cell),
                     Paragraph(f"<b>{_('Prepared by (communications unit leader)')}</b><br/>"
                               f"{_escape(plan.prepared_by)}", cell)]], colWidths=[6.6 * inch, 3.6 * inch])
    footer.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    document.build([header, Spacer(1, 6), table, Spacer(1, 6), footer])
    return buffer.getvalue()


def _escape(text):
    return (text or "").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
