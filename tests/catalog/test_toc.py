"""Splitting a pasted table of contents into label, title and level."""

import pytest

from catalog.toc import toc_parse


@pytest.mark.parametrize(
    ("line", "label", "title"),
    [
        ("Introduction: Workers and the Soviet State", "Introduction:", "Workers and the Soviet State"),
        (
            "1. Struggling to Survive: Workers in July-December 1920",
            "1.",
            "Struggling to Survive: Workers in July-December 1920",
        ),
        ("3. The Revolution that wasn’t: Workers", "3.", "The Revolution that wasn’t: Workers"),
        ("Appendix 1. Biographical Notes.", "Appendix 1.", "Biographical Notes."),
        ("Part II. Beyond the Urals", "Part II.", "Beyond the Urals"),
        ("Chapter 7: Longitude", "Chapter 7:", "Longitude"),
        ("IV. The Fourth", "IV.", "The Fourth"),
        ("Index", "", "Index"),
        ("1917 and After", "", "1917 and After"),
        ("Sweet Visions and Bitter Clashes: The Party", "", "Sweet Visions and Bitter Clashes: The Party"),
    ],
)
def test_labels_and_titles(line, label, title):
    [entry] = toc_parse(line)
    assert (entry.label, entry.title) == (label, title)


def test_one_entry_per_line_skipping_blank_lines_and_numbering_positions():
    entries = toc_parse("Introduction: A\n\n1. B\r\n2. C\n")
    assert [(e.position, e.label, e.title) for e in entries] == [
        (1, "Introduction:", "A"), (2, "1.", "B"), (3, "2.", "C")
    ]


def test_entries_run_together_with_two_spaces_are_split():
    entries = toc_parse("Introduction: A  1. B  Appendix 1. C  Appendix 2. D")
    assert [e.label for e in entries] == ["Introduction:", "1.", "Appendix 1.", "Appendix 2."]


def test_indentation_and_dotted_numbers_make_sub_entries():
    entries = toc_parse("Part I. Crossing\n\t1. A Merchant\n  2. A Surveyor\n2.1 Detail\n2.1.3 Finer")
    assert [e.level for e in entries] == [1, 2, 2, 2, 3]


def test_nothing_pasted_is_no_entries():
    assert toc_parse("") == [] and toc_parse("  \n \n") == []
