import datetime

from django.utils import timezone

from partnerships import services as core_services
from partnerships.models import Officer, Team
from partnerships.tests.factories import AgencyFactory, OfficerFactory
from shiprider.models import Site, Vessel

FLETC = "ShipRider course (FLETC Charleston)"


def designate(officer, by, *, days=365, start_days_ago=30):
    today = timezone.localdate()
    return core_services.designation_grant(
        by=by, officer=officer, kind="shiprider", training_course=FLETC,
        training_completed_on=today - datetime.timedelta(days=start_days_ago + 10),
        valid_from=today - datetime.timedelta(days=start_days_ago), valid_to=today + datetime.timedelta(days=days))


class ShipRiderWorld:
    """Windsor/Detroit with RCMP (alice's agency) and USCG; CBP (bob) and OPP (charlie) are not members."""

    def __init__(self, cast):
        self.cast = cast
        rcmp = cast.alice.officer.agency
        self.uscg = AgencyFactory(acronym="USCG", name_en="United States Coast Guard", country="US")
        team = Team.objects.create(name="Windsor / Detroit", kind=Team.Kind.SHIPRIDER_SITE)
        team.member_agencies.set([rcmp, self.uscg])
        self.site = Site.objects.create(team=team, waterways="Detroit River", time_zone="America/Toronto")
        self.vessel = Vessel.objects.create(owner=rcmp, vessel_type="rcmp_patrol", name="Inkster",
                                            hull_number="RCMP-INK", home_port="Windsor")
        self.us_vessel = Vessel.objects.create(owner=self.uscg, vessel_type="rbm", name="CG 45612",
                                               hull_number="45612", home_port="Detroit")
        self.rcmp_admin = OfficerFactory(agency=rcmp, role=Officer.Role.AGENCY_ADMIN, user__username="rcmp.admin")
        self.uscg_admin = OfficerFactory(agency=self.uscg, role=Officer.Role.AGENCY_ADMIN,
                                         user__username="uscg.admin")
        self.rcmp_lead = OfficerFactory(agency=rcmp, rank="Cpl", first_name="Luc", last_name="Bouchard",
                                        user__username="luc")
        self.rcmp_cox = OfficerFactory(agency=rcmp, first_name="Sarah", last_name="McKenzie", user__username="sarah")
        self.uscg_bo = OfficerFactory(agency=self.uscg, rank="BM1", first_name="Marcus", last_name="Reed",
                                      user__username="marcus")
        self.designations = {
            officer.pk: designate(officer, by)
            for officer, by in [(self.rcmp_lead, self.uscg_admin.user), (self.rcmp_cox, self.uscg_admin.user),
                                (self.uscg_bo, self.rcmp_admin.user)]
        }

    def window(self, days_ahead=3, hours=8):
        start = timezone.now() + datetime.timedelta(days=days_ahead)
        return start, start + datetime.timedelta(hours=hours)

    def crew(self):
        return [(self.rcmp_lead, "host_lead"), (self.rcmp_cox, "coxswain"), (self.uscg_bo, "boarding_officer")]
