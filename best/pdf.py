"""The unit report as a PDF (ReportLab)."""

import io

from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import letter
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from best.selectors import REPORT_ROWS
from partnerships.models import EnforcementResult
from partnerships.words import label, measure, quantity


def unit_report_pdf(unit, start, end, report):
    styles = getSampleStyleSheet()
    buffer = io.BytesIO()
    document = SimpleDocTemplate(buffer, pagesize=letter, title=f"BEST — {unit.name}")
    rows = [[name, quantity(report[key])] for name, key in REPORT_ROWS]
    rows += [[_("Seized, %(category)s") % {"category": label(EnforcementResult.Category, s["category"])},
              f"{measure(s['total'], s['unit'])} ({s['count']})"]
             for s in report["seizures"]]
    table = Table([[_("Figure"), _("Value")], *rows], colWidths=[300, 150])
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                               ("BACKGROUND", (0, 0), (-1, 0), colors.lightgrey)]))
    document.build([
        Paragraph(_("BEST unit report: %(unit)s") % {"unit": unit.name}, styles["Heading2"]),
        Paragraph(_("From %(start)s to %(end)s. Counts only the cases the reader may see.")
                  % {"start": start, "end": end}, styles["BodyText"]),
        Spacer(1, 12), table,
    ])
    return buffer.getvalue()
