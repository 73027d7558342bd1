"""Demo data: real agencies of both countries, fictional officers, and cases shared in varied ways."""

import datetime

from django.contrib.auth import get_user_model

from partnerships import services
from partnerships.models import AccessLevel, Agency, AuditEvent, JointCase, Officer, Purpose, Team

DEMO_PASSWORD = "portal-demo-2026"

# acronym, English name, French name, country, level, jurisdiction, parent
AGENCIES = [
    ("RCMP", "Royal Canadian Mounted Police", "Gendarmerie royale du Canada", "CA", "federal", "", None),
    ("CBSA", "Canada Border Services Agency", "Agence des services frontaliers du Canada", "CA", "federal", "", None),
    ("PS", "Public Safety Canada", "Sécurité publique Canada", "CA", "federal", "", None),
    ("JUS", "Department of Justice Canada", "Ministère de la Justice Canada", "CA", "federal", "", None),
    ("OPP", "Ontario Provincial Police", "Police provinciale de l'Ontario", "CA", "provincial", "ON", None),
    ("WPS", "Windsor Police Service", "Service de police de Windsor", "CA", "municipal", "ON", None),
    ("NRPS", "Niagara Regional Police Service", "Service de police régional de Niagara", "CA", "municipal", "ON", None),
    ("AMPS", "Akwesasne Mohawk Police Service", "Service de police mohawk d'Akwesasne", "CA", "tribal", "ON", None),
    ("DHS", "U.S. Department of Homeland Security", "Département de la Sécurité intérieure des États-Unis",
     "US", "federal", "DC", None),
    ("USCG", "United States Coast Guard", "Garde côtière des États-Unis", "US", "federal", "", "DHS"),
    ("CBP", "U.S. Customs and Border Protection", "Service des douanes et de la protection des frontières des États-Unis",
     "US", "federal", "", "DHS"),
    ("ICE", "U.S. Immigration and Customs Enforcement", "Service de l'immigration et des douanes des États-Unis",
     "US", "federal", "", "DHS"),
    ("HSI", "Homeland Security Investigations", "Enquêtes de la Sécurité intérieure", "US", "federal", "", "ICE"),
    ("DOJ", "U.S. Department of Justice", "Département de la Justice des États-Unis", "US", "federal", "DC", None),
    ("MSP", "Michigan State Police", "Police d'État du Michigan", "US", "state", "MI", None),
    ("NYSP", "New York State Police", "Police d'État de New York", "US", "state", "NY", None),
    ("WSP", "Washington State Patrol", "Patrouille de l'État de Washington", "US", "state", "WA", None),
]

# username, agency, description (for the README and the command's output)
ACCOUNTS = [
    ("rcmp.analyst", "RCMP", "criminal intelligence analyst"),
    ("cbsa.officer", "CBSA", "border services officer (French interface)"),
    ("opp.detective", "OPP", "detective constable"),
    ("uscg.officer", "USCG", "boarding officer"),
    ("cbp.agent", "CBP", "Border Patrol agent"),
    ("hsi.agent", "HSI", "special agent, HSI's agency administrator (manages the BEST units' members)"),
    ("rcmp.admin", "RCMP", "RCMP's agency administrator: designates United States ShipRider officers"),
    ("uscg.admin", "USCG", "USCG's agency administrator: designates Canadian ShipRider officers"),
    ("cbcf.secretariat", "PS", "CBCF secretariat"),
    ("portal.auditor", "PS", "auditor: searches the whole audit trail"),
    ("portal.admin", "", "portal administrator (superuser, sees no case data)"),
]

