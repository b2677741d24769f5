"""ONIX for Books 3.0 code lists the catalog stores, with their codes as the stored values.

Only the codes a publisher's feed uses for what the catalog holds are listed; the full lists are
EDItEUR's (https://ns.editeur.org/onix/en/<list>). Keeping ONIX's own codes as the stored values
means an ONIX import or export maps them one to one.
"""

from __future__ import annotations

from django.db import models


class PublishingStatus(models.TextChoices):
    """ONIX code list 64, <PublishingStatus>: the publisher's view of the format's life."""

    UNSPECIFIED = "00", "Unspecified"
    CANCELLED = "01", "Cancelled"
    FORTHCOMING = "02", "Forthcoming"
    POSTPONED_INDEFINITELY = "03", "Postponed indefinitely"
    ACTIVE = "04", "Active"
    NO_LONGER_OUR_PRODUCT = "05", "No longer our product"
    OUT_OF_STOCK_INDEFINITELY = "06", "Out of stock indefinitely"
    OUT_OF_PRINT = "07", "Out of print"
    INACTIVE = "08", "Inactive"
    UNKNOWN = "09", "Unknown"
    REMAINDERED = "10", "Remaindered"
    WITHDRAWN_FROM_SALE = "11", "Withdrawn from sale"
    RECALLED = "15", "Recalled"
    TEMPORARILY_WITHDRAWN = "16", "Temporarily withdrawn from sale"
    PERMANENTLY_WITHDRAWN = "17", "Permanently withdrawn from sale"


# Statuses under which a format is offered to readers: forthcoming ones as pre-orders. Every other
# status lists the format on its page but offers no price (as a format sold nowhere).
OFFERED_STATUSES = frozenset({PublishingStatus.FORTHCOMING, PublishingStatus.ACTIVE})


class ProductAvailability(models.TextChoices):
    """ONIX code list 65, <ProductAvailability> in <SupplyDetail>: whether it can be supplied now."""

    CANCELLED = "01", "Cancelled"
    POSTPONED_INDEFINITELY = "09", "Not yet available, postponed indefinitely"
    NOT_YET_AVAILABLE = "10", "Not yet available"
    AWAITING_STOCK = "11", "Awaiting stock"
    NOT_YET_AVAILABLE_POD = "12", "Not yet available, will be POD"
    AVAILABLE = "20", "Available"
    IN_STOCK = "21", "In stock"
    TO_ORDER = "22", "To order"
    POD = "23", "Print on demand"
    TEMPORARILY_UNAVAILABLE = "30", "Temporarily unavailable"
    OUT_OF_STOCK = "31", "Out of stock"
    REPRINTING = "32", "Reprinting"
    AWAITING_REISSUE = "33", "Awaiting reissue"
    TEMPORARILY_WITHDRAWN = "34", "Temporarily withdrawn from sale"
    NOT_AVAILABLE = "40", "Not available (reason unspecified)"
    REPLACED_BY_NEW_PRODUCT = "41", "Not available, replaced by new product"
    OTHER_FORMAT_AVAILABLE = "42", "Not available, other format available"
    NO_LONGER_SUPPLIED = "43", "No longer supplied by us"
    APPLY_DIRECT = "44", "Apply direct"
    NOT_SOLD_SEPARATELY = "45", "Not sold separately"
    WITHDRAWN_FROM_SALE = "46", "Withdrawn from sale"
    REMAINDERED = "47", "Remaindered"
    REPLACED_BY_POD = "48", "Not available, replaced by POD"
    RECALLED = "49", "Recalled"
    NOT_SOLD_AS_SET = "50", "Not sold as set"
    PUBLISHER_INDICATES_OP = "51", "Not available, publisher indicates OP"
    NOT_SOLD_IN_THIS_MARKET = "52", "Not available, publisher no longer sells product in this market"
    CONTACT_SUPPLIER = "99", "Contact supplier"


# Availabilities under which nothing can be ordered, whatever the publishing status: cancelled,
# postponed indefinitely, and the 4x "not available" family.
UNAVAILABLE_AVAILABILITIES = frozenset(
    {ProductAvailability.CANCELLED, ProductAvailability.POSTPONED_INDEFINITELY}
    | {choice for choice in ProductAvailability if choice.value.startswith(("4", "5"))}
)


class SalesRightsType(models.TextChoices):
    """ONIX code list 46, <SalesRightsType>: for sale, or not for sale, in the territory."""

    EXCLUSIVE = "01", "For sale with exclusive rights"
    NON_EXCLUSIVE = "02", "For sale with non-exclusive rights"
    NOT_FOR_SALE = "03", "Not for sale"


class RestOfWorldRights(models.TextChoices):
    """ONIX code list 46 in <ROWSalesRightsType>: the rights everywhere the format's territories leave out."""

    UNSTATED = "00", "Unknown or unstated (not for sale)"
    EXCLUSIVE = "01", "For sale with exclusive rights"
    NON_EXCLUSIVE = "02", "For sale with non-exclusive rights"
    NOT_FOR_SALE = "03", "Not for sale"


ROW_FOR_SALE = frozenset({RestOfWorldRights.EXCLUSIVE, RestOfWorldRights.NON_EXCLUSIVE})


class TextType(models.TextChoices):
    """ONIX code list 153, <TextType> in <TextContent>: the kinds of quoted praise the page shows."""

    REVIEW_QUOTE = "06", "Review quote"
    ENDORSEMENT = "09", "Endorsement"


class ProductRelation(models.TextChoices):
    """ONIX code list 51, <ProductRelationCode> in <RelatedProduct>: how another book relates to this one.

    Only relations between two works (books with their own pages) are listed; "alternative
    format" and the e-publication codes relate formats of one book, which are its formats here.
    """

    INCLUDES = "01", "Includes"
    IS_PART_OF = "02", "Is part of"
    REPLACES = "03", "Replaces"
    REPLACED_BY = "05", "Replaced by"
    OTHER_LANGUAGE_VERSION = "11", "Is other-language version of"
    SUGGESTED_ALTERNATIVE = "12", "Publisher’s suggested alternative"
    SAME_AUTHOR = "22", "Product by same author"
    SIMILAR = "23", "Similar product"
    SAME_COLLECTION = "30", "Product in same collection"
    CITES = "34", "Cites"
    IS_CITED_BY = "35", "Is cited by"
    LATER_EDITION_OF = "42", "Is later edition of first edition"
    ADAPTED_FROM = "43", "Adapted from"
    ADAPTED_AS = "44", "Adapted as"


# ONIX code list 49 regions a territory may name and a shipping country can be placed in. The
# sub-national regions of that list (GB-ENG, US-CA, …) cannot be told apart by a shipping country
# and are not held.
WORLD = "WORLD"
EUROZONE = "ECZ"
REGIONS = {WORLD: "World", EUROZONE: "Eurozone"}
# The countries using the euro (ECZ is defined as "the countries using the euro at the time").
EUROZONE_COUNTRIES = frozenset(
    "AT BE BG CY DE EE ES FI FR GR HR IE IT LT LU LV MT NL PT SI SK".split()
)
