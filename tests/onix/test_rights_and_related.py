"""Sales rights and related titles in ONIX: read, applied idempotently, shown in a dry run, written back."""

from __future__ import annotations

import io
import re

import pytest

from catalog.models import Book, Format, RelatedTitle, SalesRights
from catalog.rights import for_sale_in
from onix.export import onix_export_chunks
from onix.services import onix_import
from tests.onix.conftest import onix_message, product_xml
from tests.onix.test_export import schema_errors

HARDBACK, PAPERBACK, OTHER, UNKNOWN = "9780306406157", "9780262033848", "9780131103627", "9780000000019"


def run(data: bytes, *, dry_run: bool = False):
    return onix_import(file=io.BytesIO(data), dry_run=dry_run, file_name="test.xml")


def compact(data: bytes) -> bytes:
    return re.sub(rb">\s+<", b"><", data)


def rights_xml(rights_type: str, **territory: str) -> str:
    names = {"countries": "CountriesIncluded", "regions": "RegionsIncluded",
             "except_countries": "CountriesExcluded", "except_regions": "RegionsExcluded"}
    inner = "".join(f"<{names[key]}>{value}</{names[key]}>" for key, value in territory.items())
    return f"<SalesRights><SalesRightsType>{rights_type}</SalesRightsType><Territory>{inner}</Territory></SalesRights>"


def related_xml(code: str, isbn: str) -> str:
    return (
        f"<RelatedProduct><ProductRelationCode>{code}</ProductRelationCode><ProductIdentifier>"
        f"<ProductIDType>15</ProductIDType><IDValue>{isbn}</IDValue></ProductIdentifier></RelatedProduct>"
    )


WORLD_EXCEPT_AU = rights_xml("01", regions="WORLD", except_countries="AU")
NOT_IN_EUROZONE = rights_xml("03", regions="ECZ")


@pytest.mark.django_db
def test_world_except_australia_and_a_not_for_sale_territory_are_imported_and_rule_the_sale():
    report = run(onix_message(product_xml(HARDBACK, publishing=WORLD_EXCEPT_AU + NOT_IN_EUROZONE)))
    assert report.counts["created"] == 1, report.products
    fmt = Format.objects.get(isbn=HARDBACK)
    rows = list(fmt.sales_rights.order_by("pk"))
    assert [(r.rights_type, r.regions_included, [c.code for c in r.countries_excluded]) for r in rows] == [
        ("01", "WORLD", ["AU"]),
        ("03", "ECZ", []),
    ]
    rights = [row.as_rights() for row in rows]
    assert for_sale_in(rights, "US") and for_sale_in(rights, "GB")
    assert not for_sale_in(rights, "AU") and not for_sale_in(rights, "DE")

    # Written back as they came, valid against the schema; the same file again changes nothing.
    exported = b"".join(onix_export_chunks(Book.objects.filter(formats__isbn=HARDBACK)))
    assert schema_errors(exported) == []
    assert (b"<SalesRightsType>01</SalesRightsType><Territory><RegionsIncluded>WORLD</RegionsIncluded>"
            b"<CountriesExcluded>AU</CountriesExcluded></Territory>") in compact(exported)
    assert b"<SalesRightsType>03</SalesRightsType>" in exported
    again = run(exported)
    assert again.counts == {"created": 0, "changed": 0, "unchanged": 1, "refused": 0}, again.products
    assert list(fmt.sales_rights.order_by("pk")) == rows


@pytest.mark.django_db
def test_a_dry_run_shows_changed_sales_rights_and_a_record_without_any_leaves_them_alone():
    run(onix_message(product_xml(HARDBACK, publishing=WORLD_EXCEPT_AU)))
    dry = run(onix_message(product_xml(HARDBACK, publishing=rights_xml("02", countries="GB IE"))), dry_run=True)
    assert dry.counts["changed"] == 1
    assert dry.products[0].changes == [
        (f"sales rights of {HARDBACK}", "For sale with exclusive rights: World except Australia",
         "For sale with non-exclusive rights: United Kingdom, Ireland")
    ]
    fmt = Format.objects.get(isbn=HARDBACK)
    assert [str(row) for row in fmt.sales_rights.all()] == ["For sale with exclusive rights: World except Australia"]
    assert run(onix_message(product_xml(HARDBACK))).counts["unchanged"] == 1
    assert fmt.sales_rights.count() == 1


@pytest.mark.django_db
def test_sales_rights_the_store_cannot_keep_refuse_the_product_and_change_nothing():
    run(onix_message(product_xml(HARDBACK, publishing=WORLD_EXCEPT_AU)))
    report = run(onix_message(product_xml(HARDBACK, title="Renamed", publishing=rights_xml("03", regions="GB-ENG"))))
    assert report.counts["refused"] == 1
    assert "GB-ENG" in report.products[0].reason and "Sales rights" in report.products[0].reason
    assert Book.objects.get(formats__isbn=HARDBACK).title == "A Test Book"
    assert [r.regions_included for r in SalesRights.objects.all()] == ["WORLD"]


