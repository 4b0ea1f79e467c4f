import pytest
from rest_framework.test import APIClient

from api import services
from api.models import Scope
from tests.factories import UserFactory


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def make_token(db):
    """make_token(*scopes, group=None) -> the raw token; staff make national ones."""

    def make(*scopes, group=None, **kwargs):
        by = UserFactory(is_staff=True)
        _token, raw = services.create_token(
            name="test", by=by, scopes=list(scopes), group=group, **kwargs
        )
        return raw

    return make


ALL_SCOPES = list(Scope.values)


def auth(raw: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
