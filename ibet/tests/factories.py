"""The IBET cast: the Pacific region and team, with RCMP (alice) and CBP (bob) as members, not OPP (charlie)."""

import datetime

from django.utils import timezone

from ibet import services
from ibet.models import IbetTeam, Region
from partnerships.models import Team


def make_pacific(cast):
    region = Region.objects.create(name="Pacific")
    team = Team.objects.create(name="Pacific (Blaine / Chilliwack)", kind=Team.Kind.IBET_TEAM)
    team.member_agencies.set([cast.alice.officer.agency, cast.bob.officer.agency])
    ibet_team = IbetTeam.objects.create(team=team, region=region, location="Blaine, WA / Chilliwack, BC",
                                        time_zone="America/Vancouver")
    ibet_team.cast = cast
    return ibet_team


def record(team, by, **extra):
    values = {"occurred_at": timezone.now() - datetime.timedelta(hours=2), "kind": "vehicle_incursion",
              "nearest_port": "Blaine (Peace Arch)", "narrative": "Vehicle crossed the ditch at Zero Avenue.",
              "place": "Zero Avenue", **extra}
    return services.occurrence_record(by=by, team=team, **values)
