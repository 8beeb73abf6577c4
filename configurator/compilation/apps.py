from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CompilationConfig(AppConfig):
    name = "configurator.compilation"
    label = "compilation"
    verbose_name = _("Compiled option sets")

    def ready(self) -> None:
        from catalog.extensions import (
            register_analyzer,
            register_publish_listener,
            register_version_margin,
        )

        from .analysis import version_analyze, version_margin, version_published

        register_analyzer(version_analyze)
        register_publish_listener(version_published)
        register_version_margin(version_margin)
