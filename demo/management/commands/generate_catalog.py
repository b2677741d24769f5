"""`manage.py generate_catalog --books N`: add a synthetic catalogue, for trying the site at scale."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError

from demo.synthetic import RealCatalogError, catalog_generate


def _positive(value: str) -> int:
    number = int(value.replace(",", "").replace("_", ""))
    if number < 1:
        raise ValueError(value)
    return number


class Command(BaseCommand):
    help = (
        "Add N synthetic books (slugs starting syn-) with authors, publishers, subjects, formats, "
        "contents, prices and the search index, in batches. Refuses if the database holds books "
        "that are neither synthetic nor the demo's, unless --allow-real-data."
    )

    def add_arguments(self, parser):
        parser.add_argument("--books", type=_positive, required=True, help="How many books to add, e.g. 100000.")
        parser.add_argument("--seed", type=int, default=0, help="Random seed: the same seed gives the same books.")
        parser.add_argument("--batch-size", type=_positive, default=2000, help="Books written per transaction.")
        parser.add_argument(
            "--allow-real-data",
            action="store_true",
            help="Add synthetic books even though the database holds other books (they are left alone).",
        )

    def handle(self, *args, books: int, seed: int, batch_size: int, allow_real_data: bool, **options):
        started = time.monotonic()

        def progress(done: int, total: int) -> None:
            elapsed = time.monotonic() - started
            rate = done / elapsed if elapsed else 0.0
            eta = (total - done) / rate if rate else 0.0
            self.stderr.write(
                f"\r{done:,} / {total:,} books ({done * 100 // total}%), {rate:,.0f} books/s, eta {eta:,.0f} s",
                ending="\n" if done == total else "",
            )
            self.stderr.flush()

        try:
            report = catalog_generate(
                books=books, seed=seed, batch_size=batch_size, allow_real_data=allow_real_data, progress=progress
            )
        except RealCatalogError as error:
            raise CommandError(
                f"{error} Generating would mix synthetic books with them; "
                "pass --allow-real-data to add synthetic books anyway."
            ) from None
        if report.loaded_markets:
            self.stdout.write("There were no markets: loaded the demo's markets, countries and exchange rates.")
        self.stdout.write(
            f"Added {report.books:,} books, {report.authors:,} authors, {report.publishers:,} publishers, "
            f"{report.subjects:,} subjects, {report.formats:,} formats, {report.toc_entries:,} contents entries "
            f"and {report.prices:,} prices in {report.seconds:,.1f} s ({report.books_per_second:,.0f} books/s)."
        )
