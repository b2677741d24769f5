"""Building ONIX messages for the tests: reference tags by default, short tags on request."""

from __future__ import annotations

import pytest
from django.test import Client
from lxml import etree

from onix.tags import SHORT_TO_REFERENCE
from tests.editorial.conftest import member_of

REFERENCE_TO_SHORT = {reference: short for short, reference in SHORT_TO_REFERENCE.items()}
NAMESPACE = "http://ns.editeur.org/onix/3.0/reference"


def product_xml(
    isbn: str,
    *,
    title: str = "A Test Book",
    subtitle: str = "",
    form: str = "BB",
    record: str | None = None,
    work: str | None = None,
    contributors: tuple[tuple[str, str], ...] = (("Ada Writer", "A01"),),
    pages: int | None = 200,
    date: str = "20240101",
    publisher: str = "Test Press",
    prices: str = "",
    texts: str = "",
    related: str = "",
    extra_descriptive: str = "",
    publishing: str = "",
) -> str:
    contributor_xml = "".join(
        f"<Contributor><SequenceNumber>{n}</SequenceNumber><ContributorRole>{role}</ContributorRole>"
        f"<PersonName>{name}</PersonName></Contributor>"
        for n, (name, role) in enumerate(contributors, start=1)
    )
    work_xml = (
        f"<RelatedWork><WorkRelationCode>01</WorkRelationCode><WorkIdentifier><WorkIDType>01</WorkIDType>"
        f"<IDTypeName>Publisher work</IDTypeName><IDValue>{work}</IDValue></WorkIdentifier></RelatedWork>"
        if work
        else ""
    )
    return f"""
<Product>
  <RecordReference>{record or "rec-" + isbn}</RecordReference>
  <NotificationType>03</NotificationType>
  <ProductIdentifier><ProductIDType>15</ProductIDType><IDValue>{isbn}</IDValue></ProductIdentifier>
  <DescriptiveDetail>
    <ProductComposition>00</ProductComposition>
    <ProductForm>{form}</ProductForm>
    <TitleDetail><TitleType>01</TitleType><TitleElement><TitleElementLevel>01</TitleElementLevel>
      <TitleText>{title}</TitleText>{f"<Subtitle>{subtitle}</Subtitle>" if subtitle else ""}
    </TitleElement></TitleDetail>
    {contributor_xml}
    {extra_descriptive}
    {f"<Extent><ExtentType>00</ExtentType><ExtentValue>{pages}</ExtentValue><ExtentUnit>03</ExtentUnit></Extent>"
     if pages else ""}
  </DescriptiveDetail>
  {f"<CollateralDetail>{texts}</CollateralDetail>" if texts else ""}
  <PublishingDetail>
    <Publisher><PublishingRole>01</PublishingRole><PublisherName>{publisher}</PublisherName></Publisher>
    <PublishingDate><PublishingDateRole>01</PublishingDateRole><Date>{date}</Date></PublishingDate>
    {publishing}
  </PublishingDetail>
  {f"<RelatedMaterial>{work_xml}{related}</RelatedMaterial>" if work_xml or related else ""}
  {f"<ProductSupply><SupplyDetail><Supplier><SupplierRole>01</SupplierRole><SupplierName>S</SupplierName></Supplier>"
   f"<ProductAvailability>20</ProductAvailability>{prices}</SupplyDetail></ProductSupply>" if prices else ""}
</Product>"""


def onix_message(*products: str, short: bool = False, namespace: bool = True, release: str = "3.0") -> bytes:
    xmlns = f' xmlns="{NAMESPACE.replace("reference", "short") if short else NAMESPACE}"' if namespace else ""
    text = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<ONIXMessage release="{release}"{xmlns}>\n'
        "<Header><Sender><SenderName>Test</SenderName></Sender><SentDateTime>20260101</SentDateTime></Header>"
        + "".join(products)
        + "\n</ONIXMessage>\n"
    )
    if not short:
        return text.encode()
    root = etree.fromstring(text.encode())
    for element in root.iter():
        local = etree.QName(element).localname
        short_name = "ONIXmessage" if local == "ONIXMessage" else REFERENCE_TO_SHORT.get(local, local)
        element.tag = etree.QName(etree.QName(element).namespace, short_name) if namespace else short_name
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def price_xml(amount: str, currency: str, *, countries: str = "", regions: str = "", price_type: str = "01") -> str:
    territory = ""
    if countries or regions:
        territory = "<Territory>" + (f"<CountriesIncluded>{countries}</CountriesIncluded>" if countries else "") + (
            f"<RegionsIncluded>{regions}</RegionsIncluded>" if regions else ""
        ) + "</Territory>"
    return (
        f"<Price><PriceType>{price_type}</PriceType><PriceAmount>{amount}</PriceAmount>"
        f"<CurrencyCode>{currency}</CurrencyCode>{territory}</Price>"
    )


@pytest.fixture
def onix_editor(db) -> Client:
    client = Client()
    client.force_login(member_of("Catalog editors", "edith"))
    return client
