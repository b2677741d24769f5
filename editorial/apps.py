from django.apps import AppConfig


class EditorialConfig(AppConfig):
    """How editors work in the admin: groups, history with diffs, safe concurrent edits."""

    name = "editorial"
    verbose_name = "Editorial"
