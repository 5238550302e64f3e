from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ValueConfig(AppConfig):
    name = "mitra.value"
    label = "value"
    verbose_name = _("Value ledger")
