"""ASGI entry point."""

import os

from django.core.asgi import get_asgi_application

from health.database import time_limits_install

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bookstore.settings")

application = get_asgi_application()
time_limits_install()  # pages answer within the database time limits (health/database.py)
