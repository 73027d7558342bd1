import pytest
from django.db import DatabaseError
from django.urls import reverse

from partnerships.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_healthz_answers_200_while_the_process_lives(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"


def test_readyz_answers_200_when_database_redis_and_migrations_are_in_order(client):
    response = client.get("/readyz")
    assert response.status_code == 200, response.content
    assert response.content == b"ready\n"
    assert "no-cache" in response.headers["Cache-Control"]


def test_readyz_answers_503_when_the_database_fails_and_healthz_stays_200(client, monkeypatch):
    from portal import views

    class Broken:
        def __enter__(self):
            raise DatabaseError("down")

        def __exit__(self, *exc):
            return False

    monkeypatch.setattr(views.connection, "cursor", lambda: Broken())
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.content == b"database unavailable\n"
    assert client.get("/healthz").status_code == 200


def test_readyz_answers_503_when_a_migration_is_not_applied(client):
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader
    from django.db.migrations.recorder import MigrationRecorder

    latest = max(name for app, name in MigrationLoader(connection).graph.leaf_nodes() if app == "cbcf")
    MigrationRecorder(connection).record_unapplied("cbcf", latest)  # rolled back with the test
    response = client.get("/readyz")
    assert response.status_code == 503
    assert b"migrations pending" in response.content


def test_readyz_answers_503_when_redis_cannot_be_reached(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.content == b"redis unavailable\n"


def test_sign_in_switches_to_the_officers_language(client, bob, settings):
    response = client.post(reverse("login"), {"username": "bob", "password": PASSWORD, "acknowledge": "on"})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr"
    assert client.get(reverse("home"), follow=True).content.decode().count('lang="fr"') >= 1


def test_sign_in_with_a_wrong_password_says_so_and_signs_nobody_in(client, alice):
    response = client.post(reverse("login"), {"username": "alice", "password": "wrong-password-123",
                                              "acknowledge": "on"})
    assert response.status_code == 200
    assert "The username or password is not right" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_sign_out_ends_the_session(client, alice):
    client.force_login(alice)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 302


def test_language_switch_is_on_every_page_and_works(client, alice):
    client.force_login(alice)
    page = client.get(reverse("partnerships:case_list")).content.decode()
    assert 'action="/i18n/setlang/"' in page
    client.post("/i18n/setlang/", {"language": "fr", "next": "/cases/"})
    assert "Dossiers" in client.get(reverse("partnerships:case_list")).content.decode()


def test_times_are_shown_in_the_officers_time_zone(client, alice, case):
    from partnerships.models import JointCase

    JointCase.objects.filter(pk=case.pk).update(updated_at="2026-07-01T16:30:00Z")
    officer = alice.officer
    officer.time_zone = "America/Vancouver"
    officer.save()
    client.force_login(alice)
    assert "2026-07-01 09:30 PDT" in client.get(case.get_absolute_url()).content.decode()


def test_dashboard_shows_my_agency(client, alice):
    client.force_login(alice)
    assert "Royal Canadian Mounted Police" in client.get(reverse("home")).content.decode()


def test_user_without_an_officer_is_told_why_nothing_shows(client, case):
    from partnerships.tests.factories import UserFactory

    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    response = client.get(reverse("home"))
    assert response.context["total"] == 0
    assert "not linked to an active officer" in response.content.decode()
    assert client.get(case.get_absolute_url()).status_code == 404


def test_portal_admin_manages_agencies_and_officers_but_not_cases(client, case, django_user_model):
    admin = django_user_model.objects.create_superuser("root", "root@example.org", "x-long-password-1")
    client.force_login(admin)
    assert client.get("/admin/partnerships/agency/").status_code == 200
    assert client.get("/admin/partnerships/officer/").status_code == 200
    assert client.get("/admin/partnerships/officer/add/").status_code == 200
    assert client.get("/admin/partnerships/jointcase/").status_code == 404
    assert case.reference not in client.get("/admin/").content.decode()


def test_pages_with_case_data_are_not_stored_by_the_browser(client, alice, case):
    client.force_login(alice)
    assert client.get(case.get_absolute_url())["Cache-Control"] == "no-store"
    assert client.get("/api/v1/cases/")["Cache-Control"] == "no-store"
