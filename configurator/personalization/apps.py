from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PersonalizationConfig(AppConfig):
    name = "configurator.personalization"
    label = "personalization"
    verbose_name = _("Personalization")

    def ready(self) -> None:
        from configurator.orders.hooks import register_order_placed

        from .services import order_placed

        register_order_placed(order_placed)
