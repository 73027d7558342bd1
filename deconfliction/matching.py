"""The check: which other agencies' subjects and planned operations may concern the same thing.

Runs against every agency's cases and operations, including those the checking officer cannot see;
what it returns is for the services to turn into pointers, never to show as such.

- Subjects: equal normalized keys (E.164 phone, email, compact plate/hull/registration, VIN) match;
  equal folded names match unless both dates of birth are known and differ (then: possible);
  similar names are possible matches: trigram similarity on PostgreSQL (pg_trgm, a GIN index over
  the distinct names, `NameKey`), and on SQLite (development only) difflib's ratio over names sharing
  a word.
- Planned operations: time windows overlap and the circles (point and radius) lie within
  DECONFLICTION_EVENT_DISTANCE_M of each other; overlapping circles are a match, near ones possible.
"""

import math
from dataclasses import dataclass
from difflib import SequenceMatcher

from django.conf import settings
from django.db import connection, transaction

from deconfliction.models import Hit, NameKey, PlannedEvent
from partnerships.models import JointCase, SubjectKey

EARTH_RADIUS_M = 6_371_000
MAX_RADIUS_M = 50_000  # the widest circle an operation or named area may have (forms refuse more)
SIMILAR_CANDIDATES = 20
SIMILAR_NAMES = 100  # distinct names looked up per probe, most similar first
EXACT_KEY_KINDS = ("phone", "email", "registration", "vin")


@dataclass(frozen=True)
class Match:
    certainty: str
    matched_on: str
    score: float
    agency_id: int
    subject_id: int | None = None
    event_id: int | None = None


def name_similarity():
    return settings.DECONFLICTION_NAME_SIMILARITY


def subject_matches(*, agency, subject_kind, keys, date_of_birth=None):
    """Other agencies' subjects on open cases that match these normalized keys, best match per subject."""
    others = (SubjectKey.objects.exclude(subject__case__lead_agency=agency)
              .exclude(subject__case__status=JointCase.Status.CLOSED))
    found = {}

    exact = [(kind, key) for kind, key in keys if kind in EXACT_KEY_KINDS]
    if exact:
        query = others.none()
        for kind, key in exact:
            query = query | others.filter(kind=kind, key=key)
        for row in query.values("subject_id", "kind", "subject__case__lead_agency_id"):
            _keep_best(found, Match(Hit.Certainty.EXACT, row["kind"], 1.0, row["subject__case__lead_agency_id"],
                                    subject_id=row["subject_id"]))
    names = [key for kind, key in keys if kind == "name"]
    if names:
        same_kind = others.filter(kind="name", subject__kind=subject_kind)
        for row in same_kind.filter(key__in=names).values("subject_id", "subject__date_of_birth",
                                                          "subject__case__lead_agency_id"):
            other_birth = row["subject__date_of_birth"]
            conflicting = date_of_birth and other_birth and other_birth != date_of_birth
            _keep_best(found, Match(Hit.Certainty.POSSIBLE if conflicting else Hit.Certainty.EXACT, "name",
                                    0.9 if conflicting else 1.0, row["subject__case__lead_agency_id"],
                                    subject_id=row["subject_id"]))
        for subject_id, agency_id, score in _similar_names(same_kind, names):
            _keep_best(found, Match(Hit.Certainty.POSSIBLE, "name", score, agency_id, subject_id=subject_id))
    return sorted(found.values(), key=lambda m: (m.certainty != Hit.Certainty.EXACT, -m.score, m.subject_id))


def _keep_best(found, match):
    current = found.get(match.subject_id)
    rank = (match.certainty == Hit.Certainty.EXACT, match.score)
    if current is None or rank > (current.certainty == Hit.Certainty.EXACT, current.score):
        found[match.subject_id] = match


def _similar_names(candidates, names):
    """(subject id, agency id, similarity) of names alike but not equal."""
    threshold = name_similarity()
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import TrigramSimilarity

        rows = []
        with transaction.atomic():
            with connection.cursor() as cursor:  # lets the GIN index answer the % operator at our threshold
                cursor.execute("SELECT set_config('pg_trgm.similarity_threshold', %s, true)", [str(threshold)])
            for name in names:
                similar = dict(NameKey.objects.filter(name__trigram_similar=name).exclude(name=name)
                               .annotate(similarity=TrigramSimilarity("name", name))
                               .filter(similarity__gte=threshold).order_by("-similarity")
                               .values_list("name", "similarity")[:SIMILAR_NAMES])
                found = candidates.filter(key__in=similar).values("subject_id", "subject__case__lead_agency_id",
                                                                   "key")
                best = sorted(found, key=lambda r: -similar[r["key"]])[:SIMILAR_CANDIDATES]
                rows += [(r["subject_id"], r["subject__case__lead_agency_id"], similar[r["key"]]) for r in best]
        return rows
    # SQLite, for development: names sharing a word of 3+ letters, compared with difflib.
    rows = []
    for name in names:
        words = [word for word in name.split() if len(word) >= 3]
        if not words:
            continue
        query = candidates.none()
        for word in words:
            query = query | candidates.filter(key__contains=word)
        for row in query.exclude(key=name).values("subject_id", "subject__case__lead_agency_id", "key")[:500]:
            score = SequenceMatcher(None, name, row["key"]).ratio()
            if score >= threshold:
                rows.append((row["subject_id"], row["subject__case__lead_agency_id"], score))
    return rows


def event_matches(*, agency, latitude, longitude, radius_m, starts_at, ends_at, exclude=None):
    """Other agencies' operations overlapping in time and lying within the set distance."""
    reach = radius_m + MAX_RADIUS_M + settings.DECONFLICTION_EVENT_DISTANCE_M
    dlat = math.degrees(reach / EARTH_RADIUS_M)
    dlon = dlat / max(math.cos(math.radians(latitude)), 0.01)
    near = (PlannedEvent.objects.exclude(agency=agency)
            .filter(starts_at__lt=ends_at, ends_at__gt=starts_at,
                    latitude__range=(latitude - dlat, latitude + dlat),
                    longitude__range=(longitude - dlon, longitude + dlon)))
    if exclude is not None:
        near = near.exclude(pk=exclude.pk)
    matches = []
    for row in near.values("pk", "agency_id", "latitude", "longitude", "radius_m"):
        gap = distance_m(latitude, longitude, row["latitude"], row["longitude"]) - radius_m - row["radius_m"]
        if gap <= settings.DECONFLICTION_EVENT_DISTANCE_M:
            certainty = Hit.Certainty.EXACT if gap <= 0 else Hit.Certainty.POSSIBLE
            matches.append(Match(certainty, "place and time", max(0.0, 1 - max(gap, 0) / 10_000),
                                 row["agency_id"], event_id=row["pk"]))
    return matches


def distance_m(lat1, lon1, lat2, lon2):
    """Great-circle distance (haversine), in metres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))
