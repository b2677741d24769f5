"""The admin's ONIX upload: a dry run first, then the real import; bad files get a clear message."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from catalog.models import Book, Format
from onix.models import ImportJob
from tests.editorial.conftest import member_of
from tests.onix.conftest import onix_message, product_xml

HARDBACK = "9780306406157"


def upload(client, data: bytes, *, dry_run: bool, name: str = "catalogue.xml"):
    fields = {"file": SimpleUploadedFile(name, data, content_type="text/xml")}
    if dry_run:
        fields["dry_run"] = "on"
    return client.post("/admin/onix/importjob/add/", fields, follow=True)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.mark.django_db
def test_a_dry_run_shows_the_report_and_the_same_file_is_then_imported_for_real(onix_editor):
    data = onix_message(product_xml(HARDBACK, title="Uploaded Tides"), product_xml("9780306406158", record="BAD-1"))
    page = upload(onix_editor, data, dry_run=True)
    text = page.content.decode()
    assert page.status_code == 200
    assert "2 products read: 1 created, 0 changed, 0 unchanged, 1 refused." in text
    assert "would be created" in text and "BAD-1" in text and "check digit is wrong" in text
    assert not Book.objects.exists()
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.DONE and job.percent == 100

    page = onix_editor.post(f"/admin/onix/importjob/{job.pk}/import/", follow=True)
    assert "1 created" in page.content.decode()
    assert Format.objects.get(isbn=HARDBACK).book.title == "Uploaded Tides"
    real = ImportJob.objects.get(dry_run=False)
    assert real.file.name == job.file.name and real.created_by.username == "edith"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"<ONIXMessage release='3.0'", "broken.xml", "cannot be imported"),
        (b"<?xml version='1.0'?><html><body/></html>", "page.xml", "its root element is &lt;html&gt;"),
        (b"<ONIXMessage xmlns='http://www.editeur.org/onix/2.1/reference'/>", "old.xml", "ONIX 2.1 file"),
        (b"", "empty.xml", "The submitted file is empty."),
        (onix_message(product_xml(HARDBACK)), "catalogue.pdf", "File extension “pdf” is not allowed"),
    ],
)
def test_a_file_that_is_not_onix_3_is_refused_on_the_form(onix_editor, data, name, message):
    page = upload(onix_editor, data, dry_run=True, name=name)
    assert page.status_code == 200
    assert message in page.content.decode()
    assert not ImportJob.objects.exists()


@pytest.mark.django_db
def test_a_file_over_the_size_limit_is_refused_naming_the_limit(onix_editor, settings):
    settings.BOOKSTORE_ONIX_MAX_UPLOAD_MB = 0
    page = upload(onix_editor, onix_message(product_xml(HARDBACK)), dry_run=False)
    assert "the largest ONIX file taken here is 0\xa0bytes" in page.content.decode()
    assert not ImportJob.objects.exists()


@pytest.mark.django_db
def test_a_large_file_is_left_to_the_worker_and_its_page_shows_progress(onix_editor, settings):
    settings.BOOKSTORE_ONIX_INLINE_BYTES = 10
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    page = upload(onix_editor, onix_message(product_xml(HARDBACK)), dry_run=False)
    text = page.content.decode()
    assert "being imported in the background" in text
    assert '<progress value="0" max="100"' in text and 'http-equiv="refresh"' in text
    assert ImportJob.objects.get().status == ImportJob.Status.QUEUED
    assert not Book.objects.exists()


@pytest.mark.django_db
def test_pricing_managers_cannot_upload(client, db):
    client.force_login(member_of("Pricing managers", "priya"))
    assert client.get("/admin/onix/importjob/add/").status_code == 403
