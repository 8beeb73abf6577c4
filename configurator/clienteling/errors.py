"""Refusals of the store staff's page, with their codes."""

from __future__ import annotations

from enum import StrEnum

from configurator.errors import ApplicationError


class StaffCode(StrEnum):
    QUERY_UNREADABLE = "staff.E001"  # neither a phone number nor an e-mail address
    QUERY_TOO_LONG = "staff.E002"
    NOT_ACTING = "staff.E003"  # no valid "designing for" token (expired, forged, another's)
    NOTHING_TO_HAND_OVER = "staff.E004"  # an empty or unreadable design
    NO_ACCOUNT = "staff.E005"  # the customer has no account, so no cart
    DESIGN_GONE = "staff.E006"  # the product is no longer offered


class StaffRefused(ApplicationError):
    """Why the staff page cannot do what was asked; nothing was written."""
