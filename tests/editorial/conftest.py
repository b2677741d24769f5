import pytest
from django.contrib.auth.models import Group, User


def member_of(group_name: str, username: str) -> User:
    user = User.objects.create_user(username, password="a long editor password", is_staff=True)
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def catalog_editor(db):
    return member_of("Catalog editors", "edith")


@pytest.fixture
def pricing_manager(db):
    return member_of("Pricing managers", "priya")
