"""Admin lists count exactly up to a limit and estimate above it, without a COUNT over the table."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog.models import Subject
from editorial.paginator import EstimatedCountPaginator

pytestmark = pytest.mark.django_db


class SmallLimitPaginator(EstimatedCountPaginator):
    exact_count_limit = 5


@pytest.fixture
def subjects():
    Subject.objects.bulk_create(Subject(name=f"Subject {n:02d}", slug=f"subject-{n:02d}") for n in range(12))
    return Subject.objects.order_by("name")


def counts_are_bounded(queries) -> bool:
    counts = [query["sql"] for query in queries if "COUNT(" in query["sql"].upper()]
    return bool(counts) and all("LIMIT" in sql.upper() for sql in counts)


def test_a_short_list_is_counted_exactly(subjects):
    paginator = SmallLimitPaginator(subjects.filter(name__lt="Subject 04"), 2)
    with CaptureQueriesContext(connection) as queries:
        assert paginator.count == 4
    assert not paginator.count_is_estimate and not paginator.count_is_lower_bound
    assert paginator.num_pages == 2
    assert counts_are_bounded(queries.captured_queries)


def test_a_long_list_is_estimated_and_offers_only_pages_within_the_limit(subjects):
    paginator = SmallLimitPaginator(subjects, 2)
    with CaptureQueriesContext(connection) as queries:
        count = paginator.count
    assert paginator.count_is_estimate
    assert counts_are_bounded(queries.captured_queries)
    if connection.vendor == "postgresql":
        # The planner's estimate (EXPLAIN reads no rows), never below what was counted.
        assert not paginator.count_is_lower_bound and count >= 6
        assert any(query["sql"].startswith("EXPLAIN") for query in queries.captured_queries)
    else:
        assert paginator.count_is_lower_bound and count == 6  # known only to be more than 5
    assert paginator.num_pages == 3  # 5 rows counted, 2 a page
    assert [subject.name for subject in paginator.page(3)] == ["Subject 04", "Subject 05"]


def test_a_count_reads_only_primary_keys(subjects):
    annotated = subjects.annotate(expensive=Subject.objects.filter(pk=1).values("pk")[:1])
    with CaptureQueriesContext(connection) as queries:
        SmallLimitPaginator(annotated, 2).count  # noqa: B018
    count_sql = next(query["sql"] for query in queries.captured_queries if "COUNT(" in query["sql"].upper())
    assert "expensive" not in count_sql and "ORDER BY" not in count_sql.upper()
