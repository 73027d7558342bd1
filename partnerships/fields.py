"""A set of case ids held in one column: what an audit record says a list, search or export returned.

PostgreSQL stores it as `bigint[]` (a GIN index answers "which records returned case 42" with `@>`); other
databases as a JSON list (`json_each` answers the same question, without an index). Always sorted, without
repeats, so that the record's hash does not depend on the order a page listed its cases in.
"""

import json

from django.db import models


class CaseIdSetField(models.Field):
    description = "A sorted set of case ids"

    def db_type(self, connection):
        return "bigint[]" if connection.vendor == "postgresql" else "text"

    def get_prep_value(self, value):
        return sorted({int(case_id) for case_id in (value or ())})

    def get_db_prep_value(self, value, connection, prepared=False):
        value = value if prepared else self.get_prep_value(value)
        return value if connection.vendor == "postgresql" else json.dumps(value)

    def from_db_value(self, value, expression, connection):
        if value is None:
            return []
        return json.loads(value) if isinstance(value, str) else list(value)

    def to_python(self, value):
        if isinstance(value, str):
            value = json.loads(value)
        return self.get_prep_value(value)


@CaseIdSetField.register_lookup
class HasCase(models.Lookup):
    """`returned__has_case=<case id>`: the set holds that case."""

    lookup_name = "has_case"

    def get_prep_lookup(self):
        return int(self.rhs)

    def get_db_prep_lookup(self, value, connection):
        return "%s", [value]

    def as_postgresql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} @> ARRAY[{rhs}]::bigint[]", [*lhs_params, *rhs_params]

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return (f"EXISTS (SELECT 1 FROM json_each({lhs}) WHERE json_each.value = {rhs})",  # noqa: S608  # nosec B608
                [*lhs_params, *rhs_params])  # compiled column and placeholder, not input
