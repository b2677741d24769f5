"""Where a format may be sold: ONIX sales rights and publishing status as pure rules.

A format with no sales rights is for sale wherever a market sells (as before sales rights
existed). Otherwise, for a shipping country:

1. a "not for sale" territory covering the country wins: not for sale there;
2. else a "for sale" territory covering it: for sale;
3. else the rest of the world: as the format's <ROWSalesRightsType> says when it has one (01 and
   02 for sale; 03, and 00 "unstated", not); without one, if the format has any "for sale"
   territory, the rest of the world is not for sale (rights not stated are rights not held), and
   with only "not for sale" territories (or none at all), it is.

A territory is ONIX's <Territory>: countries and/or regions included ("WORLD", "ECZ"), minus
countries and/or regions excluded, so "world except Australia" is WORLD minus AU.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from catalog.onix_codes import (
    EUROZONE,
    EUROZONE_COUNTRIES,
    OFFERED_STATUSES,
    REGIONS,
    ROW_FOR_SALE,
    UNAVAILABLE_AVAILABILITIES,
    WORLD,
    SalesRightsType,
)


def region_codes(value: str) -> list[str]:
    """The region codes of a space-separated list, as ONIX writes them: "WORLD", "ECZ"."""
    return value.split()


def region_covers(region: str, country: str) -> bool:
    if region == WORLD:
        return True
    if region == EUROZONE:
        return country in EUROZONE_COUNTRIES
    return False


def unknown_regions(value: str) -> list[str]:
    return [code for code in region_codes(value) if code not in REGIONS]


@dataclass(frozen=True)
class Territory:
    """ONIX <Territory>: <CountriesIncluded>, <RegionsIncluded>, <CountriesExcluded>, <RegionsExcluded>."""

    countries_included: frozenset[str] = frozenset()
    regions_included: frozenset[str] = frozenset()
    countries_excluded: frozenset[str] = frozenset()
    regions_excluded: frozenset[str] = frozenset()

    def covers(self, country: str) -> bool:
        included = country in self.countries_included or any(
            region_covers(region, country) for region in self.regions_included
        )
        excluded = country in self.countries_excluded or any(
            region_covers(region, country) for region in self.regions_excluded
        )
        return included and not excluded


@dataclass(frozen=True)
class Rights:
    """One <SalesRights>: for sale (exclusive or not) or not for sale, in a territory."""

    for_sale: bool
    territory: Territory


def for_sale_in(rights: Iterable[Rights], country: str, *, rest_of_world: str = "") -> bool:
    """Whether a format with these sales rights may be sold to `country` (see the module's rules).

    `rest_of_world` is its <ROWSalesRightsType> code, "" when it has none.
    """
    rights = list(rights)
    if any(not right.for_sale and right.territory.covers(country) for right in rights):
        return False
    if any(right.for_sale and right.territory.covers(country) for right in rights):
        return True
    if rest_of_world:
        return rest_of_world in ROW_FOR_SALE
    return not any(right.for_sale for right in rights)


def is_for_sale_type(rights_type: str) -> bool:
    return rights_type != SalesRightsType.NOT_FOR_SALE


def status_offers(publishing_status: str, availability: str) -> bool:
    """Whether a format in this publishing status and availability can be bought (or pre-ordered)."""
    return publishing_status in OFFERED_STATUSES and availability not in UNAVAILABLE_AVAILABILITIES
