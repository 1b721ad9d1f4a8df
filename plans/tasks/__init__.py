"""plans' Celery tasks. Celery autodiscovers `plans.tasks`; each area has its own module.
Give every task an explicit name="plans.tasks.<name>" so the name survives moves."""

from .notifications import *  # noqa: F401,F403
from .exports import *  # noqa: F401,F403
