from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from catalog.isbn import isbn13_parse
from catalog.models import Author, Book, Contribution, Format, Publisher, Subject, TocEntry


class ISBNSearchMixin:
    """An ISBN in any form (hyphenated, ISBN-10) finds the format stored as ISBN-13."""

    isbn_lookup = "isbn"

    def get_search_results(self, request, queryset, search_term):
        isbn13 = isbn13_parse(search_term)
        if isbn13:
            return queryset.filter(**{self.isbn_lookup: isbn13}).distinct(), False
        return super().get_search_results(request, queryset, search_term)


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    list_display = ["name", "sort_name", "slug"]
    search_fields = ["name", "sort_name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Publisher)
class PublisherAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Subject)
class SubjectAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Format)
class FormatAdmin(ISBNSearchMixin, admin.ModelAdmin):
    list_display = ["__str__", "book", "binding", "publication_date"]
    list_filter = ["binding"]
    search_fields = ["isbn", "book__title"]
    list_select_related = ["book"]
    autocomplete_fields = ["book"]


class ContributionInline(admin.TabularInline):
    model = Contribution
    autocomplete_fields = ["author"]
    extra = 0


class FormatInline(admin.TabularInline):
    model = Format
    extra = 0


class TocEntryInline(admin.TabularInline):
    model = TocEntry
    extra = 0


@admin.register(Book)
class BookAdmin(ISBNSearchMixin, admin.ModelAdmin):
    list_display = ["title", "subtitle", "contributors", "isbns", "publication_date", "publisher"]
    list_filter = ["publisher", "formats__binding", "subjects"]
    date_hierarchy = "publication_date"
    search_fields = ["title", "subtitle", "contributions__author__name", "formats__isbn"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["publisher", "subjects"]
    inlines = [ContributionInline, FormatInline, TocEntryInline]
    isbn_lookup = "formats__isbn"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Book]:
        return super().get_queryset(request).with_contributors().prefetch_related("formats")

    @admin.display(description="contributors")
    def contributors(self, book: Book) -> str:
        return ", ".join(c.author.name for c in book.contributions.all())

    @admin.display(description="ISBNs")
    def isbns(self, book: Book) -> str:
        return ", ".join(f.isbn_display for f in book.formats.all())
