"""Narratives: Markdown rendered safely, and words counted one way everywhere.

Narratives are Markdown written by managers: rendered with markdown-it, then sanitised with
nh3 so no script, style, iframe or remote resource can get through — in the pages, on the
review page and in the PDF alike.

The word count is the one an assessor makes: Markdown syntax is not words, a hyphenated or
apostrophised word is one, and a cross-reference to an appendix (written `[[appendix:risks]]`,
printed "Appendix B: Risk register and contingency plans (page 14)") is a citation, which
word counts leave out, like the references list. WORD_PATTERN is written in the part of regular-expression syntax
that Python and JavaScript read alike; the narrative editor hands it to the browser
(data-word-pattern), so the live count while typing is the number that is saved.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

from .sections import WORD_GUIDE

_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable("table")

_ALLOWED_TAGS = {
    "p", "br", "strong", "em", "ul", "ol", "li", "blockquote", "code", "pre", "hr",
    "h1", "h2", "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td", "a",
}  # fmt: skip
# No <img>: an image URL in a narrative would make the PDF renderer fetch it.
_ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}}
_URL_SCHEMES = {"http", "https", "mailto"}

# Letters (with the accented Latin-1 ones) and digits, joined by an apostrophe or a hyphen.
WORD_PATTERN = "[A-Za-z0-9\u00c0-\u00ff]+(?:['\u2019-][A-Za-z0-9\u00c0-\u00ff]+)*"
_WORD = re.compile(WORD_PATTERN)

# A cross-reference an author writes in a narrative: [[appendix:<appendix key>]]. The PDF
# prints it as the appendix's label, title and page; the browser's live count strips it too
# (data-skip-pattern), so it is never counted as words anywhere.
XREF_PATTERN = r"\[\[appendix:([A-Za-z0-9_-]+)\]\]"
_XREF = re.compile(XREF_PATTERN)


def appendix_refs(text: str) -> list[str]:
    """The appendix keys a narrative cites, in the order it first cites them."""
    return list(dict.fromkeys(_XREF.findall(text or "")))


def replace_appendix_refs(html: str, printed: Callable[[str], str]) -> str:
    """Each token in (already sanitised) HTML replaced by printed(key)."""
    return _XREF.sub(lambda m: printed(m[1]), html)


def render_markdown(text: str) -> SafeString:
    html = _md.render(text or "")
    clean = nh3.clean(
        html,
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRIBUTES,
        url_schemes=_URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )
    return mark_safe(clean)  # noqa: S308 - sanitised by nh3 just above


def word_count(text: str) -> int:
    return len(_WORD.findall(_XREF.sub(" ", text or "")))


def words_in(narratives: dict[str, str]) -> int:
    """All the written answers together: the number held against the guide."""
    return sum(word_count(text) for text in narratives.values())


def word_guide_status(total: int) -> str:
    """ "under", "within" or "over" the 2,500-3,500 word guide."""
    low, high = WORD_GUIDE
    if total < low:
        return "under"
    if total > high:
        return "over"
    return "within"
