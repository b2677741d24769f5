from django.apps import AppConfig


class HealthConfig(AppConfig):
    """Whether the site can serve: liveness and readiness endpoints, time limits on the
    database, and a kind 503 page when the database cannot answer."""

    name = "health"
    verbose_name = "Health"

    # The database time limits are installed by the web entry points (bookstore/wsgi.py and
    # asgi.py, through health.database.time_limits_install), not here: management commands wait
    # as long as their work needs, and psycopg2 cannot COPY under a wait callback.
