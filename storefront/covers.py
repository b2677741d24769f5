"""Book covers: resized thumbnails of an uploaded image, or a typographic cover drawn as SVG.

Uploaded covers and their thumbnails go through Django's storage API (the cover field's
storage), so a remote storage works as well as the local folder. Thumbnails are made with
Pillow on first request and kept under `thumbs/`; each is written under a unique temporary
name and then moved into place, so a concurrent request never reads half an image. Every
cover URL carries a version that changes with what the image shows, so browsers and CDNs may
keep it for a year.
"""

from __future__ import annotations

import hashlib
import os
import textwrap
import uuid
from io import BytesIO

from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, Storage
from django.urls import reverse
from django.utils.html import escape

COVER_WIDTHS = (160, 320, 480, 640)
# The typographic cover's shape: a common trade-book proportion (2:3).
GENERATED_WIDTH, GENERATED_HEIGHT = 400, 600
PALETTE = ["#5e111c", "#1f3a5f", "#2f4f3a", "#4a2f5e", "#5c3b17", "#263238"]
def _digest(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:12]


def cover_version(book) -> str:
    """Changes whenever the cover changes: a new upload, or for a drawn cover its title, subtitle or authors."""
    if book.cover:
        return _digest(book.cover.name)
    return _digest(book.title, book.subtitle, book.contributor_names)


def cover_url(book, width: int = 640) -> str:
    """The one place a cover's address is made: the uploaded cover `width` pixels wide, or the drawn one."""
    if book.cover:
        path = reverse("storefront:cover_image", kwargs={"slug": book.slug, "width": width})
    else:
        path = reverse("storefront:cover_generated", kwargs={"slug": book.slug})
    return f"{path}?v={cover_version(book)}"


def cover_widths(book) -> list[int]:
    """The thumbnail widths worth offering: none wider than the upload (the smallest always)."""
    return [width for width in COVER_WIDTHS if width <= max(book.cover_width or 0, COVER_WIDTHS[0])]


def thumbnail_name(book, width: int) -> str:
    return f"thumbs/{book.pk}-{cover_version(book)}-{width}.jpg"


def thumbnail(book, width: int) -> tuple[Storage, str]:
    """The cover resized to `width` pixels wide (never enlarged), as a JPEG in the cover's storage.

    Returns the storage and the file's name in it. Raises OSError, ValueError or Pillow's
    DecompressionBombError when the upload cannot be read as an image.
    """
    storage = book.cover.storage
    name = thumbnail_name(book, width)
    if not storage.exists(name):
        store_atomically(storage, name, resized_jpeg(book, width))
    return storage, name


def resized_jpeg(book, width: int) -> bytes:
    from PIL import Image, ImageOps

    with book.cover.open("rb") as source, Image.open(source) as image:
        image = ImageOps.exif_transpose(image).convert("RGB")
        if image.width > width:
            image = image.resize((width, round(image.height * width / image.width)), Image.Resampling.LANCZOS)
        buffer = BytesIO()
        image.save(buffer, "JPEG", quality=85, optimize=True, progressive=True)
    return buffer.getvalue()


def store_atomically(storage: Storage, name: str, content: bytes) -> None:
    """Write `content` as `name` so that nobody ever reads it half-written.

    On a local storage the bytes go to a unique temporary name first, which then replaces
    `name` in one step (`os.replace`); two requests making the same thumbnail at once each
    write their own temporary file. Other storages (S3 and the like) publish an object only
    once its upload is complete, so they are written directly.
    """
    if not isinstance(storage, FileSystemStorage):
        if not storage.exists(name):
            storage.save(name, ContentFile(content))
        return
    temporary = storage.save(f"{name}.{uuid.uuid4().hex}.tmp", ContentFile(content))
    os.replace(storage.path(temporary), storage.path(name))


def thumbnail_height(book, width: int) -> int:
    if book.cover_width and book.cover_height:
        shown = min(width, book.cover_width)
        return round(book.cover_height * shown / book.cover_width)
    return round(width * GENERATED_HEIGHT / GENERATED_WIDTH)


def typographic_cover_svg(*, title: str, subtitle: str, author: str, seed: str) -> str:
    """A plain, legible cover: title, subtitle and author in white on a colour picked from the slug."""
    colour = PALETTE[int(hashlib.sha256(seed.encode()).hexdigest(), 16) % len(PALETTE)]
    title_lines = textwrap.wrap(title, 16)[:5] or [""]
    subtitle_lines = textwrap.wrap(subtitle, 28)[:3]
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{GENERATED_WIDTH}" height="{GENERATED_HEIGHT}" '
        f'viewBox="0 0 {GENERATED_WIDTH} {GENERATED_HEIGHT}" role="img">',
        f'<rect width="100%" height="100%" fill="{colour}"/>',
        '<rect x="24" y="24" width="352" height="552" fill="none" stroke="#ffffff" stroke-opacity="0.6" stroke-width="2"/>',
    ]
    y = 120
    for line in title_lines:
        parts.append(
            f'<text x="200" y="{y}" text-anchor="middle" fill="#ffffff" font-family="Georgia, serif" '
            f'font-size="38" font-weight="bold">{escape(line)}</text>'
        )
        y += 48
    y += 12
    for line in subtitle_lines:
        parts.append(
            f'<text x="200" y="{y}" text-anchor="middle" fill="#ffffff" font-family="Georgia, serif" '
            f'font-size="20" font-style="italic">{escape(line)}</text>'
        )
        y += 28
    parts.append(
        f'<text x="200" y="530" text-anchor="middle" fill="#ffffff" font-family="Helvetica, Arial, sans-serif" '
        f'font-size="24" letter-spacing="1">{escape(author)}</text>'
    )
    parts.append("</svg>")
    return "\n".join(parts)
