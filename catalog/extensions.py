"""Extension points through which later stages plug into the catalog.

The catalog never imports from ``configurator``: the engine stage registers itself here from
its ``AppConfig.ready()``, the way Django apps register system checks. This keeps
dependencies pointing one way while the admin's Check and ``import_option_set --publish``
can still show what the engine found.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Literal

from django.utils.translation import get_language, gettext

from .money import money_display

if TYPE_CHECKING:
    from .models import ImportJob, OptionSetVersion, Product


@dataclass(frozen=True)
class Problem:
    """One problem of an option set, with a stable code (``catalog.E001``, ``engine.E002``)."""

    code: str
    message: str
    path: str = ""
    level: Literal["error", "warning", "info"] = "error"


@dataclass(frozen=True)
class MarginSummary:
    """The valid configuration with the lowest margin, in the merchant's words.

    ``label`` names it ("Áo thun · Cotton · Trắng"); ``price`` is what it sells for and
    ``cost`` what making it costs, in ``currency``.
    """

    label: str
    price: Decimal
    cost: Decimal
    currency: str

    @property
    def margin(self) -> Decimal:
        return self.price - self.cost

    @property
    def percent(self) -> Decimal | None:
        """The margin as a percent of the price, one decimal; None for a free configuration."""
        if not self.price:
            return None
        return (self.margin * 100 / self.price).quantize(Decimal("0.1"))

    def text(self) -> str:
        """ "Áo thun · Cotton · Trắng: lãi 12.000 ₫ (8%)", in the active language."""
        language = (get_language() or "vi")[:2]
        amount = money_display(abs(self.margin), self.currency, language)
        if self.percent is None:
            percent = ""
        else:
            percent = format(self.percent.normalize(), "f")
            percent = percent.replace(".", ",") if language == "vi" else percent
        params = {"label": self.label, "amount": amount, "percent": percent}
        if self.margin < 0:
            return gettext("%(label)s: loss of %(amount)s (%(percent)s%%)") % params
        return gettext("%(label)s: margin of %(amount)s (%(percent)s%%)") % params


@dataclass(frozen=True)
class VersionAnalysis:
    """What an analyzer found about a version: counts, dead values, problems and the
    configuration with the lowest margin."""

    configurations: int | None = None
    dead_values: tuple[tuple[str, str], ...] = ()
    problems: tuple[Problem, ...] = field(default_factory=tuple)
    lowest_margin: MarginSummary | None = None


Analyzer = Callable[["OptionSetVersion"], VersionAnalysis]
PublishListener = Callable[[int], None]
# (product) -> (label, url) of a button on the product's admin page, or None for no button.
ProductAdminLink = Callable[["Product"], tuple[str, str] | None]

# (version) -> (label, url) of a button on the version's admin page, or None for no button.
VersionAdminLink = Callable[["OptionSetVersion"], tuple[str, str] | None]
# (version) -> the URL of a picture of the version's preview (its layers composed), or
# several (one per view), or None.
VersionPreviewImage = Callable[["OptionSetVersion"], str | list[str] | None]

# (version) -> the configuration with the lowest margin, or None when it is not known yet.
VersionMargin = Callable[["OptionSetVersion"], MarginSummary | None]

# (job) -> None: imports the job's file, recording progress and outcome on the job.
ImportRunner = Callable[["ImportJob"], None]

_analyzers: list[Analyzer] = []
_import_runners: dict[str, ImportRunner] = {}
_publish_listeners: list[PublishListener] = []
_product_admin_links: list[ProductAdminLink] = []
_version_admin_links: list[VersionAdminLink] = []
_version_preview_images: list[VersionPreviewImage] = []
_version_margins: list[VersionMargin] = []


def register_analyzer(analyzer: Analyzer) -> Analyzer:
    """Register ``analyzer``; idempotent, usable as a decorator."""
    if analyzer not in _analyzers:
        _analyzers.append(analyzer)
    return analyzer


def register_publish_listener(listener: PublishListener) -> PublishListener:
    """Register ``listener(version_id)``, called after a publish commits; idempotent."""
    if listener not in _publish_listeners:
        _publish_listeners.append(listener)
    return listener


def register_product_admin_link(link: ProductAdminLink) -> ProductAdminLink:
    """Register ``link(product)``: a button on the product's admin page; idempotent."""
    if link not in _product_admin_links:
        _product_admin_links.append(link)
    return link


def register_version_admin_link(link: VersionAdminLink) -> VersionAdminLink:
    """Register ``link(version)``: a button on the version's admin page; idempotent."""
    if link not in _version_admin_links:
        _version_admin_links.append(link)
    return link


def register_version_preview_image(image: VersionPreviewImage) -> VersionPreviewImage:
    """Register ``image(version)``: a preview picture on the version's admin page; idempotent."""
    if image not in _version_preview_images:
        _version_preview_images.append(image)
    return image


def register_version_margin(margin: VersionMargin) -> VersionMargin:
    """Register ``margin(version)``: the lowest margin on the version's admin page; idempotent."""
    if margin not in _version_margins:
        _version_margins.append(margin)
    return margin


def version_margins() -> tuple[VersionMargin, ...]:
    return tuple(_version_margins)


def version_admin_links() -> tuple[VersionAdminLink, ...]:
    return tuple(_version_admin_links)


def version_preview_images() -> tuple[VersionPreviewImage, ...]:
    return tuple(_version_preview_images)


def analyzers() -> tuple[Analyzer, ...]:
    return tuple(_analyzers)


def publish_listeners() -> tuple[PublishListener, ...]:
    return tuple(_publish_listeners)


def product_admin_links() -> tuple[ProductAdminLink, ...]:
    return tuple(_product_admin_links)


def register_import_runner(kind: str, runner: ImportRunner) -> ImportRunner:
    """Register ``runner(job)`` for the import jobs of ``kind``; the last one wins."""
    _import_runners[kind] = runner
    return runner


def import_runner(kind: str) -> ImportRunner | None:
    return _import_runners.get(kind)
