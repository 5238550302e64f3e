from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "mitra.web"
    label = "web"
