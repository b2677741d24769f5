"""HEAD is answered wherever GET is: headers as for GET, no body (monitors and crawlers send it)."""

import pytest

from demo.data import SEED_BOOK_SLUG

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("url", "content_type"),
    [
        ("/robots.txt", "text/plain; charset=utf-8"),
        (f"/books/{SEED_BOOK_SLUG}/cover.svg", "image/svg+xml; charset=utf-8"),
        (f"/books/{SEED_BOOK_SLUG}/", "text/html; charset=utf-8"),
        ("/", "text/html; charset=utf-8"),
    ],
)
def test_head_answers_like_get_without_a_body(demo_catalog, client, url, content_type):
    get = client.get(url)
    head = client.head(url)
    assert get.status_code == head.status_code == 200
    assert head["Content-Type"] == content_type
    assert head.content == b""


def test_other_methods_on_files_are_refused(demo_catalog, client):
    assert client.post("/robots.txt").status_code == 405
    assert client.delete(f"/books/{SEED_BOOK_SLUG}/cover.svg").status_code == 405
