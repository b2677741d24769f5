"""A list filter for relations with too many rows to list: the editor types to find one.

Django's filter for a relation puts every related object in the sidebar (every publisher, every
subject), reading them all on each load of the list. `AutocompleteListFilter` reads only the
chosen one, and offers the admin's autocomplete (the same search as the change form's
autocomplete widget) to choose another. Subclass it naming the relation:

    class PublisherFilter(AutocompleteListFilter):
        field_name = "publisher"

The field must be in the ModelAdmin's `autocomplete_fields`, and the related model's admin must
have `search_fields`, as for any autocomplete. A many-to-many relation is filtered with a
semi-join (`EXISTS`), so the list needs no `DISTINCT` over whole rows.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.views.main import PAGE_VAR
from django.contrib.admin.widgets import AutocompleteSelect
from django.db.models import Exists, OuterRef

MAX_BIGINT = 2**63 - 1


class AutocompleteListFilter(admin.SimpleListFilter):
    field_name: str  # the relation on the ModelAdmin's model
    template = "editorial/autocomplete_filter.html"

    def __init__(self, request, params, model, model_admin) -> None:
        self.field = model._meta.get_field(self.field_name)
        # Named after what is chosen, one at a time: "By subject", not the relation's "subjects".
        self.title = self.field.related_model._meta.verbose_name
        self.parameter_name = self.parameter_name or self.field_name
        self.admin_site = model_admin.admin_site
        super().__init__(request, params, model, model_admin)

    def chosen_pk(self) -> int | None:
        """The chosen object's key; None (no filter) for anything that cannot be one.

        ASCII digits only ("²" is a digit to isdigit() but not to int()), and no larger than a
        bigint, which is all the database takes (and int() refuses over 4,300 digits).
        """
        value = self.value() or ""
        if not (value.isascii() and value.isdigit() and len(value) <= len(str(MAX_BIGINT))):
            return None
        key = int(value)
        return key if key <= MAX_BIGINT else None

    def lookups(self, request, model_admin):
        chosen = self.chosen_pk()
        if chosen is None:
            return []
        return [(str(obj.pk), str(obj)) for obj in self.field.related_model._default_manager.filter(pk=chosen)]

    def has_output(self) -> bool:
        return True

    def queryset(self, request, queryset):
        chosen = self.chosen_pk()
        if chosen is None:
            return queryset
        if self.field.many_to_many:
            through = self.field.remote_field.through._default_manager.filter(
                **{self.field.m2m_field_name(): OuterRef("pk"), self.field.m2m_reverse_field_name(): chosen}
            )
            return queryset.filter(Exists(through))
        return queryset.filter(**{self.field.attname: chosen})

    def choices(self, changelist):
        # The list's other parameters (search, other filters, ordering) go with the form.
        self.kept_parameters = [
            (name, value) for name, value in changelist.params.items() if name not in (self.parameter_name, PAGE_VAR)
        ]
        widget = AutocompleteSelect(self.field, self.admin_site)
        self.widget_attrs = widget.build_attrs({}, {"id": f"filter_{self.parameter_name}"})
        # Set after build_attrs, which blanks the placeholder for the change form's clearable widget.
        self.widget_attrs["data-placeholder"] = f"Type to find a {self.field.related_model._meta.verbose_name}"
        return super().choices(changelist)


def autocomplete_filter_media(model_admin: admin.ModelAdmin):
    """The autocomplete's scripts and styles when one of the admin's filters needs them, else None."""
    for list_filter in model_admin.list_filter:
        if isinstance(list_filter, type) and issubclass(list_filter, AutocompleteListFilter):
            field = model_admin.model._meta.get_field(list_filter.field_name)
            return AutocompleteSelect(field, model_admin.admin_site).media
    return None
