"""The templates library, and its starter: "Paper to digital care records", a 40-bed home
moving from handwritten care plans to a digital care management system in three months.

Templates are data: each is a PlanTemplate in TEMPLATES (a key, the name the manager picks,
what it gives, and two functions filling a new plan's fields and rows). Adding one (an
"eMAR introduction", a "new rota pattern") is one more entry; the new-plan form offers every
template in the library. Template text never names a home: "{home}" and "{beds}" are the new plan's own.

A new plan "from the template" gets these drivers, SMART objectives, milestones, resources,
actions and draft narratives, with dates set from the plan's start date. The manager then
adapts every one of them; nothing here is binding. Owners are left blank because the
template does not know the home's team.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db.models import Model
from django.utils import timezone

from oakview.core.models import Standard
from plans.models import Action, Driver, Milestone, Objective, Plan, Resource
from plans.snapshot.sections import SECTIONS

TEXT_DIR = Path(__file__).resolve().parent / "template_text"
SPAN_DAYS = 91  # thirteen weeks: "within three months"
GO_LIVE_DAY = 56  # week 8


def narrative(key: str, home_name: str = "The home", beds: int | None = 40) -> str:
    text = (TEXT_DIR / f"{key}.md").read_text(encoding="utf-8").strip()
    return text.replace("{home}", home_name).replace("{beds}", str(beds or 40))


PLAN_TEXT = {
    "current_state": (
        "Care plans, risk assessments, daily notes and charts are handwritten in a binder per resident, "
        "kept in each floor's office. Notes are often written up at the end of a shift; audits are by hand, monthly."
    ),
    "desired_state": (
        "Every resident's care plan on the digital system; notes recorded at the point of care on handheld tablets; "
        "reviews and missed care prompted automatically; records readable by every member of staff, including agency staff."
    ),
    "safety_link": (
        "Legible, contemporaneous records mean medicines given as prescribed, repositioning and fluids on time, and changes "
        "in a resident's condition seen by the next shift. Three near-misses last quarter came from unreadable handwriting."
    ),
    "staff_message": (
        "The system gives you time back with residents; it is not there to watch you. You will be trained in paid time, with a "
        "digital champion beside you on your own shifts, and if something does not work on the floor we will change it."
    ),
}


@dataclass(frozen=True)
class TDriver:
    kind: str
    description: str
    evidence_kind: str
    evidence: str
    standards: tuple[str, ...]


DRIVERS = [
    TDriver(
        Driver.Kind.REGULATORY,
        "Care records are not contemporaneous",
        Driver.EvidenceKind.AUDIT,
        "Internal audit (September): 30% of files not updated in real time; entries written up at the end of the shift, some with gaps of over four hours.",
        ("Reg 17",),
    ),
    TDriver(
        Driver.Kind.SAFETY,
        "Handwritten instructions misread by agency and bank staff",
        Driver.EvidenceKind.NEAR_MISS,
        "Three near-misses last quarter: agency staff could not read handwriting (two about medication timing, one about the number of staff for a transfer).",
        ("Reg 12", "Safe 2"),
    ),
    TDriver(
        Driver.Kind.QUALITY,
        "Inspection found records inconsistent and reviews overdue",
        Driver.EvidenceKind.INSPECTION,
        "Last CQC inspection: care plan reviews overdue for 8 of 36 residents; daily notes inconsistent between floors; Well-led rated Requires improvement.",
        ("Reg 17", "Reg 9", "Well-led 5"),
    ),
    TDriver(
        Driver.Kind.WORKFORCE,
        "Carers' time lost to paperwork",
        Driver.EvidenceKind.FEEDBACK,
        "Staff survey: carers estimate 45-60 minutes a shift on handwritten notes. Homes already using digital records report about 20 minutes a shift saved.",
        ("Reg 18",),
    ),
    TDriver(
        Driver.Kind.TECHNOLOGY,
        "Partners expect to share information digitally",
        Driver.EvidenceKind.OTHER,
        "The integrated care board and GP practice want digital information sharing; NHSmail and GP Connect need the Data Security and Protection Toolkit at Standards Met.",
        ("Effective 3", "Reg 17"),
    ),
    TDriver(
        Driver.Kind.FINANCIAL,
        "Paper costs money and space",
        Driver.EvidenceKind.AUDIT,
        "Printing, binders and off-site archiving cost about £3,200 a year; the archive room is needed for activities.",
        (),
    ),
]

# (title, measure, target, day offset from start)
OBJECTIVES = [
    (
        "All residents' care plans are on the digital system",
        "Care plans live on the system, checked against the resident list",
        "100% (36 of 36)",
        GO_LIVE_DAY,
    ),
    (
        "Staff are trained and signed off before go-live",
        "Care staff who have completed training and competency sign-off",
        "100% of rostered care staff",
        GO_LIVE_DAY - 7,
    ),
    (
        "Care hours are not reduced during training",
        "Training days below the required care hours on the cover table",
        "0 days",
        GO_LIVE_DAY,
    ),
    (
        "Notes are recorded at the point of care",
        "Daily notes entered within an hour of the care given (system audit log)",
        "90% (baseline about 70%)",
        SPAN_DAYS,
    ),
    (
        "Staff are confident with the system",
        "Staff rating their confidence 4 or 5 out of 5 in the survey",
        "85% (baseline 40%)",
        SPAN_DAYS,
    ),
    (
        "No near-misses from unreadable or missing records",
        "Near-misses logged where a record could not be read or found",
        "0 in month three (baseline 3 a quarter)",
        SPAN_DAYS,
    ),
]

# (title, day offset)
MILESTONES = [
    ("Project group formed; contract and data protection agreement signed", 7),
    ("Wi-Fi access points installed and tablets set up", 21),
    ("Pilot live on Rowan unit", 35),
    ("All care staff trained and signed off", 49),
    ("Go-live: every care plan on the system, paper withdrawn", GO_LIVE_DAY),
    ("Three-month evaluation and decision", SPAN_DAYS),
]

# (kind, description, quantity, unit, unit cost, secured)
RESOURCES = [
    (Resource.Kind.PHYSICAL, "Rugged tablets with protective cases", "12", "tablets", "320.00", True),
    (
        Resource.Kind.PHYSICAL,
        "Wi-Fi access points for first-floor corridors and main lounge",
        "4",
        "access points",
        "180.00",
        True,
    ),
    (Resource.Kind.PHYSICAL, "Lockable charging stations, one per floor", "2", "stations", "240.00", True),
    (Resource.Kind.FINANCIAL, "Care management system licences (40 beds, three months)", "120", "bed-months", "6.50", True),
    (Resource.Kind.FINANCIAL, "Contingency for agency cover at go-live", "1", "sum", "1000.00", False),
    (Resource.Kind.HUMAN, "Training time: 32 care staff, six hours each (paid)", "192", "hours", "12.60", True),
    (Resource.Kind.HUMAN, "Bank backfill: every training hour covered on the floor", "192", "hours", "14.50", False),
    (Resource.Kind.HUMAN, "Digital champions' protected time (2 x 2 hours a week, 12 weeks)", "48", "hours", "13.50", True),
]

# (title, description, day offset, milestone index, standards)
ACTIONS = [
    (
        "Sign supplier contract and data processing agreement",
        "Check the supplier is on the assured list; the agreement covers hosting, backups and breach reporting.",
        7,
        0,
        ("Reg 17",),
    ),
    (
        "Complete the data protection impact assessment",
        "Before any personal data goes onto the system; agree lawful basis and retention.",
        10,
        0,
        ("Reg 17",),
    ),
    (
        "Choose and brief two digital champions",
        "One day senior, one night carer; agree protected time with the rota.",
        10,
        0,
        ("SCDLMCA2",),
    ),
    (
        "Commission Wi-Fi survey and install access points",
        "Cover every bedroom, corridor and the lounge; test with a tablet in each room.",
        18,
        1,
        ("Reg 15",),
    ),
    (
        "Set up tablets with device management and log-ins",
        "Encryption on, remote wipe, one log-in per member of staff.",
        21,
        1,
        ("Reg 15", "Reg 17"),
    ),
    (
        "Agree the training schedule with backfill on the rota",
        "No session may take the home below the required care hours; book bank or agency cover in advance.",
        24,
        2,
        ("Reg 18",),
    ),
    (
        "Hold listening sessions for staff worried about the change",
        "Write down every concern and answer it in writing; share what we change as a result.",
        28,
        2,
        (),
    ),
    (
        "Run the pilot on Rowan unit and review it weekly",
        "Ten residents; Friday review of what worked and what to change (PDSA).",
        35,
        2,
        ("Reg 17",),
    ),
    (
        "Write the paper downtime procedure for outages",
        "Printed essentials per resident, updated weekly; downtime notes pack; escalation contacts.",
        45,
        3,
        ("Reg 12",),
    ),
    (
        "Train all care staff and sign off competency",
        "Two sessions each, in paid time; competency observed on shift by a champion.",
        49,
        3,
        ("Reg 18",),
    ),
    (
        "Transfer remaining care plans, checked with residents or families",
        "A second member of staff checks each transfer before the paper copy is archived.",
        54,
        4,
        ("Reg 9", "Reg 17"),
    ),
    ("Go-live huddles at every handover for two weeks", "Pick up problems quickly; champion on every shift.", 70, 4, ()),
    (
        "Staff confidence survey before go-live and at three months",
        "Same five questions each time so results compare.",
        88,
        5,
        (),
    ),
    (
        "Audit records at one and three months",
        "Timeliness, completeness and reviews against the baseline audit.",
        90,
        5,
        ("Reg 17",),
    ),
]


def _standards(codes: tuple[str, ...]) -> list[Standard]:
    if not codes:
        return []
    found = {s.code: s for s in Standard.objects.current().filter(code__in=codes)}
    return [found[c] for c in codes if c in found]


def template_fields(plan: Plan) -> dict[str, Any]:
    """The plan's own fields from the template: narratives, section 1's answers, and the
    dates and summary the manager left blank. Dates count from the start date (today if unset)."""
    start = plan.start_date or timezone.localdate()
    fields: dict[str, Any] = dict(PLAN_TEXT)
    fields.update({s.narrative_field: narrative(s.key, plan.home.name, plan.home.beds) for s in SECTIONS})
    if not plan.start_date:
        fields["start_date"] = start
    if not plan.go_live_date:
        fields["go_live_date"] = start + dt.timedelta(days=GO_LIVE_DAY)
    if not plan.end_date:
        fields["end_date"] = start + dt.timedelta(days=SPAN_DAYS)
    if not plan.summary:
        fields["summary"] = (
            "Moving every resident's care record from paper to a digital care management system within three months, without reducing care hours during training."
        )
    return fields


def template_rows(plan: Plan) -> Iterator[tuple[Model, dict[str, list[Standard]]]]:
    """The template's rows for a plan whose dates are set, in the order they must be saved
    (milestones before the actions that point at them), each with its many-to-many values."""
    start = plan.start_date or timezone.localdate()

    def day(offset: int) -> dt.date:
        # Keep template dates inside the plan, whatever span the manager chose.
        return min(start + dt.timedelta(days=offset), plan.end_date) if plan.end_date else start + dt.timedelta(days=offset)

    for i, d in enumerate(DRIVERS):
        yield (
            Driver(
                plan=plan, kind=d.kind, description=d.description, evidence_kind=d.evidence_kind, evidence=d.evidence, order=i
            ),
            {"standards": _standards(d.standards)},
        )
    for i, (title, measure, target, offset) in enumerate(OBJECTIVES):
        yield Objective(plan=plan, title=title, measure=measure, target=target, target_date=day(offset), order=i), {}
    milestones = [Milestone(plan=plan, title=title, due_date=day(offset)) for title, offset in MILESTONES]
    for milestone in milestones:
        yield milestone, {}
    for kind, description, quantity, unit, unit_cost, secured in RESOURCES:
        resource = Resource(plan=plan, kind=kind, description=description, quantity=Decimal(quantity), unit=unit,
                            unit_cost=Decimal(unit_cost), secured=secured)  # fmt: skip
        yield resource, {}
    for title, description, offset, milestone_index, codes in ACTIONS:
        action = Action(
            plan=plan, title=title, description=description, due_date=day(offset), milestone=milestones[milestone_index]
        )
        yield action, {"standards": _standards(codes)}


# --- The library ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanTemplate:
    key: str  # the form's value, stable
    name: str  # what the manager picks
    gives: str  # what it fills in, shown beside the name
    fields: Callable[[Plan], dict[str, Any]]
    rows: Callable[[Plan], Iterator[tuple[Model, dict[str, list[Standard]]]]]


STARTER = PlanTemplate(
    "paper-to-digital",
    "Paper to digital care records",
    "drivers, objectives, milestones, resources, actions and narratives to adapt",
    template_fields,
    template_rows,
)

TEMPLATES: dict[str, PlanTemplate] = {t.key: t for t in (STARTER,)}


def get_template(key: str) -> PlanTemplate | None:
    # "template" was the starter's value before there was a library: old links still work.
    return STARTER if key == "template" else TEMPLATES.get(key)
