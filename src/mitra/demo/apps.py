from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "mitra.demo"
    label = "demo"
