"""Reading ONIX for Books 3.0 and 3.1 messages as a stream of plain product records.

The file is read with lxml's `iterparse`: each `<Product>` is turned into an `OnixProduct` (plain
values, no database) as soon as its end tag is read, and its elements are then dropped, so memory
stays bounded whatever the file's size. Reference tags (`<Product>`) and short tags (`<product>`)
are both read, with or without the ONIX namespace; short tags are turned into reference names as
they are met (`onix.tags`), so everything below speaks reference names.

What cannot be read stops the file with an `OnixFileError` naming the line: XML that is not well
formed, a root element other than `ONIXMessage`, an ONIX release other than 3.x. Products read
before such an error have already been handed on.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import IO

from lxml import etree

from onix.tags import SHORT_TO_REFERENCE

ONIX_NAMESPACES = {
    "",
    "http://ns.editeur.org/onix/3.0/reference",
    "http://ns.editeur.org/onix/3.0/short",
    "http://ns.editeur.org/onix/3.1/reference",
    "http://ns.editeur.org/onix/3.1/short",
}
ONIX_21_NAMESPACES = {"http://www.editeur.org/onix/2.1/reference", "http://www.editeur.org/onix/2.1/short"}
XHTML_NAMESPACE = "http://www.w3.org/1999/xhtml"


class OnixFileError(Exception):
    """The file as a whole cannot be read: the message says why and, where known, at which line."""

    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.line = line

    def __str__(self) -> str:
        return f"Line {self.line}: {self.message}" if self.line else self.message


@dataclass(frozen=True)
class OnixContributor:
    sequence: int
    role: str
    name: str
    sort_name: str
    identifiers: dict[str, str]  # IDTypeName (or NameIDType) → value
    biography: str  # HTML


@dataclass(frozen=True)
class OnixSubject:
    scheme: str
    scheme_name: str
    code: str
    heading: str


@dataclass(frozen=True)
class OnixPrice:
    price_type: str
    amount: str
    currency: str
    countries_included: tuple[str, ...]
    regions_included: tuple[str, ...]
    countries_excluded: tuple[str, ...]


@dataclass(frozen=True)
class OnixSalesRights:
    """One `<SalesRights>`: its type (list 46) and `<Territory>`, codes as the file has them."""

    rights_type: str
    countries_included: tuple[str, ...]
    regions_included: tuple[str, ...]
    countries_excluded: tuple[str, ...]
    regions_excluded: tuple[str, ...]


@dataclass
class OnixProduct:
    """One `<Product>` as read, values as the file has them (codes left as ONIX codes)."""

    line: int
    record_reference: str = ""
    notification_type: str = ""
    isbn: str = ""  # ProductIDType 15 (ISBN-13), else 03 (GTIN-13), else 02 (ISBN-10)
    product_form: str = ""
    work_identifiers: list[tuple[str, str]] = field(default_factory=list)  # (WorkIDType or IDTypeName, value)
    related_isbns: list[tuple[str, str]] = field(default_factory=list)  # (ProductRelationCode, ISBN)
    title: str = ""
    subtitle: str = ""
    contributors: list[OnixContributor] = field(default_factory=list)
    edition: int | None = None
    edition_statement: str = ""
    series_title: str = ""
    series_number: str = ""
    quotes: list[tuple[str, str, str, str]] = field(default_factory=list)  # (TextType, HTML, author, source)
    availability: str = ""
    language: str = ""  # ISO 639-2/B, with `language_country` its region if given
    language_country: str = ""
    page_count: int | None = None
    illustrations_note: str = ""
    subjects: list[OnixSubject] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)  # TextType → HTML (plain text for the contents, 04)
    publisher_name: str = ""
    publisher_identifiers: dict[str, str] = field(default_factory=dict)
    imprint_name: str = ""
    publishing_status: str = ""
    publication_date: date | None = None
    date_problem: str = ""
    sales_rights: list[OnixSalesRights] = field(default_factory=list)
    rest_of_world_rights: str = ""  # ROWSalesRightsType (list 46)
    prices: list[OnixPrice] = field(default_factory=list)

    @property
    def reference(self) -> str:
        """How the report names this record: its RecordReference, else its ISBN, else its line."""
        return self.record_reference or self.isbn or f"product at line {self.line}"


# Reference names by tag as lxml gives it (`{namespace}local`), remembered as tags are met: every
# element's name is asked for, and a file uses a few hundred tags (at most this many are kept).
_NAMES_KEPT = 5000
_names: dict[str, str] = {}


def _name(element) -> str:
    """An element's reference name, whatever tags and namespace the file uses."""
    tag = element.tag
    name = _names.get(tag)
    if name is None:
        local = etree.QName(tag).localname
        name = SHORT_TO_REFERENCE.get(local, local)
        if len(_names) < _NAMES_KEPT:
            _names[tag] = name
    return name


