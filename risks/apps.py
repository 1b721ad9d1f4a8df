from django.apps import AppConfig


class RisksConfig(AppConfig):
    name = "risks"
    verbose_name = "Risk register"

    def ready(self) -> None:
        # Imported once the app registry is ready: the part reads models, and the dashboard
        # panel registers itself with oakview.core.dashboard on import.
        from plans.parts import register_part

        from . import panels  # noqa: F401
        from .parts import RiskPart

        register_part(RiskPart())
