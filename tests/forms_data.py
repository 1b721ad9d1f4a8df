"""POST data a person's browser would send for a form as it was shown (its initial values)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms


def _text(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%dT%H:%M")
    if hasattr(value, "pk"):
        return str(value.pk)
    return str(value)


def form_data(form: forms.BaseForm, **changes: Any) -> dict[str, Any]:
    """The fields of an unbound form as posted, with `changes` applied (None drops a field)."""
    data: dict[str, Any] = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if value is None or value == "":
            continue
        if isinstance(field, forms.BooleanField):
            if value:
                data[name] = "on"
        elif isinstance(value, (list, tuple)):
            data[name] = [_text(v) for v in value]
        else:
            data[name] = _text(value)
    for name, value in changes.items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value
    return data
