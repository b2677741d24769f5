from django.apps import AppConfig


class OnixConfig(AppConfig):
    """ONIX for Books 3.0 in and out: imports (command, admin upload, background task) and exports."""

    name = "onix"
    verbose_name = "ONIX"
