"""The core's searchable kinds: joint cases, their subjects and their documents (partnerships/search.py).

Registered in PartnershipsConfig.ready. Cases are the reader's visible cases (access.cases_visible_to); subjects and
documents are visible exactly when their case is (access.case_records_visible_to)."""

import re

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from partnerships import access, search
from partnerships.models import CaseDocument, JointCase, Subject, SubjectKey

# A reference typed whole or in part: the program, the year, and some of the number ("IBET-2026-0001").
REFERENCE = re.compile(r"^[A-Z][A-Z0-9]*-\d[\d-]*$")  # RCMP-2026-0042, SCALE-000083533, or their beginning
KEY_MIN_LENGTH = 4


def _case_keys(terms):
    if not REFERENCE.match(terms.reference):
        return []
    return [Q(reference=terms.reference), Q(reference__startswith=terms.reference)]


def _case_about(case):
    return {"url": case.get_absolute_url(),
            "about": " · ".join([case.reference, case.get_program_display(), case.get_status_display(),
                                 case.lead_agency.acronym])}


def _subject_keys(terms):
    """The subjects whose stored keys equal the normalized query: a phone written any way, an email, a plate, hull
    or VIN without its spaces, a name without its accents."""
    wanted = []
    if terms.phone:
        wanted.append(Q(kind="phone", key=terms.phone))
    if terms.email:
        wanted.append(Q(kind="email", key=terms.email))
    if len(terms.compact) >= KEY_MIN_LENGTH:
        wanted.append(Q(kind__in=["registration", "vin"], key=terms.compact))
    if terms.folded:
        wanted.append(Q(kind="name", key=terms.folded))
    if not wanted:
        return []
    # One lookup of the keys (their index answers each condition): subqueries OR'd would each be a filter on
    # every subject the reader sees.
    either = Q()
    for condition in wanted:
        either |= condition
    return [Q(pk__in=SubjectKey.objects.filter(either).values("subject_id"))]


def _on_case(record, label):
    case = record.case
    return {"url": case.get_absolute_url(), "about": f"{label} · {case.reference} — {case.title}"}


CASES = search.Searchable(
    name="case", label=_("Cases"), model=JointCase,
    visible=lambda user: access.cases_visible_to(user),
    columns=("title", "summary"), title="title", snippet="summary", keys=_case_keys,
    describe=_case_about, case_of=lambda case: case.pk, ref=lambda case: case.reference,
    order=access.NEWEST_FIRST, select_related=("lead_agency",),
)

SUBJECTS = search.Searchable(
    name="subject", label=_("Subjects"), model=Subject,
    visible=lambda user: access.case_records_visible_to(user, Subject.objects.all()),
    columns=("name", "aliases", "registration", "jurisdiction", "vin"), title="name", snippet="aliases",
    keys=_subject_keys, describe=lambda subject: _on_case(subject, subject.get_kind_display()),
    case_of=lambda subject: subject.case_id, select_related=("case",),
)

DOCUMENTS = search.Searchable(
    name="document", label=_("Documents"), model=CaseDocument,
    visible=lambda user: access.case_records_visible_to(user, CaseDocument.objects.all()),
    columns=("original_name", "text"), title="original_name", snippet="text",
    describe=lambda document: _on_case(document, document.type_label),
    case_of=lambda document: document.case_id, select_related=("case",),
)


def register():
    for kind in (CASES, SUBJECTS, DOCUMENTS):
        search.register(kind)
