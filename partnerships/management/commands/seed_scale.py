"""A large synthetic data set for benchmarks (PostgreSQL): agencies, officers, cases (English and French titles
and summaries) and their shares, case subjects with their matching keys, documents with their text, and planned
operations.

COPY, not the services: nothing is notified or audited, so never run it on a real portal. Each case
is led by one agency and shared at view level with --shares other agencies, so an officer sees about
(1 + shares) / agencies of the cases.

Fast by construction (one million cases with their subjects in minutes): rows are generated while
PostgreSQL loads them (COPY streams from a generator), the loaded tables' secondary indexes and
foreign keys are dropped for the load and rebuilt once at the end (the foreign keys re-validated
then), all in one transaction, and VACUUM ANALYZE leaves the planner statistics and the visibility
map as a settled database would have them.

Subjects are people with English and French names (drawn with their real frequencies, so that
similar-name search meets realistic neighbours), aliases and dates of birth, phones, emails,
vehicles with plates and VINs, vessels and organizations. Their keys are computed by
`partnerships.subjects.keys_of`, exactly as the portal stores them.
"""

import datetime
import itertools
import random
import time
from types import SimpleNamespace

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.management.base import BaseCommand, CommandError
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Max

from deconfliction.models import NameKey, PlannedEvent
from partnerships.models import (
    Agency,
    CaseDocument,
    JointCase,
    JointCaseGroupObjectPermission,
    Officer,
    SearchTerm,
    Subject,
    SubjectKey,
)
from partnerships.subjects import keys_of

BATCH = 50_000
NOW = datetime.datetime(2026, 6, 1, tzinfo=datetime.UTC)  # fixed, so that two seeds give the same data
DAY = 86_400


