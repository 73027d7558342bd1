"""Deconfliction's demo data: RCMP's Detroit River case and CBP's rail cargo case work the same man and phone, and
plan operations on the Detroit River at the same time. Each side's contact sees the hits on signing in."""

import datetime
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone

from deconfliction import services as deconfliction_services
from deconfliction.models import HitParty, NamedArea
from partnerships import services
from partnerships.models import AuditEvent, JointCase, Notification, Subject

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


def load():
    """Overlapping subjects and operations of two agencies, checked as the pages check them, with the in-app notice
    each side's contacts would get (the demo emails nobody). Needs the core's demo cases."""
    User = get_user_model()
    users = {user.username: user for user in User.objects.filter(username__in=DECONFLICTION_CONTACTS)}
    if Subject.objects.filter(added_by__in=users.values()).exists():
        return {}
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
    return {}
