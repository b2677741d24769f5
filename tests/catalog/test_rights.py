"""Where a format may be sold: ONIX sales rights as pure rules (catalog.rights), no database."""

import pytest

from catalog.onix_codes import ProductAvailability, PublishingStatus
from catalog.rights import Rights, Territory, for_sale_in, status_offers


def for_sale(**territory) -> Rights:
    return Rights(for_sale=True, territory=Territory(**{key: frozenset(value) for key, value in territory.items()}))


def not_for_sale(**territory) -> Rights:
    return Rights(for_sale=False, territory=Territory(**{key: frozenset(value) for key, value in territory.items()}))


def test_a_format_without_sales_rights_is_for_sale_everywhere():
    assert for_sale_in([], "US") and for_sale_in([], "AF")


def test_world_except_some_countries():
    rights = [for_sale(regions_included=["WORLD"], countries_excluded=["AU", "NZ"])]
    assert for_sale_in(rights, "US") and for_sale_in(rights, "GB")
    assert not for_sale_in(rights, "AU") and not for_sale_in(rights, "NZ")


def test_only_the_named_countries_when_rights_name_where_it_is_for_sale():
    rights = [for_sale(countries_included=["GB", "IE"])]
    assert for_sale_in(rights, "GB") and for_sale_in(rights, "IE")
    assert not for_sale_in(rights, "US")  # rights not stated are rights not held


def test_not_for_sale_in_a_region_leaves_the_rest_of_the_world_for_sale():
    rights = [not_for_sale(regions_included=["ECZ"])]
    assert not for_sale_in(rights, "DE") and not for_sale_in(rights, "FR")
    assert for_sale_in(rights, "GB") and for_sale_in(rights, "US")


def test_not_for_sale_beats_for_sale_where_both_cover_a_country():
    rights = [for_sale(regions_included=["WORLD"]), not_for_sale(countries_included=["CA"])]
    assert not for_sale_in(rights, "CA")
    assert for_sale_in(rights, "US")


def test_excluded_regions_take_their_countries_out():
    rights = [for_sale(regions_included=["WORLD"], regions_excluded=["ECZ"])]
    assert not for_sale_in(rights, "IT")
    assert for_sale_in(rights, "CH")


@pytest.mark.parametrize(
    ("status", "availability", "offered"),
    [
        (PublishingStatus.ACTIVE, ProductAvailability.IN_STOCK, True),
        (PublishingStatus.FORTHCOMING, ProductAvailability.NOT_YET_AVAILABLE, True),
        (PublishingStatus.ACTIVE, ProductAvailability.REPRINTING, True),
        (PublishingStatus.OUT_OF_PRINT, ProductAvailability.AVAILABLE, False),
        (PublishingStatus.WITHDRAWN_FROM_SALE, ProductAvailability.AVAILABLE, False),
        (PublishingStatus.ACTIVE, ProductAvailability.NOT_AVAILABLE, False),
        (PublishingStatus.ACTIVE, ProductAvailability.PUBLISHER_INDICATES_OP, False),
        (PublishingStatus.FORTHCOMING, ProductAvailability.POSTPONED_INDEFINITELY, False),
    ],
)
def test_publishing_status_and_availability_decide_whether_it_is_offered(status, availability, offered):
    assert status_offers(status, availability) is offered


def test_rest_of_the_world_rights_decide_where_no_territory_does():
    rights = [for_sale(countries_included=["GB", "IE"]), not_for_sale(countries_included=["DE"])]
    assert for_sale_in(rights, "US", rest_of_world="02") and for_sale_in(rights, "GB", rest_of_world="03")
    assert not for_sale_in(rights, "DE", rest_of_world="01")  # a territory named still wins
    only_not = [not_for_sale(regions_included=["ECZ"])]
    assert for_sale_in(only_not, "US") and not for_sale_in(only_not, "US", rest_of_world="03")
    assert not for_sale_in(only_not, "US", rest_of_world="00")  # unstated rights are not held
    assert not for_sale_in([], "US", rest_of_world="03") and for_sale_in([], "US", rest_of_world="01")
