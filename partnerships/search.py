"""One search box over everything the reader may see: the core, which knows no program.

Each app registers its searchable kinds (`register(Searchable(...))`, in its AppConfig.ready): cases, subjects
and documents here, IBET occurrences and reports, ShipRider patrols and boardings, BEST targets, CBCF agenda
items in their apps. A kind says how to find its rows the reader may see (its own selector or visible set: the
case rule, the team rule, the forum's rule), which columns hold its text, and how to show a row. The core runs
the same search over every kind, counts (capped), pages, highlights and audits it.

**PostgreSQL.** Each kind's table carries `search_vector`, a tsvector column the database computes (a generated
column: `vector_column_sql`) from its text in English and French (`portal_en`, `portal_fr`: the stock
configurations with accents folded by `unaccent` before stemming), with a GIN index. A query word matches its
English or its French stem; every word must match. A word may also match the indexed terms most like it
(trigrams over `SearchTerm`, the distinct terms of every vector, kept by a trigger): a typo in a name, or
"précurseur" for "precursor". A row found only so is marked a close match. The kinds' queries join their matches
to the reader's grants (or team, or meetings), so the cost follows the matches, not the reader's agency.
A reference or a normalized key (a phone in E.164, a plate, an email, a folded name) is an equality lookup,
shown first.

**SQLite** (the embedded default) keeps a simple fallback: every word contained in one of the kind's columns.

Never a hint of what the reader may not see: counts, snippets, close-match marks and order are computed on the
reader's rows only; the terms the typo match goes through are never shown. Every search writes one audit
record naming what it returned (`record`).
"""

import re
import time
from dataclasses import dataclass, field
from typing import Any

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.search import SearchHeadline, SearchQueryField, SearchVectorField
from django.db import connection
from django.db.models import BigIntegerField, BooleanField, Case, F, Func, IntegerField, Q, Value, When
from django.db.models.expressions import RawSQL
from django.utils.html import escape
from django.utils.safestring import mark_safe

from partnerships import subjects
from portal.pagination import COUNT_CAP

CONFIGS = ("portal_en", "portal_fr")
QUERY_MAX_LENGTH = 200
WORDS_MAX = 8
# How like a query word an indexed term must be to match it as a close match (trigram similarity, 0-1). Every term
# that alike is used, never "the N most alike": the terms come from every agency's records, and a cap would let
# terms in records the reader may not see push a term of the reader's own records out of the search.
SIMILARITY = 0.4
TYPO_WORD_MIN_LENGTH = 4
OVERVIEW_SIZE = 5
# The overview counts each kind no further than it shows ("more than 5"): counting past the rows shown cost a common
# word most of its time (docs/benchmarks.md, issue 20). A kind's own pages count to COUNT_CAP, as the case list does.
OVERVIEW_COUNT_CAP = OVERVIEW_SIZE
PAGE_SIZE = 25
# ts_headline marks the matched words with these (private-use characters): the text is escaped, then they become
# <mark> and </mark>, so nothing but the marks is ever markup.
START, STOP = "\ue000", "\ue001"
SNIPPET_WORDS = 30
# ts_headline reads and parses the whole text it is given (about 30 ms for 20,000 characters, each language): a
# snippet is taken from the first characters of a long text; a match further on is found, not highlighted.
SNIPPET_SOURCE_MAX = 2_000
TERM = re.compile(r"^[a-z]{3,60}$")


