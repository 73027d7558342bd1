"""The BEST cast: the Detroit unit (HSI leads; RCMP and CBP are members; OPP is not)."""

import datetime

from django.utils import timezone

from best import services
from best.models import Membership, Unit
from partnerships import services as core_services
from partnerships.models import Officer, Team
from partnerships.tests.factories import AgencyFactory, OfficerFactory


class BestWorld:
    def __init__(self, cast):
        self.cast = cast
        today = timezone.localdate()
        self.hsi = AgencyFactory(acronym="HSI", name_en="Homeland Security Investigations", country="US")
        team = Team.objects.create(name="Detroit BEST", kind=Team.Kind.BEST_UNIT)
        team.member_agencies.set([self.hsi, cast.alice.officer.agency, cast.bob.officer.agency])
        self.unit = Unit.objects.create(team=team, hsi_office="HSI Detroit", area_of_responsibility="Michigan",
                                        ibet_in_area=True)
        self.hsi_admin = OfficerFactory(agency=self.hsi, role=Officer.Role.AGENCY_ADMIN, user__username="hsi.sac")
        self.agent = OfficerFactory(agency=self.hsi, first_name="Luis", last_name="Ortega", user__username="agent")
        Membership.objects.create(unit=self.unit, officer=self.agent, role="special_agent",
                                  starts_on=today - datetime.timedelta(days=400))
        # alice (RCMP) serves as a task force officer under a Title 19 designation by HSI.
        self.designation = core_services.designation_grant(
            by=self.hsi_admin.user, officer=cast.alice.officer, kind="title19", training_course="TFO course",
            training_completed_on=today - datetime.timedelta(days=100),
            valid_from=today - datetime.timedelta(days=90), valid_to=today + datetime.timedelta(days=640))
        Membership.objects.create(unit=self.unit, officer=cast.alice.officer, role="task_force_officer",
                                  starts_on=today - datetime.timedelta(days=90), designation=self.designation)

    def open(self, by=None, **extra):
        values = {"title": "Detroit-Windsor fentanyl pipeline", "summary": "Precursors via the Ambassador Bridge",
                  "priorities": ["narcotics"], "foreign_nexus": "Precursors shipped from Canada", **extra}
        return services.investigation_open(by=by or self.agent.user, unit=self.unit, **values)
