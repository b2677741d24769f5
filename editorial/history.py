"""Field-level differences between saved versions (django-reversion revisions).

A history page shows one page of an object's versions. Its queries are fixed whatever the
number of revisions or changes on it: the versions, every serialized row of those revisions
(one query), and the objects that changed foreign keys and many-to-many fields point to (one
query per related model).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import reversion
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Page, Paginator
from django.db import models
from django.db.models import Q
from reversion.models import Version
from reversion.revisions import _get_options

# Bookkeeping that changes on every save and says nothing to an editor.
IGNORED_FIELDS = {
    "id", "created_at", "updated_at", "version", "search_document", "search_vector", "cover_width", "cover_height",
}
HISTORY_PAGE_SIZE = 20


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


def _model_field(model: type[models.Model], attname: str) -> models.Field | None:
    for model_field in [*model._meta.concrete_fields, *model._meta.many_to_many]:
        if model_field.attname == attname:
            return model_field
    return None


class _Related:
    """Names of the objects foreign keys and many-to-many fields point to, loaded in bulk."""

    def __init__(self) -> None:
        self.wanted: dict[type[models.Model], set] = defaultdict(set)
        self.loaded: dict[type[models.Model], dict] = {}

    def want(self, model_field: models.Field | None, value) -> None:
        if model_field is None or not model_field.is_relation or value in (None, ""):
            return
        self.wanted[model_field.related_model].update(value if isinstance(value, list) else [value])

    def load(self) -> None:
        for model, pks in self.wanted.items():
            self.loaded[model] = model._default_manager.in_bulk(pks)

    def display(self, model_field: models.Field | None, value) -> str:
        if value is None or value == "" or value == []:
            return "—"
        if model_field is not None and model_field.is_relation:
            objects = self.loaded.get(model_field.related_model, {})
            values = value if isinstance(value, list) else [value]
            return ", ".join(str(objects[pk]) if pk in objects else f"#{pk}" for pk in values)
        if model_field is not None and model_field.choices:
            return str(dict(model_field.flatchoices).get(value, value))
        return str(value)


@dataclass
class _RawChange:
    kind: str
    model: type[models.Model]
    object_repr: str
    fields: list[tuple[models.Field | None, str, object, object]]  # field, label, before, after


def _raw_field_changes(model, before: dict, after: dict, related: _Related) -> list:
    changes = []
    for attname in after:
        if attname in IGNORED_FIELDS:
            continue
        old, new = before.get(attname), after.get(attname)
        if isinstance(old, list) and isinstance(new, list):
            old, new = sorted(old), sorted(new)
        if old != new:
            model_field = _model_field(model, attname)
            related.want(model_field, old)
            related.want(model_field, new)
            label = str(model_field.verbose_name) if model_field is not None else attname
            changes.append((model_field, label, old, new))
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


def _inline_models(model: type[models.Model]) -> list[type[models.Model]]:
    """The models of the rows edited inline on `model`'s page: those its versions follow."""
    if not reversion.is_registered(model):
        return []
    return [model._meta.get_field(name).related_model for name in _get_options(model).follow]


def _snapshots(revision_ids: list[int], subject: models.Model) -> dict[int, dict[tuple, Version]]:
    """For each revision, the subject's and its inline rows' versions, in one query.

    Only the subject's own row and rows of the models that can be its inline rows are read, so a
    revision that saved many other objects (a bulk action, an import) costs little here.
    """
    snapshots: dict[int, dict[tuple, Version]] = {revision_id: {} for revision_id in revision_ids}
    content_types = ContentType.objects.get_for_models(type(subject), *_inline_models(type(subject)))
    own = content_types.pop(type(subject))
    rows = Version.objects.filter(revision_id__in=revision_ids).filter(
        Q(content_type=own, object_id=str(subject.pk)) | Q(content_type__in=list(content_types.values()))
    )
    for version in rows:
        if _belongs_to(version, subject):
            snapshots[version.revision_id][(version.content_type_id, version.object_id)] = version
    return snapshots


def _raw_changes(before: dict | None, after: dict, subject, related: _Related) -> list[_RawChange]:
    if before is None:  # the first version: the object came into being, inline rows and all
        return [_RawChange("added", type(subject), str(subject), [])]
    changes = []
    for key, version in after.items():
        old = before.get(key)
        fields = _raw_field_changes(version._model, old.field_dict if old else {}, version.field_dict, related)
        if old is None:
            changes.append(_RawChange("added", version._model, version.object_repr, fields))
        elif fields:
            changes.append(_RawChange("changed", version._model, version.object_repr, fields))
    for key, version in before.items():
        if key not in after:
            changes.append(_RawChange("removed", version._model, version.object_repr, []))
    return changes


def _finish(raw: list[_RawChange], related: _Related) -> list[ObjectChange]:
    return [
        ObjectChange(
            change.kind,
            str(change.model._meta.verbose_name),
            change.object_repr,
            [FieldChange(label, related.display(f, before), related.display(f, after)) for f, label, before, after in change.fields],
        )
        for change in raw
    ]


def revision_changes(previous, current, subject: models.Model) -> list[ObjectChange]:
    """What `current` changed in `subject` and its inline rows compared with `previous` (None at first)."""
    revision_ids = [current.pk] + ([previous.pk] if previous is not None else [])
    snapshots = _snapshots(revision_ids, subject)
    related = _Related()
    raw = _raw_changes(snapshots[previous.pk] if previous is not None else None, snapshots[current.pk], subject, related)
    related.load()
    return _finish(raw, related)


def object_history_page(
    obj: models.Model, page_number=1, *, per_page: int = HISTORY_PAGE_SIZE
) -> tuple[Page, list[tuple[Version, list[ObjectChange]]]]:
    """One page of `obj`'s saved versions, newest first, each with what it changed.

    An invalid or out-of-range page number gives the nearest page, as an editor would expect.
    """
    versions = Version.objects.get_for_object(obj).select_related("revision", "revision__user").order_by("-pk")
    page = Paginator(versions, per_page).get_page(page_number)
    shown = list(page.object_list)
    if not shown:
        return page, []
    # The version just before the oldest one shown, to tell what that one changed.
    earlier = versions.filter(pk__lt=shown[-1].pk).first()
    chain = [*shown, *([earlier] if earlier else [])]
    snapshots = _snapshots([version.revision_id for version in chain], obj)
    related = _Related()
    raw = [
        _raw_changes(snapshots[older.revision_id] if older else None, snapshots[version.revision_id], obj, related)
        for version, older in zip(shown, [*chain[1:], None], strict=False)
    ]
    related.load()
    return page, [(version, _finish(changes, related)) for version, changes in zip(shown, raw, strict=True)]
