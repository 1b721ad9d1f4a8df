"""How the evaluation's numbers read on its pages: 66.7 not 66.70, and 70% not 70 %."""

from __future__ import annotations

from typing import Any

from django import template

from evaluation import rules

register = template.Library()


@register.filter
def plain(value: Any) -> str:
    """A measurement as typed: 12.5, 40, never 40.00 (— for none)."""
    return rules.plain(rules.to_decimal(value))


@register.filter
def with_unit(value: Any, unit: str) -> str:
    """A value with its unit: "70%" for a percentage, "75 minutes per carer per shift" otherwise."""
    number = rules.to_decimal(value)
    if number is None:
        return "not set"
    text = rules.plain(number)
    return f"{text}%" if unit == "%" else f"{text} {unit}"