def _children(element, name: str) -> list:
    return [child for child in element if isinstance(child.tag, str) and _name(child) == name]


def _child(element, name: str):
    found = _children(element, name)
    return found[0] if found else None


def _text(element, name: str) -> str:
    child = _child(element, name)
    return " ".join((child.text or "").split()) if child is not None else ""


def _path_text(element, *names: str) -> str:
    for name in names[:-1]:
        element = _child(element, name)
        if element is None:
            return ""
    return _text(element, names[-1])


def _rich_text(element) -> str:
    """The content of a `<Text>` or `<BiographicalNote>` as HTML.

    XHTML given as elements (textformat 05) is serialized without its namespace; HTML given as
    escaped text (02, 03, or no textformat) is taken as it is; plain text (06, 07) becomes
    paragraphs, one per blank-line-separated block.
    """
    text_format = element.get("textformat", "")
    if len(element):
        parts = [element.text or ""]
        for child in element:
            copy = etree.fromstring(etree.tostring(child, with_tail=False))
            for node in copy.iter():
                if isinstance(node.tag, str):
                    node.tag = etree.QName(node).localname
            etree.cleanup_namespaces(copy)
            parts.append(etree.tostring(copy, encoding="unicode", with_tail=False))
            parts.append(child.tail or "")
        return "".join(parts).strip()
    content = (element.text or "").strip()
    if text_format in {"06", "07"} or (not text_format and "<" not in content):
        from django.utils.html import escape

        blocks = [" ".join(block.split()) for block in re.split(r"\n\s*\n", content) if block.strip()]
        return "".join(f"<p>{escape(block)}</p>" for block in blocks)
    return content


def _plain_lines(element) -> str:
    """The text of a `<Text>` as lines (a table of contents): markup's blocks and breaks become new lines."""
    if not len(element) and "<" not in (element.text or ""):
        return element.text or ""
    markup = _rich_text(element)
    markup = re.sub(r"(?i)<br\s*/?>|</(p|li|div|h[1-6])>", "\n", markup)
    from django.utils.html import strip_tags, unescape

    return unescape(strip_tags(markup))


def _date(element) -> tuple[date | None, str]:
    value = _text(element, "Date")
    date_element = _child(element, "Date")
    date_format = (date_element.get("dateformat") if date_element is not None else None) or _text(
        element, "DateFormat"
    ) or "00"
    try:
        if date_format == "00" and re.fullmatch(r"\d{8}", value):
            return date(int(value[:4]), int(value[4:6]), int(value[6:])), ""
        if date_format == "01" and re.fullmatch(r"\d{6}", value):
            return date(int(value[:4]), int(value[4:6]), 1), ""
        if date_format == "05" and re.fullmatch(r"\d{4}", value):
            return date(int(value), 1, 1), ""
    except ValueError:
        pass
    return None, f"publication date “{value}” (format {date_format}) is not a date"


def _contributor(element, fallback_sequence: int) -> OnixContributor:
    name = _text(element, "PersonName") or " ".join(
        part for part in (_text(element, "NamesBeforeKey"), _text(element, "KeyNames")) if part
    )
    name = name or _text(element, "CorporateName")
    sort_name = _text(element, "PersonNameInverted")
    if not sort_name and _text(element, "KeyNames"):
        sort_name = ", ".join(part for part in (_text(element, "KeyNames"), _text(element, "NamesBeforeKey")) if part)
    identifiers = {}
    for identifier in _children(element, "NameIdentifier"):
        key = _text(identifier, "IDTypeName") or _text(identifier, "NameIDType")
        identifiers[key] = _text(identifier, "IDValue")
    biography_element = _child(element, "BiographicalNote")
    sequence = _text(element, "SequenceNumber")
    return OnixContributor(
        sequence=int(sequence) if sequence.isdigit() else fallback_sequence,
        role=_text(element, "ContributorRole"),
        name=name,
        sort_name=sort_name or name,
        identifiers=identifiers,
        biography=_rich_text(biography_element) if biography_element is not None else "",
    )


def _territory(element) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """The `<Territory>` of `element`: countries included, regions included, countries excluded, regions excluded."""
    territory = _child(element, "Territory")
    if territory is None:
        return (), (), (), ()
    return tuple(
        tuple(_text(territory, name).split())
        for name in ("CountriesIncluded", "RegionsIncluded", "CountriesExcluded", "RegionsExcluded")
    )


