"""The submission rules, checked in the exported demo PDF as an assessor would: headers,
appendix citations, the word count, nothing off the paper (also with hostile long words),
no near-empty pages, heading levels, table header scopes, fonts and sizes."""

from __future__ import annotations

import copy
import io
import re

import pytest
from django.core.management import call_command
from pypdf import PdfReader

from oakview.core.formats import parse_date
from plans.models import Plan, PlanRevision
from plans.parts import readiness_problems
from plans.pdf.render import render_revision, render_snapshot, revision_meta
from plans.snapshot.sections import SECTIONS, WORD_GUIDE
from plans.snapshot.text import word_count

from .pdf_checks import MM, font_sizes, fonts, header_cells, heading_levels, layout, words_off_the_paper
from .pdf_fixtures import NARRATIVES, approved_revision

HEADERS = [s.heading for s in SECTIONS]
LONG_WORD = "Unbroken" + "x" * 2000
APPENDIX_HEAD = re.compile(r"^(Appendix [A-Z]+): ")


def demo_revision() -> PlanRevision:
    call_command("seed_demo", force=True, verbosity=0)
    plan = Plan.objects.get(title__startswith="Going digital")
    return plan.revisions.filter(status=PlanRevision.Status.APPROVED).order_by("-number").first()


def texts(data: bytes) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(data)).pages]


def check_fits_and_fills(data: bytes) -> None:
    pages = layout(data)
    # Nothing beyond the paper, nor in the outer 10 mm where a printer trims.
    off = words_off_the_paper(pages, margin=10 * MM)
    assert not off, [(w.page, w.text[:30]) for w in off[:10]]
    # No page under a third full unless the next starts a question or an appendix (or it is
    # front matter, whose pages each stand alone).
    starts = tuple(HEADERS) + ("Appendix ", "References", "Contents", "Approval record")
    for page, following in zip(pages, pages[1:], strict=False):
        if page.fill(top=18 * MM, bottom=20 * MM) < 1 / 3:
            assert following.text.startswith(starts), f"page {page.number} is under a third full: {page.text[:80]}"


@pytest.mark.django_db
def test_the_demo_meets_the_submission_rules():
    revision = demo_revision()
    data = render_revision(revision).data
    pages = texts(data)
    body_start = next(i for i, p in enumerate(pages) if p.startswith(HEADERS[0]))

    # 1. The guide's five headers exactly, in order, each starting a page.
    starts = [next(i for i, p in enumerate(pages) if p.startswith(h)) for h in HEADERS]
    assert starts == sorted(starts) and starts[0] == body_start

    # 2. Every appendix cited in the body exists, and every appendix is cited from the body.
    titles = {}
    for number, text in enumerate(pages):
        match = APPENDIX_HEAD.match(text)
        if match and number > starts[-1]:
            titles[match[1]] = number
    body = " ".join(pages[body_start : min(titles.values())])
    cited = set(re.findall(r"Appendix [A-Z]+\b", body))
    assert cited == set(titles), (cited, set(titles))
    # Lettered in the order of first citation.
    first = sorted(cited, key=body.index)
    assert first == sorted(first, key=lambda label: (len(label), label))
    # Each citation's page number is where that appendix starts.
    for label, title, page in re.findall(r"(Appendix [A-Z]+): ([^()]+?) \(page (\d+)\)", body):
        assert pages[int(page) - 1].startswith(f"{label}: {title}"), (label, title, page)

    # 3. The printed word count is the one the plan page and readiness make, and in the guide.
    narratives = revision.snapshot["plan"]["narratives"]
    expected = sum(word_count(narratives.get(s.key, "")) for s in SECTIONS)
    contents = next(p for p in pages if p.startswith("Contents"))
    printed = int(re.search(r"Total \([^)]*\) ([\d,]+)", contents)[1].replace(",", ""))
    assert printed == expected
    assert WORD_GUIDE[0] <= printed <= WORD_GUIDE[1]
    # Question 1 no longer repeats its answer in a block of statements.
    assert "Desired state" not in pages[starts[0]]

    # 4. Nothing off the paper; no near-empty pages mid-question.
    check_fits_and_fills(data)

    # 5. Heading levels never skip one (PDF/UA-1 7.4.2); every table header cell has a scope.
    levels = heading_levels(data)
    assert levels[0] == 1
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:], strict=False)), levels
    headers = header_cells(data)
    assert headers and all(h["scope"] in ("/Column", "/Row") for h in headers)

    # 6. Nothing is printed below 8 pt, charts included; every font is embedded.
    assert min(font_sizes(data)) >= 8.0, sorted(font_sizes(data))[:3]
    assert all(f["emb"] == "yes" for f in fonts(data))

    # 7. The story holds together: question 4 names the two first-week risks and what we do,
    # the night session starts at the start of the night shift, no review date has passed
    # by the approval, and the standards are named in full with a references list.
    q4 = " ".join(pages[starts[3] : starts[4]])
    assert "R1, system outage on go-live day" in q4 and "R4, medication record errors" in q4
    assert "downtime packs" in q4 and "back to a paper chart" in q4
    night = [t for t in revision.snapshot["plan"]["training"] if t["title"].startswith("Night")]
    assert night and all("T20:00" in t["starts_at"] for t in night)
    approved_on = revision.decisions.get(outcome="approved").decided_at.date()
    assert all(parse_date(r["review_date"]) >= approved_on for r in revision.snapshot["risks"])
    assert "Health and Social Care Act 2008 (Regulated Activities) Regulations 2014" in pages[starts[0]]
    references = next(p for p in pages if p.startswith("References"))
    assert "(SI 2014/2936)" in references and "National Occupational Standards" in references


