"""Two saves of the same loaded version, truly at once: exactly one wins, the other is refused.

These need a database that lets two connections write at once and makes the second UPDATE of a
row wait for the first: PostgreSQL. CI runs the suite on it too.
"""

import threading
import time

import pytest
from django.contrib.auth.models import User
from django.db import connection, transaction
from django.test import Client

from catalog.models import Book
from editorial.forms import ConcurrentEditForm
from editorial.models import StaleEdit
from tests.admin_forms import change_form
from tests.factories import BookFactory, TocEntryFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite locks the whole database for one writer at a time, so two saves cannot run "
        "at once; this runs on PostgreSQL (CI runs the suite on both)",
    ),
]


def run_at_once(*jobs):
    """Run each job in its own thread with its own database connection; return what each returned or raised."""
    outcomes = [None] * len(jobs)

    def run(index, job):
        try:
            outcomes[index] = job()
        except Exception as error:  # noqa: BLE001 (reported by the test)
            outcomes[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index, job)) for index, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    return outcomes


def test_two_model_saves_of_one_version_at_once_one_wins():
    book = BookFactory(subtitle="Before")
    for round_number in range(1, 4):  # a few rounds: either thread may win each
        barrier = threading.Barrier(2, timeout=20)

        def save(subtitle, barrier=barrier):  # this round's barrier
            def job():
                mine = Book.objects.get(pk=book.pk)  # both load the same version
                mine.subtitle = subtitle
                barrier.wait()
                with transaction.atomic():
                    mine.save()
                    time.sleep(0.2)  # keep the row locked while the other UPDATE runs and waits
                return "saved"

            return job

        outcomes = run_at_once(save("Left"), save("Right"))

        assert outcomes.count("saved") == 1, outcomes
        assert sum(isinstance(outcome, StaleEdit) for outcome in outcomes) == 1, outcomes
        winner = ["Left", "Right"][outcomes.index("saved")]
        saved = Book.objects.get(pk=book.pk)
        assert (saved.subtitle, saved.version) == (winner, round_number + 1)


def test_two_admin_saves_of_one_version_at_once_one_wins(monkeypatch):
    """Both pass the form's check before either writes; the conditional write refuses the second."""
    book = BookFactory(subtitle="Before")
    TocEntryFactory(book=book, position=1, title="Chapter One")
    url = f"/admin/catalog/book/{book.pk}/change/"
    clients, forms = {}, {}
    for name in ("edith", "otto"):
        clients[name] = Client()
        clients[name].force_login(User.objects.create_superuser(name, f"{name}@example.com", "a long password"))
        forms[name] = change_form(clients[name], url, "book_form")
        forms[name].update({"subtitle": f"{name}’s subtitle", "toc_entries-0-title": f"{name}’s chapter"})

    barrier = threading.Barrier(2, timeout=20)
    waited = threading.local()
    checked = ConcurrentEditForm.clean
    checks = []

    def clean_then_wait_for_the_other(form):
        checks.append(form.instance.version)
        try:
            return checked(form)
        finally:
            if not getattr(waited, "once", False):  # only the first time: not when the form is shown again
                waited.once = True
                barrier.wait()

    monkeypatch.setattr(ConcurrentEditForm, "clean", clean_then_wait_for_the_other)

    def post(name):
        return lambda: clients[name].post(url, forms[name])

    edith, otto = run_at_once(post("edith"), post("otto"))

    assert sorted([edith.status_code, otto.status_code]) == [200, 302], (edith, otto)
    # Both passed the check at version 1; the loser's write was refused and its form shown again.
    assert sorted(checks) == [1, 1, 2]
    winner, loser = ("edith", otto) if edith.status_code == 302 else ("otto", edith)
    refusal = loser.content.decode()
    assert "Someone else saved this book" in refusal
    assert f"Changed meanwhile by {winner}" in refusal
    saved = Book.objects.get(pk=book.pk)
    assert (saved.subtitle, saved.version) == (f"{winner}’s subtitle", 2)
    # Nothing of the loser's was half-saved: its inline change went with its book change.
    assert list(saved.toc_entries.values_list("title", flat=True)) == [f"{winner}’s chapter"]
