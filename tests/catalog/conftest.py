import pytest
from django.test import Client

from tests.editorial.conftest import member_of


@pytest.fixture
def editor_client(demo_catalog):
    """A client logged in as a member of the catalog editors, with the demo catalog loaded."""
    client = Client()
    client.force_login(member_of("Catalog editors", "edith"))
    return client
