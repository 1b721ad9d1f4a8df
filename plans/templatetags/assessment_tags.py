"""Template helpers for the case-study criteria (plans.assessment)."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()

BADGES = {"met": "text-bg-success", "partly": "text-bg-warning", "missing": "text-bg-secondary"}


@register.filter
def lookup(mapping: Any, key: Any) -> Any:
    """mapping[key], or None: `{{ labels|lookup:key }}` where the key is a variable."""
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.filter
def status_badge(status: str) -> str:
    """The Bootstrap badge class for a criterion's status (the label always says it in words)."""
    return BADGES.get(status, "text-bg-light")
