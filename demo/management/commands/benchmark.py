"""`manage.py benchmark [--books N]`: latency and throughput of the site over real HTTP, as a Markdown table."""

from __future__ import annotations

import os
import platform
import secrets
import signal
import sqlite3
import tempfile
import time
from pathlib import Path

import django
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from catalog.models import Book
from demo.benchmark.client import Browser, load_generator_name
from demo.benchmark.figures import (
    Figure,
    MeasureError,
    admin_login,
    admin_plans,
    measure_latency,
    measure_throughput,
    reader_plans,
    table,
    throughput_plans,
)
from demo.benchmark.picks import picks_make
from demo.benchmark.server import BenchmarkServer, ServerError

# The staff account the benchmark logs into the admin with, in the editors' group that the
# editorial migration creates (so it sees exactly what a catalog editor sees).
EDITOR_USERNAME = "benchmark-editor"
EDITOR_GROUP = "Catalog editors"


def _positive(value: str) -> int:
    number = int(value.replace(",", "").replace("_", ""))
    if number < 1:
        raise ValueError(value)
    return number


def _seconds(value: str) -> float:
    number = float(value)
    if number < 0:
        raise ValueError(value)
    return number


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    return line.partition(":")[2].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def database_description() -> str:
    if connection.vendor == "postgresql":
        version = connection.pg_version
        with connection.cursor() as cursor:
            # The planner setting the README's production section recommends: plans depend on it.
            cursor.execute("SHOW random_page_cost")
            random_page_cost = cursor.fetchone()[0]
        return f"PostgreSQL {version // 10000}.{version % 10000} (random_page_cost {random_page_cost})"
    if connection.vendor == "sqlite":
        return f"SQLite {sqlite3.sqlite_version}"
    return connection.display_name