# username: first, last, rank, badge, language, time zone, role
OFFICERS = {
    "rcmp.analyst": ("Claire", "Tremblay", "Cpl", "RCMP-48213", "en", "America/Toronto", "member"),
    "cbsa.officer": ("Étienne", "Gagnon", "", "CBSA-10422", "fr", "America/Toronto", "supervisor"),
    "opp.detective": ("Priya", "Singh", "D/Cst", "OPP-7731", "en", "America/Toronto", "member"),
    "uscg.officer": ("Marcus", "Reed", "BM1", "USCG-55120", "en", "America/Detroit", "member"),
    "cbp.agent": ("Dana", "Whitfield", "", "CBP-30981", "en", "America/Detroit", "member"),
    "hsi.agent": ("Luis", "Ortega", "SA", "HSI-22417", "en", "America/New_York", "agency_admin"),
    "rcmp.admin": ("Denise", "Hall", "Insp", "RCMP-10001", "en", "America/Toronto", "agency_admin"),
    "uscg.admin": ("Grace", "Kim", "LCDR", "USCG-10001", "en", "America/Detroit", "agency_admin"),
    "cbcf.secretariat": ("Nadia", "Roy", "", "PS-1001", "fr", "America/Toronto", "member"),
    "portal.auditor": ("Alex", "Morgan", "", "PS-1002", "en", "America/Toronto", "member"),
}

# kind, name, member agencies, active
TEAMS = [
    ("shiprider_site", "Surrey / Bellingham", ["RCMP", "USCG"], True),
    ("shiprider_site", "Victoria / Port Angeles", ["RCMP", "USCG"], True),
    ("shiprider_site", "Windsor / Detroit", ["RCMP", "USCG"], True),
    ("shiprider_site", "Niagara-on-the-Lake / Buffalo-Niagara", ["RCMP", "USCG"], True),
    ("shiprider_site", "Kingston / Alexandria Bay", ["RCMP", "USCG"], True),
    ("shiprider_site", "Cornwall / Massena (pilot, closed)", ["RCMP", "USCG"], False),
    ("ibet_team", "Pacific (Blaine / Chilliwack)", ["RCMP", "CBSA", "CBP", "HSI", "USCG", "WSP"], True),
    ("ibet_team", "St. Lawrence (Cornwall / Massena)", ["RCMP", "CBSA", "CBP", "HSI", "USCG", "AMPS", "NYSP"], True),
    ("ibet_team", "Niagara Triangle", ["RCMP", "CBSA", "CBP", "HSI", "USCG", "NRPS", "NYSP"], True),
    ("ibet_team", "Red River", ["RCMP", "CBSA", "CBP", "HSI"], True),
    ("best_unit", "Blaine BEST", ["HSI", "CBP", "CBSA", "RCMP", "WSP"], True),
    ("best_unit", "Buffalo BEST", ["HSI", "CBP", "CBSA", "RCMP", "NRPS", "NYSP"], True),
    ("best_unit", "Detroit BEST", ["HSI", "CBP", "USCG", "CBSA", "RCMP", "OPP", "WPS", "MSP"], True),
]

PURPOSE_BY_PROGRAM = {"shiprider": Purpose.SHIPRIDER_FRAMEWORK, "ibet": Purpose.IBET_MOU, "best": Purpose.BEST_AGREEMENT}

# Agencies without a demo login still lead cases: each gets one fictional officer (no usable password).
LEAD_OFFICERS = {
    "WPS": ("Tom", "Kowalski", "Sgt", "WPS-318"),
    "NRPS": ("Grace", "Bélanger", "Det", "NRPS-902"),
    "AMPS": ("Ray", "Thompson", "Sgt", "AMPS-114"),
    "MSP": ("Karen", "Novak", "Lt", "MSP-4410"),
    "NYSP": ("James", "O'Connor", "Inv", "NYSP-2287"),
    "WSP": ("Hannah", "Larsen", "Sgt", "WSP-6603"),
    "ICE": ("Sam", "Carter", "", "ICE-1207"),
}

REASON = "Demo data: partnership working arrangement"

