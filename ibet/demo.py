"""IBET's demo data: the four teams and their regions, the Pacific joint management team and one occurrence."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from ibet import services as ibet_services
from ibet.models import IbetTeam, JmtRepresentative, Occurrence, Region
from partnerships.demo import teams_create
from partnerships.models import AuditEvent, Team

TEAMS = [  # name, member agencies, active
    ("Pacific (Blaine / Chilliwack)", ["RCMP", "CBSA", "CBP", "HSI", "USCG", "WSP"], True),
    ("St. Lawrence (Cornwall / Massena)", ["RCMP", "CBSA", "CBP", "HSI", "USCG", "AMPS", "NYSP"], True),
    ("Niagara Triangle", ["RCMP", "CBSA", "CBP", "HSI", "USCG", "NRPS", "NYSP"], True),
    ("Red River", ["RCMP", "CBSA", "CBP", "HSI"], True),
]
IBET_TEAMS = {  # team name: region, location, time zone
    "Pacific (Blaine / Chilliwack)": ("Pacific", "Blaine, WA / Chilliwack, BC", "America/Vancouver"),
    "St. Lawrence (Cornwall / Massena)": ("St. Lawrence", "Cornwall, ON / Massena, NY", "America/Toronto"),
    "Niagara Triangle": ("Niagara Triangle", "Niagara Falls, ON / Niagara Falls, NY", "America/Toronto"),
    "Red River": ("Red River", "Emerson, MB / Pembina, ND", "America/Winnipeg"),
}


def load():
    """Create whatever IBET demo rows are missing."""
    teams_create("ibet_team", TEAMS)
    users = {u.username: u for u in get_user_model().objects.filter(
        username__in=["rcmp.admin", "rcmp.analyst", "uscg.admin", "uscg.officer", "hsi.agent", "cbp.agent"])}
    for name, (region_name, location, time_zone) in IBET_TEAMS.items():
        region, _created = Region.objects.get_or_create(name=region_name)
        IbetTeam.objects.get_or_create(team=Team.objects.get(kind="ibet_team", name=name),
                                       defaults={"region": region, "location": location, "time_zone": time_zone})
    pacific = Region.objects.get(name="Pacific")
    # RCMP, USCG and HSI have named their representatives; CBSA and CBP have not: the JMT shows incomplete.
    for admin, representative in (("rcmp.admin", "rcmp.analyst"), ("uscg.admin", "uscg.officer"),
                                  ("hsi.agent", "hsi.agent")):
        officer = users[representative].officer
        if not JmtRepresentative.objects.filter(region=pacific, agency=officer.agency).exists():
            ibet_services.jmt_representative_add(by=users[admin], region=pacific, officer=officer)
    team = IbetTeam.objects.get(team__name="Pacific (Blaine / Chilliwack)")
    if not Occurrence.objects.filter(team=team).exists():
        ibet_services.occurrence_record(
            by=users["cbp.agent"], team=team, occurred_at=timezone.now() - timedelta(days=2), kind="vehicle_incursion",
            place="Zero Avenue at 176 Street", nearest_port="Pacific Highway", persons_apprehended=2,
            nationalities="CA, US", narrative="Pickup truck crossed the ditch southbound; stopped by Border Patrol.",
            results=[{"kind": "seizure", "category": "drugs", "quantity": 18, "unit": "kg",
                      "description": "cannabis"}], door=AuditEvent.Door.COMMAND)
    return {}
