"""Refusals of consent and message-preference writes, with their codes."""

from __future__ import annotations

from enum import StrEnum

from configurator.errors import ApplicationError


class ConsentCode(StrEnum):
    NOTICE_UNKNOWN = "consent.E001"  # no such notice version for this purpose
    NO_MESSAGE_CHANNEL = "consent.E002"  # offers granted, but by no channel
    BAD_MESSAGE_CHANNEL = "consent.E003"  # a channel that is not e-mail, SMS or Zalo
    NOT_MARKETING = "consent.E004"  # message channels given for another purpose


class ConsentRefused(ApplicationError):
    """A consent that cannot be recorded; nothing was written."""
