from .content import (
    Action,
    ActionUpdate,
    Driver,
    Milestone,
    Objective,
    Resource,
    TrainingSession,
)
from .exports import PlanExport
from .plan import SECTIONS, Plan, PlanQuerySet, Section
from .revisions import PlanDecision, PlanRevision
from .workflow import Adjustment, ReminderLog, ReviewComment  # noqa: F401

__all__ = [
    "SECTIONS",
    "Action",
    "ActionUpdate",
    "Driver",
    "Milestone",
    "Objective",
    "Plan",
    "PlanDecision",
    "PlanExport",
    "PlanQuerySet",
    "PlanRevision",
    "Resource",
    "Section",
    "TrainingSession",
]
