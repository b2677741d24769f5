"""The editors' admin for the catalog."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.helpers import ActionForm
from django.contrib.admin.widgets import AutocompleteSelect
from django.db import connections
from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, Upper
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from catalog.isbn import isbn13_parse
from catalog.models import (
    Author,
    Book,
    Contribution,
    Format,
    Publisher,
    RelatedTitle,
    ReviewQuote,
    SalesRights,
    Series,
    Subject,
    TocEntry,
)
from catalog.search import book_search_index_affected, fold, search_terms
from catalog.services import book_replace_toc
from catalog.toc import toc_parse
from editorial.admin import EditorialAdmin
from editorial.filters import AutocompleteListFilter
from editorial.forms import ConcurrentEditForm


class ISBNSearchMixin:
    """An ISBN in any form (hyphenated, ISBN-10) finds the format stored as ISBN-13."""

    isbn_lookup = "isbn"

    def get_search_results(self, request, queryset, search_term):
        isbn13 = isbn13_parse(search_term)
        if isbn13:
            return queryset.filter(**{self.isbn_lookup: isbn13}).distinct(), False
        return super().get_search_results(request, queryset, search_term)


class SearchIndexedAdmin:
    """Keeps the search index current for whatever an editor saves or deletes here.

    The one place the catalog's admin does it: after the object *and its inlines* are saved (so
    new contributors and ISBNs are searchable at once), and after deletions, the books the
    object appears in are reindexed (see catalog.search.books_affected_by).
    """

    def save_model(self, request, obj, form, change) -> None:
        # The row as it was: a format moved to another book leaves that book's document to update too.
        form.search_indexed_before = type(obj)._default_manager.filter(pk=obj.pk).first() if change else None
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        before = getattr(form, "search_indexed_before", None)
        book_search_index_affected(changed=[form.instance, *([before] if before else [])])

    def delete_model(self, request, obj) -> None:
        super().delete_model(request, obj)
        book_search_index_affected(changed=[obj])

    def delete_queryset(self, request, queryset) -> None:
        deleted = list(queryset)
        super().delete_queryset(request, queryset)
        book_search_index_affected(changed=deleted)


class BookCountColumnMixin:
    """A "books" column: each listed row's number of books, worked out for the list's page only.

    Added on the change list rather than in `get_queryset`, so the autocompletes, which use
    `get_queryset` too, do not count books for every suggestion.
    """

    def book_counts(self, queryset: QuerySet) -> QuerySet:
        raise NotImplementedError

    def get_changelist(self, request, **kwargs):
        model_admin = self

        class BookCountChangeList(super().get_changelist(request, **kwargs)):
            def get_queryset(self, request, exclude_parameters=None):
                return model_admin.book_counts(super().get_queryset(request, exclude_parameters))

        return BookCountChangeList

    # Not sortable: sorting by it would count the books of every row on each page.
    @admin.display(description="books")
    def book_count(self, obj) -> int:
        return obj.book_count


class ViewOnSiteColumnMixin:
    @admin.display(description="on site")
    def view_on_site_link(self, obj) -> str:
        return format_html('<a href="{}" target="_blank" rel="noopener">View on site</a>', obj.get_absolute_url())


@admin.register(Author)
class AuthorAdmin(SearchIndexedAdmin, BookCountColumnMixin, ViewOnSiteColumnMixin, EditorialAdmin):
    list_display = ["name", "sort_name", "book_count", "view_on_site_link"]
    search_fields = ["name", "sort_name"]
    prepopulated_fields = {"slug": ["name"]}

    def book_counts(self, queryset: QuerySet[Author]) -> QuerySet[Author]:
        # A subquery per listed row, not a GROUP BY over every contribution of every author.
        books = (
            Contribution.objects.filter(author=OuterRef("pk")).order_by().values("author")
            .annotate(count=Count("book", distinct=True)).values("count")
        )
        return queryset.annotate(book_count=Coalesce(Subquery(books), 0))

    def get_search_results(self, request, queryset, search_term):
        """The name search, in alphabetical order, served by the trigram indexes at any size.

        In sort-name order, a LIMIT lets PostgreSQL walk the sort-name index until enough rows
        match, guessing that matches are spread evenly through the alphabet. They are not: the
        authors matching “Whit” sit together near the end, and the walk read a third of a million
        authors (300 ms at a million books). When a word of the search is long enough for the
        trigram indexes (three characters), the order starts with the upper-cased sort name
        instead, which no index provides: the matches are found by trigrams and only they are
        sorted. The order is the same alphabetical one, ties broken by the usual keys.
        """
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        ordering = queryset.query.order_by or Author._meta.ordering
        trigram_usable = any(len(word) >= 3 for word in search_term.split())
        if trigram_usable and ordering and ordering[0] == "sort_name" and connections[queryset.db].vendor == "postgresql":
            queryset = queryset.order_by(Upper("sort_name"), *ordering)
        return queryset, may_have_duplicates


# A publisher's books are counted up to this many in the publisher list.
PUBLISHER_BOOKS_COUNTED = 10_000


class RowCount(Subquery):
    """The number of rows a subquery returns: with a LIMIT, counting stops there."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) AS counted)"
    output_field = IntegerField()


