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

# official French acronyms, where they differ (Agency.acronym_fr)
ACRONYMS_FR = {"RCMP": "GRC", "CBSA": "ASFC", "PS": "SP", "OPP": "PPO", "CCG": "GCC"}

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
                "name_en": name_en, "name_fr": name_fr, "acronym_fr": ACRONYMS_FR.get(acronym, ""),
                "country": country, "level": level,
                "jurisdiction": jurisdiction, "parent": Agency.objects.get(acronym=parent) if parent else None,
            },
        )
        created += was_created
    return created


def demo_officer(username, agency, first, last, rank, badge, language="en", time_zone="America/Toronto",
                 role="member", password=None, secretariat=False, auditor=False):
    """A login and its officer, created when missing; the program apps' demos add their own officers with it."""
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
    _officer_row, created = Officer.objects.get_or_create(
        user=user,
        defaults={
            "agency": agency, "first_name": first, "last_name": last, "rank": rank, "badge_number": badge,
            "email": f"{username}@example.org", "preferred_language": language, "time_zone": time_zone,
            "role": role, "is_cbcf_secretariat": secretariat, "is_auditor": auditor, "is_duty_contact": not auditor,
        },
    )
    return user, created


def teams_create(kind, rows):
    """A program's teams (rows of name, member agency acronyms, active), created when missing."""
    agencies = Agency.objects.in_bulk(field_name="acronym")
    for name, members, active in rows:
        team, was_created = Team.objects.get_or_create(kind=kind, name=name, defaults={"is_active": active})
        if was_created:
            team.member_agencies.set([agencies[acronym] for acronym in members])


def load_people():
    """Create whatever demo agencies, accounts and officers are missing; return how many of each were created."""
    created = {"agencies": _agencies(), "officers": 0}
    agencies = Agency.objects.in_bulk(field_name="acronym")
    for username, acronym, _description in ACCOUNTS:
        if not acronym:
            continue
        first, last, rank, badge, language, time_zone, role = OFFICERS[username]
        _user, was_created = demo_officer(
            username, agencies[acronym], first, last, rank, badge, language, time_zone, role,
            password=DEMO_PASSWORD, secretariat=username == "cbcf.secretariat", auditor=username == "portal.auditor",
        )
        created["officers"] += was_created
    for acronym, (first, last, rank, badge) in LEAD_OFFICERS.items():
        _user, was_created = demo_officer(f"{acronym.lower()}.lead", agencies[acronym], first, last, rank, badge)
        created["officers"] += was_created

    User = get_user_model()
    if not User.objects.filter(username="portal.admin").exists():
        User.objects.create_superuser("portal.admin", "portal.admin@example.org", DEMO_PASSWORD)
    return created


def _leads(agencies):
    """Each agency's first demo account, or its lead officer: who opens and shares the agency's demo cases."""
    User = get_user_model()
    leads = {}
    for username, acronym, _description in ACCOUNTS:
        if acronym:
            leads.setdefault(acronym, User.objects.get(username=username))
    for acronym in LEAD_OFFICERS:
        leads[acronym] = User.objects.get(username=f"{acronym.lower()}.lead")
    return leads


def load_cases():
    """Create whatever demo cases are missing, shared as listed; return how many were created."""
    agencies = Agency.objects.in_bulk(field_name="acronym")
    leads = _leads(agencies)
    created = 0
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
        created += 1
    return {"cases": created}


def load():
    """The core's demo alone (agencies, officers, accounts, cases); `seed_demo` composes it with the programs'."""
    created = load_people()
    created.update(load_cases())
    return created