# program, lead, title, summary, status, releasability, handling, opened (y, m, d), shares
CASES = [
    ("shiprider", "RCMP", "Detroit River night crossings, cigarette smuggling",
     "Repeated night crossings by small craft near Fighting Island; contraband tobacco landed on the US side.",
     "active", "ca_us", "H0", (2025, 6, 3), [("USCG", "contribute"), ("WPS", "view"), ("MSP", "view")]),
    ("shiprider", "USCG", "St. Clair River warrant fugitive by PWC",
     "Fugitive with outstanding Michigan warrant using personal watercraft to cross to Sarnia.",
     "open", "ca_us", "H1", (2026, 5, 12), [("RCMP", "contribute"), ("OPP", "view")]),
    ("shiprider", "RCMP", "Haro Strait cannabis runs to San Juan Islands",
     "Pattern of RHIB runs from Sidney towards San Juan Island during fog.",
     "active", "ca_us", "H0", (2025, 8, 21), [("USCG", "manage"), ("WSP", "view")]),
    ("shiprider", "USCG", "Niagara River currency courier vessel",
     "Pleasure craft suspected of carrying bulk cash from Buffalo to Niagara-on-the-Lake.",
     "closed", "ca_us", "H0", (2024, 7, 9), [("RCMP", "view"), ("NRPS", "view")]),
    ("shiprider", "RCMP", "Thousand Islands rental boat smuggling",
     "Rental boats from Kingston used for migrant smuggling towards Alexandria Bay.",
     "open", "ca_only", "H2", (2026, 4, 2), [("OPP", "view"), ("CBSA", "contribute")]),
    ("shiprider", "USCG", "Lake Erie search and rescue with firearm recovery",
     "SAR assist that recovered an unregistered firearm aboard a disabled vessel.",
     "closed", "us_only", "H0", (2024, 9, 14), [("CBP", "view")]),
    ("shiprider", "RCMP", "Boundary Bay cross-designated boarding program",
     "Joint boardings off White Rock under the 2009 Framework Agreement.",
     "active", "ca_us", "H0", (2026, 7, 1), [("USCG", "contribute"), ("CBSA", "view"), ("CBP", "view")]),
    ("shiprider", "USCG", "Port Angeles ferry lane contraband drops",
     "Packages dropped from vessels near the Victoria ferry lane for later pickup.",
     "open", "ca_us", "H3", (2026, 9, 18), []),
    ("ibet", "RCMP", "Project Coldwater / Operation Northern Reach",
     "Paired operation on cocaine moving south through the Okanagan corridor.",
     "active", "ca_us", "H1", (2025, 3, 17), [("CBP", "contribute"), ("HSI", "view"), ("CBSA", "contribute")]),
    ("ibet", "CBSA", "Akwesasne tobacco corridor",
     "Contraband tobacco moving between ports of entry across the St. Lawrence at Cornwall/Massena.",
     "active", "ca_us", "H2", (2025, 11, 4), [("AMPS", "contribute"), ("RCMP", "manage"), ("NYSP", "view")]),
    ("ibet", "CBP", "Pembina pedestrian crossings",
     "Groups crossing on foot between ports of entry south of Emerson, Manitoba.",
     "open", "ca_us", "H0", (2026, 1, 22), [("RCMP", "view")]),
    ("ibet", "RCMP", "Prairie firearms trafficking ring",
     "Handguns purchased in North Dakota and moved north through fields near the border.",
     "active", "ca_us", "H1", (2025, 5, 30), [("CBP", "view"), ("HSI", "contribute"), ("CBSA", "view")]),
    ("ibet", "CBSA", "Stanstead residential street incursions",
     "Vehicles crossing on residential streets that straddle the boundary.",
     "closed", "ca_only", "H0", (2024, 4, 11), [("RCMP", "contribute")]),
    ("ibet", "CBP", "Blaine vehicle incursions at Zero Avenue",
     "Vehicles crossing the ditch at Zero Avenue into Whatcom County.",
     "active", "ca_us", "H0", (2026, 2, 8), [("RCMP", "contribute"), ("WSP", "view"), ("CBSA", "view")]),
    ("ibet", "RCMP", "Niagara Triangle human smuggling network",
     "Migrants moved across the Niagara River by organized facilitators.",
     "open", "ca_us", "H2", (2026, 8, 27), [("NRPS", "view"), ("OPP", "view")]),
    ("ibet", "CBP", "Swanton sector snowmobile loads",
     "Winter snowmobile loads of cannabis crossing from Quebec into Vermont.",
     "closed", "us_only", "H0", (2024, 1, 19), [("HSI", "view")]),
    ("ibet", "OPP", "Cornwall Island vessel incursions",
     "Vessel incursions around Cornwall Island during the navigation season.",
     "active", "ca_us", "H0", (2026, 6, 15), [("AMPS", "contribute"), ("RCMP", "view"), ("USCG", "view")]),
    ("ibet", "RCMP", "Rocky Mountain backcountry surveillance",
     "Trail camera hits on a backcountry route used to bypass Roosville.",
     "open", "ca_us", "H0", (2026, 10, 2), []),
    ("best", "HSI", "Detroit-Windsor fentanyl pipeline",
     "Criminal organization moving fentanyl precursors through the Ambassador Bridge corridor.",
     "active", "ca_us", "H1", (2025, 2, 10), [("CBSA", "contribute"), ("RCMP", "view"), ("WPS", "view"), ("MSP", "view")]),
    ("best", "HSI", "Buffalo Peace Bridge bulk cash",
     "Bulk cash couriers crossing at the Peace Bridge for a money laundering network.",
     "active", "ca_us", "H2", (2025, 9, 25), [("NRPS", "contribute"), ("CBP", "view"), ("CBSA", "view")]),
    ("best", "HSI", "Blaine counterfeit goods importers",
     "Counterfeit electronics imported through Vancouver and trucked south through Blaine.",
     "open", "ca_us", "H0", (2026, 3, 3), [("CBSA", "view")]),
    ("best", "HSI", "Transnational gang firearms purchases",
     "Straw purchases in Michigan for a gang operating in Windsor and Toronto.",
     "active", "ca_us", "H1", (2025, 7, 7), [("WPS", "contribute"), ("OPP", "view"), ("MSP", "contribute")]),
    ("best", "ICE", "Visa overstay labor trafficking",
     "Workers recruited in Canada and trafficked into labor in upstate New York.",
     "open", "us_only", "H2", (2026, 5, 5), [("CBP", "view"), ("NYSP", "view")]),
    ("best", "HSI", "Virtual currency laundering for cannabis exporters",
     "Proceeds laundered through cryptocurrency kiosks on both sides of the border.",
     "closed", "ca_us", "H0", (2024, 10, 30), [("RCMP", "view"), ("DOJ", "view")]),
    ("best", "HSI", "Massena planning: Saint Lawrence County targets",
     "Target list for the planned Massena unit; early stage.",
     "open", "us_only", "H3", (2026, 10, 20), []),
    ("best", "CBP", "Detroit rail cargo methamphetamine",
     "Methamphetamine concealed in rail cargo entering at the Detroit-Windsor rail tunnel.",
     "active", "ca_us", "H0", (2026, 1, 14), [("HSI", "manage"), ("CBSA", "view")]),
    ("best", "HSI", "Mass-marketing fraud call centres",
     "Call centres in Ontario targeting US seniors with grandparent scams.",
     "active", "ca_us", "H1", (2025, 12, 1), [("OPP", "contribute"), ("RCMP", "view"), ("DOJ", "view")]),
    ("ibet", "WPS", "Windsor riverfront drop points",
     "Drop points along the Windsor riverfront used for contraband handoffs.",
     "open", "ca_us", "H0", (2026, 9, 9), [("RCMP", "view"), ("MSP", "view")]),
    ("best", "MSP", "Port Huron stolen vehicle exports",
     "Stolen vehicles driven to Port Huron and exported through Canadian ports.",
     "active", "ca_us", "H0", (2026, 2, 26), [("HSI", "contribute"), ("OPP", "view")]),
    ("shiprider", "RCMP", "Cornwall/Massena pilot records",
     "Records of the closed Cornwall/Massena ShipRider pilot.",
     "closed", "ca_us", "H0", (2024, 5, 20), [("USCG", "view"), ("AMPS", "view")]),
]


