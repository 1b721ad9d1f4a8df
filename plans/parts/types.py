"""What parts hand back to the kernel, and how they describe their rows: plain, frozen
values (importable from plans.parts, which is where other apps take them from)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .display import format_value

# --- What parts hand back -----------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One failed readiness check. `blocking=False` is a warning (e.g. the word count)."""

    part: str
    message: str
    url: str = ""  # where to fix it: the page, ideally the row or field (#anchor)
    blocking: bool = True
    section: int | None = None  # the question (1-5) it belongs to; None: the part's own section


@dataclass(frozen=True)
class Appendix:
    """A labelled appendix of the PDF. `key` is what the body refers to ("risks")."""

    key: str
    title: str  # "Risk register and contingency plans"
    template: str  # under templates/pdf/
    context: dict[str, Any] = field(default_factory=dict)
    section: int = 0  # the question (1-5) that refers to it; 0: the closing note
    # Printed on landscape pages: for a register whose columns need the width. Tables on
    # portrait pages always fit too (they wrap anywhere); this is for reading comfort.
    landscape: bool = False


@dataclass(frozen=True)
class Change:
    """One line of a review diff: a row or a narrative added, removed or changed."""

    part: str
    kind: str  # "added" | "removed" | "changed"
    label: str  # "Risk R3: System outage on go-live day"
    details: list[tuple[str, str, str]] = field(default_factory=list)  # [(field label, before, after)]


@dataclass(frozen=True)
class Column:
    """One column of a row kind's table on the revision and review pages."""

    key: str  # the field in the snapshot row
    label: str  # "Review date"
    # How the snapshot's value reads: text, date, datetime, money, yesno, number, names
    # (a list of {"name": ...}), codes (a list of standards codes).
    format: str = "text"

    def display(self, value: Any) -> str:
        """The value as the revision page and the review page show it."""
        return format_value(value, self.format, self.key)


@dataclass(frozen=True)
class RowKind:
    """One kind of record a part keeps (drivers, risks, stakeholders, KPIs...).

    `key` is where the rows sit in the part's snapshot: the key of a list inside the part's
    dict, or the part's own key when its snapshot is the list itself (as risks' is)."""

    key: str
    singular: str  # "Risk": the diff says "Risk R3: System outage"
    title: str  # "Risk register": the table's caption
    columns: tuple[Column, ...] = ()  # empty: every field of the row, in snapshot order
    ref_key: str = ""  # a short reference shown before the label ("R3")
    label_keys: tuple[str, ...] = ("title", "description", "name")  # the first non-empty names a row
    section: int | None = None  # the question (1-5) its table sits under; None: the part's section

    def label(self, row: dict[str, Any]) -> str:
        # A row with none of its naming fields (a risk's review, say) is called by its id,
        # or by the kind's own word when it has none: never "#None".
        fallback = f"#{row['id']}" if row.get("id") is not None else f"{self.singular} (untitled)"
        name = next((str(row[k]) for k in self.label_keys if row.get(k)), fallback)
        ref = row.get(self.ref_key) if self.ref_key else None
        return f"{ref}: {name}" if ref else name


@dataclass(frozen=True)
class Block:
    """A part's block on a page, rendered from data the part gave it.

    On the revision and review pages it sits in question `section` (1-5); as an approver's
    summary item, `section` is ignored."""

    template: str
    context: dict[str, Any] = field(default_factory=dict)
    section: int = 0
    order: int = 100
    title: str = ""


@dataclass(frozen=True)
class Panel:
    """A live panel: on the plan page (slot "overview" or a section key), or on My actions."""

    template: str
    context: dict[str, Any] = field(default_factory=dict)
    slot: str = "overview"  # "overview" (under the plan's title) or a section key ("implementation")
    order: int = 100


@dataclass(frozen=True)
class Drift:
    """A difference between the live plan and the approved revision in force.

    Material drift (go-live moved, cost over the approved total, a residual risk above its
    approved band, a KPI target lowered) means the approver signed off something else: the
    plan says so and asks for re-approval before it moves on."""

    part: str
    message: str
    material: bool = True


@dataclass(frozen=True)
class Series:
    """A measure a part keeps over time, which another part may track (the stakeholders
    part's share of staff supportive, read by the evaluation part as a KPI)."""

    key: str  # "supportive_share": read by another part as "<part key>.supportive_share"
    label: str  # "Staff supportive of the change (share, by headcount)"
    unit: str  # "%"
    points: tuple[tuple[str, float], ...] = ()  # (ISO date, value), oldest first


# --- Assessment criteria ----------------------------------------------------------------------

MET = "met"
PARTLY = "partly"
MISSING = "missing"
# A part's evidence could not be read: never "met" (the check fails closed), and it says why.
UNCHECKED = "unchecked"


@dataclass(frozen=True)
class EvidenceItem:
    """One record, field or passage that goes towards a criterion, as the check lists it."""

    label: str  # "Risk R3: System outage on go-live day (go-live week); contingency: paper packs"
    url: str = ""  # where the live record is (the plan page, a register row); "" for none


@dataclass(frozen=True)
class Evidence:
    """What one part holds towards one assessment criterion (keys in plans.assessment.criteria).

    `status` is MET when the part's records prove the criterion on their own, PARTLY when they
    go some way (then `to_complete` says what is missing). A part says nothing about a
    criterion it holds no evidence for: the check calls that missing."""

    criterion: str  # "q4.go_live_risks"
    status: str  # MET | PARTLY | UNCHECKED
    items: tuple[EvidenceItem, ...] = ()
    to_complete: str = ""
    appendix: str = ""  # the key of the PDF appendix that carries the evidence ("risks")
