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
            valid_from=today - datetime.timedelta(days=90), valid_to=today + datetime.timedelta(days=600))
        Membership.objects.create(unit=self.unit, officer=cast.alice.officer, role="task_force_officer",
                                  starts_on=today - datetime.timedelta(days=90), designation=self.designation)

    def open(self, by=None, **extra):
        values = {"title": "Detroit-Windsor fentanyl pipeline", "summary": "Precursors via the Ambassador Bridge",
                  "priorities": ["narcotics"], "foreign_nexus": "Precursors shipped from Canada", **extra}
        return services.investigation_open(by=by or self.agent.user, unit=self.unit, **values)


def busy_units(*, count, start, end, shared_with, by_agency="HSI"):
    """`count` units, each with an investigation shared with `shared_with` and one that is not, both with stages,
    arrests, charges and convictions on both sides of the bounds of [start, end] (dates)."""
    from best.models import Arrest, Charge, Conviction, Investigation, StageChange
    from partnerships.models import AccessLevel, EnforcementResult, Subject
    from partnerships.tests.factories import share

    hsi = AgencyFactory(acronym=by_agency, name_en="Homeland Security Investigations", country="US")
    agent = OfficerFactory(agency=hsi).user
    days = [start - datetime.timedelta(days=1), start, start + datetime.timedelta(days=31), end,
            end + datetime.timedelta(days=1)]
    units = []
    for number in range(count):
        team = Team.objects.create(name=f"Busy unit {Unit.objects.count() + 1}", kind=Team.Kind.BEST_UNIT)
        team.member_agencies.set([hsi])
        unit = Unit.objects.create(team=team, hsi_office="HSI Buffalo", area_of_responsibility="New York")
        for shared in (True, False):
            investigation = services.investigation_open(by=agent, unit=unit, title=f"Busy case {number}",
                                                        summary="Cigarettes", priorities=["contraband"],
                                                        foreign_nexus="Akwesasne")
            if shared:
                share(investigation.case, shared_with, AccessLevel.VIEW, by=agent)
            person = Subject.objects.create(case=investigation.case, kind="person", name=f"Person {number}")
            for day in days:
                StageChange.objects.create(investigation=investigation, stage=Investigation.Stage.DISRUPTED, on=day,
                                           decided_by=agent)
                result = EnforcementResult.objects.create(
                    kind="arrest", category="persons", quantity=1, unit="count", case=investigation.case,
                    occurred_at=datetime.datetime.combine(day, datetime.time(12), datetime.UTC))
                Arrest.objects.create(investigation=investigation, subject=person, arrested_on=day,
                                      charging_country="US", nationality="CA", result=result, recorded_by=agent)
                charge = Charge.objects.create(investigation=investigation, subject=person, court="N.D.N.Y.",
                                               jurisdiction="New York", charged_on=day, counts=2, recorded_by=agent)
                Conviction.objects.create(investigation=investigation, subject=person, charge=charge,
                                          court="N.D.N.Y.", convicted_on=day, sentence="24 months",
                                          recorded_by=agent)
        units.append(unit)
    return units