@dataclass(frozen=True)
class Searchable:
    """A kind of record the search finds.

    `visible(user)` is the kind's own selector: the rows the user may see, each once. `columns` are the text
    columns of its table that its vector is made of (and that the SQLite fallback searches). `title` and
    `snippet` name the columns a result shows, highlighted (or a callable naming one in the reader's language;
    a title of None is `describe(row)["title"]`), `describe(row)` gives its "url" and a line "about" it, and
    `case_of(row)` the id of the joint case the result shows (its reference or title), for the audit record.
    `keys(terms)` gives conditions (Q) for the rows a reference or normalized key names exactly, the closest first
    (OR'd in one statement: each must be one the kind's indexes answer, not a subquery of its own).
    `ref(row)` names a result in the audit record (its reference, else its id)."""

    name: str
    label: Any
    model: Any
    visible: Any
    columns: tuple
    title: Any
    describe: Any
    snippet: Any = None
    keys: Any = None
    case_of: Any = None
    ref: Any = None
    order: tuple = ("-pk",)
    select_related: tuple = ()


_kinds = {}


def register(kind):
    _kinds[kind.name] = kind


def kinds():
    return list(_kinds.values())


def kind_named(name):
    return _kinds.get(name)


# --- the query ------------------------------------------------------------------------------------

@dataclass
class Terms:
    """What the reader typed, and its normalized forms."""

    text: str
    words: list
    folded: str  # accents and case folded, words only (subjects.fold_name)
    compact: str  # letters and digits only, upper case: a reference, plate, hull or VIN
    phone: str | None
    email: str
    reference: str  # the text as a reference would be written (upper case, no spaces)
    expansions: dict = field(default_factory=dict)  # word: [terms like it], PostgreSQL

    @classmethod
    def parse(cls, text):
        text = " ".join((text or "").split())[:QUERY_MAX_LENGTH]
        words = [word for word in re.split(r"[^\w@.+'-]+", text) if word.strip(".'+-")][:WORDS_MAX]
        digits = re.sub(r"\D", "", text)
        phone = subjects.phone(text) if 7 <= len(digits) <= 15 and re.fullmatch(r"[\d\s().+-]+", text) else None
        return cls(text=text, words=words, folded=subjects.fold_name(text), compact=subjects.compact(text),
                   phone=phone, email=subjects.email(text) if "@" in text else "",
                   reference=text.upper().replace(" ", ""))

    def __bool__(self):
        return bool(self.words)


def postgresql():
    return connection.vendor == "postgresql"


class TsQuery:
    """A tsquery as one SQL fragment and its parameters: every word in English or French (`exact`), each word also
    matching its close terms (`full`). One fragment rather than a tree of SearchQuery expressions: the tree was
    resolved and compiled again for each kind's each query, which cost the search page more than its SQL."""

    def __init__(self, parts):
        self.sql = " && ".join(f"({part})" for part, _ in parts)
        self.params = [param for _, params in parts for param in params]

    def expression(self):
        return RawSQL(self.sql, self.params, output_field=SearchQueryField())  # noqa: S611  # nosec B611


def _word_sql(word, close_terms=()):
    parts = [f"plainto_tsquery('{config}'::regconfig, %s)" for config in CONFIGS]
    parts += ["to_tsquery('simple'::regconfig, %s)"] * len(close_terms)
    return " || ".join(parts), [word] * len(CONFIGS) + list(close_terms)


def _tsqueries(terms):
    """(exact, full): every word in English or French; `full` also lets each word match its close terms."""
    if not terms.words:
        return None, None
    return (TsQuery([_word_sql(word) for word in terms.words]),
            TsQuery([_word_sql(word, terms.expansions.get(word, ())) for word in terms.words]))


def _expand(terms):
    """The indexed terms most like each query word (trigrams): what a typo or the other language's spelling may
    match. Read from SearchTerm, whose GIN index answers `%` from the matching terms only; every word in one
    statement."""
    folded = {}
    for word in terms.words:
        key = subjects.fold_name(word).replace(" ", "")
        if len(key) >= TYPO_WORD_MIN_LENGTH and key.isalpha():
            folded.setdefault(key, []).append(word)
    if not folded:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT word, term FROM unnest(%s::text[]) AS word, LATERAL (SELECT DISTINCT term "
            "FROM partnerships_searchterm WHERE term %% word AND similarity(term, word) >= %s) AS found ORDER BY term",
            [list(folded), SIMILARITY])
        for key, term in cursor.fetchall():
            if TERM.match(term) and term != key:
                for word in folded[key]:
                    terms.expansions.setdefault(word, []).append(term)


