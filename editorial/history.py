"""Field-level differences between saved versions (django-reversion revisions)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import models
from reversion.models import Version

# Bookkeeping that changes on every save and says nothing to an editor.
IGNORED_FIELDS = {"id", "version", "created_at", "updated_at", "search_document", "search_vector", "cover_width", "cover_height"}


@dataclass
class FieldChange:
    label: str
    before: str
    after: str


@dataclass
class ObjectChange:
    """What happened to one object in a revision: added, removed or changed fields."""

    kind: str  # "added", "removed", "changed"
    model_label: str
    object_repr: str
    fields: list[FieldChange] = field(default_factory=list)


def _display(model: type[models.Model], attname: str, value) -> str:
    try:
        model_field = next(f for f in model._meta.concrete_fields if f.attname == attname)
    except StopIteration:
        model_field = None
    if value is None or value == "":
        return "—"
    if model_field is not None and model_field.is_relation:
        related = model_field.related_model._default_manager.filter(pk=value).first()
        return str(related) if related else f"#{value}"
    if model_field is not None and model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, list):  # many-to-many
        related_model = model._meta.get_field(attname).related_model
        return ", ".join(str(obj) for obj in related_model._default_manager.filter(pk__in=value)) or "—"
    return str(value)


def _label(model: type[models.Model], attname: str) -> str:
    for model_field in [*model._meta.concrete_fields, *model._meta.many_to_many]:
        if model_field.attname == attname:
            return str(model_field.verbose_name)
    return attname


def _field_changes(model, before: dict, after: dict) -> list[FieldChange]:
    changes = []
    for attname in after:
        if attname in IGNORED_FIELDS:
            continue
        old, new = before.get(attname), after.get(attname)
        if isinstance(old, list) and isinstance(new, list):
            old, new = sorted(old), sorted(new)
        if old != new:
            changes.append(FieldChange(_label(model, attname), _display(model, attname, old), _display(model, attname, new)))
    return changes


def _belongs_to(version: Version, subject: models.Model) -> bool:
    """The subject itself, or one of its inline rows (a foreign key to it)."""
    if version._model is type(subject):
        return version.object_id == str(subject.pk)
    data = version.field_dict
    return any(
        model_field.is_relation
        and model_field.related_model is type(subject)
        and data.get(model_field.attname) == subject.pk
        for model_field in version._model._meta.concrete_fields
    )


def _snapshot(revision, subject: models.Model) -> dict[tuple, Version]:
    return {
        (version.content_type_id, version.object_id): version
        for version in revision.version_set.all()
        if _belongs_to(version, subject)
    }


def revision_changes(previous, current, subject: models.Model) -> list[ObjectChange]:
    """What `current` changed in `subject` and its inline rows compared with `previous` (None at first)."""
    before = _snapshot(previous, subject) if previous is not None else {}
    after = _snapshot(current, subject)
    changes = []
    if previous is None:  # the first version: the object came into being, inline rows and all
        return [ObjectChange("added", str(subject._meta.verbose_name), str(subject))]
    for key, version in after.items():
        model = version._model
        old = before.get(key)
        if old is None:
            fields = _field_changes(model, {}, version.field_dict)
            changes.append(ObjectChange("added", str(model._meta.verbose_name), version.object_repr, fields))
            continue
        fields = _field_changes(model, old.field_dict, version.field_dict)
        if fields:
            changes.append(ObjectChange("changed", str(model._meta.verbose_name), version.object_repr, fields))
    for key, version in before.items():
        if key not in after:
            changes.append(ObjectChange("removed", str(version._model._meta.verbose_name), version.object_repr))
    return changes


def object_history(obj: models.Model) -> list[tuple[Version, list[ObjectChange]]]:
    """Each saved version of `obj`, newest first, with what it changed."""
    versions = list(Version.objects.get_for_object(obj).select_related("revision", "revision__user").order_by("pk"))
    history = []
    previous = None
    for version in versions:
        history.append((version, revision_changes(previous, version.revision, obj)))
        previous = version.revision
    return history[::-1]
