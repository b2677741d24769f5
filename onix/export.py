"""Writing the catalogue as an ONIX for Books 3.0 message (reference tags), as a stream.

One `<Product>` per format. Books are read in chunks with everything their products show
prefetched; each product is built as a small element tree, written out and dropped, so memory
stays bounded whatever the catalogue's size. `onix_export_chunks(books)` yields the message's
bytes piece by piece (for a streamed download), `onix_export(books, out)` writes them to a file.

Prices are the set prices (`pricing.Price`), one per market: its currency, price type 01
(excluding tax) or 02 (including tax, where the market shows prices so), and the market's
territory (its countries, or for the rest of the world `WORLD` less every country another market
holds). Derived prices are not sent: they follow from the set ones here and from a retailer's own
rules elsewhere.

Each format's sales rights are its `<SalesRights>`; a book's related titles are `<RelatedProduct>`
composites with their list 51 relation and the related book's primary ISBN-13, after those (code
06) naming the book's other formats.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import IO

import langcodes
from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from lxml import etree

from catalog.models import Book, Contribution, Format, RelatedTitle, ReviewQuote, SalesRights, TocEntry
from catalog.rights import region_codes
from onix import codes
from pricing.models import Market, MarketCountry, Price
from pricing.money import minor_unit

NAMESPACE = "http://ns.editeur.org/onix/3.0/reference"
# Books read from the database at a time.
CHUNK_SIZE = 200


def books_for_export(books: QuerySet[Book] | None = None) -> QuerySet[Book]:
    """The books with everything their products show, in a fixed number of queries per chunk."""
    queryset = Book.objects.all() if books is None else books
    return (
        queryset.select_related("publisher", "series")
        .prefetch_related(
            Prefetch("contributions", Contribution.objects.select_related("author").order_by("book_id", "position")),
            Prefetch(
                "formats",
                Format.objects.order_by("book_id", "binding", "isbn").prefetch_related(
                    Prefetch("prices", Price.objects.order_by("format_id", "market_id")),
                    Prefetch("sales_rights", SalesRights.objects.order_by("format_id", "pk")),
                ),
            ),
            Prefetch(
                "related_titles",
                RelatedTitle.objects.order_by("book_id", "position", "pk")
                .select_related("related_book")
                .prefetch_related(
                    Prefetch("related_book__formats", Format.objects.order_by("book_id", "binding", "isbn"))
                ),
            ),
            Prefetch("toc_entries", TocEntry.objects.order_by("book_id", "position")),
            Prefetch("review_quotes", ReviewQuote.objects.order_by("book_id", "position")),
            "subjects",
        )
        .order_by("pk")
    )


def _territories() -> dict[int, tuple[list[str], list[str], list[str]]]:
    """Each market's territory as ONIX says it: (countries included, regions included, countries excluded)."""
    placed: dict[int, list[str]] = {}
    for market_id, country in MarketCountry.objects.order_by("country").values_list("market_id", "country"):
        placed.setdefault(market_id, []).append(str(country))
    territories = {}
    for market in Market.objects.all():
        if market.is_rest_of_world:
            elsewhere = sorted(c for market_id, cs in placed.items() if market_id != market.pk for c in cs)
            territories[market.pk] = ([], ["WORLD"], elsewhere)
        else:
            territories[market.pk] = (placed.get(market.pk, []), [], [])
    return territories


def _sub(parent, name: str, text: str | None = None, **attributes):
    element = etree.SubElement(parent, name, attributes)
    if text is not None:
        element.text = text
    return element


def _proprietary_identifier(parent, kind: str, type_name: str, value: str) -> None:
    """`<NameIdentifier>`, `<PublisherIdentifier>` or `<WorkIdentifier>` of type 01 (proprietary), named."""
    identifier = _sub(parent, f"{kind}Identifier")
    _sub(identifier, f"{kind}IDType", "01")
    _sub(identifier, "IDTypeName", type_name)
    _sub(identifier, "IDValue", value)


def _language_code(tag: str) -> tuple[str, str]:
    """ISO 639-2/B and the region for a BCP 47 tag; `und` (undetermined) for a tag that is none."""
    try:
        language = langcodes.Language.get(tag)
        return language.to_alpha3(variant="B"), language.territory or ""
    except (ValueError, LookupError):
        return "und", ""


def _sales_rights(publishing, rights: SalesRights) -> None:
    """`<SalesRights>` with its `<Territory>`, in the order ONIX 3.0's schema sets.

    The schema's territory is either countries (plus regions, less regions) or regions less
    countries and regions: it has no countries included beside countries excluded. Rights naming
    countries as well as regions with excepted countries are sent as two `<SalesRights>` of the
    same type, which cover the same territory.
    """
    countries = [country.code for country in rights.countries_included]
    regions = region_codes(rights.regions_included)
    excluded = [country.code for country in rights.countries_excluded]
    excluded_regions = region_codes(rights.regions_excluded)
    if countries and excluded:
        territories = [(countries, [], [], []), ([], regions, excluded, excluded_regions)]
    else:
        territories = [(countries, regions, excluded, excluded_regions)]
    for included, included_regions, excepted, excepted_regions in territories:
        element = _sub(publishing, "SalesRights")
        _sub(element, "SalesRightsType", rights.rights_type)
        territory = _sub(element, "Territory")
        for name, codes_ in (
            ("CountriesIncluded", included),
            ("RegionsIncluded", included_regions),
            ("CountriesExcluded", excepted),
            ("RegionsExcluded", excepted_regions),
        ):
            if codes_:
                _sub(territory, name, " ".join(codes_))


