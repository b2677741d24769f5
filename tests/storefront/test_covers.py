"""Covers: uploaded ones resized with width, height and srcset; a typographic one otherwise."""

import io
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from catalog.models import Book
from storefront.covers import cover_url, store_atomically, thumbnail, thumbnail_name
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
    assert re.fullmatch(rf"/books/{book.slug}/cover\.svg\?v=[0-9a-f]{{12}}", img.group(1))
    assert 'width="320" height="480"' in img.group(0) and f'alt="Cover of {book.title}"' in img.group(0)
    svg = client.get(img.group(1))
    assert svg["Content-Type"].startswith("image/svg+xml")
    text = svg.content.decode()
    assert book.title in text and book.contributions.first().author.name in text
    assert "max-age=31536000" in svg["Cache-Control"] and "immutable" in svg["Cache-Control"]


def test_the_drawn_cover_address_changes_with_the_title_so_no_cache_keeps_the_old_one(client):
    book = book_with()
    before = cover_url(book)
    book.title = "A Corrected Title"
    book.save()
    book = Book.objects.with_contributors().get(pk=book.pk)
    after = cover_url(book)
    assert before != after
    assert "A Corrected" in client.get(after).content.decode()
    # The old address still answers with the current cover, but no cache may keep it for long.
    stale = client.get(before)
    assert "A Corrected" in stale.content.decode()
    assert "max-age=300" in stale["Cache-Control"] and "immutable" not in stale["Cache-Control"]


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


@pytest.mark.parametrize("path", ["cover-320.jpg", "cover-social.png"])
def test_an_unreadable_stored_cover_is_a_404_not_a_500(client, settings, path):
    book = book_with()
    book.cover = jpeg(400, 600)
    book.save()
    with open(book.cover.path, "wb") as broken:
        broken.write(b"garbage")
    assert client.get(f"/books/{book.slug}/{path}").status_code == 404


def test_covers_and_thumbnails_go_through_the_storage_api(client, settings):
    """A storage with no local files (as S3 would be) serves uploads and thumbnails all the same."""
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"}}
    book = book_with()
    book.cover = jpeg(1000, 1500)
    book.save()
    storage = book.cover.storage
    response = client.get(cover_url(book, 480))
    with Image.open(io.BytesIO(b"".join(response.streaming_content))) as thumb:
        assert thumb.size == (480, 720)
    assert storage.listdir("thumbs")[1] == [thumbnail_name(book, 480).split("/")[1]]  # no temporary left
    assert not Path(settings.MEDIA_ROOT).exists()  # nothing was written to the local disk


def test_concurrent_first_requests_each_get_a_whole_thumbnail(settings):
    """Eight threads make the same thumbnail at once: every one reads a complete JPEG, one file remains."""
    import threading

    book = book_with()
    book.cover = jpeg(1200, 1800)
    book.save()
    barrier = threading.Barrier(8)
    sizes, errors = [], []

    def make():
        try:
            own_copy = Book(pk=book.pk, slug=book.slug, cover=book.cover.name)  # as each request loads its own
            barrier.wait(timeout=10)
            storage, name = thumbnail(own_copy, 640)
            with storage.open(name, "rb") as file, Image.open(file) as image:
                image.load()  # raises on a truncated file
                sizes.append(image.size)
        except Exception as error:  # noqa: BLE001 - collected for the assertion below
            errors.append(error)

    threads = [threading.Thread(target=make) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sizes == [(640, 960)] * 8
    folder = book.cover.storage.path("thumbs")
    assert sorted(path.name for path in Path(folder).iterdir()) == [thumbnail_name(book, 640).split("/")[1]]


def test_a_thumbnail_appears_only_whole(settings, monkeypatch):
    """Until the finished file replaces it in one step, the thumbnail's name does not exist at all."""
    import os

    from django.core.files.storage import default_storage

    seen = []
    real_replace = os.replace

    def replace(source, destination):
        seen.append((default_storage.exists("thumbs/x.jpg"), open(source, "rb").read()))
        real_replace(source, destination)

    monkeypatch.setattr(os, "replace", replace)
    store_atomically(default_storage, "thumbs/x.jpg", b"whole image bytes")
    assert seen == [(False, b"whole image bytes")]
    assert default_storage.open("thumbs/x.jpg").read() == b"whole image bytes"
