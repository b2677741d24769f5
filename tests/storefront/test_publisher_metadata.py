"""The product page shows the publisher's ONIX metadata where a reader looks for it, and the demo
catalogue shows each of them: pre-orders, a format not sold in a region, an out-of-print format,
a series, review quotes, subject codes, DOIs, related titles."""

import pytest
from django.test import Client

from catalog.models import Book, Format, ReviewQuote, SalesRights
from tests.conftest import normalize_space
from tests.storefront.test_price_box import price_box
from tests.storefront.test_seo import json_ld

pytestmark = pytest.mark.django_db


def page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_a_forthcoming_book_is_offered_for_pre_order_with_its_publication_date(demo_catalog, client):
    response = client.get("/books/small-machines/")
    content = response.content.decode()
    assert "To be published March 4, 2027 by" in content
    box = price_box(response)
    assert box.count("Forthcoming: to be published March 4, 2027") == 3
    # Each format says "Pre-order" beside its price, and its button says it too.
    assert box.count("Pre-order") == 6 and box.count("Pre-order :") == 3 and "USD $45.00" in box
    assert "Add to cart" not in box
    offers = [work["offers"] for work in json_ld(content)["workExample"]]
    assert {offer["availability"] for offer in offers} == {"https://schema.org/PreOrder"}


def test_a_hardback_not_for_sale_in_the_eurozone_says_so_there_and_is_sold_elsewhere(demo_catalog, client):
    germany = client.get("/books/counting-the-harvest/?country=DE")
    box = price_box(germany)
    hardback, ebook = box.split("eBook ISBN")
    assert "Not available in Germany" in hardback and "EUR" not in hardback
    assert "EUR €" in ebook
    hardback_offer = json_ld(germany.content.decode())["workExample"][0]["offers"]
    assert hardback_offer["availability"] == "https://schema.org/OutOfStock"
    assert "DE" in hardback_offer["ineligibleRegion"] and "FR" in hardback_offer["ineligibleRegion"]
    assert "price" not in hardback_offer
    us = price_box(Client().get("/books/counting-the-harvest/?country=US"))
    assert "Not available" not in us and "USD $95.00" in us


def test_an_out_of_print_format_is_listed_but_not_offered(demo_catalog, client):
    response = client.get("/books/letters-from-the-steppe/")
    box = price_box(response)
    assert "Hardback ISBN 978-1-911004-01-1 Out of print" in box
    assert "USD" not in box
    offer = json_ld(response.content.decode())["workExample"][0]["offers"]
    assert offer["availability"] == "https://schema.org/Discontinued"


def test_series_doi_edition_statement_language_and_subject_codes_are_in_the_header(demo_catalog, client):
    content = page(client, "/books/harbour-lights/")
    header = content.split('class="product-header"')[1].split("</header>")[0]
    assert '<p class="edition">2nd Edition <span class="edition-statement">(Revised and expanded)</span></p>' in header
    assert 'Part of <a href="/series/meridian-histories/">Meridian Histories</a>, volume 2' in header
    assert ('DOI <a href="https://doi.org/10.5555/harbour-lights.2021">'
            "https://doi.org/10.5555/harbour-lights.2021</a>") in header
    assert '<p class="language">Language: English</p>' in header
    assert 'Social History</a> <span class="subject-codes">(BISAC HIS054000, Thema NHTB)</span>' in header
    data = json_ld(content)
    assert data["bookEdition"] == "2nd Edition, Revised and expanded"
    assert data["sameAs"] == "https://doi.org/10.5555/harbour-lights.2021"
    assert data["isPartOf"] == {"@type": "BookSeries", "name": "Meridian Histories",
                                "url": "http://testserver/series/meridian-histories/"}
    assert data["position"] == 2


def test_review_quotes_and_endorsements_have_their_own_heading(demo_catalog, client):
    content = page(client, "/books/harbour-lights/")
    praise = content.split('id="praise-heading"')[1].split("</section>")[0]
    assert "Reviews &amp; Endorsements" in praise
    text = normalize_space(praise)
    assert "A humane and vivid history of the waterfront" in text
    assert "<cite>The Demo Review of Books (invented)</cite>" in text
    assert "— Professor Ada Quill (invented for the demo)" in text
    reviews = json_ld(content)["review"]
    assert [review["author"]["name"] for review in reviews] == [
        "The Demo Review of Books (invented)", "Professor Ada Quill (invented for the demo)"
    ]