def _agencies():
    created = 0
    for acronym, name_en, name_fr, country, level, jurisdiction, parent in AGENCIES:
        _agency, was_created = Agency.objects.get_or_create(
            acronym=acronym,
            defaults={
                "name_en": name_en, "name_fr": name_fr, "country": country, "level": level,
                "jurisdiction": jurisdiction, "parent": Agency.objects.get(acronym=parent) if parent else None,
            },
        )
        created += was_created
    return created


def _officer(username, agency, first, last, rank, badge, language="en", time_zone="America/Toronto",
             role="member", password=None, secretariat=False, auditor=False):
    User = get_user_model()
    user, user_created = User.objects.get_or_create(
        username=username, defaults={"first_name": first, "last_name": last, "email": f"{username}@example.org"}
    )
    if user_created:
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save()
    elif password and not user.has_usable_password():  # an account that became a demo login (rcmp.admin)
        user.set_password(password)
        user.save(update_fields=["password"])
    _officer, created = Officer.objects.get_or_create(
        user=user,
        defaults={
            "agency": agency, "first_name": first, "last_name": last, "rank": rank, "badge_number": badge,
            "email": f"{username}@example.org", "preferred_language": language, "time_zone": time_zone,
            "role": role, "is_cbcf_secretariat": secretariat, "is_auditor": auditor, "is_duty_contact": not auditor,
        },
    )
    return user, created


