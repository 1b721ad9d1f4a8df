from .assessment import Assessment, AssessorAssignment, CriterionJudgement, CriterionPassage, ImmutableAssessment
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
from .revisions import PlanDecision, PlanRevision, RevisionSeal
from .workflow import SECTION_CHOICES, Adjustment, CommentReply, DriftEpisode, ReminderLog, ReviewComment

__all__ = [
    "Action",
    "ActionUpdate",
    "Adjustment",
    "Assessment",
    "AssessorAssignment",
    "CriterionJudgement",
    "CriterionPassage",
    "ImmutableAssessment",
    "DriftEpisode",
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
    "CommentReply",
    "RevisionSeal",
    "SECTION_CHOICES",
    "TrainingSession",
]