class Command(BaseCommand):
    help = "Create a large synthetic data set for benchmarks (PostgreSQL only; refuses without --yes)."

    def add_arguments(self, parser):
        parser.add_argument("--cases", type=int, default=100_000)
        parser.add_argument("--agencies", type=int, default=200)
        parser.add_argument("--officers", type=int, default=2_000)
        parser.add_argument("--shares", type=int, default=9, help="partner agencies per case (view level)")
        parser.add_argument("--subjects", type=int, default=None, help="case subjects (default: one per case)")
        parser.add_argument("--events", type=int, default=0, help="planned operations along the border")
        parser.add_argument("--documents", type=int, default=0, help="case documents with their text (search)")
        parser.add_argument("--broad-share", type=float, default=0.0,
                            help="the share of the cases S0000 also sees (bench/search.py: an agency seeing 50 %%)")
        parser.add_argument("--yes", action="store_true", help="I know this writes synthetic data")

    def handle(self, *args, cases, agencies, officers, shares, subjects, events, documents, broad_share, yes,
               **options):
        if connection.vendor != "postgresql":
            raise CommandError("seed_scale needs PostgreSQL (it uses COPY).")
        if not yes:
            raise CommandError("This writes synthetic data into the database; add --yes to go ahead.")
        subjects = cases if subjects is None else subjects
        if min(cases, agencies, officers) < 1 or not 0 <= shares < agencies or min(subjects, events, documents) < 0 \
                or not 0 <= broad_share <= 1:
            raise CommandError("Give positive counts, and fewer shares than agencies.")
        random.seed(2026)
        started = time.monotonic()
        tables = [JointCase, JointCaseGroupObjectPermission, Subject, SubjectKey, PlannedEvent, NameKey, CaseDocument,
                  SearchTerm]
        with transaction.atomic():
            with connection.cursor() as cursor:
                # One transaction: nothing to wait for at each commit, and memory for the index builds.
                cursor.execute("SET LOCAL synchronous_commit = off; SET LOCAL maintenance_work_mem = '512MB'")
            groups = self._agencies(agencies)
            self._officers(officers, groups)
            dropped = _drop_indexes_and_foreign_keys(tables)
            learning = _search_learning(enabled=False)  # the index's terms are gathered once, at the end
            self._step("agencies, officers", started)
            case_ids = self._cases(cases, groups, shares, broad_share)
            self._step("cases and shares loaded", started)
            self._subjects(subjects, case_ids)
            self._step("subjects and keys loaded", started)
            self._events(events, groups, case_ids)
            self._step("planned operations loaded", started)
            self._documents(documents, groups, case_ids)
            self._step("documents loaded", started)
            _search_learning(enabled=True, tables=learning)
            self._step("search terms gathered", started)
            _restore(dropped)
            self._step("indexes built, foreign keys checked", started)
        with connection.cursor() as cursor:  # outside the transaction: VACUUM cannot run inside one
            for model in [*tables, get_user_model(), Officer]:
                cursor.execute(f"VACUUM (ANALYZE) {model._meta.db_table}")
            cursor.execute("VACUUM (ANALYZE) auth_user_groups")
        self._step("vacuumed and analyzed", started)
        self.stdout.write(f"seed_scale: {cases} cases, {agencies} agencies, {officers} officers, {subjects} subjects, "
                          f"{documents} documents, {events} planned operations in {time.monotonic() - started:.1f} s")

    def _step(self, what, started):
        self.stdout.write(f"  {time.monotonic() - started:7.1f} s  {what}")

    def _agencies(self, count):
        made = []
        for number in range(count):
            acronym = f"S{number:04d}"
            agency, _created = Agency.objects.get_or_create(acronym=acronym, defaults={
                "name_en": f"Scale agency {number}", "name_fr": f"Organisme d'essai {number}",
                "country": "CA" if number % 2 else "US", "level": "municipal"})
            made.append((agency.pk, agency.group_id))
        return made

    def _officers(self, count, agencies):
        User = get_user_model()
        start = User.objects.count()
        users = User.objects.bulk_create([User(username=f"scale{start + n}", password="!") for n in range(count)],
                                         batch_size=BATCH)
        officer_rows = []
        memberships = []
        for index, user in enumerate(users):
            agency_id, group_id = agencies[index % len(agencies)]
            officer_rows.append(Officer(user=user, agency_id=agency_id, first_name="Scale", last_name=str(index),
                                        badge_number=f"SC-{start + index}"))
            memberships.append(User.groups.through(user_id=user.pk, group_id=group_id))
        Officer.objects.bulk_create(officer_rows, batch_size=BATCH)
        User.groups.through.objects.bulk_create(memberships, batch_size=BATCH)

    def _cases(self, count, agencies, shares, broad_share=0.0):
        perms = [Permission.objects.get(codename=code, content_type__app_label="partnerships").pk
                 for code in ("view_jointcase", "contribute_jointcase", "manage_jointcase")]
        view = perms[0]
        first_id = _next_id(JointCase)
        programs, statuses = ["shiprider", "ibet", "best"], ["open", "active", "closed"]
        plan = []  # (case id, lead agency's index, program, status, created, updated), drawn once for both tables
        for offset in range(count):
            lead = random.randrange(len(agencies))
            program, status = random.choice(programs), random.choice(statuses)
            created = NOW.timestamp() - random.randrange(3 * 365 * DAY)
            updated = created + random.randrange(int(NOW.timestamp() - created) + 1)
            plan.append((first_id + offset, lead, program, status, _stamp(created), _stamp(updated)))

        def case_rows():
            for case_id, lead, program, status, created, updated in plan:
                title, summary = _case_text(case_id)
                yield (f"{case_id}\tSCALE-{case_id:09d}\t{title}\t{summary}\t{program}\t{status}\t"
                       f"{agencies[lead][0]}\tca_us\tH0\t{created[:10]}\t\\N\t\\N\t{created}\t{updated}\n")

        def grant_rows():  # each grant with its case's values, as the trigger (disabled for the load) would copy them
            others = len(agencies) - 1
            for case_id, lead, program, status, _created, updated in plan:
                copied = f"{case_id}\t{updated}\t{program}\t{status}\n"
                lead_group = agencies[lead][1]
                for perm in perms:  # the lead agency holds every level
                    yield f"{lead_group}\t{perm}\t{copied}"
                partners = [index + (index >= lead) for index in random.sample(range(others), shares)]
                if broad_share and lead != 0 and 0 not in partners and random.random() < broad_share:
                    partners.append(0)  # S0000 sees about broad_share of the cases
                for index in partners:  # any agency but the lead
                    yield f"{agencies[index][1]}\t{view}\t{copied}"

        _copy(JointCase, "id, reference, title, summary, program, status, lead_agency_id, releasability, "
                         "handling_code, opened_at, closed_at, created_by_id, created_at, updated_at", case_rows())
        grants = JointCaseGroupObjectPermission._meta.db_table
        with connection.cursor() as cursor:  # the rows carry the copy already: no per-row lookup of the case
            cursor.execute(f"ALTER TABLE {grants} DISABLE TRIGGER partnerships_grant_takes_case_values")
        _copy(JointCaseGroupObjectPermission,
              "group_id, permission_id, content_object_id, case_updated_at, case_program, case_status", grant_rows())
        with connection.cursor() as cursor:
            cursor.execute(f"ALTER TABLE {grants} ENABLE TRIGGER partnerships_grant_takes_case_values")
        _reset_sequence(JointCase)
        return first_id, first_id + count

    def _subjects(self, count, case_ids):
        if not count:
            return
        first_id = _next_id(Subject)
        names = _Names()
        keys = []  # (subject id, kind, key): the subjects' COPY fills it, the keys' COPY empties it

        def subject_rows():
            for offset in range(count):
                subject_id = first_id + offset
                subject = names.subject()
                keys.extend((subject_id, kind, key) for kind, key in keys_of(subject))
                birth = subject.date_of_birth.isoformat() if subject.date_of_birth else "\\N"
                case_id = random.randrange(*case_ids)
                yield (f"{subject_id}\t{case_id}\t{subject.kind}\t{subject.name}\t{subject.aliases}\t{birth}\t"
                       f"{subject.registration}\t{subject.jurisdiction}\t{subject.vin}\t\\N\t"
                       f"{_stamp(NOW.timestamp())}\t{_stamp(NOW.timestamp())}\n")

        _copy(Subject, "id, case_id, kind, name, aliases, date_of_birth, registration, jurisdiction, vin, "
                       "added_by_id, created_at, updated_at", subject_rows())
        _reset_sequence(Subject)
        _copy(SubjectKey, "subject_id, kind, key", (f"{s}\t{kind}\t{key}\n" for s, kind, key in keys))
        with connection.cursor() as cursor:  # the distinct names the deconfliction check searches
            # (its unique index is dropped during the load: leave out the names it holds already)
            cursor.execute("INSERT INTO deconfliction_namekey (name) SELECT key FROM partnerships_subjectkey "
                           "WHERE kind = 'name' EXCEPT SELECT name FROM deconfliction_namekey")

    def _events(self, count, agencies, case_ids):
        if not count:
            return
        kinds = PlannedEvent.Kind.values

        def event_rows():
            for number in range(count):
                starts = NOW.timestamp() + random.randrange(90 * DAY)
                ends = starts + random.randrange(3600, 72 * 3600)
                case = random.randrange(*case_ids) if random.random() < 0.5 else "\\N"
                yield (f"{random.choice(agencies)[0]}\t{case}\t{random.choice(kinds)}\tScale operation {number}\t"
                       f"{random.uniform(42, 49):.6f}\t{random.uniform(-123, -67):.6f}\t{random.randint(50, 5000)}\t"
                       f"{_stamp(starts)}\t{_stamp(ends)}\t{_stamp(NOW.timestamp())}\t{_stamp(NOW.timestamp())}\n")

        _copy(PlannedEvent, "agency_id, case_id, kind, title, latitude, longitude, radius_m, starts_at, ends_at, "
                            "created_at, updated_at", event_rows())


    def _documents(self, count, agencies, case_ids):
        """Text files already read: the search indexes their text (no file is stored; nothing downloads them)."""
        if not count:
            return
        uploader = Officer.objects.filter(agency__acronym="S0000").values_list("user_id", "agency_id").first()

        def document_rows():
            for number in range(count):
                case_id = random.randrange(*case_ids)
                text = " ".join(_sentence() for _ in range(random.randint(5, 40)))
                stamp = _stamp(NOW.timestamp())
                yield (f"{case_id}\tscale-{number}.txt\ttext/plain\t{len(text)}\t{'0' * 64}\t"
                       f"scale/{number:010d}\t{uploader[0]}\t{uploader[1]}\t{stamp}\t{text}\t{stamp}\n")

        _copy(CaseDocument, "case_id, original_name, content_type, size, sha256, stored_name, uploaded_by_id, "
                            "uploaded_by_agency_id, created_at, text, text_extracted_at", document_rows())


