"""Benchmark: the deconfliction check against every agency's subjects and planned operations.

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench
    .venv/bin/python manage.py seed_scale --cases 1000000 --agencies 200 --officers 2000 \
        --subjects 1000000 --events 20000 --yes
    .venv/bin/python bench/deconfliction_check.py

Issue 10's target: under 50 ms at the 95th percentile. For each kind of probe (person names that exist,
that exist with a typo, that exist nowhere; phone numbers and plates that exist and that do not; planned
operations at random places and times) it times `matching.subject_matches` / `matching.event_matches`
and the full `services.check_only` as the API calls it (matching, audit record, pointers with contacts),
each probe a different one, once, after a warm-up on other probes.
"""

import datetime
import random

from _common import RUNS, line, load, percentiles, query_count, scale_officer
from django.conf import settings
from django.utils import timezone

from deconfliction import matching, services
from deconfliction.models import PlannedEvent
from partnerships.models import Subject, SubjectKey
from partnerships.subjects import fold_name, keys_of

PROBES = max(RUNS, 50)


def main():
    random.seed(11)
    settings.DECONFLICTION_CHECKS_PER_HOUR = 10**9  # it measures the check, not the hourly limit on checks
    officer = scale_officer()
    agency, user = officer.agency, officer.user
    print(f"subjects {Subject.objects.count()}, name keys {SubjectKey.objects.filter(kind='name').count()}, "
          f"planned operations {PlannedEvent.objects.count()}; {PROBES} probes per kind; checking agency "
          f"{agency.acronym} ({load()})")

    people = _sample(Subject.objects.filter(kind="person"), 3 * PROBES)
    existing = [{"kind": "person", "name": s.name, "date_of_birth": s.date_of_birth} for s in people[:PROBES]]
    typos = [{"kind": "person", "name": _typo(s.name), "date_of_birth": s.date_of_birth, "of": fold_name(s.name)}
             for s in people[PROBES:2 * PROBES]]
    absent = [{"kind": "person", "name": _invented_name()} for _ in range(PROBES)]
    phones = _sample(Subject.objects.filter(kind="phone"), PROBES)
    plates = _sample(Subject.objects.filter(kind="vehicle"), PROBES)
    kinds = [
        ("person name, exists", existing),
        ("person name, one typo", typos),
        ("person name, nowhere", absent),
        ("phone, exists (written otherwise)",
         [{"kind": "phone", "name": _reformat_phone(s.name)} for s in phones]),
        ("phone, nowhere", [{"kind": "phone", "name": f"+1 555 010 {n:04d}"} for n in range(PROBES)]),
        ("plate, exists (lower case, no space)",
         [{"kind": "vehicle", "name": s.name, "registration": s.registration.lower().replace(" ", "")}
          for s in plates]),
        ("plate, nowhere", [{"kind": "vehicle", "name": "Car", "registration": f"ZZ{n:05d}Q"} for n in range(PROBES)]),
    ]
    warm = [{"kind": "person", "name": s.name} for s in people[2 * PROBES:]]
    for probe in warm:
        _subject_matches(agency, probe)

    print("matching.subject_matches / event_matches:")
    for name, probes in kinds:
        samples, counts, found = [], [], 0
        for probe in probes:
            samples.append(_ms(lambda probe=probe: _subject_matches(agency, probe)))
            matches = _subject_matches(agency, probe)
            counts.append(len(matches))
            if "of" in probe:  # a subject under the name before the typo (perhaps another of that name)
                found += SubjectKey.objects.filter(subject_id__in=[m.subject_id for m in matches], kind="name",
                                                   key=probe["of"]).exists()
        queries = query_count(lambda probes=probes: _subject_matches(agency, probes[0]))
        line(f"  {name}", *percentiles(samples), queries, width=44)
        note = f", the name before the typo found for {found}/{len(probes)}" if name.endswith("typo") else ""
        print(f"      matches per probe: median {sorted(counts)[len(counts) // 2]}, max {max(counts)}{note}")

    events = [_random_event() for _ in range(PROBES)]
    for event in events[:5]:
        matching.event_matches(agency=agency, **event)
    samples, counts = [], []
    for event in events:
        samples.append(_ms(lambda event=event: matching.event_matches(agency=agency, **event)))
        counts.append(len(matching.event_matches(agency=agency, **event)))
    line("  planned operation, random place and time", *percentiles(samples),
         query_count(lambda: matching.event_matches(agency=agency, **events[0])), width=44)
    print(f"      matches per probe: median {sorted(counts)[len(counts) // 2]}, max {max(counts)}")

    print("services.check_only (as the API calls it: matching, audit record, pointers with contacts):")
    for name, probes in kinds[:4] + kinds[5:6]:
        samples = [_ms(lambda probe=probe: services.check_only(by=user, subject=probe)) for probe in probes]
        worst = max(probes, key=lambda probe: len(_subject_matches(agency, probe)))
        line(f"  {name}", *percentiles(samples), query_count(lambda worst=worst: services.check_only(
            by=user, subject=worst)), width=44)
    samples = [_ms(lambda event=event: services.check_only(by=user, event=event)) for event in events]
    line("  planned operation, random place and time", *percentiles(samples),
         query_count(lambda: services.check_only(by=user, event=events[0])), width=44)
    print("  (query count: of the probe with the most matches)")