class Command(BaseCommand):
    help = (
        "Measure the site over real HTTP with its own gunicorn (1 sync worker, debug off): p50/p95 "
        "latency of reader and admin pages, and throughput against a same-bytes floor view; print a "
        "Markdown table against the targets. With --books N, first generate synthetic books up to N."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--books", type=_positive, help="Catalogue size: generate synthetic books up to N if there are fewer."
        )
        parser.add_argument("--seed", type=int, default=0, help="Random seed for the books and words asked for.")
        parser.add_argument("--requests", type=_positive, default=50, help="Requests per latency figure.")
        parser.add_argument("--duration", type=_seconds, default=3, help="Seconds per throughput run.")
        parser.add_argument("--warmup", type=_seconds, default=1, help="Seconds of load before each run.")
        parser.add_argument("--rounds", type=_positive, default=3, help="Floor/page rounds per throughput figure.")
        parser.add_argument("--connections", type=_positive, default=16, help="Connections at once for throughput.")
        parser.add_argument(
            "--load-generator",
            choices=["auto", "wrk", "python"],
            default="auto",
            help="wrk, the standard-library generator, or auto: wrk when installed and durations are whole seconds.",
        )
        parser.add_argument("--skip-latency", action="store_true", help="Measure throughput only.")
        parser.add_argument("--skip-throughput", action="store_true", help="Measure latency only.")

    def log(self, message: str) -> None:
        self.stderr.write(f"[benchmark {time.monotonic() - self.started:5.0f} s] {message}")
        self.stderr.flush()

    def handle(self, *args, **options):
        self.started = time.monotonic()
        previous = signal.getsignal(signal.SIGTERM)

        def stop_on_term(signum, frame):
            raise KeyboardInterrupt

        signal.signal(signal.SIGTERM, stop_on_term)  # stopped like Ctrl-C: the server is stopped too
        try:
            self._run(**options)
        finally:
            signal.signal(signal.SIGTERM, previous)

    def _catalogue(self, books: int | None, seed: int) -> str:
        held = Book.objects.count()
        if books is None or held >= books:
            if not held:
                raise CommandError("The database holds no books: pass --books N to generate some.")
            return f"reused the {held:,} books in the database" + (f" (asked for {books:,})" if books else "")
        self.log(f"The database holds {held:,} books: generating {books - held:,} more.")
        call_command("generate_catalog", books=books - held, seed=seed, stdout=self.stderr, stderr=self.stderr)
        return f"generated {books - held:,} synthetic books, {Book.objects.count():,} in all"

    def _editor_password(self) -> str:
        group = Group.objects.filter(name=EDITOR_GROUP).first()
        if group is None:
            raise CommandError(f"No {EDITOR_GROUP!r} group: run migrate first.")
        user, _ = get_user_model().objects.get_or_create(username=EDITOR_USERNAME)
        password = secrets.token_urlsafe(24)
        user.set_password(password)
        user.is_staff, user.is_active, user.is_superuser = True, True, False
        user.save()
        user.groups.set([group])
        return password

    def _editor_lock(self) -> None:
        user = get_user_model().objects.filter(username=EDITOR_USERNAME).first()
        if user is not None:
            user.set_unusable_password()
            user.save(update_fields=["password"])

    def _run(self, *, books, seed, requests, duration, warmup, rounds, connections, load_generator, **options):
        skip_latency, skip_throughput = options["skip_latency"], options["skip_throughput"]
        catalogue = self._catalogue(books, seed)
        self.log(f"Catalogue: {catalogue}.")
        try:
            picks = picks_make(seed, requests)
        except ValueError as error:
            raise CommandError(str(error)) from None
        generator = load_generator_name(load_generator, duration)
        if generator == "wrk" and not float(duration).is_integer():
            raise CommandError(
                "wrk runs for whole seconds: give --duration in whole seconds or --load-generator python."
            )
        figures: list[Figure] = []
        server_description = "no server (nothing to measure)"
        if skip_latency and skip_throughput:
            self._report(figures, catalogue, server_description, requests, "")
            return
        with tempfile.TemporaryDirectory(prefix="bookstore-benchmark-") as folder:
            self.log("Starting gunicorn (the project's gunicorn.conf.py collects static files first).")
            try:
                with BenchmarkServer(Path(folder)) as server:
                    self.log(f"gunicorn pid {server.pid} serving on 127.0.0.1:{server.port}.")
                    if not skip_latency:
                        figures += self._latency(server, picks, requests)
                    if not skip_throughput:
                        figures += self._throughput(server, picks, generator, duration, warmup, rounds, connections)
                    server_description = server.description
                    server_pid = server.pid
            except ServerError as error:
                raise CommandError(str(error)) from None
            except KeyboardInterrupt:
                raise CommandError("Interrupted; gunicorn was stopped.") from None
        self.log(f"gunicorn pid {server_pid} stopped.")

        load = (
            ""
            if skip_throughput
            else f"; throughput with {generator if generator == 'wrk' else 'the standard-library load generator'}"
            f" ({connections} connections, {rounds} round(s) of {duration:g} s after {warmup:g} s warm-up)"
        )
        self._report(figures, catalogue, server_description, requests, load)
        failed = [figure.name for figure in figures if figure.error]
        if failed:
            raise CommandError(f"{len(failed)} figure(s) could not be measured: {', '.join(failed)}.")

    def _report(self, figures: list[Figure], catalogue: str, server_description: str, requests: int, load: str) -> None:
        held = Book.objects.count()
        self.stdout.write(table(figures))
        self.stdout.write("")
        self.stdout.write(
            f"Machine: {os.cpu_count()} CPUs ({cpu_model()}), {database_description()}, {held:,} books "
            f"({catalogue}); {server_description}, Python {platform.python_version()}, Django {django.get_version()}; "
            f"{requests} sequential requests per latency figure{load}; {time.monotonic() - self.started:.0f} s in all."
        )

    def _latency(self, server: BenchmarkServer, picks, requests: int) -> list[Figure]:
        reader = Browser(server.port)
        self.log("Latency: reader pages.")
        plans = reader_plans(reader, picks, requests, self.log)
        password = self._editor_password()
        try:
            editor = Browser(server.port)
            try:
                admin_login(editor, EDITOR_USERNAME, password)
                plans += admin_plans(editor, picks, requests, self.log)
            except MeasureError as error:
                failed = Figure("Admin pages", "latency", 500, error=str(error))
                return [self._measured(plan, requests, server) for plan in plans] + [failed]
            return [self._measured(plan, requests, server) for plan in plans]
        finally:
            self._editor_lock()

    def _measured(self, plan, requests: int, server: BenchmarkServer) -> Figure:
        server.check_alive()
        figure = measure_latency(plan, requests)
        result = figure.error or f"p50 {figure.p50_ms:.1f} ms, p95 {figure.p95_ms:.1f} ms"
        self.log(f"  {figure.name}: {result}")
        return figure

    def _throughput(self, server, picks, generator, duration, warmup, rounds, connections) -> list[Figure]:
        self.log(f"Throughput with {generator}, {connections} connections.")
        return [
            measure_throughput(
                plan,
                server,
                generator=generator,
                connections=connections,
                duration=duration,
                warmup=warmup,
                rounds=rounds,
                log=self.log,
            )
            for plan in throughput_plans(picks)
        ]
