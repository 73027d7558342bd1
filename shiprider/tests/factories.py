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

    def underway(self, by=None):
        """A patrol planned to start in a few minutes, underway now (the log takes entries from then on)."""
        from shiprider import services

        start, end = self.window(days_ahead=0, hours=8)
        start, end = start + datetime.timedelta(minutes=5), end + datetime.timedelta(minutes=5)
        by = by or self.rcmp_lead.user
        patrol, _warnings = services.patrol_schedule(by=by, site=self.site, vessel=self.vessel, planned_start=start,
                                                     planned_end=end, crew=self.crew())
        return services.patrol_start(by=by, patrol=patrol)

    def crew(self):
        return [(self.rcmp_lead, "host_lead"), (self.rcmp_cox, "coxswain"), (self.uscg_bo, "boarding_officer")]


def busy_sites(*, count, start, end, zones=("America/Toronto", "America/Vancouver", "America/Halifax")):
    """`count` sites, in turn in each time zone, with patrols, boardings and results on both sides of the month and
    period boundaries of the whole months from `start` to `end`, in the site's own time zone."""
    from zoneinfo import ZoneInfo

    from partnerships.models import EnforcementResult
    from shiprider.models import Activity, Patrol

    uscg = AgencyFactory(acronym="USCG", name_en="United States Coast Guard", country="US")
    officer = OfficerFactory(agency=uscg)
    second_month = (start.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    sites = []
    for number in range(count):
        zone = zones[number % len(zones)]
        team = Team.objects.create(name=f"Busy site {Site.objects.count() + 1}", kind=Team.Kind.SHIPRIDER_SITE)
        team.member_agencies.set([uscg])
        site = Site.objects.create(team=team, waterways="St. Lawrence", time_zone=zone)
        vessel = Vessel.objects.create(owner=uscg, vessel_type="rbm", name=f"CG {site.pk}",
                                       hull_number=f"BUSY-{site.pk}", home_port="Massena")

        def local(day, hour, minute, zone=zone):
            return datetime.datetime.combine(day, datetime.time(hour, minute), ZoneInfo(zone))

        starts = [local(start - datetime.timedelta(days=1), 21, 30),  # before the period, even in Toronto
                  local(start, 0, 30), local(second_month - datetime.timedelta(days=1), 23, 30),
                  local(second_month, 0, 30), local(end, 22, 0),
                  local(end + datetime.timedelta(days=1), 0, 30)]  # after the period
        patrols = []
        for index, planned_start in enumerate(starts):
            # 62 minutes and more: hours on water round per site and month, not per patrol or in total.
            on_water = datetime.timedelta(minutes=62 + 7 * index + number)
            patrols.append(Patrol.objects.create(
                site=site, vessel=vessel, planned_start=planned_start,
                planned_end=planned_start + datetime.timedelta(hours=4), status=Patrol.Status.COMPLETED,
                actual_start=planned_start, actual_end=planned_start + on_water))
        patrols.append(Patrol.objects.create(site=site, vessel=vessel, planned_start=starts[1],
                                             planned_end=starts[1] + datetime.timedelta(hours=4)))
        patrols.append(Patrol.objects.create(site=site, vessel=vessel, planned_start=starts[2],
                                             planned_end=starts[2] + datetime.timedelta(hours=4),
                                             status=Patrol.Status.CANCELLED))
        activities = []
        for patrol in patrols:
            for kind in ("boarding", "other"):
                activity = Activity.objects.create(patrol=patrol, kind=kind, occurred_at=patrol.planned_start,
                                                   waters="US", directing_officer=officer)
                activity.results.set([
                    EnforcementResult.objects.create(kind="arrest", category="persons", quantity=1 + number,
                                                     unit="count", occurred_at=patrol.planned_start),
                    EnforcementResult.objects.create(kind="seizure", category="drugs", quantity=3, unit="kg",
                                                     occurred_at=patrol.planned_start)])
                activities.append(activity)
        # One arrest logged on two patrols of two months, and one on two activities of a single patrol.
        across_months = EnforcementResult.objects.create(kind="arrest", category="persons", quantity=5,
                                                         unit="count", occurred_at=starts[2])
        activities[4].results.add(across_months)  # the last evening of the first month
        activities[6].results.add(across_months)  # the first night of the second month
        same_patrol = EnforcementResult.objects.create(kind="arrest", category="persons", quantity=7,
                                                       unit="count", occurred_at=starts[1])
        activities[2].results.add(same_patrol)
        activities[3].results.add(same_patrol)
        sites.append(site)
    return sites