class _Matches(Func):
    """vector @@ query, as a condition (the query: a TsQuery's expression)."""

    arg_joiner = " @@ "
    template = "(%(expressions)s)"
    output_field = BooleanField()


def vector(kind):
    # The column is PostgreSQL's alone (a generated column the models do not declare); the name is the model's table.
    return RawSQL(f'"{kind.model._meta.db_table}"."search_vector"', (),  # noqa: S611  # nosec B611
                  output_field=SearchVectorField())


def _text_condition(kind, terms):
    """SQLite: every word contained in one of the kind's columns."""
    condition = Q()
    for word in terms.words:
        either = Q()
        for column in kind.columns:
            either |= Q(**{f"{column}__icontains": word})
        condition &= either
    return condition


# --- one kind's results ---------------------------------------------------------------------------

@dataclass
class Hit:
    kind: str
    title: str  # HTML: escaped, with <mark> around the matched words
    snippet: str  # HTML, as the title
    url: str
    about: str
    ref: str
    close_match: bool
    exact: bool
    case_id: int | None


@dataclass
class Group:
    kind: Searchable
    count: int  # up to cap + 1
    capped: bool  # more than `cap`
    page: int
    page_size: int
    hits: list
    cap: int = COUNT_CAP

    @property
    def start(self):
        return (self.page - 1) * self.page_size + 1

    @property
    def has_next(self):
        """More than shown: the overview links to the kind's own pages, which go as far as the cap."""
        shown_to = self.page * self.page_size
        return shown_to < self.count and (self.cap <= self.page_size or shown_to < self.cap)

    @property
    def has_previous(self):
        return self.page > 1

    @property
    def next_page_number(self):
        return self.page + 1

    @property
    def previous_page_number(self):
        return self.page - 1


def _keyed(kind, rows, terms, cap):
    """The rows a reference or key names exactly, in the order of the kind's conditions (the closest first), then
    newest first: one statement, the conditions OR'd and ranked."""
    conditions = (kind.keys(terms) if kind.keys else None) or []
    if not conditions:
        return []
    either = Q()
    for condition in conditions:
        either |= condition
    found = rows.filter(either)
    order = kind.order
    if len(conditions) > 1:
        rank = Case(*(When(condition, then=Value(index)) for index, condition in enumerate(conditions)),
                    default=Value(len(conditions)), output_field=IntegerField())
        found, order = found.alias(_key_rank=rank), ("_key_rank", *kind.order)
    return list(found.order_by(*order).values_list("pk", flat=True)[:cap + 1])


# Up to this many rows matching in the whole table, a kind's search starts from the matching rows (its GIN index) and
# checks each against the reader's visible set; beyond it, from the reader's rows, newest first, until enough are found.
# Reading the ids costs up to this many rows (a common word: 15 ms for 2,001 documents, whose vectors are read from
# TOAST); walking the reader's rows costs about (results wanted) x (table rows) / (matches) rows, 6,000 at most for the
# overview at a million cases: about the square root of their product balances the two.
MATCHES_FIRST_MAX = 1_000


# A one-word query whose lexeme the vectors' statistics (pg_stats.most_common_elems, from ANALYZE) put in at least this
# share of a table's rows is common there: its ids are not read first (`matching_ids`); the reader's newest rows fill
# the page at once. Only a plan's choice: the answer is the same either way.
COMMON_SHARE = 0.01
STATISTICS_MAX_AGE = 600  # seconds: the statistics change only when the tables are analyzed
_statistics = {"read_at": None, "shares": {}}


