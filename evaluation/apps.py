from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "evaluation"
    verbose_name = "Evaluation"

    def ready(self) -> None:
        # Imported here: the part and the panel read models, which are ready only now.
        from plans.parts import register_part

        from . import panels  # noqa: F401  registers the dashboard panel
        from .parts import EvaluationPart

        register_part(EvaluationPart())