def _subject_matches(agency, probe):
    subject = Subject(kind=probe["kind"], name=probe.get("name", ""), aliases=probe.get("aliases", ""),
                      registration=probe.get("registration", ""), vin=probe.get("vin", ""))
    return matching.subject_matches(agency=agency, subject_kind=subject.kind, keys=keys_of(subject),
                                    date_of_birth=probe.get("date_of_birth"))


def _ms(function):
    import time

    started = time.perf_counter()
    function()
    return (time.perf_counter() - started) * 1000


def _sample(queryset, count):
    """Random rows by id (ORDER BY random() would read the whole table)."""
    last = Subject.objects.order_by("-pk").values_list("pk", flat=True).first()
    picked, seen = [], set()
    while len(picked) < count:
        ids = [random.randint(1, last) for _ in range(count * 10)]
        for row in queryset.filter(pk__in=ids).exclude(pk__in=seen):
            picked.append(row)
            seen.add(row.pk)
    random.shuffle(picked)
    return picked[:count]


def _typo(name):
    """One slip of the keyboard in the last name: a letter dropped, doubled, swapped or replaced."""
    first, _space, last = name.rpartition(" ")
    at = random.randrange(1, max(2, len(last) - 1))
    slip = random.choice(["drop", "double", "swap", "replace"])
    if slip == "drop":
        last = last[:at] + last[at + 1:]
    elif slip == "double":
        last = last[:at] + last[at] + last[at:]
    elif slip == "swap" and at + 1 < len(last):
        last = last[:at] + last[at + 1] + last[at] + last[at + 2:]
    else:
        last = last[:at] + random.choice("aeiourstn") + last[at + 1:]
    return f"{first} {last}".strip()


def _invented_name():
    syllables = ["zor", "vath", "quil", "mire", "dax", "thorn", "wyx", "pel", "grun", "okk", "yb", "trask"]
    first = "".join(random.choices(syllables, k=2)).capitalize()
    last = "".join(random.choices(syllables, k=3)).capitalize()
    assert not SubjectKey.objects.filter(kind="name", key=fold_name(f"{first} {last}")).exists()
    return f"{first} {last}"


def _reformat_phone(text):
    digits = "".join(ch for ch in text if ch.isdigit())[-10:]
    return f"({digits[:3]}) {digits[3:6]} {digits[6:]}"


def _random_event():
    starts = timezone.now() + datetime.timedelta(minutes=random.randrange(90 * 24 * 60))
    return {"latitude": random.uniform(42, 49), "longitude": random.uniform(-123, -67),
            "radius_m": random.randint(50, 5000), "starts_at": starts,
            "ends_at": starts + datetime.timedelta(hours=random.randint(2, 24))}


if __name__ == "__main__":
    main()
