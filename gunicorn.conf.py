"""Gunicorn settings, read automatically by `gunicorn bookstore.wsgi` from this folder.

Each can be overridden on the command line or with GUNICORN_CMD_ARGS.
"""

import os

bind = "127.0.0.1:8000"
# One process per core, each with a few threads: pages are CPU-bound Python, so threads add
# little speed, but a request stuck waiting for the database (up to its time limits) holds one
# thread, not the whole process, and static files, robots.txt and /healthz keep answering
# (the README's "Production" section has the measurements).
worker_class = "gthread"
workers = int(os.environ.get("WEB_CONCURRENCY", "0")) or os.cpu_count() or 2
threads = int(os.environ.get("GUNICORN_THREADS", "0")) or 4
# A request still running after this many seconds is a stuck worker: it is killed and restarted.
timeout = 30
graceful_timeout = 30
accesslog = "-"


def on_starting(server):
    """Check the configuration, collect static files and forget cached pages, before any worker starts.

    A missing production variable stops gunicorn here with one clear line instead of a worker
    traceback; collecting at start-up means `gunicorn bookstore.wsgi` alone serves the hashed,
    compressed static files that whitenoise expects.
    """
    import sys

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bookstore.settings")
    from bookstore.env import MissingSetting

    try:
        import django

        django.setup()
    except MissingSetting as error:
        sys.exit(f"Configuration error: {error}")

    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)

    # New code, templates or settings: no reader page cached by the previous server is served.
    from storefront.page_cache import invalidate

    invalidate()