def _lexeme_shares():
    """{table: {lexeme: share of its rows}}, the most common lexemes of each search vector, read every ten minutes."""
    now = time.monotonic()
    if _statistics["read_at"] is None or now - _statistics["read_at"] > STATISTICS_MAX_AGE:
        with connection.cursor() as cursor:
            cursor.execute("SELECT tablename, most_common_elems::text::text[], most_common_elem_freqs FROM pg_stats "
                           "WHERE attname = 'search_vector' AND schemaname = current_schema() "
                           "AND most_common_elems IS NOT NULL")
            _statistics["shares"] = {table: dict(zip(lexemes, shares, strict=False))
                                     for table, lexemes, shares in cursor.fetchall()}
        _statistics["read_at"] = now
    return _statistics["shares"]


def _common_lexemes(kind):
    """The lexemes the statistics put in at least COMMON_SHARE of the kind's rows."""
    shares = _lexeme_shares().get(kind.model._meta.db_table, {})
    return sorted(lexeme for lexeme, share in shares.items() if share >= COMMON_SHARE)


COMMON = object()  # in place of a kind's matching ids: the statistics say the word is common there


def matching_ids(chosen, terms, full_query):
    """{kind name: ids of its rows matching `full_query` in the whole table, up to MATCHES_FIRST_MAX + 1, or
    COMMON}: read from each kind's GIN index, every kind in one statement. Never shown, counted or returned as they
    are: they only choose the plan of each kind's own query of the reader's rows (`_matching`).

    A one-word query whose lexeme (in English or French) the statistics call common in a kind's table
    (`_common_lexemes`) reads no ids there, COMMON instead: the reader's newest rows fill the page at once. The
    statement decides it from the lexemes the word stems to, with no round trip of its own. Words each common may
    still never meet, so a query of several words always reads the ids."""
    selects, params = [], []
    for kind in chosen:
        meta = kind.model._meta
        ids = (f'ARRAY(SELECT "{meta.pk.column}" FROM "{meta.db_table}" '  # noqa: S608  # nosec B608
               f"WHERE search_vector @@ ({full_query.sql}) LIMIT {MATCHES_FIRST_MAX + 1})")
        common = _common_lexemes(kind) if len(terms.words) == 1 else []
        if common:
            stems = ", ".join(f"to_tsvector('{config}'::regconfig, %s)" for config in CONFIGS)
            # The configurations' names and the statement above; the word and the lexemes are parameters.
            selects.append(f"CASE WHEN EXISTS (SELECT FROM unnest(ARRAY[{stems}]) AS stem "  # noqa: S608  # nosec B608
                           "WHERE length(stem) = 1 AND tsvector_to_array(stem) <@ %s::text[]) "
                           f"THEN NULL ELSE {ids} END")
            params += [terms.words[0]] * len(CONFIGS) + [common]
        else:
            selects.append(ids)
        params += full_query.params
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(selects), params)  # the models' tables; the words are parameters
        row = cursor.fetchone()
    return {kind.name: COMMON if ids is None else ids for kind, ids in zip(chosen, row, strict=True)}


class _AnyOf(Func):
    """pk = ANY(ids): one array parameter, where `pk__in` would compile and send one parameter per id."""

    template = "%(expressions)s"
    arg_joiner = " = ANY("
    output_field = BooleanField()

    def as_sql(self, compiler, connection, **extra_context):
        sql, params = super().as_sql(compiler, connection, **extra_context)
        return sql + ")", params


def _matching(kind, rows, query, ids):
    """The reader's rows that match `query`, planned so that the cost follows the matches.

    The planner cannot know how rare a word is when the vocabulary is small or skewed (it guessed 10,000 cases for
    a word in none of a million), and then walks every one of the reader's 50,000 cases to find none. So the
    matching ids are read first, from the index alone (`matching_ids`), up to MATCHES_FIRST_MAX: fewer than that,
    and the reader's rows are those ids (a few index probes each); more, and the word is common enough for the
    reader's newest rows to fill a page at once. Either way the answer is the same: only its time depends on the
    matches. None: nothing matches at all."""
    if ids is COMMON:
        return rows.filter(_Matches(vector(kind), query.expression()))
    if not ids:
        return None
    if len(ids) <= MATCHES_FIRST_MAX:
        return rows.filter(_AnyOf(F("pk"), Value(ids, output_field=ArrayField(BigIntegerField()))))
    return rows.filter(_Matches(vector(kind), query.expression()))


