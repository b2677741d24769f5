"""The admin base every editable model uses: versions with field-level history, recorded bulk actions."""

from __future__ import annotations

import reversion
from django.contrib.admin.utils import quote, unquote
from django.shortcuts import get_object_or_404
from django.urls import reverse
from reversion.admin import VersionAdmin

from editorial.history import object_history


class EditorialAdmin(VersionAdmin):
    """Every save from a form or a bulk action becomes a revision: who, when, what changed.

    The history page shows each revision's field-level differences (the object and its inline
    rows) and links to restore it, inlines included.
    """

    object_history_template = "editorial/object_history.html"
    history_latest_first = True

    def history_view(self, request, object_id, extra_context=None):
        obj = get_object_or_404(self.model, pk=unquote(object_id))
        opts = self.model._meta
        action_list = [
            {
                "revision": version.revision,
                "changes": changes,
                "url": reverse(
                    f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_revision",
                    args=(quote(version.object_id), version.pk),
                ),
            }
            for version, changes in object_history(obj)
        ]
        return super().history_view(request, object_id, {"action_list": action_list, **(extra_context or {})})

    def response_action(self, request, queryset, **kwargs):
        # VersionAdmin wraps the changelist in a revision; name the action in its comment.
        chosen = self.get_actions(request).get(request.POST.get("action", ""))
        if chosen is not None:
            reversion.set_comment(f"Bulk action: {chosen.description}")
        return super().response_action(request, queryset, **kwargs)
