"""Admin lists of any size: count exactly what is cheap to count, estimate the rest.

Django's admin counts every list it shows (`COUNT(*)` over the filtered rows, and once more over
the whole table). Over a million books each count reads the whole table or index, for a number
no editor needs to the unit. `EstimatedCountPaginator` counts at most `EXACT_COUNT_LIMIT + 1`
rows (a `COUNT(*)` over a `LIMIT`ed subquery, which stops early); a list that has more is shown
as an estimate: PostgreSQL's planner's row estimate for the same query (`EXPLAIN`, which reads
no rows), rounded to two significant figures, or on other databases “more than 10,000”. Pages
are offered only within the counted rows, so no page asks the database to skip more than
`EXACT_COUNT_LIMIT` rows; past those, an editor narrows the list by searching or filtering.
"""

from __future__ import annotations

import json
import math
from functools import cached_property

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db import connections
from django.db.models import QuerySet

EXACT_COUNT_LIMIT = 10_000


def _two_significant_figures(number: int) -> int:
    digits = len(str(number))
    return round(number, -(digits - 2)) if digits > 2 else number


class EstimatedCountPaginator(Paginator):
    """A paginator for admin lists whose count is exact up to `exact_count_limit`, estimated above.

    After `count` is read, `count_is_estimate` says whether it is an estimate and
    `count_is_lower_bound` whether it is only known to exceed `exact_count_limit` (no estimate
    available on this database; `count` is then that limit plus one).
    """

    exact_count_limit = EXACT_COUNT_LIMIT

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.count_is_estimate = False
        self.count_is_lower_bound = False

    @cached_property
    def count(self) -> int:
        if not isinstance(self.object_list, QuerySet):
            return super().count
        unordered = self.object_list.order_by()
        # Sliced, Django counts over a subquery with that LIMIT: at most limit + 1 rows are read.
        # Only the primary key is selected, so no annotation is computed for the rows counted.
        bounded = unordered.values("pk")[: self.exact_count_limit + 1].count()
        if bounded <= self.exact_count_limit:
            return bounded
        self.count_is_estimate = True
        estimate = self._planner_estimate(unordered)
        if estimate is None:
            self.count_is_lower_bound = True  # shown as “more than <exact_count_limit>”
            return bounded
        return max(_two_significant_figures(estimate), self.exact_count_limit + 1)

    @staticmethod
    def _planner_estimate(queryset: QuerySet) -> int | None:
        if connections[queryset.db].vendor != "postgresql":
            return None
        plan = json.loads(queryset.explain(format="json"))
        return int(plan[0]["Plan"]["Plan Rows"])

    @cached_property
    def num_pages(self) -> int:
        pages = super().num_pages
        if self.count_is_estimate:
            # Only pages within the rows counted, which certainly exist and are cheap to reach.
            return min(pages, math.ceil(self.exact_count_limit / self.per_page))
        return pages


class LookaheadPage(Page):
    """A page that knows whether another follows, without knowing how many there are."""

    def __init__(self, object_list, number: int, paginator: Paginator, *, more: bool):
        super().__init__(object_list, number, paginator)
        self.more = more

    def has_next(self) -> bool:
        return self.more


class LookaheadPaginator(Paginator):
    """Pages for the admin's autocompletes, which only say whether more results follow.

    Fetches one row more than a page instead of counting the matches: the autocomplete's search
    runs once, not twice (a count, then the page), so a term with thousands of matches among a
    third of a million authors costs one index search. Page numbers past the end are empty.
    """

    def validate_number(self, number) -> int:
        try:
            number = int(number)
        except (TypeError, ValueError) as error:
            raise PageNotAnInteger("That page number is not an integer") from error
        if number < 1:
            raise EmptyPage("That page number is less than 1")
        return number

    def page(self, number) -> LookaheadPage:
        number = self.validate_number(number)
        start = (number - 1) * self.per_page
        rows = list(self.object_list[start : start + self.per_page + 1])
        return LookaheadPage(rows[: self.per_page], number, self, more=len(rows) > self.per_page)