def run_kind(kind, *, user, terms, page=1, page_size=PAGE_SIZE, cap=None, matches=None):
    """One kind's page of results: exact keys first, then text matches, newest first; counted up to `cap` (the
    results' cap, COUNT_CAP, unless told). The count and the page are one statement: the ids of the first cap + 1
    results, newest first. `matches`: this kind's `matching_ids`, when the caller read them with other kinds'."""
    cap = COUNT_CAP if cap is None else cap
    rows = kind.visible(user)
    keyed = _keyed(kind, rows, terms, cap)
    exact_query, full_query = _tsqueries(terms) if postgresql() else (None, None)
    if full_query is not None:
        if matches is None:
            matches = matching_ids([kind], terms, full_query)[kind.name]
        text = _matching(kind, rows, full_query, matches)
    else:
        text = rows.filter(_text_condition(kind, terms))
    room = cap + 1 - len(keyed)
    text_ids = []
    if text is not None and room > 0:
        if keyed:
            text = text.exclude(pk__in=keyed)
        text_ids = list(text.order_by(*kind.order).values_list("pk", flat=True)[:room])
    ordered = keyed + text_ids
    start = (page - 1) * page_size
    shown = ordered[start:start + page_size]
    exact = set(keyed)
    hits = _hits(kind, rows, [pk for pk in shown if pk in exact], [pk for pk in shown if pk not in exact],
                 exact_query, full_query, terms)
    return Group(kind=kind, count=len(ordered), capped=len(ordered) > cap, page=page, page_size=page_size,
                 hits=hits, cap=cap)


def _hits(kind, rows, keyed_ids, text_ids, exact_query, full_query, terms):
    ids = [*keyed_ids, *text_ids]
    if not ids:
        return []
    chosen = kind.model.objects.filter(pk__in=ids)
    if kind.select_related:
        chosen = chosen.select_related(*kind.select_related)
    title_column, snippet_column = _column(kind.title), _column(kind.snippet)
    highlighted = postgresql() and full_query is not None
    if highlighted:
        options = {"start_sel": START, "stop_sel": STOP}
        chosen = chosen.annotate(_exact=_Matches(vector(kind), exact_query.expression()))
        full_query = full_query.expression()
        if title_column:
            chosen = chosen.annotate(_title_en=SearchHeadline(title_column, full_query, config=CONFIGS[0],
                                                              highlight_all=True, **options),
                                     _title_fr=SearchHeadline(title_column, full_query, config=CONFIGS[1],
                                                              highlight_all=True, **options))
        if snippet_column:
            source = Func(snippet_column, Value(SNIPPET_SOURCE_MAX), function="left")
            chosen = chosen.annotate(
                _snippet_en=SearchHeadline(source, full_query, config=CONFIGS[0], max_words=SNIPPET_WORDS,
                                           min_words=10, max_fragments=2, fragment_delimiter=" … ", **options),
                _snippet_fr=SearchHeadline(source, full_query, config=CONFIGS[1], max_words=SNIPPET_WORDS,
                                           min_words=10, max_fragments=2, fragment_delimiter=" … ", **options))
    found = {row.pk: row for row in chosen}
    hits = []
    for pk in ids:
        row = found.get(pk)
        if row is None:
            continue
        keyed = pk in keyed_ids
        about = kind.describe(row)
        if not title_column:
            title = escape(about["title"])
        elif highlighted:
            title = _marked(_best(row._title_en, row._title_fr))
        else:
            title = _highlight(str(getattr(row, title_column) or ""), terms)
        if not snippet_column:
            snippet = ""
        elif highlighted:
            snippet = _marked(_best(row._snippet_en, row._snippet_fr))
        else:
            snippet = _excerpt(str(getattr(row, snippet_column) or ""), terms)
        close = highlighted and not keyed and not row._exact
        hits.append(Hit(kind=kind.name, title=title, snippet=snippet, url=about["url"], about=about["about"],
                        ref=str(kind.ref(row) if kind.ref else row.pk), close_match=close, exact=keyed,
                        case_id=kind.case_of(row) if kind.case_of else None))
    return hits


