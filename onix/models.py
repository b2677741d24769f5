"""ONIX imports started from the admin: the uploaded file, its progress and its report."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import FileExtensionValidator
from django.db import models
from django.urls import reverse


class ImportJob(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting for the worker"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    file = models.FileField(
        "ONIX file",
        upload_to="onix/%Y/%m/",
        validators=[FileExtensionValidator(["xml", "onx", "onix"])],
        help_text="An ONIX for Books 3.0 or 3.1 message (.xml), reference or short tags.",
    )
    file_name = models.CharField("file name", max_length=255, editable=False)
    dry_run = models.BooleanField(
        "dry run",
        default=True,
        help_text="Show what would be created, changed and refused, and save nothing. You can then import "
        "the same file for real from its report.",
    )
    status = models.CharField("status", max_length=10, choices=Status.choices, default=Status.QUEUED, editable=False)
    size = models.PositiveBigIntegerField("size in bytes", default=0, editable=False)
    bytes_read = models.PositiveBigIntegerField("bytes read", default=0, editable=False)
    products_read = models.PositiveIntegerField("products read", default=0, editable=False)
    report = models.JSONField("report", null=True, blank=True, editable=False)
    error = models.TextField("error", blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name="uploaded by",
    )
    created_at = models.DateTimeField("uploaded", auto_now_add=True)
    finished_at = models.DateTimeField("finished", null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "ONIX import"
        verbose_name_plural = "ONIX imports"

    def __str__(self) -> str:
        kind = "Dry run of" if self.dry_run else "Import of"
        return f"{kind} {self.file_name or self.file.name}"

    def get_absolute_url(self) -> str:
        return reverse("admin:onix_importjob_change", args=[self.pk])

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return min(99, self.bytes_read * 100 // self.size) if self.size else 0