# --- case text for the search: English and French words, and words of known frequency ---------------

# bench/search.py searches these: a word in about 20 of a million titles, a word in none, and common words.
RARE_WORD, RARE_EVERY, ABSENT_WORD = "quillwort", 50_000, "xylograph"
ENGLISH_WORDS = ["vessel", "crossing", "smuggling", "tobacco", "firearms", "currency", "fentanyl", "precursor",
                 "river", "marina", "night", "truck", "border", "cocaine", "cannabis", "trafficking", "port", "ferry",
                 "bridge", "shipment", "cargo", "warehouse", "pills", "chemicals", "boat", "snowmobile", "trail"]
FRENCH_WORDS = ["passage", "contrebande", "tabac", "armes", "devises", "fentanyl", "précurseurs", "rivière",
                "marina", "nuit", "camion", "frontière", "cocaïne", "cannabis", "trafic", "port", "traversier",
                "pont", "cargaison", "entrepôt", "comprimés", "produits", "chimiques", "bateau", "motoneige"]
PLACES = ["Detroit River", "Akwesasne", "Lake Champlain", "Thousand Islands", "Niagara", "Blaine", "Haro Strait",
          "Sault Ste. Marie", "Stanstead", "Lacolle", "Saint-Armand", "Rivière Richelieu"]


