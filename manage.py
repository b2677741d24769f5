#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bookstore.settings")
    if sys.argv[1:2] == ["makemigrations"]:
        # A development-only command: debug is on unless the developer said otherwise.
        os.environ.setdefault("DJANGO_DEBUG", "1")
    if sys.argv[1:2] == ["demo"] and "DJANGO_DEBUG" not in os.environ:
        # The demo shows the store as a reader sees it, designed error pages included
        # (settings.BOOKSTORE_DEMO); DJANGO_DEBUG=1 in front gives Django's debug pages instead.
        os.environ["BOOKSTORE_DEMO"] = "1"
    # Commands may run long statements (migrations, imports, reindexing a large catalogue): the
    # statement time limit is for serving pages, and applies here only when set explicitly.
    os.environ.setdefault("DATABASE_STATEMENT_TIMEOUT", "0")
    from django.core.management import execute_from_command_line

    from bookstore.env import MissingSetting

    try:
        execute_from_command_line(sys.argv)
    except MissingSetting as error:
        sys.exit(f"Configuration error: {error}")


if __name__ == "__main__":
    main()
