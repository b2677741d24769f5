"""The book admin as an editor uses it: lists, search, filters, inlines, pasted contents, bad input."""

from pathlib import Path

import pytest

from catalog.models import Book, Format, Publisher
from demo.data import SEED_BOOK_SLUG
from tests.admin_forms import change_form
from tests.factories import book_with

pytestmark = pytest.mark.django_db
FORM_ID = "book_form"
SEED_TOC_LINE = next(
    line for line in (Path(__file__).parent / "seed_page.txt").read_text(encoding="utf-8").splitlines()
    if line.startswith("Introduction: Workers")
)


def seed_url() -> str:
    return f"/admin/catalog/book/{Book.objects.get(slug=SEED_BOOK_SLUG).pk}/change/"


def test_changelist_columns(editor_client):
    content = editor_client.get("/admin/catalog/book/").content.decode()
    for text in ["Harbour Lights", "Margaret Ellery",
                 ">978-1-911001-01-0</span><br><span class=\"nowrap\">978-1-911001-02-7<",
                 "Hardback, Paperback, eBook", "View on site", 'href="/books/harbour-lights/"']:
        assert text in content


@pytest.mark.parametrize(
    ("query", "found", "not_found"),
    [
        ("Retreat", "The Russian Revolution", "Harbour Lights"),
        ("Communist Elite", "The Russian Revolution", "Harbour Lights"),
        ("Pirani", "The Russian Revolution", "Harbour Lights"),
        ("9780415546416", "The Russian Revolution", "Harbour Lights"),
        ("978-0-415-54641-6", "The Russian Revolution", "Harbour Lights"),
        ("0-415-54641-9", "The Russian Revolution", "Harbour Lights"),
        ("0415546419", "The Russian Revolution", "Harbour Lights"),
        ("1911001", "Harbour Lights", "The Russian Revolution"),
    ],
)
def test_search_by_title_subtitle_author_and_isbn_in_any_form(editor_client, query, found, not_found):
    content = editor_client.get("/admin/catalog/book/", {"q": query}).content.decode()
    result = content.split('id="result_list"')[1]
    assert found in result and not_found not in result


def test_filters_by_publisher_year_and_binding(editor_client):
    routledge = Publisher.objects.get(slug="routledge")
    by_publisher = editor_client.get(f"/admin/catalog/book/?publisher={routledge.pk}").content.decode()
    assert "The Russian Revolution" in by_publisher and "Harbour Lights" not in by_publisher.split("result_list")[1]
    by_year = editor_client.get("/admin/catalog/book/?year=2009").content.decode().split('id="result_list"')[1]
    assert "The Russian Revolution" in by_year and "Harbour Lights" not in by_year
    ebooks = editor_client.get("/admin/catalog/book/?binding=EA").content.decode().split('id="result_list"')[1]
    assert "Harbour Lights" in ebooks and "The Russian Revolution" not in ebooks


@pytest.mark.parametrize("books", [2, 40])
def test_changelist_queries_stay_flat(editor_client, django_assert_num_queries, books):
    added = [book_with(contributors=2, formats=2) for _ in range(books)]
    listed = Book.objects.count()
    editor_client.get("/admin/catalog/book/")  # warm the session and permission caches
    # Session, user, user and group permissions, the revision's savepoint and release, a count
    # bounded by a LIMIT, books, contributions, formats, years (filter): the same for 2 books as
    # for 40. No total count, and no query lists every publisher or subject (filters, action form).
    with django_assert_num_queries(11):
        response = editor_client.get("/admin/catalog/book/")
    content = response.content.decode()
    result_list = content.split('id="result_list"')[1].split("</table>")[0]
    assert result_list.count("<tr") == 1 + listed  # the header, then every book on one page
    for book in (added[0], added[-1]):
        assert f">{book.title}</a>" in result_list
        assert book.contributions.first().author.name in result_list
    assert f"{listed} books" in content


def test_author_and_publisher_lists(editor_client):
    authors = editor_client.get("/admin/catalog/author/").content.decode()
    assert "Ellery, Margaret" in authors and 'href="/authors/margaret-ellery/"' in authors
    found = editor_client.get("/admin/catalog/author/", {"q": "Pirani"}).content.decode().split('id="result_list"')[1]
    assert "Simon Pirani" in found and "Margaret Ellery" not in found
    publishers = editor_client.get("/admin/catalog/publisher/").content.decode()
    assert "Meridian Academic Press" in publishers and 'href="/publishers/routledge/"' in publishers


