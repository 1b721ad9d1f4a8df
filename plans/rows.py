"""The one registry of a plan's row kinds: drivers, objectives, resources, milestones,
actions and training sessions.

Each RowType is declared once and read by everything: the URLs (plans:driver-create ...),
the views (model, form, label), the plan page (section, list template), the timeline, and,
through its snapshot RowKind (plans.parts.plan), the revision page, the diff and the PDF.
Adding a kind of row means one entry here and one RowKind there.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Model
from django.http import Http404

from plans.forms.drafting import ActionForm, DriverForm, MilestoneForm, ObjectiveForm, ResourceForm, RowForm, TrainingSessionForm
from plans.models import Action, Driver, Milestone, Objective, Resource, TrainingSession
from plans.parts import RowKind
from plans.parts.plan import ACTIONS, DRIVERS, MILESTONES, OBJECTIVES, RESOURCES, TRAINING
from plans.snapshot.sections import SECTION_BY_NUMBER


@dataclass(frozen=True)
class RowType:
    kind: str  # in URLs (/plans/3/driver/new/, plans:driver-edit) and the page (#rows-driver)
    model: type[Model]
    form: type[RowForm]
    snapshot: RowKind  # its singular and title, columns and section, as a revision shows it
    name_field: str  # the field that names a row in messages and the timeline

    @property
    def label(self) -> str:
        """ "training session": the word in "Add a training session"."""
        return self.snapshot.singular.lower()

    @property
    def section(self) -> str:
        """The key of the section its list sits in on the plan page ("need", "planning")."""
        return SECTION_BY_NUMBER[self.snapshot.section or 2].key

    @property
    def template(self) -> str:
        return f"plans/_rows_{self.kind}.html"


ROW_TYPES: tuple[RowType, ...] = (
    RowType("driver", Driver, DriverForm, DRIVERS, "description"),
    RowType("objective", Objective, ObjectiveForm, OBJECTIVES, "title"),
    RowType("resource", Resource, ResourceForm, RESOURCES, "description"),
    RowType("milestone", Milestone, MilestoneForm, MILESTONES, "title"),
    RowType("action", Action, ActionForm, ACTIONS, "title"),
    RowType("training", TrainingSession, TrainingSessionForm, TRAINING, "title"),
)
ROWS: dict[str, RowType] = {row.kind: row for row in ROW_TYPES}


def row_type(kind: str) -> RowType:
    try:
        return ROWS[kind]
    except KeyError:
        raise Http404("No such kind of row.") from None


def in_section(section_key: str) -> list[RowType]:
    return [row for row in ROW_TYPES if row.section == section_key]
