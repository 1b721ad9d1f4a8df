from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "plans"
    verbose_name = "Change plans"

    def ready(self) -> None:
        # Imported here, once the app registry is ready: the plan part reads models, and the
        # dashboard panels register themselves with oakview.core.dashboard on import.
        from .assessment.part import AssessmentPart
        from .parts import register_part
        from .parts.plan import PlanContentPart
        from .views import dashboard  # noqa: F401

        register_part(PlanContentPart())
        register_part(AssessmentPart())
