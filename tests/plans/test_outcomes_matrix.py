"""The PDF's outcomes matrix: every criterion, the section (and its page) that answers it,
and the lettered appendix that carries its records, read back with pdftotext."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from plans.assessment.criteria import CRITERIA
from plans.pdf.render import render

from .pdf_fixtures import approved_revision
from .test_pdf_render import HEADERS

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils' pdftotext is not installed")


def pdftotext(data: bytes, *args: str) -> list[str]:
    out = subprocess.run(["pdftotext", *args, "-", "-"], input=data, capture_output=True, check=True).stdout.decode()
    return out.split("\f")


def row_of(lines: list[str], title: str) -> str:
    """A matrix row as -layout prints it: the line the criterion's title starts on and the
    few after it (its cells wrap), joined."""
    start = next(i for i, line in enumerate(lines) if line.strip().startswith(title[:25]))
    return " ".join(" ".join(line.split()) for line in lines[start : start + 4])


def test_the_outcomes_matrix_maps_every_criterion_to_its_section_page_and_appendix(personas):
    data = render(approved_revision(personas))
    pages = [" ".join(p.split()) for p in pdftotext(data)]
    start = next(i for i, p in enumerate(pages) if p.startswith("Appendix E: Outcomes matrix"))
    lines = [line for page in pdftotext(data, "-layout")[start:] for line in page.splitlines()]
    section_page = {
        number: next(i for i, p in enumerate(pages) if i > 2 and p.startswith(heading)) + 1
        for number, heading in enumerate(HEADERS, start=1)
    }
    matrix = " ".join(pages[start:])
    for heading in ("Questions: what each answer must contain", "Expected outcomes", "Submission rules"):
        assert heading in matrix
    for criterion in CRITERIA:
        row = row_of(lines, criterion.title)
        if criterion.section:
            # The section that answers it, with the page that section starts on.
            assert f"Section {criterion.section} " in row, criterion.key
            assert re.search(rf"page .*\b{section_page[criterion.section]}\b", row), criterion.key
        else:
            assert "The whole document" in row, criterion.key
        assert any(status in row for status in ("Met", "Partly met", "Missing")), criterion.key
    # Care hours are evidenced in Appendix A (the training schedule), with the page it starts on.
    training = next(i for i, p in enumerate(pages) if p.startswith("Appendix A: Training schedule")) + 1
    assert f"Appendix A, page {training}" in row_of(lines, "Care hours kept during training")
    # The check's status beside each: the fixture secured one resource of the two it has.
    assert "Partly met" in row_of(lines, "Three resources secured before approval")
    assert "Appendix C, page" in row_of(lines, "Three resources secured before approval")
    # The matrix is cited from the body like every other appendix.
    assert any("See Appendix E: Outcomes matrix" in p for p in pages[:start])
