"""seed_scale, the benchmarks' data set: what it writes is what the portal would have written."""

import collections

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import F, Sum

from deconfliction.models import PlannedEvent
from partnerships import access, search
from partnerships.models import (
    CaseDocument,
    GrantCount,
    JointCase,
    JointCaseGroupObjectPermission,
    Officer,
    SearchTerm,
    Subject,
    SubjectKey,
)
from partnerships.subjects import keys_of

pytestmark = pytest.mark.django_db(transaction=True)  # the command commits, then vacuums


def _schema():
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY indexdef")
        indexes = [row[0] for row in cursor.fetchall()]
        cursor.execute("SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint ORDER BY conname")
        constraints = cursor.fetchall()
        cursor.execute("SELECT tgname, tgenabled FROM pg_trigger WHERE NOT tgisinternal ORDER BY tgname")
        return indexes, constraints, cursor.fetchall()


def test_seed_scale_writes_cases_shares_subjects_with_their_keys_and_events_and_keeps_the_schema():
    if connection.vendor != "postgresql":
        pytest.skip("seed_scale uses COPY (PostgreSQL)")
    before = _schema()
    call_command("seed_scale", cases=60, agencies=6, officers=12, shares=2, subjects=200, events=15, documents=10,
                 yes=True)

    assert JointCase.objects.filter(reference__startswith="SCALE-").count() == 60
    officer = Officer.objects.filter(agency__acronym="S0001").select_related("user").first()
    assert access.cases_visible_to(officer.user).exists()
    grants = JointCaseGroupObjectPermission.objects.filter(content_object__reference__startswith="SCALE-")
    assert grants.count() == 60 * (3 + 2)  # the lead's three levels, two partners at view
    # each grant carries its case's values, as the trigger (disabled for the load) would have copied them
    copied = grants.filter(case_updated_at=F("content_object__updated_at"), case_program=F("content_object__program"),
                           case_status=F("content_object__status"))
    assert copied.count() == grants.count()
    # the counts kept by the grants' triggers took the loaded grants in
    assert GrantCount.objects.aggregate(n=Sum("n"))["n"] == JointCaseGroupObjectPermission.objects.count()
    assert {(row["program"], row["status"]): row["n"] for row in access.visible_case_counts(officer.user)} == \
        collections.Counter(access.cases_visible_to(officer.user).values_list("program", "status"))
    subjects = Subject.objects.filter(case__reference__startswith="SCALE-")
    assert subjects.count() == 200
    assert set(subjects.values_list("kind", flat=True)) >= {"person", "phone", "vehicle"}
    for subject in subjects:
        stored = set(SubjectKey.objects.filter(subject=subject).values_list("kind", "key"))
        assert stored == set(keys_of(subject)), subject
    events = PlannedEvent.objects.all()
    assert events.count() == 15
    assert all(42 <= e.latitude <= 49 and -123 <= e.longitude <= -67 and 50 <= e.radius_m <= 5000 for e in events)
    # documents with their text, and the search's terms of everything loaded (its triggers were off for the load)
    documents = CaseDocument.objects.filter(case__reference__startswith="SCALE-")
    assert documents.count() == 10 and all(document.text for document in documents)
    title_word = JointCase.objects.filter(reference__startswith="SCALE-").first().title.split()[0].lower()
    assert SearchTerm.objects.filter(term__startswith=title_word[:4]).exists()
    seen = access.cases_visible_to(officer.user).first()
    assert search.run(user=officer.user, text=seen.title.split()[0], kind="case").groups[0].count >= 1
    assert _schema() == before  # every index, constraint and foreign key dropped for the load is back, triggers on
