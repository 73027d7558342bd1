"""`__in` on whole-number columns, with values no column can hold left out.

Django already answers "nothing matches" for `=`, `<` and `>` with a number beyond the column's range; `__in` sends
it to the database, where SQLite cannot even bind it (OverflowError above 2**63): a form's multiple choice
(`pk__in`) posted with 99999999999999999999 failed. Registered on IntegerField (and so every integer and id
column) by portal/apps.py.
"""

from django.db.models.lookups import In


class InWithinRange(In):
    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value():
            try:
                low, high = connection.ops.integer_field_range(self.lhs.output_field.get_internal_type())
            except KeyError:  # not a plain integer column
                low = high = None
            self.rhs = [value for value in self.rhs if not isinstance(value, int) or (
                (low is None or value >= low) and (high is None or value <= high))]
        return super().process_rhs(compiler, connection)
