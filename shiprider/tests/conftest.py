"""Fixtures the ShipRider tests share: the ShipRider world and a patrol scheduled in it."""

import pytest

from shiprider import services
from shiprider.tests.factories import ShipRiderWorld


@pytest.fixture
def world(cast):
    return ShipRiderWorld(cast)


@pytest.fixture
def patrol(world):
    start, end = world.window()
    patrol, _warnings = services.patrol_schedule(by=world.rcmp_lead.user, site=world.site, vessel=world.vessel,
                                                 planned_start=start, planned_end=end, crew=world.crew())
    return patrol


@pytest.fixture
def underway(world):
    """A patrol that got underway now, its log open."""
    return world.underway()
