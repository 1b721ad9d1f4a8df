"""The plan's overview and its section pages: progress, the next step, a card per question,
the sidebar, old anchors, the checklist refreshed after an htmx save, milestones derived."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from plans.models import Action, Plan
from plans.parts import build_snapshot
from plans.snapshot.text import word_count
from tests.factories import ActionFactory, MilestoneFactory
from tests.plans.workflow_helpers import approve, ready_plan, submit


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.fixture
def plan(personas):
    return ready_plan(personas, narrative_support="")


def test_overview_shows_progress_the_next_step_and_a_card_per_question(personas, plan):
    ActionFactory(plan=plan, title="Book the trainer", owner=None, due_date=None)
    ActionFactory(plan=plan, title="Charge the tablets", owner=personas.staff, status=Action.Status.DONE)
    html = personas.client(personas.manager).get(f"/plans/{plan.pk}/").text
    text = text_of(html)
    assert "Actions done 1 of 3" in text
    assert "Readiness items open 2" in text
    # The next step is the first open item, linked to where it is fixed.
    assert "Next step Section 3 (Gaining Support) has no narrative yet: write it. (1 more item after this)" in text
    assert f'href="/plans/{plan.pk}/sections/support/edit/">Fix this' in html
    for number, title in [(1, "Analysis of Need"), (3, "Gaining Support"), (5, "Evaluation")]:
        assert f"{number}. {title}" in text
    cards = html[html.index('class="question-cards') :]
    assert cards.count("Needs work") == 2 and cards.count("section-badge section-done") == 3  # support, planning
    # The action without an owner links to its very row on question 2's page.
    action = Action.objects.get(title="Book the trainer")
    assert f'href="/plans/{plan.pk}/sections/planning/#action-{action.pk}"' in html
    assert 'id="overview-panels"' in html  # where the parts' overview panels go


def test_days_to_go_live_and_milestones_reached_from_their_actions(personas, plan):
    today = timezone.localdate()
    plan.go_live_date = today + dt.timedelta(days=12)
    plan.save()
    reached = MilestoneFactory(plan=plan, title="Wi-Fi installed", due_date=today)
    MilestoneFactory(plan=plan, title="Pilot ends", due_date=today + dt.timedelta(days=30))
    ActionFactory(plan=plan, milestone=reached, owner=personas.staff, status=Action.Status.DONE)
    text = text_of(personas.client(personas.manager).get(f"/plans/{plan.pk}/").text)
    assert "in 12 days" in text
    assert "Milestones reached 1 of 2 Next: Pilot ends" in text
    section = text_of(personas.client(personas.manager).get(f"/plans/{plan.pk}/sections/planning/").text)
    assert "Wi-Fi installed Reached (every action done)" in section
    # The frozen revision says the same, not "Done: No".
    milestones = {m["title"]: m["done"] for m in build_snapshot(plan)["plan"]["milestones"]}
    assert milestones == {"Wi-Fi installed": True, "Pilot ends": False}


def test_section_page_has_its_records_sidebar_and_own_items(personas, plan):
    c = personas.client(personas.manager)
    html = c.get(f"/plans/{plan.pk}/sections/support/").text
    assert "<h1" in html and "3. Gaining Support" in html
    assert 'aria-current="page">3. Gaining Support' in html  # the sidebar marks where you are
    assert "Still to do in this section" in html and "has no narrative yet" in html
    assert "Write the narrative" in html
    planning = c.get(f"/plans/{plan.pk}/sections/planning/").text
    assert 'id="rows-action"' in planning and "Order tablets" in planning
    assert "Nothing left to do in this section" in planning
    assert c.get(f"/plans/{plan.pk}/sections/nonsense/").status_code == 404
    assert personas.client(personas.stranger).get(f"/plans/{plan.pk}/sections/need/").status_code == 404


def test_readers_are_sent_to_the_approved_section(personas, plan):
    plan.narrative_support = plan.narrative_need
    plan.save()
    assert personas.client(personas.staff).get(f"/plans/{plan.pk}/sections/need/").status_code == 403
    submit(plan, personas)
    approve(plan, personas)
    response = personas.client(personas.staff).get(f"/plans/{plan.pk}/sections/planning/")
    assert response.status_code == 302 and response["Location"] == f"/plans/{plan.pk}/revisions/1/#section-planning"


def test_old_anchors_of_the_long_page_lead_to_the_section_pages(personas, plan):
    html = personas.client(personas.manager).get(f"/plans/{plan.pk}/").text
    assert f'data-anchor="section-need" href="/plans/{plan.pk}/sections/need/"' in html
    assert f'data-anchor="rows-action" href="/plans/{plan.pk}/sections/planning/#rows-action"' in html


def test_saving_a_row_with_htmx_refreshes_the_sections_checklist(personas, plan):
    action = ActionFactory(plan=plan, title="Book the trainer", owner=None, due_date=dt.date(2027, 1, 20))
    c = personas.client(personas.manager)
    assert "“Book the trainer” needs an owner" in c.get(f"/plans/{plan.pk}/sections/planning/").text
    response = c.post(
        f"/plans/action/{action.pk}/edit/",
        {
            "title": "Book the trainer",
            "owner": personas.staff.pk,
            "due_date": "2027-01-20",
            "status": "not_started",
            "version": action.version,
        },
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200 and response["HX-Retarget"] == "#rows-action"
    html = response.text
    assert 'id="section-readiness"' in html and 'hx-swap-oob="true"' in html
    assert "needs an owner" not in html and "Nothing left to do in this section" in html


def test_a_plain_save_returns_to_the_section_page(personas, plan):
    c = personas.client(personas.manager)
    response = c.post(f"/plans/{plan.pk}/objective/new/", {"title": "Fewer missed entries"})
    assert response.status_code == 302 and response["Location"] == f"/plans/{plan.pk}/sections/planning/#rows-objective"
    response = c.post(
        f"/plans/{plan.pk}/sections/support/edit/", {"narrative_support": "We will talk to every shift.", "version": plan.version}
    )
    assert response.status_code == 302 and response["Location"] == f"/plans/{plan.pk}/sections/support/"


def test_the_overview_draws_the_timeline_with_full_labels_and_today(personas, plan):
    today = timezone.localdate()
    long_title = "Every care plan transferred, checked with the resident or their family, and signed off"
    milestone = MilestoneFactory(plan=plan, title=long_title, due_date=today + dt.timedelta(days=10))
    ActionFactory(plan=plan, milestone=milestone, owner=personas.staff, due_date=today, status=Action.Status.DONE)
    html = personas.client(personas.manager).get(f"/plans/{plan.pk}/").text
    svg = html[html.index('<svg class="chart gantt"') : html.index("</svg>", html.index('<svg class="chart gantt"'))]
    words = re.sub(r"<[^>]+>", " ", svg)
    assert " ".join(long_title.split()) in " ".join(words.split())  # wrapped, never cut
    assert ">Today<" in svg and "Go-live" in svg
    assert "1 reached" in svg  # its one action is done, so the milestone is reached
    assert "<style" not in svg  # attributes only: the page's CSP refuses inline styles


def test_writing_help_guidance_preview_and_draft_hooks(personas, plan):
    c = personas.client(personas.manager)
    html = c.get(f"/plans/{plan.pk}/sections/support/edit/").text
    assert "What the assessor looks for" in html and "Explain the consequences of your actions, not just the actions" in html
    assert "The four expected outcomes" in html and "(this section)" in html
    assert 'role="toolbar" aria-label="Formatting"' in html
    assert f'hx-post="/plans/{plan.pk}/sections/support/preview/"' in html
    assert f'data-draft-key="oakview-draft-plan-{plan.pk}-support"' in html
    # The preview is the server's own rendering: the same sanitiser, the same word count.
    text = "We will **listen** first.\n\n<script>alert(1)</script> [link](javascript:alert(1))"
    preview = c.post(f"/plans/{plan.pk}/sections/support/preview/", {"narrative_support": text}).text
    assert "<strong>listen</strong>" in preview and "<script>" not in preview and 'href="javascript' not in preview
    assert f"{word_count(text)} words" in preview
    assert personas.client(personas.approver).post(f"/plans/{plan.pk}/sections/support/preview/", {}).status_code == 403


def test_empty_lists_say_what_to_do_next(personas):
    blank = personas.client(personas.manager)
    blank.post("/plans/new/", {"home": personas.home.pk, "title": "Blank", "start_date": "2027-01-04", "start_from": "blank"})
    plan = Plan.objects.get(title="Blank")
    page = blank.get(f"/plans/{plan.pk}/sections/planning/").text
    assert "No actions yet. Add the steps that deliver the plan, each with an owner and a due date" in page
    assert "No milestones yet. Add the points that end each stage" in page
    assert page.count('class="empty-state"') >= 5
