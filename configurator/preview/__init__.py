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
from .sources import clear_caches, set_cache_budget
from .spec import (
    CONTENT_TYPES,
    FORMATS,
    SIZES,
    Box,
    LayerSpec,
    PreviewError,
    Problem,
)

__all__ = [
    "CONTENT_TYPES",
    "FORMATS",
    "SIZES",
    "Box",
    "LayerSpec",
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
]
