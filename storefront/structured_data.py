"""schema.org JSON-LD for the product page: a Book, with one workExample per format."""

from __future__ import annotations

from django.http import HttpRequest

from catalog.html import plain_text
from catalog.models import Book, Format
from catalog.onix_codes import EUROZONE, EUROZONE_COUNTRIES, TextType

BOOK_FORMATS = {
    Format.Binding.HARDBACK: "https://schema.org/Hardcover",
    Format.Binding.PAPERBACK: "https://schema.org/Paperback",
    Format.Binding.EBOOK: "https://schema.org/EBook",
}


def book_json_ld(book: Book, *, request: HttpRequest, cover_url: str, description: str) -> dict:
    """What the page says of the book in every country: a Book with one workExample per format, in
    the order of `book.formats.all()`, without offers (`with_offers()` adds the visitor's).
    `description` is the book's description as plain text (catalog.html.plain_text), which the
    page's meta tags use too."""
    url = request.build_absolute_uri(book.get_absolute_url())
    primary = book.primary_format
    data = {
        "@context": "https://schema.org",
        "@type": "Book",
        "@id": url,
        "url": url,
        "name": book.title,
        "author": [
            {"@type": "Person", "name": c.author.name, "url": request.build_absolute_uri(c.author.get_absolute_url())}
            for c in book.contributions.all()
            if c.role == c.Role.AUTHOR
        ],
        "editor": [
            {"@type": "Person", "name": c.author.name} for c in book.contributions.all() if c.role == c.Role.EDITOR
        ],
        "publisher": {"@type": "Organization", "name": book.publisher.name},
        "datePublished": book.publication_date.isoformat(),
        "numberOfPages": book.page_count,
        "bookEdition": f"{book.edition_label}, {book.edition_statement}" if book.edition_statement else book.edition_label,
        "inLanguage": book.language,
        "image": cover_url,
        "description": description,
        "workExample": [
            {
                "@type": "Book",
                "isbn": fmt.isbn,
                "bookFormat": BOOK_FORMATS[fmt.binding],
                "datePublished": fmt.effective_publication_date.isoformat(),
            }
            for fmt in book.formats.all()
        ],
    }
    if book.subtitle:
        data["alternativeHeadline"] = book.subtitle
    if primary:
        data["isbn"] = primary.isbn
    if book.doi:
        data["sameAs"] = book.doi_url
    if book.series_id:
        data["isPartOf"] = {
            "@type": "BookSeries",
            "name": book.series.title,
            "url": request.build_absolute_uri(book.series.get_absolute_url()),
        }
        if book.series_number:
            data["position"] = book.series_number
    reviews = [review_json_ld(quote) for quote in book.review_quotes.all() if quote.author or quote.source]
    if reviews:
        data["review"] = reviews
    return {key: value for key, value in data.items() if value not in ([], "")}


def with_offers(data: dict, offers, *, country: str) -> dict:
    """`data` from `book_json_ld()` with each format's offer for a visitor in `country`; `offers`
    pairs each format with its quote there, in the same order. `data` itself is left as it was."""
    work_examples = []
    for work_example, (fmt, quote) in zip(data.get("workExample", ()), offers, strict=True):
        offer = {"@type": "Offer", "availability": offer_availability(fmt, quote.sold), "url": data["url"]}
        if quote.sold:
            offer.update(price=str(quote.amount), priceCurrency=quote.currency, eligibleRegion=country)
        ineligible = ineligible_countries(fmt)
        if not quote.sold and fmt.is_offered and not fmt.for_sale_in(country):
            ineligible = sorted({*ineligible, country})
        if ineligible:
            offer["ineligibleRegion"] = ineligible
        work_examples.append({**work_example, "offers": offer})
    return {**data, "workExample": work_examples} if work_examples else data


def offer_availability(fmt: Format, sold: bool) -> str:
    """PreOrder for a forthcoming format, InStock where sold, Discontinued when its publisher no longer
    offers it (out of print, withdrawn …), OutOfStock where it is not sold to the visitor's country."""
    if not fmt.is_offered:
        return "https://schema.org/Discontinued"
    if not sold:
        return "https://schema.org/OutOfStock"
    return "https://schema.org/PreOrder" if fmt.is_forthcoming else "https://schema.org/InStock"


def ineligible_countries(fmt: Format) -> list[str]:
    """The countries its sales rights name as not for sale (a not-for-sale territory's countries, a
    for-sale territory's exceptions), as ISO 3166 codes; a territory of whole regions adds theirs."""
    codes: set[str] = set()
    for rights in fmt.rights():
        territory = rights.territory
        if rights.for_sale:
            codes |= territory.countries_excluded
            if EUROZONE in territory.regions_excluded:
                codes |= EUROZONE_COUNTRIES
        else:
            codes |= territory.countries_included
            if EUROZONE in territory.regions_included:
                codes |= EUROZONE_COUNTRIES
    return sorted(codes)


def review_json_ld(quote) -> dict:
    """A review quote or endorsement as a schema.org Review: its words, who gave it, where it appeared."""
    review = {"@type": "Review", "reviewBody": plain_text(quote.text)}
    if quote.author:
        review["author"] = {"@type": "Person", "name": quote.author}
    else:
        review["author"] = {"@type": "Organization", "name": quote.source}
    if quote.source:
        review["publisher"] = {"@type": "Organization", "name": quote.source}
    if quote.kind == TextType.ENDORSEMENT:
        review["name"] = "Endorsement"
    return review
