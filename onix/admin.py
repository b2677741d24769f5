"""The admin's ONIX pages: upload an import (dry run first), follow it, and export books."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponseRedirect, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.template.defaultfilters import filesizeformat
from django.urls import path, reverse
from django.utils import timezone

from catalog.models import Book
from editorial.admin import ObjectTool, register_list_action, register_object_tool
from onix.export import onix_export_chunks
from onix.models import ImportJob
from onix.reader import OnixFileError, onix_file_check
from onix.services import ImportReport
from onix.tasks import import_job_enqueue, import_job_run


class ImportJobForm(forms.ModelForm):
    class Meta:
        model = ImportJob
        fields = ["file", "dry_run"]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.BOOKSTORE_ONIX_MAX_UPLOAD_MB * 1024 * 1024
        if upload.size > limit:
            raise forms.ValidationError(
                f"This file is {filesizeformat(upload.size)}; the largest ONIX file taken here is "
                f"{filesizeformat(limit)}. Split it, or import it with `manage.py import_onix`."
            )
        try:
            onix_file_check(upload)
        except OnixFileError as error:
            raise forms.ValidationError(f"{upload.name} cannot be imported. {error}") from None
        return upload


def onix_download(books: QuerySet[Book] | None, name: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(onix_export_chunks(books), content_type="application/xml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    form = ImportJobForm
    list_display = ["__str__", "status", "progress", "created_by", "created_at"]
    list_filter = ["status", "dry_run"]
    change_form_template = "onix/admin/importjob_change_form.html"
    list_per_page = 50

    def get_fields(self, request, obj=None):
        return ["file", "dry_run"] if obj is None else []

    def has_change_permission(self, request, obj=None):
        # A job is never edited: its page shows progress and the report.
        return False

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    @admin.display(description="progress")
    def progress(self, job: ImportJob) -> str:
        return f"{job.percent} % ({job.products_read} products)"

    def save_model(self, request, obj: ImportJob, form, change) -> None:
        obj.created_by = request.user
        obj.file_name = form.cleaned_data["file"].name
        obj.size = form.cleaned_data["file"].size
        super().save_model(request, obj, form, change)

    def response_add(self, request, obj: ImportJob, post_url_continue=None):
        if obj.size <= settings.BOOKSTORE_ONIX_INLINE_BYTES:
            import_job_run(obj, report_progress=False)
        else:
            import_job_enqueue(obj)
            messages.info(request, "The file is being imported in the background; this page shows how far it got.")
        return HttpResponseRedirect(reverse("admin:onix_importjob_change", args=[obj.pk]))

    def add_view(self, request, form_url="", extra_context=None):
        context = {"max_upload_mb": settings.BOOKSTORE_ONIX_MAX_UPLOAD_MB, **(extra_context or {})}
        return super().add_view(request, form_url, context)

    def get_urls(self):
        own = [
            path("<int:pk>/import/", self.admin_site.admin_view(self.import_for_real), name="onix_importjob_import"),
            path("export/<int:pk>/", self.admin_site.admin_view(self.export_book), name="onix_export_book"),
        ]
        return own + super().get_urls()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        job = get_object_or_404(ImportJob, pk=object_id)
        report = ImportReport.from_json(job.report) if job.report else None
        context = {
            "job": job,
            "report": report,
            "running": job.status in {ImportJob.Status.QUEUED, ImportJob.Status.RUNNING},
            "can_import": job.dry_run and job.status == ImportJob.Status.DONE and self.has_add_permission(request)
            and report is not None and not report.file_error,
            **(extra_context or {}),
        }
        return super().change_view(request, object_id, form_url, context)

    def import_for_real(self, request: HttpRequest, pk: int):
        """The file of a dry run, imported for real (POST from the dry run's report)."""
        if request.method != "POST" or not self.has_add_permission(request):
            raise PermissionDenied
        dry_run = get_object_or_404(ImportJob, pk=pk, dry_run=True)
        job = ImportJob.objects.create(
            file=dry_run.file.name,
            file_name=dry_run.file_name,
            size=dry_run.size,
            dry_run=False,
            created_by=request.user,
        )
        return self.response_add(request, job)

    def export_book(self, request: HttpRequest, pk: int):
        if not request.user.has_perm("catalog.view_book"):
            raise PermissionDenied
        book = get_object_or_404(Book, pk=pk)
        return onix_download(Book.objects.filter(pk=book.pk), f"{book.slug}.xml")


@admin.action(description="Export the selected books as ONIX 3.0", permissions=["view"])
def export_onix(modeladmin, request, queryset):
    stamp = timezone.now().strftime("%Y%m%d-%H%M")
    return onix_download(Book.objects.filter(pk__in=queryset.values("pk")), f"onix-{stamp}.xml")


def _export_url(request: HttpRequest, book: Book) -> str | None:
    if not request.user.has_perm("catalog.view_book"):
        return None
    return reverse("admin:onix_export_book", args=[book.pk])


# The book list and page belong to the catalog; ONIX adds its export to them.
register_list_action(Book, export_onix)
register_object_tool(Book, ObjectTool(label="Download ONIX", url=_export_url))
