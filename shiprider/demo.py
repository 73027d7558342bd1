"""ShipRider's demo data: the sites, vessels and marine officers (no logins), the cross-designations granted by
the designating authorities' administrators (rcmp.admin, uscg.admin, demo accounts of the core) and one patrol."""

from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from partnerships import services
from partnerships.demo import demo_officer, teams_create
from partnerships.models import Agency, AuditEvent, CrossDesignation, Team
from shiprider import services as shiprider_services
from shiprider.models import Patrol, Site, Vessel

TEAMS = [  # name, member agencies, active
    ("Surrey / Bellingham", ["RCMP", "USCG"], True),
    ("Victoria / Port Angeles", ["RCMP", "USCG"], True),
    ("Windsor / Detroit", ["RCMP", "USCG"], True),
    ("Niagara-on-the-Lake / Buffalo-Niagara", ["RCMP", "USCG"], True),
    ("Kingston / Alexandria Bay", ["RCMP", "USCG"], True),
    ("Cornwall / Massena (pilot, closed)", ["RCMP", "USCG"], False),
]
SITES = {
    "Surrey / Bellingham": ("Boundary Bay, Semiahmoo Bay", "America/Vancouver"),
    "Victoria / Port Angeles": ("Haro Strait, Strait of Juan de Fuca", "America/Vancouver"),
    "Windsor / Detroit": ("Detroit River, Lake St. Clair", "America/Toronto"),
    "Niagara-on-the-Lake / Buffalo-Niagara": ("Niagara River, Lake Ontario", "America/Toronto"),
    "Kingston / Alexandria Bay": ("St. Lawrence River, Thousand Islands", "America/Toronto"),
    "Cornwall / Massena (pilot, closed)": ("St. Lawrence River", "America/Toronto"),
}
VESSELS = [  # owner, type, name, hull number, home port
    ("USCG", "rbm", "CG 45612", "45612", "Station Belle Isle, Detroit"),
    ("USCG", "rbs", "CG 29221", "29221", "Station Bellingham"),
    ("RCMP", "rcmp_patrol", "Inkster", "RCMP-INK", "Windsor"),
    ("RCMP", "rhib", "RHIB Nanaimo", "RCMP-R07", "Nanaimo"),
]
MARINE_OFFICERS = {  # username: agency, first, last, rank, badge, role
    "rcmp.marine1": ("RCMP", "Luc", "Bouchard", "Cpl", "RCMP-51002", "member"),
    "rcmp.marine2": ("RCMP", "Sarah", "McKenzie", "Cst", "RCMP-51003", "member"),
    "uscg.marine1": ("USCG", "Tyler", "Brooks", "BM2", "USCG-60021", "member"),
}
FLETC = "ShipRider course, USCG Maritime Law Enforcement Academy (FLETC Charleston)"


def load():
    """Create whatever ShipRider demo rows are missing; return how many officers were created."""
    teams_create("shiprider_site", TEAMS)
    agencies = Agency.objects.in_bulk(field_name="acronym")
    created = 0
    for name, (waterways, time_zone) in SITES.items():
        Site.objects.get_or_create(team=Team.objects.get(kind="shiprider_site", name=name),
                                   defaults={"waterways": waterways, "time_zone": time_zone})
    for owner, vessel_type, name, hull, port in VESSELS:
        Vessel.objects.get_or_create(hull_number=hull, defaults={
            "owner": agencies[owner], "vessel_type": vessel_type, "name": name, "home_port": port})
    users = {}
    for username, (acronym, first, last, rank, badge, role) in MARINE_OFFICERS.items():
        users[username], was_created = demo_officer(username, agencies[acronym], first, last, rank, badge, role=role)
        created += was_created
    User = get_user_model()
    for username in ("rcmp.analyst", "uscg.officer", "rcmp.admin", "uscg.admin"):
        users[username] = User.objects.get(username=username)
    today = date.today()
    grants = [  # (officer username, designated by, valid to)
        ("rcmp.marine1", "uscg.admin", today + timedelta(days=400)),
        ("rcmp.marine2", "uscg.admin", today + timedelta(days=25)),  # expires soon: shows in the register
        ("uscg.officer", "rcmp.admin", today + timedelta(days=300)),
        ("uscg.marine1", "rcmp.admin", today + timedelta(days=500)),
    ]
    for username, by, valid_to in grants:
        officer = users[username].officer
        if not CrossDesignation.objects.filter(officer=officer, kind="shiprider").exists():
            services.designation_grant(by=users[by], officer=officer, kind="shiprider", training_course=FLETC,
                                       training_completed_on=today - timedelta(days=120),
                                       valid_from=today - timedelta(days=100), valid_to=valid_to,
                                       door=AuditEvent.Door.COMMAND)
    site = Site.objects.get(team__name="Windsor / Detroit")
    if not Patrol.objects.filter(site=site).exists():
        start = (timezone.now() + timedelta(days=3)).replace(hour=23, minute=0, second=0, microsecond=0)  # 18:00 EST
        shiprider_services.patrol_schedule(
            by=users["rcmp.marine1"], site=site, vessel=Vessel.objects.get(hull_number="RCMP-INK"),
            planned_start=start, planned_end=start + timedelta(hours=8), notes="Night patrol, Fighting Island",
            crew=[(users["rcmp.marine1"].officer, "host_lead"), (users["rcmp.marine2"].officer, "coxswain"),
                  (users["uscg.officer"].officer, "boarding_officer")], door=AuditEvent.Door.COMMAND,
        )
    return {"officers": created}
