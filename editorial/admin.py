"""The admin base every editable model uses: versions with field-level history, recorded bulk actions,
and panels other apps add to a model's change page."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import reversion
from django.contrib.admin.utils import quote, unquote
from django.db import models
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.urls import reverse
from reversion.admin import VersionAdmin

from editorial.history import object_history_page


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


class EditorialAdmin(VersionAdmin):
    """Every save from a form or a bulk action becomes a revision: who, when, what changed.

    The history page shows each revision's field-level differences (the object and its inline
    rows) and links to restore it, inlines included.
    """

    object_history_template = "editorial/object_history.html"
    change_form_template = "editorial/change_form.html"
    history_latest_first = True

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk is not None:
            context["panels"] = [
                {"title": panel.title, "html": render_to_string(panel.template_name, panel_context, request)}
                for panel in change_page_panels(self.model)
                if (panel_context := panel.context(request, obj)) is not None
            ]
        return super().render_change_form(request, context, add, change, form_url, obj)

    def history_view(self, request, object_id, extra_context=None):
        obj = get_object_or_404(self.model, pk=unquote(object_id))
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

    def response_action(self, request, queryset, **kwargs):
        # VersionAdmin wraps the changelist in a revision; name the action in its comment.
        chosen = self.get_actions(request).get(request.POST.get("action", ""))
        if chosen is not None:
            reversion.set_comment(f"Bulk action: {chosen.description}")
        return super().response_action(request, queryset, **kwargs)
