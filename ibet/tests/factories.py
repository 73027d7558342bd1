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


def busy_teams(*, count, start, end):
    """`count` teams with occurrences (persons apprehended, seizures) on both sides of the bounds of [start, end)."""
    from ibet.models import Occurrence
    from partnerships.models import EnforcementResult

    region, _created = Region.objects.get_or_create(name="Busy region")
    teams = []
    for number in range(count):
        team = Team.objects.create(name=f"Busy team {IbetTeam.objects.count() + 1}", kind=Team.Kind.IBET_TEAM)
        ibet_team = IbetTeam.objects.create(team=team, region=region, location="Lacolle", time_zone="America/Toronto")
        moments = [start - datetime.timedelta(seconds=1), start, start + datetime.timedelta(days=40),
                   end - datetime.timedelta(seconds=1), end]
        for index, moment in enumerate(moments):
            occurrence = Occurrence.objects.create(
                team=ibet_team, occurred_at=moment, kind="pedestrian", nearest_port="Lacolle",
                persons_apprehended=index + number, narrative="Crossed on foot.")
            occurrence.results.set([EnforcementResult.objects.create(kind="seizure", category="currency",
                                                                     quantity=100, unit="CAD", occurred_at=moment)])
        teams.append(ibet_team)
    return teams
