import pytest

from tests import factories


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def term(db):
    return factories.TermFactory()


@pytest.fixture
def make_user(db):
    """make_user(role, street_committee=…, delegation=…, deputy=…) → a user of that role in scope."""
    return factories.make_user
