"""schemathesis over the whole OpenAPI schema, in-process, with every check of `--checks all` but positive data
acceptance, as two agencies' officers (RCMP and CBP) with their tokens: no server error, no response that breaks the
schema, nothing outside the schema accepted, and every operation refusing a caller without credentials.

Bounded for `make test` (one item per operation, which pytest-xdist spreads over its workers): the examples and
coverage phases run in full and the fuzzing phase stops at MAX_EXAMPLES per operation; the generated requests of an
operation take the two agencies' tokens in turns, so that each operation is tried as both; and ignored_auth, which
sends the request again without credentials, runs on an operation's first request only (the refusal does not depend
on the body: `test_every_operation_of_the_schema_requires_credentials` checks every operation's schema too)."""


from collections import Counter

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, settings
from schemathesis import checks
from schemathesis.checks import CHECKS, load_all_checks

from partnerships import services
from partnerships.api.base import TokenRateThrottle
from partnerships.tests.factories import Cast
from portal.wsgi import application

schema = schemathesis.openapi.from_dict(SchemaGenerator().get_schema(request=None, public=True))
schema.app = application
MAX_EXAMPLES = 10

load_all_checks()
# positive_data_acceptance is left out: agency acronyms, references and ids are data, not schema enums, so a
# well-formed but unknown one rightly answers 400 or 404. ignored_auth sends each request again without the token
# and requires a 401; negative_data_rejection requires a 4xx for anything outside the schema.
ALL_CHECKS = [check for check in CHECKS.get_all() if check is not checks.positive_data_acceptance]
CHECKS_BUT_IGNORED_AUTH = [check for check in ALL_CHECKS if check is not checks.ignored_auth]
REQUESTS_SO_FAR = Counter()  # operation label -> generated requests sent


@pytest.fixture
def api_keys(db, monkeypatch, settings):
    # The app is called straight through WSGI: keep the test's database connection open between
    # requests, as Django's own test client does.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    # No rate limits (they have tests of their own): a limit raised out of reach still kept the history of every
    # request in the last minute, read and written again at each request: 6 % of this test's time, profiled.
    monkeypatch.setattr(TokenRateThrottle, "allow_request", lambda self, request, view: True)
    settings.RATE_LIMIT_SEARCH = settings.RATE_LIMIT_EXPORT = settings.API_BAD_TOKEN_RATE = "1000000/m"
    settings.DECONFLICTION_CHECKS_PER_HOUR = 1_000_000
    cast = Cast.create()
    keys = [services.api_token_issue(user=user, read_only=False)[1] for user in (cast.alice, cast.bob)]
    yield keys
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.filter_too_much])
def test_the_api_keeps_its_contract(case, api_keys):
    sent = REQUESTS_SO_FAR[case.operation.label]
    REQUESTS_SO_FAR[case.operation.label] += 1
    case.call_and_validate(headers={"Authorization": f"Token {api_keys[sent % len(api_keys)]}"},
                           checks=ALL_CHECKS if sent == 0 else CHECKS_BUT_IGNORED_AUTH)


def test_every_check_but_positive_data_acceptance_runs():
    names = {check.__name__ for check in ALL_CHECKS}
    assert "positive_data_acceptance" not in names
    assert {"not_a_server_error", "status_code_conformance", "content_type_conformance",
            "response_headers_conformance", "response_schema_conformance", "negative_data_rejection",
            "missing_required_header", "unsupported_method", "ignored_auth"} <= names


def test_every_operation_of_the_schema_requires_credentials():
    raw = SchemaGenerator().get_schema(request=None, public=True)
    operations = [(path, method, op) for path, item in raw["paths"].items() for method, op in item.items()]
    assert len(operations) >= 9
    for path, method, operation in operations:
        security = operation.get("security", raw.get("security"))
        assert security and {} not in security, (method, path)
