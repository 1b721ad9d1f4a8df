"""python manage.py seed_large [--scale N]: a large plan for measuring (plans.demo.large),
at Oak View with the demo's people, filled by every part through PlanPart.seed_large."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from oakview.core.demo import seed_people
from plans.demo.large import seed_large


class Command(BaseCommand):
    help = (
        "Create a large plan (200 actions, 50 training sessions, 10 revisions, and each part's rows) "
        "at Oak View for benchmarks. --scale 4 makes it four times larger. Idempotent."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", type=int, default=1, help="Multiply every count (default 1).")
        parser.add_argument("--force", action="store_true", help="Run even with DEBUG=false.")

    def handle(self, *args: Any, scale: int = 1, force: bool = False, **options: Any) -> None:
        if not settings.DEBUG and not force:
            raise CommandError("Refusing to load demo users with a known password while DEBUG is false. Use --force.")
        if not 1 <= scale <= 20:
            raise CommandError("--scale must be between 1 and 20.")
        with transaction.atomic():
            ctx = seed_people()
            ctx.stdout = self.stdout
            plan = seed_large(ctx, scale)
        self.stdout.write(self.style.SUCCESS(f"Large plan ready: /plans/{plan.pk}/"))
