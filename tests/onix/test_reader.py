"""Reading ONIX messages as a stream: every tag form, and clear refusals of what is not ONIX 3."""

from __future__ import annotations

import io

import pytest

from onix.reader import OnixFileError, onix_file_check, products_read
from tests.onix.conftest import onix_message, product_xml

ISBN = "9780306406157"


def read(data: bytes):
    return list(products_read(io.BytesIO(data)))


@pytest.mark.parametrize(
    ("short", "namespace", "release"),
    [(False, True, "3.0"), (True, True, "3.0"), (False, False, "3.0"), (True, False, "3.0"), (False, True, "3.1")],
)
def test_reference_and_short_tags_with_or_without_namespace_and_3_1_read_alike(short, namespace, release):
    data = onix_message(
        product_xml(ISBN, title="Tides", subtitle="A History", contributors=(("Ada Writer", "A01"), ("Bo Ed", "B01"))),
        short=short,
        namespace=namespace,
        release=release,
    )
    [product] = read(data)
    assert (product.isbn, product.title, product.subtitle, product.page_count) == (ISBN, "Tides", "A History", 200)
    assert [(c.name, c.role) for c in product.contributors] == [("Ada Writer", "A01"), ("Bo Ed", "B01")]
    assert product.publisher_name == "Test Press"
    assert str(product.publication_date) == "2024-01-01"
    assert product.record_reference == f"rec-{ISBN}"
    assert product.line > 2


def test_each_product_knows_its_line():
    data = onix_message(product_xml(ISBN), product_xml("9780262033848"))
    first, second = read(data)
    lines = data.decode().splitlines()
    assert lines[first.line - 1].strip() == "<Product>"
    assert lines[second.line - 1].strip() == "<Product>"
    assert second.line > first.line


def test_xhtml_text_is_kept_as_html_and_plain_text_becomes_paragraphs():
    texts = (
        '<TextContent><TextType>03</TextType><ContentAudience>00</ContentAudience>'
        '<Text textformat="05"><p xmlns="http://www.w3.org/1999/xhtml">One <em>two</em></p></Text></TextContent>'
        '<TextContent><TextType>02</TextType><ContentAudience>00</ContentAudience>'
        '<Text textformat="06">First &amp; more.\n\nSecond.</Text></TextContent>'
    )
    [product] = read(onix_message(product_xml(ISBN, texts=texts)))
    assert product.texts["03"] == "<p>One <em>two</em></p>"
    assert product.texts["02"] == "<p>First &amp; more.</p><p>Second.</p>"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty."),
        (b"<ONIXMessage release='3.0'><Header></ONIXMessage>", "not well-formed XML"),
        (b"<?xml version='1.0'?><rss><channel/></rss>", "its root element is <rss>"),
        (b"<ONIXMessage><Header/></ONIXMessage>", "Only ONIX 3.0 and 3.1"),
        (b"<ONIXMessage xmlns='http://www.editeur.org/onix/2.1/reference'/>", "ONIX 2.1 file"),
        (b"<ONIXMessage release='3.0' xmlns='urn:other'/>", "not ONIX's"),
    ],
)
def test_what_is_not_onix_3_is_refused_with_a_reason(data, message):
    with pytest.raises(OnixFileError) as refused:
        read(data)
    assert message in str(refused.value)


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"<?xml version='1.0'?><rss><channel/></rss>",
        b"<ONIXMessage><Header/></ONIXMessage>",
        b"not xml at all",
    ],
)
def test_the_upload_check_refuses_a_file_that_does_not_start_as_onix_3(data):
    with pytest.raises(OnixFileError):
        onix_file_check(io.BytesIO(data))


def test_the_upload_check_reads_only_the_root_and_rewinds():
    file = io.BytesIO(onix_message(product_xml(ISBN)) + b"<trailing garbage")
    onix_file_check(file)
    assert file.tell() == 0


def test_a_file_broken_midway_names_the_line_after_handing_on_what_came_before():
    data = onix_message(product_xml(ISBN)).replace(b"</ONIXMessage>", b"<Product><Broken></Product></ONIXMessage>")
    products = products_read(io.BytesIO(data))
    assert next(products).isbn == ISBN
    with pytest.raises(OnixFileError) as refused:
        next(products)
    assert refused.value.line == data.count(b"\n", 0, data.index(b"</Product></ONIX")) + 1
    assert str(refused.value).startswith(f"Line {refused.value.line}: The file is not well-formed XML")


def test_entities_are_not_expanded():
    data = (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
        b'<ONIXMessage release="3.0"><Header/><Product><RecordReference>&e;</RecordReference></Product></ONIXMessage>'
    )
    [product] = read(data)
    assert "root" not in product.record_reference
