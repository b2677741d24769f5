"""The admin base every editable model uses: versions with field-level history, recorded bulk
actions, saves that never overwrite someone else's change, and panels other apps add to a
model's change page, and lists that stay fast at a million rows."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import reversion
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IS_POPUP_VAR, ActionLocation
from django.contrib.admin.utils import quote, unquote
from django.core import checks
from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpRequest, HttpResponseRedirect
from django.template.loader import render_to_string
from django.urls import reverse
from reversion.admin import VersionAdmin

from editorial.filters import autocomplete_filter_media
from editorial.forms import ConcurrentEditForm, ConcurrentInlineForm
from editorial.history import object_history_page
from editorial.models import StaleEdit, Versioned
from editorial.paginator import EstimatedCountPaginator, LookaheadPaginator


@dataclass(frozen=True)
class ChangePagePanel:
    """A section one app adds to another app's change page, without replacing its ModelAdmin.

    `context(request, obj)` returns the template's context, or None to leave the panel out
    (for instance when the editor may not see it).
    """

    title: str
    template_name: str
    context: Callable[[HttpRequest, models.Model], dict | None]


_panels: dict[type[models.Model], list[ChangePagePanel]] = {}


def register_change_page_panel(model: type[models.Model], panel: ChangePagePanel) -> None:
    """Show `panel` on the change page of `model` in every EditorialAdmin; registering twice is harmless."""
    panels = _panels.setdefault(model, [])
    if panel not in panels:
        panels.append(panel)


def change_page_panels(model: type[models.Model]) -> list[ChangePagePanel]:
    return list(_panels.get(model, []))


@dataclass(frozen=True)
class ObjectTool:
    """A link one app adds beside "History" at the top of another app's change page.

    `url(request, obj)` returns the link's address, or None to leave it out.
    """

    label: str
    url: Callable[[HttpRequest, models.Model], str | None]


_object_tools: dict[type[models.Model], list[ObjectTool]] = {}


def register_object_tool(model: type[models.Model], tool: ObjectTool) -> None:
    """Show `tool` on the change page of `model` in every EditorialAdmin; registering twice is harmless."""
    tools = _object_tools.setdefault(model, [])
    if tool not in tools:
        tools.append(tool)


_list_actions: dict[type[models.Model], list[Callable]] = {}


def register_list_action(model: type[models.Model], action: Callable) -> None:
    """Offer `action` (an `@admin.action` function) on the list of `model` in its EditorialAdmin.

    Its `allowed_permissions` are checked as for the ModelAdmin's own actions. Registering twice is harmless.
    """
    actions = _list_actions.setdefault(model, [])
    if action not in actions:
        actions.append(action)


class EditorialAdmin(VersionAdmin):
    """Every save from a form or a bulk action becomes a revision: who, when, what changed.

    The history page shows each revision's field-level differences (the object and its inline
    rows) and links to restore it, inlines included.

    The model must be `editorial.models.Versioned`. The change form carries the version the
    editor opened, and the save writes only if the row is still at that version; saving the
    object on every change (as the admin does, inline edits included) makes its version guard
    its inline rows too. Inline rows of a `Versioned` model carry their own version as well.

    Lists are counted exactly only up to a limit and estimated above it (see
    `editorial.paginator`), and never counted a second time for the unfiltered total.
    """

    form = ConcurrentEditForm
    paginator = EstimatedCountPaginator
    show_full_result_count = False
    # Facet counts run one COUNT per filter choice over the filtered table.
    show_facets = admin.ShowFacets.NEVER
    object_history_template = "editorial/object_history.html"
    change_form_template = "editorial/change_form.html"
    history_latest_first = True

    def get_paginator(self, request, queryset, per_page, orphans=0, allow_empty_first_page=True):
        # An autocomplete needs only "more or not": no count (editorial.paginator.LookaheadPaginator).
        match = request.resolver_match
        if match is not None and match.view_name == f"{self.admin_site.name}:autocomplete":
            return LookaheadPaginator(queryset, per_page, orphans, allow_empty_first_page)
        return super().get_paginator(request, queryset, per_page, orphans, allow_empty_first_page)

    @property
    def media(self):
        media = super().media
        filter_media = autocomplete_filter_media(self)
        return media + filter_media if filter_media else media

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk is not None:
            context["panels"] = [
                {"title": panel.title, "html": render_to_string(panel.template_name, panel_context, request)}
                for panel in change_page_panels(self.model)
                if (panel_context := panel.context(request, obj)) is not None
            ]
            context["object_tool_links"] = [
                {"label": tool.label, "url": url}
                for tool in _object_tools.get(self.model, [])
                if (url := tool.url(request, obj)) is not None
            ]
        return super().render_change_form(request, context, add, change, form_url, obj)

    def check(self, **kwargs):
        errors = super().check(**kwargs)
        if not issubclass(self.model, Versioned):
            errors.append(
                checks.Error(
                    f"{type(self).__name__} edits {self.model._meta.label}, which is not editorial.models.Versioned.",
                    hint="Make the model a Versioned subclass and add the version column with a migration.",
                    obj=type(self),
                    id="editorial.E001",
                )
            )
        return errors

    def get_inline_instances(self, request, obj=None):
        inlines = super().get_inline_instances(request, obj)
        for inline in inlines:
            if not issubclass(inline.model, Versioned):
                continue
            if inline.form is forms.ModelForm:
                inline.form = ConcurrentInlineForm
            if inline.fields is not None and "loaded_version" not in inline.fields:
                inline.fields = [*inline.fields, "loaded_version"]  # the version each row was opened at
        return inlines

    # What a save raises when another one overtook it after the form's checks passed. An admin
    # whose model has more such rules in the database (a unique country) adds IntegrityError.
    overtaken_errors: tuple[type[Exception], ...] = (StaleEdit,)

    def overtaken_message(self, error: Exception) -> str:
        return (
            f"This {self.model._meta.verbose_name} is being changed by others right now, so your changes "
            "were not saved. Open it again to see the current version, then make your changes again."
        )

    def _rerun_if_overtaken(self, view, request, *args):
        """Run a form view; if a concurrent save overtook this one, show the form again.

        The error (a `StaleEdit` from the conditional write, or what `overtaken_errors` adds) has
        rolled back everything this request wrote (the admin's transaction and the revision),
        inlines included. Running the view again on the same POST keeps the editor's input, and
        its checks now see what the other save committed and refuse with the usual message. If
        it is overtaken a second time, the editor is told so plainly.
        """
        try:
            return view(request, *args)
        except self.overtaken_errors:
            if request.method != "POST":
                raise
        try:
            return view(request, *args)
        except self.overtaken_errors as error:
            messages.error(request, self.overtaken_message(error))
            return HttpResponseRedirect(request.get_full_path())

    def add_view(self, request, form_url="", extra_context=None):
        return self._rerun_if_overtaken(super().add_view, request, form_url, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        return self._rerun_if_overtaken(super().change_view, request, object_id, form_url, extra_context)

    def revision_view(self, request, object_id, version_id, extra_context=None):
        # Restoring saves the restored version over the current one: a deliberate overwrite of the
        # version the restore form was opened at (a restore moves the version on, never back).
        return self._rerun_if_overtaken(super().revision_view, request, object_id, version_id, extra_context)

    def history_view(self, request, object_id, extra_context=None):
        try:
            obj = self.model._default_manager.get(pk=self.model._meta.pk.to_python(unquote(object_id)))
        except (self.model.DoesNotExist, ValidationError):
            return self._get_obj_does_not_exist_redirect(request, self.model._meta, object_id)
        opts = self.model._meta
        page, history = object_history_page(obj, request.GET.get("page"))
        action_list = [
            {
                "revision": version.revision,
                "changes": changes,
                "url": reverse(
                    f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_revision",
                    args=(quote(version.object_id), version.pk),
                ),
            }
            for version, changes in history
        ]
        context = {"action_list": action_list, "history_page": page, **(extra_context or {})}
        # Django's own view (permissions, breadcrumbs), not VersionAdmin's, which would load every version.
        return super(VersionAdmin, self).history_view(request, object_id, context)

    def get_actions(self, request, action_location=ActionLocation.CHANGE_LIST):
        actions = super().get_actions(request, action_location=action_location)
        if self.actions is None or IS_POPUP_VAR in request.GET:
            return actions
        for func in _list_actions.get(self.model, []):
            action = self.get_action(func, action_location)
            permissions = getattr(func, "allowed_permissions", ())
            # As Django checks the ModelAdmin's own actions: any one of the permissions will do.
            allowed = not permissions or any(getattr(self, f"has_{p}_permission")(request) for p in permissions)
            if action is not None and allowed:
                actions.setdefault(action.name, action)
        return actions

    def response_action(self, request, queryset, **kwargs):
        # VersionAdmin wraps the changelist in a revision; name the action in its comment.
        chosen = self.get_actions(request).get(request.POST.get("action", ""))
        if chosen is not None:
            reversion.set_comment(f"Bulk action: {chosen.description}")
        return super().response_action(request, queryset, **kwargs)
