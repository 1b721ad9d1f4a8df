"""Validators shared by this app's text fields."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError

# An HTML tag or comment: "<script", "</b", "<!--", "<img". "< 5 minutes" and "<3" are fine.
_MARKUP = re.compile(r"<\s*[/!?]?\s*[a-zA-Z]")


def plain_text(value: str) -> None:
    """Text here is what people said and what we will tell them: plain words. Pages and the
    PDF escape it anyway; refusing markup keeps a pasted script out of the record and the
    CSV, and tells the writer why."""
    if value and _MARKUP.search(value):
        raise ValidationError(
            "Write this as plain text: remove anything in angle brackets, such as <script> or <b>.",
            code="markup",
        )
