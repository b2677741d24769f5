from django.apps import AppConfig


class HealthConfig(AppConfig):
    """Whether the site can serve: liveness and readiness endpoints, time limits on the
    database, and a kind 503 page when the database cannot answer."""

    name = "health"
    verbose_name = "Health"

    def ready(self):
        from django.db import connections

        from health.database import wait_within_time_limits

        # PostgreSQL's statement_timeout is enforced by the server, and libpq's connect_timeout
        # only by its blocking connect; neither helps when the server's processes are stopped and
        # the kernel keeps accepting bytes for them. Waiting for the server ourselves bounds that too.
        if any(connections.settings[alias]["ENGINE"] == "django.db.backends.postgresql" for alias in connections):
            import psycopg2.extensions

            psycopg2.extensions.set_wait_callback(wait_within_time_limits)
