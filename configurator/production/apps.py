from django.apps import AppConfig
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class ProductionConfig(AppConfig):
    name = "configurator.production"
    label = "production"
    verbose_name = _("Production export")

    def ready(self) -> None:
        from configurator.orders.hooks import register_order_placed

        from .services import order_placed

        register_order_placed(order_placed)

        from configurator.metrics import collector_register

        from .metrics import OutboxCollector

        collector_register(OutboxCollector())
        if getattr(settings, "CONFIGURATOR_SWEEPER_THREAD", False):
            from .sweeper import sweeper_thread_start

            sweeper_thread_start()  # the demo: tasks run in-process, there is no beat
