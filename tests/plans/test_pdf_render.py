"""render(revision): the document an assessor reads, checked in the PDF itself (pypdf)."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

from pypdf import PdfReader

from plans.models import PlanDecision, PlanRevision
from plans.parts import Appendix, PlanPart, _parts, register_part
from plans.pdf.render import demote_headings, label_appendices, render, render_snapshot
from plans.snapshot.sections import SECTIONS
from plans.snapshot.text import render_markdown

from .pdf_fixtures import approved_revision

HEADERS = [
    "1. Analysis of Need",
    "2. Planning and Resource Management",
    "3. Gaining Support",
    "4. Implementation and Risk",
    "5. Evaluation",
]


def pdf_text(data: bytes) -> tuple[PdfReader, list[str]]:
    reader = PdfReader(io.BytesIO(data))
    return reader, [" ".join(page.extract_text().split()) for page in reader.pages]


def test_section_headers_are_the_assessors_questions():
    assert [s.heading for s in SECTIONS] == HEADERS


def test_document_reads_in_order_with_cover_approval_contents_and_lettered_appendices(personas):
    revision = approved_revision(personas)
    reader, pages = pdf_text(render(revision))
    text = "\n".join(pages)

    cover = pages[0]
    for expected in ("Digital care records", "Oak View", "Revision 1", "Approved", "Sarah Okafor", "David Hughes"):
        assert expected in cover
    assert "Approval record" in pages[1] and "Approved: go ahead." in pages[1]
    assert "Contents" in pages[2]

    # The five questions, each starting a page, in order after the front matter.
    starts = [next(i for i, p in enumerate(pages) if i > 2 and p.startswith(h)) for h in HEADERS]
    assert starts == sorted(starts)
    assert "Our care records are on paper" in pages[starts[0]]

    # Appendices lettered in the order the body first refers to them.
    refs = re.findall(r"See (Appendix [A-Z]): ([^,]+), page (\d+)", text)
    labels = [label for label, _, _ in refs]
    assert labels == ["Appendix A", "Appendix B", "Appendix C", "Appendix D", "Appendix E"]
    assert [title.strip() for _, title, _ in refs] == [
        "Training schedule and care-hours cover",
        "Action plan and timeline",
        "Resources and budget",
        "Standards coverage",
        "Outcomes matrix",
    ]
    for label, title, page in refs:
        # The page number printed beside the reference is where the appendix starts.
        assert pages[int(page) - 1].startswith(f"{label}: {title.strip()}")
    # The body refers to each appendix before the appendix itself appears.
    first_ref_page = {label: next(i for i, p in enumerate(pages) if f"See {label}" in p) for label in labels}
    for label, _, page in refs:
        assert first_ref_page[label] < int(page) - 1

    # Records: a driver in question 1, the standards appendix names where each code is tagged.
    assert "Care records not updated in real time" in pages[starts[0]] or "Care records not updated" in text
    standards_page = pages[int(refs[3][2]) - 1]
    assert "Reg 12" in standards_page and "Safe care and treatment" in standards_page
    assert "Action: Configure care plan templates" in standards_page
    assert "Reg 17" in standards_page and "Driver: Care records not updated in real time" in standards_page

    # Word count against the guide, and the running footer with page X of Y.
    assert re.search(r"Total \((\d[\d,]*) words below the guide|Total \(within the guide\)", text)
    assert "2,500–3,500" in text
    total = len(pages)
    assert f"Page 2 of {total}" in pages[1]
    assert f"Page {total} of {total}" in pages[-1]
    assert "Digital care records · Oak View · Revision 1" in pages[3]
    assert "Page 1 of" not in pages[0]  # the cover has no footer


def test_fonts_are_carlito_embedded_and_the_pdf_is_tagged_with_title_and_language(personas):
    reader = PdfReader(io.BytesIO(render(approved_revision(personas))))
    fonts = {}
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            descriptor = (descendants[0].get_object() if descendants else font).get("/FontDescriptor")
            if descriptor is not None:
                descriptor = descriptor.get_object()
                fonts[str(font["/BaseFont"])] = any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
    assert fonts and all("Carlito" in name for name in fonts)
    assert all(fonts.values()), f"not embedded: {[n for n, e in fonts.items() if not e]}"
    catalog = reader.trailer["/Root"]
    assert bool(catalog["/MarkInfo"]["/Marked"])  # a pypdf BooleanObject
    assert "/StructTreeRoot" in catalog
    assert catalog["/Lang"] == "en-GB"
    assert reader.metadata.title.startswith("Digital care records")


def test_later_edits_to_the_plan_never_reach_an_approved_revisions_pdf(personas):
    revision = approved_revision(personas)
    plan = revision.plan
    plan.title = "Renamed after approval"
    plan.narrative_need = "Rewritten after approval."
    plan.save()
    plan.drivers.update(description="Edited driver")
    _, pages = pdf_text(render(PlanRevision.objects.get(pk=revision.pk)))
    text = "\n".join(pages)
    assert "Renamed after approval" not in text and "Rewritten after approval" not in text
    assert "Edited driver" not in text
    assert "Digital care records" in pages[0]


def test_a_part_contributes_its_appendix_through_the_registry_and_is_lettered_by_first_reference(personas, test_templates):
    class StakeholderPart(PlanPart):
        key = "test_stakeholders"
        order = 50

        def snapshot(self, plan):
            return [{"name": "Night staff", "stance": "Resistant"}]

        def appendices(self, snap):
            return [
                Appendix(
                    key="stakeholders",
                    title="Stakeholder map",
                    template="tests/appendix_stub.html",
                    context={"rows": snap.get(self.key, [])},
                    section=3,
                )
            ]

    register_part(StakeholderPart())
    try:
        labelled = label_appendices(
            [
                Appendix(key="late", title="Late", template="tests/appendix_stub.html", section=0),
                Appendix(key="risks", title="Risks", template="tests/appendix_stub.html", section=4),
                Appendix(key="stakeholders", title="Stakeholder map", template="tests/appendix_stub.html", section=3),
                Appendix(key="training", title="Training", template="tests/appendix_stub.html", section=2),
            ]
        )
        assert [(a.label, a.key) for a in labelled] == [
            ("Appendix A", "training"),
            ("Appendix B", "stakeholders"),
            ("Appendix C", "risks"),
            ("Appendix D", "late"),
        ]
        assert "Appendix B: Stakeholder map" in labelled[1].html
        _, pages = pdf_text(render(approved_revision(personas)))
        text = "\n".join(pages)
        # Section 3 refers to it, so it comes after section 2's three and before the standards.
        assert "See Appendix D: Stakeholder map" in text
        assert any(p.startswith("Appendix D: Stakeholder map") and "Night staff" in p for p in pages)
        assert "See Appendix E: Standards coverage" in text
    finally:
        _parts.pop("test_stakeholders", None)


def test_approval_record_lists_the_decision_with_approver_time_and_comment(personas):
    revision = approved_revision(personas)
    PlanDecision.objects.filter(revision=revision).update(comment="Approved subject to the pilot review on 8 January.")
    _, pages = pdf_text(render(revision))
    record = pages[1]
    assert "Approved" in record and "David Hughes" in record
    assert "Approved subject to the pilot review on 8 January." in record


def test_a_stored_schema_1_snapshot_still_renders_with_the_risk_register_appendix(personas):
    """Old revisions must read the same years later: the stored fixture of schema 1, with
    risks contributed by the risks part through the same hook."""

    snapshot = json.loads((Path(__file__).parent / "snapshots" / "schema1.json").read_text())
    snapshot["risks"][0]["standards"] = ["Reg 12"]
    meta = {
        "number": 3,
        "status": "Approved",
        "submitted_by": "Sarah Okafor",
        "submitted_at": None,
        "decisions": [],
        "approver": "David Hughes",
        "approved_at": None,
    }
    _, pages = pdf_text(render_snapshot(snapshot, meta))
    text = "\n".join(pages)
    for header in HEADERS:
        assert any(p.startswith(header) for p in pages[3:])
    refs = re.findall(r"See (Appendix [A-Z]): ([^,]+), page (\d+)", text)
    titles = [title.strip() for _, title, _ in refs]
    assert "Risk register and contingency plans" in titles
    # Question 4 refers to the risk register, after question 2's three appendices.
    assert titles.index("Risk register and contingency plans") == 3
    label, title, page = refs[3]
    assert pages[int(page) - 1].startswith(f"{label}: {title.strip()}")
    # Risks' regulations are listed with the risk's reference, among the risks that address them.
    risk = snapshot["risks"][0]
    standards_page = next(int(page) for _, title, page in refs if title.strip() == "Standards coverage")
    assert f"Risk: {risk['ref']}: {risk['title']}" in pages[standards_page - 1]


def test_narrative_headings_sit_below_the_question_heading_without_skipping_a_level():
    html = demote_headings(render_markdown("# Why\n\n## Evidence\n\n###### Deep\n\ntext"))
    assert "<h3>Why</h3>" in html and "<h4>Evidence</h4>" in html and "<h5>Deep</h5>" in html
    assert "<h1" not in html and "<h2" not in html
    # An author who starts at "##" or "####" still gets <h3> first: no H2 -> H4 jump.
    html = demote_headings(render_markdown("#### First\n\ntext\n\n## Second\n\n#### Third"))
    assert html.startswith("<h3>First</h3>") and "<h3>Second</h3>" in html and "<h4>Third</h4>" in html
