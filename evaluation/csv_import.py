"""Reading a CSV of measurements, as a care-record system exports one: pure (bytes in, rows
and per-row problems out), so the preview and the tests see exactly what an import would
save. Nothing here touches the database; services.measurements_import saves, all or none.

Accepted: UTF-8 (with or without a byte-order mark), UTF-16 with its mark, and Windows-1252;
a header row naming a date column and a value column (a note column is optional); dates as
2026-12-03, 03/12/2026 (day first, as in the UK) or 3 Dec 2026; values as numbers, with a
trailing % or thousands commas allowed.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

MAX_ROWS = 2000
MAX_BYTES = 1_000_000
DATE_NAMES = ("date", "measured on", "recorded on", "day", "week beginning", "week")
VALUE_NAMES = ("value", "result", "measurement", "score", "percentage", "count")
NOTE_NAMES = ("note", "notes", "comment", "comments")
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y", "%d-%m-%Y", "%d.%m.%Y", "%d %b %Y", "%d %B %Y")


class FileRefused(Exception):
    """The file as a whole cannot be read: one message, no rows."""


@dataclass
class Row:
    line: int  # the line in the file, as a spreadsheet numbers it (the header is line 1)
    raw_date: str
    raw_value: str
    note: str = ""
    date: dt.date | None = None
    value: Decimal | None = None
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def decode(data: bytes) -> str:
    if not data.strip():
        raise FileRefused("The file is empty.")
    if len(data) > MAX_BYTES:
        raise FileRefused("The file is larger than 1 MB: split it, or export fewer weeks at a time.")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise FileRefused("The file says it is UTF-16 but cannot be read as such: export it again as CSV (UTF-8).") from None
    if b"\x00" in data:
        raise FileRefused("This does not look like a CSV file (it has binary content): export the measurements as CSV.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="strict") if _cp1252_ok(data) else _refuse_encoding()


def _cp1252_ok(data: bytes) -> bool:
    try:
        data.decode("cp1252")
    except UnicodeDecodeError:
        return False
    return True


def _refuse_encoding() -> str:
    raise FileRefused("The file's characters cannot be read: export it again as CSV (UTF-8).")


def _column(header: list[str], names: tuple[str, ...]) -> int | None:
    cleaned = [h.strip().lower() for h in header]
    return next((cleaned.index(n) for n in names if n in cleaned), None)


def parse_date(text: str) -> dt.date | None:
    text = text.strip()
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def parse_value(text: str) -> Decimal | None:
    cleaned = text.strip().replace(",", "").removesuffix("%").strip()
    if not cleaned:
        return None
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def _cell(cells: list[str], i: int | None) -> str:
    return cells[i].strip() if i is not None and i < len(cells) else ""


def read(data: bytes) -> list[Row]:
    """Every data row with what is wrong with it; FileRefused when the file cannot be read."""
    text = decode(data)
    try:
        dialect = csv.Sniffer().sniff(text[:2048], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    try:
        header = next(reader)
    except (StopIteration, csv.Error):
        raise FileRefused("The file has no header row.") from None
    date_col, value_col, note_col = _column(header, DATE_NAMES), _column(header, VALUE_NAMES), _column(header, NOTE_NAMES)
    if date_col is None or value_col is None:
        found = ", ".join(f"“{h.strip()}”" for h in header if h.strip()) or "none"
        raise FileRefused(f"The first row must name a date column and a value column (found: {found}).")
    rows: list[Row] = []
    seen: dict[dt.date, int] = {}
    try:
        for line, cells in enumerate(reader, start=2):
            if not any(c.strip() for c in cells):
                continue
            if len(rows) >= MAX_ROWS:
                raise FileRefused(f"The file has more than {MAX_ROWS:,} rows: import it in parts.")
            row = Row(
                line=line, raw_date=_cell(cells, date_col), raw_value=_cell(cells, value_col), note=_cell(cells, note_col)[:500]
            )
            row.date = parse_date(row.raw_date)
            if not row.raw_date:
                row.errors.append("no date")
            elif row.date is None:
                row.errors.append(f"“{row.raw_date}” is not a date (use 2026-12-03 or 03/12/2026)")
            row.value = parse_value(row.raw_value)
            if not row.raw_value:
                row.errors.append("no value")
            elif row.value is None:
                row.errors.append(f"“{row.raw_value}” is not a number")
            elif abs(row.value) >= Decimal("1e10") or int(row.value.as_tuple().exponent) < -2:
                row.errors.append(f"“{row.raw_value}” has too many digits (at most two decimal places)")
            if row.date is not None:
                if row.date in seen:
                    row.errors.append(f"the same date as line {seen[row.date]}")
                else:
                    seen[row.date] = line
            rows.append(row)
    except csv.Error as e:
        raise FileRefused(f"The file cannot be read as CSV ({e}).") from None
    if not rows:
        raise FileRefused("The file has a header but no measurements.")
    return rows
