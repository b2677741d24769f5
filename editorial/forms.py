"""Admin forms that refuse to overwrite someone else's change."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.text import capfirst
from reversion.models import Version

from editorial.history import revision_changes


class LoadedVersionField(forms.CharField):
    """The version of the object the editor opened, carried in the form as a hidden input."""

    widget = forms.HiddenInput

    def has_changed(self, initial, data) -> bool:
        return False  # bookkeeping, never an edit


class ConcurrentEditForm(forms.ModelForm):
    """Optimistic locking for a `Versioned` model.

    The form carries the version it was loaded with, and the save writes only if the row is
    still at that version (`Versioned` puts the condition in the UPDATE itself). `clean()`
    refuses early when the row has moved on already, with what changed meanwhile and who changed
    it; a save that another one overtakes between `clean()` and the write raises `StaleEdit`,
    which `EditorialAdmin` turns into the same refusal. Nothing is overwritten.
    """

    loaded_version = LoadedVersionField(required=False)

    # False for inline rows: a row the editor left as it is is not saved, so needs no check.
    check_unchanged = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self._is_existing():
            self.fields["loaded_version"].initial = str(self.instance.version)

    def _is_existing(self) -> bool:
        return self.instance.pk is not None and not self.instance._state.adding

    def clean(self):
        cleaned_data = super().clean()
        if not self._is_existing() or not (self.check_unchanged or self.has_changed()):
            return cleaned_data
        raw = self.data.get(self.add_prefix("loaded_version"), "") or ""
        # A version is a count of saves: more than 20 digits is no version (and int() refuses over 4,300).
        loaded = int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 20 else None
        if loaded is None:
            raise ValidationError(
                f"This form does not say which version of the {self.instance._meta.verbose_name} you opened. "
                "Reload the page and make your changes again.",
                code="conflict",
            )
        if self.instance.version != loaded:
            raise ValidationError(self.conflict_messages(loaded), code="conflict")
        return cleaned_data

    def conflict_messages(self, loaded: int) -> list[str]:
        """Why the save was refused, then each change saved after version `loaded`, with who made it."""
        versions = list(
            Version.objects.get_for_object(self.instance).select_related("revision", "revision__user").order_by("pk")
        )
        newer = [
            (previous, version)
            for previous, version in zip([None, *versions], versions, strict=False)
            if (version.field_dict.get("version") or 0) > loaded
        ]
        when = ""
        if newer:
            saved_at = timezone.localtime(newer[-1][1].revision.date_created).strftime("%Y-%m-%d %H:%M:%S")
            when = f" at {saved_at},"
        messages = [
            f"Someone else saved this {self.instance._meta.verbose_name}{when} after you opened it. "
            "Your changes were not saved, so theirs are not lost. Reload the page to see the current "
            "version, then make your changes again."
        ]
        for previous, version in newer:
            who = version.revision.user.get_username() if version.revision.user else "someone"
            for change in revision_changes(previous.revision if previous else None, version.revision, self.instance):
                details = "; ".join(f"{capfirst(f.label)}: “{f.before}” → “{f.after}”" for f in change.fields)
                messages.append(
                    f"Changed meanwhile by {who}: {change.kind} {change.model_label} “{change.object_repr}”"
                    + (f" ({details})" if details else "")
                )
        return messages


class ConcurrentInlineForm(ConcurrentEditForm):
    """For rows edited inline: a row the editor did not touch is not saved, so it is not checked."""

    check_unchanged = False
