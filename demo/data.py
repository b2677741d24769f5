"""The demo catalog.

The first book reproduces a real publisher's product page word for word, typography included
(en dashes, curly apostrophes, "Élite"). Every other book, author and publisher here is
invented for the demo, and each invented description says so.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

PUBLISHERS = [
    {"slug": "routledge", "name": "Routledge"},
    {"slug": "meridian-academic-press", "name": "Meridian Academic Press"},
    {"slug": "northfield-university-press", "name": "Northfield University Press"},
]

# With their BISAC and Thema codes where one fits the subject as a whole.
SUBJECTS = [
    {"slug": "russian-history", "name": "Russian History", "bisac_code": "HIS032000", "thema_code": "NHD"},
    {"slug": "labour-history", "name": "Labour History", "bisac_code": "", "thema_code": ""},
    {"slug": "social-history", "name": "Social History", "bisac_code": "HIS054000", "thema_code": "NHTB"},
    {"slug": "history-of-science", "name": "History of Science", "bisac_code": "SCI034000", "thema_code": "PDX"},
    {"slug": "travel-writing", "name": "Travel Writing", "bisac_code": "", "thema_code": "WTL"},
]

# An invented series of three Meridian books (ONIX Collection), numbered in order of publication.
SERIES = [{"slug": "meridian-histories", "title": "Meridian Histories", "issn": ""}]

DEMO_NOTE = "<p><em>Demo data:</em> this book is invented for the Bookstore demo catalog.</p>"

AUTHORS = [
    {
        "slug": "simon-pirani",
        "name": "Simon Pirani",
        "sort_name": "Pirani, Simon",
        "biography": (
            "<p>Simon Pirani studied Russian at the University of London and wrote a doctoral "
            "dissertation at the University of Essex. He writes about the economy and politics of "
            "the former Soviet Union as a journalist. He is currently a senior research fellow at "
            "the Oxford Institute for Energy Studies, and is working on book projects on the "
            "post-Soviet period.</p>"
        ),
    },
    {
        "slug": "margaret-ellery",
        "name": "Margaret Ellery",
        "sort_name": "Ellery, Margaret",
        "biography": (
            "<p>Margaret Ellery is an invented historian of ports and rivers who exists only in the "
            "Bookstore demo catalog.</p>"
        ),
    },
    {
        "slug": "tomas-ibarra",
        "name": "Tomás Ibarra",
        "sort_name": "Ibarra, Tomás",
        "biography": "<p>Tomás Ibarra is an invented statistician, part of the Bookstore demo data.</p>",
    },
    {
        "slug": "helene-marchand",
        "name": "Hélène Marchand",
        "sort_name": "Marchand, Hélène",
        "biography": (
            "<p>Hélène Marchand is an invented scholar of travel writing, part of the Bookstore "
            "demo data.</p>"
        ),
    },
    {
        "slug": "daniel-okafor",
        "name": "Daniel Okafor",
        "sort_name": "Okafor, Daniel",
        "biography": "<p>Daniel Okafor is an invented historian of technology, part of the Bookstore demo data.</p>",
    },
]

SEED_BOOK_SLUG = "the-russian-revolution-in-retreat-1920-24"

BOOKS = [
    {
        "slug": SEED_BOOK_SLUG,
        "title": "The Russian Revolution in Retreat, 1920–24",
        "subtitle": "Soviet Workers and the New Communist Elite",
        "edition": 1,
        "publisher": "routledge",
        "publication_date": date(2009, 5, 12),
        "page_count": 296,
        "illustrations_note": "14 B/W Illustrations",
        "subjects": ["russian-history", "labour-history"],
        "description": (
            "<p>The Russian revolution of 1917 was a defining event of the twentieth century, and "
            "its achievements and failures remain controversial in the twenty-first. This book "
            "focuses on the retreat from the revolution’s aims in 1920–24, after the civil war and "
            "at the start of the New Economic Policy – and specifically, on the turbulent "
            "relationship between the working class and the Communist Party in those years.  It is "
            "based on extensive original research of the actions and reactions of the party "
            "leadership and ranks, of dissidents and members of other parties, and of trade union "
            "activists and ordinary factory workers. It discusses working-class collective action "
            "before, during and after the crisis of 1921, when the Bolsheviks were confronted by the "
            "revolt at the Kronshtadt naval base and other protest movements.</p>"
            "<p>This book argues that the working class was politically expropriated by the "
            "Bolshevik party, as democratic bodies such as soviets and factory committees were "
            "deprived of decision-making power; it examines how the new Soviet ruling class began "
            "to take shape. It shows how some worker activists concluded that the principles of "
            "1917 had been betrayed, while others accepted a social contract, under which workers "
            "were assured of improvements in living standards in exchange for increased labour "
            "discipline and productivity, and a surrender of political power to the party.</p>"
        ),
        "contributors": [("simon-pirani", "author")],
        "formats": [{"binding": "BB", "isbn": "9780415546416", "publication_date": None}],
        "toc": [
            ("Introduction:", "Workers and the Soviet State"),
            ("1.", "Struggling to Survive: Workers in July-December 1920"),
            ("2.", "Sweet Visions and Bitter Clashes: The Party in July-December 1920"),
            ("3.", "The Revolution that wasn’t: Workers and the Party in January-March 1921"),
            ("4.", "The NEP and Non-Partyism: Workers in 1921"),
            ("5.", "Renegades, Oppositionists, Suicides and Administrators: The Party in 1921"),
            ("6.", "Mass Mobilization versus Mass Participation: Workers in 1922"),
            ("7.", "The Party Élite, the Industrial Managers and the Cells: The Party in 1922"),
            ("8.", "The Social Contract in Practice: Workers in 1923"),
            ("9.", "The Élite takes Charge: The Party in 1923-24."),
            ("Conclusions:", "The Impact on Socialism."),
            ("Appendix 1.", "Biographical Notes."),
            ("Appendix 2.", "Districts and Workplaces."),
            ("Appendix 3.", "Wages and Currency Rates."),
            ("Appendix 4.", "Party Membership."),
            ("Appendix 5.", "Party Members’ Occupations"),
        ],
    },
    {
        "slug": "harbour-lights",
        "title": "Harbour Lights",
        "subtitle": "A Social History of Port Cities, 1850–1950",
        "edition": 2,
        "edition_statement": "Revised and expanded",
        "series": ("meridian-histories", 2),
        "doi": "10.5555/harbour-lights.2021",
        "review_quotes": [
            ("06", "<p>A humane and vivid history of the waterfront, as good on boarding-house ledgers as on "
             "the great strikes.</p>", "", "The Demo Review of Books (invented)"),
            ("09", "<p>Ellery makes the docks speak. Anyone who teaches urban or labour history will want "
             "this on the reading list.</p>", "Professor Ada Quill (invented for the demo)", ""),
        ],
        "related": [("the-grammar-of-rivers", "22")],
        "publisher": "meridian-academic-press",
        "publication_date": date(2021, 3, 15),
        "page_count": 412,
        "illustrations_note": "32 B/W Illustrations",
        "subjects": ["social-history", "labour-history"],
        "description": DEMO_NOTE
        + (
            "<p>A tour of the docks, boarding houses and customs sheds of six port cities, told "
            "through the people who loaded, counted and policed the world’s cargo.</p>"
        ),
        "contributors": [("margaret-ellery", "author")],
        "formats": [
            {"binding": "BB", "isbn": "9781911001010", "publication_date": None},
            {"binding": "BC", "isbn": "9781911001027", "publication_date": date(2021, 9, 1)},
            {"binding": "EA", "isbn": "9781911001034", "publication_date": None},
        ],
        "toc": [
            ("Introduction:", "Where the Land Ends"),
            ("1.", "Dockers and Their Days"),
            ("2.", "The Boarding House Economy"),
            ("3.", "Customs, Counting and Contraband"),
            ("4.", "Strikes on the Waterfront"),
            ("5.", "Sailortown after Dark"),
            ("6.", "Containers Arrive"),
            ("Conclusions:", "Ports without People?"),
        ],
    },
    {
        "slug": "the-grammar-of-rivers",
        "title": "The Grammar of Rivers",
        "subtitle": "",
        "edition": 1,
        "series": ("meridian-histories", 1),
        "doi": "10.5555/grammar-of-rivers.2018",
        "related": [("harbour-lights", "22")],
        "publisher": "meridian-academic-press",
        "publication_date": date(2018, 9, 1),
        "page_count": 236,
        "illustrations_note": "",
        "subjects": ["social-history"],
        "description": DEMO_NOTE
        + "<p>Essays on how towns have named, tamed and argued over the rivers that run through them.</p>",
        "contributors": [("margaret-ellery", "author")],
        "formats": [
            {"binding": "BC", "isbn": "9781911002017", "publication_date": None},
            {"binding": "EA", "isbn": "9781911002024", "publication_date": None},
        ],
        "toc": [
            ("1.", "Naming the Water"),
            ("2.", "Bridges and Boundaries"),
            ("3.", "Floods and Their Memory"),
        ],
    },
    {
        "slug": "counting-the-harvest",
        "title": "Counting the Harvest",
        "subtitle": "Statistics and the State in Rural Europe",
        "edition": 1,
        "publisher": "northfield-university-press",
        "publication_date": date(2023, 6, 20),
        "page_count": 288,
        "illustrations_note": "21 Tables",
        "subjects": ["history-of-science", "social-history"],
        "description": DEMO_NOTE
        + (
            "<p>How clerks, surveyors and village mayors turned fields into figures, and what the "
            "figures left out.</p>"
        ),
        "contributors": [("tomas-ibarra", "author"), ("helene-marchand", "author")],
        "review_quotes": [
            ("06", "<p>Shows, with wit and care, how much of rural Europe never made it into the tables.</p>",
             "", "Journal of Invented Statistics (demo)"),
        ],
        "related": [("small-machines", "23")],
        "formats": [
            # The hardback's European rights are held by another publisher: not for sale in the Eurozone.
            {"binding": "BB", "isbn": "9781911003014", "publication_date": None,
             "sales_rights": [{"rights_type": "03", "regions_included": "ECZ"}]},
            {"binding": "EA", "isbn": "9781911003021", "publication_date": None},
        ],
        "toc": [
            ("Introduction:", "Why Count?"),
            ("1.", "The Parish Register"),
            ("2.", "The Land Survey"),
            ("3.", "The Agricultural Census"),
            ("4.", "Numbers in Parliament"),
            ("5.", "What the Figures Missed"),
            ("Appendix 1.", "Sources."),
        ],
    },
    {
        "slug": "letters-from-the-steppe",
        "title": "Letters from the Steppe",
        "subtitle": "Travel Writing and Empire",
        "edition": 1,
        "publisher": "northfield-university-press",
        "publication_date": date(2016, 11, 10),
        "page_count": 350,
        "illustrations_note": "12 Maps",
        "subjects": ["travel-writing", "russian-history"],
        "description": DEMO_NOTE
        + "<p>An anthology of travellers’ letters, with an introduction to each writer and route.</p>",
        "contributors": [("helene-marchand", "editor")],
        # Out of print: listed, not offered.
        "formats": [{"binding": "BB", "isbn": "9781911004011", "publication_date": None,
                     "publishing_status": "07", "availability": "51"}],
        "toc": [
            ("Introduction:", "Reading Travellers’ Letters"),
            ("Part I.", "Crossing the Volga"),
            ("1.", "A Merchant’s Route", 2),
            ("2.", "A Surveyor’s Diary", 2),
            ("Part II.", "Beyond the Urals"),
            ("3.", "The Exile’s Letters", 2),
        ],
    },
    {
        "slug": "small-machines",
        "title": "Small Machines",
        "subtitle": "Clockmakers and the Making of Precision",
        "edition": 1,
        "series": ("meridian-histories", 3),
        "publisher": "meridian-academic-press",
        # Forthcoming: offered for pre-order with its publication date.
        "publication_date": date(2027, 3, 4),
        "page_count": 240,
        "illustrations_note": "48 Colour Illustrations",
        "subjects": ["history-of-science"],
        "description": DEMO_NOTE
        + "<p>Workshops, apprentices and the long pursuit of a clock that would not lose a second.</p>",
        "contributors": [("daniel-okafor", "author")],
        "formats": [
            {"binding": binding, "isbn": isbn, "publication_date": None, "publishing_status": "02", "availability": "10"}
            for binding, isbn in [("BB", "9781911005018"), ("BC", "9781911005025"), ("EA", "9781911005032")]
        ],
        "toc": [
            ("1.", "The Workshop"),
            ("2.", "Escapements"),
            ("3.", "Apprentices"),
            ("4.", "Longitude"),
            ("5.", "Railway Time"),
            ("6.", "The Quartz Ending"),
        ],
    },
]

# Pricing. The United States is the base market: every demo format has a price there, and
# prices elsewhere are derived from it through the dated exchange rates unless set below.
MARKETS = [
    {"name": "United States", "currency": "USD", "is_base": True, "prices_include_tax": False,
     "tax_name": "sales tax", "rounding": "up_95", "shipping_cost": Decimal("5.99"), "free_shipping_above": Decimal("75")},
    {"name": "United Kingdom", "currency": "GBP", "prices_include_tax": True,
     "tax_name": "VAT", "rounding": "up_99", "shipping_cost": Decimal("3.99"), "free_shipping_above": Decimal("50")},
    {"name": "Eurozone", "currency": "EUR", "prices_include_tax": True,
     "tax_name": "VAT", "rounding": "up_95", "shipping_cost": Decimal("4.95"), "free_shipping_above": Decimal("60")},
    {"name": "Canada", "currency": "CAD", "prices_include_tax": False,
     "tax_name": "GST", "rounding": "up_95", "shipping_cost": Decimal("7.95"), "free_shipping_above": Decimal("99")},
    {"name": "Australia", "currency": "AUD", "prices_include_tax": True,
     "tax_name": "GST", "rounding": "up_95", "shipping_cost": Decimal("9.95"), "free_shipping_above": Decimal("120")},
    {"name": "Japan", "currency": "JPY", "prices_include_tax": True,
     "tax_name": "consumption tax", "rounding": "up_100", "shipping_cost": Decimal("800"),
     "free_shipping_above": Decimal("10000")},
    {"name": "Rest of the world", "currency": "USD", "is_rest_of_world": True, "prices_include_tax": False,
     "tax_name": "tax", "rounding": "up_95", "shipping_cost": Decimal("14.95"), "free_shipping_above": None},
]

# Each market's countries with their reduced book tax rates (percent, print and ebook); shipping
# overrides for the islands. The rest of the world sells everywhere else, at no tax.
MARKET_COUNTRIES = {
    "United States": [("US", "0", "0")],
    "United Kingdom": [("GB", "0", "0")],
    "Eurozone": [
        ("AT", "10", "10"), ("BE", "6", "6"), ("BG", "9", "9"), ("CY", "5", "5"), ("DE", "7", "7"), ("EE", "9", "9"),
        ("ES", "4", "4"), ("FI", "14", "14"), ("FR", "5.5", "5.5"), ("GR", "6", "6"), ("HR", "5", "5"),
        ("IE", "0", "9"), ("IT", "4", "4"), ("LT", "9", "9"), ("LU", "3", "3"), ("LV", "12", "12"),
        ("MT", "5", "5"), ("NL", "9", "9"), ("PT", "6", "6"), ("SI", "5", "5"), ("SK", "5", "5"),
    ],
    "Canada": [("CA", "5", "5")],
    "Australia": [("AU", "10", "10")],
    "Japan": [("JP", "10", "10")],
}
SHIPPING_OVERRIDES = {"CY": Decimal("9.95"), "MT": Decimal("9.95")}

EXCHANGE_RATES = [
    # (from, to, rate, valid from)
    ("USD", "GBP", Decimal("0.78"), date(2026, 10, 1)),
    ("USD", "GBP", Decimal("0.79"), date(2026, 11, 1)),
    ("USD", "EUR", Decimal("0.93"), date(2026, 10, 1)),
    ("USD", "EUR", Decimal("0.92"), date(2026, 11, 1)),
    ("USD", "CAD", Decimal("1.38"), date(2026, 11, 1)),
    ("USD", "AUD", Decimal("1.52"), date(2026, 11, 1)),
    ("USD", "JPY", Decimal("152.5"), date(2026, 11, 1)),
]

# (ISBN, market, amount): every base price, and the prices an editor set by hand elsewhere.
PRICES = [
    ("9780415546416", "United States", Decimal("62.95")),
    ("9780415546416", "United Kingdom", Decimal("48.99")),
    ("9780415546416", "Eurozone", Decimal("58.95")),
    ("9781911001010", "United States", Decimal("120.00")),
    ("9781911001027", "United States", Decimal("39.95")),
    ("9781911001027", "United Kingdom", Decimal("29.99")),
    ("9781911001034", "United States", Decimal("34.95")),
    ("9781911002017", "United States", Decimal("24.95")),
    ("9781911002024", "United States", Decimal("19.95")),
    ("9781911003014", "United States", Decimal("95.00")),
    ("9781911003014", "Japan", Decimal("14800")),
    ("9781911003021", "United States", Decimal("29.95")),
    ("9781911004011", "United States", Decimal("110.00")),
    ("9781911005018", "United States", Decimal("45.00")),
    ("9781911005025", "United States", Decimal("22.95")),
    ("9781911005025", "Canada", Decimal("29.95")),
    ("9781911005032", "United States", Decimal("14.95")),
]

# Example orders for the order desk: (order number, ISBNs, shipping country, buyer, what happened).
EXAMPLE_ORDERS = [
    ("DEMO-0001", ["9780415546416"], "GB", ("Ada Reader", "1 Library Lane", "London", "N1 9GU"), "shipped"),
    ("DEMO-0002", ["9781911003014"], "JP", ("Haruki Yamada", "2-1 Kawaramachi", "Kyoto", "600-8216"), "paid"),
    ("DEMO-0003", ["9781911005025", "9781911005032"], "CA", ("Jean Tremblay", "10 Rue Saint-Paul", "Montréal", "H2Y 1G7"),
     "awaiting_payment"),
    ("DEMO-0004", ["9781911001034"], "DE", ("Lena Schmidt", "Hauptstraße 5", "Berlin", "10115"), "paid"),
]
