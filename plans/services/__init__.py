"""Every write to a plan goes through a service: lock, guard, change, record, then enqueue.

The rooms: plans (create, edit its own fields), rows (drivers ... training, action status),
workflow (every status transition), exports (PDF), notifications (mail), calendar (feed
link), template (the digital-transition template's content), guards (the shared checks).
This package's names are the public API that views, commands, the demo, tests and other
apps use: `from plans import services; services.action_create(...)`, and its exceptions
(PlanLocked, StaleEdit, TransitionError, NotReady, ...).
"""

from oakview.core.locking import StaleEdit

from .bulk import actions_bulk_assign
from .calendar import calendar_token_reset, calendar_token_revoke
from .comments import comment_reply, comment_resolve
from .exports import (
    EXPORTABLE,
    ExportRefused,
    export_render,
    export_request,
    export_sweep,
    export_waiting_for_queue,
    is_exportable,
)
from .guards import PlanLocked, check_dates
from .plans import PLAN_FIELDS, plan_create, plan_update
from .rows import action_create, action_update_status, may_update_status, row_delete, row_save, training_session_create
from .workflow import (
    CommentRequired,
    NotReady,
    TransitionError,
    TransitionForbidden,
    adjustment_record,
    plan_close,
    plan_decide,
    plan_evaluate,
    plan_start,
    plan_submit,
    review_comment_add,
)

__all__ = [
    "actions_bulk_assign",
    "comment_reply",
    "comment_resolve",
    "EXPORTABLE",
    "PLAN_FIELDS",
    "CommentRequired",
    "ExportRefused",
    "NotReady",
    "PlanLocked",
    "StaleEdit",
    "TransitionError",
    "TransitionForbidden",
    "action_create",
    "action_update_status",
    "adjustment_record",
    "calendar_token_reset",
    "calendar_token_revoke",
    "check_dates",
    "export_render",
    "export_request",
    "export_sweep",
    "export_waiting_for_queue",
    "is_exportable",
    "may_update_status",
    "plan_close",
    "plan_create",
    "plan_decide",
    "plan_evaluate",
    "plan_start",
    "plan_submit",
    "plan_update",
    "review_comment_add",
    "row_delete",
    "row_save",
    "training_session_create",
]
