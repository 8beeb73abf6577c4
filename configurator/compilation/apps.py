from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CompilationConfig(AppConfig):
    name = "configurator.compilation"
    label = "compilation"
    verbose_name = _("Compiled option sets")
