"""Admin forms that refuse to overwrite someone else's change."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.dateparse import parse_datetime
from reversion.models import Version

from editorial.history import revision_changes


class ConcurrentEditForm(forms.ModelForm):
    """Optimistic locking on the model's `updated_at`.

    The form carries the `updated_at` it was loaded with. If the row has been saved since, the
    save is refused with what changed meanwhile and who changed it; nothing is overwritten.
    """

    loaded_version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["loaded_version"].initial = self.instance.updated_at.isoformat()

    def clean(self):
        cleaned_data = super().clean()
        raw = self.data.get(self.add_prefix("loaded_version"), "") or ""
        try:
            loaded = parse_datetime(raw)
        except ValueError:
            loaded = None
        if self.instance.pk and raw and loaded is None:
            raise ValidationError(
                "This form does not say which version of the book you opened. Reload the page and make your changes again.",
                code="conflict",
            )
        if self.instance.pk and loaded and self.instance.updated_at != loaded:
            raise ValidationError(self.conflict_messages(loaded), code="conflict")
        return cleaned_data

    def conflict_messages(self, loaded) -> list[str]:
        saved_at = timezone.localtime(self.instance.updated_at).strftime("%Y-%m-%d %H:%M:%S")
        messages = [
            f"Someone else saved this {self.instance._meta.verbose_name} at {saved_at}, after you opened it. "
            "Your changes were not saved, so theirs are not lost. Reload the page to see the current "
            "version, then make your changes again."
        ]
        versions = list(
            Version.objects.get_for_object(self.instance).select_related("revision", "revision__user").order_by("pk")
        )
        for previous, version in zip([None, *versions], versions, strict=False):
            saved = version.field_dict.get("updated_at")
            if saved is None or saved <= loaded:
                continue
            who = version.revision.user.get_username() if version.revision.user else "someone"
            for change in revision_changes(previous.revision if previous else None, version.revision, self.instance):
                details = "; ".join(f"{capfirst(f.label)}: “{f.before}” → “{f.after}”" for f in change.fields)
                messages.append(
                    f"Changed meanwhile by {who}: {change.kind} {change.model_label} “{change.object_repr}”"
                    + (f" ({details})" if details else "")
                )
        return messages
