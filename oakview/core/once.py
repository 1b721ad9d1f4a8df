"""Idempotent creates: a create form carries a one-time token, consumed server-side in the
same transaction as the row it creates.

    form = RowForm(request.POST or None, ...)        # RowForm mixes in OnceFormMixin
    if form.is_valid():
        try:
            row = create_once(form, lambda: services.row_save(...))
        except AlreadySent:
            ...  # answer as for the first send: "already added", no second row

A second send of the same form (a double click, a browser resending) waits on the token's
unique index until the first commits, then finds the token taken: AlreadySent. A refused
save (bad input) rolls the token back with the transaction, so the corrected form goes
through. The page's htmx and oakview.js also disable the button while a form is sent.
A post without a token (a script, a page from before this release) is accepted as before.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import timedelta
from typing import Any, TypeVar

from django import forms
from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import FormSubmission

T = TypeVar("T")
ALREADY_SENT = "This form was sent twice; it was saved once."
KEEP = timedelta(days=1)


class AlreadySent(Exception):
    """This form's token was used: its row exists already."""


def new_form_token() -> str:
    return secrets.token_urlsafe(24)


class OnceFormMixin(forms.Form):
    """A hidden one-time `form_token`, fresh for each form shown."""

    form_token = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["form_token"] = new_form_token()


def create_once(form: forms.BaseForm, save: Callable[[], T]) -> T:
    """Run `save` unless this form's token was used already; record the token with it."""
    # Popped: views pass cleaned_data on to services, which know nothing of tokens.
    token = (form.cleaned_data.pop("form_token", "") or "").strip()
    with transaction.atomic():
        if token:
            try:
                with transaction.atomic():
                    FormSubmission.objects.create(token=token)
            except IntegrityError:
                raise AlreadySent(ALREADY_SENT) from None
        return save()


def purge_form_tokens() -> int:
    deleted, _ = FormSubmission.objects.filter(created_at__lt=timezone.now() - KEEP).delete()
    return deleted
