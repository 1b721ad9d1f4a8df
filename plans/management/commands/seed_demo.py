"""python manage.py seed_demo: the Oak View demo (homes, people, the plan with every part's
records and its approval history). The people come from oakview.core.demo; the plan and the
parts' content from plans.demo, which asks each registered part, so no app is named here."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from oakview.core.demo import BEECH_HOUSE_PEOPLE, DEMO_PASSWORD, OAK_VIEW_PEOPLE, seed_people
from plans.demo import seed_demo


class Command(BaseCommand):
    help = "Create the Oak View demo (homes, users, plan). Idempotent: a second run changes nothing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--force", action="store_true", help="Run even with DEBUG=false.")

    def handle(self, *args: Any, force: bool = False, **options: Any) -> None:
        if not settings.DEBUG and not force:
            raise CommandError(
                "Refusing to load demo users with a known password while DEBUG is false. "
                "Use --force if this really is a demonstration server."
            )
        with transaction.atomic():
            ctx = seed_people()
            ctx.stdout = self.stdout
            seed_demo(ctx)
        self.stdout.write(self.style.SUCCESS(f"Demo ready. Sign in with any of these (password {DEMO_PASSWORD}):"))
        for username, first, last, _role, job in OAK_VIEW_PEOPLE:
            self.stdout.write(f"  {username:<9} {first} {last}, {job} — Oak View")
        for username, first, last, _role, job in BEECH_HOUSE_PEOPLE:
            self.stdout.write(f"  {username:<9} {first} {last}, {job} — Beech House")
