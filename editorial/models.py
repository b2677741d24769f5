"""Optimistic locking for any model editors change: a version number checked in the UPDATE itself."""

from __future__ import annotations

from django.db import models
from django.db.models import F


class StaleEdit(Exception):
    """A save of an object loaded at a version that is no longer the saved one: nothing was written."""

    def __init__(self, instance: models.Model, loaded_version: int):
        self.instance = instance
        self.loaded_version = loaded_version
        super().__init__(
            f"{instance._meta.verbose_name} {instance.pk} was saved by someone else after version "
            f"{loaded_version} was loaded; nothing was written."
        )


class VersionField(models.PositiveIntegerField):
    """The row's version: 1 when created, one more at every save.

    On an update the value written is `version + 1` computed by the database (and read back with
    RETURNING, in the same query); `Versioned._do_update` adds the condition on the old value.
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("default", 1)
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)

    def pre_save(self, model_instance, add):
        if add:
            return super().pre_save(model_instance, add)
        return F(self.attname) + 1


class Versioned(models.Model):
    """A model whose saves refuse to overwrite a version they did not load.

    `save()` of an instance loaded at version N runs one statement,
    `UPDATE … SET …, version = version + 1 WHERE id = … AND version = N RETURNING version`,
    and raises `StaleEdit` if no row matched because someone else saved since. Two saves of the
    same loaded version can never both succeed, however close together they run: the database
    lets only one UPDATE match the row at version N. Like an IntegrityError, `StaleEdit` spoils
    the transaction it is raised in: to go on after one, save inside `transaction.atomic()` and
    catch it outside (`EditorialAdmin` shows the form again).

    Two kinds of save are not checked:

    - `save(update_fields=[...])` without "version" writes only the named fields (a bulk action
      marking a book changed), so it must not be refused; it still moves the version on, so
      forms opened before it notice the change.
    - A raw save (django-reversion restoring a revision, `loaddata`) writes the stored fields but
      leaves the version column as it is, never putting back the stored, older number (a form
      opened at that number long ago would pass its check again). The admin's restore form
      therefore carries the current version, and saving it is checked and moves it on.

    `QuerySet.update()` does not touch the version: it is for derived data (search text) that no
    editor types.
    """

    version = VersionField("version")

    class Meta:
        abstract = True

    def _do_update(self, base_qs, using, pk_val, values, update_fields, forced_update, returning_fields):
        version_field = self._meta.get_field("version")
        written = next((value for field, _model, value in values if field is version_field), None)
        if hasattr(written, "resolve_expression"):  # from VersionField.pre_save: an ordinary save
            loaded_version = getattr(self, version_field.attname)
            updated = super()._do_update(
                base_qs.filter(**{version_field.attname: loaded_version}),
                using,
                pk_val,
                values,
                update_fields,
                forced_update,
                returning_fields,
            )
            if updated or not base_qs.filter(pk=pk_val).exists():
                # Saved, or the row is gone: Django inserts it again, or raises, as for any model.
                return updated
            raise StaleEdit(self, loaded_version)

        # Not checked: named fields only (move the version on), or a raw save (keep the row's).
        version = F(version_field.attname) + 1 if written is None else F(version_field.attname)
        values = [*(item for item in values if item[0] is not version_field), (version_field, None, version)]
        if version_field not in returning_fields:
            returning_fields.append(version_field)  # so the instance learns the row's version
        return super()._do_update(base_qs, using, pk_val, values, update_fields, forced_update, returning_fields)
