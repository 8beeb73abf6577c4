"""What shoppers keep: uploaded pictures and saved designs."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from catalog.models import OptionSetVersion, Product
from configurator.storage import private_storage


class Upload(models.Model):
    """A shopper's picture, already sanitized: re-encoded, metadata stripped, size known."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        verbose_name=_("account"),
    )
    session_key = models.CharField(
        max_length=40, blank=True, db_index=True, verbose_name=_("visit")
    )
    # Private storage: outside the public media, no URL (see configurator/storage.py).
    file = models.FileField(
        upload_to="uploads/%Y/%m/", storage=private_storage, verbose_name=_("file")
    )
    format = models.CharField(max_length=10, verbose_name=_("format"))
    width = models.PositiveIntegerField(verbose_name=_("width (px)"))
    height = models.PositiveIntegerField(verbose_name=_("height (px)"))
    bytes = models.PositiveIntegerField(verbose_name=_("size (bytes)"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created"))

    class Meta:
        verbose_name = _("upload")
        verbose_name_plural = _("uploads")
        constraints = [
            models.CheckConstraint(
                condition=Q(owner__isnull=False) | ~Q(session_key=""), name="upload_has_owner"
            )
        ]

    def __str__(self) -> str:
        return f"{self.id} ({self.format} {self.width}×{self.height})"


class Design(models.Model):
    """A configuration a shopper saved, on the option-set version it was made with."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="designs",
        verbose_name=_("account"),
    )
    session_key = models.CharField(
        max_length=40, blank=True, db_index=True, verbose_name=_("visit")
    )
    product = models.ForeignKey(
        Product, on_delete=models.PROTECT, related_name="designs", verbose_name=_("product")
    )
    version = models.ForeignKey(
        OptionSetVersion,
        on_delete=models.PROTECT,
        related_name="designs",
        verbose_name=_("version"),
    )
    name = models.CharField(_("name"), max_length=120, blank=True)
    # Group code -> value code / list / text / upload id, in the order the shopper chose.
    selection = models.JSONField(default=dict, verbose_name=_("choices made"))
    share_token = models.CharField(
        max_length=32, unique=True, null=True, blank=True, verbose_name=_("share code")
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated"))

    class Meta:
        verbose_name = _("design")
        verbose_name_plural = _("designs")
        ordering = ["-updated_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(owner__isnull=False) | ~Q(session_key=""), name="design_has_owner"
            )
        ]

    def __str__(self) -> str:
        return self.name or str(self.id)
