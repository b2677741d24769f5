"""Sessions: a cookie that cannot hold a session key is no session, never a database error."""

from __future__ import annotations

from importlib import import_module

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client

pytestmark = pytest.mark.django_db

SessionStore = import_module(settings.SESSION_ENGINE).SessionStore

# As the cookie header carries them: raw garbage, a NUL byte (PostgreSQL refuses one in a query),
# and a quoted value whose octal escape Django decodes to a NUL, which any server lets through.
NOT_KEYS = ["abcdefgh\x00", '"abcdefgh12345678\\000"', "ABCDEFGH12345678", "a" * 41, "abc-defgh;x", "é" * 10]


@pytest.mark.parametrize("cookie", NOT_KEYS)
def test_a_cookie_that_cannot_be_a_session_key_shows_the_login_page(cookie):
    client = Client(raise_request_exception=False, HTTP_COOKIE=f"{settings.SESSION_COOKIE_NAME}={cookie}")
    response = client.get("/admin/catalog/book/", follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0].startswith("/admin/login/")


@pytest.mark.parametrize("key", ["abcdefgh\x00", "abcdefgh12345678\x00", "ABCDEFGH12345678", "a" * 41])
def test_such_a_key_is_no_key_and_its_session_is_empty(key):
    store = SessionStore(key)
    assert store.session_key is None
    assert store.load() == {}


def test_a_real_session_still_signs_an_editor_in():
    editor = User.objects.create_user("editor", password="x", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(editor)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert len(key) == 32 and SessionStore(key).load()["_auth_user_id"] == str(editor.pk)
    assert client.get("/admin/").status_code == 200