# ShipRider: site details, vessels and marine officers (no logins); the designating authorities' administrators
# (rcmp.admin, uscg.admin) are demo accounts.
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


def _shiprider(agencies, created):
    from datetime import date, timedelta

    from django.utils import timezone

    from partnerships.models import CrossDesignation
    from shiprider import services as shiprider_services
    from shiprider.models import Patrol, Site, Vessel

    for name, (waterways, time_zone) in SITES.items():
        Site.objects.get_or_create(team=Team.objects.get(kind="shiprider_site", name=name),
                                   defaults={"waterways": waterways, "time_zone": time_zone})
    for owner, vessel_type, name, hull, port in VESSELS:
        Vessel.objects.get_or_create(hull_number=hull, defaults={
            "owner": agencies[owner], "vessel_type": vessel_type, "name": name, "home_port": port})
    users = {}
    for username, (acronym, first, last, rank, badge, role) in MARINE_OFFICERS.items():
        users[username], was_created = _officer(username, agencies[acronym], first, last, rank, badge, role=role)
        created["officers"] += was_created
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


IBET_TEAMS = {  # team name: region, location, time zone
    "Pacific (Blaine / Chilliwack)": ("Pacific", "Blaine, WA / Chilliwack, BC", "America/Vancouver"),
    "St. Lawrence (Cornwall / Massena)": ("St. Lawrence", "Cornwall, ON / Massena, NY", "America/Toronto"),
    "Niagara Triangle": ("Niagara Triangle", "Niagara Falls, ON / Niagara Falls, NY", "America/Toronto"),
    "Red River": ("Red River", "Emerson, MB / Pembina, ND", "America/Winnipeg"),
}


def _ibet(users):
    from datetime import timedelta

    from django.utils import timezone

    from ibet import services as ibet_services
    from ibet.models import IbetTeam, JmtRepresentative, Occurrence, Region

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


BEST_UNITS = {  # team name: HSI office, area of responsibility, established, IBET in the area
    "Blaine BEST": ("HSI Seattle", "Northern Washington, Lower Mainland of British Columbia", (2008, 5, 1), True),
    "Buffalo BEST": ("HSI Buffalo", "Western New York, Niagara Region", (2008, 3, 1), True),
    "Detroit BEST": ("HSI Detroit", "Michigan (721 miles of border), Windsor-Essex", (2009, 9, 1), False),
}


def _best(users):
    from datetime import date, timedelta

    from best import services as best_services
    from best.models import Investigation, Membership, Unit

    for name, (office, area, established, ibet) in BEST_UNITS.items():
        Unit.objects.get_or_create(team=Team.objects.get(kind="best_unit", name=name), defaults={
            "hsi_office": office, "area_of_responsibility": area, "established_on": date(*established),
            "ibet_in_area": ibet})
    detroit = Unit.objects.get(team__name="Detroit BEST")
    agent = users["hsi.agent"]  # HSI's administrator manages the units' members
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


INITIATIVES = [  # English title, French title, owners, partnership, target date, status
    ("Expand ShipRider to new sites", "Étendre ShipRider à de nouveaux sites", ["RCMP", "USCG"], "shiprider",
     (2027, 6, 30), "on_track"),
    ("Cross-border radio interoperability", "Interopérabilité radio transfrontalière", ["PS", "DHS"], "",
     (2027, 3, 31), "at_risk"),
    ("Next-generation integrated enforcement pilots", "Projets pilotes d'application intégrée de nouvelle génération",
     ["RCMP", "CBP"], "ibet", (2026, 12, 31), "late"),
]


