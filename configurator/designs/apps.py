from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DesignsConfig(AppConfig):
    name = "configurator.designs"
    label = "designs"
    verbose_name = _("Designs and uploads")
