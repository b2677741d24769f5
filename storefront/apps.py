from django.apps import AppConfig


class StorefrontConfig(AppConfig):
    """What a reader sees: pages composed from the catalog and its prices."""

    name = "storefront"
    verbose_name = "Storefront"

    def ready(self):
        from django.apps import apps
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from catalog.signals import catalogue_changed
        from storefront import checks  # noqa: F401 - registers the system checks
        from storefront.page_cache import invalidate_on_commit

        # Reader pages are made of the catalogue and its prices: any change to them, whoever
        # makes it (the admin, a restore from history, the demo loader, an import), forgets
        # the cached pages. Listening here keeps catalog and pricing unaware of pages.
        for app_label in ("catalog", "pricing"):
            for model in apps.get_app_config(app_label).get_models():
                label = model._meta.label
                post_save.connect(invalidate_on_commit, sender=model, dispatch_uid=f"page-cache-save-{label}")
                post_delete.connect(invalidate_on_commit, sender=model, dispatch_uid=f"page-cache-delete-{label}")
                for field in model._meta.local_many_to_many:  # a book's subjects
                    uid = f"page-cache-{label}.{field.name}"
                    m2m_changed.connect(invalidate_on_commit, sender=field.remote_field.through, dispatch_uid=uid)
        catalogue_changed.connect(invalidate_on_commit, dispatch_uid="page-cache-bulk")
