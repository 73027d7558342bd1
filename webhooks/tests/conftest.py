import pytest

from webhooks.tests.factories import admin_of
from webhooks.tests.receiver import Receiver


@pytest.fixture
def loopback_allowed(settings):
    """As on a developer's machine (DEBUG): a receiver on loopback, over http, may be called."""
    settings.DEBUG = True


def _receiver():
    receiver = Receiver().start()
    yield receiver
    receiver.stop()


bobs_receiver = pytest.fixture(_receiver)
charlies_receiver = pytest.fixture(_receiver)


@pytest.fixture
def bob_admin(cast):
    return admin_of(cast.bob, "bob.admin")


@pytest.fixture
def charlie_admin(cast):
    return admin_of(cast.charlie, "charlie.admin")


@pytest.fixture
def alice_admin(cast):
    return admin_of(cast.alice, "alice.admin")