def product_element(book: Book, fmt: Format, markets: dict[int, Market], territories: dict, today: date):
    product = etree.Element("Product")
    _sub(product, "RecordReference", f"{settings.BOOKSTORE_SITE_NAME.lower().replace(' ', '-')}-{fmt.isbn}")
    _sub(product, "NotificationType", "03")
    identifier = _sub(product, "ProductIdentifier")
    _sub(identifier, "ProductIDType", "15")
    _sub(identifier, "IDValue", fmt.isbn)

    descriptive = _sub(product, "DescriptiveDetail")
    _sub(descriptive, "ProductComposition", "00")
    _sub(descriptive, "ProductForm", fmt.binding)
    if book.series_id is not None:
        collection = _sub(descriptive, "Collection")
        _sub(collection, "CollectionType", "10")  # publisher collection
        collection_title = _sub(collection, "TitleDetail")
        _sub(collection_title, "TitleType", "01")
        collection_element = _sub(collection_title, "TitleElement")
        _sub(collection_element, "TitleElementLevel", "02")
        if book.series_number is not None:
            _sub(collection_element, "PartNumber", str(book.series_number))
        _sub(collection_element, "TitleText", book.series.title)
    title_detail = _sub(descriptive, "TitleDetail")
    _sub(title_detail, "TitleType", "01")
    title_element = _sub(title_detail, "TitleElement")
    _sub(title_element, "TitleElementLevel", "01")
    _sub(title_element, "TitleText", book.title)
    if book.subtitle:
        _sub(title_element, "Subtitle", book.subtitle)
    for contribution in book.contributions.all():
        author = contribution.author
        contributor = _sub(descriptive, "Contributor")
        _sub(contributor, "SequenceNumber", str(contribution.position))
        _sub(contributor, "ContributorRole", codes.ROLE_CODES[contribution.role])
        _proprietary_identifier(contributor, "Name", codes.AUTHOR_ID_NAME, author.slug)
        _sub(contributor, "PersonName", author.name)
        _sub(contributor, "PersonNameInverted", author.sort_name)
        if author.biography:
            _sub(contributor, "BiographicalNote", author.biography, textformat="02")
    if not book.contributions.all():
        _sub(descriptive, "NoContributor")
    _sub(descriptive, "EditionNumber", str(book.edition))
    if book.edition_statement:
        _sub(descriptive, "EditionStatement", book.edition_statement)
    language_code, country = _language_code(book.language)
    language = _sub(descriptive, "Language")
    _sub(language, "LanguageRole", "01")
    _sub(language, "LanguageCode", language_code)
    if country:
        _sub(language, "CountryCode", country)
    extent = _sub(descriptive, "Extent")
    _sub(extent, "ExtentType", "00")
    _sub(extent, "ExtentValue", str(book.page_count))
    _sub(extent, "ExtentUnit", "03")
    if book.illustrations_note:
        _sub(descriptive, "IllustrationsNote", book.illustrations_note)
    for subject in book.subjects.all():
        element = _sub(descriptive, "Subject")
        _sub(element, "SubjectSchemeIdentifier", codes.PROPRIETARY_SUBJECT_SCHEME)
        _sub(element, "SubjectSchemeName", codes.SUBJECT_SCHEME_NAME)
        _sub(element, "SubjectCode", subject.slug)
        _sub(element, "SubjectHeadingText", subject.name)
        for scheme, code in ((codes.BISAC_SCHEME, subject.bisac_code), (codes.THEMA_SCHEME, subject.thema_code)):
            if code:
                coded = _sub(descriptive, "Subject")
                _sub(coded, "SubjectSchemeIdentifier", scheme)
                _sub(coded, "SubjectCode", code)
                _sub(coded, "SubjectHeadingText", subject.name)

    texts = []
    if book.description:
        texts.append((codes.TEXT_DESCRIPTION, book.description, "02"))
    toc = book.toc_entries.all()
    if toc:
        lines = "\n".join(
            "  " * (entry.level - 1) + " ".join(part for part in (entry.label, entry.title) if part) for entry in toc
        )
        texts.append((codes.TEXT_TABLE_OF_CONTENTS, lines, "06"))
    quotes = list(book.review_quotes.all())
    if texts or quotes:
        collateral = _sub(product, "CollateralDetail")
        for text_type, text, text_format in texts:
            text_content = _sub(collateral, "TextContent")
            _sub(text_content, "TextType", text_type)
            _sub(text_content, "ContentAudience", "00")
            _sub(text_content, "Text", text, textformat=text_format)
        for quote in quotes:
            text_content = _sub(collateral, "TextContent")
            _sub(text_content, "TextType", quote.kind)
            _sub(text_content, "ContentAudience", "00")
            _sub(text_content, "Text", quote.text, textformat="02")
            if quote.author:
                _sub(text_content, "TextAuthor", quote.author)
            if quote.source:
                _sub(text_content, "SourceTitle", quote.source)

    day = fmt.publication_date or book.publication_date
    publishing = _sub(product, "PublishingDetail")
    publisher = _sub(publishing, "Publisher")
    _sub(publisher, "PublishingRole", "01")
    _proprietary_identifier(publisher, "Publisher", codes.PUBLISHER_ID_NAME, book.publisher.slug)
    _sub(publisher, "PublisherName", book.publisher.name)
    _sub(publishing, "PublishingStatus", fmt.publishing_status)
    publishing_date = _sub(publishing, "PublishingDate")
    _sub(publishing_date, "PublishingDateRole", "01")
    _sub(publishing_date, "Date", day.strftime("%Y%m%d"), dateformat="00")
    for rights in fmt.sales_rights.all():
        _sales_rights(publishing, rights)
    if fmt.rest_of_world_rights:
        _sub(publishing, "ROWSalesRightsType", fmt.rest_of_world_rights)

    related = _sub(product, "RelatedMaterial")
    work = _sub(related, "RelatedWork")
    _sub(work, "WorkRelationCode", "01")
    _proprietary_identifier(work, "Work", codes.BOOK_ID_NAME, book.slug)
    if book.doi:
        doi = _sub(work, "WorkIdentifier")
        _sub(doi, "WorkIDType", "06")
        _sub(doi, "IDValue", book.doi)
    for other in book.formats.all():
        if other.pk != fmt.pk:
            related_product = _sub(related, "RelatedProduct")
            _sub(related_product, "ProductRelationCode", "06")
            other_identifier = _sub(related_product, "ProductIdentifier")
            _sub(other_identifier, "ProductIDType", "15")
            _sub(other_identifier, "IDValue", other.isbn)
    for related_title in book.related_titles.all():
        related_format = related_title.related_book.primary_format
        if related_format is not None:
            related_product = _sub(related, "RelatedProduct")
            _sub(related_product, "ProductRelationCode", related_title.relation)
            related_identifier = _sub(related_product, "ProductIdentifier")
            _sub(related_identifier, "ProductIDType", "15")
            _sub(related_identifier, "IDValue", related_format.isbn)

    supply = _sub(product, "ProductSupply")
    detail = _sub(supply, "SupplyDetail")
    supplier = _sub(detail, "Supplier")
    _sub(supplier, "SupplierRole", "01")
    _sub(supplier, "SupplierName", book.publisher.name)
    _sub(detail, "ProductAvailability", fmt.availability)
    prices = list(fmt.prices.all())
    if not prices:
        _sub(detail, "UnpricedItemType", "03")  # price to be announced
    for price in prices:
        market = markets[price.market_id]
        element = _sub(detail, "Price")
        _sub(element, "PriceType", "02" if market.prices_include_tax else "01")
        _sub(element, "PriceAmount", str(price.amount.quantize(minor_unit(market.currency))))
        _sub(element, "CurrencyCode", market.currency)
        countries, regions, excluded = territories[market.pk]
        territory = _sub(element, "Territory")
        if countries:
            _sub(territory, "CountriesIncluded", " ".join(countries))
        if regions:
            _sub(territory, "RegionsIncluded", " ".join(regions))
        if excluded:
            _sub(territory, "CountriesExcluded", " ".join(excluded))
    return product


