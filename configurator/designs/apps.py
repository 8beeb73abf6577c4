from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


class DesignsConfig(AppConfig):
    name = "configurator.designs"
    label = "designs"
    verbose_name = _("Designs and uploads")

    def ready(self) -> None:
        from configurator.storage import check_private_root

        checks.register(check_private_root, checks.Tags.security)
