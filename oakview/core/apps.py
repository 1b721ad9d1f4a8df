from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "oakview.core"
    label = "core"
    verbose_name = "People, homes and standards"

    def ready(self) -> None:
        from .security import connect_receivers  # needs the app registry, so not at the top

        connect_receivers()
