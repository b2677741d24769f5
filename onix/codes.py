"""ONIX code lists as the store maps them, shared by the import and the export."""

from __future__ import annotations

from catalog.models import Contribution, Format

# List 150, product form → the store's binding (its binding codes are ONIX's own).
PRODUCT_FORMS = {
    "BB": Format.Binding.HARDBACK,
    "BC": Format.Binding.PAPERBACK,
    "EA": Format.Binding.EBOOK,
    # Other digital forms are sold as ebooks.
    "EB": Format.Binding.EBOOK,
    "ED": Format.Binding.EBOOK,
    "DG": Format.Binding.EBOOK,
}

# List 17, contributor role ↔ the store's role (the first code of each role is the one exported).
CONTRIBUTOR_ROLES = {
    "A01": Contribution.Role.AUTHOR,
    "B01": Contribution.Role.EDITOR,
    "B06": Contribution.Role.TRANSLATOR,
    "A12": Contribution.Role.ILLUSTRATOR,
    "A23": Contribution.Role.FOREWORD,
}
ROLE_CODES = {role: code for code, role in CONTRIBUTOR_ROLES.items()}

# List 153, text types.
TEXT_SHORT_DESCRIPTION = "02"
TEXT_DESCRIPTION = "03"
TEXT_TABLE_OF_CONTENTS = "04"
TEXT_BIOGRAPHICAL_NOTE = "12"

# List 1, notification type: a deletion notice (the others, 01–04, are records to apply).
DELETION_NOTICE = "05"

# List 58, price types: recommended retail and fixed retail prices, excluding and including tax.
PRICE_TYPES_EXCLUDING_TAX = {"01", "03"}
PRICE_TYPES_INCLUDING_TAX = {"02", "04"}

# List 51, product relations that say "another format of the same work".
SAME_WORK_RELATIONS = {"06", "13", "27"}

# The store's own identifiers, sent as proprietary identifiers (type 01) with these names, so a file
# exported here and imported elsewhere in the store keeps the same addresses.
BOOK_ID_NAME = "Bookstore book"
AUTHOR_ID_NAME = "Bookstore author"
PUBLISHER_ID_NAME = "Bookstore publisher"
SUBJECT_SCHEME_NAME = "Bookstore subject"
PROPRIETARY_SUBJECT_SCHEME = "24"
# List 27, subject schemes whose codes a subject keeps.
BISAC_SCHEME = "10"
THEMA_SCHEME = "93"
# List 16, work identifier types.
DOI_WORK_ID = "06"
# List 153, quoted praise (catalog.onix_codes.TextType).
QUOTE_TEXT_TYPES = {"06", "09"}
