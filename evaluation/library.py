"""The KPI library: measures a care home moving from paper to digital records can start from.
Reference data, in our own words; a manager picks one and fills in the baseline, the target,
the dates and the owner for their home.

Each entry's `series` names another part's measure to read instead of typing values in
("stakeholders.supportive_share"): when that part is installed the KPI follows it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class LibraryKpi:
    key: str
    name: str
    description: str
    kind: str  # quantitative | qualitative
    dimension: str  # technical | cultural | resident | financial
    unit: str
    direction: str  # higher | lower
    data_source: str
    frequency: str = "weekly"
    lowest: Decimal = Decimal("0")
    highest: Decimal | None = None
    standards: tuple[str, ...] = ()  # standards codes, as core's reference data spells them
    series: str = ""
    note: str = ""


PERCENT = Decimal("100")

LIBRARY: tuple[LibraryKpi, ...] = (
    LibraryKpi(
        "notes_within_hour",
        "Care notes recorded within an hour",
        "Share of care entries written within an hour of the care they describe, from the system's timestamps.",
        "quantitative",
        "technical",
        "%",
        "higher",
        "Care record system's audit log",
        highest=PERCENT,
        standards=("Reg 17",),
    ),
    LibraryKpi(
        "files_not_current",
        "Care files not up to date in real time",
        "Share of residents' files, in a spot check, missing care given earlier in the shift.",
        "quantitative",
        "technical",
        "%",
        "lower",
        "Weekly spot check of ten files",
        highest=PERCENT,
        standards=("Reg 17",),
    ),
    LibraryKpi(
        "med_errors",
        "Medication administration errors",
        "Errors in giving medicines, per 1,000 administrations.",
        "quantitative",
        "resident",
        "per 1,000 administrations",
        "lower",
        "eMAR exceptions and the incident log",
        standards=("Reg 12",),
    ),
    LibraryKpi(
        "unreadable_near_misses",
        "Near-misses from unreadable records",
        "Near-misses where handwriting or a missing entry was the cause, each month.",
        "quantitative",
        "resident",
        "near-misses a month",
        "lower",
        "Incident log",
        frequency="monthly",
        standards=("Reg 12", "Reg 17"),
    ),
    LibraryKpi(
        "documentation_minutes",
        "Time on documentation",
        "Minutes a carer spends writing records in a shift, from a week's time sample.",
        "quantitative",
        "technical",
        "minutes per carer per shift",
        "lower",
        "Time-and-motion sample",
        highest=Decimal("720"),
    ),
    LibraryKpi(
        "training_completion",
        "System training completed",
        "Share of care staff who have finished training on the new system and been signed off.",
        "quantitative",
        "cultural",
        "%",
        "higher",
        "Training matrix",
        highest=PERCENT,
        standards=("Reg 18",),
    ),
    LibraryKpi(
        "dspt_training",
        "Data-security training (DSPT)",
        "Share of staff trained in data security in the last twelve months; the toolkit expects at least 95%.",
        "quantitative",
        "technical",
        "%",
        "higher",
        "Training matrix",
        frequency="monthly",
        highest=PERCENT,
        standards=("Reg 17",),
    ),
    LibraryKpi(
        "staff_confidence",
        "Staff confident using the system",
        "Share of staff who say they are confident or very confident, in a short anonymous survey.",
        "qualitative",
        "cultural",
        "%",
        "higher",
        "Staff confidence survey",
        frequency="milestones",
        highest=PERCENT,
    ),
    LibraryKpi(
        "family_satisfaction",
        "Family satisfaction with information",
        "Average answer, out of 5, to 'I get the information I need about my relative's care'.",
        "qualitative",
        "resident",
        "score out of 5",
        "higher",
        "Family survey and feedback cards",
        frequency="milestones",
        lowest=Decimal("1"),
        highest=Decimal("5"),
        standards=("Reg 9", "Reg 16"),
    ),
    LibraryKpi(
        "staff_supportive",
        "Staff supportive of the change",
        "Share of staff, by headcount, whose stance on the stakeholder map is supportive or leading.",
        "qualitative",
        "cultural",
        "%",
        "higher",
        "Stakeholder map",
        highest=PERCENT,
        series="stakeholders.supportive_share",
        note="Follows the stakeholder map when that part is installed.",
    ),
    LibraryKpi(
        "paper_cost",
        "Spending on paper records",
        "Printing, binders and archiving, in pounds a month.",
        "quantitative",
        "financial",
        "£ a month",
        "lower",
        "Purchase ledger",
        frequency="monthly",
    ),
)

BY_KEY = {k.key: k for k in LIBRARY}


def choices() -> list[tuple[str, str]]:
    return [(k.key, k.name) for k in LIBRARY]
