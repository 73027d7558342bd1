import pytest
from django.urls import reverse

from partnerships import services, subjects
from partnerships.models import AccessLevel, AuditEvent, Subject, SubjectKey
from partnerships.tests.factories import share

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("left, right", [("+1 (313) 555-0142", "313.555.0142"), ("313-555-0142", "+13135550142")])
def test_phone_numbers_written_differently_get_one_key(left, right):
    assert subjects.phone(left) == subjects.phone(right) == "+13135550142"


def test_names_fold_case_accents_and_punctuation():
    assert subjects.fold_name("Jean-Francois Tremblay") == subjects.fold_name("JEAN FRANÇOIS  TREMBLAY")
    assert subjects.fold_name("Jean-Francois Tremblay") == "jean francois tremblay"


def test_plates_and_hull_numbers_lose_spaces_and_case():
    assert subjects.compact("on 1234 ab") == subjects.compact("ON-1234-AB") == "ON1234AB"


def test_a_contributor_adds_a_subject_with_its_keys(alice, case):
    subject = services.subject_add(by=alice, case=case, kind="person", name="Jean-François Tremblay",
                                   aliases="J.F. Tremblay, Frenchie")
    assert set(SubjectKey.objects.filter(subject=subject).values_list("key", flat=True)) == {
        "jean francois tremblay", "j f tremblay", "frenchie"}
    assert AuditEvent.objects.filter(action="subject.add", case=case).count() == 1


def test_bad_subjects_are_refused(alice, case):
    with pytest.raises(services.CaseRefused, match="not a phone number"):
        services.subject_add(by=alice, case=case, kind="phone", name="call me")
    with pytest.raises(services.CaseRefused, match="not an email address"):
        services.subject_add(by=alice, case=case, kind="email", name="nobody@")
    assert not Subject.objects.exists()


def test_a_viewer_sees_subjects_but_only_contributors_add_them(client, alice, bob, charlie, case):
    services.subject_add(by=alice, case=case, kind="vessel", name="Night Hawk", registration="ON 1234 AB")
    client.force_login(bob)
    page = client.get(case.get_absolute_url()).content.decode()
    assert "Night Hawk" in page and "Add a subject" not in page
    response = client.post(reverse("partnerships:case_subject_add", args=[case.reference]),
                           {"subject-kind": "person", "subject-name": "X"})
    assert response.status_code == 403
    share(case, bob.officer.agency, AccessLevel.CONTRIBUTE, by=alice)
    client.post(reverse("partnerships:case_subject_add", args=[case.reference]),
                {"subject-kind": "phone", "subject-name": "313.555.0142"})
    assert SubjectKey.objects.filter(kind="phone", key="+13135550142").exists()
    client.force_login(charlie)
    assert client.post(reverse("partnerships:case_subject_add", args=[case.reference]),
                       {"subject-kind": "person", "subject-name": "X"}).status_code == 404
    assert Subject.objects.count() == 2
