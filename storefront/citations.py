"""Cite this book: an APA-style reference, RIS and BibTeX files, and Google Scholar's meta tags.

The files are written by rispy (RIS) and bibtexparser (BibTeX, LaTeX-encoded so classic BibTeX
reads accents and dashes), never by hand. The APA-style reference follows APA 7 for a whole book:
authors (or editors, "(Ed.)"/"(Eds.)") as “Family, I. I.”, the year, the title and subtitle in
italics as the publisher writes them (APA's sentence case is not applied: proper nouns cannot be
told apart automatically), the edition when not the first, the publisher, and the DOI as a link.
"""

from __future__ import annotations

import rispy
from bibtexparser import Library, write_string
from bibtexparser.middlewares import LatexEncodingMiddleware
from bibtexparser.model import Entry, Field
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify

from catalog.models import Author, Book, Contribution, english_ordinal
from storefront.jinja import escape_as_django as escaped


def cited_people(book: Book) -> tuple[list[Author], bool]:
    """Who a citation names: the authors, or the editors when the book has no author (True)."""
    contributions = list(book.contributions.all())
    authors = [c.author for c in contributions if c.role == Contribution.Role.AUTHOR]
    if authors:
        return authors, False
    return [c.author for c in contributions if c.role == Contribution.Role.EDITOR], True


def family_and_given(author: Author) -> tuple[str, str]:
    """From the sort name “Pirani, Simon”; a sort name without a comma is all family name."""
    family, _, given = author.sort_name.partition(",")
    if not given.strip() and " " in author.name.strip():
        *given_names, family = author.name.split()
        return family, " ".join(given_names)
    return family.strip(), given.strip()


def initials(given: str) -> str:
    """“Simon” -> “S.”, “Jean-Paul Marie” -> “J.-P. M.”."""
    return " ".join("-".join(f"{part[0]}." for part in word.split("-") if part) for word in given.split())


def apa_name(author: Author) -> str:
    family, given = family_and_given(author)
    return f"{family}, {initials(given)}" if given else family


def apa_names(names: list[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    if len(names) == 2:
        return f"{names[0]}, & {names[1]}"
    if len(names) > 20:  # APA 7: the first nineteen, an ellipsis, the last
        return ", ".join(names[:19]) + ", … " + names[-1]
    return ", ".join(names[:-1]) + f", & {names[-1]}"


def apa_citation(book: Book) -> SafeString:
    """“Pirani, S. (2009). <i>The Russian Revolution in Retreat, 1920–24: Soviet Workers …</i>. Routledge.”"""
    people, editors = cited_people(book)
    names = apa_names([apa_name(person) for person in people])
    if editors:
        names += " (Eds.)." if len(people) > 1 else " (Ed.)."
    edition = f" ({english_ordinal(book.edition)} ed.)" if book.edition > 1 else ""
    doi = f' <a href="{escaped(book.doi_url)}">{escaped(book.doi_url)}</a>' if book.doi else ""
    lead = f"{names} " if names else ""
    # As format_html() would write it, each value escaped as it escapes them, at a fraction of its cost.
    return mark_safe(  # noqa: S308 - every value escaped
        f"{escaped(lead)}({book.publication_date.year}). <i>{escaped(book.full_title)}</i>{escaped(edition)}. "
        f"{escaped(book.publisher.name)}.{doi}"
    )


class _RISFile(rispy.RisWriter):
    """rispy's writer without the "1." it numbers each reference with: a file of one reference
    starts with its TY line, as reference managers expect."""

    def set_header(self, count: int) -> str:
        return ""


def ris(book: Book, *, url: str) -> str:
    people, editors = cited_people(book)
    names = [person.sort_name or person.name for person in people]
    entry = {
        "type_of_reference": "EDBOOK" if editors else "BOOK",
        "title": book.title,
        "year": str(book.publication_date.year),
        "date": book.publication_date.strftime("%Y/%m/%d"),
        "publisher": book.publisher.name,
        "language": book.language,
        "urls": [url],
    }
    entry["secondary_authors" if editors else "authors"] = names
    if book.subtitle:
        entry["title"] = f"{book.title}: {book.subtitle}"
    if book.edition > 1:
        entry["edition"] = english_ordinal(book.edition)
    if book.series_id:
        entry["secondary_title"] = book.series.title
        if book.series_number:
            entry["volume"] = str(book.series_number)
    formats = list(book.formats.all())
    if formats:
        entry["issn"] = formats[0].isbn  # RIS's SN holds the ISBN of a book
    if book.doi:
        entry["doi"] = book.doi
    return rispy.dumps([entry], implementation=_RISFile)


def bibtex_key(book: Book) -> str:
    people, _ = cited_people(book)
    family = slugify(family_and_given(people[0])[0]).replace("-", "") if people else "anon"
    first_word = next((slugify(word) for word in book.title.split() if slugify(word)), "book")
    return f"{family}{book.publication_date.year}{first_word.replace('-', '')}"


def bibtex(book: Book, *, url: str) -> str:
    people, editors = cited_people(book)
    fields = [
        Field("editor" if editors else "author", " and ".join(person.sort_name or person.name for person in people)),
        Field("title", f"{book.title}: {book.subtitle}" if book.subtitle else book.title),
        Field("publisher", book.publisher.name),
        Field("year", str(book.publication_date.year)),
    ]
    if book.edition > 1:
        fields.append(Field("edition", english_ordinal(book.edition)))
    if book.series_id:
        fields.append(Field("series", book.series.title))
        if book.series_number:
            fields.append(Field("number", str(book.series_number)))
    formats = list(book.formats.all())
    if formats:
        fields.append(Field("isbn", formats[0].isbn))
    if book.doi:
        fields.append(Field("doi", book.doi))
    fields.append(Field("url", url))
    if not people:
        fields.pop(0)
    library = Library([Entry("book", bibtex_key(book), fields)])
    return write_string(library, prepend_middleware=[LatexEncodingMiddleware(enclose_urls=False)])
