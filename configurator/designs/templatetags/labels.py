"""``{{ names|in_language }}``: a merchant's name (language -> name) in the page's language."""

from collections.abc import Mapping
from typing import Any

from django import template
from django.utils.translation import get_language

register = template.Library()


@register.filter
def in_language(names: Any) -> str:
    """The name in the active language, else the Vietnamese one, else any."""
    if not isinstance(names, Mapping):
        return str(names or "")
    language = (get_language() or "vi")[:2]
    return str(names.get(language) or names.get("vi") or next((v for v in names.values() if v), ""))