def _case_text(case_id):
    """A title and a summary, in English (two in three) or French; one case in RARE_EVERY has the rare word."""
    words = ENGLISH_WORDS if random.random() < 0.65 else FRENCH_WORDS
    link = " near " if words is ENGLISH_WORDS else " près de "
    title = f"{random.choice(words).capitalize()} {random.choice(words)}{link}{random.choice(PLACES)}"
    if case_id % RARE_EVERY == 0:
        title += f" ({RARE_WORD})"
    return title, " ".join(random.choices(words, k=random.randint(8, 25)))


def _sentence():
    words = ENGLISH_WORDS if random.random() < 0.65 else FRENCH_WORDS
    return " ".join(random.choices(words, k=random.randint(6, 14))).capitalize() + "."


# --- realistic subjects ----------------------------------------------------------------------------

BORDER_AREA_CODES = ["206", "218", "250", "315", "360", "403", "406", "418", "450", "506", "514", "518", "519", "604",
                     "613", "705", "716", "802", "807", "819", "905", "906", "207", "204", "306", "509", "701"]
EMAIL_DOMAINS = ["gmail.com", "outlook.com", "yahoo.com", "hotmail.ca", "videotron.ca", "proton.me", "icloud.com"]
VESSEL_WORDS = (["Sea", "Lady", "Miss", "Blue", "Northern", "Wind", "Star", "Night", "Silver", "Lake", "River",
                 "Spirit", "Dream", "Runner", "Ghost", "Hawk", "Belle", "Reel", "Time", "Escape", "Loon", "Eagle"],
                ["Ghost", "Runner", "Dancer", "Lady", "Spirit", "Hawk", "Belle", "Wind", "Star", "Dream", "Time",
                 "Escape", "Queen", "Rose", "Wave", "Chaser", "II", "III", "Express", "Angel"])
ORGANIZATION_FORMS = ["{last} Trucking Ltd.", "{last} Transport inc.", "{last} & Fils", "{last} Holdings LLC",
                      "{last} Marine", "{last} Freight Corp.", "Import-Export {last}", "{last} Logistics"]
MAKES = ["Ford F-150", "Chevrolet Silverado", "Ram 1500", "Toyota Camry", "Honda Civic", "Freightliner Cascadia",
         "Dodge Grand Caravan", "Nissan Rogue", "Jeep Cherokee", "Kenworth T680"]
VIN_LETTERS = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"
LETTERS = "ABCDEFGHJKLMNPRSTUVWXYZ"
SUBJECT_KINDS = [("person", 55), ("vehicle", 15), ("phone", 12), ("email", 8), ("vessel", 5), ("organization", 5)]


