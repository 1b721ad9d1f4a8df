"""The case-study criteria an assessor marks the plan against: shipped reference data.

The Level 5 Diploma in Leadership and Management for Adult Care sets the operational change
plan as a case study in five questions. This module keeps, in our own words, what the
assessor looks for: each question's required elements, the four expected outcomes, and the
rules for the written submission. Each criterion has a stable key ("q4.go_live_risks"); the
parts name the keys in the evidence they hand back, assessors' judgements are stored against
them, and the PDF's outcomes matrix is laid out by them.

Versioned like the standards: an assessment records the CRITERIA_VERSION it was made
against. When the wording is revised, bump the version; a key keeps its meaning for as long
as it exists (retire a key rather than reuse it), so an old judgement still reads.

The wording switches with the home's regulator where the shipped reference data knows the
standards (CQC in England; the Care Inspectorate with the Health and Social Care Standards
in Scotland; Care Inspectorate Wales, for which no standards are shipped yet).
"""

from __future__ import annotations

from dataclasses import dataclass

from oakview.core.models import CareHome

CRITERIA_VERSION = "2026.1"

QUESTION = "question"
OUTCOME = "outcome"
SUBMISSION = "submission"
GROUP_TITLES = {
    QUESTION: "Questions: what each answer must contain",
    OUTCOME: "Expected outcomes",
    SUBMISSION: "Submission rules",
}


@dataclass(frozen=True)
class Jurisdiction:
    key: str  # a CareHome.Regulator value
    regulator: str  # "the Care Quality Commission (CQC)"
    country: str
    standards: str  # how the criteria name the standards to reference
    frameworks: tuple[str, ...]  # shipped Framework codes whose tags count as "standards referenced"
    note: str = ""


# National Occupational Standards for leadership and management in care services apply in all
# four nations, so a tag against them counts wherever the home is.
UK_WIDE_FRAMEWORKS = ("nos-lmcs",)

JURISDICTIONS: dict[str, Jurisdiction] = {
    j.key: j
    for j in (
        Jurisdiction(
            "cqc",
            "the Care Quality Commission (CQC)",
            "England",
            "CQC's fundamental standards (Regulations 9 to 20A of the 2014 Regulations, Regulation 17 "
            "good governance above all for a records change) and its quality statements",
            ("cqc-fundamental-standards", "cqc-quality-statements"),
        ),
        Jurisdiction(
            "care_inspectorate",
            "the Care Inspectorate",
            "Scotland",
            "the Health and Social Care Standards (2017), which the Care Inspectorate inspects against",
            ("hscs",),
            note="In Scotland the comparable award for managers is the SVQ 4 Care Services Leadership and "
            "Management (SCQF Level 10), whose optional unit H7LL 04 covers leading change.",
        ),
        Jurisdiction(
            "ciw",
            "Care Inspectorate Wales (CIW)",
            "Wales",
            "the regulations and standards Care Inspectorate Wales inspects against (Oakview ships no Welsh "
            "standards yet: cite them in the narrative and link the passage)",
            (),
        ),
        Jurisdiction(
            "rqia",
            "the Regulation and Quality Improvement Authority (RQIA)",
            "Northern Ireland",
            "the care standards RQIA inspects against (Oakview ships no Northern Irish standards yet: cite them "
            "in the narrative and link the passage)",
            (),
        ),
    )
}
DEFAULT_JURISDICTION = "cqc"


@dataclass(frozen=True)
class Criterion:
    key: str
    group: str  # QUESTION | OUTCOME | SUBMISSION
    title: str  # short: "Two go-live risks with contingencies"
    text: str  # what the assessor looks for; may name {regulator} and {standards}
    section: int  # the question (1-5) whose answer evidences it; 0: the document as a whole
    # Where only the written answer can meet it, the manager links a passage of the
    # narrative to it; structured criteria are proved by the records themselves.
    prose: bool = False
    to_complete: str = ""  # what the check suggests when nothing evidences it yet

    def reads(self, jurisdiction: Jurisdiction) -> str:
        return self.text.format(regulator=jurisdiction.regulator, standards=jurisdiction.standards)

    @property
    def question(self) -> int:
        return self.section


