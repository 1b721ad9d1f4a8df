"""Optimistic locking for Versioned models.

Two managers editing the same row in two tabs: the first save wins, the second is refused
with StaleEdit and the form is shown again with the user's input, so nothing is lost and
nothing is silently overwritten.
"""

from __future__ import annotations

from django import forms
from django.db import models, transaction
from django.db.models import F

from .inputs import SafeInputMixin


class StaleEdit(Exception):
    message = "Someone else changed this since you opened it. Your changes are shown below; check them against the latest version and save again."

    def __init__(self, obj: models.Model | None = None) -> None:
        super().__init__(self.message)
        self.obj = obj


def save_versioned(obj: models.Model, *, expected_version: int) -> None:
    """Save obj only if its row is still at expected_version, bumping the version.

    The check is a conditional UPDATE ... WHERE version = %s, which also takes the row lock,
    so of two concurrent saves exactly one passes. The normal save() that follows sends
    post_save, so simple-history records the change as usual.
    """
    model = type(obj)
    with transaction.atomic():
        claimed = model._default_manager.filter(pk=obj.pk, version=expected_version).update(version=F("version") + 1)
        if not claimed:
            raise StaleEdit(obj)
        obj.version = expected_version + 1  # type: ignore[attr-defined]  # a Versioned model
        obj.save()


class VersionedFormMixin(SafeInputMixin, forms.Form):
    """Adds a hidden `version` field holding the version the form was loaded at.

    Editing a saved row needs it: a post without it (or with something that is not a
    number) is refused like a stale one, with the typed text shown again, so leaving the
    field out can never overwrite someone else's save. A crafted value is a message on the
    form, never a bare 400."""

    version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        instance = self._versioned_instance()
        if instance is not None and not self.is_bound:
            self.initial["version"] = instance.version

    def _versioned_instance(self) -> models.Model | None:
        instance = getattr(self, "instance", None)
        if instance is None:
            instance = getattr(self, "versioned_instance", None)  # a plain Form editing a row
        return instance if instance is not None and instance.pk else None

    def clean_version(self) -> int | None:
        raw = (self.cleaned_data.get("version") or "").strip()
        if raw.isdigit() and len(raw) <= 9:
            return int(raw)
        if self._versioned_instance() is not None:
            self.stale = True
        return None

    def clean(self):
        cleaned = super().clean()
        if getattr(self, "stale", False):
            self.add_stale_error()
        return cleaned

    def expected_version(self) -> int:
        value = self.cleaned_data.get("version")
        if value is None:
            raise StaleEdit(self._versioned_instance())
        return value

    def add_stale_error(self) -> None:
        if StaleEdit.message not in self.non_field_errors():
            self.add_error(None, StaleEdit.message)
