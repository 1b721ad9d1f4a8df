"""Root pytest configuration: plugins and service detection shared by every test."""

pytest_plugins = ("celery.contrib.pytest",)
