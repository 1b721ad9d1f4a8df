"""{{ value|stance_badge }}: a stance written with its grid marker, so it is never told by
colour alone. Takes a vocab.Stance, a key ("sceptical") or a snapshot's name ("Sceptical")."""

from django import template
from django.utils.html import format_html

from ..charts import legend_svg
from ..vocab import Stance, stance

register = template.Library()


@register.filter
def stance_badge(value, size: int = 20) -> str:
    """`size` in pixels: 20 on pages, smaller in print (`|stance_badge:14`)."""
    info = value if isinstance(value, Stance) else stance(str(value or ""))
    return format_html('<span class="text-nowrap">{} {}</span>', legend_svg(info, size=int(size)), info.name)
