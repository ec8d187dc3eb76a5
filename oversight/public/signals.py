"""Invalidate the cached public duty pages when what they may show changes."""
from django.db.models.signals import post_delete, post_save

from ..models import Intervention, PublicDutySettings, YearReview
from .selectors import bump_version


def connect_public_signals() -> None:
    for model in (YearReview, Intervention, PublicDutySettings):
        post_save.connect(bump_version, sender=model, dispatch_uid=f"public.bump.save.{model.__name__}")
        post_delete.connect(bump_version, sender=model, dispatch_uid=f"public.bump.delete.{model.__name__}")
