"""The case-study criteria as a live check: each structured criterion on a plan that meets it
and on one that misses it, the fail-closed collector, the regulator's wording, and the
manager's passage links for the criteria only prose can meet."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from oakview.core.models import CareHome, Standard
from plans import parts
from plans.assessment.check import check_snapshot
from plans.assessment.criteria import CRITERIA, CRITERION_BY_KEY, GROUP_TITLES, OUTCOME, QUESTION, SUBMISSION
from plans.models import CriterionPassage
from plans.parts import MET, MISSING, PARTLY, Evidence, PlanPart, build_snapshot
from plans.services import workflow
from risks.models import Risk
from tests.factories import DriverFactory, PlanFactory, ResourceFactory, TrainingSessionFactory
from tests.plans.workflow_helpers import ready_plan
from tests.risks.factories import RiskFactory
from tests.stakeholders.factories import (
    ActivityFactory,
    ChampionFactory,
    CommunicationFactory,
    ConcernFactory,
    StakeholderFactory,
)


def status(plan, key: str) -> str:
    result = check_snapshot(build_snapshot(plan)).result(key)
    assert result is not None
    return result.status


@pytest.fixture
def plan(personas):
    return PlanFactory(home=personas.home, author=personas.manager)


# --- The criteria as data ----------------------------------------------------------------------


def test_every_element_of_the_guide_has_a_criterion_with_its_own_key():
    keys = [c.key for c in CRITERIA]
    assert len(keys) == len(set(keys))
    questions = {c.section for c in CRITERIA if c.group == QUESTION}
    assert questions == {1, 2, 3, 4, 5}
    assert len([c for c in CRITERIA if c.group == OUTCOME]) == 4
    assert {"sub.headers", "sub.appendices", "sub.font", "sub.word_count", "sub.standards", "sub.depth"} <= {
        c.key for c in CRITERIA if c.group == SUBMISSION
    }
    assert set(GROUP_TITLES) == {QUESTION, OUTCOME, SUBMISSION}


def test_every_key_a_part_reports_is_a_criterion(personas):
    declared = {key for part in parts.registered_parts() for key in part.criteria}
    assert declared <= set(CRITERION_BY_KEY)


def test_an_empty_plan_meets_nothing_but_the_font(plan):
    check = check_snapshot(build_snapshot(plan))
    met = {r.key for r in check.results if r.status == MET}
    assert met == {"sub.font"}
    missing = check.result("q4.go_live_risks")
    assert missing.status == MISSING and "two risks in the go-live week" in missing.to_complete


# --- Question 1 ------------------------------------------------------------------------------


def test_two_drivers_with_evidence_meet_the_drivers_criterion(plan):
    DriverFactory(plan=plan, evidence="")
    assert status(plan, "q1.drivers") == PARTLY
    DriverFactory(plan=plan)
    assert status(plan, "q1.drivers") == PARTLY
    DriverFactory(plan=plan)
    assert status(plan, "q1.drivers") == MET


def test_the_message_for_resistant_staff_meets_buy_in(plan):
    assert status(plan, "q1.buy_in") == MISSING
    plan.staff_message = "The system gives you time back with residents."
    plan.save()
    assert status(plan, "q1.buy_in") == MET


# --- Question 2 ------------------------------------------------------------------------------


def test_three_secured_resources_meet_the_resources_criterion(plan):
    for kind in ("human", "physical"):
        ResourceFactory(plan=plan, kind=kind, secured=True)
    ResourceFactory(plan=plan, kind="financial", secured=False)
    result = check_snapshot(build_snapshot(plan)).result("q2.resources")
    assert result.status == PARTLY and "2 of the 3" in result.to_complete
    ResourceFactory(plan=plan, kind="financial", secured=True)
    result = check_snapshot(build_snapshot(plan)).result("q2.resources")
    assert result.status == MET
    assert any("(secured)" in item.label for item in result.items)
    assert result.appendices == ("resources",)


def test_care_hours_are_met_only_when_every_training_day_is_covered(personas, plan):
    plan.home.required_care_hours_per_day = Decimal("90")
    plan.home.rostered_care_hours_per_day = Decimal("96")
    plan.home.save()
    assert status(plan, "q2.care_hours") == MISSING
    session = TrainingSessionFactory(plan=plan, duration_hours=Decimal("4"))
    session.attendees.set([personas.staff, personas.manager])  # 8 hours off the floor, 6 to spare
    result = check_snapshot(build_snapshot(plan)).result("q2.care_hours")
    assert result.status == PARTLY and "below the required level on 1 day" in result.to_complete
    session.backfill_hours = Decimal("2")
    session.save()
    assert status(plan, "q2.care_hours") == MET


# --- Question 3 ------------------------------------------------------------------------------


def test_a_dated_engagement_activity_meets_the_engagement_criterion(plan):
    assert status(plan, "q3.engagement") == MISSING
    ActivityFactory(plan=plan, title="Drop-in for night staff", held_on=dt.date(2026, 12, 10))
    result = check_snapshot(build_snapshot(plan)).result("q3.engagement")
    assert result.status == MET and "Drop-in for night staff on 2026-12-10" in result.items[0].label


def test_champions_must_be_paired_with_resistant_staff(plan):
    champion = ChampionFactory(plan=plan)
    assert status(plan, "q3.champions") == PARTLY
    nights = StakeholderFactory(plan=plan, name="Night carers", stance="resistant")
    champion.groups.set([nights])
    result = check_snapshot(build_snapshot(plan)).result("q3.champions")
    assert result.status == MET
    assert any("Night carers" in item.label for item in result.items)


def test_communication_strategy_needs_answered_concerns_and_a_plan(plan):
    concern = ConcernFactory(plan=plan)
    result = check_snapshot(build_snapshot(plan)).result("outcome.communication")
    assert result.status == PARTLY and "Answer the 1 concern still open" in result.to_complete
    concern.response = "Protected time for training, paid."
    concern.status = "answered"
    concern.responded_on = dt.date(2026, 12, 3)
    concern.save()
    assert status(plan, "outcome.communication") == PARTLY  # no communication plan yet
    CommunicationFactory(plan=plan)
    assert status(plan, "outcome.communication") == MET


# --- Question 4 ------------------------------------------------------------------------------


def test_two_go_live_week_risks_with_contingencies_meet_question_4(plan):
    RiskFactory(plan=plan, phase=Risk.Phase.GO_LIVE)
    RiskFactory(plan=plan, phase=Risk.Phase.PLANNING)
    result = check_snapshot(build_snapshot(plan)).result("q4.go_live_risks")
    assert result.status == PARTLY and "1 of the 2" in result.to_complete
    RiskFactory(plan=plan, phase=Risk.Phase.GO_LIVE, contingency="")
    assert status(plan, "q4.go_live_risks") == PARTLY  # two in the week, one without a contingency
    RiskFactory(plan=plan, phase=Risk.Phase.GO_LIVE)
    result = check_snapshot(build_snapshot(plan)).result("q4.go_live_risks")
    assert result.status == MET
    assert all("go-live week" in item.label for item in result.items)
    assert result.items[0].url.startswith("/risks/")


def test_a_serious_risk_without_a_contingency_is_not_continuity_first(plan):
    RiskFactory(plan=plan)
    assert status(plan, "outcome.continuity") == MET
    serious = RiskFactory(plan=plan, inherent_likelihood=4, inherent_impact=4, contingency="")
    result = check_snapshot(build_snapshot(plan)).result("outcome.continuity")
    assert result.status == PARTLY and serious.ref in result.to_complete


# --- Submission rules ----------------------------------------------------------------------------


def test_word_count_and_headers(plan):
    plan.narrative_need = "word " * 1000
    plan.save()
    check = check_snapshot(build_snapshot(plan))
    assert check.result("sub.headers").status == PARTLY
    assert check.result("sub.word_count").status == PARTLY
    assert "1,500 words below" in check.result("sub.word_count").to_complete
    for field in ("planning", "support", "implementation", "evaluation"):
        setattr(plan, f"narrative_{field}", "word " * 400)
    plan.save()
    check = check_snapshot(build_snapshot(plan))
    assert check.result("sub.headers").status == MET
    assert check.result("sub.word_count").status == MET


def test_standards_count_when_they_are_the_regulators_own(plan):
    driver = DriverFactory(plan=plan)
    driver.standards.set(Standard.objects.filter(framework__code="hscs")[:1])
    assert status(plan, "sub.standards") == PARTLY  # Scottish standards in an English home
    driver.standards.set(Standard.objects.filter(code="Reg 17"))
    assert status(plan, "sub.standards") == MET
    plan.home.regulator = CareHome.Regulator.CARE_INSPECTORATE
    plan.home.save()
    assert status(plan, "sub.standards") == PARTLY
    driver.standards.set(Standard.objects.filter(framework__code="hscs")[:1])
    assert status(plan, "sub.standards") == MET


@pytest.mark.parametrize(
    ("regulator", "words"),
    [
        (CareHome.Regulator.CQC, "CQC's fundamental standards"),
        (CareHome.Regulator.CARE_INSPECTORATE, "Health and Social Care Standards"),
        (CareHome.Regulator.CIW, "Care Inspectorate Wales"),
    ],
)
def test_criteria_wording_follows_the_homes_regulator(plan, regulator, words):
    plan.home.regulator = regulator
    plan.home.save()
    check = check_snapshot(build_snapshot(plan))
    assert words in check.result("sub.standards").text
    assert check.jurisdiction.key == regulator


# --- Fail closed ------------------------------------------------------------------------------------


class BrokenPart(PlanPart):
    key = "broken"
    title = "Broken"
    criteria = ("q1.drivers",)

    def snapshot(self, plan):
        return {}

    def criteria_evidence(self, snap):
        raise RuntimeError("boom")


class ProvingPart(PlanPart):
    key = "proving"
    criteria = ("q1.drivers",)

    def snapshot(self, plan):
        return {}

    def criteria_evidence(self, snap):
        return [Evidence("q1.drivers", MET)]


def test_a_part_that_cannot_be_read_never_reads_as_met(plan):
    parts.register_part(ProvingPart())
    parts.register_part(BrokenPart())
    try:
        result = check_snapshot(build_snapshot(plan)).result("q1.drivers")
    finally:
        parts.unregister_part("broken")
        parts.unregister_part("proving")
    assert result.status == MISSING
    assert "could not be checked" in result.to_complete


# --- Passages linked by the manager ------------------------------------------------------------------


def test_manager_links_a_passage_and_it_meets_a_prose_criterion(personas, plan):
    plan.narrative_implementation = (
        "# Going live\n\nWe run paper alongside for a week.\n\nBecause records stay complete, residents are safe."
    )
    plan.save()
    c = personas.client(personas.manager)
    page = c.get(f"/plans/{plan.pk}/criteria/sub.depth/link/")
    assert page.status_code == 200
    assert "Going live" not in page.content.decode()  # headings are not passages
    form = page.context["form"]
    value = next(v for v, (_, text) in form.by_value.items() if text.startswith("Because"))
    assert status(plan, "sub.depth") == MISSING
    response = c.post(f"/plans/{plan.pk}/criteria/sub.depth/link/", {"passage": value})
    assert response.status_code == 302
    result = check_snapshot(build_snapshot(plan)).result("sub.depth")
    assert result.status == MET and "Because records stay complete" in result.items[0].label
    # Rewriting the paragraph unlinks it in effect: the check says so.
    plan.narrative_implementation = "We run paper alongside for a week."
    plan.save()
    result = check_snapshot(build_snapshot(plan)).result("sub.depth")
    assert result.status == PARTLY and "no longer in its answer" in result.to_complete


def test_passage_link_refuses_a_structured_criterion_and_bad_choices(personas, plan):
    plan.narrative_need = "Paper is a risk."
    plan.save()
    c = personas.client(personas.manager)
    assert c.get(f"/plans/{plan.pk}/criteria/q4.go_live_risks/link/").status_code == 404
    response = c.post(f"/plans/{plan.pk}/criteria/sub.depth/link/", {"passage": "need:0000"})
    assert response.status_code == 400
    assert "has changed since the page was shown" in response.content.decode()
    assert not CriterionPassage.objects.exists()


@pytest.mark.parametrize(("who", "expected"), [("approver", 403), ("viewer", 403), ("staff", 403), ("stranger", 404)])
def test_only_the_manager_links_passages(personas, plan, who, expected):
    c = personas.client(getattr(personas, who))
    assert c.get(f"/plans/{plan.pk}/criteria/sub.depth/link/").status_code == expected
    passage = CriterionPassage.objects.create(plan=plan, criterion="sub.depth", section="need", text="x")
    assert c.post(f"/plans/{plan.pk}/criteria/passages/{passage.pk}/unlink/").status_code == expected
    assert CriterionPassage.objects.filter(pk=passage.pk).exists()


def test_anonymous_is_sent_to_sign_in(personas, plan):
    response = personas.client(None).get(f"/plans/{plan.pk}/criteria/sub.depth/link/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_linked_passages_are_frozen_into_the_revision_snapshot(personas, plan):
    CriterionPassage.objects.create(plan=plan, criterion="sub.depth", section="need", text="Paper is a risk.")
    snap = build_snapshot(plan)
    assert snap["assessment"]["passages"][0]["criterion_title"] == "Depth: consequences explained"


# --- On the pages ----------------------------------------------------------------------------------------


def test_the_plan_overview_shows_the_check_with_evidence_linked(personas, plan):
    RiskFactory(plan=plan, title="Tablets fail on the first night shift")
    page = personas.client(personas.manager).get(f"/plans/{plan.pk}/").content.decode()
    assert "Case-study criteria" in page
    assert "Two go-live week risks with contingencies" in page
    assert "Tablets fail on the first night shift" in page
    assert "To complete it:" in page


def test_the_check_advises_and_never_blocks_submission(personas):
    plan = ready_plan(personas)
    check = check_snapshot(build_snapshot(plan))
    assert check.counts[MISSING] > 0
    revision = workflow.plan_submit(plan_id=plan.pk, by=personas.manager)
    assert revision.number == 1


def test_the_review_page_shows_the_check_of_the_revision_under_review(personas):
    plan = ready_plan(personas)
    workflow.plan_submit(plan_id=plan.pk, by=personas.manager)
    page = personas.client(personas.approver).get(f"/plans/{plan.pk}/review/").content.decode()
    assert "Case-study criteria" in page and "advice only" in page
    assert "Two go-live week risks with contingencies" in page
