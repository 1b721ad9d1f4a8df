"""Django's flush, able to empty plan revisions.

Revisions are guarded by database triggers (migration 0004) that refuse DELETE. Emptying
the whole database is the one legitimate exception (the test runner flushes between
transactional tests), so this flush opens the guard for its own transaction only: the
unlock row is inserted and removed inside the same atomic block, never committed.
"""

from django.core.management.commands.flush import Command as DjangoFlush
from django.db import connections, transaction


class Command(DjangoFlush):
    def handle(self, **options):
        connection = connections[options["database"]]
        if "plans_revision_unlock" not in connection.introspection.table_names():
            return super().handle(**options)  # plans not migrated: no guard to open
        with transaction.atomic(using=options["database"]):
            with connection.cursor() as cursor:
                cursor.execute("INSERT INTO plans_revision_unlock (flag) VALUES (1)")
            super().handle(**options)
            with connection.cursor() as cursor:
                cursor.execute("DELETE FROM plans_revision_unlock")
