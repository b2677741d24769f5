"""Exporting ONIX 3.0: valid against EDItEUR's schema, streamed, from the command and the admin."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from lxml import etree
from onixcheck import validate

from catalog.models import Book
from onix.export import onix_export_chunks

NS = {"o": "http://ns.editeur.org/onix/3.0/reference"}


def schema_errors(data: bytes) -> list[str]:
    """onixcheck's verdict with the official ONIX 3.0 XSD (reference tags) it ships: no messages means valid."""
    file = io.BytesIO(data)
    file.name = "export.xml"
    return [str(message) for message in validate(file, schemas=("xsd",))]




@pytest.mark.django_db
def test_the_whole_catalogue_and_each_demo_book_are_valid_onix_3(demo_catalog):
    whole = b"".join(onix_export_chunks())
    assert schema_errors(whole) == []
    root = etree.fromstring(whole)
    isbns = root.xpath("//o:Product/o:ProductIdentifier/o:IDValue/text()", namespaces=NS)
    assert sorted(isbns) == sorted(Book.objects.values_list("formats__isbn", flat=True))
    for book in Book.objects.all():
        one = b"".join(onix_export_chunks(Book.objects.filter(pk=book.pk)))
        assert schema_errors(one) == [], book.slug


def test_the_validator_does_find_a_broken_file():
    broken = b"""<?xml version="1.0"?><ONIXMessage release="3.0" xmlns="http://ns.editeur.org/onix/3.0/reference">
    <Header><Sender><SenderName>x</SenderName></Sender><SentDateTime>20260101</SentDateTime></Header>
    <Product><RecordReference>r</RecordReference><NotificationType>99</NotificationType></Product></ONIXMessage>"""
    assert schema_errors(broken)


@pytest.mark.django_db
def test_the_seed_book_exports_what_its_page_shows(seed_book):
    data = b"".join(onix_export_chunks(Book.objects.filter(pk=seed_book.pk)))
    product = etree.fromstring(data).find("o:Product", NS)
    text = lambda path: product.findtext(path, namespaces=NS)  # noqa: E731
    assert text("o:ProductIdentifier/o:IDValue") == "9780415546416"
    assert text("o:DescriptiveDetail/o:TitleDetail/o:TitleElement/o:TitleText") == seed_book.title
    assert text("o:DescriptiveDetail/o:Contributor/o:PersonName") == "Simon Pirani"
    assert text("o:DescriptiveDetail/o:Extent/o:ExtentValue") == "296"
    assert text("o:DescriptiveDetail/o:IllustrationsNote") == "14 B/W Illustrations"
    assert text("o:PublishingDetail/o:PublishingDate/o:Date") == "20090512"
    toc = product.xpath("o:CollateralDetail/o:TextContent[o:TextType='04']/o:Text/text()", namespaces=NS)[0]
    assert toc.splitlines()[0] == "Introduction: Workers and the Soviet State" and len(toc.splitlines()) == 16
    prices = product.xpath("o:ProductSupply/o:SupplyDetail/o:Price", namespaces=NS)
    assert any(p.findtext("o:CurrencyCode", namespaces=NS) == "USD" and
               p.findtext("o:PriceAmount", namespaces=NS) == "62.95" for p in prices)


@pytest.mark.django_db
def test_export_onix_writes_the_catalogue_to_a_file(demo_catalog, tmp_path):
    out = tmp_path / "catalogue.xml"
    call_command("export_onix", "--output", str(out))
    assert schema_errors(out.read_bytes()) == []
    assert out.read_bytes().count(b"<Product>") == Book.objects.values("formats").count()


@pytest.mark.django_db
def test_the_admin_exports_a_selection_and_one_book(onix_editor, seed_book):
    others = list(Book.objects.exclude(pk=seed_book.pk).values_list("pk", flat=True)[:2])
    response = onix_editor.post(
        "/admin/catalog/book/", {"action": "export_onix", "_selected_action": others, "index": 0}
    )
    assert response.status_code == 200 and response["Content-Type"].startswith("application/xml")
    data = b"".join(response.streaming_content)
    assert schema_errors(data) == []
    exported = set(etree.fromstring(data).xpath("//o:WorkIdentifier/o:IDValue/text()", namespaces=NS))
    assert exported == set(Book.objects.filter(pk__in=others).values_list("slug", flat=True))

    page = onix_editor.get(f"/admin/catalog/book/{seed_book.pk}/change/")
    link = f"/admin/onix/importjob/export/{seed_book.pk}/"
    assert f'<li><a href="{link}" download>Download ONIX</a></li>'.encode() in page.content
    one = onix_editor.get(link)
    assert f'filename="{seed_book.slug}.xml"' in one["Content-Disposition"]
    assert b"".join(one.streaming_content).count(b"<Product>") == 1
