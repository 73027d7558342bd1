"""BEST's demo data: the three units, HSI's administrator and an OPP task force officer in Detroit BEST, and one
investigation with its target."""

from datetime import date, timedelta

from django.contrib.auth import get_user_model

from best import services as best_services
from best.models import Investigation, Membership, Unit
from partnerships import services
from partnerships.demo import teams_create
from partnerships.models import AuditEvent, Officer, Team

TEAMS = [  # name, member agencies, active
    ("Blaine BEST", ["HSI", "CBP", "CBSA", "RCMP", "WSP"], True),
    ("Buffalo BEST", ["HSI", "CBP", "CBSA", "RCMP", "NRPS", "NYSP"], True),
    ("Detroit BEST", ["HSI", "CBP", "USCG", "CBSA", "RCMP", "OPP", "WPS", "MSP"], True),
]
BEST_UNITS = {  # team name: HSI office, area of responsibility, established, IBET in the area
    "Blaine BEST": ("HSI Seattle", "Northern Washington, Lower Mainland of British Columbia", (2008, 5, 1), True),
    "Buffalo BEST": ("HSI Buffalo", "Western New York, Niagara Region", (2008, 3, 1), True),
    "Detroit BEST": ("HSI Detroit", "Michigan (721 miles of border), Windsor-Essex", (2009, 9, 1), False),
}


def load():
    """Create whatever BEST demo rows are missing."""
    teams_create("best_unit", TEAMS)
    for name, (office, area, established, ibet) in BEST_UNITS.items():
        Unit.objects.get_or_create(team=Team.objects.get(kind="best_unit", name=name), defaults={
            "hsi_office": office, "area_of_responsibility": area, "established_on": date(*established),
            "ibet_in_area": ibet})
    detroit = Unit.objects.get(team__name="Detroit BEST")
    agent = get_user_model().objects.get(username="hsi.agent")  # HSI's administrator manages the units' members
    if not Membership.objects.filter(unit=detroit, officer=agent.officer).exists():
        best_services.membership_add(by=agent, unit=detroit, officer=agent.officer, role="special_agent",
                                     starts_on=date.today() - timedelta(days=700), door=AuditEvent.Door.COMMAND)
    # An OPP detective serves as a task force officer under her own Title 19 designation (two years at most).
    detective = Officer.objects.get(user__username="opp.detective")
    if not Membership.objects.filter(unit=detroit, officer=detective).exists():
        designation = services.designation_grant(
            by=agent, officer=detective, kind="title19", training_course="BEST task force officer course",
            training_completed_on=date.today() - timedelta(days=130), valid_from=date.today() - timedelta(days=120),
            valid_to=date.today() + timedelta(days=600), door=AuditEvent.Door.COMMAND)
        best_services.membership_add(by=agent, unit=detroit, officer=detective, role="task_force_officer",
                                     starts_on=date.today() - timedelta(days=120), designation=designation,
                                     door=AuditEvent.Door.COMMAND)
    if not Investigation.objects.exists():
        investigation = best_services.investigation_open(
            by=agent, unit=detroit, title="Windsor precursor brokers", priorities=["narcotics", "money_laundering"],
            summary="Brokers moving fentanyl precursors through the Ambassador Bridge corridor.",
            foreign_nexus="Precursors ordered from overseas suppliers, cash returned through Windsor")
        best_services.target_add(by=agent, investigation=investigation, name="Silva organization", kind="cartel",
                                 aliases="Los Silva")
    return {}