def _column(name):
    """A kind's title or snippet column: a name, or a callable naming it in the reader's language."""
    return name() if callable(name) else name


def _best(english, french):
    """The highlight that marks something: the English one, else the French one."""
    if english and START in english:
        return english
    if french and START in french:
        return french
    return english or french or ""


def _marked(text):
    """Escape everything, then turn ts_headline's marks into <mark> elements."""
    safe = escape(text)
    return mark_safe(safe.replace(START, "<mark>").replace(STOP, "</mark>"))  # noqa: S308 (escaped just above)  # nosec B308 B703


def _highlight(text, terms):
    """SQLite: the text escaped, each query word found in it marked."""
    if not terms.words:
        return escape(text)
    pattern = re.compile("|".join(re.escape(word) for word in terms.words), re.IGNORECASE)
    parts, last = [], 0
    for match in pattern.finditer(text):
        parts += [escape(text[last:match.start()]), "<mark>", escape(match.group()), "</mark>"]
        last = match.end()
    parts.append(escape(text[last:]))
    return mark_safe("".join(parts))  # noqa: S308 (every piece of the text is escaped)  # nosec B308 B703


def _excerpt(text, terms, width=200):
    """SQLite: a window of the text around the first word found, highlighted."""
    lowered = text.lower()
    positions = [lowered.find(word.lower()) for word in terms.words if word.lower() in lowered]
    start = max(0, min(positions) - width // 3) if positions else 0
    window = text[start:start + width]
    return _highlight(("… " if start else "") + window + (" …" if start + width < len(text) else ""), terms)


# --- the whole search -----------------------------------------------------------------------------

@dataclass
class Results:
    terms: Terms
    groups: list

    @property
    def hits(self):
        return [hit for group in self.groups for hit in group.hits]

    @property
    def returned_cases(self):
        return sorted({hit.case_id for hit in self.hits if hit.case_id})


def run(*, user, text, kind=None, page=1, page_size=None):
    """Search every registered kind (or the one named) for `text`, as `user` may see it.

    The overview (every kind) shows each kind's first rows and counts up to OVERVIEW_COUNT_CAP: a common word then
    costs a few of the reader's newest matches per kind, not a count of thousands; one kind's pages count up to
    COUNT_CAP, as the case list does."""
    terms = Terms.parse(text)
    if not terms:
        return Results(terms=terms, groups=[])
    chosen = [kind_named(kind)] if kind else kinds()
    matches = {}
    if postgresql():
        _expand(terms)
        matches = matching_ids(chosen, terms, _tsqueries(terms)[1])
    size = page_size or (PAGE_SIZE if kind else OVERVIEW_SIZE)
    cap = COUNT_CAP if kind else OVERVIEW_COUNT_CAP
    return Results(terms=terms, groups=[
        run_kind(each, user=user, terms=terms, page=page, page_size=size, cap=cap, matches=matches.get(each.name))
        for each in chosen])


def record(*, user, door, results, query):
    """The search's audit record: what was asked, how many of each kind, and what was shown (the joint cases in
    `returned`, where "who saw my case" finds them; every result by kind and reference in the details)."""
    from partnerships import audit
    from partnerships.models import AuditEvent

    return audit.record(
        action=AuditEvent.Action.CASE_LIST, door=door, user=user, object_type="search", query=query,
        returned=results.returned_cases,
        counts={group.kind.name: group.count for group in results.groups},
        shown={group.kind.name: [hit.ref for hit in group.hits] for group in results.groups if group.hits})


# --- the schema (migrations) ----------------------------------------------------------------------

SETUP_SQL = [
    # Stock English and French, with accents folded before stemming: "précurseur" and "precurseur" are one term.
    *(statement for config, base in (("portal_en", "english"), ("portal_fr", "french")) for statement in (
        f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {config}",
        f"CREATE TEXT SEARCH CONFIGURATION {config} (COPY = pg_catalog.{base})",
        f"ALTER TEXT SEARCH CONFIGURATION {config} ALTER MAPPING FOR hword, hword_part, word "
        f"WITH unaccent, {base}_stem",
    )),
    # Terms are only ever inserted, never waited on: a term two transactions add at once is kept twice (the search
    # reads them DISTINCT), where a unique index would make the second wait for the first, or deadlock.
    """CREATE OR REPLACE FUNCTION partnerships_search_learn() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO partnerships_searchterm (term)
        SELECT t FROM unnest(tsvector_to_array(NEW.search_vector)) AS t
        WHERE t ~ '^[a-z]{3,60}$' AND NOT EXISTS (SELECT 1 FROM partnerships_searchterm s WHERE s.term = t);
        RETURN NULL;
    END $$""",
    "CREATE INDEX IF NOT EXISTS searchterm_term_trgm ON partnerships_searchterm USING gin (term gin_trgm_ops) "
    "WITH (fastupdate = off)",
]
SETUP_REVERSE_SQL = [
    "DROP INDEX IF EXISTS searchterm_term_trgm",
    "DROP FUNCTION IF EXISTS partnerships_search_learn() CASCADE",
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS portal_en",
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS portal_fr",
]


def vector_column_sql(table, weights, *, file_names=()):
    """The statements that give `table` its search vector: {column: weight A-D}, in English and in French; its GIN
    index; the trigger that adds its new terms to SearchTerm; and the terms of the rows already there. Columns in
    `file_names` are split at dots and underscores first ("ledger_2026.pdf" is found by "ledger"), which the
    parser would otherwise keep as one token."""
    def text(column):
        if column in file_names:
            return f"regexp_replace(coalesce({column}::text, ''), '[._]+', ' ', 'g')"
        return f"coalesce({column}::text, '')"

    parts = " || ".join(
        f"setweight(to_tsvector('{config}'::regconfig, {text(column)}), '{weight}')"
        for column, weight in weights.items() for config in CONFIGS)
    columns = ", ".join(weights)
    return [
        f"ALTER TABLE {table} ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ({parts}) STORED",
        f"CREATE INDEX {table}_search ON {table} USING gin (search_vector) WITH (fastupdate = off)",
        f"CREATE TRIGGER {table}_search_learn AFTER INSERT OR UPDATE OF {columns} ON {table} "
        "FOR EACH ROW EXECUTE FUNCTION partnerships_search_learn()",
        f"INSERT INTO partnerships_searchterm (term) SELECT DISTINCT t FROM {table}, "  # noqa: S608 (a migration's table)  # nosec B608
        "unnest(tsvector_to_array(search_vector)) AS t WHERE t ~ '^[a-z]{3,60}$' "
        "EXCEPT SELECT term FROM partnerships_searchterm",
    ]


def vector_column_reverse_sql(table):
    return [f"DROP TRIGGER IF EXISTS {table}_search_learn ON {table}",
            f"ALTER TABLE {table} DROP COLUMN IF EXISTS search_vector"]


def postgresql_only(statements):
    """A RunPython operation's function that runs `statements` on PostgreSQL and nothing on SQLite."""
    def run_statements(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)
    return run_statements
