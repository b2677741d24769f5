from django.apps import AppConfig


class StorefrontConfig(AppConfig):
    """What a reader sees: pages composed from the catalog and its prices."""

    name = "storefront"
    verbose_name = "Storefront"

    def ready(self):
        from storefront import checks  # noqa: F401 - registers the system checks
