"""The background task that runs an uploaded ONIX import (`manage.py db_worker` executes it)."""

from __future__ import annotations

import logging
import time

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction
from django.tasks import task
from django.utils import timezone

from onix.models import ImportJob
from onix.services import ImportReport, onix_import

logger = logging.getLogger(__name__)
# Progress is written to the job's row at most this often (seconds).
PROGRESS_INTERVAL = 1.0


def import_job_run(job: ImportJob, *, report_progress: bool = True) -> ImportJob:
    """Run the job's import now, keeping its progress and, at the end, its report on the row.

    Progress is left out for a small file imported within the upload's own request (and
    transaction), where no one could see it.
    """
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.RUNNING)
    last = {"at": 0.0}

    progress_connection = connections.create_connection(DEFAULT_DB_ALIAS)

    def progress(bytes_read: int, report: ImportReport) -> None:
        if not report_progress or (job.dry_run and progress_connection.vendor == "sqlite"):
            return  # see _progress_write
        now = time.monotonic()
        if now - last["at"] >= PROGRESS_INTERVAL:
            last["at"] = now
            _progress_write(progress_connection, job.pk, bytes_read, report.read)

    try:
        with job.file.open("rb") as file:
            report = onix_import(file=file, dry_run=job.dry_run, file_name=job.file_name, on_progress=progress)
    except Exception as error:  # noqa: BLE001 - the editor sees that it failed; the log has the traceback
        logger.exception("ONIX import %s failed", job.pk)
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportJob.Status.FAILED, error=f"The import stopped: {error}", finished_at=timezone.now()
        )
    else:
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportJob.Status.DONE,
            report=report.as_json(),
            bytes_read=job.size,
            products_read=report.read,
            finished_at=timezone.now(),
        )
    finally:
        progress_connection.close()
    job.refresh_from_db()
    return job


def _progress_write(connection, job_id: int, bytes_read: int, products_read: int) -> None:
    """Record progress through a connection of its own, in autocommit.

    A dry run holds one transaction open on the import's connection until it rolls it back, so
    progress written there would never be seen. On SQLite a second connection cannot write while
    that transaction holds the database, and the progress waits for the end instead.
    """
    table = connection.ops.quote_name(ImportJob._meta.db_table)
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET bytes_read = %s, products_read = %s WHERE id = %s",
                [bytes_read, products_read, job_id],
            )
    except DatabaseError:
        logger.info("Progress of ONIX import %s not recorded this time", job_id, exc_info=True)


@task()
def import_job_task(job_id: int) -> None:
    job = ImportJob.objects.filter(pk=job_id).first()
    if job is None or job.status != ImportJob.Status.QUEUED:
        return  # deleted, or already run
    import_job_run(job)


def import_job_enqueue(job: ImportJob) -> None:
    """Hand the job to the worker once the row is committed."""
    transaction.on_commit(lambda: import_job_task.enqueue(job.pk))
