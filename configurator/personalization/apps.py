from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PersonalizationConfig(AppConfig):
    name = "configurator.personalization"
    label = "personalization"
    verbose_name = _("Personalization")

    def ready(self) -> None:
        from catalog.extensions import register_import_runner, register_product_admin_link
        from catalog.models import ImportJob
        from configurator.messaging import offer_consent_register
        from configurator.orders.effects import register_order_effect

        from .admin_insight import insight_link
        from .consent import offer_allowed_to
        from .jobs import purchase_events_job_run
        from .outcomes import default_outcomes_record
        from .services import order_placed

        register_order_effect("purchase_events", order_placed, _("Purchase history"))
        register_order_effect(
            "default_outcomes", default_outcomes_record, _("Kept suggestions record")
        )
        register_product_admin_link(insight_link)
        offer_consent_register(offer_allowed_to)
        register_import_runner(ImportJob.Kind.PURCHASE_EVENTS, purchase_events_job_run)
