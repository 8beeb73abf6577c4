from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClientelingConfig(AppConfig):
    name = "configurator.clienteling"
    label = "clienteling"
    verbose_name = _("Store staff")
