"""Bounds on what a form accepts, whatever a crafted post sends.

SafeInputMixin, mixed into every form of the project (VersionedFormMixin includes it):

- ids in a choice of rows (a standard, an attendee, an owner) must be whole numbers a
  database column can hold: a huge one is "not one of the choices", never an
  OverflowError (SQLite) or DataError (PostgreSQL) answered as a 500;
- dates and date-times lie between 1 January 2000 and 31 December 2099: 0001-01-01 and
  9999-12-31 are refused beside the field (they overflowed the care-hours arithmetic);
- a hidden field that comes back wrong (edited by hand, a page from an older release) is
  a message at the top of the form, not an invisible error and a bare 400.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator

from .formats import long_date

MAX_ID = 2**63 - 1  # PostgreSQL's bigint and SQLite's INTEGER
MIN_DATE = dt.date(2000, 1, 1)
MAX_DATE = dt.date(2099, 12, 31)
DATE_MESSAGE = f"Enter a date between {long_date(MIN_DATE)} and {long_date(MAX_DATE)}."
HIDDEN_MESSAGE = (
    "Part of this form did not come back as the page sent it (it may be out of date). "
    "Your entries are below: check them and send the form again."
)


def is_valid_id(value: Any) -> bool:
    text = str(value).strip()
    return text.isdigit() and 0 < int(text) <= MAX_ID


class BoundedModelChoiceField(forms.ModelChoiceField):
    def to_python(self, value: Any) -> Any:
        if value not in self.empty_values and self.to_field_name is None and not is_valid_id(value):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value})
        return super().to_python(value)


class BoundedModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    def _check_values(self, value: Any) -> Any:
        if self.to_field_name is None:
            for pk in value if isinstance(value, (list, tuple)) else [value]:
                if not is_valid_id(pk):
                    raise ValidationError(
                        self.error_messages["invalid_choice"], code="invalid_choice", params={"value": str(pk)[:40]}
                    )
        return super()._check_values(value)  # type: ignore[misc]  # private in django-stubs


def _date_of(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    return value if isinstance(value, dt.date) else None


def _check_date(value: Any) -> None:
    day = _date_of(value)
    if day is not None and not (MIN_DATE <= day <= MAX_DATE):
        raise ValidationError(DATE_MESSAGE, code="date_out_of_range")


def harden(form: forms.BaseForm) -> None:
    """Give each field of the form its bounds (see the module's docstring)."""
    for field in form.fields.values():
        if type(field) is forms.ModelMultipleChoiceField:
            field.__class__ = BoundedModelMultipleChoiceField
        elif type(field) is forms.ModelChoiceField:
            field.__class__ = BoundedModelChoiceField
        if isinstance(field, (forms.DateField, forms.DateTimeField)) and _check_date not in field.validators:
            field.validators.append(_check_date)
        if isinstance(field, forms.IntegerField) and not isinstance(field, forms.DecimalField):
            if field.max_value is None:
                field.validators.append(MaxValueValidator(2**31 - 1))
            if field.min_value is None:
                field.validators.append(MinValueValidator(-(2**31)))


class SafeInputMixin(forms.BaseForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        harden(self)

    def full_clean(self) -> None:
        super().full_clean()
        if not self.is_bound or not hasattr(self, "cleaned_data"):
            return
        errors: Any = self.errors  # an ErrorDict, filled by full_clean
        hidden = [name for name, field in self.fields.items() if field.widget.is_hidden and name in errors]
        for name in hidden:
            del errors[name]
        if hidden and HIDDEN_MESSAGE not in self.non_field_errors():
            self.add_error(None, HIDDEN_MESSAGE)
