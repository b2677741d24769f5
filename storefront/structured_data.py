"""schema.org JSON-LD for the product page: a Book, with one workExample per format."""

from __future__ import annotations

from django.http import HttpRequest

from catalog.models import Book, Format

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
        "editor": [{"@type": "Person", "name": c.author.name} for c in book.contributions.all() if c.role == c.Role.EDITOR],
        "publisher": {"@type": "Organization", "name": book.publisher.name},
        "datePublished": book.publication_date.isoformat(),
        "numberOfPages": book.page_count,
        "bookEdition": book.edition_label,
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
    return {key: value for key, value in data.items() if value not in ([], "")}


def with_offers(data: dict, offers, *, country: str) -> dict:
    """`data` from `book_json_ld()` with each format's offer for a visitor in `country`; `offers`
    pairs each format with its quote there, in the same order. `data` itself is left as it was."""
    work_examples = []
    for work_example, (_fmt, quote) in zip(data.get("workExample", ()), offers, strict=True):
        offer = {
            "@type": "Offer",
            "availability": "https://schema.org/InStock" if quote.sold else "https://schema.org/OutOfStock",
            "eligibleRegion": country,
            "url": data["url"],
        }
        if quote.sold:
            offer.update(price=str(quote.amount), priceCurrency=quote.currency)
        work_examples.append({**work_example, "offers": offer})
    return {**data, "workExample": work_examples} if work_examples else data
