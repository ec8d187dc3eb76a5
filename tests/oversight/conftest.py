"""Fixtures of the oversight tests: the browser tests' personas and small district (tests/ui/conftest.py)."""
from tests.ui.conftest import login, personas, world  # noqa: F401 - re-exported as fixtures
from tests.oversight.suggestion_fixtures import sw  # noqa: F401 - the suggestion tests' district
from tests.oversight.opinion_fixtures import op  # noqa: F401 - --- opinions: the opinion tests' district