def product_read(element, line: int) -> OnixProduct:
    """The values of one `<Product>` element."""
    product = OnixProduct(line=line)
    product.record_reference = _text(element, "RecordReference")
    product.notification_type = _text(element, "NotificationType")
    identifiers = {_text(i, "ProductIDType"): _text(i, "IDValue") for i in _children(element, "ProductIdentifier")}
    product.isbn = identifiers.get("15") or identifiers.get("03") or identifiers.get("02") or ""

    descriptive = _child(element, "DescriptiveDetail")
    if descriptive is not None:
        product.product_form = _text(descriptive, "ProductForm")
        for title_detail in _children(descriptive, "TitleDetail"):
            if _text(title_detail, "TitleType") not in {"01", ""}:
                continue
            for title_element in _children(title_detail, "TitleElement"):
                if _text(title_element, "TitleElementLevel") not in {"01", ""}:
                    continue
                product.title = _text(title_element, "TitleText") or " ".join(
                    part for part in (_text(title_element, "TitlePrefix"), _text(title_element, "TitleWithoutPrefix"))
                    if part
                )
                product.subtitle = _text(title_element, "Subtitle")
                break
            break
        product.contributors = sorted(
            (
                _contributor(contributor, position)
                for position, contributor in enumerate(_children(descriptive, "Contributor"), start=1)
            ),
            key=lambda contributor: contributor.sequence,
        )
        for collection in _children(descriptive, "Collection"):
            if _text(collection, "CollectionType") not in {"10", ""}:
                continue
            for title_detail in _children(collection, "TitleDetail"):
                for title_element in _children(title_detail, "TitleElement"):
                    if _text(title_element, "TitleElementLevel") == "02":
                        product.series_title = _text(title_element, "TitleText")
                        product.series_number = _text(title_element, "PartNumber")
            break
        product.edition_statement = _text(descriptive, "EditionStatement")
        edition = _text(descriptive, "EditionNumber")
        product.edition = int(edition) if edition.isdigit() else None
        for language in _children(descriptive, "Language"):
            if _text(language, "LanguageRole") in {"01", ""}:
                product.language = _text(language, "LanguageCode")
                product.language_country = _text(language, "CountryCode")
                break
        extents = {
            _text(extent, "ExtentType"): _text(extent, "ExtentValue")
            for extent in _children(descriptive, "Extent")
            if _text(extent, "ExtentUnit") in {"03", ""}
        }
        # Main content pages (00), else the content page count (11), else the total numbered pages (05, 06).
        pages = next((extents[kind] for kind in ("00", "11", "06", "05") if kind in extents), "")
        product.page_count = int(pages) if pages.isdigit() else None
        product.illustrations_note = _text(descriptive, "IllustrationsNote")
        product.subjects = [
            OnixSubject(
                scheme=_text(subject, "SubjectSchemeIdentifier"),
                scheme_name=_text(subject, "SubjectSchemeName"),
                code=_text(subject, "SubjectCode"),
                heading=_text(subject, "SubjectHeadingText"),
            )
            for subject in _children(descriptive, "Subject")
        ]

    collateral = _child(element, "CollateralDetail")
    if collateral is not None:
        for text_content in _children(collateral, "TextContent"):
            text_type = _text(text_content, "TextType")
            text = _child(text_content, "Text")
            if text is not None and text_type in {"06", "09"}:
                product.quotes.append(
                    (
                        text_type,
                        _rich_text(text),
                        _text(text_content, "TextAuthor"),
                        _text(text_content, "SourceTitle") or _text(text_content, "TextSourceCorporate"),
                    )
                )
                continue
            if text is None or text_type in product.texts:
                continue
            product.texts[text_type] = _plain_lines(text) if text_type == "04" else _rich_text(text)

    publishing = _child(element, "PublishingDetail")
    if publishing is not None:
        product.imprint_name = _path_text(publishing, "Imprint", "ImprintName")
        for publisher in _children(publishing, "Publisher"):
            if _text(publisher, "PublishingRole") in {"01", ""}:
                product.publisher_name = _text(publisher, "PublisherName")
                product.publisher_identifiers = {
                    (_text(i, "IDTypeName") or _text(i, "PublisherIDType")): _text(i, "IDValue")
                    for i in _children(publisher, "PublisherIdentifier")
                }
                break
        product.publishing_status = _text(publishing, "PublishingStatus")
        for publishing_date in _children(publishing, "PublishingDate"):
            if _text(publishing_date, "PublishingDateRole") in {"01", "11"}:
                product.publication_date, product.date_problem = _date(publishing_date)
                break
        for rights in _children(publishing, "SalesRights"):
            product.sales_rights.append(OnixSalesRights(_text(rights, "SalesRightsType"), *_territory(rights)))
        product.rest_of_world_rights = _text(publishing, "ROWSalesRightsType")

    related = _child(element, "RelatedMaterial")
    if related is not None:
        for work in _children(related, "RelatedWork"):
            if _text(work, "WorkRelationCode") != "01":
                continue
            for identifier in _children(work, "WorkIdentifier"):
                key = _text(identifier, "IDTypeName") or _text(identifier, "WorkIDType")
                product.work_identifiers.append((key, _text(identifier, "IDValue")))
        for related_product in _children(related, "RelatedProduct"):
            codes = [code.text or "" for code in _children(related_product, "ProductRelationCode")]
            for identifier in _children(related_product, "ProductIdentifier"):
                if _text(identifier, "ProductIDType") in {"15", "03", "02"}:
                    product.related_isbns.extend((code, _text(identifier, "IDValue")) for code in codes)

    for supply in _children(element, "ProductSupply"):
        for detail in _children(supply, "SupplyDetail"):
            product.availability = product.availability or _text(detail, "ProductAvailability")
            for price in _children(detail, "Price"):
                countries, regions, excluded, _regions_excluded = _territory(price)
                product.prices.append(
                    OnixPrice(
                        price_type=_text(price, "PriceType"),
                        amount=_text(price, "PriceAmount"),
                        currency=_text(price, "CurrencyCode"),
                        countries_included=countries,
                        regions_included=regions,
                        countries_excluded=excluded,
                    )
                )
    return product


