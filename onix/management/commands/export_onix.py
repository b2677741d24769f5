"""`manage.py export_onix [--output FILE] [--book SLUG …]`: the catalogue as an ONIX 3.0 message."""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand, CommandError

from catalog.models import Book
from onix.export import onix_export


class Command(BaseCommand):
    help = "Write the whole catalogue (or the books named) as one ONIX 3.0 message, streamed."

    def add_arguments(self, parser):
        parser.add_argument("--output", "-o", help="File to write; standard output when left out.")
        parser.add_argument("--book", action="append", default=[], metavar="SLUG", help="Only this book (repeatable).")

    def handle(self, *args, output: str | None, book: list[str], **options):
        books = None
        if book:
            books = Book.objects.filter(slug__in=book)
            missing = set(book) - set(books.values_list("slug", flat=True))
            if missing:
                raise CommandError(f"No book with the slug {', '.join(sorted(missing))}.")
        if output:
            with open(output, "wb") as out:
                onix_export(books, out)
        else:
            onix_export(books, sys.stdout.buffer)
            sys.stdout.flush()
