from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "mitra.core"
    label = "core"
