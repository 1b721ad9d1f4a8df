from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.module_loading import import_string

from oakview.core.demo import DEMO_PASSWORD, OAK_VIEW_PEOPLE, BEECH_HOUSE_PEOPLE, seed_people

# Each app adds its demo content in this order; a later step may rely on an earlier one
# (the workflow step freezes revisions of everything seeded before it).
DEMO_SEEDERS = [
    "plans.demo.seed_plan",
    "risks.demo.seed_risks",
    "stakeholders.demo.seed_stakeholders",
    "evaluation.demo.seed_evaluation",
    "plans.demo_workflow.seed_workflow",
]


class Command(BaseCommand):
    help = "Create the Oak View demo (homes, users, plan). Idempotent: a second run changes nothing."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Run even with DEBUG=false.")

    def handle(self, *args, force: bool = False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "Refusing to load demo users with a known password while DEBUG is false. "
                "Use --force if this really is a demonstration server."
            )
        with transaction.atomic():
            ctx = seed_people()
            ctx.stdout = self.stdout
            for path in DEMO_SEEDERS:
                try:
                    seeder = import_string(path)
                except ImportError:
                    continue  # that app has no demo content yet
                seeder(ctx)
        self.stdout.write(self.style.SUCCESS("Demo ready. Sign in with any of these (password %s):" % DEMO_PASSWORD))
        for username, first, last, role, job in OAK_VIEW_PEOPLE:
            self.stdout.write(f"  {username:<9} {first} {last}, {job} — Oak View")
        for username, first, last, role, job in BEECH_HOUSE_PEOPLE:
            self.stdout.write(f"  {username:<9} {first} {last}, {job} — Beech House")
