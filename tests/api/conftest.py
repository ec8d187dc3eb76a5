import pytest
from rest_framework.test import APIClient


@pytest.fixture
def api():
    """api(user) → an APIClient logged in as user (anonymous when None)."""

    def client(user=None) -> APIClient:
        c = APIClient()
        if user is not None:
            c.force_authenticate(user)
        return c

    return client


def has_chinese(text) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in str(text))
