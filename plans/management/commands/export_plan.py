"""python manage.py export_plan <plan id> [--revision N] --output FILE

Renders an approved revision synchronously (no worker, no PlanExport row), for scripts and
assessors' batch work. Prints the page count and SHA-256 so a batch can be checked later.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from plans.models import Plan, PlanRevision
from plans.pdf.render import render_revision
from plans.services import EXPORTABLE


class Command(BaseCommand):
    help = "Render an approved revision of a plan to a PDF file."

    def add_arguments(self, parser):
        parser.add_argument("plan_id", type=int, help="The plan's id (as in its URL, /plans/<id>/).")
        parser.add_argument("--revision", type=int, dest="number", help="Revision number (default: the latest approved).")
        parser.add_argument("--output", "-o", required=True, help="Where to write the PDF.")

    def handle(self, *args, plan_id: int, number: int | None, output: str, **options):
        try:
            plan = Plan.objects.select_related("home").get(pk=plan_id)
        except Plan.DoesNotExist:
            raise CommandError(f"There is no plan {plan_id}.") from None
        revisions = plan.revisions.select_related("submitted_by")
        if number is None:
            revision = revisions.filter(status=PlanRevision.Status.APPROVED).order_by("-number").first()
            if revision is None:
                if not revisions.exists():
                    raise CommandError(
                        f"Plan {plan_id} ({plan.title}) is a draft with no submitted revision: "
                        "only an approved revision can be exported."
                    )
                raise CommandError(
                    f"Plan {plan_id} ({plan.title}) has no approved revision yet: only an approved revision can be exported."
                )
        else:
            revision = revisions.filter(number=number).first()
            if revision is None:
                raise CommandError(f"Plan {plan_id} has no revision {number}.")
            if revision.status not in EXPORTABLE:
                raise CommandError(
                    f"Revision {number} of plan {plan_id} is {revision.get_status_display().lower()}: "
                    "only an approved revision can be exported."
                )
        rendered = render_revision(revision)
        path = Path(output)
        try:
            path.write_bytes(rendered.data)
        except OSError as exc:
            raise CommandError(f"Could not write {output}: {exc.strerror}.") from None
        sha = hashlib.sha256(rendered.data).hexdigest()
        self.stdout.write(f"Wrote {path} — {plan.title}, revision {revision.number}")
        self.stdout.write(f"Pages: {rendered.pages}")
        self.stdout.write(f"SHA-256: {sha}")
