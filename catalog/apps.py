from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "catalog"
    verbose_name = _("Catalog")

    def ready(self) -> None:
        from .extensions import register_import_runner
        from .jobs import option_set_job_run
        from .models import ImportJob

        register_import_runner(ImportJob.Kind.OPTION_SET, option_set_job_run)

        from django.db.models.signals import post_delete, post_save

        from .models import BlockedWord
        from .selectors import blocked_words_forget

        post_save.connect(blocked_words_forget, sender=BlockedWord, weak=False)
        post_delete.connect(blocked_words_forget, sender=BlockedWord, weak=False)

        from .models import Product, ValueStock
        from .stock import stock_forget

        for sender in (ValueStock, Product):
            post_save.connect(stock_forget, sender=sender, weak=False)
            post_delete.connect(stock_forget, sender=sender, weak=False)
