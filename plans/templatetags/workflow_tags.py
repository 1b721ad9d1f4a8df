from django import template
from django.utils.html import format_html, format_html_join

from plans.snapshot.diff import is_long_text, word_diff

register = template.Library()


@register.filter
def long_text(before: str, after: str) -> bool:
    return is_long_text(before, after)


@register.simple_tag
def text_diff(before: str, after: str):
    """A word-level diff: removed words in <del>, added in <ins>, all escaped."""
    tags = {"same": "{}", "del": "<del>{}</del>", "ins": "<ins>{}</ins>", "skip": '<span class="diff-skip">{}</span>'}
    segments = word_diff(before, after, context=25)
    return format_html_join("", "{}", ((format_html(tags[op], text),) for op, text in segments))


@register.simple_tag
def cycle_label(columns: list[str], index: int) -> str:
    """The column heading of cell `index`: a stacked cell's label on a phone (data-label)."""
    return columns[index] if 0 <= index < len(columns) else ""
