"""The rich-text editor editors write descriptions and biographies with (django-prose-editor).

`RichTextFormField` is the form field of every `catalog.fields.RichTextField`, so any rich-text
field gets the editor in any form, the admin's inlines included, with nothing to override. Its
tools are exactly the tags the sanitizer keeps (catalog.html.ALLOWED_TAGS); what it posts is
sanitized on the way in and again when saved. Without JavaScript the HTML textarea is still there.
"""

from __future__ import annotations

from django.contrib.admin.widgets import AdminTextareaWidget
from django_prose_editor.fields import ProseEditorFormField
from django_prose_editor.widgets import AdminProseEditorWidget, ProseEditorWidget
from js_asset import InlineStyle, Media

from catalog.html import ALLOWED_URL_SCHEMES, plain_text, sanitize_html

# One tool for each tag the sanitizer keeps, and no other, so what an editor makes is what is
# saved. Paragraphs, undo and redo come with the editor; pasted <b> and <i> become <strong> and <em>.
RICH_TEXT_EDITOR_EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "HardBreak": True,
    # Links open where they are (no "open in a new window"), to addresses the sanitizer keeps.
    "Link": {"enableTarget": False, "protocols": sorted(ALLOWED_URL_SCHEMES)},
}

# Two things for the Content-Security-Policy. The editor (Tiptap) writes its base styles into a
# <style> element of its own, which the policy blocks: it carries no nonce. Tiptap skips that when
# the page already has one marked `data-tiptap-style`, so the page gets an empty one (with the
# nonce, like all admin media) and the rules come from the store's stylesheet. And pasted HTML
# loses what the policy would refuse before the editor reads it (static/js/rich-text-paste.js).
TIPTAP_STYLE_MARKER = InlineStyle("", **{"data-tiptap-style": ""})
RICH_TEXT_EDITOR_MEDIA = Media(
    css={"all": ["css/rich-text-editor.css", TIPTAP_STYLE_MARKER]},
    js=["js/rich-text-paste.js"],
)


def rich_text_clean(value: str) -> str:
    """An editor's HTML as it will be saved: sanitized, and empty when it holds no text (a cleared
    editor still posts an empty paragraph)."""
    value = sanitize_html(value)
    return value if plain_text(value) else ""


class RichTextEditorWidget(ProseEditorWidget):
    @property
    def media(self):
        return super().media + RICH_TEXT_EDITOR_MEDIA


class AdminRichTextEditorWidget(AdminProseEditorWidget):
    @property
    def media(self):
        return super().media + RICH_TEXT_EDITOR_MEDIA


class RichTextFormField(ProseEditorFormField):
    """Rich text in the rich-text editor, limited to the allowed tags and sanitized when cleaned.

    In the admin Django asks for its own textarea, which becomes the admin's variant of the editor.
    """

    def __init__(self, **kwargs):
        widget = kwargs.get("widget")
        admin = isinstance(widget, AdminTextareaWidget) or (
            isinstance(widget, type) and issubclass(widget, AdminTextareaWidget)
        )
        kwargs["widget"] = AdminRichTextEditorWidget if admin else RichTextEditorWidget
        kwargs.setdefault("config", {"extensions": dict(RICH_TEXT_EDITOR_EXTENSIONS)})
        kwargs.setdefault("sanitize", rich_text_clean)
        super().__init__(**kwargs)
