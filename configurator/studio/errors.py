"""Refusals of the studio's own form, with their codes."""

from __future__ import annotations

from enum import StrEnum

from configurator.errors import ApplicationError


class StudioCode(StrEnum):
    THROTTLED = "studio.E001"  # more form posts (or pictures) than the API's rates allow


class FormRefused(ApplicationError):
    """The studio form was refused before it was read (too many posts from this client)."""
