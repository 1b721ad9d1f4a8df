from django.core.management.base import BaseCommand

from oakview.core.models import Framework, Standard
from oakview.core.reference import load_standards


class Command(BaseCommand):
    help = "Load or update the shipped standards reference data (idempotent)."

    def handle(self, *args, **options):
        created, updated = load_standards(Framework, Standard)
        self.stdout.write(f"Standards: {created} created, {updated} updated.")