def test_related_titles_link_to_their_books(demo_catalog, client):
    content = page(client, "/books/harbour-lights/")
    related = content.split('id="related-heading"')[1].split("</section>")[0]
    assert '<a href="/books/the-grammar-of-rivers/">The Grammar of Rivers</a>' in related
    assert "(Product by same author)" in related
    similar = page(client, "/books/counting-the-harvest/").split('id="related-heading"')[1].split("</section>")[0]
    assert "Small Machines: Clockmakers and the Making of Precision</a></li>" in similar  # "Similar" goes unsaid


def test_the_series_page_lists_its_books_in_order_and_is_in_the_sitemap(demo_catalog, client):
    content = page(client, "/series/meridian-histories/")
    assert "<h1>Meridian Histories</h1>" in content
    order = [content.index(title) for title in ("The Grammar of Rivers", "Harbour Lights", "Small Machines")]
    assert order == sorted(order)
    assert "Volume 1 · 1st Edition" in content and "Volume 3 · 1st Edition" in content
    assert "<loc>http://testserver/series/meridian-histories/</loc>" in page(client, "/sitemap-series.xml")


def test_the_seed_page_carries_google_scholar_tags_and_a_citation(seed_book, client):
    content = page(client, f"/books/{seed_book.slug}/")
    for tag in [
        '<meta name="citation_title" content="The Russian Revolution in Retreat, 1920–24: Soviet Workers and the New '
        'Communist Elite">',
        '<meta name="citation_author" content="Pirani, Simon">',
        '<meta name="citation_publication_date" content="2009/05/12">',
        '<meta name="citation_publisher" content="Routledge">',
        '<meta name="citation_isbn" content="9780415546416">',
    ]:
        assert tag in content
    assert "citation_doi" not in content  # the seed book has no DOI here
    cite = content.split('id="cite-heading"')[1].split("</section>")[0]
    assert ("Pirani, S. (2009). <i>The Russian Revolution in Retreat, 1920–24: Soviet Workers and the New Communist "
            "Elite</i>. Routledge.") in cite
    assert f'href="/books/{seed_book.slug}/cite.ris"' in cite and f'href="/books/{seed_book.slug}/cite.bib"' in cite


def test_a_change_to_quotes_or_sales_rights_is_seen_on_the_cached_page(demo_catalog, client,
                                                                        django_capture_on_commit_callbacks):
    url = "/books/harbour-lights/?country=AU"
    assert "Praise added today" not in page(client, url)
    assert "Not available in Australia" not in page(client, url)
    book = Book.objects.get(slug="harbour-lights")
    with django_capture_on_commit_callbacks(execute=True):
        ReviewQuote.objects.create(book=book, text="Praise added today", source="A Paper", position=9)
        SalesRights.objects.create(format=Format.objects.get(isbn="9781911001010"), rights_type="03",
                                   countries_included=["AU"])
    content = page(client, url)
    assert "Praise added today" in content
    assert "Not available in Australia" in content


def test_subjects_are_linked_with_the_codes_they_have():
    from catalog.models import Subject
    from storefront.templatetags.storefront_tags import subject_links

    subjects = [
        Subject(name="History & Art", slug="history-art", bisac_code="HIS000000", thema_code="NH"),
        Subject(name="Russia", slug="russia", thema_code="1DTA"),
        Subject(name="Plain", slug="plain"),
    ]
    assert subject_links(subjects) == (
        '<a href="/subjects/history-art/">History &amp; Art</a> <span class="subject-codes">(BISAC HIS000000, Thema NH)'
        '</span>, <a href="/subjects/russia/">Russia</a> <span class="subject-codes">(Thema 1DTA)</span>, '
        '<a href="/subjects/plain/">Plain</a>'
    )


def test_the_citation_downloads_link_to_the_book_s_files(demo_catalog, client):
    content = page(client, "/books/harbour-lights/")
    assert ('<a href="/books/harbour-lights/cite.ris" download>RIS</a> · '
            '<a href="/books/harbour-lights/cite.bib" download>BibTeX</a>') in content
