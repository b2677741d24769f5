"""`manage.py benchmark`: the site's speed at a given catalogue size, measured over real HTTP.

`client` speaks HTTP (and generates load), `server` runs the project's gunicorn for measuring,
`picks` chooses what to ask for from the database, `figures` measures and tabulates, `urls` is
the measuring server's URLconf (the site plus the throughput floor).
"""