def onix_export_chunks(books: QuerySet[Book] | None = None) -> Iterator[bytes]:
    """The ONIX message for `books` (every book when None), as successive pieces of UTF-8 bytes.

    The elements are built without a namespace and written inside the root element, which
    declares ONIX's reference namespace as the default one: so they are in it, declared once.
    """
    markets = {market.pk: market for market in Market.objects.all()}
    territories = _territories()
    today = timezone.localdate()
    yield f'<?xml version="1.0" encoding="UTF-8"?>\n<ONIXMessage release="3.0" xmlns="{NAMESPACE}">\n'.encode()
    header = etree.Element("Header")
    sender = _sub(header, "Sender")
    _sub(sender, "SenderName", settings.BOOKSTORE_SITE_NAME)
    _sub(header, "SentDateTime", timezone.now().strftime("%Y%m%dT%H%M%SZ"))
    _sub(header, "DefaultLanguageOfText", "eng")
    yield etree.tostring(header, encoding="UTF-8", pretty_print=True, xml_declaration=False)
    pieces = []
    for book in books_for_export(books).iterator(chunk_size=CHUNK_SIZE):
        for fmt in book.formats.all():
            product = product_element(book, fmt, markets, territories, today)
            pieces.append(etree.tostring(product, encoding="UTF-8", pretty_print=True, xml_declaration=False))
        if len(pieces) >= CHUNK_SIZE:
            yield b"".join(pieces)
            pieces = []
    yield b"".join(pieces) + b"</ONIXMessage>\n"


def onix_export(books: QuerySet[Book] | None, out: IO[bytes]) -> None:
    for piece in onix_export_chunks(books):
        out.write(piece)