def _cbcf(users, agencies):
    from datetime import date, timedelta

    from django.utils import timezone

    from cbcf import services as cbcf_services
    from cbcf.models import Initiative, Meeting, Subgroup

    secretariat = users["cbcf.secretariat"]
    if not Subgroup.objects.exists():
        cbcf_services.subgroup_create(by=secretariat, name_en="Fentanyl and drugs", name_fr="Fentanyl et drogues",
                                      canadian_co_chair=users["rcmp.analyst"].officer,
                                      american_co_chair=users["hsi.agent"].officer)
    for title_en, title_fr, owners, partnership, target, status in INITIATIVES:
        initiative, created = Initiative.objects.get_or_create(title_en=title_en, defaults={
            "title_fr": title_fr, "text_en": title_en + ".", "text_fr": title_fr + ".", "partnership": partnership,
            "target_date": date(*target), "status": status})
        if created:
            initiative.owners.set([agencies[acronym] for acronym in owners])
    if not Meeting.objects.exists():
        meeting = cbcf_services.meeting_create(
            by=secretariat, title="Senior officials, winter 2027", level="senior", place="Ottawa", host_country="CA",
            starts_at=(timezone.now() + timedelta(days=30)).replace(hour=14, minute=0, second=0, microsecond=0),
            participants=[(users[name].officer, "member") for name in ("rcmp.analyst", "hsi.agent", "cbp.agent")])
        for by, title_en, title_fr in (
            ("rcmp.analyst", "Fentanyl precursors through Windsor", "Précurseurs du fentanyl par Windsor"),
            ("hsi.agent", "BEST results for the year", "Résultats des BEST de l'année"),
            ("cbp.agent", "Radio interoperability pilots", "Projets pilotes d'interopérabilité radio"),
        ):
            cbcf_services.item_propose(by=users[by], meeting=meeting, title_en=title_en, title_fr=title_fr,
                                       summary_en=title_en + ": where we stand.",
                                       summary_fr=title_fr + " : où nous en sommes.", purpose="discussion",
                                       presenter=users[by].officer.agency.acronym, minutes=20)


# Deconfliction: RCMP's Detroit River case and CBP's rail cargo case work the same man and phone, and plan
# operations on the Detroit River at the same time. Each side's contact sees the hits on signing in.
DECONFLICTION_CONTACTS = {"rcmp.analyst": "+1 613 555 0148", "cbp.agent": "+1 313 555 0177"}
DECONFLICTION_SUBJECTS = {  # username, case title: subjects (kind, name, aliases, date of birth, registration)
    ("rcmp.analyst", "Detroit River night crossings, cigarette smuggling"): [
        ("person", "Marc-André Leblanc", "Marco", (1984, 3, 12), ""),
        ("phone", "+1 519 555 0163", "", None, ""),
        ("vessel", "Night Heron", "", None, "ON 4471 KX"),
    ],
    ("cbp.agent", "Detroit rail cargo methamphetamine"): [
        ("person", "MARC ANDRE LEBLANC", "", (1984, 3, 12), ""),
        ("phone", "519-555-0163", "", None, ""),
    ],
}


