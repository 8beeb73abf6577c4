"""Refusals of shoppers' pictures, with their codes."""

from __future__ import annotations

from enum import StrEnum

from configurator.errors import ApplicationError


class UploadCode(StrEnum):
    TOO_LARGE = "upload.E001"
    NOT_ALLOWED = "upload.E002"
    TOO_MANY_PIXELS = "upload.E003"
    CORRUPT = "upload.E004"
    BUSY = "upload.E005"  # every decoding slot taken: try again shortly
    MISSING = "upload.missing"  # the file is gone from storage


class UploadRefused(ApplicationError):
    """A refused picture; ``retry_after`` (seconds) when it may pass if sent again later."""
