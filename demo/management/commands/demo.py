"""`manage.py demo [addrport]`: migrate, load the demo catalog, serve."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils.translation import ngettext

from catalog.models import Book
from demo.data import SEED_BOOK_SLUG
from demo.services import demo_catalog_load, demo_orders_load


def served_at(addrport: str) -> str:
    """The host and port `runserver addrport` serves on: `8080` -> `127.0.0.1:8080`."""
    return addrport if ":" in addrport else f"127.0.0.1:{addrport}"


class Command(BaseCommand):
    help = "Migrate the database, load the demo catalog (idempotently) and serve it on 127.0.0.1:8000."

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000", help="Address and port, as for runserver.")
        parser.add_argument("--noreload", action="store_true", help="Do not restart the server when code changes.")
        parser.add_argument("--load-only", action="store_true", help="Migrate and load the catalog, then exit.")

    def handle(self, *args, addrport: str, noreload: bool, load_only: bool, **options):
        # The autoreloader runs this command again in a child process (RUN_MAIN=true); the
        # parent has already migrated and loaded by then.
        if os.environ.get("RUN_MAIN") != "true":
            call_command("migrate", interactive=False, verbosity=0)
            report = demo_catalog_load()
            changes = sum(report.created.values()) + sum(report.changed.values()) + sum(report.removed.values())
            placed = demo_orders_load().created["Order"]
            books = Book.objects.count()
            self.stdout.write(
                f"Demo catalog ready: {books} {ngettext('book', 'books', books)} "
                f"({changes} {ngettext('row', 'rows', changes)} created or updated, the rest already current)"
                + (f"; {placed} example {ngettext('order', 'orders', placed)} placed." if placed else ".")
            )
            if not load_only:
                self.stdout.write(f"Product page: http://{served_at(addrport)}/books/{SEED_BOOK_SLUG}/")
        if load_only:
            return
        if not os.environ.get("BOOKSTORE_SITE_URL"):
            # Links in order emails lead to this server, on whatever port it was given.
            settings.BOOKSTORE_SITE_URL = f"http://{served_at(addrport)}"
        worker = None
        if os.environ.get("RUN_MAIN") != "true":
            # Background tasks (large ONIX imports) need a worker beside the server; it stops with it.
            worker = subprocess.Popen([sys.executable, "manage.py", "db_worker", "--no-reload"], cwd=settings.BASE_DIR)
            self.stdout.write(f"Task worker started (manage.py db_worker, process {worker.pid}).")
            # Stopped with SIGTERM, stop the worker too (the `finally` below runs on SystemExit).
            signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        try:
            call_command("runserver", addrport, use_reloader=not noreload)
        finally:
            if worker is not None:
                worker.terminate()
                try:
                    worker.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    worker.kill()
