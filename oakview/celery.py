"""The Celery app. Reads CELERY_* Django settings; with no broker they run eagerly."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oakview.settings")

app = Celery("oakview")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
