"""A pager for long lists that counts only so far.

Counting every row for "page 3 of 2,000" costs a probe per visible row: 64 ms for an officer who sees
50,000 of a million cases (docs/benchmarks.md), far more than the page itself. Past COUNT_CAP rows the
count stops: the page says "more than 1,000" and the pages go as far as the cap; the filters narrow
the list for anything further.
"""

from functools import cached_property

from django.core.paginator import Paginator

COUNT_CAP = 1_000


class CappedPaginator(Paginator):
    cap = COUNT_CAP

    @cached_property
    def count(self):
        """The number of rows, or cap + 1 when there are more. Unordered: the cheapest plan counts."""
        return self.object_list.order_by()[: self.cap + 1].count()

    @property
    def is_capped(self):
        return self.count > self.cap
