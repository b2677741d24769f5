"""Uploaded imports run as tasks of Django's tasks framework; the database worker picks them up."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.test import override_settings

from catalog.models import Format
from onix.models import ImportJob
from onix.tasks import import_job_enqueue
from tests.onix.conftest import onix_message, product_xml

HARDBACK = "9780306406157"


@pytest.mark.django_db(transaction=True)
def test_a_queued_import_is_run_by_the_database_worker(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}):
        data = onix_message(product_xml(HARDBACK, title="Worked On"))
        job = ImportJob(file_name="queued.xml", size=len(data), dry_run=False)
        job.file.save("queued.xml", ContentFile(data))
        import_job_enqueue(job)  # committed at once: this test runs in autocommit
        assert ImportJob.objects.get().status == ImportJob.Status.QUEUED
        call_command("db_worker", batch=True, startup_delay=False, reload=False, interval=0, verbosity=0)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    assert job.report["counts"]["created"] == 1
    assert Format.objects.get(isbn=HARDBACK).book.title == "Worked On"
