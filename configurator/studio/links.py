"""What the studio adds to a version's admin page (by the catalog's extension points)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from catalog.models import OptionSetVersion, VersionStatus


def draft_studio_link(version: OptionSetVersion) -> tuple[str, str] | None:
    """ "Xem thử": the studio on this draft, as a shopper will see it once published."""
    if version.status != VersionStatus.DRAFT:
        return None
    url = reverse("studio:studio", args=[version.product.sku])
    return _("Try it"), f"{url}?draft={version.pk}"


def layer_preview_url(version: OptionSetVersion) -> str | list[str] | None:
    """The picture of the version's preview layers, one per view when it has several; None
    when it has no layer."""
    if not version.preview_layers.exists():
        return None
    url = reverse("studio:version-preview", args=[version.product.sku, version.pk])
    codes = list(version.views.order_by("position", "pk").values_list("code", flat=True))
    if len(codes) < 2:
        return url
    return [url, *(f"{url}?v={code}" for code in codes[1:])]
