from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "plans"
    verbose_name = "Change plans"

    def ready(self) -> None:
        from . import dashboard, parts_plan  # noqa: F401  registers the plan part and panels
        from . import admin_workflow, workflow_panel  # noqa: F401  the plan page's workflow box; read-only admin of its records
