"""Every change is recorded with who, when and what; an earlier version can be restored with its inlines."""

import re

import pytest
from django.test import Client

from catalog.models import Book
from demo.data import SEED_BOOK_SLUG
from tests.admin_forms import change_form
from tests.editorial.conftest import member_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def edith(demo_catalog):
    client = Client()
    client.force_login(member_of("Catalog editors", "edith"))
    return client


def save_book(client, book, **changes):
    url = f"/admin/catalog/book/{book.pk}/change/"
    data = change_form(client, url, "book_form")
    data.update(changes)
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]


def history_text(client, book) -> str:
    content = client.get(f"/admin/catalog/book/{book.pk}/history/").content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", content))


def test_a_form_save_is_recorded_with_who_when_and_a_field_diff(edith):
    book = Book.objects.get(slug=SEED_BOOK_SLUG)
    save_book(edith, book)  # the first version: what the book was
    save_book(
        edith, book, subtitle="Soviet Workers and the New Elite", **{"toc_entries-0-title": "Workers and the State"}
    )
    text = history_text(edith, book)
    assert "edith" in text
    assert "Subtitle: Soviet Workers and the New Communist Elite → Soviet Workers and the New Elite" in text
    assert "Title: Workers and the Soviet State → Workers and the State" in text
    assert "Restore this version" in text


def test_a_bulk_action_is_recorded(edith):
    from catalog.models import Subject

    book = Book.objects.get(slug="small-machines")
    subject = Subject.objects.get(slug="travel-writing")
    edith.post("/admin/catalog/book/", {"action": "add_subject", "subject": subject.pk, "_selected_action": [book.pk]})
    text = history_text(edith, book)
    assert "Bulk action: Add the chosen subject to the selected books" in text
    assert "edith" in text
    assert "Subjects:" in text and "Travel Writing" in text


def test_restoring_an_earlier_version_brings_back_its_inlines(edith):
    from reversion.models import Version

    book = Book.objects.get(slug=SEED_BOOK_SLUG)
    save_book(edith, book)
    first = Version.objects.get_for_object(book).order_by("-pk").first()  # the book as it was
    # An edit that changes the title and removes the last table-of-contents entry.
    url = f"/admin/catalog/book/{book.pk}/change/"
    data = change_form(edith, url, "book_form")
    data.update({"title": "A Wrong Title", "toc_entries-15-DELETE": "on"})
    assert edith.post(url, data).status_code == 302
    book.refresh_from_db()
    assert book.title == "A Wrong Title" and book.toc_entries.count() == 15

    revert_url = f"/admin/catalog/book/{book.pk}/history/{first.pk}/"
    form = change_form(edith, revert_url, "book_form")
    assert form["title"] == "The Russian Revolution in Retreat, 1920–24"
    response = edith.post(revert_url, form)
    assert response.status_code == 302
    book.refresh_from_db()
    assert book.title == "The Russian Revolution in Retreat, 1920–24"
    assert book.toc_entries.count() == 16
    assert book.toc_entries.get(position=16).title == "Party Members’ Occupations"
    assert "Reverted to previous version" in history_text(edith, book)


def make_revisions(book, count: int, user) -> None:
    """`count` saved versions, each changing a text field, the publisher and the subjects."""
    import reversion

    from catalog.models import Publisher, Subject

    publishers = list(Publisher.objects.all())
    subjects = list(Subject.objects.all())
    for number in range(count):
        with reversion.create_revision():
            reversion.set_user(user)
            book.subtitle = f"Revision {number}"
            book.publisher = publishers[number % len(publishers)]
            book.save()
            book.subjects.set([subjects[number % len(subjects)]])
            for entry in book.toc_entries.all()[:2]:
                entry.title = f"{entry.title.split(' / ')[0]} / {number}"
                entry.save()


@pytest.mark.parametrize("revisions", [3, 45])
def test_the_history_page_runs_a_fixed_number_of_queries(demo_catalog, django_assert_num_queries, revisions):
    from django.contrib.auth.models import User

    admin = User.objects.create_superuser("ada", password="a long admin password")
    client = Client()
    client.force_login(admin)
    book = Book.objects.get(slug=SEED_BOOK_SLUG)
    make_revisions(book, revisions, admin)
    url = f"/admin/catalog/book/{book.pk}/history/"
    client.get(url)  # warm the session and content-type caches
    # Session, user; the book, and again through the admin's queryset with its contributors and
    # formats (Django's view); versions: count, page, the one before the page; every row of those
    # revisions; the publishers and subjects they name; Django's own log entries (a count).
    with django_assert_num_queries(13):
        response = client.get(url)
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))
    assert f"Subtitle: Revision {revisions - 2} → Revision {revisions - 1}" in text
    assert text.count("Restore this version") == min(revisions + 1, 20) - 1  # all but the current one


def test_the_history_is_paginated_oldest_last(demo_catalog):
    from django.contrib.auth.models import User

    admin = User.objects.create_superuser("ada", password="a long admin password")
    client = Client()
    client.force_login(admin)
    book = Book.objects.get(slug=SEED_BOOK_SLUG)
    make_revisions(book, 25, admin)
    url = f"/admin/catalog/book/{book.pk}/history/"
    first = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", client.get(url).content.decode()))
    assert "Page 1 of 2 (26 versions)" in first  # the demo's own first version, and 25 more
    assert "Revision 23 → Revision 24" in first and "Revision 4 → Revision 5" in first
    assert "Revision 3 → Revision 4" not in first
    second = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", client.get(url + "?page=2").content.decode()))
    # The newest on page two shows what it changed against the oldest on page one.
    assert "Revision 3 → Revision 4" in second and "Revision 0 → Revision 1" in second
    assert "Loaded from the demo catalog" in second
    assert second.count("Restore this version") == 6
    assert "Page 2 of 2" in client.get(url + "?page=99").content.decode()


def test_a_restore_overwrites_the_current_version_and_refuses_forms_opened_before_it(edith):
    from reversion.models import Version

    book = Book.objects.get(slug=SEED_BOOK_SLUG)
    save_book(edith, book)
    first = Version.objects.get_for_object(book).order_by("-pk").first()
    save_book(edith, book, title="A Wrong Title")
    book.refresh_from_db()
    current = book.version
    url = f"/admin/catalog/book/{book.pk}/change/"
    opened_before = change_form(edith, url, "book_form")

    # The restore form carries the current version, not the one stored with the old revision.
    revert_url = f"/admin/catalog/book/{book.pk}/history/{first.pk}/"
    form = change_form(edith, revert_url, "book_form")
    assert form["loaded_version"] == str(current) != str(first.field_dict["version"])
    assert edith.post(revert_url, form).status_code == 302
    book.refresh_from_db()
    assert (book.title, book.version) == ("The Russian Revolution in Retreat, 1920–24", current + 1)

    # A form opened before the restore cannot undo it.
    response = edith.post(url, {**opened_before, "page_count": "300"})
    assert response.status_code == 200
    assert "Someone else saved this book" in response.content.decode()
    book.refresh_from_db()
    assert (book.title, book.page_count) == ("The Russian Revolution in Retreat, 1920–24", 296)


@pytest.mark.parametrize("object_id", ["abc", "999999", "1%2F2"])
def test_the_history_of_a_book_that_is_not_there_is_a_message_not_an_error(edith, object_id):
    response = edith.get(f"/admin/catalog/book/{object_id}/history/", follow=True)
    assert response.status_code == 200
    assert "doesn’t exist. Perhaps it was deleted?" in response.content.decode()