def _deconfliction():
    """Overlapping subjects and operations of two agencies, checked as the pages check them, with the in-app notice
    each side's contacts would get (the demo emails nobody)."""
    from datetime import timedelta

    from django.db.models import Q
    from django.utils import timezone

    from deconfliction import services as deconfliction_services
    from deconfliction.models import HitParty, NamedArea
    from partnerships.models import Notification, Subject

    User = get_user_model()
    users = {user.username: user for user in User.objects.filter(username__in=DECONFLICTION_CONTACTS)}
    if Subject.objects.filter(added_by__in=users.values()).exists():
        return
    for username, phone in DECONFLICTION_CONTACTS.items():
        officer = users[username].officer
        officer.is_deconfliction_contact, officer.phone = True, phone
        officer.save()
    command = AuditEvent.Door.COMMAND
    for (username, title), subjects in DECONFLICTION_SUBJECTS.items():
        case = JointCase.objects.get(title=title)
        for kind, name, aliases, born, registration in subjects:
            services.subject_add(by=users[username], case=case, kind=kind, name=name, aliases=aliases,
                                 date_of_birth=datetime.date(*born) if born else None, registration=registration,
                                 door=command, notify=False)
    start = (timezone.now() + timedelta(days=4)).replace(hour=1, minute=0, second=0, microsecond=0)
    deconfliction_services.event_plan(
        by=users["rcmp.analyst"], kind="patrol", title="Night patrol, Fighting Island", door=command, notify=False,
        area=NamedArea.objects.get(name_en="Detroit River"), starts_at=start, ends_at=start + timedelta(hours=8),
        case=JointCase.objects.get(title="Detroit River night crossings, cigarette smuggling"))
    deconfliction_services.event_plan(
        by=users["cbp.agent"], kind="best_action", title="Controlled delivery at the rail tunnel", door=command,
        notify=False, latitude=42.3126, longitude=-83.0431, radius_m=500, starts_at=start + timedelta(hours=2),
        ends_at=start + timedelta(hours=5), case=JointCase.objects.get(title="Detroit rail cargo methamphetamine"))
    seeded = HitParty.objects.filter(Q(subject__added_by__in=users.values()) | Q(event__created_by__in=users.values()))
    for user in users.values():
        parties = list(seeded.filter(agency=user.officer.agency).order_by("pk").values_list("pk", flat=True))
        Notification.objects.create(recipient=user, kind=Notification.Kind.DECONFLICTION_HIT,
                                    detail={"parties": parties})
    seeded.update(notified_at=timezone.now())


def load():
    """Create whatever demo rows are missing and return how many of each were created."""
    created = {"agencies": _agencies(), "officers": 0, "cases": 0}
    agencies = Agency.objects.in_bulk(field_name="acronym")
    for kind, name, members, active in TEAMS:
        team, was_created = Team.objects.get_or_create(kind=kind, name=name, defaults={"is_active": active})
        if was_created:
            team.member_agencies.set([agencies[acronym] for acronym in members])
    leads = {}
    for username, acronym, _description in ACCOUNTS:
        if not acronym:
            continue
        first, last, rank, badge, language, time_zone, role = OFFICERS[username]
        user, was_created = _officer(
            username, agencies[acronym], first, last, rank, badge, language, time_zone, role,
            password=DEMO_PASSWORD, secretariat=username == "cbcf.secretariat", auditor=username == "portal.auditor",
        )
        created["officers"] += was_created
        leads.setdefault(acronym, user)
    for acronym, (first, last, rank, badge) in LEAD_OFFICERS.items():
        user, was_created = _officer(f"{acronym.lower()}.lead", agencies[acronym], first, last, rank, badge)
        created["officers"] += was_created
        leads[acronym] = user

    User = get_user_model()
    if not User.objects.filter(username="portal.admin").exists():
        User.objects.create_superuser("portal.admin", "portal.admin@example.org", DEMO_PASSWORD)

    _shiprider(agencies, created)
    User = get_user_model()
    demo_users = {u.username: u for u in User.objects.filter(
        username__in=["rcmp.admin", "rcmp.analyst", "uscg.admin", "uscg.officer", "hsi.agent", "cbp.agent",
                      "cbcf.secretariat"])}
    _ibet(demo_users)
    _best(demo_users)
    _cbcf(demo_users, agencies)

    for program, lead, title, summary, status, releasability, handling, opened, shares in CASES:
        if JointCase.objects.filter(lead_agency=agencies[lead], title=title).exists():
            continue
        by = leads[lead]
        case = services.case_create(
            by=by, title=title, summary=summary, program=program, releasability=releasability,
            handling_code=handling, opened_at=datetime.date(*opened), door=AuditEvent.Door.COMMAND,
        )
        for acronym, level in shares:
            services.case_share(case=case, agency=agencies[acronym], level=AccessLevel(level), by=by, reason=REASON,
                                purpose=PURPOSE_BY_PROGRAM[program], notify=False, door=AuditEvent.Door.COMMAND)
        if status == JointCase.Status.CLOSED:
            closed_at = min(case.opened_at + datetime.timedelta(days=240), datetime.date(2026, 10, 31))
            services.case_update(case=case, by=by, status=status, closed_at=closed_at, door=AuditEvent.Door.COMMAND)
        elif status != JointCase.Status.OPEN:
            services.case_update(case=case, by=by, status=status, door=AuditEvent.Door.COMMAND)
        created["cases"] += 1
    _deconfliction()
    return created
