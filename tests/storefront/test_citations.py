"""Cite this book: RIS and BibTeX files that reference managers read back, and an APA-style reference."""

import bibtexparser
import pytest
import rispy

from catalog.models import Book
from storefront.citations import apa_citation

pytestmark = pytest.mark.django_db


def test_the_ris_file_reads_back_as_the_book(demo_catalog, client):
    response = client.get("/books/harbour-lights/cite.ris")
    assert response["Content-Type"] == "application/x-research-info-systems; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="harbour-lights.ris"'
    text = response.content.decode()
    assert text.startswith("TY  - BOOK\n")
    [entry] = rispy.loads(text)
    assert entry["title"] == "Harbour Lights: A Social History of Port Cities, 1850–1950"
    assert entry["authors"] == ["Ellery, Margaret"]
    assert (entry["year"], entry["publisher"], entry["edition"]) == ("2021", "Meridian Academic Press", "2nd")
    assert entry["doi"] == "10.5555/harbour-lights.2021" and entry["issn"] == "9781911001010"
    assert entry["secondary_title"] == "Meridian Histories"
    assert entry["urls"] == ["http://testserver/books/harbour-lights/"]


def test_an_edited_book_names_its_editors(demo_catalog, client):
    [entry] = rispy.loads(client.get("/books/letters-from-the-steppe/cite.ris").content.decode())
    assert entry["type_of_reference"] == "EDBOOK" and entry["secondary_authors"] == ["Marchand, Hélène"]
    library = bibtexparser.parse_string(client.get("/books/letters-from-the-steppe/cite.bib").content.decode())
    assert library.entries[0]["editor"] == r"Marchand, H\'el\`ene"
    assert "Marchand, H. (Ed.). (2016). <i>Letters from the Steppe: Travel Writing and Empire</i>." in apa_citation(
        Book.objects.get(slug="letters-from-the-steppe")
    )


def test_the_bibtex_file_reads_back_as_the_book(demo_catalog, client):
    response = client.get("/books/harbour-lights/cite.bib")
    assert response["Content-Type"] == "application/x-bibtex; charset=utf-8"
    library = bibtexparser.parse_string(response.content.decode())
    [entry] = library.entries
    assert (entry.entry_type, entry.key) == ("book", "ellery2021harbour")
    assert entry["author"] == "Ellery, Margaret"
    # LaTeX-encoded, so classic BibTeX prints the en dash.
    assert entry["title"] == r"Harbour Lights: A Social History of Port Cities, 1850{\textendash}1950"
    assert (entry["year"], entry["edition"]) == ("2021", "2nd")
    assert (entry["series"], entry["number"]) == ("Meridian Histories", "2")
    assert entry["doi"] == "10.5555/harbour-lights.2021"


def test_apa_reference_with_edition_two_authors_and_doi(demo_catalog):
    harbour = apa_citation(Book.objects.get(slug="harbour-lights"))
    assert harbour == (
        "Ellery, M. (2021). <i>Harbour Lights: A Social History of Port Cities, 1850–1950</i> (2nd ed.). "
        'Meridian Academic Press. <a href="https://doi.org/10.5555/harbour-lights.2021">'
        "https://doi.org/10.5555/harbour-lights.2021</a>"
    )
    harvest = apa_citation(Book.objects.get(slug="counting-the-harvest"))
    assert harvest.startswith("Ibarra, T., &amp; Marchand, H. (2023). <i>Counting the Harvest")


def test_an_unknown_citation_format_is_a_404(demo_catalog, client):
    assert client.get("/books/harbour-lights/cite.xml").status_code == 404
    assert client.get("/books/no-such-book/cite.ris").status_code == 404


def test_apa_reference_escapes_every_value_as_format_html_does():
    from django.utils.html import format_html

    from catalog.models import Publisher
    from tests.factories import AuthorFactory, BookFactory, ContributionFactory

    hostile = "<script>alert('x')</script> & \"quoted\""
    book = BookFactory(
        title=f"Title {hostile}", subtitle=f"Sub {hostile}", edition=3, doi="10.5555/a<b>&c",
        publisher=Publisher.objects.create(name=f"Press {hostile}", slug="press"),
    )
    ContributionFactory(book=book, author=AuthorFactory(name="Ann O'Hara <b>", sort_name="O'Hara <b>, Ann"))
    book = Book.objects.get(pk=book.pk)
    expected = format_html(
        "{} ({}). <i>{}</i>{}. {}.{}",
        "O'Hara <b>, A.",
        book.publication_date.year,
        f"{book.title}: {book.subtitle}",
        " (3rd ed.)",
        book.publisher.name,
        format_html(' <a href="{}">{}</a>', book.doi_url, book.doi_url),
    )
    assert apa_citation(book) == expected
    assert "<script>" not in apa_citation(book)
