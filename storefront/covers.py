"""Book covers: resized thumbnails of an uploaded image, or a typographic cover drawn as SVG.

Uploaded covers and their thumbnails go through Django's storage API (the cover field's
storage), so a remote storage works as well as the local folder. Thumbnails are made with
Pillow on first request and kept under `thumbs/`; each is written under a unique temporary
name and then moved into place, so a concurrent request never reads half an image. Every
cover URL carries a version that changes with what the image shows, so browsers and CDNs may
keep it for a year.
"""

from __future__ import annotations

import functools
import hashlib
import os
import unicodedata
import uuid
from dataclasses import dataclass
from io import BytesIO

from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, Storage
from django.utils.html import escape

from catalog.addresses import slug_url

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
        path = slug_url("storefront:cover_image", book.slug, width=width)
    else:
        path = slug_url("storefront:cover_generated", book.slug)
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


# The drawn cover's frame, and the box inside it that its text keeps to.
FRAME_X, FRAME_Y, FRAME_WIDTH, FRAME_HEIGHT = 24, 24, 352, 552
TEXT_LEFT, TEXT_RIGHT = FRAME_X + 20, FRAME_X + FRAME_WIDTH - 20
TEXT_TOP, TEXT_BOTTOM = FRAME_Y + 20, FRAME_Y + FRAME_HEIGHT - 20
# A font's glyphs reach this far above and below the baseline, in ems (common fonts: 0.9 and 0.24).
ASCENT, DESCENT = 0.95, 0.25


@dataclass(frozen=True)
class TextStyle:
    size: float  # font size at full scale, in SVG units
    line_height: float  # in ems
    attributes: str


TITLE = TextStyle(38, 1.25, 'font-family="Georgia, serif" font-weight="bold"')
SUBTITLE = TextStyle(20, 1.35, 'font-family="Georgia, serif" font-style="italic"')
AUTHOR = TextStyle(24, 1.3, 'font-family="Helvetica, Arial, sans-serif" letter-spacing="1"')
# Text shrinks step by step until it fits, down to this fraction of its full size; beyond that,
# lines are cut with an ellipsis rather than made unreadable.
SMALLEST_SCALE = 0.4

# Advance widths in ems, each rounded up to the widest of DejaVu Serif Bold, DejaVu Serif Italic
# and DejaVu Sans: the fonts Linux browsers fall back to for Georgia and Helvetica, and wider than
# those two, so an estimate from this table is never narrower than the drawn text.
_WIDTHS = {
    0.4: "ijl',./:;\\| ’‘",
    0.5: "ftIJ!()-[]_`–",
    0.6: 'rsvxyz"*?“”',
    0.7: "abcdegkopq0123456789${}",
    0.8: "hnuACEFLPSTVXYZ",
    0.9: "wBDGKOQRU#+<=>^~",
    1.0: "HN%&@—…",
    1.1: "m",
    1.2: "MW",
}
_WIDTH_OF = {char: width for width, chars in _WIDTHS.items() for char in chars}


def char_width(char: str) -> float:
    """A character's advance in ems, from the table above; an accented letter counts as its base letter."""
    if unicodedata.combining(char):
        return 0.0
    if unicodedata.east_asian_width(char) in "WF":
        return 1.1
    base = unicodedata.normalize("NFD", char)[0]
    return _WIDTH_OF.get(base, 1.2 if char.isupper() else 1.0)


def text_width(text: str, size: float, letter_spacing: float = 1) -> float:
    """An upper estimate of `text`'s width at font size `size` (letter spacing included)."""
    return sum(char_width(char) * size + letter_spacing for char in text)


def wrap(units: list[str], width: float, size: float) -> list[str]:
    """Greedy line breaking of `units` (words, or whole names) joined by spaces, each line at most `width`.

    A unit too wide for a line of its own is broken into its words, and a word too wide into pieces.
    """
    lines: list[str] = []
    line = ""
    for unit in units:
        candidate = f"{line} {unit}" if line else unit
        if text_width(candidate, size) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        if text_width(unit, size) <= width:
            line = unit
        elif " " in unit:
            *whole, line = wrap(unit.split(), width, size)
            lines.extend(whole)
        else:
            *whole, line = _break_word(unit, width, size)
            lines.extend(whole)
    if line:
        lines.append(line)
    return lines


def _break_word(word: str, width: float, size: float) -> list[str]:
    pieces, piece = [], ""
    for char in word:
        if piece and text_width(piece + char, size) > width:
            pieces.append(piece)
            piece = ""
        piece += char
    return [*pieces, piece]


