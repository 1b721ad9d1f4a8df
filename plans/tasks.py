"""plans' Celery tasks, for Celery's autodiscovery (it imports `<app>.tasks`).

Each task is defined beside the service it runs, so the service that queues it imports it
without a circle: the export render in plans.services.exports, the workflow mail in
plans.services.notifications. Every task has an explicit name="plans.tasks.<name>", so the
beat schedule and queued jobs survive the move.
"""

from plans.services.drift import notify_drift_task
from plans.services.exports import export_sweep_task, render_export_task
from plans.services.notifications import notify_decided_task, notify_submitted_task, send_overdue_reminders_task

__all__ = [
    "export_sweep_task",
    "notify_decided_task",
    "notify_drift_task",
    "notify_submitted_task",
    "render_export_task",
    "send_overdue_reminders_task",
]
