"""The form renderer: Django's own widget templates through Jinja2, everything else as before.

A book's change form renders several hundred widgets (seven per table of contents entry, and a
book may have forty entries); through the Django template language each costs about a
millisecond, and together they were most of the page's time. Django ships every built-in
widget and form template for Jinja2 as well (`django/forms/jinja2/`), producing the same HTML,
and Jinja2 compiles them to Python. Templates Django ships for the template language only (the
admin's own widgets: related-object links, autocomplete) and any of ours are rendered as they
always were.
"""

from __future__ import annotations

from django.forms.renderers import BaseRenderer, DjangoTemplates, Jinja2
from django.template import TemplateDoesNotExist


class FastWidgetRenderer(BaseRenderer):
    def __init__(self):
        self.jinja2 = Jinja2()
        self.django = DjangoTemplates()

    def get_template(self, template_name: str):
        if template_name.startswith("django/forms/"):
            try:
                return self.jinja2.get_template(template_name)
            except TemplateDoesNotExist:
                pass
        return self.django.get_template(template_name)