class _Names:
    """Draws subjects. English names with the US census frequencies (Faker's lists), French names by rank."""

    def __init__(self):
        try:
            from faker.providers.person.en_US import Provider as English
            from faker.providers.person.fr_CA import Provider as Quebec
            from faker.providers.person.fr_FR import Provider as French
        except ImportError as missing:  # a dev dependency (it comes with factory-boy)
            raise CommandError("seed_scale draws names from Faker: install the dev dependencies.") from missing
        english_first = {**English.first_names_male, **English.first_names_female}
        self.english = (list(english_first), _cumulative(english_first.values()),
                        list(English.last_names), _cumulative(English.last_names.values()))
        french_first = list(dict.fromkeys([*Quebec.first_names, *French.first_names]))
        french_last = list(dict.fromkeys([*Quebec.last_names, *French.last_names]))
        self.french = (french_first, _cumulative(_by_rank(french_first)),
                       french_last, _cumulative(_by_rank(french_last)))
        self.kinds = [kind for kind, _share in SUBJECT_KINDS]
        self.shares = _cumulative(share for _kind, share in SUBJECT_KINDS)

    def person_name(self):
        firsts, first_weights, lasts, last_weights = self.english if random.random() < 0.65 else self.french
        first = random.choices(firsts, cum_weights=first_weights)[0]
        last = random.choices(lasts, cum_weights=last_weights)[0]
        draw = random.random()
        if draw < 0.08:  # a compound first name, the French way
            first = f"{first}-{random.choices(firsts, cum_weights=first_weights)[0]}"
        elif draw < 0.15:
            first = f"{first} {random.choice(LETTERS)}."
        return first, last

    def subject(self):
        kind = random.choices(self.kinds, cum_weights=self.shares)[0]
        subject = SimpleNamespace(kind=kind, name="", aliases="", date_of_birth=None, registration="",
                                  jurisdiction="", vin="")
        if kind == "person":
            first, last = self.person_name()
            subject.name = f"{first} {last}" if random.random() < 0.9 else f"{first} {last}".upper()
            if random.random() < 0.15:
                subject.aliases = random.choice([f"{first[0]}. {last}", f"{first} {self.person_name()[1]}",
                                                 f"{self.person_name()[0]} {last}"])
            if random.random() < 0.7:
                subject.date_of_birth = datetime.date(1950, 1, 1) + datetime.timedelta(days=random.randrange(20_000))
        elif kind == "phone":
            area, exchange, line = random.choice(BORDER_AREA_CODES), random.randint(200, 999), random.randrange(10_000)
            subject.name = random.choice(["+1 {a}-{e}-{n:04d}", "({a}) {e}-{n:04d}", "{a}.{e}.{n:04d}",
                                          "1{a}{e}{n:04d}"]).format(a=area, e=exchange, n=line)
        elif kind == "email":
            first, last = self.person_name()
            local = f"{first}.{last}".replace(" ", "").replace("-", "")
            local = local.encode("ascii", "ignore").decode().lower()
            subject.name = f"{local}{random.randrange(100) if random.random() < 0.5 else ''}@" \
                           f"{random.choice(EMAIL_DOMAINS)}"
        elif kind == "vehicle":
            subject.name = f"{random.randint(2005, 2026)} {random.choice(MAKES)}"
            subject.jurisdiction, subject.registration = random.choice(PLATES)()
            if random.random() < 0.4:
                subject.vin = "".join(random.choices(VIN_LETTERS, k=17))
        elif kind == "vessel":
            subject.name = f"{random.choice(VESSEL_WORDS[0])} {random.choice(VESSEL_WORDS[1])}"
            subject.jurisdiction, subject.registration = random.choice([
                ("CA", f"{random.randint(10, 99)}E{random.randrange(100_000):05d}"),
                ("US-MI", f"MI {random.randint(1000, 9999)} {_letters(2)}"),
                ("US-NY", f"NY {random.randint(1000, 9999)} {_letters(2)}"),
                ("US", f"{random.randint(500_000, 1_300_000)}"),
            ])
        else:
            subject.name = random.choice(ORGANIZATION_FORMS).format(last=self.person_name()[1])
        return subject


def _letters(count):
    return "".join(random.choices(LETTERS, k=count))


def _digits(count):
    return "".join(random.choices("0123456789", k=count))


