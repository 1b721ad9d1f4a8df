"""{% icon "check-circle" %}: an icon from the vendored Bootstrap Icons sprite
(static/vendor/bootstrap-icons/icons.svg, MIT). Decorative: the words beside it say the
same, so it is hidden from assistive technology."""

from django import template
from django.templatetags.static import static
from django.utils.html import format_html

register = template.Library()

SPRITE = "vendor/bootstrap-icons/icons.svg"


@register.simple_tag
def icon(name: str, css: str = "") -> str:
    return format_html(
        '<svg class="icon{}" aria-hidden="true" focusable="false"><use href="{}#{}"></use></svg>',
        f" {css}" if css else "",
        static(SPRITE),
        name,
    )
