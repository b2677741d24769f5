"""The conditional write itself: a save of a stale version writes nothing, on every database."""

import pytest
from django.core import serializers
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from catalog.models import Book
from editorial.models import StaleEdit
from tests.factories import BookFactory

pytestmark = pytest.mark.django_db


def test_a_save_moves_the_version_on_in_the_one_update_it_runs():
    book = BookFactory()
    assert book.version == 1
    book.title = "Renamed"
    with CaptureQueriesContext(connection) as queries:
        book.save()
    assert len(queries) == 1
    sql = queries[0]["sql"]
    assert sql.startswith("UPDATE") and '"version" = 1' in sql.split("WHERE")[1]
    assert book.version == 2
    assert Book.objects.values_list("title", "version").get(pk=book.pk) == ("Renamed", 2)


def test_a_stale_instance_updates_no_row_and_raises():
    book = BookFactory(title="Original")
    mine, theirs = Book.objects.get(pk=book.pk), Book.objects.get(pk=book.pk)
    theirs.title = "Theirs"
    theirs.save()

    updates = []

    def count_updated_rows(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if sql.startswith("UPDATE"):
            updates.append(context["cursor"].rowcount)
        return result

    mine.title = "Mine"
    # Like an IntegrityError, the refusal spoils the transaction around it: catch it outside one.
    with connection.execute_wrapper(count_updated_rows), pytest.raises(StaleEdit) as refused, transaction.atomic():
        mine.save()
    assert updates == [0]
    assert refused.value.instance is mine and refused.value.loaded_version == 1
    assert mine.version == 1  # unchanged, so a retry stays refused
    assert Book.objects.values_list("title", "version").get(pk=book.pk) == ("Theirs", 2)
    with pytest.raises(StaleEdit), transaction.atomic():
        mine.save()


def test_saving_named_fields_moves_the_version_on_without_refusing():
    """What the bulk actions do: mark the book changed even if it was loaded a moment too early."""
    book = BookFactory()
    stale = Book.objects.get(pk=book.pk)
    Book.objects.get(pk=book.pk).save()  # version 2
    with CaptureQueriesContext(connection) as queries:
        stale.save(update_fields=["updated_at"])
    assert len(queries) == 1
    assert stale.version == 3
    assert Book.objects.get(pk=book.pk).version == 3


def test_a_raw_save_never_puts_back_an_older_version():
    """Restoring a revision (or loaddata) writes stored fields, but not the stored version number."""
    book = BookFactory(title="First")
    stored = serializers.serialize("json", [book])
    book.title = "Second"
    book.save()
    book.save()  # version 3
    for restored in serializers.deserialize("json", stored):
        restored.save()
        assert restored.object.version == 3
    assert Book.objects.values_list("title", "version").get(pk=book.pk) == ("First", 3)


def test_a_new_object_starts_at_version_one():
    assert BookFactory().version == 1


def test_an_editorial_admin_for_a_model_without_a_version_fails_the_system_checks():
    from django.contrib import admin

    from catalog.models import Contribution
    from editorial.admin import EditorialAdmin

    errors = EditorialAdmin(Contribution, admin.site).check()
    assert [error.id for error in errors] == ["editorial.E001"]
    assert "catalog.Contribution, which is not editorial.models.Versioned" in errors[0].msg