class _CountingReader:
    """A file wrapper that counts the bytes read, for the progress bar."""

    def __init__(self, file: IO[bytes]):
        self.file = file
        self.bytes_read = 0

    def read(self, size: int = -1) -> bytes:
        data = self.file.read(size)
        self.bytes_read += len(data)
        return data


def products_read(file: IO[bytes], *, on_progress=None) -> Iterator[OnixProduct]:
    """Yield each product of the ONIX message in `file` (opened in binary mode), in file order.

    `on_progress(bytes_read)` is called after each product. Raises OnixFileError when the file is
    not an ONIX 3 message or stops being well-formed XML.
    """
    reader = _CountingReader(file)
    events = etree.iterparse(
        reader,
        events=("start", "end"),
        resolve_entities=False,
        load_dtd=False,
        no_network=True,
        huge_tree=False,
        remove_comments=True,
    )
    depth = 0
    try:
        for event, element in events:
            if not isinstance(element.tag, str):
                continue
            if event == "start":
                depth += 1
                if depth == 1:
                    _check_root(element)
                continue
            depth -= 1
            if depth == 1 and _name(element) == "Product":
                yield product_read(element, element.sourceline or 0)
                element.clear(keep_tail=False)
                parent = element.getparent()
                while element.getprevious() is not None:
                    del parent[0]
                if on_progress is not None:
                    on_progress(reader.bytes_read)
    except etree.XMLSyntaxError as error:
        line = error.lineno if getattr(error, "lineno", None) else None
        message = getattr(error, "msg", "") or str(error)
        if "Document is empty" in message or reader.bytes_read == 0:
            raise OnixFileError("The file is empty.") from None
        raise OnixFileError(f"The file is not well-formed XML: {message}", line) from None


def _check_root(element) -> None:
    namespace = etree.QName(element).namespace or ""
    local = etree.QName(element).localname
    if namespace in ONIX_21_NAMESPACES:
        raise OnixFileError("This is an ONIX 2.1 file; only ONIX 3.0 and 3.1 can be imported.", element.sourceline)
    if local not in {"ONIXMessage", "ONIXmessage"}:
        raise OnixFileError(
            f"This is not an ONIX file: its root element is <{local}>, where an ONIX message has <ONIXMessage>.",
            element.sourceline,
        )
    if namespace not in ONIX_NAMESPACES:
        raise OnixFileError(f"<{local}> is in the namespace {namespace}, which is not ONIX's.", element.sourceline)
    release = element.get("release", "")
    if not release.startswith("3."):
        found = f"release “{release}”" if release else "no release attribute"
        raise OnixFileError(
            f"Only ONIX 3.0 and 3.1 can be imported; this message has {found} (an ONIX 3 message says "
            '<ONIXMessage release="3.0">).',
            element.sourceline,
        )


def onix_file_check(file: IO[bytes]) -> None:
    """Raise OnixFileError if `file` does not start as an ONIX 3 message; reads only up to its root element.

    The file is left at its start. What comes later (a product, or XML broken further on) is
    reported by the import itself.
    """
    try:
        for _event, element in etree.iterparse(
            file, events=("start",), resolve_entities=False, load_dtd=False, no_network=True
        ):
            _check_root(element)
            return
        raise OnixFileError("The file is empty.")
    except etree.XMLSyntaxError as error:
        if "Document is empty" in str(error):
            raise OnixFileError("The file is empty.") from None
        raise OnixFileError(f"The file is not XML: {getattr(error, 'msg', '') or error}", error.lineno) from None
    finally:
        file.seek(0)
