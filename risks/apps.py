from django.apps import AppConfig


class RisksConfig(AppConfig):
    name = "risks"
    verbose_name = "Risk register"

    def ready(self) -> None:
        from plans.parts import register_part

        from . import panels  # noqa: F401  registers the dashboard and plan-page panels
        from .parts import RiskPart

        register_part(RiskPart())
