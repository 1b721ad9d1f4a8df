"""How Oakview writes dates and spreadsheet cells, in Python code.

Templates format dates with Django's `date` filter and the patterns of the en-GB format
module (oakview/formats/en_GB/formats.py); code that writes a date into a message, a CSV
file, a chart label or a PDF context uses these functions, which read the same patterns, so
"25 Nov 2026" looks the same wherever it appears.

Snapshots keep dates as ISO strings; parse_date and parse_datetime read them back.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.http import HttpResponse
from django.utils import dateformat, timezone

from oakview.formats.en_GB import formats as en_gb

__all__ = [
    "csv_cell",
    "csv_response",
    "day_month",
    "long_date",
    "long_datetime",
    "parse_date",
    "parse_datetime",
    "short_date",
    "short_datetime",
]


def _local(value: dt.datetime) -> dt.datetime:
    return timezone.localtime(value) if timezone.is_aware(value) else value


def long_date(value: dt.date | None, empty: str = "") -> str:
    """25 Nov 2026: how staff write a date in a sentence."""
    return dateformat.format(value, en_gb.DATE_FORMAT) if value else empty


def long_datetime(value: dt.datetime | None, empty: str = "") -> str:
    """25 Nov 2026, 14:30 in the home's time zone."""
    return dateformat.format(_local(value), en_gb.DATETIME_FORMAT) if value else empty


def short_date(value: dt.date | None, empty: str = "") -> str:
    """25/11/2026: for tables and spreadsheets."""
    return dateformat.format(value, en_gb.SHORT_DATE_FORMAT) if value else empty


def short_datetime(value: dt.datetime | None, empty: str = "") -> str:
    """25/11/2026 14:30 in the home's time zone."""
    return dateformat.format(_local(value), en_gb.SHORT_DATETIME_FORMAT) if value else empty


def day_month(value: dt.date) -> str:
    """25 Nov: a chart's axis label."""
    return dateformat.format(value, "j M")


def parse_date(value: Any) -> dt.date | None:
    """An ISO date (or the date part of an ISO date-time) from a snapshot; None if absent or bad."""
    if not value:
        return None
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def parse_datetime(value: Any) -> dt.datetime | None:
    """An ISO date-time from a snapshot, in the home's time zone (UTC if it carries none)."""
    if not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(str(value))
    except ValueError:
        return None
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed, dt.UTC)
    return timezone.localtime(parsed)


# A cell starting with one of these is run as a formula by spreadsheet programs: text a user
# typed must never become a formula on the manager's laptop.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def csv_response(filename: str, header: list[str], rows: Iterable[Iterable[Any]]) -> HttpResponse:
    """A CSV download whose every cell is safe to open in a spreadsheet."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # a byte-order mark, so Excel reads "£" and accents as UTF-8
    writer = csv.writer(response)
    writer.writerow(header)
    for row in rows:
        writer.writerow([csv_cell(v) for v in row])
    return response
