"""WSGI entry point: `gunicorn bookstore.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application

from health.database import time_limits_install

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bookstore.settings")

application = get_wsgi_application()
time_limits_install()  # pages answer within the database time limits (health/database.py)
