"""A term's thresholds (RULES.md's threshold table): the hook through which the Term model and its API
read the keys, defaults and validation (the Term admin is oversight's: oversight/admin.py).

The table belongs to the rules (`oversight/rules/catalog.py`); oversight registers it here in its
AppConfig.ready(), so deputies never imports the app above it.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ImproperlyConfigured


@dataclass(frozen=True)
class ThresholdCatalog:
    defaults: dict[str, int]  # every key, its default
    validate: Callable[[object], dict[str, str]]  # {key: Chinese error} of a submitted object
    labels: dict[str, str] = field(default_factory=dict)  # every key, its Chinese name


_catalog: ThresholdCatalog | None = None


def register_thresholds(catalog: ThresholdCatalog) -> None:
    global _catalog
    _catalog = catalog


def _registered() -> ThresholdCatalog:
    if _catalog is None:
        raise ImproperlyConfigured("No threshold catalog registered: is 'oversight' in INSTALLED_APPS?")
    return _catalog


def default_thresholds() -> dict[str, int]:
    return dict(_registered().defaults)


def thresholds_with_defaults(values: dict | None) -> dict[str, int]:
    """Every threshold key, the term's own value where it has one."""
    return {**_registered().defaults, **(values or {})}


def validate_thresholds(values) -> dict[str, str]:
    """{key: Chinese error} for unknown keys and values that are not positive whole numbers."""
    return _registered().validate(values)


def threshold_label(key: str) -> str:
    """A key's Chinese name (the key itself when it is unknown)."""
    return _registered().labels.get(key, key)
