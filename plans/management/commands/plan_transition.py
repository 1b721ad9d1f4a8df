"""Move a plan through its lifecycle from the command line, with the same checks as the
pages (plans.services.workflow): the user must hold the right role in the plan's home.

    python manage.py plan_transition 3 submit --user manager
    python manage.py plan_transition 3 approve --user approver --comment "Approved."
    python manage.py plan_transition 3 close --user manager --outcome embed
"""

from django.core.management.base import BaseCommand, CommandError

from oakview.core.models import User
from plans.models import Plan
from plans.services import workflow

ACTIONS = ["submit", "approve", "request_changes", "start", "evaluate", "close"]


class Command(BaseCommand):
    help = "Apply a workflow transition to a plan, as a named user."

    def add_arguments(self, parser):
        parser.add_argument("plan_id", type=int)
        parser.add_argument("action", choices=ACTIONS)
        parser.add_argument("--user", required=True, help="Username of the person acting.")
        parser.add_argument("--comment", default="")
        parser.add_argument("--outcome", choices=Plan.Outcome.values)

    def handle(self, *args, plan_id: int, action: str, user: str, comment: str, outcome: str | None, **options):
        try:
            person = User.objects.get(username=user)
            plan = Plan.objects.get(pk=plan_id)
        except (User.DoesNotExist, Plan.DoesNotExist) as error:
            raise CommandError(str(error)) from None
        try:
            if action == "submit":
                revision = workflow.plan_submit(plan_id=plan.pk, by=person)
                done = f"Revision {revision.number} submitted."
            elif action in ("approve", "request_changes"):
                latest = workflow.latest_revision(plan)
                if latest is None:
                    raise CommandError(f"Plan {plan.pk} has no submitted revision to decide on.")
                workflow.plan_decide(
                    plan_id=plan.pk,
                    revision_number=latest.number if latest else 0,
                    by=person,
                    approve=action == "approve",
                    comment=comment,
                )
                done = f"Revision {latest.number}: {action.replace('_', ' ')}."
            elif action == "start":
                workflow.plan_start(plan_id=plan.pk, by=person)
                done = "Started."
            elif action == "evaluate":
                workflow.plan_evaluate(plan_id=plan.pk, by=person)
                done = "Moved to evaluation."
            else:
                workflow.plan_close(plan_id=plan.pk, by=person, outcome=outcome or "")
                done = "Closed."
        except workflow.NotReady as error:
            raise CommandError(error.message + "\n" + "\n".join(f"  - {p.message}" for p in error.problems)) from None
        except workflow.TransitionError as error:
            raise CommandError(error.message) from None
        self.stdout.write(self.style.SUCCESS(done))
