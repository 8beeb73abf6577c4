from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StudioConfig(AppConfig):
    """The studio page; it adds "Xem thử" and the layer picture to a version's admin page."""

    name = "configurator.studio"
    label = "studio"
    verbose_name = _("Studio")

    def ready(self) -> None:
        from catalog.extensions import register_version_admin_link, register_version_preview_image

        from .links import draft_studio_link, layer_preview_url

        register_version_admin_link(draft_studio_link)
        register_version_preview_image(layer_preview_url)
