#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bookstore.settings")
    if sys.argv[1:2] in (["demo"], ["makemigrations"]):
        # Development-only commands: debug is on unless the developer said otherwise.
        os.environ.setdefault("DJANGO_DEBUG", "1")
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
