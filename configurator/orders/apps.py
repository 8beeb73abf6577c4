from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrdersConfig(AppConfig):
    name = "configurator.orders"
    label = "orders"
    verbose_name = _("Carts and orders")

    def ready(self) -> None:
        from .effects import CONFIRMATION_EMAIL, order_confirmation_send, register_order_effect

        register_order_effect(
            CONFIRMATION_EMAIL, order_confirmation_send, _("Order confirmation e-mail")
        )
