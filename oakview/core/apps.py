from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "oakview.core"
    label = "core"
    verbose_name = "People, homes and standards"
