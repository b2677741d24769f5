"""Covers: uploaded ones resized with width, height and srcset; a typographic one otherwise."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tests.factories import book_with

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"


def jpeg(width: int, height: int) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (120, 30, 40)).save(buffer, "JPEG")
    return SimpleUploadedFile("cover.jpg", buffer.getvalue(), content_type="image/jpeg")


def test_without_a_cover_the_page_shows_a_typographic_one(client):
    book = book_with()
    content = client.get(book.get_absolute_url()).content.decode()
    img = re.search(r'<img class="cover" src="([^"]+)"[^>]*>', content)
    assert img.group(1) == f"/books/{book.slug}/cover.svg"
    assert 'width="320" height="480"' in img.group(0) and f'alt="Cover of {book.title}"' in img.group(0)
    svg = client.get(img.group(1))
    assert svg["Content-Type"].startswith("image/svg+xml")
    text = svg.content.decode()
    assert book.title in text and book.contributions.first().author.name in text


def test_the_typographic_cover_escapes_the_title(client):
    book = book_with()
    book.title = '<script>alert("x")</script> & Co'
    book.save()
    text = client.get(f"/books/{book.slug}/cover.svg").content.decode()
    assert "<script>" not in text and "&lt;script&gt;" in text


def test_an_uploaded_cover_is_served_resized_with_dimensions_and_srcset(client):
    book = book_with()
    book.cover = jpeg(1200, 1800)
    book.save()
    content = client.get(book.get_absolute_url()).content.decode()
    img = re.search(r'<img class="cover"[^>]*>', content).group(0)
    assert 'width="320" height="480"' in img
    srcset = re.search(r'srcset="([^"]+)"', img).group(1)
    assert [entry.split()[1] for entry in srcset.split(", ")] == ["160w", "320w", "480w", "640w"]
    thumb_url = srcset.split(", ")[1].split()[0]
    response = client.get(thumb_url)
    assert response["Content-Type"] == "image/jpeg"
    assert "max-age=31536000" in response["Cache-Control"]
    with Image.open(io.BytesIO(b"".join(response.streaming_content))) as thumb:
        assert thumb.size == (320, 480)


def test_a_small_cover_is_never_enlarged(client):
    book = book_with()
    book.cover = jpeg(200, 300)
    book.save()
    content = client.get(book.get_absolute_url()).content.decode()
    img = re.search(r'<img class="cover"[^>]*>', content).group(0)
    assert 'width="200" height="300"' in img


@pytest.mark.parametrize("path", ["cover-999.jpg", "cover-320.jpg"])
def test_unknown_sizes_and_missing_uploads_are_404(client, path):
    book = book_with()
    assert client.get(f"/books/{book.slug}/{path}").status_code == 404


def test_a_file_that_is_not_an_image_is_refused_in_the_admin(admin_client):
    from tests.admin_forms import change_form

    book = book_with()
    url = f"/admin/catalog/book/{book.pk}/change/"
    data = change_form(admin_client, url, "book_form")
    data["cover"] = SimpleUploadedFile("cover.jpg", b"not really a jpeg", content_type="image/jpeg")
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "Upload a valid image" in response.content.decode()


def test_an_unreadable_stored_cover_is_a_404_not_a_500(client, settings):
    book = book_with()
    book.cover = jpeg(400, 600)
    book.save()
    with open(book.cover.path, "wb") as broken:
        broken.write(b"garbage")
    assert client.get(f"/books/{book.slug}/cover-320.jpg").status_code == 404