def _cut(lines: list[str], count: int, width: float, size: float) -> list[str]:
    """The first `count` lines, the last ending in an ellipsis if any were left out."""
    if len(lines) <= count:
        return lines
    kept = lines[:count]
    if kept:
        last = kept[-1]
        while last and text_width(last.rstrip(" ,") + "…", size) > width:
            last = last[:-1]
        kept[-1] = last.rstrip(" ,") + "…"
    return kept


def _block_height(lines: list[str], style: TextStyle, scale: float) -> float:
    if not lines:
        return 0.0
    size = style.size * scale
    return (len(lines) - 1) * style.line_height * size + (ASCENT + DESCENT) * size


@dataclass(frozen=True)
class CoverLine:
    text: str
    x: float  # the line's centre
    y: float  # its baseline
    size: float
    style: TextStyle

    @property
    def width(self) -> float:
        return text_width(self.text, self.size)

    @property
    def top(self) -> float:
        return self.y - ASCENT * self.size

    @property
    def bottom(self) -> float:
        return self.y + DESCENT * self.size


def cover_layout(*, title: str, subtitle: str, author: str) -> list[CoverLine]:
    """The drawn cover's lines: title and subtitle from the top, authors at the foot, all inside the frame.

    Every block is wrapped to the text box's width and all shrink together until they fit its
    height; a text too long even at SMALLEST_SCALE is cut with an ellipsis.
    """
    width, height = TEXT_RIGHT - TEXT_LEFT, TEXT_BOTTOM - TEXT_TOP
    # Authors break between names where they can: “Tomás Ibarra,” / “Hélène Marchand”.
    names = [name.strip() for name in author.split(",") if name.strip()]
    author_units = [f"{name}," for name in names[:-1]] + names[-1:]
    scale = 1.0
    while True:
        title_lines = wrap(title.split(), width, TITLE.size * scale) or [""]
        subtitle_lines = wrap(subtitle.split(), width, SUBTITLE.size * scale)
        author_lines = wrap(author_units, width, AUTHOR.size * scale)
        gap = 24 * scale
        blocks = [(title_lines, TITLE), (subtitle_lines, SUBTITLE), (author_lines, AUTHOR)]
        needed = 2 * gap + sum(_block_height(lines, style, scale) for lines, style in blocks)
        if needed <= height or scale <= SMALLEST_SCALE:
            break
        scale = max(SMALLEST_SCALE, scale * 0.92)
    if needed > height:
        # Still too long at the smallest size: the subtitle and the authors give up lines first.
        def lines_fitting(style: TextStyle, share: float) -> int:
            size = style.size * scale
            return max(1, int((share - (ASCENT + DESCENT) * size) // (style.line_height * size)) + 1)

        author_lines = _cut(author_lines, lines_fitting(AUTHOR, height * 0.25), width, AUTHOR.size * scale)
        subtitle_lines = _cut(subtitle_lines, lines_fitting(SUBTITLE, height * 0.2), width, SUBTITLE.size * scale)
        rest = height - 2 * gap - _block_height(author_lines, AUTHOR, scale)
        rest -= _block_height(subtitle_lines, SUBTITLE, scale)
        title_lines = _cut(title_lines, lines_fitting(TITLE, rest), width, TITLE.size * scale)
    centre = (TEXT_LEFT + TEXT_RIGHT) / 2
    laid_out: list[CoverLine] = []

    def place(lines: list[str], style: TextStyle, top: float) -> float:
        size = style.size * scale
        for index, text in enumerate(lines):
            laid_out.append(
                CoverLine(text, centre, top + ASCENT * size + index * style.line_height * size, size, style)
            )
        return top + _block_height(lines, style, scale)

    # A short title stands a little below the frame's top; a long one starts right under it.
    spare = height - needed if needed <= height else 0
    below_title = place(title_lines, TITLE, TEXT_TOP + min(spare, 40 * scale))
    if subtitle_lines:
        place(subtitle_lines, SUBTITLE, below_title + gap / 2)
    place(author_lines, AUTHOR, TEXT_BOTTOM - _block_height(author_lines, AUTHOR, scale))
    return laid_out


def typographic_cover_svg(*, title: str, subtitle: str, author: str, seed: str) -> str:
    """A plain, legible cover: title, subtitle and author in white on a colour picked from the slug."""
    colour = PALETTE[int(hashlib.sha256(seed.encode()).hexdigest(), 16) % len(PALETTE)]
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{GENERATED_WIDTH}" height="{GENERATED_HEIGHT}" '
        f'viewBox="0 0 {GENERATED_WIDTH} {GENERATED_HEIGHT}" role="img">',
        f'<rect width="100%" height="100%" fill="{colour}"/>',
        f'<rect class="frame" x="{FRAME_X}" y="{FRAME_Y}" width="{FRAME_WIDTH}" height="{FRAME_HEIGHT}" '
        'fill="none" stroke="#ffffff" stroke-opacity="0.6" stroke-width="2"/>',
    ]
    for line in cover_layout(title=title, subtitle=subtitle, author=author):
        parts.append(
            f'<text x="{line.x:g}" y="{line.y:.1f}" text-anchor="middle" fill="#ffffff" '
            f'font-size="{line.size:.1f}" {line.style.attributes}>{escape(line.text)}</text>'
        )
    parts.append("</svg>")
    return "\n".join(parts)


# --- Social previews ----------------------------------------------------------------------
# Social networks show neither SVG nor a portrait image uncropped, so link previews get a PNG in
# the landscape shape they all display whole (1200×630): the cover, uploaded or drawn, centred
# on a quiet background.
SOCIAL_WIDTH, SOCIAL_HEIGHT = 1200, 630
SOCIAL_MARGIN = 30
SOCIAL_BACKGROUND = "#f3efe7"
# Fonts for drawing the typographic cover, by TextStyle: the DejaVu faces its width table is
# measured against first, then metric-compatible narrower ones; Pillow's own font if none is installed.
FONT_DIRS = ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/truetype/liberation", "/usr/share/fonts/TTF")
FONT_FILES = {
    "title": ("DejaVuSerif-Bold.ttf", "LiberationSerif-Bold.ttf"),
    "subtitle": ("DejaVuSerif-Italic.ttf", "LiberationSerif-Italic.ttf"),
    "author": ("DejaVuSans.ttf", "LiberationSans-Regular.ttf"),
}


def social_image_url(book) -> str:
    path = slug_url("storefront:cover_social", book.slug)
    return f"{path}?v={cover_version(book)}"


@functools.lru_cache(maxsize=64)
def _font(role: str, size: int):
    from PIL import ImageFont

    for name in FONT_FILES[role]:
        for folder in FONT_DIRS:
            path = os.path.join(folder, name)
            if os.path.exists(path):
                return ImageFont.truetype(path, size)
    return ImageFont.load_default(size)


def _role(style: TextStyle) -> str:
    return {TITLE: "title", SUBTITLE: "subtitle", AUTHOR: "author"}[style]


def typographic_cover_image(*, title: str, subtitle: str, author: str, seed: str, height: int):
    """The drawn cover (the same layout as the SVG) as a Pillow image `height` pixels tall."""
    from PIL import Image, ImageDraw

    scale = height / GENERATED_HEIGHT
    colour = PALETTE[int(hashlib.sha256(seed.encode()).hexdigest(), 16) % len(PALETTE)]
    image = Image.new("RGB", (round(GENERATED_WIDTH * scale), height), colour)
    draw = ImageDraw.Draw(image, "RGBA")
    draw.rectangle(
        [FRAME_X * scale, FRAME_Y * scale, (FRAME_X + FRAME_WIDTH) * scale, (FRAME_Y + FRAME_HEIGHT) * scale],
        outline=(255, 255, 255, 153),
        width=max(1, round(2 * scale)),
    )
    for line in cover_layout(title=title, subtitle=subtitle, author=author):
        font = _font(_role(line.style), max(1, round(line.size * scale)))
        draw.text((line.x * scale, line.y * scale), line.text, font=font, fill="#ffffff", anchor="ms")
    return image


def social_image_png(book) -> bytes:
    """The link-preview image, SOCIAL_WIDTH × SOCIAL_HEIGHT: the cover as large as fits, centred.

    Raises OSError, ValueError or Pillow's DecompressionBombError when an uploaded cover cannot
    be read as an image.
    """
    from PIL import Image, ImageOps

    box = (SOCIAL_WIDTH - 2 * SOCIAL_MARGIN, SOCIAL_HEIGHT - 2 * SOCIAL_MARGIN)
    if book.cover:
        with book.cover.open("rb") as source, Image.open(source) as upload:
            cover = ImageOps.contain(ImageOps.exif_transpose(upload).convert("RGB"), box, Image.Resampling.LANCZOS)
    else:
        cover = typographic_cover_image(
            title=book.title, subtitle=book.subtitle, author=book.contributor_names, seed=book.slug, height=box[1]
        )
    canvas = Image.new("RGB", (SOCIAL_WIDTH, SOCIAL_HEIGHT), SOCIAL_BACKGROUND)
    canvas.paste(cover, ((SOCIAL_WIDTH - cover.width) // 2, (SOCIAL_HEIGHT - cover.height) // 2))
    buffer = BytesIO()
    canvas.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()