def hostile(value, seen: set | None = None):
    """The snapshot with a 2,000-character word added to the free text of the first row of
    every list of records, of every part, and to every narrative."""
    if isinstance(value, dict):
        return {k: hostile(v) for k, v in value.items()}
    if isinstance(value, list):
        rows = [hostile(v) for v in value]
        if rows and isinstance(rows[0], dict):
            rows[0] = {
                k: f"{v} {LONG_WORD}" if isinstance(v, str) and " " in v and not k.endswith(("_at", "date")) else v
                for k, v in rows[0].items()
            }
        return rows
    return value


@pytest.mark.django_db
def test_hostile_long_words_stay_on_the_paper():
    revision = demo_revision()
    snap = hostile(copy.deepcopy(revision.snapshot))
    for key in snap["plan"]["narratives"]:
        snap["plan"]["narratives"][key] += f"\n\nA pasted reference: {LONG_WORD}"
    resource = snap["plan"]["resources"][0]
    resource["unit"] = "x" * 300  # a long unit beside the unit-cost figures
    data = render_snapshot(snap, revision_meta(revision))
    off = words_off_the_paper(layout(data), margin=10 * MM)
    assert not off, [(w.page, w.text[:30]) for w in off[:10]]
    # The contingency column is still there to read.
    assert "Contingency plan (what we do)" in " ".join(texts(data))


@pytest.mark.django_db
def test_citations_print_the_appendix_label_title_and_page_and_letter_by_first_citation(personas):
    narratives = dict(NARRATIVES)
    # Question 1 cites the resources before anything else: it becomes Appendix A.
    narratives["need"] += "\n\nThe budget is in [[appendix:resources]], the staff time in [[appendix:training]]."
    narratives["support"] += "\n\nEmoji 😀 ✅ and Hebrew שלום and Arabic مرحبا print with glyphs. [[appendix:nowhere]]"
    revision = approved_revision(
        personas,
        narratives=narratives,
        submission_candidate="Sarah Okafor",
        submission_qualification="Level 5 Diploma in Leadership and Management for Adult Care",
        submission_centre="Northgate College",
    )
    data = render_revision(revision).data
    pages = texts(data)
    text = "\n".join(pages)
    assert "Appendix A: Resources and budget (page" in pages[4] or "Appendix A: Resources and budget (page" in text
    assert "Appendix B: Training schedule and care-hours cover (page" in text
    label_page = int(re.search(r"Appendix A: Resources and budget \(page (\d+)\)", text)[1])
    assert pages[label_page - 1].startswith("Appendix A: Resources and budget")
    # A cited appendix gets no second "See ..." note; the uncited ones still do.
    assert "See Appendix A" not in text and "See Appendix C: Action plan and timeline" in text
    assert '(no appendix "nowhere" in this revision)' in text
    # The word count leaves the citations out, as the plan page does.
    contents = next(p for p in pages if p.startswith("Contents"))
    printed = int(re.search(r"Total \([^)]*\) ([\d,]+)", contents)[1].replace(",", ""))
    assert printed == sum(word_count(narratives[s.key]) for s in SECTIONS)
    # Emoji and right-to-left text come out as themselves, drawn by the shipped fonts.
    assert "😀" in text and "שלום" in text and "مرحبا" in text
    names = {f["name"].split("+")[-1] for f in fonts(data)}
    assert {"Noto-Emoji", "Noto-Sans-Hebrew", "Noto-Sans-Arabic"} <= names, names
    assert all(not n.startswith(("DejaVu", "Liberation")) for n in names), names
    # The cover carries the submission details the manager filled in; blank ones are left off.
    assert "Candidate Sarah Okafor" in pages[0] and "Centre Northgate College" in pages[0]
    assert "Assessor" not in pages[0]
    # The approval page: approver, role, decision and a signature line.
    assert "David Hughes" in pages[1] and "Signature" in pages[1] and "Role" in pages[1]


@pytest.mark.django_db
def test_readiness_warns_about_an_appendix_no_answer_cites(personas):
    revision = approved_revision(personas)
    plan = revision.plan
    messages = [p.message for p in readiness_problems(plan) if not p.blocking]
    assert any("Risk register and contingency plans" in m and "[[appendix:risks]]" in m for m in messages)
    plan.narrative_implementation += " See [[appendix:risks]] and [[appendix:nowhere]]."
    plan.save()
    messages = [p.message for p in readiness_problems(plan) if not p.blocking]
    assert not any("Risk register and contingency plans" in m for m in messages)
    assert any("[[appendix:nowhere]]" in m and "names no appendix" in m for m in messages)
