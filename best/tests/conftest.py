"""Fixtures the BEST tests share: the BEST world and an investigation shared with alice's agency."""

import pytest

from best.tests.factories import BestWorld
from partnerships import services as core_services
from partnerships.models import AccessLevel
from partnerships.tests.factories import share


@pytest.fixture
def world(cast):
    return BestWorld(cast)


@pytest.fixture
def investigation(world):
    investigation = world.open()
    share(investigation.case, world.cast.alice.officer.agency, AccessLevel.CONTRIBUTE, by=world.agent.user)
    investigation.person = core_services.subject_add(by=world.agent.user, case=investigation.case, kind="person",
                                                     name="Marco Silva")
    return investigation
