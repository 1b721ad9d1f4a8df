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
from .plan import Plan, PlanQuerySet
from .revisions import PlanDecision, PlanRevision
from .workflow import SECTION_CHOICES, Adjustment, ReminderLog, ReviewComment

__all__ = [
    "Action",
    "ActionUpdate",
    "Adjustment",
    "Driver",
    "Milestone",
    "Objective",
    "Plan",
    "PlanDecision",
    "PlanExport",
    "PlanQuerySet",
    "PlanRevision",
    "ReminderLog",
    "Resource",
    "ReviewComment",
    "SECTION_CHOICES",
    "TrainingSession",
]