def test_pasted_contents_are_previewed_then_saved_on_confirmation(editor_client):
    book = book_with(toc_entries=2)
    url = f"/admin/catalog/book/{book.pk}/change/"
    data = change_form(editor_client, url, FORM_ID)
    data["toc_paste"] = SEED_TOC_LINE
    preview = editor_client.post(url, data)
    assert preview.status_code == 200
    content = preview.content.decode()
    assert "How the pasted table of contents was split" in content
    assert "<td>Appendix 5.</td><td>Party Members’ Occupations</td>" in content
    assert "<td>Introduction:</td><td>Workers and the Soviet State</td>" in content
    assert book.toc_entries.count() == 2  # nothing saved yet

    data = change_form(editor_client, url, FORM_ID)
    data.update(toc_paste=SEED_TOC_LINE, toc_paste_confirm="on")
    assert editor_client.post(url, data).status_code == 302
    entries = list(book.toc_entries.values_list("position", "label", "title"))
    assert len(entries) == 16
    assert entries[0] == (1, "Introduction:", "Workers and the Soviet State")
    assert entries[-1] == (16, "Appendix 5.", "Party Members’ Occupations")


def test_inlines_add_a_format_and_correct_an_entry(editor_client):
    url = seed_url()
    data = change_form(editor_client, url, FORM_ID)
    assert data["toc_entries-0-title"] == "Workers and the Soviet State"
    data["toc_entries-0-title"] = "Workers and the Soviet State (corrected)"
    data["formats-TOTAL_FORMS"] = str(int(data["formats-TOTAL_FORMS"]) + 1)
    data.update(
        {
            "formats-1-binding": "BC",
            "formats-1-isbn": "978-1-911001-99-7",
            "formats-1-book": data["formats-0-book"],
            # What the browser posts from the new row's selects: their defaults.
            "formats-1-publishing_status": "04",
            "formats-1-availability": "20",
        }
    )
    from stdnum import isbn

    assert isbn.is_valid("9781911001997")
    response = editor_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    book = Book.objects.get(slug=SEED_BOOK_SLUG)
    assert book.toc_entries.get(position=1).title == "Workers and the Soviet State (corrected)"
    assert book.formats.get(binding="BC").isbn == "9781911001997"


def post_with(client, url, changes: dict):
    data = change_form(client, url, FORM_ID)
    data.update(changes)
    return client.post(url, data)


@pytest.mark.parametrize(
    ("changes", "field_error"),
    [
        ({"formats-0-isbn": "978-0-415-54641-7"}, "check digit is wrong"),
        ({"formats-0-isbn": "978-0-415-5464"}, "10 or 13 digits"),
        ({"formats-0-isbn": "978-1-911001-01-0"}, "Format with this ISBN already exists"),
        ({"toc_entries-1-position": "1"}, "Two table of contents entries cannot share a position."),
        ({"title": ""}, "This field is required"),
        ({"page_count": "0"}, "greater than or equal to 1"),
        ({"publication_date": "2009-02-30"}, "Enter a valid date"),
    ],
)
def test_bad_input_gets_a_field_error_and_saves_nothing(editor_client, changes, field_error):
    url = seed_url()
    before = Book.objects.get(slug=SEED_BOOK_SLUG)
    before_formats = list(Format.objects.order_by("pk").values_list("isbn", flat=True))
    before_toc = list(before.toc_entries.values_list("position", "title"))
    changes = {**changes, "subtitle": "Should not be saved"}
    response = post_with(editor_client, url, changes)
    assert response.status_code == 200
    assert field_error in response.content.decode()
    after = Book.objects.get(slug=SEED_BOOK_SLUG)
    assert after.subtitle == before.subtitle and after.updated_at == before.updated_at
    assert list(Format.objects.order_by("pk").values_list("isbn", flat=True)) == before_formats
    assert list(after.toc_entries.values_list("position", "title")) == before_toc


def test_bulk_action_adds_a_subject(editor_client):
    from catalog.models import Subject

    subject = Subject.objects.get(slug="travel-writing")
    books = list(Book.objects.exclude(subjects=subject)[:2])
    response = editor_client.post(
        "/admin/catalog/book/",
        {"action": "add_subject", "subject": subject.pk, "_selected_action": [b.pk for b in books]},
    )
    assert response.status_code == 302
    for book in books:
        assert subject in book.subjects.all()


@pytest.mark.parametrize("year", ["0", "99999", "-5", "abc", "2009.5", "²", "9" * 5_000])
def test_odd_year_filters_are_not_errors(editor_client, year):
    response = editor_client.get("/admin/catalog/book/", {"year": year})
    assert response.status_code == 200
    content = response.content.decode()
    # A year that is no year is ignored: the whole list.
    assert "<h1>Select book to change</h1>" in content
    assert f"{Book.objects.count()} books" in content and "Harbour Lights" in content


