"""Fixtures shared by every test: the cast (alice, bob, charlie) and the rule that CI never skips."""

import os

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def skip_or_fail(reason):
    """Skip locally when a service or browser is missing; under CI the same gap is a failure."""
    if IN_CI:
        pytest.fail(f"CI must prove the real stack: {reason}")
    pytest.skip(reason)


def _force_login_with_second_factor(self, user, backend=None):
    """Tests that are not about signing in start from a fully signed-in session: password and second factor.

    The sign-in itself (password, lockout, enrolment, codes) is tested through the real pages in
    portal/tests/test_accounts.py and the browser tests.
    """
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    _plain_force_login(self, user, backend)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
        user=user, name="authenticator", confirmed=True)
    session = self.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


from django.test import Client  # noqa: E402 - after the settings module is known

_plain_force_login = Client.force_login
Client.force_login = _force_login_with_second_factor


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _own_audit_checkpoints(settings, tmp_path):
    """Each test writes and reads its own audit checkpoints (positions restart in every test's database), and
    records are sealed when a test says so, as the sealer process would, whether or not Redis is configured."""
    settings.AUDIT_CHECKPOINT_DIR = tmp_path / "audit-checkpoints"
    settings.AUDIT_SEAL_ON_COMMIT = False


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters live in the cache; ids are reused from test to test."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _english_after_each_test():
    """A request in French leaves French active in the thread (LocaleMiddleware activates, nothing deactivates):
    each test starts in the site's language, whatever the one before it asked for."""
    from django.utils import translation

    yield
    translation.activate(translation.get_supported_language_variant("en"))


@pytest.fixture(autouse=True)
def _eager_celery():
    """Tasks run in-process unless a test starts a real worker (tests/test_worker.py)."""
    from portal.celery import app

    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = True


@pytest.fixture
def cast(db):
    """alice leads the case (RCMP), bob's agency (CBP) has it shared at view, charlie's (OPP) has nothing."""
    from partnerships.tests.factories import Cast

    return Cast.create()


@pytest.fixture
def alice(cast):
    return cast.alice


@pytest.fixture
def bob(cast):
    return cast.bob


@pytest.fixture
def charlie(cast):
    return cast.charlie


@pytest.fixture
def case(cast):
    return cast.case
