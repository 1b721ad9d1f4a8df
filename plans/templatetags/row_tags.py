"""{% row_url "plans:action-edit" row.pk %}: a row's URL without a reverse() per row.

A plan page lists hundreds of rows, each with an edit and a delete link; reversing two URL
names per row was half the page's time. The URL of a one-integer route is reversed once
per name (and script prefix) with a placeholder, then the row's id is put in its place.
"""

from __future__ import annotations

from django import template
from django.urls import get_script_prefix, reverse

register = template.Library()

_PLACEHOLDER = 2147483647  # an id no row has: the largest PostgreSQL integer
_patterns: dict[tuple[str, str], tuple[str, str]] = {}


def row_url(name: str, pk: int) -> str:
    key = (name, get_script_prefix())
    parts = _patterns.get(key)
    if parts is None:
        before, _, after = reverse(name, args=[_PLACEHOLDER]).partition(str(_PLACEHOLDER))
        parts = _patterns[key] = (before, after)
    return f"{parts[0]}{int(pk)}{parts[1]}"


register.simple_tag(row_url, name="row_url")
