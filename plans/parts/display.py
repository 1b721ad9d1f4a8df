"""How a snapshot value reads on the revision and review pages: one set of rules for every
part's tables and diff lines. Pure: plain values in, text out."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from oakview.core.formats import long_date, long_datetime, parse_date, parse_datetime


def humanise(key: str) -> str:
    """ "go_live_date" -> "Go live date": the fallback when a part gives no label."""
    text = str(key).replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def field_label(labels: Mapping[str, str], key: str) -> str:
    return labels.get(key) or humanise(key)


def infer_format(key: str, value: Any) -> str:
    """The format of a column nobody declared, from its key and a sample value."""
    if isinstance(value, bool):
        return "yesno"
    if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        return "names"
    if isinstance(value, str) and key.endswith("_at"):
        return "datetime"
    if isinstance(value, str) and key.endswith("date"):
        return "date"
    return "text"


def format_value(value: Any, fmt: str = "text", key: str = "") -> str:
    if value is None or value == "":
        return ""
    if fmt == "auto":
        fmt = infer_format(key, value)
    if fmt == "date":
        return long_date(parse_date(value)) or str(value)
    if fmt == "datetime":
        return long_datetime(parse_datetime(value)) or str(value)
    if fmt == "money":
        return f"£{value}"
    if fmt == "yesno":
        return "Yes" if value else "No"
    return show(value)


def show(value: Any) -> str:
    """Any snapshot value as plain text: lists joined, rows by name, booleans as Yes/No."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, list):
        return ", ".join(show(v) for v in value)
    if isinstance(value, dict):
        if "name" in value:
            return str(value["name"])
        return "; ".join(f"{humanise(k)}: {show(v)}" for k, v in value.items() if k != "id")
    return str(value)
