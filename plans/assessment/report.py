"""The feedback report: an issued assessment as a PDF for the learner's portfolio.

Rendered by the same WeasyPrint set-up as the plan (plans.pdf.render.html_to_pdf), so it
goes through the same fetcher that serves only the app's own static files: nothing the
assessor or the manager typed can make it read a file or an address. Short enough to render
in the request; the same assessment always gives the same words, since it never changes.
"""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from plans.models import Assessment
from plans.pdf import static_url
from plans.pdf.render import RenderedPdf, html_to_pdf

from .feedback import report_context


def feedback_html(assessment: Assessment) -> str:
    context = {
        **report_context(assessment),
        "css_url": static_url("pdf/print.css"),
        "template_version": settings.PDF_TEMPLATE_VERSION,
        "issued_at": timezone.localtime(assessment.issued_at) if assessment.issued_at else None,
    }
    return render_to_string("pdf/assessment/feedback.html", context)


def render_feedback(assessment: Assessment) -> RenderedPdf:
    if not assessment.is_issued:
        raise ValueError("Only issued feedback has a report.")
    return html_to_pdf(feedback_html(assessment))
