"""A design a store's staff member made for a customer and handed over (clienteling)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Handover(models.Model):
    """The link (and its QR code) that gives a customer the design a staff member made.

    A cart line added through it carries the staff member, so the order is the store's.
    """

    token = models.CharField(max_length=32, unique=True)
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("staff member"),
    )
    customer = models.ForeignKey(
        "personalization.Customer",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("customer"),
    )
    design = models.ForeignKey(
        "designs.Design", on_delete=models.CASCADE, related_name="+", verbose_name=_("design")
    )
    # What the studio pre-selected for the customer: group -> {"value", "source"}.
    proposed_defaults = models.JSONField(
        default=dict, blank=True, verbose_name=_("proposed defaults")
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created"))

    class Meta:
        verbose_name = _("hand-over")
        verbose_name_plural = _("hand-overs")
        ordering = ["-created_at"]
        default_permissions = ("view",)
        permissions = [("use_clienteling", _("Can serve customers in store"))]

    def __str__(self) -> str:
        return self.token