PLATES = [
    lambda: ("CA-ON", f"{_letters(4)} {_digits(3)}"),
    lambda: ("CA-QC", f"{_letters(1)}{_digits(2)} {_letters(3)}"),
    lambda: ("CA-BC", f"{_letters(2)}{_digits(1)} {_digits(2)}{_letters(1)}"),
    lambda: ("US-NY", f"{_letters(3)}-{_digits(4)}"),
    lambda: ("US-MI", f"{_letters(3)} {_digits(4)}"),
    lambda: ("US-WA", f"{_letters(3)}{_digits(4)}"),
    lambda: ("US-VT", f"{_letters(3)} {_digits(3)}"),
]


def _cumulative(weights):
    """random.choices adds the weights up at every call: do it once (cum_weights)."""
    return list(itertools.accumulate(weights))


def _by_rank(names):
    """Weights for a list ordered from the most common name: a Zipf-like fall-off."""
    return [1 / (rank + 10) for rank in range(len(names))]


# --- loading fast --------------------------------------------------------------------------------

class _Stream:
    """A file for COPY that draws its lines from a generator as PostgreSQL reads them: while the server
    parses and stores one chunk, Python makes the next (two processes, two cores)."""

    def __init__(self, lines):
        self.lines, self.rest = lines, ""

    def read(self, size=-1):
        parts, length = [self.rest], len(self.rest)
        for line in self.lines:
            parts.append(line)
            length += len(line)
            if 0 <= size <= length:
                break
        text = "".join(parts)
        if size < 0:
            self.rest = ""
            return text
        self.rest = text[size:]
        return text[:size]


def _copy(model, columns, lines):
    with connection.cursor() as cursor:
        cursor.copy_expert(f"COPY {model._meta.db_table} ({columns}) FROM STDIN", _Stream(lines), 1 << 20)


def _next_id(model):
    return (model.objects.aggregate(last=Max("id"))["last"] or 0) + 1


def _reset_sequence(model):
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), [model]):  # past the copied ids
            cursor.execute(statement)


def _stamp(epoch):
    return datetime.datetime.fromtimestamp(epoch, datetime.UTC).strftime("%Y-%m-%d %H:%M:%S+00")


def _drop_indexes_and_foreign_keys(models):
    """Drop every index but the primary key, and every foreign key, of these tables; return how to remake them.

    Primary keys stay (other tables' foreign keys hang on them; ids are loaded in order, so they are cheap)."""
    remake = []
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # check the rows written so far: no pending checks
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        for model in models:
            table = model._meta.db_table
            cursor.execute(
                "SELECT c.conname, pg_get_constraintdef(c.oid) FROM pg_constraint c "
                "WHERE c.conrelid = %s::regclass AND c.contype IN ('f', 'u') ORDER BY c.contype DESC, c.conname",
                [table])
            constraints = cursor.fetchall()
            cursor.execute(
                "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
                "WHERE i.indrelid = %s::regclass AND NOT i.indisprimary "
                "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)", [table])
            indexes = cursor.fetchall()
            for name, definition in constraints:
                cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
                remake.append(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
            for name, definition in indexes:
                cursor.execute(f"DROP INDEX {name}")
                remake.insert(0, definition)  # indexes first: the foreign keys' checks may use them
    return remake


SEARCHED = [JointCase, Subject, CaseDocument]


def _search_learning(*, enabled, tables=SEARCHED):
    """Turn the triggers that add each new row's terms to SearchTerm off for the load, and back on after: then the
    terms of every loaded row, gathered in one statement per table (partnerships/search.py)."""
    with connection.cursor() as cursor:
        for model in tables:
            table = model._meta.db_table
            cursor.execute(f"ALTER TABLE {table} {'ENABLE' if enabled else 'DISABLE'} TRIGGER {table}_search_learn")
            if enabled:
                cursor.execute(f"INSERT INTO partnerships_searchterm (term) SELECT DISTINCT t FROM {table}, "  # noqa: S608  # nosec B608
                               "unnest(tsvector_to_array(search_vector)) AS t WHERE t ~ '^[a-z]{3,60}$' "
                               "EXCEPT SELECT term FROM partnerships_searchterm")
    return tables


def _restore(statements):
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
