"""Compiled option sets: the engine's diagram of a version, built once and loaded everywhere."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from catalog.models import OptionSetVersion


class CompiledOptionSet(models.Model):
    """The engine's compiled form of one option-set version.

    Derived data: ``digest`` is the SHA-256 of the document it was compiled from, so a draft
    that changed after a Check is compiled again, and a published version (frozen) exactly
    once. ``configurations`` is a decimal string: counts pass 10^22 and no database integer
    holds them.
    """

    version = models.OneToOneField(
        OptionSetVersion,
        on_delete=models.CASCADE,
        related_name="compiled",
        verbose_name=_("version"),
    )
    digest = models.CharField(_("document digest"), max_length=64)
    engine_format = models.PositiveSmallIntegerField(_("engine format"))
    blob = models.BinaryField(_("compiled diagram"))
    configurations = models.CharField(_("valid configurations"), max_length=80)
    dead_values = models.JSONField(_("dead values"), default=list, blank=True)
    nodes = models.PositiveIntegerField(_("diagram nodes"))
    edges = models.PositiveIntegerField(_("diagram edges"))
    seconds = models.FloatField(_("compile seconds"))
    layer_order = models.JSONField(
        _("layer order"),
        default=list,
        blank=True,
        help_text=_("The diagram's variable order; the next version's compile starts from it."),
    )
    compiled_at = models.DateTimeField(_("compiled at"), auto_now=True)

    class Meta:
        verbose_name = _("compiled option set")
        verbose_name_plural = _("compiled option sets")

    def __str__(self) -> str:
        return f"{self.version} ({self.configurations} configurations)"
