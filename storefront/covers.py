"""Book covers: resized thumbnails of an uploaded image, or a typographic cover drawn as SVG.

Thumbnails are made with Pillow on first request and kept under MEDIA_ROOT/thumbs, so pages
never link to an image that is not there and no separate media server is needed.
"""

from __future__ import annotations

import hashlib
import textwrap
from pathlib import Path

from django.conf import settings
from django.utils.html import escape

COVER_WIDTHS = (160, 320, 480, 640)
# The typographic cover's shape: a common trade-book proportion (2:3).
GENERATED_WIDTH, GENERATED_HEIGHT = 400, 600
PALETTE = ["#5e111c", "#1f3a5f", "#2f4f3a", "#4a2f5e", "#5c3b17", "#263238"]


def cover_version(name: str) -> str:
    """Changes whenever a new cover is uploaded, so browsers may cache each thumbnail forever."""
    return hashlib.sha256(name.encode()).hexdigest()[:12]


def thumbnail_path(book, width: int) -> Path:
    return Path(settings.MEDIA_ROOT) / "thumbs" / f"{book.pk}-{cover_version(book.cover.name)}-{width}.jpg"


def thumbnail(book, width: int) -> Path:
    """The cover resized to `width` pixels wide (never enlarged), as a JPEG file on disk."""
    from PIL import Image, ImageOps

    path = thumbnail_path(book, width)
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    with book.cover.open("rb") as source, Image.open(source) as image:
        image = ImageOps.exif_transpose(image).convert("RGB")
        if image.width > width:
            image = image.resize((width, round(image.height * width / image.width)), Image.Resampling.LANCZOS)
        temporary = path.with_suffix(".tmp")
        image.save(temporary, "JPEG", quality=85, optimize=True, progressive=True)
        temporary.replace(path)  # atomic: a concurrent request never reads half a file
    return path


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


def book_cover_url(book, width: int = 640) -> str:
    """The cover a link preview or search engine should use: the largest thumbnail, or the drawn one."""
    from django.urls import reverse

    if book.cover:
        return reverse("storefront:cover_image", kwargs={"slug": book.slug, "width": width}) + f"?v={cover_version(book.cover.name)}"
    return reverse("storefront:cover_generated", kwargs={"slug": book.slug})