@admin.register(Publisher)
class PublisherAdmin(SearchIndexedAdmin, BookCountColumnMixin, ViewOnSiteColumnMixin, EditorialAdmin):
    list_display = ["name", "slug", "book_count", "view_on_site_link"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}

    def book_counts(self, queryset: QuerySet[Publisher]) -> QuerySet[Publisher]:
        # A large publisher lists a hundred thousand books: counting them all, for each of the
        # 50 publishers shown, took over a second. Counted up to the limit, then "more than".
        books = Book.objects.filter(publisher=OuterRef("pk")).order_by().values("pk")[: PUBLISHER_BOOKS_COUNTED + 1]
        return queryset.annotate(book_count=RowCount(books))

    @admin.display(description="books")
    def book_count(self, publisher: Publisher) -> str:
        if publisher.book_count > PUBLISHER_BOOKS_COUNTED:
            return f"more than {PUBLISHER_BOOKS_COUNTED:,}"
        return f"{publisher.book_count:,}"


@admin.register(Subject)
class SubjectAdmin(EditorialAdmin):
    list_display = ["name", "slug", "bisac_code", "thema_code"]
    search_fields = ["name"]
    search_help_text = "Words of the name, or a whole BISAC or Thema code."
    prepopulated_fields = {"slug": ["name"]}
    fields = ["name", "slug", ("bisac_code", "thema_code"), "loaded_version"]

    def get_search_results(self, request, queryset, search_term):
        """The list also finds a subject by its whole code; the autocompletes search names only,
        which their trigram index serves (an OR with the codes would read every subject)."""
        found, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        match = request.resolver_match
        code = search_term.strip().upper()
        if not code or (match is not None and match.view_name == f"{self.admin_site.name}:autocomplete"):
            return found, may_have_duplicates
        return found | queryset.filter(Q(bisac_code=code) | Q(thema_code=code)), may_have_duplicates


@admin.register(Series)
class SeriesAdmin(EditorialAdmin):
    list_display = ["title", "issn", "book_count"]
    search_fields = ["title", "=issn"]
    prepopulated_fields = {"slug": ["title"]}

    def get_queryset(self, request: HttpRequest) -> QuerySet[Series]:
        return super().get_queryset(request).annotate(book_count=Count("books"))

    @admin.display(description="books", ordering="book_count")
    def book_count(self, series: Series) -> int:
        return series.book_count


class SalesRightsInline(admin.TabularInline):
    model = SalesRights
    extra = 0
    fields = ["rights_type", "regions_included", "countries_included", "countries_excluded", "regions_excluded"]
    verbose_name = "sales rights"
    verbose_name_plural = (
        "Sales rights (none: for sale wherever a market sells; any “for sale” row: nowhere else, "
        "unless “rest of the world” says otherwise)"
    )


@admin.register(Format)
class FormatAdmin(SearchIndexedAdmin, ISBNSearchMixin, EditorialAdmin):
    list_display = ["__str__", "book", "binding", "publication_date", "publishing_status", "availability"]
    list_filter = ["binding", "publishing_status", "availability"]
    search_fields = ["isbn", "book__title"]
    list_select_related = ["book"]
    autocomplete_fields = ["book"]
    inlines = [SalesRightsInline]