CRITERIA: tuple[Criterion, ...] = (
    # --- Question 1: analysis of need --------------------------------------------------------
    Criterion(
        "q1.drivers",
        QUESTION,
        "Drivers for change",
        "The drivers for moving from paper to digital records are named (safety, regulatory, quality, workforce, "
        "financial or technology), each backed by evidence from the home: an audit finding, incident, near-miss, "
        "inspection report or feedback.",
        1,
        to_complete="Record at least two drivers for change, each with the evidence that shows it.",
    ),
    Criterion(
        "q1.paper_risk",
        QUESTION,
        "Why paper puts operational objectives at risk",
        "The answer explains why staying on paper records is a risk to the home's operational objectives: what goes "
        "wrong, for whom, and what it costs the service, as {regulator} would see it.",
        1,
        prose=True,
        to_complete="Write how paper records put the home's objectives at risk (the link to service-user safety), "
        "or link the passage of the analysis of need that explains it.",
    ),
    Criterion(
        "q1.buy_in",
        QUESTION,
        "Communicating with resistant staff for buy-in",
        "The answer says how the change will be explained to staff who resist it, in terms that win their buy-in "
        "rather than their compliance.",
        1,
        prose=True,
        to_complete="Write the message for resistant staff, or link the passage that sets it out.",
    ),
    # --- Question 2: planning and resources --------------------------------------------------
    Criterion(
        "q2.resources",
        QUESTION,
        "Three resources secured before approval",
        "Three specific resources, human, physical or financial, are identified and secured before the plan is "
        "approved, each costed.",
        2,
        to_complete="Record three specific resources (human, physical or financial) and mark them secured.",
    ),
    Criterion(
        "q2.care_hours",
        QUESTION,
        "Care hours kept during training",
        "The plan shows how care hours on the floor are not reduced while staff are trained: sessions scheduled "
        "against the rota, with backfill where attendees leave the floor.",
        2,
        to_complete="Schedule the training sessions with their attendees and backfill, so that each day stays at or "
        "above the home's required care hours.",
    ),
    # --- Question 3: gaining support ---------------------------------------------------------
    Criterion(
        "q3.engagement",
        QUESTION,
        "A specific engagement activity",
        "At least one specific engagement activity (a workshop, pilot group, drop-in, one-to-one or team meeting) "
        "is planned with its date, audience and purpose.",
        3,
        to_complete="Record an engagement activity with its date, kind and audience.",
    ),
    Criterion(
        "q3.champions",
        QUESTION,
        "Champions influencing resistant colleagues",
        "Change champions drawn from the staff who are confident with technology are paired with the colleagues who "
        "resist, and the answer says how they will influence them.",
        3,
        to_complete="Name change champions and the resistant staff or groups each supports.",
    ),
    # --- Question 4: implementation and risk -------------------------------------------------
    Criterion(
        "q4.go_live_risks",
        QUESTION,
        "Two go-live week risks with contingencies",
        "Two major risks of the first week after go-live are identified, each with a contingency that keeps "
        "residents safe if it happens.",
        4,
        to_complete="Record two risks in the go-live week, each with a contingency plan.",
    ),
    # --- Question 5: evaluation --------------------------------------------------------------
    Criterion(
        "q5.three_months",
        QUESTION,
        "Evidence of success at three months",
        "The answer says what evidence will show, three months after go-live, whether the change has worked.",
        5,
        prose=True,
        to_complete="Set KPIs with a baseline and a target to judge at three months, or link the passage that says "
        "what the three-month evidence will be.",
    ),
    Criterion(
        "q5.measures",
        QUESTION,
        "A qualitative and a quantitative measure",
        "At least one qualitative measure (how staff, residents or families experience the change) and one "
        "quantitative measure (a number with a baseline and a target).",
        5,
        to_complete="Record at least one qualitative and one quantitative KPI.",
    ),
    # --- The four expected outcomes ----------------------------------------------------------
    Criterion(
        "outcome.safety",
        OUTCOME,
        "The link to safety",
        "The plan ties the change to the safety of the people who live in the home: which harms it prevents and how.",
        1,
        prose=True,
        to_complete="Write the link to service-user safety, or link the passage that makes it.",
    ),
    Criterion(
        "outcome.communication",
        OUTCOME,
        "A communication strategy that answers staff concerns",
        "The communication strategy answers the concerns staff actually raised, and says who hears what, how and how often.",
        3,
        to_complete="Record the staff's concerns with your answers, and a communication plan.",
    ),
    Criterion(
        "outcome.continuity",
        OUTCOME,
        "Risk mitigation that puts continuity of care first",
        "Mitigations and contingencies put continuity of care first: care carries on safely whatever happens to the system.",
        4,
        to_complete="Give the risks that could interrupt care a mitigation and a contingency that keeps care going.",
    ),
    Criterion(
        "outcome.evaluation",
        OUTCOME,
        "Evaluating technical success and cultural adaptation",
        "The evaluation judges both whether the system works (technical success) and whether the team has adopted "
        "it (cultural adaptation).",
        5,
        prose=True,
        to_complete="Measure both technical success and cultural adaptation, or link the passage that evaluates both.",
    ),
    # --- Submission rules --------------------------------------------------------------------
    Criterion(
        "sub.headers",
        SUBMISSION,
        "The five question headers",
        "The document answers under the five question headers, in order, with an answer under each.",
        0,
        to_complete="Write an answer under each of the five questions.",
    ),
    Criterion(
        "sub.appendices",
        SUBMISSION,
        "Labelled and cited appendices",
        "Supporting records are in appendices labelled by letter, and each is cited from the answer it supports.",
        0,
        to_complete="Add the records that support the answers (training schedule, resources, risks).",
    ),
    Criterion(
        "sub.font",
        SUBMISSION,
        "Font",
        "The document is set in Calibri or Arial (or a metric-compatible font), 11 or 12 point.",
        0,
    ),
    Criterion(
        "sub.word_count",
        SUBMISSION,
        "2,500 to 3,500 words",
        "The written answers come to between 2,500 and 3,500 words in all.",
        0,
        to_complete="Bring the five answers to between 2,500 and 3,500 words.",
    ),
    Criterion(
        "sub.standards",
        SUBMISSION,
        "Standards referenced",
        "The plan refers to the standards that apply: {standards}.",
        0,
        prose=True,
        to_complete="Tag the drivers, actions, risks or KPIs with the standards they answer to, or link the passage "
        "that cites them.",
    ),
    Criterion(
        "sub.depth",
        SUBMISSION,
        "Depth: consequences explained",
        "The answers go beyond describing actions: they explain the consequences of each, for residents, staff and the service.",
        0,
        prose=True,
        to_complete="Link the passages where the answers explain the consequences of the actions.",
    ),
)

CRITERION_BY_KEY: dict[str, Criterion] = {c.key: c for c in CRITERIA}
PROSE_KEYS = frozenset(c.key for c in CRITERIA if c.prose)


def jurisdiction_for(regulator: str | None) -> Jurisdiction:
    """By a CareHome.Regulator value, or by the label a snapshot keeps ("Care Inspectorate
    (Scotland)"). England's when unknown: the guide's own setting."""
    text = (regulator or "").strip()
    by_label = {str(label): value for value, label in CareHome.Regulator.choices}
    return JURISDICTIONS.get(by_label.get(text, text)) or JURISDICTIONS[DEFAULT_JURISDICTION]


def criteria_in(group: str) -> list[Criterion]:
    return [c for c in CRITERIA if c.group == group]
