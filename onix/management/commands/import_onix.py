"""`manage.py import_onix FILE… [--dry-run]`: load ONIX 3.0/3.1 files into the catalogue."""

from __future__ import annotations

import os

from django.core.management.base import BaseCommand, CommandError

from onix.services import ImportReport, onix_import


class Command(BaseCommand):
    help = (
        "Import ONIX 3.0 or 3.1 files (reference or short tags). Each product is saved on its own; "
        "refused products are listed with their record reference, line and reason."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument("--dry-run", action="store_true", help="Report what would change; save nothing.")

    def handle(self, *args, files: list[str], dry_run: bool, verbosity: int, **options):
        failed = False
        for path in files:
            if not os.path.isfile(path):
                raise CommandError(f"{path}: no such file.")
            size = os.path.getsize(path) or 1
            shown = {"percent": -1}

            def progress(bytes_read: int, report: ImportReport, path=path, size=size, shown=shown) -> None:
                percent = bytes_read * 100 // size
                if percent != shown["percent"] and verbosity >= 1 and percent % 5 == 0:
                    shown["percent"] = percent
                    self.stderr.write(f"{path}: {percent}% ({report.read} products)", ending="\r")

            with open(path, "rb") as file:
                report = onix_import(file=file, dry_run=dry_run, file_name=os.path.basename(path), on_progress=progress)
            self.stderr.write("")
            for product in report.products:
                if product.outcome == "refused":
                    self.stdout.write(f"{path}:{product.line}: {product.reference}: refused: {product.reason}")
                elif verbosity >= 2:
                    for what, before, after in product.changes:
                        self.stdout.write(f"{path}:{product.line}: {product.reference}: {what}: {before!r} → {after!r}")
                for note in product.notes:
                    self.stdout.write(f"{path}:{product.line}: {product.reference}: {note}")
            self.stdout.write(f"{path}: {report.summary()}")
            failed = failed or bool(report.file_error)
        if failed:
            raise CommandError("A file could not be read to its end; see above.")