class LoadedChoiceAutocompleteSelect(AutocompleteSelect):
    """An autocomplete whose chosen option is labelled from an object already loaded.

    Django's widget looks its chosen object up again, one query per form: a book with twelve
    contributors would cost twelve. `loaded` is the (value, label) the form knows; any other
    value (an editor's unsaved choice shown again with an error) is looked up as usual.
    """

    loaded: tuple[str, str] | None = None

    def optgroups(self, name, value, attr=None):
        chosen = {str(v) for v in value if str(v) not in self.choices.field.empty_values}
        if self.loaded is None or chosen != {self.loaded[0]}:
            return super().optgroups(name, value, attr)
        options = [] if self.is_required else [self.create_option(name, "", "", False, 0)]
        options.append(self.create_option(name, self.loaded[0], self.loaded[1], chosen, len(options)))
        return [(None, options, 0)]


class ContributionForm(forms.ModelForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        widget = self.fields["author"].widget
        widget = getattr(widget, "widget", widget)  # inside the admin's add/change links wrapper
        if self.instance.author_id is not None and isinstance(widget, LoadedChoiceAutocompleteSelect):
            widget.loaded = (str(self.instance.author_id), str(self.instance.author))


class ContributionInline(admin.TabularInline):
    model = Contribution
    form = ContributionForm
    autocomplete_fields = ["author"]
    extra = 0

    def get_queryset(self, request: HttpRequest) -> QuerySet[Contribution]:
        # The author for the autocomplete's label, the book for each row's caption (its __str__).
        return super().get_queryset(request).select_related("author", "book")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "author":
            kwargs["widget"] = LoadedChoiceAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class FormatInline(admin.TabularInline):
    model = Format
    extra = 0
    fields = ["binding", "isbn", "publication_date", "publishing_status", "availability", "sales_rights_summary"]
    readonly_fields = ["sales_rights_summary"]
    view_on_site = False  # a format's page is its book's page: the button above already goes there

    def get_queryset(self, request: HttpRequest) -> QuerySet[Format]:
        return super().get_queryset(request).prefetch_related("sales_rights")

    # Sales rights are edited on the format's own page: an inline cannot hold inlines.
    @admin.display(description="sales rights")
    def sales_rights_summary(self, fmt: Format) -> str:
        if fmt.pk is None:
            return "Set after saving"
        rights = [str(row) for row in fmt.sales_rights.all()]
        if fmt.rest_of_world_rights:
            rights.append(f"elsewhere: {fmt.get_rest_of_world_rights_display().lower()}")
        summary = "; ".join(rights) if rights else "Wherever a market sells"
        return format_html('<a href="{}">{}</a>', reverse("admin:catalog_format_change", args=[fmt.pk]), summary)


class ReviewQuoteInline(admin.StackedInline):
    model = ReviewQuote
    extra = 0
    # Few books have them: folded, so they don't push the contents down the page.
    classes = ["collapse"]
    fields = [("kind", "position"), "text", ("author", "source")]


class RelatedTitleInline(admin.TabularInline):
    model = RelatedTitle
    fk_name = "book"
    extra = 0
    classes = ["collapse"]  # as review quotes: rarely used
    fields = ["relation", "related_book", "position"]
    autocomplete_fields = ["related_book"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[RelatedTitle]:
        return super().get_queryset(request).select_related("related_book", "book")


class TocEntryInline(admin.TabularInline):
    model = TocEntry
    extra = 0
    fields = ["position", "level", "label", "title"]


TOC_PREVIEW_STEP = "toc_preview"


class BookAdminForm(ConcurrentEditForm):
    toc_paste = forms.CharField(
        label="Paste table of contents",
        required=False,
        widget=forms.Textarea(attrs={"rows": 8, "cols": 80}),
        help_text="One entry per line, as printed: “Introduction: Workers and the Soviet State”, "
        "“1. Struggling to Survive: …”, “Appendix 1. Biographical Notes.”. Indent sub-entries. "
        "You will see how each line is split before anything is saved; confirming replaces the "
        "entries above.",
    )
    toc_paste_confirm = forms.BooleanField(
        label="Replace the table of contents with the pasted entries",
        required=False,
        help_text="After the first save, check the split shown below, then tick this and save again.",
    )

    class Meta:
        model = Book
        fields = "__all__"

    def clean(self):
        cleaned_data = super().clean()
        self.toc_preview = toc_parse(cleaned_data.get("toc_paste", ""))
        too_long = [
            f"entry {entry.position} (“{entry.label} {entry.title[:40]}…”)"
            for entry in self.toc_preview
            if len(entry.label) > TocEntry._meta.get_field("label").max_length
            or len(entry.title) > TocEntry._meta.get_field("title").max_length
        ]
        if too_long:
            self.add_error(
                "toc_paste",
                "Labels may have 50 characters and titles 500; too long: " + "; ".join(too_long[:5]) + ".",
            )
            self.toc_preview = []
        if self.toc_preview and not cleaned_data.get("toc_paste_confirm"):
            # Not a mistake but a step: it stops the save so the editor sees the split first, and
            # BookAdmin.render_change_form shows it as the preview rather than as an error.
            self.add_error(
                "toc_paste_confirm",
                forms.ValidationError("Check how the pasted entries were split.", code=TOC_PREVIEW_STEP),
            )
        return cleaned_data

    def awaits_toc_confirmation(self) -> bool:
        """Whether the pasted contents' preview is (one of the things) keeping this form from saving."""
        errors = self.errors.as_data().get("toc_paste_confirm", [])
        return bool(errors) and all(error.code == TOC_PREVIEW_STEP for error in errors)


class YearFilter(admin.SimpleListFilter):
    title = "year"
    parameter_name = "year"

    def lookups(self, request, model_admin):
        return [(str(year), str(year)) for year in Book.objects.publication_years()]

    def queryset(self, request, queryset):
        value = self.value() or ""
        # ASCII only ("²" is a digit to isdigit() but not to int()), four digits at most.
        if value.isascii() and value.isdigit() and len(value) <= 4 and int(value) >= 1:
            return queryset.filter(publication_date__year=int(value))
        return queryset


class BindingFilter(admin.SimpleListFilter):
    title = "binding"
    parameter_name = "binding"

    def lookups(self, request, model_admin):
        return Format.Binding.choices

    def queryset(self, request, queryset):
        if self.value() in Format.Binding.values:
            # A semi-join: no DISTINCT over whole book rows.
            return queryset.filter(Exists(Format.objects.filter(book=OuterRef("pk"), binding=self.value())))
        return queryset


class PublisherFilter(AutocompleteListFilter):
    field_name = "publisher"


class SubjectFilter(AutocompleteListFilter):
    field_name = "subjects"
    parameter_name = "subject"


class SubjectActionForm(ActionForm):
    # Chosen by typing, like the book's own subjects: a select would list every subject.
    subject = forms.ModelChoiceField(
        Subject.objects.all(),
        required=False,
        label="Subject",
        widget=AutocompleteSelect(Book._meta.get_field("subjects"), admin.site),
    )


@admin.register(Book)
class BookAdmin(SearchIndexedAdmin, ViewOnSiteColumnMixin, EditorialAdmin):
    form = BookAdminForm
    change_form_template = "admin/catalog/book/change_form.html"
    list_display = ["title", "contributors", "isbns", "publication_date", "bindings", "view_on_site_link"]
    list_filter = [PublisherFilter, YearFilter, BindingFilter, SubjectFilter]
    # Searched through the books' search documents (see get_search_results), not these fields.
    search_fields = ["title"]
    search_help_text = (
        "Words of the title, subtitle, contributors, publisher or description, part of an ISBN, "
        "or a whole ISBN in any form (hyphens or not, ISBN-10)."
    )
    # Newest first, the primary key breaking ties, as the index book_newest_first is ordered.
    ordering = ["-publication_date", "title", "id"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["publisher", "subjects", "series"]
    inlines = [ContributionInline, FormatInline, ReviewQuoteInline, RelatedTitleInline, TocEntryInline]
    list_per_page = 50
    action_form = SubjectActionForm
    actions = ["add_subject", "remove_subject"]
    # The page's order (the change form template): this first fieldset, contributors, formats and
    # prices, then the other fieldsets; the table of contents and its paste box last.
    fieldsets = [
        (None, {"fields": ["title", "subtitle", "slug", ("edition", "edition_statement", "publisher"), "loaded_version"]}),
        (
            "Publication",
            {
                "fields": [
                    ("publication_date", "page_count"),
                    ("language", "illustrations_note"),
                    "subjects",
                ]
            },
        ),
        ("Description", {"fields": ["description"]}),
        # Folded like the cover: set once, when the book joins a series or gets its DOI.
        ("Series and DOI", {"fields": [("series", "series_number", "doi")], "classes": ["collapse"]}),
        ("Cover", {"fields": ["cover"], "classes": ["collapse"]}),
        ("Paste a table of contents", {"fields": ["toc_paste", "toc_paste_confirm"], "classes": ["collapse", "toc-paste"]}),
    ]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if request.method == "POST" and request.POST.get("toc_paste", "").strip():
            # A pasted contents stays open, beside its preview, until it is saved.
            fieldsets = [
                (name, {**options, "classes": ["toc-paste"]}) if "toc-paste" in options.get("classes", []) else (name, options)
                for name, options in fieldsets
            ]
        return fieldsets

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        form = context["adminform"].form
        if form.is_bound and form.awaits_toc_confirmation():
            # The preview step is no error: no "Please correct the error below" for it alone, no red
            # checkbox. Real errors elsewhere on the page are still listed.
            del form.errors["toc_paste_confirm"]
            formsets = [inline.formset for inline in context["inline_admin_formsets"]]
            context["errors"] = helpers.AdminErrorList(form, formsets)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Book]:
        # Each prefetch ordered within its book only: the models' default orderings ("book", …)
        # would join the books again to sort by their publication date.
        return super().get_queryset(request).prefetch_related(
            Prefetch("contributions", Contribution.objects.select_related("author").order_by("position")),
            Prefetch("formats", Format.objects.order_by("binding", "isbn")),
        )

    def get_search_results(self, request, queryset, search_term):
        """An ISBN in any form finds its book; otherwise every word must be in the book's search document.

        The folded search document (catalog.search) holds title, subtitle, contributors,
        publisher, ISBNs and description; on PostgreSQL its trigram index serves these
        substring matches, where OR-ing LIKEs over the book's columns and joined tables would
        read every book.
        """
        isbn13 = isbn13_parse(search_term)
        if isbn13:
            return queryset.filter(Exists(Format.objects.filter(book=OuterRef("pk"), isbn=isbn13))), False
        for term in search_terms(search_term):
            if folded := fold(term):
                queryset = queryset.filter(search_document__contains=folded)
        return queryset, False

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        if form.cleaned_data.get("toc_paste_confirm") and getattr(form, "toc_preview", None):
            book_replace_toc(book=form.instance, entries=form.toc_preview)
            messages.success(request, f"The table of contents now has the {len(form.toc_preview)} pasted entries.")

    @admin.display(description="contributors")
    def contributors(self, book: Book) -> str:
        return book.contributor_names

    @admin.display(description="ISBNs")
    def isbns(self, book: Book) -> str:
        # One per line, never broken at a hyphen.
        return format_html_join(mark_safe("<br>"), '<span class="nowrap">{}</span>', ((f.isbn_display,) for f in book.formats.all()))

    @admin.display(description="bindings")
    def bindings(self, book: Book) -> str:
        return ", ".join(f.get_binding_display() for f in book.formats.all())

    def _change_subject(self, request, queryset, *, add: bool) -> None:
        try:
            subject = SubjectActionForm.base_fields["subject"].clean(request.POST.get("subject"))
        except forms.ValidationError:
            subject = None
        if subject is None:
            self.message_user(request, "Choose a subject next to the action first.", messages.WARNING)
            return
        for book in queryset:
            (book.subjects.add if add else book.subjects.remove)(subject)
            # A save marks the book changed (for concurrent editors) and records it in history.
            book.save(update_fields=["updated_at"])
        done = f"Added “{subject}” to" if add else f"Removed “{subject}” from"
        self.message_user(request, f"{done} {len(queryset)} books.", messages.SUCCESS)

    @admin.action(description="Add the chosen subject to the selected books", permissions=["change"])
    def add_subject(self, request, queryset):
        self._change_subject(request, queryset, add=True)

    @admin.action(description="Remove the chosen subject from the selected books", permissions=["change"])
    def remove_subject(self, request, queryset):
        self._change_subject(request, queryset, add=False)
