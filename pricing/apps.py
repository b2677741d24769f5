from django.apps import AppConfig


class PricingConfig(AppConfig):
    name = "pricing"
    verbose_name = "Pricing"

    def ready(self):
        from pricing import checks  # noqa: F401 - registers the system checks