def test_a_pasted_entry_too_long_for_its_field_is_a_field_error(editor_client):
    url = seed_url()
    data = change_form(editor_client, url, FORM_ID)
    data.update(toc_paste="1. " + "Very long title " * 40, toc_paste_confirm="on")
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert "Labels may have 50 characters and titles 500; too long: entry 1" in response.content.decode()
    assert Book.objects.get(slug=SEED_BOOK_SLUG).toc_entries.count() == 16


def test_a_tampered_version_field_is_refused_not_an_error(editor_client):
    url = seed_url()
    data = change_form(editor_client, url, FORM_ID)
    data.update(loaded_version="2024-13-45T10:00:00", subtitle="Tampered")
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert "does not say which version of the book you opened" in response.content.decode()
    assert Book.objects.get(slug=SEED_BOOK_SLUG).subtitle != "Tampered"


def test_slug_help_text_shows_the_address_pattern(editor_client):
    content = editor_client.get(seed_url()).content.decode()
    # Escaped, so the browser shows "<slug>" instead of swallowing it as a tag.
    assert "/books/&lt;slug&gt;/." in content
    assert "/books/<slug>/" not in content
    author = editor_client.get("/admin/catalog/author/add/").content.decode()
    assert "/authors/&lt;slug&gt;/." in author


def test_form_labels_are_in_sentence_case(editor_client):
    import re

    content = editor_client.get(seed_url()).content.decode()
    labels = re.findall(r"<label[^>]*>\s*([^<]+?)\s*</label>", content)
    assert "Paste table of contents:" in labels
    assert "Replace the table of contents with the pasted entries" in labels
    assert [label for label in labels if label[0].islower()] == []


def test_subject_filter_is_named_for_one_subject_and_offers_no_stray_option(editor_client):
    import re

    content = editor_client.get("/admin/catalog/book/").content.decode()
    assert "By subject " in content and "By subjects" not in content
    assert "Choose a subject<" in content
    assert 'data-placeholder="Type to find a subject"' in content
    select = re.search(r'<select name="subject" id="filter_subject".*?</select>', content, re.S).group(0)
    # Only the empty choice the autocomplete needs: no "-" or "All" entries among the options.
    assert re.findall(r"<option[^>]*>([^<]*)</option>", select) == [""]
    assert "/static/css/admin.css" in content  # keeps the bulk action's Run button beside its subject


def test_a_pasted_contents_preview_is_a_step_not_an_error(editor_client):
    book = book_with(toc_entries=2)
    url = f"/admin/catalog/book/{book.pk}/change/"
    data = change_form(editor_client, url, FORM_ID)
    data["toc_paste"] = SEED_TOC_LINE
    content = editor_client.post(url, data).content.decode()
    assert "Please correct" not in content and 'class="errornote"' not in content
    assert 'class="errorlist' not in content
    assert "<title>Error:" not in content
    # The preview sits right after the paste box and its confirmation, which stay open.
    paste, confirm = content.index('id="id_toc_paste"'), content.index('id="id_toc_paste_confirm"')
    preview = content.index("How the pasted table of contents was split")
    assert content.index('id="toc_entries-group"') < paste < confirm < preview
    assert "<details>" not in content[content.index('class="module aligned toc-paste'):confirm]
    assert "fieldset-heading" not in content[confirm:preview]
    assert book.toc_entries.count() == 2  # nothing saved yet


def test_a_real_error_beside_a_pasted_contents_is_still_reported(editor_client):
    url = seed_url()
    data = change_form(editor_client, url, FORM_ID)
    data.update(toc_paste=SEED_TOC_LINE, title="")
    content = editor_client.post(url, data).content.decode()
    assert "Please correct the error below." in content and "This field is required" in content
    assert "How the pasted table of contents was split" in content
    assert "Check how the pasted entries were split" not in content


def test_the_book_page_puts_contributors_formats_and_prices_near_the_top(editor_client):
    content = editor_client.get(seed_url()).content.decode()
    order = [
        'id="id_title"', 'id="contributions-group"', 'id="formats-group"', "<h2>Prices (preview)</h2>",
        ">Publication</h2>", ">Description</h2>", ">Cover</h2>", 'id="toc_entries-group"',
        ">Paste a table of contents</h2>",
    ]
    positions = [content.index(marker) for marker in order]
    assert positions == sorted(positions)
    # The rarely used parts are collapsed: cover upload and the paste box.
    for heading in ("Cover", "Paste a table of contents"):
        start = content.index(f">{heading}</h2>")
        assert content.rfind("<details><summary>", 0, start) > content.rfind("</fieldset>", 0, start)
