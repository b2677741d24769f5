"""The drawn cover's text wraps and shrinks to stay inside its frame, whatever the title or names."""

from pathlib import Path

import pytest

from storefront.covers import (
    AUTHOR,
    FRAME_HEIGHT,
    FRAME_WIDTH,
    FRAME_X,
    FRAME_Y,
    SUBTITLE,
    TEXT_BOTTOM,
    TEXT_LEFT,
    TEXT_RIGHT,
    TEXT_TOP,
    TITLE,
    cover_layout,
    typographic_cover_svg,
)

LONG_TITLE = (
    "A Comprehensive and Unabridged History of the Workers’ Councils, Trade Unions and Factory Committees "
    "of Petrograd, Moscow and the Donbas, with Their Correspondence, Minutes and Resolutions, 1917–1924."
)
FIVE_AUTHORS = "Tomás Ibarra, Hélène Marchand, Jean-Baptiste Oyelaran-Whitfield, Anna Kowalczyk-Nowak, Wu Xiaoming"


def assert_inside_the_frame(lines):
    assert TEXT_LEFT >= FRAME_X and TEXT_RIGHT <= FRAME_X + FRAME_WIDTH
    assert TEXT_TOP >= FRAME_Y and TEXT_BOTTOM <= FRAME_Y + FRAME_HEIGHT
    for line in lines:
        assert line.x - line.width / 2 >= TEXT_LEFT and line.x + line.width / 2 <= TEXT_RIGHT, line
    assert min(line.top for line in lines) >= TEXT_TOP
    assert max(line.bottom for line in lines) <= TEXT_BOTTOM
    # No two lines overlap: each starts below the one before.
    for above, below in zip(lines, lines[1:], strict=False):
        assert below.top >= above.bottom - 0.01 or below.y > above.y


def test_a_200_character_title_and_five_authors_fit_the_frame():
    assert len(LONG_TITLE) == 200
    lines = cover_layout(title=LONG_TITLE, subtitle="Documents and Commentary", author=FIVE_AUTHORS)
    assert_inside_the_frame(lines)
    # Nothing is lost: every word of the title and every name is on the cover.
    text = " ".join(line.text for line in lines)
    assert text.split() == [*LONG_TITLE.split(), "Documents", "and", "Commentary", *FIVE_AUTHORS.split()]


def test_a_short_title_keeps_its_full_size_and_long_author_lines_break_between_names():
    lines = cover_layout(title="Small Machines", subtitle="", author="Tomás Ibarra, Hélène Marchand, Ama Owusu")
    assert lines[0].size == 38
    authors = [line.text for line in lines if line.style.size == 24]
    assert authors[0].startswith("Tomás Ibarra,")
    assert all(not line.startswith(",") for line in authors)
    assert_inside_the_frame(lines)


@pytest.mark.parametrize(
    ("title", "subtitle", "author"),
    [
        ("", "", ""),
        ("Supercalifragilisticexpialidocious" * 8, "", "Bartholomew Featherstonehaugh-Wolfeschlegelsteinhausen"),
        ("W" * 300, "M" * 300, ", ".join(["Wilhelmina Montgomery-Worthington"] * 40)),
        ("历史与记忆：" * 50, "一九二〇年至一九二四年", "王小明, 李华"),
        ("word " * 2000, "word " * 2000, "Name Surname, " * 500),
    ],
)
def test_any_length_fits_cutting_with_an_ellipsis_only_when_it_cannot_shrink_further(title, subtitle, author):
    lines = cover_layout(title=title, subtitle=subtitle, author=author)
    assert_inside_the_frame(lines)
    shown = "".join(line.text for line in lines).replace(" ", "")
    if len(shown.replace("…", "")) < len((title + subtitle + author).replace(" ", "")):
        assert "…" in shown


DEJAVU = Path("/usr/share/fonts/truetype/dejavu")


@pytest.mark.parametrize(
    ("font", "style"),
    [("DejaVuSerif-Bold.ttf", TITLE), ("DejaVuSerif-Italic.ttf", SUBTITLE), ("DejaVuSans.ttf", AUTHOR)],
)
def test_the_estimate_is_no_narrower_than_the_widest_fallback_font(font, style):
    """DejaVu is what Chromium on Linux draws in when Georgia or Helvetica is missing, and wider than both."""
    from PIL import ImageFont

    if not (DEJAVU / font).exists():
        pytest.skip(f"{font} is not installed under {DEJAVU}")
    measured = ImageFont.truetype(str(DEJAVU / font), 100)
    lines = cover_layout(title=LONG_TITLE, subtitle="Documents and Commentary – Ødegård’s Édition", author=FIVE_AUTHORS)
    for line in (line for line in lines if line.style is style):
        assert measured.getlength(line.text) * line.size / 100 <= line.width, line.text


def test_the_svg_draws_each_line_at_its_laid_out_size():
    svg = typographic_cover_svg(title=LONG_TITLE, subtitle="", author=FIVE_AUTHORS, seed="x")
    lines = cover_layout(title=LONG_TITLE, subtitle="", author=FIVE_AUTHORS)
    assert svg.count("<text ") == len(lines)
    assert f'font-size="{lines[0].size:.1f}"' in svg
    assert "Hélène Marchand," in svg
