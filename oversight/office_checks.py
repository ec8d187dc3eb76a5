"""The data checks about the office's own duties rather than a deputy's records: A10.5 contacts (about members)
and A10.6 receptions (about a year). One place for their labels and rows, read by the data-checks page, the API
and the 待办 home, after the deputies' checks."""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from deputies.models import Term

from .contacts.checks import CONTACT_CHECK_LABELS, contact_data_checks
from .receptions.checks import RECEPTION_CHECK_LABELS, reception_data_checks

OFFICE_CHECK_LABELS = {**CONTACT_CHECK_LABELS, **RECEPTION_CHECK_LABELS}


def office_data_checks(*, user, term: Term, as_of: dt.date, filters: Mapping[str, Any] | None = None) -> list:
    """The contact and reception checks the user fixes, with the data-checks filters."""
    return (contact_data_checks(user=user, term=term, as_of=as_of, filters=filters)
            + reception_data_checks(user=user, term=term, as_of=as_of, filters=filters))
