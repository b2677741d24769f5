"""Link previews: a 1200×630 PNG of the cover, drawn or uploaded, cached under its version."""

import io

import pytest
from PIL import Image

from storefront.covers import social_image_url
from tests.factories import book_with
from tests.storefront.test_covers import jpeg

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"


def preview(client, book) -> tuple:
    response = client.get(social_image_url(book))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    image = Image.open(io.BytesIO(response.content))
    return response, image.convert("RGB")


def test_a_drawn_cover_becomes_a_1200_by_630_png_cached_for_a_year(client):
    book = book_with()
    response, image = preview(client, book)
    assert image.size == (1200, 630)
    assert "max-age=31536000" in response["Cache-Control"] and "immutable" in response["Cache-Control"]
    # The cover stands in the middle on the background, its white text drawn on it.
    assert image.getpixel((5, 5)) == (0xF3, 0xEF, 0xE7)
    middle = image.crop((420, 40, 780, 590))
    assert (255, 255, 255) in {colour for _, colour in middle.getcolors(maxcolors=100_000)}
    # A bare or outdated address is kept only briefly.
    assert "max-age=300" in client.get(f"/books/{book.slug}/cover-social.png")["Cache-Control"]


def test_a_very_long_title_and_five_authors_still_make_a_preview(client):
    book = book_with(contributors=5)
    book.title = "The Long History of " * 10
    book.save()
    _, image = preview(client, book)
    assert image.size == (1200, 630)


def test_an_uploaded_cover_is_used_resized_to_fit(client):
    book = book_with()
    book.cover = jpeg(1200, 1800)
    book.save()
    _, image = preview(client, book)
    assert image.size == (1200, 630)
    # The upload's colour fills the middle (570 px tall, 380 wide), the background the sides.
    red, green, blue = image.getpixel((600, 315))
    assert abs(red - 120) < 8 and abs(green - 30) < 8 and abs(blue - 40) < 8
    assert image.getpixel((5, 315)) == (0xF3, 0xEF, 0xE7)
    assert image.getpixel((600 - 195, 315)) == (0xF3, 0xEF, 0xE7)


def test_an_unknown_book_has_no_preview(client):
    assert client.get("/books/no-such-book/cover-social.png").status_code == 404