@pytest.mark.django_db
def test_rights_naming_countries_and_regions_with_exceptions_export_as_two_valid_territories():
    run(onix_message(product_xml(HARDBACK)))
    fmt = Format.objects.get(isbn=HARDBACK)
    SalesRights.objects.create(
        format=fmt, rights_type="01", countries_included=["NZ"], regions_included="ECZ", countries_excluded=["FR"]
    )
    exported = b"".join(onix_export_chunks(Book.objects.filter(pk=fmt.book_id)))
    assert schema_errors(exported) == []
    assert exported.count(b"<SalesRights>") == 2
    run(exported)
    rights = [row.as_rights() for row in fmt.sales_rights.all()]
    assert for_sale_in(rights, "NZ") and for_sale_in(rights, "DE")
    assert not for_sale_in(rights, "FR") and not for_sale_in(rights, "US")


@pytest.mark.django_db
def test_related_titles_resolve_later_in_the_file_and_an_unknown_isbn_is_a_warning():
    data = onix_message(
        product_xml(HARDBACK, title="Tides", work="W1",
                    related=related_xml("06", PAPERBACK) + related_xml("23", OTHER) + related_xml("05", UNKNOWN)),
        product_xml(PAPERBACK, title="Tides", form="BC", work="W1",
                    related=related_xml("06", HARDBACK) + related_xml("23", OTHER) + related_xml("05", UNKNOWN)),
        product_xml(OTHER, title="Currents", work="W2"),
    )
    report = run(data)
    assert report.counts == {"created": 3, "changed": 0, "unchanged": 0, "refused": 0}
    tides, currents = Book.objects.get(title="Tides"), Book.objects.get(title="Currents")
    assert list(tides.related_titles.values_list("related_book", "relation", "position")) == [(currents.pk, "23", 1)]
    assert tides.formats.count() == 2  # the other format (06) is a format, not a related title
    first = next(p for p in report.products if p.isbn == HARDBACK)
    assert first.notes == [
        f"Related title {UNKNOWN} (ProductRelationCode 05): no book here has that ISBN; left out."
    ]

    again = run(data)
    assert again.counts == {"created": 0, "changed": 0, "unchanged": 3, "refused": 0}
    # Unchanged products are only counted, but the warning still reaches the report.
    assert [(p.isbn, p.outcome, len(p.notes)) for p in again.products] == [(HARDBACK, "unchanged", 1)]
    assert RelatedTitle.objects.count() == 1


@pytest.mark.django_db
def test_a_dry_run_shows_changed_related_titles_and_the_export_writes_them():
    run(onix_message(product_xml(HARDBACK, title="Tides", related=related_xml("23", OTHER)),
                     product_xml(OTHER, title="Currents")))
    tides = Book.objects.get(title="Tides")
    exported = b"".join(onix_export_chunks(Book.objects.filter(pk=tides.pk)))
    assert schema_errors(exported) == []
    assert (b"<ProductRelationCode>23</ProductRelationCode><ProductIdentifier><ProductIDType>15</ProductIDType>"
            b"<IDValue>" + OTHER.encode()) in compact(exported)

    dry = run(onix_message(product_xml(HARDBACK, title="Tides", related=related_xml("05", OTHER))), dry_run=True)
    assert dry.counts["changed"] == 1
    assert dry.products[0].changes == [("related titles", "Currents (Similar product)", "Currents (Replaced by)")]
    assert list(tides.related_titles.values_list("relation", flat=True)) == ["23"]

    # A record is complete: naming no related title removes the book's.
    report = run(onix_message(product_xml(HARDBACK, title="Tides")))
    assert report.counts["changed"] == 1
    assert report.products[0].changes == [("related titles", "Currents (Similar product)", "")]
    assert not tides.related_titles.exists()


@pytest.mark.django_db
def test_rights_in_the_rest_of_the_world_are_imported_written_back_and_cleared_by_a_record_without_them():
    only_gb = rights_xml("01", countries="GB")
    elsewhere = "<ROWSalesRightsType>02</ROWSalesRightsType>"
    report = run(onix_message(product_xml(HARDBACK, publishing=only_gb + elsewhere)))
    assert report.counts["created"] == 1, report.products
    fmt = Format.objects.get(isbn=HARDBACK)
    assert fmt.rest_of_world_rights == "02"
    assert fmt.for_sale_in("GB") and fmt.for_sale_in("US")  # without it, GB only

    exported = b"".join(onix_export_chunks(Book.objects.filter(formats__isbn=HARDBACK)))
    assert schema_errors(exported) == []
    assert b"</SalesRights><ROWSalesRightsType>02</ROWSalesRightsType>" in compact(exported)
    assert run(exported).counts["unchanged"] == 1

    cleared = run(onix_message(product_xml(HARDBACK, publishing=only_gb)))
    assert cleared.products[0].changes == [(f"rest of the world rights of {HARDBACK}", "02", "")]
    fmt.refresh_from_db()
    assert fmt.rest_of_world_rights == "" and not fmt.for_sale_in("US")

    bad = run(onix_message(product_xml(HARDBACK, publishing="<ROWSalesRightsType>07</ROWSalesRightsType>")))
    assert bad.counts["refused"] == 1 and "ROWSalesRightsType “07”" in bad.products[0].reason
