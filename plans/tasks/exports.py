"""The PDF export task: ids in, plans.pdf.exports does the work."""

from __future__ import annotations

from celery import Task, shared_task

from ..pdf.exports import TRANSIENT_ERRORS, export_fail, export_render

__all__ = ["render_export_task"]

# A 22-page plan renders in about 1.5 s; a minute means something is wrong (a pathological
# table), and the hard limit frees the worker if the soft one cannot interrupt WeasyPrint.
SOFT_TIME_LIMIT = 60
TIME_LIMIT = 90


class ExportTask(Task):
    def on_failure(self, exc, task_id, args, kwargs, einfo):
        # Retries exhausted, hard time limit, or anything else: the page must stop polling.
        export_id = kwargs.get("export_id") or (args[0] if args else None)
        if export_id is not None:
            export_fail(export_id=export_id, reason=f"The export failed ({type(exc).__name__}). Please try again.")


@shared_task(
    bind=True,
    base=ExportTask,
    name="plans.tasks.render_export_task",
    acks_late=True,
    reject_on_worker_lost=True,  # a worker killed mid-render hands the job back to the queue
    autoretry_for=TRANSIENT_ERRORS,
    retry_backoff=True,
    retry_backoff_max=120,
    max_retries=5,
    soft_time_limit=SOFT_TIME_LIMIT,
    time_limit=TIME_LIMIT,
)
def render_export_task(self, export_id: int) -> None:
    export_render(export_id=export_id)
