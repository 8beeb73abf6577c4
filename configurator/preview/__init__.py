"""Pure preview rendering: layer specs and a selection in, image bytes out.

No ORM, no request, no settings. See docs/preview.md.
"""

from .compositor import (
    canonical_selection,
    compose_preview,
    content_type,
    encode,
    preview_key,
    render_preview,
)
from .legibility import Legibility, text_legibility
from .sources import clear_caches as _clear_sources
from .sources import set_cache_budget
from .spec import (
    CONTENT_TYPES,
    FORMATS,
    SIZES,
    Box,
    LayerSpec,
    PreviewError,
    Problem,
)


def clear_caches() -> None:
    """Forget every decoded picture and every text background read from them."""
    from .legibility import _under

    _clear_sources()
    _under.cache_clear()


__all__ = [
    "CONTENT_TYPES",
    "FORMATS",
    "SIZES",
    "Box",
    "LayerSpec",
    "Legibility",
    "PreviewError",
    "Problem",
    "canonical_selection",
    "clear_caches",
    "compose_preview",
    "content_type",
    "encode",
    "preview_key",
    "render_preview",
    "set_cache_budget",
    "text_legibility",
]
